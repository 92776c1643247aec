using System.Text;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Analyzer.Generation.Cuda;
using ParaSlm.Engine.Inputs;
using ParaSlm.Engine.Planning;
using ParaSlm.Engine.Diagnostics;
using ParaSlm.Engine.Reporting;
using ParaSlm.Engine.Reporting.AzureDevOps;
using ParaSlm.Reasoner.Ollama;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Engine;

/// <summary>
/// `paraslm apply`: for every source of the build, analyze → plan → verify → rewrite, then write the
/// outputs the build consumes (see ARCHITECTURE.md). A source that cannot be processed stays serial
/// with a warning; only an unusable request fails the engine.
/// </summary>
/// <param name="progress">Where a line per processed source goes once the run has taken
/// <see cref="QuietSeconds"/> (a model can take seconds per loop nest): the CLI passes stderr, which the build shows
/// at once at any verbosity. Quick runs stay at their one summary line.</param>
/// <param name="azure">In Azure Pipelines: where diagnostics are queued as issues and progress is shown.</param>
/// <param name="time">The clock behind the run's timings and <see cref="QuietSeconds"/> (tests pass their own).</param>
public sealed class ApplyEngine(EngineRequest request, TextWriter output, TextWriter? progress = null, AzureDevOpsLog? azure = null, TimeProvider? time = null)
{
    /// <summary>A fused edit the rewriter could not place (a preprocessor line between the nests, a conflict with another
    /// edit): each nest runs its own plan instead. A note on the nests' report lines, not a build message: the program is
    /// correct and each nest keeps its own parallel form.</summary>
    public const string FusedEditSkippedCode = "PSLM2008";

    private readonly DiagnosticLog _log = new(output, azure);

    /// <summary>Every diagnostic of the run, as data (the build sees them as warnings; callers may act on a code).</summary>
    public IReadOnlyList<Diagnostic> Reported => _log.Reported;

    private const double QuietSeconds = 2.0;

    private static readonly HashSet<string> SourceExtensions = new(StringComparer.OrdinalIgnoreCase) { ".c", ".cc", ".cpp", ".cxx", ".c++" };

