using System.Diagnostics;
using ParaSlm.Engine;

namespace ParaSlm.Validation;

/// <summary>The .vcxproj stepper's inputs: which step this is, and the program the normal build links.</summary>
public sealed record MSBuildStepSettings(int Step, string Program, string? Toolset);

/// <summary>Everything `paraslm validate` was given.</summary>
/// <param name="Project">The project file, where warnings that are not about one loop are reported.</param>
public sealed record SessionSettings(string RequestPath, EngineRequest Request, ValidationOptions Options, string? Project, CMakeSettings? CMake,
    MSBuildStepSettings? MSBuild);

/// <summary>
/// One `paraslm validate`: bring the engine's outputs up to date, validate the applied loops variant by variant,
/// make the rejections stick (engine state, plan cache, PSLM5001 at each loop), let the engine write the outputs
/// without them, rebuild the final program and check it against the serial build, and report.
/// </summary>
/// <remarks>
/// CMake projects run in one go: this class drives cmake and the tests itself. A .vcxproj runs as a series of steps
/// (see <see cref="MSBuildBuilds"/>): each step replays <see cref="Validator"/> from its memo until it needs a build,
/// writes what to build (`next.action`, `next.properties`) and returns; the build makes it and starts the next step.
/// </remarks>
/// <param name="progress">Where progress lines go while it runs (the CLI: stderr, which the build shows at once even at
/// minimal verbosity; validation can take many minutes). Results and warnings go to <paramref name="output"/>.</param>
/// <param name="azure">In Azure Pipelines: where the diagnostics are queued as issues.</param>
public sealed class ValidationSession(SessionSettings settings, TextWriter output, TextWriter? progress = null, AzureDevOpsLog? azure = null)
{
    private readonly DiagnosticLog _log = new(output, azure);

    /// <summary>Every diagnostic of the run, as data.</summary>
    public IReadOnlyList<Diagnostic> Reported => _log.Reported;

    /// <summary>Reports a diagnostic the way the session does (at the project when it has no file).</summary>
    public void Report(Diagnostic diagnostic) => _log.Report(diagnostic, Origin);

    private string Inter => Path.GetFullPath(settings.Request.IntermediateDir);
    private string WorkDir => Path.Combine(Inter, "validate");
    private string StatePath => Path.Combine(Inter, "paraslm.state.json");
    private ValidationOptions Options => settings.Options;
    private string Origin => settings.Project ?? settings.Request.ProjectDir ?? "paraslm";

    public async Task<int> RunCMakeAsync(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        await ApplyAsync(cancel);
        var (loops, hashes) = LoadLoops();
        var memo = new ProbeMemo();
        var runner = Runner();
        if (loops.Count == 0) return await NothingToDoAsync(clock.Elapsed.TotalSeconds, cancel);
        Progress($"{loops.Count} parallel loop(s), variants {string.Join(", ", Options.Variants)}, " +
                         $"{Options.Runs} run(s) per probe with {string.Join("/", Options.Threads)} threads");
        var builds = new CMakeBuilds(settings.CMake!, Options, loops, hashes, Progress, Report);
        var validator = new Validator(builds, runner, Options, memo, Progress);
        var outcome = await validator.RunAsync(loops, cancel);
        await PersistAsync(outcome, cancel);

        FinalCheck final;
        var finalRejections = new List<LoopRejection>();
        // Only a program some variant judged is checked (and, when it differs, reverted): a variant too slow or unable to
        // judge leaves the loops unchecked, and says so.
        if (!outcome.Variants.Any(v => v.Status is "passed" or "reverted"))
        {
            final = new FinalCheck("not-run", 0, Options.Threads, 0, "no variant could judge the loops, so the final program was not checked", 0);
        }
        else
        {
            var reference = await validator.ReferenceAsync(cancel);
            async Task<FinalCheck> CheckAsync()
            {
                var finalClock = Stopwatch.StartNew();
                var build = await builds.BuildFinalAsync(cancel);
                return build.Error is not null
                    ? new FinalCheck("build-failed", 0, Options.Threads, finalClock.Elapsed.TotalSeconds, RejectionRecorder.Short(build.Error), 0, build.Error)
                    : await FinalCheckAsync(runner, build.Tests, reference, memo, validator.Confirmation, finalClock, cancel);
            }
            final = await CheckAsync();
            if (final.Status is "different" or "build-failed")
            {
                // PSLM5004: the program that differs must not be what the build leaves behind.
                finalRejections = await RevertAllAsync(loops, outcome, final, cancel);
                var elsewhere = _finalScope is { Known: true } scope && final.Status == "different"
                    ? loops.Count(l => !scope.Holds(l.File) && outcome.Rejections.All(r => r.Loop.Id != l.Id)) : 0;
                // Only when loops were kept does the message differ from "every loop reverted".
                if (elsewhere > 0)
                    final = final with { Kept = $"test {_finalTest} {_finalScope!.Why}; the {elsewhere} loop(s) in other programs were kept (they cannot change its output)" };
                var again = await CheckAsync();
                final = final with { RevertedToSerial = true, AfterRevert = again.Status, Seconds = final.Seconds + again.Seconds };
            }
        }
        await FinishAsync(loops, outcome with { Rejections = [.. outcome.Rejections, .. finalRejections] }, final, clock.Elapsed.TotalSeconds, cancel);
        return 0;
    }

