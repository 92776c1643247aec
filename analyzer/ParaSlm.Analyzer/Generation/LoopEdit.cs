using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// One loop to rewrite: where its `for` statement is in the original text, the OpenMP directive to put
/// in front of it, and, when the plan needs it, the runtime condition under which the parallel version
/// may run (loop versioning: `if (check) { parallel } else { original }`).
/// </summary>
/// <param name="Line">1-based line of the `for` keyword.</param>
/// <param name="Column">1-based byte column of the `for` keyword.</param>
/// <param name="StartOffset">Byte offset of the `for` keyword.</param>
/// <param name="EndOffset">Byte offset where libclang says the statement ends (a braceless body's `;` may follow).</param>
/// <param name="Directive">The pragma text after `#pragma `, e.g. `omp parallel for private(t) reduction(+:s)`.</param>
/// <param name="RuntimeCheck">A C condition; null when the loop is parallel unconditionally.</param>
/// <param name="LoopId">The loop's id (`file:line:col`), echoed in results.</param>
public sealed record LoopEdit(int Line, int Column, int StartOffset, int EndOffset, string Directive, string? RuntimeCheck, string LoopId)
{
    /// <summary>The edit for an analyzed loop: its position and extent come from the analyzer's facts, so they are
    /// exactly the ones libclang reported for the text the rewriter receives.</summary>
    public static LoopEdit ForLoop(LoopFacts loop, string directive, string? runtimeCheck = null) =>
        new(loop.Line, loop.Column, loop.StartOffset, loop.EndOffset, directive, runtimeCheck, loop.Id) { NotDuplicable = loop.NotDuplicable, TwoCounter = loop.TwoCounter };

