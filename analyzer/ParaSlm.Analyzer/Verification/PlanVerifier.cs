using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Scalars;

namespace ParaSlm.Analyzer.Verification;

public enum VerdictKind
{
    Accepted,
    Rejected,
    Repaired,
}

/// <summary>The verifier's decision: the plan that may be used (possibly repaired), and why.</summary>
/// <param name="Code">PSLM code when the proposal was not accepted as is.</param>
public sealed record Verdict(VerdictKind Kind, PlanProposal Plan, string Reason, string? Code);

/// <summary>
/// The safety gate between any planner and the build: a proposal is checked against the analyzer's facts
/// and never makes a loop parallel that the analyzer did not prove parallel, with exactly the data-sharing
/// clauses the analysis requires. Where the proposal only gets clauses wrong, it is repaired to the
/// analyzer's clauses (keeping target and schedule); where it is unsafe, it is rejected to sequential.
/// </summary>
public static class PlanVerifier
{
    public const string UnsafeParallel = "PSLM2001";
    public const string WrongClauses = "PSLM2002";
    public const string BadCollapse = "PSLM2003";
    public const string NotOffloadable = "PSLM2004";
    public const string NestedParallel = "PSLM2005";

    /// <param name="facts">The analyzer's facts for the loop.</param>
    /// <param name="proposal">What the planner wants.</param>
    /// <param name="nest">Facts of every loop of the file, by id (collapse is checked against the inner loops).</param>
    /// <param name="insideParallel">The loop sits inside a loop already planned parallel.</param>
    public static Verdict Verify(LoopFacts facts, PlanProposal proposal, IReadOnlyDictionary<string, LoopFacts> nest, bool insideParallel)
    {
        if (!proposal.Parallel)
            return !PlanProposal.IsSerialTransform(proposal.Transform) ? new Verdict(VerdictKind.Accepted, PlanProposal.Sequential, "kept sequential", null)
                : IsRightLooking(proposal.Transform) ? VerifyRightLooking(facts, proposal)
                : VerifySerialExpansion(facts, proposal, insideParallel);
        // A fusion of sibling nests replaces the first nest and the second by one region whose form comes from the proof.
        if (IsFusion(proposal.Transform))
            return VerifySerialLoopForm(facts, proposal, insideParallel, facts.Fusion?.Evidence ?? string.Empty, "takes its directives from the analyzer's proof");
        if (!facts.Parallelizable && facts.Append is { } append && proposal.Transform == append.TransformName)
            return VerifyAppend(facts, proposal, insideParallel);
        if (!facts.Parallelizable && proposal.Transform == Locality.GuardedReduction.TransformName)
            return VerifyGuarded(facts, proposal, insideParallel);
        if (!facts.Parallelizable && IsDistribution(proposal.Transform))
            return VerifySerialLoopForm(facts, proposal, insideParallel,
                (proposal.Transform == facts.Distribution?.Pipeline?.Name ? facts.Distribution?.Pipeline?.Evidence : facts.Distribution?.Evidence) ?? string.Empty,
                "takes its directives from the analyzer's proof");
        if (!facts.Parallelizable && IsPrivatization(proposal.Transform))
            return VerifySerialLoopForm(facts, proposal, insideParallel, facts.Privatization?.Evidence ?? string.Empty, "takes its clauses from the analyzer's proof");
        if (!facts.Parallelizable)
            return new Verdict(VerdictKind.Rejected, PlanProposal.Sequential,
                $"the plan makes the loop parallel, but the analyzer found it unsafe: {Strip(facts.Reason)}", UnsafeParallel);
        if (insideParallel)
            return new Verdict(VerdictKind.Rejected, PlanProposal.Sequential,
                "the loop is nested inside a loop that is already parallel (nested parallelism is not used)", NestedParallel);

        var repaired = proposal;
        var notes = new List<string>();
        string? code = null;

        if (!SameSet(proposal.Private, facts.Private) || !SameSet(proposal.LastPrivate, facts.LastPrivate) ||
            !SameSet(proposal.Reductions.Select(Key), facts.Reductions.Select(Key)))
        {
            notes.Add($"clauses repaired to the analyzer's: {Describe(facts)} (the plan had: {Describe(proposal)})");
            repaired = repaired with { Private = facts.Private, LastPrivate = facts.LastPrivate, Reductions = facts.Reductions };
            code = WrongClauses;
        }

        if (proposal.Schedule is { } schedule && !IsValidSchedule(schedule))
        {
            // The schedule ends up verbatim in the pragma: only the plain kinds, with an optional chunk size.
            notes.Add($"schedule `{schedule}` dropped: only static, dynamic or guided with an optional chunk size are used");
            repaired = repaired with { Schedule = null };
            code ??= WrongClauses;
        }

        if (proposal.Simd && (!facts.Vectorizable || proposal.Collapse > 1 || proposal.Target is not (ParallelTarget.CpuOpenMP or ParallelTarget.None)))
        {
            notes.Add("simd dropped: only a stride-1 innermost CPU loop without a run-time check is vectorized");
            repaired = repaired with { Simd = false };
            code ??= WrongClauses;
        }

        if (proposal.Transform is { } transform)
        {
            if (TransformBlocker(facts, transform, repaired.Target) is { } blocker)
            {
                notes.Add($"transform `{transform}` dropped: {blocker}");
                repaired = repaired with { Transform = null };
                code ??= WrongClauses;
            }
            else if ((transform == Locality.MatmulNest.TransformName || facts.Interchange?.Name == transform) && (repaired.Collapse > 1 || repaired.Simd))
            {
                // The transformed nest has its own loop structure: the tile loop is the parallel one, the j loop the simd one.
                notes.Add($"collapse and simd dropped: the `{transform}` form chooses its own parallel and simd loops");
                repaired = repaired with { Collapse = 1, Simd = false };
                code ??= WrongClauses;
            }
        }

        if (repaired.Collapse > 1 && !CanCollapse(facts, proposal.Collapse, nest))
        {
            notes.Add($"collapse({proposal.Collapse}) dropped: the inner loops are not a perfect, rectangular, parallel nest");
            repaired = repaired with { Collapse = 1 };
            code ??= BadCollapse;
        }

        if (proposal.Target is ParallelTarget.GpuCuda or ParallelTarget.GpuOpenMPOffload && OffloadBlocker(facts) is { } why)
        {
            notes.Add($"sent to the CPU instead of the GPU: {why}");
            repaired = repaired with { Target = ParallelTarget.CpuOpenMP };
            code ??= NotOffloadable;
        }
        if (repaired.Target == ParallelTarget.None) repaired = repaired with { Target = ParallelTarget.CpuOpenMP };

        // Expansion first: an expanded loop is rewritten whole, so the inner simd sites depend on it (PlanSites).
        if (repaired.ScalarExpansion && ScalarExpansionBlocker(facts, repaired, nest) is { } noExpansion)
        {
            notes.Add($"scalar expansion dropped: {noExpansion}");
            repaired = repaired with { ScalarExpansion = false };
            code ??= WrongClauses;
        }

        if (repaired.InnerSimd && InnerSimdBlocker(facts, repaired, nest) is { } noSimd)
        {
            notes.Add($"inner simd dropped: {noSimd}");
            repaired = repaired with { InnerSimd = false };
            code ??= WrongClauses;
        }

        if (repaired.UnrollJam && UnrollJamBlocker(facts, repaired, nest) is { } noJam)
        {
            notes.Add($"unroll-and-jam dropped: {noJam}");
            repaired = repaired with { UnrollJam = false };
            code ??= WrongClauses;
        }

        return notes.Count == 0
            ? new Verdict(VerdictKind.Accepted, repaired, Strip(facts.Reason), null)
            : new Verdict(VerdictKind.Repaired, repaired, string.Join("; ", notes), code);
    }

