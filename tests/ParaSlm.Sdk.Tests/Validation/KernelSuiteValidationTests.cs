using System.Text.Json;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Validation;

/// <summary>
/// The sample kernel suite (samples/kernels: eleven correct programs, every loop ParaSlm parallelizes in them safe)
/// validated with ParaSlmValidate=all and ten runs per probe must raise no alarm at all: no reverted loop, no variant
/// that is not "passed", the final program equal to the serial build in every run. The suite is built with
/// PARASLM_KERNELS_SMALL (same code and loops, small inputs) so that 3 × 110 sanitizer and final runs fit the test
/// suite; `.ci/bench-validate` runs the real sizes and prints the cost.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class KernelSuiteValidationTests
{
    private const int Runs = 10;
    private const int Kernels = 11;
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private ProcessResult _build = null!;

    [OneTimeSetUp]
    public void BuildOnce()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.CopySample("kernels", "kernel-suite");
        _build = _workspace.Build(_dir, "app.proj", "-p:ParaSlmValidate=all", $"-p:ParaSlmValidateRuns={Runs}",
            "-p:ParaSlmCMakeArgs=-DPARASLM_KERNELS_SMALL=ON").ShouldSucceed();
    }

    [Test]
    public void The_clean_kernel_suite_validates_with_zero_false_alarms_over_ten_runs()
    {
        Assert.That(_build.Output, Does.Not.Match(@"warning PSLM5\d\d\d"), ProcessResult.Tail(_build.Output));
        Assert.That(_build.Output, Does.Match(@"ParaSlm: validation \(tsan passed, asan passed\): (\d+) parallel loop\(s\), \1 kept, 0 reverted; " +
                                              $@"final program equals the serial build in {Runs * Kernels}/{Runs * Kernels} run\(s\)"));

        var report = Path.Combine(_dir, "obj", "Debug", "net10.0", "paraslm", "report", "paraslm-report.json");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var v = json.RootElement.GetProperty("validation");
        var loops = v.GetProperty("loops").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            foreach (var variant in v.GetProperty("variants").EnumerateArray())
            {
                var name = variant.GetProperty("name").GetString();
                Assert.That(variant.GetProperty("status").GetString(), Is.EqualTo("passed"), name);
                Assert.That(variant.GetProperty("probes").GetInt32(), Is.EqualTo(2), $"{name}: its reference (no loop parallel) and every loop parallel; no failure, so no bisection");
                Assert.That(variant.GetProperty("runs").GetInt32(), Is.EqualTo((Runs + 2) * Kernels), $"{name}: every kernel, twice for the reference and every run");
                Assert.That(variant.GetProperty("threads").EnumerateArray().Select(t => t.GetInt32()), Is.EqualTo(new[] { 2, 4, 8 }));
            }
            Assert.That(v.GetProperty("variants").EnumerateArray().Select(x => x.GetProperty("name").GetString()), Is.EqualTo(new[] { "tsan", "asan" }));
            Assert.That(v.GetProperty("final").GetProperty("status").GetString(), Is.EqualTo("equal"));
            Assert.That(loops, Has.Count.GreaterThanOrEqualTo(15), "the suite's parallel loops at the small size (the cost model keeps loops too small to pay serial)");
            Assert.That(loops.Select(l => l.GetProperty("status").GetString()), Is.All.EqualTo("kept"));
            Assert.That(loops.Select(l => Path.GetFileNameWithoutExtension(l.GetProperty("file").GetString())).Distinct().Count(), Is.GreaterThanOrEqualTo(9),
                "loops from the nine kernels whose hot loop is parallel");
        });
    }
}