    /// <summary>
    /// The CPU edit for a verified plan: `omp parallel for` with the plan's clauses, or, for a plan that names the
    /// matrix-product transform the facts prove, the tiled nest (its tile loop needs no data-sharing clause: the form
    /// declares its counters inside it). <paramref name="guard"/> is the run-time profitability `if(…)` clause, or null.
    /// </summary>
    /// <param name="fileLoops">Every loop of the file by id: with a plan that asks for it, the nest's inner loops that the
    /// facts prove vectorizable get `omp simd` (<see cref="Locality.InnerSimd"/>); null: no inner simd.</param>
    /// <param name="floatReassociation">An inner floating-point reduction may be summed in vector lanes.</param>
    /// <param name="ownRegion">The directive opens the loop's own region. False for a nest that becomes `omp for` in a
    /// region around a serial loop, or runs under a sunk serial loop: what is shared there is the region's affair, so the
    /// directive takes nothing by value (<see cref="LoopFacts.ByValue"/>; a variable the region makes private may not be
    /// named again).</param>
    public static LoopEdit ForProposal(LoopFacts loop, Verification.PlanProposal plan, string? runtimeCheck, string? guard = null,
        IReadOnlyDictionary<string, LoopFacts>? fileLoops = null, bool floatReassociation = true, bool ownRegion = true)
    {
        string? ByValue(LoopFacts l, Verification.PlanProposal p) => ownRegion ? LoopEdit.ByValue(l, p) : null;
        static string Join(params string?[] parts) => string.Join(' ', parts.Where(x => !string.IsNullOrWhiteSpace(x)));
        // An interchanged nest's headers move, so the inner-simd sites of the order as written do not apply to it.
        if (plan.Transform is { } transform && loop.Interchange is { } swap && swap.Name == transform)
            // The nest runs the same statements in another order: what it only reads, it only reads in any order.
            return ForLoop(loop, Join(swap.Directive, ByValue(loop, plan), guard),
                swap.FloatingPoint ? Both(SourceRewriter.ExactAndSameContraction, runtimeCheck) : runtimeCheck) with { Interchange = swap };
        if (loop.Append is { } append && plan.Transform == append.TransformName)
            return ForLoop(loop, Join("omp parallel for schedule(dynamic, 1) reduction(|:paraslm_bad)", guard), runtimeCheck) with { Append = append };
        if (loop.GuardedReduction is { } scatter && plan.Transform == Locality.GuardedReduction.TransformName)
            return ForLoop(loop, Join("omp parallel for", scatter.Clauses, guard), runtimeCheck) with { Guarded = scatter };
        // Two sibling nests fused: one region replacing both, its own check over both nests' bases.
        if (loop.Fusion is { } fusion && plan.Transform == fusion.Name)
            return ForLoop(loop, Join(Locality.SiblingFusion.Directive, guard), Both(runtimeCheck, fusion.OverlapCheck)) with { Fused = fusion };
        // The pipelined form is carried on the distribution it reorders; a plan that names the groups runs them without it.
        if (loop.Distribution is { } split && (plan.Transform == split.Name || plan.Transform == split.Pipeline?.Name))
            return ForLoop(loop, Join(split.Directive, guard), Both(runtimeCheck, split.OverlapCheck)) with
                { Distributed = plan.Transform == split.Name ? split with { Pipeline = null } : split };
        if (loop.Privatization is { } priv && plan.Transform == priv.Name)
            return ForLoop(loop, Join("omp parallel for", priv.Clauses, guard), runtimeCheck) with { Privatized = priv };
        if (plan.Transform == Locality.MatmulNest.TransformName && loop.Matmul is { } nest)
            return ForLoop(loop, Join("omp parallel for schedule(static)", guard), runtimeCheck) with { Matmul = nest };
        if (plan.ScalarExpansion && plan.Transform is null && !plan.Simd && Locality.ScalarExpanding.Self(loop, plan.Collapse) is { } self)
            return ForLoop(loop, Join("omp parallel for", plan.ClauseText, ByValue(loop, plan), guard), runtimeCheck) with { Expansions = [self] };
        IReadOnlyList<Locality.SimdSite> simd = plan.InnerSimd && fileLoops is not null ? Verification.PlanSites.InnerSimd(loop, plan, fileLoops, floatReassociation) : [];
        // Where the inner loop's chain may be combined in vector lanes (reassociation allowed), its `omp simd` wins over unroll-and-jam;
        // without reassociation a lane reduction (a `max` too: lanes may keep another NaN) gives way to the in-order chains.
        var lanes = simd.Where(s => floatReassociation || Locality.UnrollJamming.LanesKeepResults(s)).ToList();
        if (plan.UnrollJam && plan.Transform is null && !plan.Simd && !plan.ScalarExpansion && Locality.UnrollJamming.Self(loop, plan.Collapse) is { } jam &&
            Locality.UnrollJamming.WithoutSimd([jam], lanes).Count == 1)
            return ForLoop(loop, Join("omp parallel for", plan.ClauseText, ByValue(loop, plan), guard), runtimeCheck) with { UnrollJams = [jam] };
        IReadOnlyList<Locality.ScalarExpansion> expansions = fileLoops is not null ? Verification.PlanSites.Expansions(loop, plan, fileLoops) : [];
        IReadOnlyList<Locality.UnrollJam> jams = plan.UnrollJam && plan.Transform is null && fileLoops is not null
            ? Locality.UnrollJamming.WithoutSimd(Locality.UnrollJamming.Sites(loop, plan.Collapse, fileLoops, expansions), lanes) : [];
        return ForLoop(loop, Join("omp parallel for", plan.ClauseText, ByValue(loop, plan), guard), runtimeCheck) with
        {
            // An expanded or jammed loop is rewritten whole: its own inner loops keep no separate `omp simd` (PlanSites leaves out the expanded ones).
            InnerSimd = simd.Where(s => !jams.Any(e => s.StartOffset >= e.StartOffset && s.StartOffset < e.EndOffset)).ToList(),
            Expansions = expansions,
            UnrollJams = jams,
        };
    }

    /// <summary>The `firstprivate` clause for the variables the loop only reads (<see cref="LoopFacts.ByValue"/>), less any
    /// the plan's own clauses name (a model's plan may privatize one); null when none is left.</summary>
    private static string? ByValue(LoopFacts loop, Verification.PlanProposal plan)
    {
        var named = plan.Private.Concat(plan.LastPrivate).Concat(plan.Reductions.Select(r => r.Variable)).ToHashSet(StringComparer.Ordinal);
        var names = loop.ByValue.Where(v => !named.Contains(v)).ToList();
        return names.Count == 0 ? null : $"firstprivate({string.Join(", ", names)})";
    }

    private static string? Both(string? a, string? b) => a is null ? b : b is null || a == b ? a : $"({a}) && ({b})";

