using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Validation;

/// <summary>
/// Reverting in a .vcxproj (VC++ stand-in, a GCC toolset): Fixtures/ValidateVcx declares next_id() pure, but it returns a
/// running counter, so the parallel loop that numbers the items prints another checksum than the serial program. There
/// is no TSan for MSVC; the differential runs of the ASan build catch it, bisection over the builds MSBuild makes pins it
/// on that loop, and the program the build leaves behind is rebuilt without it.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class VcxprojRevertTests
{
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private ProcessResult _build = null!;

    [OneTimeSetUp]
    public void Build()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.Copy(Path.Combine(_workspace.Fixtures, "ValidateVcx"), "vcx-revert");
        _build = _workspace.Build(_dir, "Validate.vcxproj", "-p:VCTargetsPath=" + Path.Combine(_workspace.Fixtures, "VcxStandIn") + "/",
            "-p:PlatformToolset=WSL_1_0", "-p:ParaSlmValidate=asan").ShouldSucceed();
    }

    [Test]
    public void The_loop_behind_the_false_assertion_is_reverted_with_the_differing_output_as_evidence()
    {
        var main = Path.Combine(_dir, "src", "main.c");
        var warning = Regex.Match(_build.Output, @"(?<where>\S+\(\d+,\d+\)): warning PSLM5001: loop reverted: asan found test Validate differs from the serial build with \d+ threads: line 2: serial ""ids: \d+"", got ""ids: \d+""");
        Assert.That(warning.Success, Is.True, ProcessResult.Tail(_build.Output));
        Assert.That(warning.Groups["where"].Value, Is.EqualTo($"{main}(15,5)"));
        Assert.That(Regex.Matches(_build.Output, "warning PSLM5001:").Count, Is.EqualTo(2), "one loop (MSBuild repeats the warning in its summary)");
        var outputs = File.ReadAllLines(Path.Combine(_dir, "x64", "Debug", "paraslm", "paraslm.outputs.tsv")).Select(l => l.Split('\t')).ToDictionary(f => f[0]);
        Assert.That(outputs[main][4], Is.EqualTo("3"), "the other three loops of main.c stay parallel");
    }

    [Test]
    public void The_program_the_build_leaves_prints_what_the_serial_program_prints()
    {
        var serial = _workspace.Run(Path.Combine(_dir, "x64", "Debug", "paraslm", "validate", "serial", "bin", "Validate.exe"), _dir).ShouldSucceed().StandardOutput;
        foreach (var threads in new[] { 2, 4, 8 })
        {
            var run = _workspace.Run(Path.Combine(_dir, "bin", "x64", "Debug", "Validate.exe"), _dir,
                new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = threads.ToString() }).ShouldSucceed();
            Assert.That(run.StandardOutput, Is.EqualTo(serial), $"{threads} threads");
        }
        Assert.That(_build.Output, Does.Contain("final program equals the serial build in 3/3 run(s)"));
    }
}