    /// <summary>
    /// A loop serial as written that the analyzer proved may run in two phases (<see cref="Locality.OrderedAppend"/>): the
    /// form has its own chunk loop and buffers, so no data-sharing clause, collapse, schedule or simd of the plan applies,
    /// and it runs on the CPU.
    /// </summary>
    private static Verdict VerifyAppend(LoopFacts facts, PlanProposal proposal, bool insideParallel) =>
        VerifySerialLoopForm(facts, proposal, insideParallel, facts.Append!.Evidence, "has its own chunk loop and buffers");

    /// <summary>
    /// A loop serial as written whose scatter the analyzer proved may run as a guarded array reduction
    /// (<see cref="Locality.GuardedReduction"/>): the form's clauses (its temporary, its out-of-range flag, the private
    /// scalars) come from the facts, so no clause, collapse, schedule or simd of the plan applies, and it runs on the CPU.
    /// </summary>
    private static Verdict VerifyGuarded(LoopFacts facts, PlanProposal proposal, bool insideParallel) =>
        VerifySerialLoopForm(facts, proposal, insideParallel, facts.GuardedReduction?.Evidence ?? string.Empty, "takes its clauses from the analyzer's proof");

    /// <summary>
    /// A loop that stays serial but runs in its right-looking order (<see cref="Locality.RightLooking"/>), one of the transforms a
    /// sequential plan carries (<see cref="PlanProposal.IsSerialTransform"/>). The order is re-proven from the facts (the name must be the one the analyzer proved); a claim
    /// they do not prove leaves the loop as written (PSLM2002). The form is serial, so no clause of the plan applies.
    /// </summary>
    private static Verdict VerifyRightLooking(LoopFacts facts, PlanProposal proposal)
    {
        if (TransformBlocker(facts, proposal.Transform!, ParallelTarget.None) is { } blocker)
            return new Verdict(VerdictKind.Rejected, PlanProposal.Sequential, $"transform `{proposal.Transform}` dropped: {blocker}", WrongClauses);
        return new Verdict(VerdictKind.Accepted, PlanProposal.Sequential with { Transform = proposal.Transform }, facts.RightLooking!.Evidence, null);
    }

