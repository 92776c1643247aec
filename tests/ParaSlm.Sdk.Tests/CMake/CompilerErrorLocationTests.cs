using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>
/// A compile error in a rewritten file is reported at the user's file and line, not at the copy: the engine's
/// #line directives map the copy back, and the SDK turns GCC's diagnostics into MSBuild errors at that place.
/// The error is one that libclang accepts (it defines __clang__) and gcc rejects, placed after a parallel loop,
/// so the engine does rewrite the file and only the real compiler fails.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class CompilerErrorLocationTests
{
    [Test]
    public void ErrorInARewrittenFile_IsReportedAtTheOriginalFileAndLine()
    {
        var app = new CMakeApp(SdkWorkspace.Shared, "error");
        var kernels = app.Source("kernels/kernels.c");
        var lines = File.ReadAllLines(kernels).ToList();
        var afterFirstLoop = lines.FindIndex(l => l.StartsWith("/* Row i of y", StringComparison.Ordinal));
        lines.InsertRange(afterFirstLoop, [
            "#if defined(__GNUC__) && !defined(__clang__)",
            "#error \"gcc stops here on purpose\"",
            "#endif",
        ]);
        File.WriteAllLines(kernels, lines);
        var errorLine = afterFirstLoop + 2; // 1-based line of #error

        var build = app.Build("-p:ParaSlmCMakeArgs=-DCMAKE_C_COMPILER=gcc").ShouldFail();

        var rewritten = app.Outputs()[kernels];
        Assert.That(rewritten.Status, Is.EqualTo("rewritten"), "the file must have been parallelized for this test to mean anything");
        Assert.That(build.Output, Does.Contain(Path.GetFileName(rewritten.Rewritten)), "the compiler was given the rewritten copy");
        var located = new Regex(Regex.Escape(kernels) + @"\((?<line>\d+),\d+\): error : #error ""gcc stops here on purpose""");
        var match = located.Match(build.Output);
        Assert.That(match.Success, Is.True, "an MSBuild error at the original file:\n" + ProcessResult.Tail(build.Output));
        Assert.That(int.Parse(match.Groups["line"].Value), Is.EqualTo(errorLine));
        Assert.That(build.Output, Does.Contain("error PSLM1005"), "the build failure says what to do");
    }

    [Test]
    public void SourceTheAnalyzerCannotParse_IsAWarningAtItsLine_AndStaysSerial()
    {
        var app = new CMakeApp(SdkWorkspace.Shared, "unparsable");
        var util = app.Source("src/util.c");
        var lines = File.ReadAllLines(util).ToList();
        // Only libclang (it defines __clang__) sees this; gcc builds the file as before.
        lines.InsertRange(1, ["#ifdef __clang__", "int broken = ;", "#endif"]);
        File.WriteAllLines(util, lines);

        var build = app.Build("-p:ParaSlmCMakeArgs=-DCMAKE_C_COMPILER=gcc").ShouldSucceed();

        Assert.That(build.Output, Does.Match(Regex.Escape(util) + @"\(3,\d+\): warning PSLM0005: "), ProcessResult.Tail(build.Output));
        Assert.That(app.Outputs()[util].Status, Is.EqualTo("error"));
        Assert.That(app.CompileCommands(app.ParallelTree).Keys, Does.Contain(util), "a file the engine could not process compiles unchanged");
    }
}
