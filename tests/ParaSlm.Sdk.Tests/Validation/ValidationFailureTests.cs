using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Validation;

/// <summary>
/// A validation that must not pass, through `dotnet build` of Fixtures/ValidateApp: the final program differs from the
/// serial build although TSan blamed no loop (the test command counts the program's calls into libgomp, which only the
/// gcc-built parallel program has), so the build's outputs become the serial program, and the build fails
/// (ParaSlmValidateFailure=error, the default) or warns (warn). `{exe}` is the project's only executable.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class ValidationFailureTests
{
    private const string Command = "-p:ParaSlmValidateTestCommand={exe} > /dev/null && nm {exe} | grep -c GOMP_parallel || true";

    private static (ProcessResult Build, string Dir) Build(string name, params string[] extra)
    {
        var workspace = SdkWorkspace.Shared;
        var dir = workspace.Copy(Path.Combine(workspace.Fixtures, "ValidateApp"), name);
        return (workspace.Build(dir, "app.proj", ["-p:ParaSlmValidate=tsan", "-p:ParaSlmValidateRuns=1", Command, .. extra]), dir);
    }

    private static string Symbols(string dir) =>
        ProcessRunner.Run("nm", [Path.Combine(dir, "build", "paraslm", "app")], dir, SdkWorkspace.Shared.Environment).StandardOutput;

    [Test]
    public void A_final_program_that_differs_fails_the_build_and_leaves_the_serial_program()
    {
        var (build, dir) = Build("validate-differs");
        build.ShouldFail();
        Assert.That(Regex.IsMatch(build.Output, @"app\.proj : error PSLM5004: the final parallel program does not match the serial build: test test-command differs from the serial build .*line 1: serial ""0"", got ""1"""),
            Is.True, ProcessResult.Tail(build.Output));
        Assert.That(build.Output, Does.Contain("the build's outputs are the serial program (checked: it matches the serial build)"));
        Assert.That(Symbols(dir), Does.Not.Contain("GOMP_parallel"), "no loop of the program the build leaves is parallel");
    }

    [Test]
    public void With_ParaSlmValidateFailure_warn_the_same_build_succeeds_with_a_warning_and_the_serial_program()
    {
        var (build, dir) = Build("validate-differs-warn", "-p:ParaSlmValidateFailure=warn");
        build.ShouldSucceed();
        Assert.That(build.Output, Does.Contain("warning PSLM5004: the final parallel program does not match the serial build"));
        Assert.That(build.Output, Does.Not.Contain("error PSLM"));
        Assert.That(Symbols(dir), Does.Not.Contain("GOMP_parallel"));
    }
}