    /// <summary>
    /// A loop that stays serial but runs in its scalar-expanded form (<see cref="Locality.ScalarExpanding.SerialForm"/>): the form
    /// is re-proven from the facts by name, on the same proof as the parallel form (`j` carries no dependence, under its run-time
    /// check, which the edit versions it with); a claim they do not prove leaves the loop as written (PSLM2002). Inside a
    /// parallel loop it is not used: that loop's own edit rewrites the nest.
    /// </summary>
    private static Verdict VerifySerialExpansion(LoopFacts facts, PlanProposal proposal, bool insideParallel)
    {
        if (insideParallel)
            return new Verdict(VerdictKind.Rejected, PlanProposal.Sequential,
                "the loop is nested inside a loop that is already parallel (its scalar-expanded form is built there only as part of that loop's edit)", NestedParallel);
        if (TransformBlocker(facts, proposal.Transform!, ParallelTarget.None) is { } blocker)
            return new Verdict(VerdictKind.Rejected, PlanProposal.Sequential, $"transform `{proposal.Transform}` dropped: {blocker}", WrongClauses);
        return new Verdict(VerdictKind.Accepted, PlanProposal.Sequential with { Transform = proposal.Transform }, facts.ScalarExpansion!.Evidence, null);
    }

    private static Verdict VerifySerialLoopForm(LoopFacts facts, PlanProposal proposal, bool insideParallel, string evidence, string ownClauses)
    {
        if (insideParallel)
            return new Verdict(VerdictKind.Rejected, PlanProposal.Sequential,
                "the loop is nested inside a loop that is already parallel (nested parallelism is not used)", NestedParallel);
        if (TransformBlocker(facts, proposal.Transform!, proposal.Target) is { } blocker)
            return new Verdict(VerdictKind.Rejected, PlanProposal.Sequential, $"transform `{proposal.Transform}` dropped: {blocker}", WrongClauses);
        var plan = new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = proposal.Transform };
        var changed = proposal.Private.Count + proposal.LastPrivate.Count + proposal.Reductions.Count > 0 || proposal.Collapse > 1 || proposal.Simd || proposal.Schedule is not null;
        return changed
            ? new Verdict(VerdictKind.Repaired, plan, $"clauses, collapse, schedule and simd dropped: the `{proposal.Transform}` form {ownClauses}", WrongClauses)
            : new Verdict(VerdictKind.Accepted, plan, evidence, null);
    }

    /// <summary>Why the facts do not prove the named locality transform for this loop on this target, or null.</summary>
    public static string? TransformBlocker(LoopFacts facts, string transform, ParallelTarget target)
    {
        if (target is not (ParallelTarget.CpuOpenMP or ParallelTarget.None)) return "locality transforms are built for the CPU only";
        if (transform.StartsWith(Locality.InterchangeNest.TransformName + "(", StringComparison.Ordinal))
        {
            // The order is part of the name: only the one the direction vectors proved legal (and profitable) is used.
            return facts.Interchange is not { } nest ? "the analyzer did not prove that the loops of this nest may be interchanged"
                : nest.Name != transform ? $"the direction vectors prove `{nest.Name}` for this nest, not `{transform}`" : null;
        }
        if (IsFusion(transform))
        {
            // The second nest's order and the pipeline's counters are part of the name: only the fusion the analyzer proved is used.
            return facts.Fusion is not { } fusion
                ? "the analyzer did not prove that this nest and the next may run fused as one pass over their rows (adjacent nests over the same iterations, sharing no written base, a row group and a column group)"
                : fusion.Name != transform ? $"the analyzer proves `{fusion.Name}` for this nest, not `{transform}`" : null;
        }
        if (transform.StartsWith(Locality.RowColumnPipeline.TransformName + "(", StringComparison.Ordinal))
        {
            // The counters are part of the name: only the pipeline the analyzer proved for this loop's groups is used.
            return facts.Distribution?.Pipeline is not { } pipeline
                ? "the analyzer did not prove that this loop may run as one pass over its rows pipelined across column strips (a row group and a column group sharing no written base, the row chains in accumulators)"
                : pipeline.Name != transform ? $"the analyzer proves `{pipeline.Name}` for this loop, not `{transform}`" : null;
        }
        if (IsDistribution(transform))
        {
            // The groups' forms are part of the name: only the distribution the analyzer proved is used.
            return facts.Distribution is not { } split
                ? "the analyzer did not prove that this loop's body may run as separate loops (every dependence between its statement groups going forward, each group parallel)"
                : split.Name != transform ? $"the analyzer proves `{split.Name}` for this loop, not `{transform}`" : null;
        }
        if (IsRightLooking(transform))
        {
            // The counters are part of the name: only the order the analyzer proved for this loop is used.
            return facts.RightLooking is not { } form
                ? "the analyzer did not prove that this loop may run right-looking (its inner loop's counter outside, every element finished before it is read)"
                : form.Name != transform ? $"the analyzer proves `{form.Name}` for this loop, not `{transform}`" : null;
        }
        if (transform.StartsWith(Locality.SerialLoopSink.TransformName + "(", StringComparison.Ordinal))
        {
            // The hoisted scalars are part of the name: only the prefix the analyzer proved invariant runs once per element.
            if (facts.SerialSink is not { } sink) return "the analyzer did not prove that the serial loop around this nest may move inside it";
            var proved = sink.Nests.FirstOrDefault(n => n.LoopId == facts.Id)?.Prefix;
            return proved is null
                ? "the analyzer did not prove that the leading statements of this nest's element body read nothing the serial loop writes (so that they may run once per element)"
                : proved.Name != transform ? $"the analyzer proves `{proved.Name}` for this nest, not `{transform}`" : null;
        }
        if (Locality.ScalarExpanding.SerialForm(transform))
        {
            // The expanded scalars and the counter are part of the name; a parallel plan asks for the form with its own element.
            return target != ParallelTarget.None
                ? $"`{transform}` names the serial scalar-expanded form; a parallel plan asks for expansion with its scalar-expansion element"
                : facts.ScalarExpansion is not { } e || !facts.Parallelizable
                ? "the analyzer did not prove that this loop may keep its scalars per iteration and run its reduction loops outside it (no dependence between its iterations, its body a reduction nest between statements)"
                : e.Name != transform ? $"the analyzer proves `{e.Name}` for this loop, not `{transform}`" : null;
        }
        if (IsPrivatization(transform))
        {
            // The section is part of the name: only the one the analyzer proved covered is used.
            return facts.Privatization is not { } priv
                ? "the analyzer did not prove that every iteration writes this array before reading it (so that each thread may use its own copy)"
                : priv.Name != transform ? $"the analyzer proves `{priv.Name}` for this loop, not `{transform}`" : null;
        }
        return transform switch
        {
            Locality.MatmulNest.TransformName => facts.Matmul is null ? "the analyzer did not prove this loop heads a matrix-product nest it may reorder" : null,
            Locality.SerialLoopSink.TransformName => facts.SerialSink is null ? "the analyzer did not prove that the serial loop around this nest may move inside it" : null,
            Locality.SerialLoopHoist.TransformName => facts.SerialHoist is null ? "the analyzer did not prove that the serial loop around this nest may run in one parallel region with its nests work-shared" : null,
            Locality.OrderedAppend.AppendName or Locality.OrderedAppend.ClaimName => facts.Append?.TransformName == transform ? null
                : $"the analyzer did not prove this loop is {(transform == Locality.OrderedAppend.AppendName ? "an append loop" : "a monotone claim that appends")} it may run in two phases",
            Locality.GuardedReduction.TransformName => facts.GuardedReduction is null
                ? "the analyzer did not prove this loop's only obstacle is a `+`-only scatter into a pointer whose bins it could bound" : null,
            _ => $"ParaSlm knows no transform of that name (only `{Locality.MatmulNest.TransformName}`, `{Locality.SerialLoopSink.TransformName}`, `{Locality.SerialLoopSink.TransformName}(hoist …)`, `{Locality.InterchangeNest.TransformName}(…)`, `{Locality.SerialLoopHoist.TransformName}`, " +
                 $"`{Locality.OrderedAppend.AppendName}`, `{Locality.OrderedAppend.ClaimName}`, `{Locality.GuardedReduction.TransformName}`, `{Locality.Privatization.TransformName}(…)`, `{Locality.LoopDistribution.TransformName}(…)`, `{Locality.RowColumnPipeline.TransformName}(…)`, `{Locality.SiblingFusion.TransformName}(…)+…`, `{Locality.RightLooking.TransformName}(…)` and, on a serial plan, `{Locality.ScalarExpansion.TransformName}(…)`)",
        };
    }

    /// <summary>The plan names a loop distribution (`distribute(i:p,w)`, <see cref="Locality.LoopDistribution"/>).</summary>
    public static bool IsDistribution(string? transform) =>
        transform is not null && (transform.StartsWith(Locality.LoopDistribution.TransformName + "(", StringComparison.Ordinal) ||
                                  transform.StartsWith(Locality.RowColumnPipeline.TransformName + "(", StringComparison.Ordinal));

    /// <summary>The plan names a fusion of this nest with the next (`fuse(next^T)+pipeline(i,j)`, <see cref="Locality.SiblingFusion"/>).</summary>
    public static bool IsFusion(string? transform) =>
        transform is not null && transform.StartsWith(Locality.SiblingFusion.TransformName + "(", StringComparison.Ordinal);

    /// <summary>The plan names a right-looking order (`right-looking(j,k)`, <see cref="Locality.RightLooking"/>).</summary>
    public static bool IsRightLooking(string? transform) =>
        transform is not null && transform.StartsWith(Locality.RightLooking.TransformName + "(", StringComparison.Ordinal);

    /// <summary>The plan names an array privatization (`privatize(x[lo:len])`, <see cref="Locality.Privatization"/>).</summary>
    public static bool IsPrivatization(string? transform) =>
        transform is not null && transform.StartsWith(Locality.Privatization.TransformName + "(", StringComparison.Ordinal);

    /// <summary>Why the plan may not put `omp simd` on the nest's inner loops, or null. Only the facts decide which inner
    /// loops get it; the floating-point policy may later leave out a loop that sums floating point.</summary>
    private static string? InnerSimdBlocker(LoopFacts facts, PlanProposal plan, IReadOnlyDictionary<string, LoopFacts> nest)
    {
        if (plan.Target != ParallelTarget.CpuOpenMP) return "inner loops are vectorized on the CPU only";
        if (plan.Simd) return "the parallel loop is itself the vectorized innermost loop";
        if (plan.Transform == Locality.MatmulNest.TransformName) return $"the `{plan.Transform}` form vectorizes its own j loop";
        if (Locality.InnerSimd.Sites(facts, plan.Collapse, nest, floatReassociation: true).Count == 0)
            return "no inner loop of the nest is proven stride-1 and free of a dependence at its level (or every such loop is folded in by collapse or too short)";
        if (plan.Transform == Locality.SerialLoopHoist.TransformName) return $"the `{plan.Transform}` form work-shares its nests as written";
        return PlanSites.InnerSimd(facts, plan, nest, floatReassociation: true).Count == 0
            ? "every inner loop proven for it runs inside a scalar-expanded loop, whose form vectorizes its own stride-1 loop"
            : null;
    }

    /// <summary>Why the plan may not run the nest's inner loops scalar-expanded, or null: only the facts prove which loops may.</summary>
    private static string? ScalarExpansionBlocker(LoopFacts facts, PlanProposal plan, IReadOnlyDictionary<string, LoopFacts> nest)
    {
        if (plan.Target != ParallelTarget.CpuOpenMP) return "locality transforms are built for the CPU only";
        if (plan.Transform is not null) return $"the `{plan.Transform}` form rewrites this nest already";
        if (Locality.ScalarExpanding.Self(facts, plan.Collapse) is not null)
            return plan.Simd ? "the parallel loop is itself the vectorized innermost loop" : null;
        return Locality.ScalarExpanding.Sites(facts, plan.Collapse, nest).Count == 0
            ? "the analyzer did not prove that a loop of this nest may keep its scalar per iteration and run innermost (or collapse folds it into the parallel loop)"
            : null;
    }

    /// <summary>Why the plan may not run loops of the nest unrolled and jammed, or null: only the facts prove which loops may.</summary>
    private static string? UnrollJamBlocker(LoopFacts facts, PlanProposal plan, IReadOnlyDictionary<string, LoopFacts> nest)
    {
        if (plan.Target != ParallelTarget.CpuOpenMP) return "locality transforms are built for the CPU only";
        if (plan.Transform is not null) return $"the `{plan.Transform}` form rewrites this nest already";
        if (Locality.UnrollJamming.Self(facts, plan.Collapse) is not null)
            return plan.Simd ? "the parallel loop is itself the vectorized innermost loop"
                : plan.ScalarExpansion && Locality.ScalarExpanding.Self(facts, plan.Collapse) is not null ? "the loop runs scalar-expanded" : null;
        var expansions = plan.ScalarExpansion ? Locality.ScalarExpanding.Sites(facts, plan.Collapse, nest) : [];
        return Locality.UnrollJamming.Sites(facts, plan.Collapse, nest, expansions).Count == 0
            ? "the analyzer did not prove that a loop of this nest may run its inner loop for several iterations together (or collapse folds it into the parallel loop)"
            : null;
    }

    public static bool IsValidSchedule(string schedule) =>
        System.Text.RegularExpressions.Regex.IsMatch(schedule, @"^\s*(static|dynamic|guided)\s*(,\s*[1-9][0-9]{0,5}\s*)?$");

    /// <summary>Collapse(n) needs n perfectly nested rectangular loops, each parallel with no clauses of its own.</summary>
    public static bool CanCollapse(LoopFacts facts, int n, IReadOnlyDictionary<string, LoopFacts> nest)
    {
        if (n > facts.CollapsibleDepth) return false;
        var current = facts;
        for (var level = 1; level < n; level++)
        {
            var inner = nest.Values.FirstOrDefault(l => l.ParentId == current.Id);
            if (inner is null || !inner.Parallelizable || inner.RuntimeCheck is not null) return false;
            if (inner.Reductions.Count > 0 || inner.LastPrivate.Count > 0) return false;
            current = inner;
        }
        return facts.RuntimeCheck is null;
    }

    /// <summary>
    /// Why the loop cannot run on a GPU as planned, or null. The analyzer's offload facts decide (arrays with computable
    /// extents, device-callable calls only); the map clauses always come from those facts, never from a plan.
    /// </summary>
    public static string? OffloadBlocker(LoopFacts facts)
    {
        if (facts.Reductions.Any(r => r.Operator is "&&" or "||")) return "logical reductions are not offloaded";
        if (facts.Offload is not { } offload) return "the analyzer has no offload facts for this loop";
        return offload.Offloadable ? null : offload.Reason;
    }

    private static string Key(Reduction r) => r.Operator + ":" + r.Variable;

    private static bool SameSet(IEnumerable<string> a, IEnumerable<string> b) =>
        a.Distinct().Order(StringComparer.Ordinal).SequenceEqual(b.Distinct().Order(StringComparer.Ordinal));

    private static string Describe(LoopFacts f) => f.Clauses.Length == 0 ? "no clauses" : f.Clauses;

    private static string Describe(PlanProposal p)
    {
        var c = (p with { Collapse = 1, Schedule = null, Simd = false }).ClauseText;
        return c.Length == 0 ? "no clauses" : c;
    }

    private static string Strip(string reason) =>
        reason.StartsWith("parallel: ", StringComparison.Ordinal) ? reason["parallel: ".Length..]
        : reason.StartsWith("sequential: ", StringComparison.Ordinal) ? reason["sequential: ".Length..] : reason;
}
