using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Validation;

/// <summary>
/// ParaSlmValidate=all on samples/vcxproj with the VC++ stand-in: the ASan variant (EnableASAN, which the stand-in maps
/// to -fsanitize=address) and the differential runs are made by builds the MSBuild task starts, in folders of their
/// own; TSan does not exist for MSVC, and the build says so (PSLM5002) instead of skipping it silently.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class VcxprojValidationTests
{
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private ProcessResult _build = null!;

    private string Intermediate => Path.Combine(_dir, "x64", "Debug", "paraslm");

    [OneTimeSetUp]
    public void BuildSample()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.CopySample("vcxproj", "vcxproj-validate");
        // The sample prints its OpenMP thread count, which differs from the serial build's by design: not compared.
        _build = _workspace.Build(_dir, "ParallelSample.vcxproj",
            "-p:VCTargetsPath=" + Path.Combine(_workspace.Fixtures, "VcxStandIn") + "/", "-p:PlatformToolset=WSL_1_0",
            "-p:ParaSlmValidate=all", "-p:ParaSlmValidateRuns=2", "-p:ParaSlmValidateIgnore=(?i)time|threads:",
            // Every placeholder of a .vcxproj: the program each build made, and its folder (`;` is %3B on MSBuild's command line).
            "-p:ParaSlmValidateTestCommand=cd {build}%3B {exe}").ShouldSucceed();
    }

    [Test]
    public void TSan_is_reported_as_not_available_rather_than_skipped_silently()
    {
        Assert.That(Regex.IsMatch(_build.Output, @"ParallelSample\.vcxproj : warning PSLM5002: tsan validation is not available: .*MSVC has none"), Is.True,
            ProcessResult.Tail(_build.Output));
        var summary = Summary();
        var tsan = summary.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "tsan");
        Assert.That(tsan.GetProperty("status").GetString(), Is.EqualTo("unavailable"));
        Assert.That(File.ReadAllText(Path.Combine(Intermediate, "report", "paraslm-report.md")), Does.Contain("| tsan | unavailable |"));
    }

    [Test]
    public void The_asan_variant_and_the_differential_runs_pass_and_the_final_program_matches_the_serial_build()
    {
        var summary = Summary();
        var asan = summary.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "asan");
        Assert.Multiple(() =>
        {
            Assert.That(asan.GetProperty("status").GetString(), Is.EqualTo("passed"));
            Assert.That(asan.GetProperty("runs").GetInt32(), Is.EqualTo(4), "two runs of its reference (no loop parallel), two with every loop parallel");
            Assert.That(summary.GetProperty("loops").EnumerateArray().Select(l => l.GetProperty("status").GetString()), Is.All.EqualTo("kept"));
            Assert.That(summary.GetProperty("final").GetProperty("status").GetString(), Is.EqualTo("equal"));
        });
        Assert.That(_build.Output, Does.Not.Contain("PSLM5001"));
    }

    [Test]
    public void The_test_command_placeholders_name_each_builds_program_and_folder()
    {
        Assert.That(_build.Output, Does.Not.Contain("PSLM5007"), "{exe} and {build} expanded, and the program ran under ASan");
        var summary = Summary();
        Assert.That(summary.GetProperty("final").GetProperty("runs").GetInt32(), Is.EqualTo(2));
        var args = File.ReadAllLines(Path.Combine(Intermediate, "paraslm.validate.args"));
        Assert.That(args, Does.Contain("cd {build}; {exe}"), "one argument, `;` included");
    }

    [Test]
    public void Each_validation_build_has_its_own_folders_and_only_the_asan_one_is_sanitized()
    {
        var validate = Path.Combine(Intermediate, "validate");
        Assert.That(Path.Combine(validate, "serial", "bin", "ParallelSample.exe"), Does.Exist);
        Assert.That(Path.Combine(validate, "asan", "bin", "ParallelSample.exe"), Does.Exist);
        var links = _build.Output.Split('\n').Where(l => l.Contains(" -o \"", StringComparison.Ordinal) && l.Contains("ParallelSample.exe", StringComparison.Ordinal)).ToList();
        Assert.That(links.Where(l => l.Contains(Path.Combine(validate, "asan"), StringComparison.Ordinal)), Is.All.Contain("-fsanitize=address"));
        Assert.That(links.Where(l => l.Contains("\"bin/x64/Debug/ParallelSample.exe\"", StringComparison.Ordinal)), Is.Not.Empty.And.All.Not.Contain("-fsanitize"),
            "the normal program is not sanitized");
        var run = _workspace.Run(Path.Combine(_dir, "bin", "x64", "Debug", "ParallelSample.exe"), _dir,
            new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "2" }).ShouldSucceed();
        Assert.That(run.StandardOutput, Does.Contain("threads: 2"), "the final program is still the parallel one");
    }

    private JsonElement Summary()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Intermediate, "paraslm.validation.json")));
        return json.RootElement.Clone();
    }
}