    public async Task<int> RunAsync(CancellationToken cancel)
    {
        _started = Time.GetTimestamp();
        var inter = Path.GetFullPath(request.IntermediateDir);
        var reportDir = Path.GetFullPath(request.ReportDir ?? Path.Combine(inter, "report"));
        Directory.CreateDirectory(inter);
        var units = Units();
        var statePath = Path.Combine(inter, "paraslm.state.json");
        var previous = EngineState.Load(statePath);
        // Rejections are validation's verdicts, not this run's: they carry over until the loop's text changes.
        var state = new EngineState { Rejected = [.. previous.Rejected] };
        var settings = string.Join("|", request.Mode, request.Target, request.Strategy, request.Model, request.LibClang ?? string.Empty,
            string.Join(",", request.AssumePure.Order(StringComparer.Ordinal)), request.FloatReassociation ? "fp-reassociate" : "fp-strict", _offload.Arch,
            // Another ParaSlm may decide differently: its first build re-processes every source.
            typeof(ApplyEngine).Assembly.ManifestModule.ModuleVersionId.ToString("N"));
        var root = request.ProjectDir is { } pd ? Path.GetFullPath(pd) : CommonDirectory(units.Select(u => u.File));
        var selection = new SourceSelection(root, request.Include, request.Exclude);
        using var analyzers = new LazyAnalyzer(new AnalyzerOptions { LibClangPath = NullIfEmpty(request.LibClang), AssumePure = request.AssumePure });
        using var planners = new LazyPlanner(Settings(), new PlannerLog(d => _log.Report(d), line => _log.Line("ParaSlm: " + line)));
        // Validation's rejections recorded in the plan cache by content (issue #12 item 5): they outlive obj/ and reach other machines.
        await using var recorded = new RecordedRejections(request.Cache, d => _log.Report(d));
        var reused = 0;
        var position = 0;

        foreach (var unit in units)
        {
            position++;
            cancel.ThrowIfCancellationRequested();
            if (selection.Skipped(unit.File) is { } why)
            {
                state.Sources[unit.File] = new SourceRecord(unit.File, string.Empty, "excluded", null, 0, 0, [], null) { Note = why };
                Progress(position, units.Count, root, unit.File, why);
                continue;
            }
            if (!File.Exists(unit.File))
            {
                Warn(unit.File, 0, 0, "PSLM0003", "the source does not exist; it is left out of the analysis");
                Progress(position, units.Count, root, unit.File, "missing");
                continue;
            }
            // Reuse needs the same source, compiler, arguments, settings and the same content of the headers it read last
            // time; a new rejection of one of its loops changes the settings part, so the loop goes serial.
            var sourceSettings = settings + "|rejected:" + state.RejectionFingerprint(unit.File);
            IReadOnlyList<string> command = [.. unit.Compiler is null ? unit.Arguments : [unit.Compiler, .. unit.Arguments],
                // Another target's flags for the same file are part of what the plan was checked against.
                .. unit.Alternatives.SelectMany(a => (string[])["\u0002", a.Compiler ?? string.Empty, .. a.Arguments])];
            if (previous.Sources.TryGetValue(unit.File, out var old) &&
                old.Hash == EngineState.HashOf(unit.File, command, sourceSettings, old.Headers) &&
                (old.Status != "rewritten" || (old.Output is not null && File.Exists(old.Output))))
            {
                state.Sources[unit.File] = old;
                if (old.Failure is not null) _log.Report(old.Failure);
                reused++;
                Progress(position, units.Count, root, unit.File, "up to date");
                continue;
            }
            var started = Elapsed;
            SourceRecord record;
            try
            {
                record = await ProcessAsync(unit, inter, root, analyzers, planners, state, recorded, cancel);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The build never fails because of ParaSlm: a defect met on one file leaves that file as written (its
                // loops serial) and the other files go on. The engine's version is part of the file's hash: a fixed ParaSlm
                // processes it again, an unchanged one keeps the no-op build a no-op.
                Warn(unit.File, 0, 0, "PSLM1015", $"ParaSlm failed on this file ({e.GetType().Name}: {e.Message}); the file is compiled " +
                     "as written and its loops stay serial. Please report it (PARASLM_DEBUG=1 prints the details); ParaSlmExclude skips the file meanwhile.");
                if (Environment.GetEnvironmentVariable("PARASLM_DEBUG") == "1") Console.Error.WriteLine(e);
                record = new SourceRecord(unit.File, string.Empty, "error", null, 0, 0, [], null);
            }
            state.Sources[unit.File] = record with { Hash = EngineState.HashOf(unit.File, command, sourceSettings, record.Headers) };
            Progress(position, units.Count, root, unit.File, $"{record.Loops} loops, {record.Parallel} parallel ({(Elapsed - started).TotalSeconds:F1} s)");
        }

        state.PlannerFallback = planners.UnavailableReason ?? (reused == units.Count ? previous.PlannerFallback : null);
        WriteOutputs(inter, state, units);
        state.Save(statePath);
        var records = units.Where(u => state.Sources.ContainsKey(u.File)).Select(u => state.Sources[u.File]).ToList();
        var patch = string.Concat(records.Select(r => r.Diff));
        AtomicFile.WriteIfChanged(Path.Combine(reportDir, "paraslm.patch"), patch);
        // The last validation's verdicts (paraslm.validation.json, written by `paraslm validate`) join the report.
        var validation = ValidationSummary.Load(inter);
        var report = new Report(request.Mode, request.Target, request.Strategy, DateTimeOffset.UtcNow, Elapsed.TotalSeconds,
            records.Select(r => new ReportSource(r.File, r.Status, r.Output, r.Loops, r.Parallel,
                validation is null ? r.Plans : r.Plans.Select(p => p with { Validation = validation.VerdictOf(r.File, p) }).ToList(), r.Note)).ToList())
        {
            Validation = validation,
            Planner = PlannerSummary.Describe(request, records.SelectMany(r => r.Plans).ToList(), state.PlannerFallback),
        };
        var (_, md) = ReportWriter.Write(reportDir, report);
        Reporting.ReportOutputs.Write(reportDir, report, records, root, request);
        _log.Line($"ParaSlm: {records.Count} files ({records.Count - reused} analyzed, {reused} up to date), {report.Loops} loops, " +
                  $"{report.Parallel} parallel, {report.Rewritten} files rewritten — report: {md}");
        _log.Progress(1, 1);
        return 0;
    }

    /// <summary>
    /// One line per source once the run has taken <see cref="QuietSeconds"/> (a model can take seconds per nest); after
    /// that every source gets its line, excluded and up-to-date ones too, so the count always reaches the total.
    /// No colon after the file name: MSBuild would read "… my warning.c: …" as a warning of its own.
    /// </summary>
    private void Progress(int position, int total, string root, string file, string what)
    {
        _log.Progress(position, total);
        if (progress is null || Elapsed.TotalSeconds < QuietSeconds) return;
        progress.WriteLine($"ParaSlm: [{position}/{total}] {Path.GetRelativePath(root, file)} — {what}");
    }

    private TimeProvider Time => time ?? TimeProvider.System;

    private long _started;

    private TimeSpan Elapsed => Time.GetElapsedTime(_started);

    private readonly OffloadToolchains _offload = new(request.OffloadArch ?? string.Empty);

    /// <summary>ParaSlmGpuFlavor=cuda: the CUDA toolkit probe; null for the OpenMP offload flavour.</summary>
    private readonly CudaToolchain? _cuda = string.Equals(request.GpuFlavor, "cuda", StringComparison.OrdinalIgnoreCase) ? new(request.CudaArchitectures ?? string.Empty) : null;

    private PlannerSettings Settings() => new(
        string.IsNullOrWhiteSpace(request.Strategy) ? PlannerSettings.DefaultStrategy : request.Strategy,
        string.IsNullOrWhiteSpace(request.Model) ? OllamaClientOptions.DefaultModel : request.Model,
        request.Endpoint,
        request.Timeout is > 0 ? TimeSpan.FromSeconds(request.Timeout.Value) : PlannerSettings.DefaultRequestTimeout,
        request.Budget is > 0 ? TimeSpan.FromSeconds(request.Budget.Value) : null,
        string.IsNullOrWhiteSpace(request.Target) ? "cpu" : request.Target,
        request.Cache,
        request.Threads is >= 1 ? (int)request.Threads.Value : null);

    private async Task<SourceRecord> ProcessAsync(CompileCommand unit, string inter, string root, LazyAnalyzer analyzers, LazyPlanner planners,
        EngineState state, RecordedRejections recorded, CancellationToken cancel)
    {
        FileAnalysis analysis;
        try
        {
            analysis = analyzers.Get().Analyze(unit.File, unit.Arguments);
        }
        catch (SourceParseException e)
        {
            var diagnostic = e.Diagnostic with { File = e.File ?? unit.File };
            _log.Report(diagnostic);
            // The headers it read are part of its hash and of the build's Inputs: the error may be in one of them, and
            // a fixed header must bring the file back to the analysis.
            return new SourceRecord(unit.File, string.Empty, "error", null, 0, 0, [], null) { Headers = e.IncludedFiles, Failure = diagnostic };
        }
        catch (LibClangNotFoundException e)
        {
            _log.Report(e.Diagnostic with { File = unit.File, Message = e.Diagnostic.Message + " The program is built serial." });
            return new SourceRecord(unit.File, string.Empty, "error", null, 0, 0, [], null);
        }

        var sourceText = File.ReadAllText(unit.File);
        var plans = await planners.Get().PlanAsync(analysis, sourceText, unit.Arguments, cancel);
        // The same file compiled under other flags too (another target's -D): a loop stays parallel only where every one agrees.
        var otherHeaders = new List<string>();
        var disagreements = await ConfigurationAgreement.DisagreementsAsync(unit, plans, analyzers.Get(), planners.Get(), sourceText, otherHeaders.AddRange, cancel);
        if (otherHeaders.Count > 0) analysis = analysis with { IncludedFiles = analysis.IncludedFiles.Concat(otherHeaders).Distinct(StringComparer.Ordinal).ToList() };
        var macroReader = ClangParser.EnablesOpenMP(unit.Arguments) ? null
            : new[] { unit.File }.Concat(analysis.IncludedFiles).FirstOrDefault(f => File.Exists(f) && File.ReadAllText(f).Contains("_OPENMP", StringComparison.Ordinal));
        var (gated, offloadFlags) = await OffloadGate.ApplyAsync(unit, plans, _offload, _cuda, macroReader is null ? null : Path.GetFileName(macroReader), Warn, cancel);
        plans = gated;
        var facts = analysis.Loops.ToDictionary(l => l.Id, l => l, StringComparer.Ordinal);
        if (request.Mode == "Apply") WriteCudaReview(unit, inter, plans.Where(p => p.Code == CudaToolchain.NoToolkitCode).Select(p => facts[p.Id]).ToList());
        var outputPath = OutputPathFor(inter, unit.File);
        var reportLoops = plans.Select(p => ToReport(p, facts[p.Id].Function)).ToList();
        // A user's directive in a file built without OpenMP is inert in their build, and the copy blanks it (SourceRewriter):
        // "left as written" alone reads as if it ran in parallel (llama2.c's matmul, built with plain `-O3`).
        if (!ClangParser.EnablesOpenMP(unit.Arguments))
            for (var i = 0; i < plans.Count; i++)
                if (!plans[i].IsParallel && facts[plans[i].Id].HasOpenMPDirective && reportLoops[i].Reason.StartsWith("the user's own OpenMP directive", StringComparison.Ordinal))
                    reportLoops[i] = reportLoops[i] with { Reason = reportLoops[i].Reason + "; this file's build does not enable OpenMP, so the directive is inactive and the loop runs serially, as in your build" };
        // ParaSlmFloatReassociation: mark (or, when false, keep serial) every loop whose floating-point result may change.
        var strictFloat = !request.FloatReassociation && !new[] { unit }.Concat(unit.Alternatives).All(u => FloatingPointPolicy.FlagsAllowReassociation(u.Arguments));
        var keptSerial = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plans.Count; i++)
        {
            if (!disagreements.TryGetValue(plans[i].Id, out var why)) continue;
            keptSerial.Add(plans[i].Id);
            reportLoops[i] = reportLoops[i] with { Action = "sequential", Target = "none", Clauses = string.Empty, RuntimeCheck = null, Reason = why };
        }
        for (var i = 0; i < plans.Count; i++)
        {
            var reassociated = FloatingPointPolicy.Reassociated(plans[i], facts[plans[i].Id]);
            if (reassociated.Count == 0 || keptSerial.Contains(plans[i].Id)) continue;
            if (strictFloat)
            {
                keptSerial.Add(plans[i].Id);
                reportLoops[i] = reportLoops[i] with { Action = "sequential", Target = "none", Clauses = string.Empty, RuntimeCheck = null, Reason = FloatingPointPolicy.SerialReason(reassociated, FloatingPointPolicy.Extremes(plans[i], reassociated)) };
            }
            else
            {
                reportLoops[i] = reportLoops[i] with { Reason = reportLoops[i].Reason + "; " + FloatingPointPolicy.Note(reassociated, FloatingPointPolicy.Extremes(plans[i], reassociated)), LastDigitsMayChange = true };
            }
        }
        if (request.Mode != "Apply" || !plans.Any(p => p.IsRewritten && !keptSerial.Contains(p.Id)))
        {
            if (File.Exists(outputPath)) File.Delete(outputPath);
            return new SourceRecord(unit.File, string.Empty, "unchanged", null, plans.Count, 0, reportLoops, null) { Headers = analysis.IncludedFiles };
        }

        var text = File.ReadAllText(unit.File);
        var bytes = Encoding.UTF8.GetBytes(text);
        var hashes = plans.Where(p => p.IsRewritten && !keptSerial.Contains(p.Id)).ToDictionary(p => p.Id, p => EngineState.LoopHash(facts[p.Id].Function, LoopText(bytes, facts[p.Id], FusionFallbacks.Of(p, facts[p.Id]))), StringComparer.Ordinal);
        // A loop validation rejected stays serial, whoever proposes it again (a false ParaSlmAssumePure, a model).
        var unfuse = new List<(LoopPlan First, SiblingFusion Fusion, RejectedLoop Rejection)>();
        foreach (var (id, hash) in hashes.ToList())
        {
            var rejection = state.RejectionOf(unit.File, facts[id].Function, hash);
            // Not rejected here: maybe on another machine, or before obj/ was deleted (the plan cache keeps it by content).
            if (rejection is null && await recorded.EvidenceForAsync(hash, cancel) is { } evidence)
            {
                var f = facts[id];
                rejection = new RejectedLoop(unit.File, id, f.Line, f.Column, f.Function, hash, "plan cache", evidence, DateTimeOffset.UtcNow);
                state.Rejected.Add(rejection);
                Warn(unit.File, f.Line, f.Column, "PSLM5001", $"loop stays serial: validation reverted a loop with this exact code before (recorded in the plan cache): {evidence}. " +
                     "It is judged again once its code changes");
            }
            if (rejection is null) continue;
            hashes.Remove(id);
            var i = reportLoops.FindIndex(l => l.Id == id);
            reportLoops[i] = reportLoops[i] with
            {
                Action = "sequential", Target = "none", Clauses = string.Empty, RuntimeCheck = null,
                // `final`: the whole program differed and every loop was reverted (PSLM5004), not this loop in particular.
                Code = rejection.Variant == "final" ? "PSLM5004" : "PSLM5001",
                Reason = $"reverted by validation ({rejection.Variant}): {rejection.Evidence}",
            };
            if (plans.First(p => p.Id == id) is var first && FusionFallbacks.Of(first, facts[id]) is { } fusion) unfuse.Add((first, fusion, rejection));
        }
        // A fused edit validation reverted: each nest runs its own plan instead, matched (and validated) by its own text.
        foreach (var (first, fusion, rejection) in unfuse)
        {
            foreach (var (plan, proposal) in FusionFallbacks.Plans(first, fusion, plans.Where(q => !keptSerial.Contains(q.Id)).ToList(), facts))
            {
                var f = facts[plan.Id];
                var own = plan with { Proposal = proposal, RuntimeCheck = f.RuntimeCheck, Reason = $"runs its own plan: the fused form ({fusion.Name}) was reverted by validation ({rejection.Variant}): {rejection.Evidence}" };
                var hash = EngineState.LoopHash(f.Function, LoopText(bytes, f));
                if (state.RejectionOf(unit.File, f.Function, hash) is not null || strictFloat && FloatingPointPolicy.Reassociated(own, f).Count > 0) continue;
                plans = plans.Select(p => p.Id == plan.Id ? own : p).ToList();
                hashes[plan.Id] = hash;
                if (reportLoops.FindIndex(l => l.Id == plan.Id) is var k and >= 0) reportLoops[k] = ToReport(own, f.Function);
            }
        }
        // An inner loop's plan said "inside the parallel loop at line L"; once L is reverted that is no longer true.
        foreach (var reverted in reportLoops.Where(l => l.Code is "PSLM5001" or "PSLM5004").Select(l => l.Line).ToList())
        {
            var inside = $"inside the parallel loop at line {reverted}";
            for (var i = 0; i < reportLoops.Count; i++)
                if (reportLoops[i].Reason == inside)
                    reportLoops[i] = reportLoops[i] with { Reason = $"serial: its enclosing loop at line {reverted} was reverted by validation, and ParaSlm does not parallelize an inner loop in its place" };
        }
        var rewritten = plans.Where(p => hashes.ContainsKey(p.Id)).ToList();
        if (rewritten.Count == 0)
        {
            if (File.Exists(outputPath)) File.Delete(outputPath);
            return new SourceRecord(unit.File, string.Empty, "unchanged", null, plans.Count, 0, reportLoops, null) { Headers = analysis.IncludedFiles };
        }
        var cudaOutlines = new Dictionary<string, CudaOutline>(StringComparer.Ordinal);
        // A serial loop moves inside its nests only when every nest of it is planned parallel with that transform; then
        // the first nest's edit carries the whole group and the others are part of it.
        var sinkIds = rewritten.Where(p => p.IsParallel && SerialLoopSink.IsSink(p.Proposal.Transform)).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var sinkGroups = rewritten.Select(p => facts[p.Id].SerialSink).OfType<SerialLoopSink>().DistinctBy(s => s.SerialLoopId)
            .Where(s => s.Nests.All(n => sinkIds.Contains(n.LoopId))).ToDictionary(s => s.Nests[0].LoopId, StringComparer.Ordinal);
        var sunk = sinkGroups.Values.SelectMany(s => s.Nests.Skip(1)).Select(n => n.LoopId).ToHashSet(StringComparer.Ordinal);
        // A serial loop runs in one parallel region when its nests' plans allow it (HoistedRegions); the region's edit sits
        // on its first work-shared nest, the other nests are part of it.
        var (hoists, hoisted) = HoistedRegions.Build(rewritten.Where(p => p.IsParallel && !sinkIds.Contains(p.Id)).ToList(), facts, analysis.Loops);
        // Fused sibling nests: the second nest's loops run inside the fused edit, and their own plans in its fallbacks.
        var secondNests = rewritten.Select(p => FusionFallbacks.Of(p, facts[p.Id])?.SecondLoopId).OfType<string>().ToList();
        bool InSecondNest(string id) => secondNests.Any(n => FusionFallbacks.Within(facts[id], n, facts));
        // Each nest's own edit (the plan it gets without fusion), for the fused form's `else` branch and its place where skipped.
        List<LoopEdit> Fallbacks(LoopPlan first, SiblingFusion fusion) =>
            FusionFallbacks.Plans(first, fusion, plans.Where(q => !keptSerial.Contains(q.Id)), facts)
                .Where(x => !(strictFloat && FloatingPointPolicy.Reassociated(x.Plan with { Proposal = x.Proposal }, facts[x.Plan.Id]).Count > 0))
                .Select(x => LoopEdit.ForProposal(facts[x.Plan.Id], x.Proposal, facts[x.Plan.Id].RuntimeCheck, Reasoner.Planning.LoopCost.IfClause(facts[x.Plan.Id], analysis.Loops, facts), facts, !strictFloat))
                .ToList();
        var edits = rewritten.Where(p => !sunk.Contains(p.Id) && !hoisted.Contains(p.Id) && !InSecondNest(p.Id)).Select(p =>
        {
            var f = facts[p.Id];
            var report = reportLoops.FindIndex(l => l.Id == p.Id);
            // A serial loop in its right-looking order or its scalar-expanded form: no directive, the form's own condition (the
            // verifier re-proved the name).
            if (!p.IsParallel && LoopEdit.ForSerialTransform(f, p.Proposal.Transform) is { } serialForm)
            {
                if (report >= 0) reportLoops[report] = reportLoops[report] with { Transform = p.Proposal.Transform };
                return serialForm;
            }
            if (OffloadGate.IsCuda(p))
            {
                // The loop runs as a kernel when the launcher succeeds (guard-only edit); otherwise the original loop runs.
                if (CudaKernel.For(f, bytes, unit.File, out var why) is { } outline)
                {
                    cudaOutlines[p.Id] = outline;
                    if (report >= 0) reportLoops[report] = reportLoops[report] with { Clauses = $"kernel {outline.Kernel}, launcher {outline.Launcher}" };
                    return LoopEdit.ForLoop(f, string.Empty, outline.Call) with { RunsOnlyIfCheck = true };
                }
                if (report >= 0) reportLoops[report] = reportLoops[report] with { Target = "cpu-openmp", Reason = reportLoops[report].Reason + "; built for the CPU: the CUDA kernel cannot take it (" + why + ")" };
            }
            if (OffloadGate.Directive(p, f) is { } offload)
            {
                // The report shows what the device gets: the map clauses from the facts with the plan's clauses.
                if (reportLoops.FindIndex(l => l.Id == p.Id) is var k and >= 0)
                    reportLoops[k] = reportLoops[k] with { Clauses = offload["omp target teams distribute parallel for ".Length..] };
                return new LoopEdit(f.Line, f.Column, f.StartOffset, f.EndOffset, offload, OffloadDirective.Check(p.RuntimeCheck), p.Id) { Maps = f.Offload!.Arrays };
            }
            // Never slower: where the trip count is only known at run time, too few iterations run on one thread.
            var guard = Reasoner.Planning.LoopCost.IfClause(f, analysis.Loops, facts);
            if (sinkGroups.TryGetValue(p.Id, out var sink))
            {
                var nests = sink.Nests.Select(n => rewritten.Single(x => x.Id == n.LoopId)).Select(x => LoopEdit.ForProposal(facts[x.Id], x.Proposal, null, null, facts, !strictFloat, ownRegion: false)).ToList();
                var group = LoopEdit.ForSink(sink, nests.Select(e => e.Directive).ToList(), nests.SelectMany(e => e.InnerSimd).ToList(),
                    sink.Nests.Select(n => rewritten.Single(x => x.Id == n.LoopId).Proposal).ToList());
                foreach (var (n, k) in sink.Nests.Select((n, k) => (n, k)))
                    if (reportLoops.FindIndex(l => l.Id == n.LoopId) is var at and >= 0)
                        reportLoops[at] = reportLoops[at] with { Clauses = group.SinkDirectives[k]["omp parallel for".Length..].Trim(), Transform = group.SinkTransforms[k] };
                return group;
            }
            if (hoists.TryGetValue(p.Id, out var region))
            {
                var hoist = region.Hoist!;
                for (var k = 0; k < hoist.Parts.Count; k++)
                {
                    if (hoist.Parts[k].LoopId is not { } nestId || reportLoops.FindIndex(l => l.Id == nestId) is not (var at and >= 0)) continue;
                    var directive = region.HoistDirectives[k];
                    reportLoops[at] = directive.StartsWith("omp for", StringComparison.Ordinal)
                        ? reportLoops[at] with { Clauses = directive["omp for".Length..].Trim(), Transform = SerialLoopHoist.TransformName }
                        : reportLoops[at] with
                        {
                            Action = "sequential", Target = "none", Clauses = string.Empty, RuntimeCheck = null, Transform = null,
                            Reason = reportLoops[at].Reason + $"; runs by one thread (`#pragma omp single`) in the parallel region around the serial loop at line {hoist.Line} ({SerialLoopHoist.TransformName})",
                        };
                }
                return region;
            }
            var plain = SerialLoopSink.IsSink(p.Proposal.Transform) || p.Proposal.Transform == SerialLoopHoist.TransformName ? p.Proposal with { Transform = null } : p.Proposal;
            var edit = LoopEdit.ForProposal(f, plain, p.RuntimeCheck, guard, facts, !strictFloat);
            if (edit.Fused is { } fusing)
            {
                edit = edit with { Fallbacks = Fallbacks(p, fusing) };
                if (report >= 0 && edit.Fallbacks.Count > 0)
                    reportLoops[report] = reportLoops[report] with { Reason = reportLoops[report].Reason + "; where the fused form does not run, each nest runs its own plan: " +
                        string.Join(", ", edit.Fallbacks.Select(e => $"line {e.Line} `{TransformOf(e) ?? e.Directive}`")) };
            }
            // A region whose threads would wait for what the serial loop around it just wrote runs on one thread then, in its
            // transformed form (BroadcastCost); the forms that replace the loop by a region of their own keep their cost rules.
            if (edit is { Append: null, Distributed: null, Fused: null, Privatized: null, Guarded: null, Matmul: null } && BroadcastCost.TeamCondition(f) is { } team)
            {
                edit = edit with { TeamCondition = team };
                if (report >= 0) reportLoops[report] = reportLoops[report] with { Reason = reportLoops[report].Reason + BroadcastCost.Explain(f) };
            }
            if (report >= 0)
            {
                reportLoops[report] = edit.Append is { } append
                    ? reportLoops[report] with { Clauses = edit.Directive["omp parallel for ".Length..], Transform = append.TransformName }
                    : edit.Distributed is { } split
                    ? reportLoops[report] with { Clauses = edit.Directive, Transform = split.Pipeline?.Name ?? split.Name }
                    : edit.Fused is { } fusion
                    ? reportLoops[report] with { Clauses = edit.Directive, Transform = fusion.Name }
                    : edit.Privatized is { } privatized
                    ? reportLoops[report] with { Clauses = edit.Directive["omp parallel for ".Length..], Transform = privatized.Name }
                    : edit.Guarded is not null
                    ? reportLoops[report] with { Clauses = edit.Directive["omp parallel for ".Length..], Transform = GuardedReduction.TransformName }
                    : edit.Interchange is { } swap
                    ? reportLoops[report] with { Clauses = string.Join(' ', new[] { edit.Directive, swap.Worksharing ? $"; {InterchangeNest.WorksharingDirective} on `{swap.Counters[swap.ParallelLevel]}`" : null }.OfType<string>()), Transform = swap.Name }
                    : edit.Matmul is null
                    ? reportLoops[report] with { Clauses = (reportLoops[report].Clauses + " " + guard).Trim() }
                    : reportLoops[report] with { Clauses = edit.Directive["omp parallel for ".Length..], Transform = MatmulNest.TransformName };
            }
            return edit;
        }).ToList();
        var userOpenMP = ClangParser.EnablesOpenMP(unit.Arguments);
        // One copy replaces the file under every command that compiles it: `simd` as they agree (VectorizationAgreement).
        var vectorization = VectorizationAgreement.Of(unit);
        RewriteResult RewriteWith(VectorizationAgreement v) => SourceRewriter.Rewrite(unit.File, text, edits, new RewriteOptions(userOpenMP)
        {
            Vectorize = v.Vectorizes,
            Prelude = cudaOutlines.Count == 0 ? null : string.Join("\n", cudaOutlines.Values.Select(o => o.Declaration)),
            TeamReleases = analysis.Loops.Where(l => l.TeamRelease is not null).Select(TeamReleaseSite.For).ToList(),
        });
        var result = RewriteWith(vectorization);
        // clang warns (an error under -Werror) where its optimizer cannot honour a `simd` the copy asks for: such a copy
        // is written without `simd`, and the report says why (OptimizerSimdCheck).
        if (vectorization.Vectorizes && result.Changed && await OptimizerSimdCheck.RefusalAsync(unit, outputPath, result.Text, cancel) is { } refusal)
        {
            vectorization = VectorizationAgreement.Refused(refusal);
            result = RewriteWith(vectorization);
        }
        // The serial nests before which the copy hands the idle team back say so in the report (their plan stays sequential).
        foreach (var release in result.Releases)
            if (reportLoops.FindIndex(l => l.Id == release.LoopId) is var at and >= 0)
                reportLoops[at] = reportLoops[at] with { Reason = reportLoops[at].Reason + "; " + release.Description };
        // A plan the rewriter could not apply (macro-generated loop, nested edit) is reported as sequential.
        foreach (var skipped in result.Outcomes.Where(o => !o.Applied))
        {
            var i = reportLoops.FindIndex(l => l.Id == skipped.Edit.LoopId);
            if (i >= 0) reportLoops[i] = reportLoops[i] with { Action = "sequential", Target = "none", Clauses = string.Empty, RuntimeCheck = null, Transform = null, Reason = "not rewritten: " + skipped.Reason };
            // A fused edit that could not go in: each nest whose own edit went in instead runs its own plan, and says why
            // (PSLM2008 on every nest of the fusion, like the verifier's codes for a plan element that was dropped).
            if (skipped.Edit.Fused is not { } fusion) continue;
            if (i >= 0) reportLoops[i] = reportLoops[i] with { Code = FusedEditSkippedCode };
            foreach (var own in skipped.Fallbacks)
                if (reportLoops.FindIndex(l => l.Id == own.Edit.LoopId) is var k and >= 0)
                    reportLoops[k] = own.Applied
                        ? reportLoops[k] with
                        {
                            Action = "parallel", Target = "cpu-openmp", Clauses = own.Edit.Directive, Transform = TransformOf(own.Edit), Code = FusedEditSkippedCode,
                            Reason = $"runs its own plan: the fused form ({fusion.Name}) was not rewritten ({skipped.Reason}); {own.Reason}",
                        }
                        : reportLoops[k] with { Code = FusedEditSkippedCode };
        }
        foreach (var shared in result.Outcomes.Where(o => o.Applied && o.DataRegion is not null))
        {
            var i = reportLoops.FindIndex(l => l.Id == shared.Edit.LoopId);
            if (i >= 0) reportLoops[i] = reportLoops[i] with { Reason = reportLoops[i].Reason + "; " + shared.DataRegion };
        }
        ReportInnerSimd(result.Outcomes, reportLoops);
        vectorization.Report(reportLoops);
        // The decision column names the unrolled-and-jammed loops the rewriter placed (the plan's reason says why each is legal).
        foreach (var o in result.Outcomes.Where(o => o.Applied && o.UnrollJams.Count > 0))
            if (reportLoops.FindIndex(l => l.Id == o.Edit.LoopId) is var k and >= 0)
                reportLoops[k] = reportLoops[k] with { Transform = string.Join(", ", o.UnrollJams.Select(u => u.Name)) };
        Unnested(reportLoops, "was not rewritten");
        var applied = result.Outcomes.Where(o => o.Applied).Sum(o => o.Edit.ParallelLoops) + result.Outcomes.Where(o => !o.Applied).Sum(o => o.Fallbacks.Count(x => x.Applied));
        if (!result.Changed || !result.Outcomes.Any(o => o.Applied || o.Fallbacks.Any(x => x.Applied)))
        {
            if (File.Exists(outputPath)) File.Delete(outputPath);
            return new SourceRecord(unit.File, string.Empty, "unchanged", null, plans.Count, 0, reportLoops, null) { Headers = analysis.IncludedFiles };
        }
        AtomicFile.WriteIfChanged(outputPath, result.Text);
        if (await CompileCheck.FailureAsync(unit, outputPath, cancel) is { } failure)
        {
            // Never hand the build a copy that does not compile: the original is built, serial, and the user is told.
            File.Delete(outputPath);
            Warn(unit.File, 0, 0, "PSLM1013", $"ParaSlm's parallel copy of this file does not compile ({failure}); the original is compiled " +
                                              "instead and its loops stay serial. Please report it with the file's loop.");
            for (var i = 0; i < reportLoops.Count; i++)
                if (reportLoops[i].Action == "parallel" || reportLoops[i].Transform is not null)
                    reportLoops[i] = reportLoops[i] with { Action = "sequential", Target = "none", Clauses = string.Empty, RuntimeCheck = null, Transform = null, Code = "PSLM1013", Reason = "not rewritten: the parallel copy did not compile: " + failure };
            Unnested(reportLoops, "was not rewritten");
            return new SourceRecord(unit.File, string.Empty, "unchanged", null, plans.Count, 0, reportLoops, null) { Headers = analysis.IncludedFiles };
        }
        // The kernels of the loops the copy now launches, beside the copy (with our header): CMake builds them as CUDA.
        var launched = result.Outcomes.Where(o => o.Applied && cudaOutlines.ContainsKey(o.Edit.LoopId)).Select(o => (facts[o.Edit.LoopId], cudaOutlines[o.Edit.LoopId])).ToList();
        string? cudaSource = null;
        if (launched.Count > 0)
        {
            cudaSource = Path.ChangeExtension(outputPath, ".cu");
            AtomicFile.WriteIfChanged(cudaSource, CudaKernel.File(unit.File, bytes, launched));
            AtomicFile.WriteIfChanged(Path.Combine(Path.GetDirectoryName(outputPath)!, CudaKernel.HeaderName), CudaKernel.Header());
        }
        var label = Path.GetRelativePath(root, unit.File).Replace('\\', '/');
        var diff = UnifiedDiff.Create(label, label, text, result.ReviewText);
        var planOf = plans.ToDictionary(p => p.Id, StringComparer.Ordinal);
        AppliedLoop Record(EditOutcome o)
        {
            var (e, p, f) = (o.Edit, planOf[o.Edit.LoopId], facts[o.Edit.LoopId]);
            var key = p.Origin is PlanOrigin.Model or PlanOrigin.Cache ? planners.Get().CacheKeyFor(f, analysis, text, unit.Arguments) : null;
            // A CUDA loop is recorded in its CPU form: validation's sanitizer builds run host code only.
            if (e.RunsOnlyIfCheck) e = e with { Directive = string.Join(' ', new[] { "omp parallel for", p.Clauses }.Where(x => x.Length > 0)), RuntimeCheck = p.RuntimeCheck };
            // A fallback (a nest's own edit) is matched by its own text; a fused edit's hash covers both nests.
            var hash = EngineState.LoopHash(f.Function, LoopText(bytes, f, e.Fused));
            return new AppliedLoop(e.LoopId, e.Line, e.Column, f.Function, e.StartOffset, e.EndOffset, e.Directive, e.RuntimeCheck, hash,
                LoopPlan.OriginName(p.Origin), key) { UserBuildHasOpenMP = userOpenMP, UserBuildVectorizes = vectorization.Vectorizes, Maps = e.Maps, Matmul = e.Matmul, Append = e.Append, Guarded = e.Guarded, Privatized = e.Privatized, Distributed = e.Distributed, Fused = e.Fused, RightLooking = e.RightLooking, NotDuplicable = e.NotDuplicable, Sink = e.Sink, SinkDirectives = e.SinkDirectives, SinkPrefixes = e.SinkPrefixes, SinkRows = e.SinkRows, InnerSimd = o.InnerSimd, Interchange = e.Interchange, Hoist = e.Hoist, HoistDirectives = e.HoistDirectives, Expansions = o.Expansions, UnrollJams = o.UnrollJams, TeamCondition = e.TeamCondition,
                Fallbacks = o.Applied && e.Fused is not null ? o.Fallbacks.Where(x => x.Applied).Select(Record).ToList() : [] };
        }
        // A fused edit's record carries its fallbacks; where it was skipped, the fallbacks that went in are loops of their own.
        var appliedLoops = result.Outcomes.Where(o => o.Applied).Select(Record)
            .Concat(result.Outcomes.Where(o => !o.Applied).SelectMany(o => o.Fallbacks.Where(x => x.Applied)).Select(Record)).ToList();
        return new SourceRecord(unit.File, string.Empty, "rewritten", outputPath, plans.Count, applied, reportLoops, diff)
        {
            OffloadFlags = appliedLoops.Any(l => OffloadDirective.IsOffload(l.Directive)) ? offloadFlags : [],
            CudaSource = cudaSource,
            Headers = analysis.IncludedFiles,
            Applied = appliedLoops,
            TextHash = EngineState.TextHashOf(text),
        };
    }

