using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Vcxproj;

/// <summary>
/// A .vcxproj whose parallel copy the compiler rejects (the .vcxproj mirror of BuildFidelityTests' rejecting CMake
/// compiler): the engine checks a .vcxproj's copies with the clang or gcc it finds on PATH, and here the first one found
/// rejects every copy ParaSlm writes. The build goes on with the original source compiled, a PSLM1013 warning names the
/// file and the compiler's message, and the program computes what the serial one does.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.None)]
public sealed class VcxprojCompileFallbackTests
{
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private ProcessResult _build = null!;

    private string Kernel => Path.Combine(_dir, "src", "kernel.c");

    [OneTimeSetUp]
    public void BuildWithARejectingCompiler()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.CopySample("vcxproj", "vcxproj-rejected-copy");
        var path = _workspace.Environment.TryGetValue("PATH", out var p) && p is not null ? p : System.Environment.GetEnvironmentVariable("PATH") ?? "";
        var real = path.Split(Path.PathSeparator).Select(d => Path.Combine(d, "clang-19")).FirstOrDefault(File.Exists) ?? "gcc";
        var tools = Directory.CreateDirectory(_dir + ".tools").FullName;
        var shim = Path.Combine(tools, "clang-19");
        File.WriteAllText(shim, $"""
            #!/bin/sh
            # First on PATH: a C compiler that rejects ParaSlm's parallel copies and compiles everything else.
            for a in "$@"; do
              case "$a" in */paraslm/*) echo "$a:1:1: error: deliberately rejected parallel copy" >&2; exit 1;; esac
            done
            exec {real} "$@"
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string?>(_workspace.Environment)
        {
            ["PATH"] = tools + Path.PathSeparator + path,
            ["XDG_CACHE_HOME"] = _dir + ".plan-cache",
        };
        _build = ProcessRunner.Run("dotnet",
            ["build", "ParallelSample.vcxproj", "-m:1", "-nodeReuse:false", "-v:n", "-tl:off", "-nologo",
             "-p:VCTargetsPath=" + Path.Combine(_workspace.Fixtures, "VcxStandIn") + "/", "-p:PlatformToolset=WSL_1_0"],
            _dir, environment, TimeSpan.FromMinutes(5));
    }

    [Test]
    public void The_build_succeeds_with_a_PSLM1013_warning_naming_the_file_and_the_compilers_message()
    {
        _build.ShouldSucceed();
        var warning = Regex.Match(_build.Output, Regex.Escape(Kernel) + @"\s?: warning PSLM1013: (?<message>.*)");
        Assert.That(warning.Success, Is.True, ProcessResult.Tail(_build.Output));
        Assert.That(warning.Groups["message"].Value, Does.Contain("deliberately rejected parallel copy"));
    }

    [Test]
    public void The_original_source_is_compiled_instead_of_the_copy()
    {
        var outputs = File.ReadAllLines(Path.Combine(_dir, "x64", "Debug", "paraslm", "paraslm.outputs.tsv")).Select(l => l.Split('\t')).ToDictionary(f => f[0]);
        Assert.That(outputs[Kernel][2], Is.EqualTo("unchanged"));
        Assert.That(_build.Output, Does.Not.Contain("ParaSlm: compiling " + Kernel + " from"));
        var compile = _build.Output.Split('\n').Where(l => l.Contains(" -c -x c ", StringComparison.Ordinal) && l.Contains("kernel", StringComparison.Ordinal)).ToList();
        Assert.That(compile, Is.Not.Empty.And.All.Contain($"\"{Kernel}\""));
    }

    [Test]
    public void The_program_computes_what_the_serial_program_computes()
    {
        var run = _workspace.Run(Path.Combine(_dir, "bin", "x64", "Debug", "ParallelSample.exe"), _dir,
            new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "2" }).ShouldSucceed();
        long expected = 0;
        for (var i = 0L; i < 100000; i++) expected += (i * 7919 % 1000) * 3 + 1;
        Assert.That(run.StandardOutput, Does.Contain($"sum: {expected}"));
    }
}