    /// <summary>A serial loop emitted distributed (<see cref="DistributionEmitter"/>): the whole `for` statement is replaced,
    /// <see cref="Directive"/> is the region's pragma and <see cref="RuntimeCheck"/> (its overlap check) versions it; null otherwise.</summary>
    public Locality.LoopDistribution? Distributed { get; init; }

    /// <summary>Two sibling nests emitted fused as one row-column pipeline (<see cref="PipelineEmitter"/>): the edit's range runs from this
    /// nest's `for` to the end of the next nest (<see cref="Locality.SiblingFusion.SecondStartOffset"/>), versioned by
    /// <see cref="RuntimeCheck"/> (the overlap check over both nests) and the pipeline's gate, the nests as written otherwise; null otherwise.</summary>
    public Locality.SiblingFusion? Fused { get; init; }

    /// <summary>A <see cref="Fused"/> edit's fallbacks: each nest's own edit, what it gets without fusion (a nest that stays serial
    /// has none). The fused form's `else` branch runs them, and where the fused edit cannot be placed they are placed instead,
    /// so fusion never costs a nest its own parallel form. Empty otherwise.</summary>
    public IReadOnlyList<LoopEdit> Fallbacks { get; init; } = [];

    /// <summary>A serial loop emitted right-looking (<see cref="RightLookingEmitter"/>): the whole `for` statement is replaced by a
    /// serial form with no directive; <see cref="RuntimeCheck"/> (the tests' assumptions, the overlap check) versions it; null otherwise.</summary>
    public Locality.RightLooking? RightLooking { get; init; }

    /// <summary>The edit for a serial loop whose verified plan names its right-looking form: no directive, the form's own condition.</summary>
    public static LoopEdit ForRightLooking(LoopFacts loop, Locality.RightLooking form) =>
        ForLoop(loop, string.Empty, form.Condition) with { RightLooking = form };

    /// <summary>The loop stays as written and runs only when <see cref="RuntimeCheck"/> holds (`if (check) { loop }`, no
    /// directive): a CUDA launcher call that returns non-zero when it did not run the loop on the device.</summary>
    public bool RunsOnlyIfCheck { get; init; }

    /// <summary>For an offloaded loop: the arrays its map clauses name (from the facts), so that consecutive offloaded
    /// loops can share one `target data` region (<see cref="TargetDataRegions"/>); empty otherwise.</summary>
    public IReadOnlyList<Offload.MappedArray> Maps { get; init; } = [];

    /// <summary>A matrix-product nest to emit in its tiled i-k-j form (<see cref="MatmulEmitter"/>): the whole `for`
    /// statement is replaced, <see cref="Directive"/> goes on the parallel tile loop, and <see cref="RuntimeCheck"/> (like
    /// the exact-rounding test, where needed) selects between the tiled form and the original nest; null otherwise.</summary>
    public Locality.MatmulNest? Matmul { get; init; }

    /// <summary>An append loop to emit in its two-phase form (<see cref="OrderedAppendEmitter"/>): the whole `for` statement is
    /// replaced, <see cref="Directive"/> goes on phase 1's chunk loop; null otherwise.</summary>
    public Locality.OrderedAppend? Append { get; init; }

    /// <summary>A scatter to emit as a guarded array reduction (<see cref="GuardedReductionEmitter"/>): the whole `for` statement
    /// is replaced, <see cref="Directive"/> goes on the parallel copy; null otherwise.</summary>
    public Locality.GuardedReduction? Guarded { get; init; }

    /// <summary>A loop whose scratch array runs privatized (<see cref="PrivatizationEmitter"/>): the whole `for` statement is
    /// replaced, <see cref="Directive"/>'s clauses go on the copy's `omp for`; null otherwise.</summary>
    public Locality.Privatization? Privatized { get; init; }

    /// <summary>Why the loop's code may not be written twice (<see cref="LoopFacts.NotDuplicable"/>): then a cost guard stays
    /// an `if` clause and an edit that needs versioning is skipped; null when it may.</summary>
    public string? NotDuplicable { get; init; }

    /// <summary>The loop's header advances two counters (<see cref="LoopFacts.TwoCounter"/>): its parallel version is written in
    /// the one-counter form; any other form of the loop is skipped.</summary>
    public Loops.TwoCounterForm? TwoCounter { get; init; }