    /// <summary>
    /// An inner loop's plan said "inside the parallel loop at line L" (perhaps with its inner-simd note after a `;`); once no
    /// loop at L runs in parallel (its edit was not rewritten, or the copy did not compile) that is no longer true: LU's inner
    /// loops read as if they ran in parallel beside an enclosing loop the same report called serial.
    /// </summary>
    private static void Unnested(List<ReportLoop> reportLoops, string what)
    {
        var serialLines = reportLoops.Where(l => l.Action != "parallel" && !l.Reason.StartsWith(Inside, StringComparison.Ordinal))
            .Select(l => l.Line).Where(line => !reportLoops.Any(l => l.Line == line && l.Action == "parallel")).ToHashSet();
        for (var i = 0; i < reportLoops.Count; i++)
            foreach (var line in serialLines)
            {
                var said = $"{Inside}{line}";
                var reason = reportLoops[i].Reason;
                if (reason.StartsWith(said, StringComparison.Ordinal) && (reason.Length == said.Length || reason[said.Length] == ';'))
                    reportLoops[i] = reportLoops[i] with { Reason = $"serial: its enclosing loop at line {line} {what} (see its reason), and ParaSlm does not parallelize an inner loop in its place" };
            }
    }

    private const string Inside = "inside the parallel loop at line ";

