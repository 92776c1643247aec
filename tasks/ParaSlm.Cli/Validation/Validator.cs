using System.Diagnostics;

namespace ParaSlm.Cli.Validation;

/// <summary>A variant build: its tests, or why it did not build.</summary>
public sealed record VariantBuild(IReadOnlyList<TestCase> Tests, string? Error);

/// <summary>
/// How the builds of one project kind are made: the CMake driver configures and builds trees itself; the MSBuild driver
/// asks the build that started it for each build (<see cref="BuildRequiredException"/>).
/// </summary>
public interface IValidationBuilds
{
    /// <summary>Why <paramref name="variant"/> cannot run for this project here (said in PSLM5002), or null.</summary>
    string? Unavailable(string variant);

    /// <summary>The serial reference build's tests.</summary>
    Task<IReadOnlyList<TestCase>> SerialTestsAsync(CancellationToken cancel);

    /// <summary>Builds <paramref name="variant"/> with exactly <paramref name="loops"/> parallel and every other applied loop serial.</summary>
    Task<VariantBuild> BuildAsync(string variant, IReadOnlyList<ValidationLoop> loops, CancellationToken cancel);

    /// <summary>The environment of the variant's runs: sanitizer options and, for TSan, Archer.</summary>
    IReadOnlyDictionary<string, string?> Environment(string variant);
}

/// <summary>The MSBuild driver needs a build from its caller before validation can go on.</summary>
public sealed class BuildRequiredException(StepAction action) : Exception($"validation needs the {action.Kind} build {action.Variant}")
{
    public StepAction Action { get; } = action;
}

/// <summary>What the build must do next for the MSBuild driver: build the serial program, a variant, the final program, or nothing.</summary>
public sealed record StepAction(string Kind, string? Variant, IReadOnlyList<string> Loops);

/// <summary>One variant's verdict.</summary>
/// <param name="Status">passed | reverted | inconclusive | unavailable | build-failed | skipped.</param>
public sealed record VariantResult(string Name, string Status, int Probes, int Runs, IReadOnlyList<int> Threads, double Seconds, string? Message,
    IReadOnlyList<string> Reverted, int Tolerated);

/// <summary>A loop a variant proved wrong in parallel, with what showed it.</summary>
public sealed record LoopRejection(ValidationLoop Loop, string Variant, ProbeFailure Failure);

public sealed record ValidationOutcome(IReadOnlyList<VariantResult> Variants, IReadOnlyList<LoopRejection> Rejections);

/// <summary>
/// Validation proper: per variant, the program with every applied loop parallel is built and run; when it fails, the
/// program with none of them tells whether ParaSlm is to blame at all (findings it shares with that one are not), and
/// bisection over the loops finds the ones that are. A later variant checks only the loops earlier ones kept.
/// </summary>
/// <remarks>
/// Deterministic for given probe results: the MSBuild driver replays it from its memo at every step, so it has no side
/// effects but the memo; warnings, the state and the report are written by the caller from the outcome.
/// </remarks>
public sealed class Validator(IValidationBuilds builds, TestRunner runner, ValidationOptions options, ProbeMemo memo, Action<string> progress)
{
    public async Task<ValidationOutcome> RunAsync(IReadOnlyList<ValidationLoop> loops, CancellationToken cancel)
    {
        var results = new List<VariantResult>();
        var rejections = new List<LoopRejection>();
        var kept = loops.ToList();
        foreach (var variant in options.Variants)
        {
            if (builds.Unavailable(variant) is { } why)
            {
                results.Add(new VariantResult(variant, "unavailable", 0, 0, options.Threads, 0, why, [], 0));
                continue;
            }
            if (kept.Count == 0)
            {
                results.Add(new VariantResult(variant, "skipped", 0, 0, options.Threads, 0, "no parallel loop left to check", [], 0));
                continue;
            }
            var (status, message, reverted) = await ValidateAsync(variant, kept, cancel);
            // From the memo, not from what this pass made: the MSBuild stepper replays probes made in earlier steps.
            var probes = memo.Order.Select(k => memo.Probes[k]).Where(p => p.Variant == variant).ToList();
            var result = new VariantResult(variant, status, probes.Count, probes.Sum(p => p.Runs.Count), options.Threads,
                probes.Sum(p => p.Seconds), message, reverted.Select(r => r.Loop.Id).ToList(), probes.Sum(p => p.Runs.Sum(r => r.Tolerated)));
            results.Add(result);
            rejections.AddRange(reverted);
            kept = kept.Where(l => !reverted.Any(r => r.Loop.Id == l.Id)).ToList();
        }
        return new ValidationOutcome(results, rejections);
    }