    /// <summary>
    /// The final program differs from the serial build (or could not be rebuilt) although no loop was blamed: every loop
    /// still parallel is reverted for this project (engine state, variant `final`: it stays serial until its code
    /// changes; the plan cache is not told, since no loop was shown wrong) and the engine writes serial outputs.
    /// </summary>
    private async Task<List<LoopRejection>> RevertAllAsync(IReadOnlyList<ValidationLoop> loops, ValidationOutcome outcome, FinalCheck final, CancellationToken cancel)
    {
        var evidence = $"PSLM5004: the final program {(final.Status == "different" ? "differs from the serial build" : "could not be rebuilt")}: {final.Message}";
        // A difference in a test whose programs are known reverts only the loops in their sources: a loop in another
        // executable cannot change that output. Not known (a script, a .vcxproj): every loop, as before.
        var scope = final.Status == "different" ? _finalScope : null;
        if (scope is { Known: true }) evidence += $" (test {_finalTest} {scope.Why}; loops in other programs are kept)";
        else if (final.Status == "different") evidence += $" (which programs test {_finalTest} runs is not known{(scope is null ? string.Empty : ": " + scope.Why)}, so every loop is reverted)";
        var all = loops.Where(l => outcome.Rejections.All(r => r.Loop.Id != l.Id) && (scope is not { Known: true } || scope.Holds(l.File)))
            .Select(l => new LoopRejection(l, "final", new ProbeFailure(evidence, final.Detail ?? final.Message ?? evidence))).ToList();
        RejectionRecorder.AddToState(StatePath, all, DateTimeOffset.UtcNow);
        await ApplyAsync(cancel);
        Progress($"the final program {(final.Status == "different" ? "differs from the serial build" : "could not be rebuilt")}: all {all.Count} remaining parallel loop(s) reverted, rebuilding the serial program");
        return all;
    }