    /// <summary>
    /// The report shows the nest's second edit on both loops: the parallel loop lists its vectorized inner loops (a
    /// floating-point sum in lanes may change the last digits), each inner loop says it runs in vector lanes.
    /// </summary>
    private static void ReportInnerSimd(IReadOnlyList<EditOutcome> outcomes, List<ReportLoop> reportLoops)
    {
        foreach (var o in outcomes.Where(o => o.Applied && o.InnerSimd.Count > 0))
        {
            var outer = reportLoops.FindIndex(l => l.Id == o.Edit.LoopId);
            var sites = o.InnerSimd;
            if (outer >= 0)
            {
                var floats = sites.Where(s => s.FloatingPointReduction).ToList();
                reportLoops[outer] = reportLoops[outer] with
                {
                    Reason = reportLoops[outer].Reason + "; " + string.Join(", ", sites.Select(s => $"`#pragma {s.Directive}` on the inner loop at line {s.Line}")) +
                             (floats.Count == 0 ? string.Empty : $" (its lanes sum floating point in another order: the last digits may change)"),
                    LastDigitsMayChange = reportLoops[outer].LastDigitsMayChange || floats.Count > 0,
                };
            }
            foreach (var s in sites)
                if (reportLoops.FindIndex(l => l.Id == s.LoopId) is var k and >= 0)
                    reportLoops[k] = reportLoops[k] with { Reason = $"{reportLoops[k].Reason}; runs in vector lanes (`#pragma {s.Directive}`): no dependence at its level, stride-1 accesses" };
        }
    }