    private async Task<(string Status, string? Message, List<LoopRejection> Reverted)> ValidateAsync(string variant, List<ValidationLoop> loops, CancellationToken cancel)
    {
        var none = new HashSet<string>(StringComparer.Ordinal);
        var all = await ProbeAsync(variant, loops, cancel);
        if (all.FailureWith(none) is null) return ("passed", null, []);

        // Is ParaSlm to blame? The same variant with no loop parallel is the user's program under the sanitizer.
        var baseline = await ProbeAsync(variant, [], cancel);
        if (baseline.BuildError is not null)
            return ("build-failed", $"the {variant} build of the program does not build: {baseline.FailureWith(none)!.Evidence}", []);
        var known = baseline.Signatures.ToHashSet(StringComparer.Ordinal);
        if (baseline.FailureWith(known) is { } broken)
            return ("inconclusive", $"the program fails under {variant} even with every loop serial, so {variant} cannot judge the loops: {broken.Evidence}", []);
        var note = known.Count > 0 ? $"{known.Count} finding(s) the program has without ParaSlm's changes are not blamed on loops" : null;
        if (all.FailureWith(known) is null) return ("passed", note, []);

        var culprits = await Bisection.CulpritsAsync<ValidationLoop>([], loops, async set => (await ProbeAsync(variant, set, cancel)).FailureWith(known) is null);
        var reverted = culprits.Select(c =>
        {
            var probe = memo.Probes[ProbeRecord.KeyOf(variant, c.FailingSet.Select(l => l.Id))];
            return new LoopRejection(c.Item, variant, probe.FailureWith(known) ?? new ProbeFailure("failed", "failed"));
        }).ToList();
        return ("reverted", note, reverted);
    }

    private async Task<ProbeRecord> ProbeAsync(string variant, IReadOnlyList<ValidationLoop> set, CancellationToken cancel)
    {
        var key = ProbeRecord.KeyOf(variant, set.Select(l => l.Id));
        if (memo.Probes.TryGetValue(key, out var known)) return known;
        var clock = Stopwatch.StartNew();
        var build = await builds.BuildAsync(variant, set, cancel);
        return await RecordAsync(variant, set.Select(l => l.Id).ToList(), build, clock, cancel);
    }

    /// <summary>Runs the tests of a finished build and stores the probe (the MSBuild driver calls this for the build it asked for).</summary>
    public async Task<ProbeRecord> RecordAsync(string variant, IReadOnlyList<string> loopIds, VariantBuild build, Stopwatch clock, CancellationToken cancel)
    {
        ProbeRecord record;
        if (build.Error is not null)
        {
            record = new ProbeRecord(variant, loopIds, build.Error, [], clock.Elapsed.TotalSeconds);
        }
        else
        {
            var reference = await ReferenceAsync(cancel);
            var runs = await runner.RunAsync(build.Tests, reference, builds.Environment(variant), cancel);
            record = new ProbeRecord(variant, loopIds, null, runs, clock.Elapsed.TotalSeconds);
        }
        memo.Add(ProbeRecord.KeyOf(variant, loopIds), record);
        var failure = record.FailureWith(new HashSet<string>());
        progress($"{variant} with {loopIds.Count} loop(s) parallel: {(failure is null ? "passed" : "failed: " + failure.Evidence)} " +
                 $"({record.Runs.Count} run(s), {record.Seconds:F1} s)");
        return record;
    }

    /// <summary>The serial build's outputs, made once per validation.</summary>
    public async Task<Dictionary<string, ReferenceRun>> ReferenceAsync(CancellationToken cancel)
    {
        if (memo.Reference is { } done) return done;
        var tests = await builds.SerialTestsAsync(cancel);
        if (tests.Count == 0)
            throw new ValidationException("PSLM5006", "found no test to run: the project defines no ctest test and builds no executable. Set ParaSlmValidateTestCommand (--test-command) to the command that runs your tests");
        return memo.Reference = await runner.ReferenceAsync(tests, cancel);
    }
}