    /// <summary>A condition under which the region runs its full team, else one thread (the loop's form unchanged): where
    /// the threads would spend more on moving what the enclosing serial loop just wrote than they save
    /// (<see cref="Locality.BroadcastRead"/>). Added by the edit planner after the cost guard's versioning; null: none.</summary>
    public string? TeamCondition { get; init; }

    /// <summary>A serial loop moved inside its parallel nests (<see cref="Locality.SerialLoopSink"/>): the edit sits on the
    /// serial loop and replaces it; <see cref="SinkDirectives"/> holds each nest's pragma text, in the nests' order.</summary>
    public Locality.SerialLoopSink? Sink { get; init; }

    public IReadOnlyList<string> SinkDirectives { get; init; } = [];

    /// <summary>Inner loops of the nest (of every nest of a <see cref="Sink"/> group) that get `#pragma omp simd`, in every copy
    /// of the nest the rewriter writes (both versions of a versioned loop); empty for none.</summary>
    public IReadOnlyList<Locality.SimdSite> InnerSimd { get; init; } = [];

    /// <summary>A nest whose loop headers run in another order (<see cref="Locality.InterchangeNest"/>): the parallel copy has
    /// its headers swapped in place (every line kept) and <see cref="Directive"/> on the new outer loop; with worksharing, the
    /// parallel level also gets `omp for schedule(static) nowait`. Null otherwise.</summary>
    public Locality.InterchangeNest? Interchange { get; init; }

    /// <summary>Inner loops of the nest that run scalar-expanded (<see cref="Locality.ScalarExpansion"/>): in the parallel copy each
    /// is replaced by its expanded form; the serial (`else`) copy of a versioned nest keeps the loop as written. Or the edit's
    /// own loop (the same <see cref="LoopId"/>): the whole statement is replaced and <see cref="Directive"/> goes on its strip
    /// loop. Empty for none.</summary>
    public IReadOnlyList<Locality.ScalarExpansion> Expansions { get; init; } = [];

    /// <summary>The edit's own loop runs scalar-expanded, its strips in parallel (or, with no directive, one after another).</summary>
    public bool ExpandsItself => Expansions is [var only] && only.LoopId == LoopId;

    /// <summary>The edit's own loop runs scalar-expanded with no region (<see cref="ForSerialExpansion"/>).</summary>
    public bool ExpandsSerially => ExpandsItself && string.IsNullOrWhiteSpace(Directive);

    /// <summary>The edit for a serial loop whose verified plan names its scalar-expanded form (<see cref="Locality.ScalarExpanding.SerialForm"/>):
    /// no directive, its strips one after another from the loop's start (the emitter's inner-strip form), versioned by the loop's
    /// run-time check, under which the form is proven.</summary>
    public static LoopEdit ForSerialExpansion(LoopFacts loop, Locality.ScalarExpansion form) =>
        ForLoop(loop, string.Empty, loop.RuntimeCheck) with { Expansions = [form] };

    /// <summary>The edit for a serial loop whose verified plan names <paramref name="transform"/>: its right-looking order or its
    /// scalar-expanded form (<see cref="Verification.PlanProposal.IsSerialTransform"/>), where the facts name the same one; null for a
    /// loop that stays as written.</summary>
    public static LoopEdit? ForSerialTransform(LoopFacts loop, string? transform) =>
        !Verification.PlanProposal.IsSerialTransform(transform) ? null
        : loop.RightLooking is { } form && transform == form.Name ? ForRightLooking(loop, form)
        : loop.ScalarExpansion is { } expanded && transform == expanded.Name ? ForSerialExpansion(loop, expanded)
        : null;

    /// <summary>Inner loops of the nest that run unrolled and jammed (<see cref="Locality.UnrollJam"/>): in the parallel copy each is
    /// replaced by its jammed form; the serial (`else`) copy of a versioned nest keeps the loop as written. Or the edit's own
    /// loop (the same <see cref="LoopId"/>): the whole statement is replaced and <see cref="Directive"/> goes on its group loop.
    /// Empty for none.</summary>
    public IReadOnlyList<Locality.UnrollJam> UnrollJams { get; init; } = [];

    /// <summary>The edit's own loop runs unrolled and jammed, its groups in parallel.</summary>
    public bool JamsItself => UnrollJams is [var only] && only.LoopId == LoopId;