    /// <summary>The loop's text: libclang's offsets count UTF-8 bytes, so slice the bytes. A fused edit's text runs on to the end of
    /// the second nest: its hash (what a validation rejection is matched by) changes when either nest does.</summary>
    private static string LoopText(byte[] source, LoopFacts loop, SiblingFusion? fused = null)
    {
        var end = fused?.SecondEndOffset ?? loop.EndOffset;
        return loop.StartOffset >= 0 && end <= source.Length && end > loop.StartOffset
            ? Encoding.UTF8.GetString(source, loop.StartOffset, end - loop.StartOffset)
            : loop.Id;
    }

    /// <summary>The transform an edit runs, for the report (null: a plain directive).</summary>
    private static string? TransformOf(LoopEdit e) =>
        e.Interchange?.Name ?? e.Distributed?.Pipeline?.Name ?? e.Distributed?.Name ?? e.Privatized?.Name ?? (e.Matmul is null ? null : MatmulNest.TransformName)
        ?? (e.UnrollJams.Count > 0 ? string.Join(", ", e.UnrollJams.Select(u => u.Name)) : null) ?? (e.Expansions.Count > 0 ? string.Join(", ", e.Expansions.Select(x => x.Name)) : null);

    private static ReportLoop ToReport(LoopPlan p, string function) =>
        new(p.Id, p.Line, p.Column, function, p.Action, p.Target, p.Clauses, p.RuntimeCheck, LoopPlan.OriginName(p.Origin), p.Strategy,
            LoopPlan.VerdictName(p.Verdict), ForMSBuild(p.Reason), p.Code) { Transform = p.IsParallel ? null : p.Proposal.Transform };

