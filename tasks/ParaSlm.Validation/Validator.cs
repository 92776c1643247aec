using System.Diagnostics;

namespace ParaSlm.Validation;

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

    /// <summary>Whether <see cref="BuildAsync"/> builds right away, so that a variant's reference can be rebuilt and run
    /// again in the middle of a probe to confirm a difference (the MSBuild stepper cannot: its builds come from MSBuild).</summary>
    bool BuildsInProcess => true;
}

/// <summary>The MSBuild driver needs a build from its caller before validation can go on.</summary>
public sealed class BuildRequiredException(StepAction action) : Exception($"validation needs the {action.Kind} build {action.Variant}")
{
    public StepAction Action { get; } = action;
}

/// <summary>What the build must do next for the MSBuild driver: build the serial program, a variant, the final program, or nothing.</summary>
public sealed record StepAction(string Kind, string? Variant, IReadOnlyList<string> Loops);

/// <summary>One variant's verdict.</summary>
/// <param name="Status">passed | reverted | inconclusive | unavailable | build-failed | too-slow | timed-out | skipped.</param>
/// <param name="Ignored">Output lines of the variant's reference left out of the comparisons (or compared in part), with why.</param>
public sealed record VariantResult(string Name, string Status, int Probes, int Runs, IReadOnlyList<int> Threads, double Seconds, string? Message,
    IReadOnlyList<string> Reverted, int Tolerated, IReadOnlyList<string>? Ignored = null);

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
/// <param name="serialTests">The serial build's tests for <see cref="Confirmation"/>'s fresh runs (null: the builds' own).</param>
public sealed class Validator(IValidationBuilds builds, TestRunner runner, ValidationOptions options, ProbeMemo memo, Action<string> progress,
    Func<CancellationToken, Task<IReadOnlyList<TestCase>>>? serialTests = null)
{
    /// <summary>Confirms every output difference (probes, bisection steps, the final check) before it counts.</summary>
    public DifferenceConfirmation Confirmation { get; } = new(runner, runner.Comparer, memo, serialTests ?? builds.SerialTestsAsync, progress);

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
            // What the confirmations of this variant's differences found, so that the verdict says it.
            var notes = memo.Confirmations.Where(n => n.Variant == variant).Select(n => $"test {n.Test}: {n.Text}").Distinct().ToList();
            if (notes.Count > 0) message = string.Join("; ", new[] { message }.Where(m => m is { Length: > 0 }).Concat(notes));
            // From the memo, not from what this pass made: the MSBuild stepper replays probes made in earlier steps.
            var probes = memo.Order.Select(k => memo.Probes[k]).Where(p => p.Variant == variant).ToList();
            var result = new VariantResult(variant, status, probes.Count, probes.Sum(p => p.Runs.Count), options.Threads,
                probes.Sum(p => p.Seconds), message, reverted.Select(r => r.Loop.Id).ToList(), probes.Sum(p => p.Runs.Sum(r => r.Tolerated)),
                memo.VariantReferences.TryGetValue(variant, out var reference) ? reference.Values.SelectMany(r => r.Ignored ?? []).Select(i => i.ToString()).ToList() : null);
            results.Add(result);
            rejections.AddRange(reverted);
            kept = kept.Where(l => !reverted.Any(r => r.Loop.Id == l.Id)).ToList();
        }
        return new ValidationOutcome(results, rejections);
    }

    private async Task<(string Status, string? Message, List<LoopRejection> Reverted)> ValidateAsync(string variant, List<ValidationLoop> loops, CancellationToken cancel)
    {
        var none = new HashSet<string>(StringComparer.Ordinal);
        // The reference first: the same build with no loop parallel (same compiler, same sanitizer flags), so a
        // difference the compiler or the sanitizer makes is never blamed on a loop. It is the program without ParaSlm's
        // changes: what it reports by itself (UBSan on serial code) is known, and no loop is blamed for it.
        var baseline = await ProbeAsync(variant, [], cancel);
        if (baseline.BuildError is not null)
            return ("build-failed", $"the {variant} build of the program does not build: {baseline.FailureWith(none)!.Evidence}", []);
        var reference = memo.VariantReferences[variant];
        // First: a run killed before it started the program proves nothing about the program.
        if (reference.Values.FirstOrDefault(r => r.TimedOut) is { } slow)
            return ("too-slow", $"test {slow.Test} under {variant} did not finish within {TimeoutOf(slow)} s (ParaSlmValidateTimeout), so validating the whole " +
                "program this way would take too long: set ParaSlmValidateTestCommand to a shorter run of your tests (a smaller input), or raise ParaSlmValidateTimeout", []);
        if (reference.Values.All(r => r.Started == 0))
            throw new ValidationException("PSLM5007", $"the tests ran no program of the {variant} build ({string.Join(", ", reference.Keys)}): " +
                "no sanitized process started, so nothing was checked. Set ParaSlmValidateTestCommand to a command that runs the built program " +
                "({exe}, {exe:TARGET} or {build}/PATH)");
        var known = ReferenceRun.FindingSignatures(reference.Values);
        if (reference.Values.SelectMany(r => r.Findings ?? []).FirstOrDefault(f => f.Tool != "ubsan") is { } broken)
            return ("inconclusive", $"the program fails under {variant} even with every loop serial, so {variant} cannot judge the loops: {broken.Summary}", []);
        var note = known.Count > 0 ? $"{known.Count} finding(s) the program has without ParaSlm's changes are not blamed on loops" : null;

        // Lines found to vary by themselves since a probe was recorded no longer fail it (DifferenceConfirmation).
        IReadOnlyCollection<int> Varying(string test) => reference.TryGetValue(test, out var r) ? Confirmation.VaryingFor(test, r.Output) : [];
        TestScope ScopeOf(string test) => memo.Scopes.TryGetValue(variant, out var scopes) && scopes.TryGetValue(test, out var scope) ? scope
            : TestScope.Unknown("which programs it runs is not known");
        // An output difference can only come from a loop in the programs its test runs: a probe whose parallel loops all
        // lie elsewhere did not cause it (the test's programs are the reference's), so it does not fail that probe.
        ProbeFailure? Blame(ProbeRecord probe, IReadOnlyList<ValidationLoop> set)
        {
            var f = probe.FailureWith(known, Varying);
            return f is { IsDifference: true } && ScopeOf(f.Test!) is { Known: true } scope && !set.Any(l => scope.Holds(l.File)) ? null : f;
        }

        var all = await ProbeAsync(variant, loops, cancel);
        var failure = Blame(all, loops);
        if (failure is null)
            return ("passed", all.FailureWith(known, Varying) is { } elsewhere
                ? Join(note, $"{elsewhere.Evidence}, but test {elsewhere.Test} {ScopeOf(elsewhere.Test!).Why}, which holds none of the parallel loops, so no loop is blamed") : note, []);
        // A run that ran out of time showed no race and no difference: on a loaded machine every run is slower, so a
        // timeout blames no loop (PSLM5009, never a revert); the loops stay as the analyzer judged them, unchecked here.
        if (failure.TimedOut)
            return ("timed-out", $"{failure.Evidence} with all {loops.Count} loop(s) parallel (its reference run took " +
                $"{reference.Values.Sum(r => r.Seconds):F1} s), so {variant} could not judge the loops; a timeout is not evidence of a race", []);

        // An output difference: only the loops in the sources of the test's programs are candidates (a sanitizer report
        // is located by its stack instead). With only those parallel the difference must show again, or nothing is blamed.
        var candidates = loops;
        string? scopeNote = null;
        if (failure.IsDifference)
        {
            var scope = ScopeOf(failure.Test!);
            if (!scope.Known)
            {
                scopeNote = $"test {failure.Test}: {scope.Why}, so every loop could be blamed for its difference";
            }
            else
            {
                candidates = loops.Where(l => scope.Holds(l.File)).ToList();
                scopeNote = $"test {failure.Test} {scope.Why}, whose sources hold {candidates.Count} of the {loops.Count} parallel loop(s); loops in other programs cannot change its output and are not blamed";
                if (candidates.Count < loops.Count)
                {
                    var own = await ProbeAsync(variant, candidates, cancel);
                    var again = Blame(own, candidates);
                    if (again is null)
                        return ("passed", Join(note, $"{failure.Evidence} with all {loops.Count} loop(s) parallel, but not with only the {candidates.Count} loop(s) " +
                            $"in the programs test {failure.Test} runs ({scope.Why}), so no loop is blamed"), []);
                    if (again.TimedOut)
                        return ("timed-out", $"{again.Evidence} with the {candidates.Count} loop(s) of {scope.Why} parallel, so {variant} could not judge the loops; a timeout is not evidence of a race", []);
                    failure = again;
                }
            }
        }

        var culprits = await Bisection.CulpritsAsync<ValidationLoop>([], candidates, async set => Blame(await ProbeAsync(variant, set, cancel), set) is null);
        var spared = new List<string>();
        var reverted = new List<LoopRejection>();
        foreach (var c in culprits)
        {
            var probe = memo.Probes[ProbeRecord.KeyOf(variant, c.FailingSet.Select(l => l.Id))];
            var own = Blame(probe, c.FailingSet);
            var evidence = own is not null and not { TimedOut: true } ? own : failure;
            // Never blamed for a difference in a program it is not part of (a single candidate is taken as the culprit
            // without a probe of its own, so this holds even where the probes said nothing about it).
            if (evidence.IsDifference && ScopeOf(evidence.Test!) is { Known: true } scope && !scope.Holds(c.Item.File))
            {
                spared.Add($"{c.Item.Where} was not blamed for the difference in test {evidence.Test}, which {scope.Why} (not its source)");
                continue;
            }
            var located = EvidenceLocator.Locate(evidence, loops);
            if (evidence.IsDifference && scopeNote is not null) located = located with { Evidence = $"{located.Evidence} ({scopeNote})" };
            // Bisection started from a real failure; a narrowing probe that only timed out could not clear its loops, so
            // they stay serial to be safe, with the real failure as their evidence and the timeout said, not blamed.
            if (!ReferenceEquals(evidence, own))
                located = located with
                {
                    Evidence = $"{located.Evidence}; the probe that would have cleared this loop {(own is null ? "did not fail" : own.Evidence)}, so it stays serial to be safe",
                };
            reverted.Add(new LoopRejection(c.Item, variant, located));
        }
        var message = Join(note, string.Join("; ", spared));
        return reverted.Count > 0 ? ("reverted", Join(message, scopeNote), reverted) : ("passed", Join(message, $"{failure.Evidence}, but no loop of the programs it runs could be blamed"), reverted);
    }

    private static string? Join(string? a, string? b) => string.IsNullOrEmpty(a) ? (string.IsNullOrEmpty(b) ? null : b) : string.IsNullOrEmpty(b) ? a : a + "; " + b;

    private string TimeoutOf(ReferenceRun r) => $"{options.RunTimeoutSeconds ?? r.Seconds:F0}";

    private async Task<ProbeRecord> ProbeAsync(string variant, IReadOnlyList<ValidationLoop> set, CancellationToken cancel)
    {
        var key = ProbeRecord.KeyOf(variant, set.Select(l => l.Id));
        if (memo.Probes.TryGetValue(key, out var known)) return known;
        var clock = Stopwatch.StartNew();
        var build = await builds.BuildAsync(variant, set, cancel);
        // A difference is confirmed on the variant's own reference: its tree is rebuilt with no loop parallel for the
        // fresh runs, then with this probe's loops again.
        var rebuild = set.Count == 0 || !builds.BuildsInProcess ? null : new ReferenceRebuild(
            async c => (await builds.BuildAsync(variant, [], c)) is { Error: null } b ? b.Tests : [],
            async c =>
            {
                if ((await builds.BuildAsync(variant, set, c)).Error is { } error)
                    throw new ValidationException("PSLM5006", $"the {variant} probe could not be rebuilt after its reference ran again: {RejectionRecorder.Short(error)}");
            },
            builds.Environment(variant));
        return await RecordAsync(variant, set.Select(l => l.Id).ToList(), build, clock, cancel, rebuild);
    }

    /// <summary>
    /// Runs the tests of a finished build and stores the probe (the MSBuild driver calls this for the build it asked
    /// for). The build with no loop parallel is the variant's reference: its tests run twice, apart, and become what
    /// the variant's other probes are compared with.
    /// </summary>
    /// <param name="rebuild">How to run the variant's reference again to confirm a difference; null: the serial build is run again.</param>
    public async Task<ProbeRecord> RecordAsync(string variant, IReadOnlyList<string> loopIds, VariantBuild build, Stopwatch clock, CancellationToken cancel,
        ReferenceRebuild? rebuild = null)
    {
        ProbeRecord record;
        if (build.Error is not null)
        {
            record = new ProbeRecord(variant, loopIds, build.Error, [], clock.Elapsed.TotalSeconds);
        }
        else if (loopIds.Count == 0)
        {
            if (build.Tests.Count == 0)
                throw new ValidationException("PSLM5006", "found no test to run: the project defines no ctest test and builds no executable. Set ParaSlmValidateTestCommand (--test-command) to the command that runs your tests");
            var reference = await runner.ReferenceAsync(build.Tests, cancel, builds.Environment(variant), $"{variant} reference (no loop parallel)");
            memo.VariantReferences[variant] = reference;
            memo.Scopes[variant] = build.Tests.Where(t => t.Scope is not null).ToDictionary(t => t.Name, t => t.Scope!, StringComparer.Ordinal);
            // Two runs per test (the second only when the first finished), counted as the variant's runs.
            var runs = reference.Values.SelectMany(r => Enumerable.Repeat(new RunRecord(r.Test, 1, r.ExitCode, r.TimedOut, r.Seconds, null, 0, r.Findings ?? [], r.Started),
                r.TimedOut ? 1 : 2)).ToList();
            record = new ProbeRecord(variant, loopIds, null, runs, clock.Elapsed.TotalSeconds);
            progress($"each {variant} probe will take about {reference.Values.Sum(r => r.Seconds) * options.Runs:F0} s of test runs ({options.Runs} round(s)) plus its build");
        }
        else
        {
            var reference = memo.VariantReferences.TryGetValue(variant, out var r) ? r
                : throw new InvalidOperationException($"the {variant} reference must be made before its probes");
            var runs = await runner.RunAsync(build.Tests, reference, builds.Environment(variant), cancel, Confirmation, variant, rebuild);
            record = new ProbeRecord(variant, loopIds, null, runs, clock.Elapsed.TotalSeconds);
        }
        memo.Add(ProbeRecord.KeyOf(variant, loopIds), record);
        // The line says what the verdict will weigh: a sanitizer report the program makes by itself (its own
        // -fsanitize=undefined, libfixmath's overflow tests) and lines its reference printed differently in two runs are
        // no failure of a probe (ValidateAsync judges with the same sets), so "failed" here never precedes a pass.
        var own = memo.VariantReferences.TryGetValue(variant, out var variantReference) ? variantReference : null;
        var known = own is null ? [] : ReferenceRun.FindingSignatures(own.Values);
        var failure = record.FailureWith(known, own is null ? null : test => own.TryGetValue(test, out var rr) ? Confirmation.VaryingFor(test, rr.Output) : []);
        if (loopIds.Count == 0 && record.BuildError is null && record.Runs.SelectMany(r => r.Findings).DistinctBy(f => f.Signature).ToList() is { Count: > 0 } itself)
            progress($"{variant} reference (no loop parallel): {itself.Count} sanitizer finding(s) of the program itself, without ParaSlm's changes; " +
                     $"no loop is blamed for them: {itself[0].Summary} ({record.Runs.Count} run(s), {record.Seconds:F1} s)");
        else if (loopIds.Count > 0 || failure is not null)
            progress($"{variant} with {loopIds.Count} loop(s) parallel: {(failure is null ? "passed" : "failed: " + failure.Evidence)} " +
                     $"({record.Runs.Count} run(s), {record.Seconds:F1} s)");
        return record;
    }

    /// <summary>The serial build's outputs (what the final program is compared with), made once per validation.</summary>
    public async Task<Dictionary<string, ReferenceRun>> ReferenceAsync(CancellationToken cancel)
    {
        if (memo.Reference is { } done) return done;
        var tests = await builds.SerialTestsAsync(cancel);
        if (tests.Count == 0)
            throw new ValidationException("PSLM5006", "found no test to run: the project defines no ctest test and builds no executable. Set ParaSlmValidateTestCommand (--test-command) to the command that runs your tests");
        return memo.Reference = await runner.ReferenceAsync(tests, cancel);
    }
}