    /// <summary>Per nest of a <see cref="Sink"/> group: the invariant prefix its plan claims (run once per element), or null
    /// (the serial loop goes in front of the whole element body).</summary>
    public IReadOnlyList<Locality.InvariantPrefix?> SinkPrefixes { get; init; } = [];

    /// <summary>Per nest of a <see cref="Sink"/> group: its prefix runs in the row form (the plan leaves the innermost element loop serial).</summary>
    public IReadOnlyList<bool> SinkRows { get; init; } = [];

    /// <summary>Per nest of a <see cref="Sink"/> group: the transform it runs, for the report.</summary>
    public IReadOnlyList<string> SinkTransforms { get; init; } = [];

    /// <summary>The edit for a group of nests under one serial loop, each with its verified plan's directive. A nest whose
    /// plan (<paramref name="plans"/>, in the nests' order) names the prefix the facts prove gets it hoisted, in the row
    /// form where its collapse leaves the innermost element loop serial; without plans no prefix is hoisted.</summary>
    public static LoopEdit ForSink(Locality.SerialLoopSink sink, IReadOnlyList<string> directives, IReadOnlyList<Locality.SimdSite>? innerSimd = null,
        IReadOnlyList<Verification.PlanProposal>? plans = null)
    {
        var prefixes = sink.Nests.Select((n, k) => plans is not null && n.Prefix is { } p && plans[k].Transform == p.Name ? p : null).ToList();
        return new(sink.Line, sink.Column, sink.StartOffset, sink.EndOffset, directives[0], null, sink.Nests[0].LoopId)
        {
            InnerSimd = innerSimd ?? [],
            Sink = sink,
            // A counter declared outside the serial loop is written in every region: each thread needs its own.
            SinkDirectives = directives.Select(d => sink.CounterPrivate is null ? d : $"{d} private({sink.CounterPrivate})").ToList(),
            SinkPrefixes = prefixes,
            SinkRows = prefixes.Select((p, k) => p is not null && p.RowFormWith(plans![k].Collapse)).ToList(),
            SinkTransforms = prefixes.Select(p => p?.Name ?? Locality.SerialLoopSink.TransformName).ToList(),
        };
    }

    /// <summary>A serial loop run in one parallel region (<see cref="Locality.SerialLoopHoist"/>): the edit sits on the serial
    /// loop with the region's directive; <see cref="HoistDirectives"/> holds the directive of each of its
    /// <see cref="Locality.SerialLoopHoist.Parts"/> (`omp for …`, `omp single`), in their order.</summary>
    public Locality.SerialLoopHoist? Hoist { get; init; }

    public IReadOnlyList<string> HoistDirectives { get; init; } = [];

    /// <summary>How many loops this edit runs in parallel: one, or each work-shared nest of a group edit (a sunk serial
    /// loop's nests, a hoisted region's `omp for` nests) — what the build's "N parallel" counts.</summary>
    public int ParallelLoops =>
        Hoist is not null ? HoistDirectives.Count(d => d.StartsWith("omp for", StringComparison.Ordinal))
        : RightLooking is not null || ExpandsSerially ? 0
        : Sink is { } sink ? sink.Nests.Count
        : 1;

    /// <summary>
    /// The edit for a hoisted region. <paramref name="parts"/>: each part's directive (a nest's `omp parallel for …`
    /// becomes `omp for …`). <paramref name="guards"/>: the cost guard of each work-shared nest (null: none); the region
    /// runs on one thread only when every nest would (so a nest without a guard keeps the region unconditional).
    /// <paramref name="runtimeCheck"/>: the conjunction of the nests' overlap checks, tested once before the serial loop.
    /// </summary>
    public static LoopEdit ForHoist(Locality.SerialLoopHoist hoist, IReadOnlyList<string> parts, IReadOnlyList<string?> guards, string? runtimeCheck, string loopId)
    {
        const string combined = "omp parallel for";
        var directives = parts.Select(d => d.StartsWith(combined, StringComparison.Ordinal) ? "omp for" + d[combined.Length..] : d).ToList();
        var conditions = guards.Select(g => g is null ? null : CostGuardVersioning.Split("omp parallel " + g)?.Condition).ToList();
        string? guard = null;
        if (conditions.Count > 0 && conditions.All(c => c is not null))
        {
            // Every condition reads `!PARASLM_COST_GUARD || n >= K`; the region's is the switch or any nest's test.
            var prefix = "!" + SourceRewriter.CostGuard + " ||";
            var tests = conditions.Select(c => c!.StartsWith(prefix, StringComparison.Ordinal) ? c[prefix.Length..].Trim() : c!).Distinct(StringComparer.Ordinal);
            guard = $"if({prefix} {string.Join(" || ", tests.Select(t => $"({t})"))})";
        }
        var region = string.Join(' ', new[] { "omp parallel", hoist.CounterPrivate is null ? null : $"private({hoist.CounterPrivate})", guard }.OfType<string>());
        return new LoopEdit(hoist.Line, hoist.Column, hoist.StartOffset, hoist.EndOffset, region, runtimeCheck, loopId) { Hoist = hoist, HoistDirectives = directives };
    }
}