    /// <summary>A build's user sets MSBuild properties, not CLI flags: remedies name the property.</summary>
    public static string ForMSBuild(string reason) =>
        System.Text.RegularExpressions.Regex.Replace(reason, @"--assume-pure ([A-Za-z_][\w:]*)", "the ParaSlmAssumePure property ($1)");

    private List<CompileCommand> Units()
    {
        var list = new List<CompileCommand>();
        if (request.CompileCommands is { } cc) list.AddRange(CompileCommandsReader.Read(cc));
        foreach (var s in request.Sources)
            list.Add(new CompileCommand(Path.GetFullPath(s.File), s.Arguments ?? [], Environment.CurrentDirectory) { Compiler = NullIfEmpty(s.Compiler) });
        return list
            .Where(u => SourceExtensions.Contains(Path.GetExtension(u.File)))
            .GroupBy(u => u.File, StringComparer.Ordinal)
            .Select(g => g.First() with
            {
                // Analyze exactly what is compiled: every distinct way the build compiles this file (ConfigurationAgreement).
                Alternatives = g.Skip(1).Where(u => !SameCommand(u, g.First())).DistinctBy(u => CommandKey(u), StringComparer.Ordinal).ToList(),
            })
            .ToList();
    }

    private static string CommandKey(CompileCommand u) => (u.Compiler ?? string.Empty) + "\u0001" + string.Join("\u0001", u.Arguments);