    /// <summary>One step of the .vcxproj validation; writes `next.action` (build | done) and `next.properties`.</summary>
    public async Task<int> RunStepAsync(CancellationToken cancel)
    {
        var step = settings.MSBuild!;
        Directory.CreateDirectory(WorkDir);
        var memoPath = Path.Combine(WorkDir, "paraslm.validate.memo.json");
        if (step.Step <= 1)
        {
            await ApplyAsync(cancel);
            new StepMemo().Save(memoPath);
        }
        var memo = StepMemo.Load(memoPath);
        var (loops, hashes) = LoadLoops();
        // Later steps may find none left (all reverted): they still run the check of the build they asked for.
        if (loops.Count == 0 && memo.Pending is null)
        {
            await NothingToDoAsync((DateTimeOffset.UtcNow - memo.Started).TotalSeconds, cancel);
            return Next("done", []);
        }
        var runner = Runner();
        var builds = new MSBuildBuilds(WorkDir, Path.GetFileName(step.Program), step.Program, step.Toolset, loops, hashes, Options);
        var validator = new Validator(builds, runner, Options, memo.Probes, Progress,
            _ => Task.FromResult(builds.TestsOf(builds.DirOf("serial"), builds.ProgramIn("serial"))));
        if (step.Step <= 1)
            Progress($"{loops.Count} parallel loop(s), variants {string.Join(", ", Options.Variants)}, " +
                             $"{Options.Runs} run(s) per probe with {string.Join("/", Options.Threads)} threads");

        // The build asked for last time is there now: run its tests.
        if (memo.Pending is { } done)
        {
            memo.Pending = null;
            var since = Stopwatch.StartNew();
            switch (done.Kind)
            {
                case "serial":
                    memo.Probes.Reference = await runner.ReferenceAsync(builds.TestsOf(builds.DirOf("serial"), builds.ProgramIn("serial")), cancel);
                    break;
                case "variant":
                    var variantProgram = builds.ProgramIn(done.Variant!);
                    var build = File.Exists(variantProgram)
                        ? new VariantBuild(builds.TestsOf(builds.DirOf(done.Variant!), variantProgram), null)
                        : new VariantBuild([], $"the {done.Variant} build did not produce {variantProgram}");
                    var record = await validator.RecordAsync(done.Variant!, done.Loops, build, since, cancel);
                    // The probe's time includes the build the previous step asked for.
                    memo.Probes.Probes[ProbeRecord.KeyOf(done.Variant!, done.Loops)] = record with { Seconds = (DateTimeOffset.UtcNow - memo.PendingSince).TotalSeconds };
                    break;
                case "final":
                    var soFar = ValidationSummary.Load(Inter);
                    var check = memo.Probes.Reference is null
                        ? new FinalCheck("not-run", 0, Options.Threads, 0, "no variant ran, so there is no serial reference to compare with", 0)
                        : await FinalCheckAsync(runner, builds.FinalTests(), memo.Probes.Reference, memo.Probes, validator.Confirmation, since, cancel);
                    if (memo.FinalBeforeRevert is null && check.Status == "different" && soFar is not null)
                        return await RevertAllStepAsync(loops, soFar, check, memo, memoPath, builds, cancel);
                    var final = memo.FinalBeforeRevert is { } first ? first with { RevertedToSerial = true, AfterRevert = check.Status, Seconds = first.Seconds + check.Seconds } : check;
                    if (soFar is not null)
                    {
                        var summary = soFar with { Final = final, Seconds = (DateTimeOffset.UtcNow - memo.Started).TotalSeconds };
                        await WriteSummaryAsync(summary, cancel);
                        ReportFinal(summary);
                    }
                    memo.Phase = "done";
                    memo.Save(memoPath);
                    return Next("done", []);
            }
        }
        if (memo.Phase != "validate")
        {
            memo.Save(memoPath);
            return Next("done", []);
        }
        ValidationOutcome outcome;
        try
        {
            // The serial reference first: every probe's runs are compared with it as soon as they are made.
            if (memo.Probes.Reference is null && Options.Variants.Any(v => builds.Unavailable(v) is null))
                throw new BuildRequiredException(new StepAction("serial", null, []));
            outcome = await validator.RunAsync(loops, cancel);
        }
        catch (BuildRequiredException need)
        {
            memo.Pending = need.Action;
            memo.PendingSince = DateTimeOffset.UtcNow;
            memo.Save(memoPath);
            Progress(need.Action.Kind == "serial" ? "building the serial reference program" : $"building {need.Action.Variant} with {need.Action.Loops.Count} loop(s) parallel");
            return Next("build", builds.Properties(need.Action));
        }
        await PersistAsync(outcome, cancel);
        if (outcome.Rejections.Count == 0)
        {
            // Nothing was reverted: the program the build linked is the final one already.
            var clock = Stopwatch.StartNew();
            var final = memo.Probes.Reference is null || !outcome.Variants.Any(v => v.Status is "passed" or "reverted")
                ? new FinalCheck("not-run", 0, Options.Threads, 0, "no variant could judge the loops, so the final program was not checked", 0)
                : await FinalCheckAsync(runner, builds.FinalTests(), memo.Probes.Reference, memo.Probes, validator.Confirmation, clock, cancel);
            var summary = Summarize(loops, outcome, final, (DateTimeOffset.UtcNow - memo.Started).TotalSeconds);
            if (final.Status == "different") return await RevertAllStepAsync(loops, summary with { Final = null }, final, memo, memoPath, builds, cancel);
            await WriteSummaryAsync(summary, cancel);
            ReportFinal(summary);
            memo.Phase = "done";
            memo.Save(memoPath);
            return Next("done", []);
        }
        var partial = Summarize(loops, outcome, null, (DateTimeOffset.UtcNow - memo.Started).TotalSeconds);
        await WriteSummaryAsync(partial, cancel);
        memo.Phase = "final";
        memo.Pending = new StepAction("final", null, []);
        memo.PendingSince = DateTimeOffset.UtcNow;
        memo.Save(memoPath);
        return Next("build", builds.Properties(memo.Pending));
    }

