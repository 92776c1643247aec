using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Validation;

/// <summary>
/// ParaSlmValidate=all on a CMake project consumed the documented way (`dotnet build app.proj`), with a false purity
/// assertion: Fixtures/ValidateApp has five parallelizable loops in kernels.c (two more in main.c), and `tag()` calls
/// `bump()`, defined in counter.c, which writes a global counter. ParaSlmAssumePure=bump makes that loop parallel;
/// TSan (clang, libomp, Archer) must find the race, bisection must pin it on that loop alone, and the final program
/// must print what the serial one prints, every run.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class CMakeValidationTests
{
    private static readonly string[] Settings = ["-p:ParaSlmValidate=all", "-p:ParaSlmAssumePure=bump"];
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private ProcessResult _build = null!;

    private string Intermediate => Path.Combine(_dir, "obj", "Debug", "net10.0", "paraslm");
    private string Kernels => Path.Combine(_dir, "src", "kernels.c");

    [OneTimeSetUp]
    public void BuildOnce()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.Copy(Path.Combine(_workspace.Fixtures, "ValidateApp"), "validate");
        _build = _workspace.Build(_dir, "app.proj", [.. Settings, "-p:CustomAfterParaSlmTargets=" + Path.Combine(_workspace.Fixtures, "HookApp", "validate-hooks.targets")])
            .ShouldSucceed();
    }

    [Test, Order(1)]
    public void The_race_behind_the_false_assertion_is_found_by_tsan_and_reported_at_the_loop()
    {
        // tag()'s loop: `for` on line 33, column 5 of kernels.c.
        var warning = Regex.Match(_build.Output, @"(?<where>\S+\(\d+,\d+\)): warning PSLM5001: loop reverted: tsan found ThreadSanitizer: data race at \S+counter\.c:\d+:\d+ in bump \(on 'calls'\)");
        Assert.That(warning.Success, Is.True, ProcessResult.Tail(_build.Output));
        Assert.That(warning.Groups["where"].Value, Is.EqualTo($"{Kernels}(33,5)"));
        Assert.That(_build.Output, Does.Contain("The loop calls bump, which ParaSlmAssumePure declares free of side effects"));
        Assert.That(Regex.Matches(_build.Output, @"warning PSLM5001:").Count, Is.EqualTo(2), "one warning (MSBuild repeats it in its summary)");
    }

    [Test, Order(1)]
    public void ParaSlmBeforeValidate_and_ParaSlmAfterValidate_run_around_validation()
    {
        var before = _build.Output.IndexOf("hook: before validate", StringComparison.Ordinal);
        var summary = _build.Output.IndexOf("ParaSlm: validation (", StringComparison.Ordinal);
        var after = _build.Output.IndexOf("hook: after validate, summary written: True", StringComparison.Ordinal);
        Assert.That(new[] { before, summary, after }, Is.All.GreaterThanOrEqualTo(0), ProcessResult.Tail(_build.Output));
        Assert.That(before, Is.LessThan(summary));
        Assert.That(summary, Is.LessThan(after));
    }

    [Test, Order(2)]
    public void Bisection_reverts_only_that_loop_and_the_others_stay_parallel()
    {
        var tsv = File.ReadAllLines(Path.Combine(Intermediate, "paraslm.outputs.tsv")).Select(l => l.Split('\t')).ToDictionary(f => f[0]);
        Assert.That(tsv[Kernels][2], Is.EqualTo("rewritten"));
        Assert.That(tsv[Kernels][4], Is.EqualTo("4"), "scale, total, rows and largest stay parallel");
        var rewritten = File.ReadAllText(tsv[Kernels][1]);
        var tag = rewritten.IndexOf("void tag(", StringComparison.Ordinal);
        var largest = rewritten.IndexOf("long largest(", StringComparison.Ordinal);
        Assert.That(rewritten[tag..largest], Does.Not.Contain("#pragma omp"), "tag's loop is serial again");
        Assert.That(Regex.Matches(rewritten, "#pragma omp parallel for").Count, Is.EqualTo(4));

        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(Intermediate, "paraslm.state.json")));
        var rejected = state.RootElement.GetProperty("Rejected").EnumerateArray().ToList();
        Assert.That(rejected.Select(r => r.GetProperty("Function").GetString()), Is.EqualTo(new[] { "tag" }));
        Assert.That(rejected[0].GetProperty("Variant").GetString(), Is.EqualTo("tsan"));
    }

    [Test, Order(3)]
    public void The_final_program_prints_what_the_serial_build_prints_in_every_run()
    {
        var serial = _workspace.Run(Path.Combine(_dir, "build", "paraslm-serial", "app"), _dir).ShouldSucceed().StandardOutput;
        Assert.That(serial, Does.Contain("calls: 20000"));
        foreach (var threads in new[] { 2, 4, 8, 2, 4, 8 })
        {
            var run = _workspace.Run(Path.Combine(_dir, "build", "paraslm", "app"), _dir,
                new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = threads.ToString() }).ShouldSucceed();
            Assert.That(run.StandardOutput, Is.EqualTo(serial), $"{threads} threads");
        }
    }

    [Test, Order(4)]
    public void The_report_has_the_validation_per_variant_and_per_loop_and_its_time()
    {
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Intermediate, "report", "paraslm-report.json")));
        var v = report.RootElement.GetProperty("validation");
        var variants = v.GetProperty("variants").EnumerateArray().ToDictionary(x => x.GetProperty("name").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(variants["tsan"].GetProperty("status").GetString(), Is.EqualTo("reverted"));
            Assert.That(variants["tsan"].GetProperty("probes").GetInt32(), Is.GreaterThanOrEqualTo(3), "the full set, the baseline, then bisection");
            Assert.That(variants["asan"].GetProperty("status").GetString(), Is.EqualTo("passed"));
            Assert.That(v.GetProperty("seconds").GetDouble(), Is.GreaterThan(0));
            Assert.That(v.GetProperty("final").GetProperty("status").GetString(), Is.EqualTo("equal"));
            var loops = v.GetProperty("loops").EnumerateArray().ToList();
            Assert.That(loops, Has.Count.EqualTo(7));
            Assert.That(loops.Single(l => l.GetProperty("status").GetString() == "reverted").GetProperty("function").GetString(), Is.EqualTo("tag"));
            Assert.That(loops.Single(l => l.GetProperty("function").GetString() == "tag").GetProperty("detail").GetString(), Does.Contain("Location is global 'calls'"));
        });
        var plans = report.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("file").GetString() == Kernels).GetProperty("plans").EnumerateArray().ToList();
        var tagPlan = plans.Single(p => p.GetProperty("function").GetString() == "tag");
        Assert.That(tagPlan.GetProperty("action").GetString(), Is.EqualTo("sequential"));
        Assert.That(tagPlan.GetProperty("code").GetString(), Is.EqualTo("PSLM5001"));
        Assert.That(plans.Single(p => p.GetProperty("function").GetString() == "scale").GetProperty("validation").GetString(), Is.EqualTo("passed: tsan, asan"));
        var md = File.ReadAllText(Path.Combine(Intermediate, "report", "paraslm-report.md"));
        Assert.That(md, Does.Contain("## Validation").And.Contain("| tsan | reverted |").And.Contain("| final program | equal |"));
    }

    [Test, Order(5)]
    public void Variants_build_in_their_own_trees_and_leave_the_normal_outputs_alone()
    {
        static string Commands(string tree) => File.ReadAllText(Path.Combine(tree, "compile_commands.json"));
        var build = Path.Combine(_dir, "build");
        Assert.Multiple(() =>
        {
            Assert.That(Commands(Path.Combine(build, "paraslm-tsan")), Does.Contain("-fsanitize=thread").And.Contain("clang"));
            Assert.That(Commands(Path.Combine(build, "paraslm-asan")), Does.Contain("-fsanitize=address,undefined"));
            // A project's -Werror must not fail a variant on warnings only the sanitizer build gives (cJSON's asan variant).
            Assert.That(Commands(Path.Combine(build, "paraslm-asan")), Does.Contain("-Wno-error"));
            Assert.That(Commands(Path.Combine(build, "paraslm-tsan")), Does.Contain("-Wno-error"));
            Assert.That(Commands(Path.Combine(build, "paraslm")), Does.Not.Contain("-Wno-error"), "the user's own build keeps their -Werror");
            Assert.That(Commands(Path.Combine(build, "paraslm")), Does.Not.Contain("-fsanitize"));
            Assert.That(Commands(Path.Combine(build, "paraslm-serial")), Does.Not.Contain("-fsanitize").And.Not.Contain("-fopenmp"));
        });
    }

    [Test, Order(6)]
    public void A_second_build_does_not_validate_again_and_the_loop_stays_serial()
    {
        var again = _workspace.Build(_dir, "app.proj", Settings).ShouldSucceed();
        Assert.That(again.Output, Does.Contain("Skipping target \"_ParaSlmValidateCMakeRun\""));
        Assert.That(again.Output, Does.Not.Contain("PSLM5001"));
        var tsv = File.ReadAllLines(Path.Combine(Intermediate, "paraslm.outputs.tsv")).Select(l => l.Split('\t')).ToDictionary(f => f[0]);
        Assert.That(tsv[Kernels][4], Is.EqualTo("4"));
    }

    [Test, Order(7)]
    public void Clean_removes_the_variant_trees()
    {
        _workspace.Dotnet(_dir, "clean", "app.proj", "-nodeReuse:false", "-v:n", "-tl:off").ShouldSucceed();
        Assert.That(Path.Combine(_dir, "build", "paraslm-tsan"), Does.Not.Exist);
        Assert.That(Path.Combine(_dir, "build", "paraslm-asan"), Does.Not.Exist);
    }
}