    private static bool SameCommand(CompileCommand a, CompileCommand b) => CommandKey(a) == CommandKey(b);

    /// <summary>`src/&lt;name&gt;.&lt;hash8 of the full path&gt;&lt;ext&gt;`: stable per source and unique per path.</summary>
    public static string OutputPathFor(string inter, string file)
    {
        var h = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(file)))[..8].ToLowerInvariant();
        return Path.Combine(inter, "src", $"{Path.GetFileNameWithoutExtension(file)}.{h}{Path.GetExtension(file)}");
    }

    private void WriteOutputs(string inter, EngineState state, List<CompileCommand> units)
    {
        var records = units.Where(u => state.Sources.ContainsKey(u.File)).Select(u => state.Sources[u.File]).ToList();
        AtomicFile.WriteIfChanged(Path.Combine(inter, EngineOutputs.FileName),
            EngineOutputs.Format(records.Select(r => new EngineOutput(r.File, r.Output, r.Status, r.Loops, r.Parallel))));
        // Sources and the user headers they read: the build's Inputs for the next incremental check.
        var inputs = units.Select(u => u.File)
            .Concat(units.SelectMany(u => state.Sources.TryGetValue(u.File, out var r) ? r.Headers : []))
            .Distinct(StringComparer.Ordinal);
        AtomicFile.WriteIfChanged(Path.Combine(inter, "paraslm.inputs.txt"), string.Concat(inputs.Select(f => f + "\n")));
        var map = records.Where(r => r.Status == EngineOutputs.Rewritten && r.Output is not null).Select(r => new KeyValuePair<string, string>(r.File, r.Output!));
        var offloaded = units.Select(u => state.Sources.GetValueOrDefault(u.File)).Where(r => r is { Status: "rewritten", Output: not null, OffloadFlags.Count: > 0 }).ToList();
        var cuda = records.Where(r => r is { Status: EngineOutputs.Rewritten, Output: not null, CudaSource: not null } && File.Exists(r.CudaSource))
            .Select(r => new KeyValuePair<string, string>(r.Output!, r.CudaSource!)).ToList();
        AtomicFile.WriteIfChanged(Path.Combine(inter, SourceMap.FileName), SourceMap.Format(map, "paraslm apply",
            offloaded.Select(r => r!.Output!), offloaded.SelectMany(r => r!.OffloadFlags), cuda, _cuda?.Architectures));
    }

    /// <summary>
    /// ParaSlmGpuFlavor=cuda without a CUDA toolkit (PSLM2007): the loops are built for the CPU, and what ParaSlm would have
    /// built is written for review to the intermediate folder's cuda/ (the copy calling the launchers, the .cu, our header).
    /// </summary>
    private static void WriteCudaReview(CompileCommand unit, string inter, IReadOnlyList<LoopFacts> loops)
    {
        if (loops.Count == 0) return;
        var review = CudaRewrite.Rewrite(unit.File, File.ReadAllText(unit.File), loops, new RewriteOptions(ClangParser.EnablesOpenMP(unit.Arguments)));
        if (review.CuText is null) return;
        var copy = Path.Combine(inter, "cuda", Path.GetFileName(OutputPathFor(inter, unit.File)));
        AtomicFile.WriteIfChanged(copy, review.Rewrite.Text);
        AtomicFile.WriteIfChanged(Path.ChangeExtension(copy, ".cu"), review.CuText);
        AtomicFile.WriteIfChanged(Path.Combine(inter, "cuda", CudaKernel.HeaderName), CudaKernel.Header());
    }

    private void Warn(string file, int line, int column, string code, string message) => _log.Report(Diagnostic.Warning(code, message, file, line, column));

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static string CommonDirectory(IEnumerable<string> files)
    {
        string? common = null;
        foreach (var f in files)
        {
            var dir = Path.GetDirectoryName(f) ?? "/";
            if (common is null) { common = dir; continue; }
            while (!dir.StartsWith(common, StringComparison.Ordinal) || (dir.Length > common.Length && dir[common.Length] != Path.DirectorySeparatorChar && !common.EndsWith(Path.DirectorySeparatorChar)))
                common = Path.GetDirectoryName(common) ?? "/";
        }
        return common ?? Environment.CurrentDirectory;
    }

    /// <summary>Creates the planner (and so any model connection) only when some source needs planning.</summary>
    private sealed class LazyPlanner(PlannerSettings settings, PlannerLog log) : IDisposable
    {
        private PlannerSession? _session;

        public PlannerSession Get() => _session ??= new PlannerSession(settings, log);

        /// <summary>Why no model planned (only known once some source needed planning).</summary>
        public string? UnavailableReason => _session?.UnavailableReason;

        public void Dispose() => _session?.Dispose();
    }

    /// <summary>Loads libclang only when some source actually needs analysis (a no-op build never does).</summary>
    private sealed class LazyAnalyzer(AnalyzerOptions options) : IDisposable
    {
        private SourceAnalyzer? _analyzer;

        public SourceAnalyzer Get() => _analyzer ??= new SourceAnalyzer(options);

        public void Dispose() => _analyzer?.Dispose();
    }
}