    /// <summary>The stepper's PSLM5004: every loop still parallel reverted, then the build rebuilds the serial outputs and checks them.</summary>
    private async Task<int> RevertAllStepAsync(IReadOnlyList<ValidationLoop> loops, ValidationSummary soFar, FinalCheck final, StepMemo memo, string memoPath,
        MSBuildBuilds builds, CancellationToken cancel)
    {
        var reverted = await RevertAllAsync(loops, new ValidationOutcome([], []), final, cancel);
        var summary = soFar with
        {
            Loops = soFar.Loops.Select(l => reverted.FirstOrDefault(r => r.Loop.File == l.File && r.Loop.Id == l.Id) is { } r
                ? l with { Status = "reverted", Variant = "final", Evidence = RejectionRecorder.Short(r.Failure.Evidence), Detail = r.Failure.Detail }
                : l).ToList(),
        };
        await WriteSummaryAsync(summary, cancel);
        memo.FinalBeforeRevert = final;
        memo.Phase = "final";
        memo.Pending = new StepAction("final", null, []);
        memo.PendingSince = DateTimeOffset.UtcNow;
        memo.Save(memoPath);
        return Next("build", builds.Properties(memo.Pending));
    }

    private TestRunner Runner() => new(Options, OutputComparer.Create(Options.Tolerance, Options.IgnorePattern), Progress);

    private void Progress(string message) => (progress ?? output).WriteLine("ParaSlm: validate: " + message);

    private int Next(string action, IReadOnlyList<string> properties)
    {
        AtomicFile.Write(Path.Combine(WorkDir, "next.action"), action + "\n");
        AtomicFile.Write(Path.Combine(WorkDir, "next.properties"), string.Concat(properties.Select(p => p + "\n")));
        return 0;
    }

    /// <summary>The engine, in process: current outputs before validating; outputs without the rejected loops after.</summary>
    private async Task ApplyAsync(CancellationToken cancel)
    {
        var engine = new ApplyEngine(settings.Request, TextWriter.Null);
        await engine.RunAsync(cancel);
        // Its one-line summary was printed by the build's own engine run already; its warnings are worth repeating,
        // but not its "no model" note, which a re-processed source would repeat.
        foreach (var d in engine.Reported.Where(d => d.Code != ParaSlm.Reasoner.Planning.ModelPlanner.NoModelCode)) _log.Report(d);
    }

    private (List<ValidationLoop> Loops, Dictionary<string, string?> TextHashes) LoadLoops()
    {
        var state = EngineState.Load(StatePath);
        var rewritten = state.Sources.Values.Where(r => r.Status == "rewritten" && r.Applied.Count > 0).OrderBy(r => r.File, StringComparer.Ordinal).ToList();
        var loops = rewritten.SelectMany(r => r.Applied.OrderBy(a => a.StartOffset).Select(a => new ValidationLoop(r.File, a))).ToList();
        return (loops, rewritten.ToDictionary(r => r.File, r => r.TextHash, StringComparer.Ordinal));
    }

    /// <summary>State, cache and warnings for the rejected loops; then the engine leaves them serial.</summary>
    private async Task PersistAsync(ValidationOutcome outcome, CancellationToken cancel)
    {
        foreach (var v in outcome.Variants)
        {
            var code = v.Status switch { "unavailable" => "PSLM5002", "inconclusive" => "PSLM5003", "build-failed" => "PSLM5005", "too-slow" => "PSLM5008", "timed-out" => "PSLM5009", _ => null };
            if (code is null) continue;
            var advice = code switch
            {
                "PSLM5002" => "The report lists it as not run.",
                "PSLM5003" => "Fix that first (it is in the program without ParaSlm's changes), or validate with the other variant.",
                "PSLM5008" => "The loops stay as they are, unchecked by this variant.",
                "PSLM5009" => "No loop is blamed for a timeout (a loaded machine slows every run): the loops stay as they are, unchecked by this variant. " +
                              "Raise ParaSlmValidateTimeout, or set ParaSlmValidateTestCommand to a shorter run of your tests.",
                _ => "Set ParaSlmValidateClang or ParaSlmCMakeArgs so that the variant builds, or validate with the other variant.",
            };
            Report(Diagnostic.Warning(code, $"{v.Name} validation {code switch { "PSLM5002" => "is not available", "PSLM5008" => "takes too long", "PSLM5009" => "timed out", _ => "could not judge the loops" }}: {RejectionRecorder.Short(v.Message ?? string.Empty)}. {advice}"));
        }
        if (outcome.Rejections.Count == 0) return;
        RejectionRecorder.AddToState(StatePath, outcome.Rejections, DateTimeOffset.UtcNow);
        await RejectionRecorder.MarkCacheAsync(settings.Request.Cache, outcome.Rejections, Report, cancel);
        foreach (var r in outcome.Rejections) _log.Report(RejectionRecorder.Warning(r, settings.Request.AssumePure));
        await ApplyAsync(cancel);
    }