/// <summary>What the rewriter did with one edit.</summary>
/// <param name="Applied">False when the edit was skipped; <paramref name="Reason"/> says why.</param>
public sealed record EditOutcome(LoopEdit Edit, bool Applied, string Reason)
{
    /// <summary>For an offloaded loop that shares a `target data` region with its neighbours: which arrays stay on the device.</summary>
    public string? DataRegion { get; init; }

    /// <summary>The inner loops that got `#pragma omp simd` (<see cref="LoopEdit.InnerSimd"/> less any the text did not allow).</summary>
    public IReadOnlyList<Locality.SimdSite> InnerSimd { get; init; } = [];

    /// <summary>The inner loops that were rewritten scalar-expanded (<see cref="LoopEdit.Expansions"/> less any the text did not allow).</summary>
    public IReadOnlyList<Locality.ScalarExpansion> Expansions { get; init; } = [];

    /// <summary>The loops that were rewritten unrolled and jammed (<see cref="LoopEdit.UnrollJams"/> less any the text did not allow).</summary>
    public IReadOnlyList<Locality.UnrollJam> UnrollJams { get; init; } = [];

    /// <summary>A fused edit's fallbacks (<see cref="LoopEdit.Fallbacks"/>): applied in its `else` branch, or in its place where it was
    /// skipped; not applied, with the reason, where the text did not allow them.</summary>
    public IReadOnlyList<EditOutcome> Fallbacks { get; init; } = [];
}

/// <summary>The rewritten text (byte-identical to the input when nothing was applied) and the outcome of each edit,
/// in the order the edits were given.</summary>
public sealed record RewriteResult(string Text, bool Changed, IReadOnlyList<EditOutcome> Outcomes)
{
    /// <summary>
    /// <see cref="Text"/> without the `#line` directives the rewriter inserted: what a reviewer should see and what
    /// <see cref="UnifiedDiff"/> should compare against the original (the original's own directives stay).
    /// </summary>
    public string ReviewText { get; init; } = Text;

    /// <summary>The team releases placed before serial nests (<see cref="TeamReleaseEmitter"/>).</summary>
    public IReadOnlyList<TeamReleaseOutcome> Releases { get; init; } = [];
}

/// <summary>How the rewritten copy must keep the user's build configuration.</summary>
/// <param name="UserBuildHasOpenMP">The file's own compile flags enable OpenMP. When false the copy (compiled with
/// OpenMP for ParaSlm's directives) starts with `#undef _OPENMP` and the user's own `#pragma omp` lines are blanked, so
/// the program is the one the user's build makes, plus ParaSlm's directives.</param>
public sealed record RewriteOptions(bool UserBuildHasOpenMP)
{
    /// <summary>Declarations the copy needs before its first line (the CUDA launchers it calls), or null.</summary>
    public string? Prelude { get; init; }

    /// <summary>The serial nests the analyzer proved release sites (<see cref="Facts.LoopFacts.TeamRelease"/>); the rewriter
    /// places a release before each one whose loops all stay serial, in a copy that opens a region at all.</summary>
    public IReadOnlyList<TeamReleaseSite> TeamReleases { get; init; } = [];

    /// <summary>The file's compile commands leave vectorization on; false (one of them has -fno-tree-vectorize, -fno-vectorize,
    /// …: <see cref="NoVectorization.SwitchIn"/>): the copy gets no `simd` from ParaSlm.</summary>
    public bool Vectorize { get; init; } = true;

    /// <summary>The user's build enables OpenMP: nothing to keep off.</summary>
    public static RewriteOptions Default { get; } = new(true);
}