    /// <summary>The test the final check saw differ and the sources its programs hold (PSLM5004 reverts only those loops).</summary>
    private TestScope? _finalScope;
    private string? _finalTest;

    private async Task<FinalCheck> FinalCheckAsync(TestRunner runner, IReadOnlyList<TestCase> tests, IReadOnlyDictionary<string, ReferenceRun> reference,
        ProbeMemo memo, DifferenceConfirmation confirm, Stopwatch clock, CancellationToken cancel)
    {
        if (tests.Count == 0) return new FinalCheck("not-run", 0, Options.Threads, clock.Elapsed.TotalSeconds, "the final program has no test to run", 0);
        var comparer = OutputComparer.Create(Options.Tolerance, Options.IgnorePattern);
        var judged = FinalReference.WithLinesVaryingInVariants(comparer, reference, memo.VariantReferences.Values);
        var notes = memo.Confirmations.Count;
        var runs = await runner.RunAsync(tests, judged, new Dictionary<string, string?>(), cancel, confirm, "final");
        var probe = new ProbeRecord("final", [], null, runs, clock.Elapsed.TotalSeconds);
        // The final program carries no sanitizer of ParaSlm's: a report in its runs comes from the project's own flags
        // (libfixmath builds its tests with -fsanitize=undefined and overflows on purpose), and it counts only when the
        // serial build does not make it too.
        var own = ReferenceRun.FindingSignatures(reference.Values);
        var failure = probe.FailureWith(own, test => confirm.VaryingFor(test, judged.TryGetValue(test, out var r) ? r.Output : string.Empty));
        if (failure is { IsDifference: true })
        {
            _finalTest = failure.Test;
            _finalScope = tests.FirstOrDefault(t => t.Name == failure.Test)?.Scope;
        }
        // What confirming a difference of the final program found (a line that varies by itself), for the report.
        var found = memo.Confirmations.Skip(notes).Where(n => n.Variant == "final").Select(n => $"test {n.Test}: {n.Text}").Distinct().ToList();
        if (failure is null && found.Count > 0)
            return new FinalCheck("equal", runs.Count, Options.Threads, clock.Elapsed.TotalSeconds, string.Join("; ", found), runs.Sum(r => r.Tolerated));
        // A run of the final program that ran out of time is no difference (PSLM5009, in ReportFinal): nothing is reverted for it.
        return new FinalCheck(failure is null ? "equal" : failure.TimedOut ? "timed-out" : "different", runs.Count, Options.Threads, clock.Elapsed.TotalSeconds, failure?.Evidence,
            runs.Sum(r => r.Tolerated), failure?.Detail);
    }

    private async Task FinishAsync(IReadOnlyList<ValidationLoop> loops, ValidationOutcome outcome, FinalCheck final, double seconds, CancellationToken cancel)
    {
        var summary = Summarize(loops, outcome, final, seconds);
        await WriteSummaryAsync(summary, cancel);
        ReportFinal(summary);
    }

    private void ReportFinal(ValidationSummary summary)
    {
        if (summary.Final is { Status: "different" or "build-failed" } f)
        {
            var what = f.Status == "different"
                ? $"the final parallel program does not match the serial build: {RejectionRecorder.Short(f.Message ?? string.Empty)}"
                : $"the final parallel program could not be rebuilt, so it was not checked against the serial build: {RejectionRecorder.Short(f.Message ?? string.Empty)}";
            var now = f is { RevertedToSerial: true, Kept: { } kept }
                ? $"ParaSlm reverted every parallel loop in the programs of the differing test ({kept}); its check after that: {f.AfterRevert}"
                : f.RevertedToSerial
                ? f.AfterRevert == "equal"
                    ? "ParaSlm reverted every parallel loop of this project, so the build's outputs are the serial program (checked: it matches the serial build)"
                    : $"ParaSlm reverted every parallel loop of this project, so the build's outputs are the serial program (its check: {f.AfterRevert}; the difference is not ParaSlm's)"
                : "build with ParaSlmMode=Off to ship the serial program";
            Report(new Diagnostic("PSLM5004", Options.FailureSeverity, $"{what}. {now}. The report says what differed; the loops stay serial until their code changes. " +
                                                                   "Please report it; ParaSlmValidateFailure=warn makes this a warning."));
        }
        if (summary.Final is { Status: "timed-out" } slow)
            Report(Diagnostic.Warning("PSLM5009", $"the final program was not compared with the serial build: {RejectionRecorder.Short(slow.Message ?? string.Empty)}. " +
                "A timeout is not a difference (a loaded machine slows every run), so no loop is reverted for it; raise ParaSlmValidateTimeout, or set " +
                "ParaSlmValidateTestCommand to a shorter run of your tests."));
        var reverted = summary.Loops.Count(l => l.Status == "reverted");
        var finalText = summary.Final switch
        {
            { Status: "timed-out" } => "final program NOT compared: a run timed out (PSLM5009)",
            { Status: "equal" } x => $"final program equals the serial build in {x.Runs}/{x.Runs} run(s)",
            { Status: "different", RevertedToSerial: true, Kept: not null } x => $"final program DIFFERED from the serial build: the loops of the differing test's programs reverted ({x.AfterRevert})",
            { Status: "different", RevertedToSerial: true } x => $"final program DIFFERED from the serial build: every loop reverted, outputs are serial ({x.AfterRevert})",
            { Status: "build-failed", RevertedToSerial: true } x => $"final program could NOT be rebuilt: every loop reverted, outputs are serial ({x.AfterRevert})",
            { Status: "different" } => "final program DIFFERS from the serial build",
            { Status: "build-failed" } => "final program could NOT be rebuilt",
            _ => "final program not checked",
        };
        var report = Path.Combine(Path.GetFullPath(settings.Request.ReportDir ?? Path.Combine(Inter, "report")), "paraslm-report.md");
        output.WriteLine($"ParaSlm: validation ({string.Join(", ", summary.Variants.Select(v => $"{v.Name} {v.Status}"))}): {summary.Loops.Count} parallel loop(s), " +
                         $"{summary.Loops.Count - reverted} kept, {reverted} reverted; {finalText}; {summary.Seconds:F1} s — report: {report}");
    }

    private ValidationSummary Summarize(IReadOnlyList<ValidationLoop> loops, ValidationOutcome outcome, FinalCheck? final, double seconds)
    {
        var checkedBy = outcome.Variants.Where(v => v.Status is "passed" or "reverted").Select(v => v.Name).ToList();
        var verdicts = loops.Select(l =>
        {
            var r = outcome.Rejections.FirstOrDefault(x => x.Loop.Id == l.Id);
            if (r is not null)
            {
                var before = checkedBy.TakeWhile(n => n != r.Variant).ToList();
                return new LoopVerdict(l.File, l.Id, l.Loop.Line, l.Loop.Column, l.Loop.Function, "reverted", before, r.Variant, RejectionRecorder.Short(r.Failure.Evidence), r.Failure.Detail);
            }
            return new LoopVerdict(l.File, l.Id, l.Loop.Line, l.Loop.Column, l.Loop.Function, "kept", checkedBy, null, null, null);
        }).ToList();
        var variants = outcome.Variants.Select(v => new VariantSummary(v.Name, v.Status, v.Probes, v.Runs, v.Threads, v.Seconds, v.Message, v.Tolerated, v.Ignored)).ToList();
        return new ValidationSummary(DateTimeOffset.UtcNow, seconds, Options.Variants, variants, verdicts, final);
    }

    /// <summary>The summary file, then the engine once more (all sources up to date) so the report carries it.</summary>
    private async Task WriteSummaryAsync(ValidationSummary summary, CancellationToken cancel)
    {
        summary.Save(Inter);
        await ApplyAsync(cancel);
    }

    private async Task<int> NothingToDoAsync(double seconds, CancellationToken cancel)
    {
        var summary = new ValidationSummary(DateTimeOffset.UtcNow, seconds, Options.Variants, [], [],
            new FinalCheck("not-run", 0, Options.Threads, 0, "no loop is parallel, so the program is the serial one", 0));
        await WriteSummaryAsync(summary, cancel);
        output.WriteLine("ParaSlm: validation: no loop was parallelized, nothing to validate");
        return 0;
    }
}
