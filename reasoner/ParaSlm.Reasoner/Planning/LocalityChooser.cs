using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// Locality transforms the facts prove legal, chosen once a loop is planned parallel on the CPU: a matrix-product nest
/// runs as tiled i-k-j (the i tiles in parallel, the stride-1 j loop `omp simd`) instead of the parallel i-j-k; a serial
/// repeat loop around parallel nests that each update only their own elements moves inside them; a time-step loop
/// whose nests cannot take it inside runs in one parallel region with its nests work-shared (`hoist-region`); a perfect
/// nest whose innermost loop strides through memory is interchanged where the direction vectors allow. Every
/// element's k-summation (or repetition) keeps its order, so the result is the serial one bit for bit; the transforms are therefore also
/// used where floating-point reassociation is off. The verifier checks the transform against the facts again.
/// </summary>
public static class LocalityChooser
{
    /// <summary>The plan of a loop that stays serial: in the right-looking order where the facts prove it (a locality
    /// transform that keeps the loop serial, <see cref="RightLooking"/>), as written otherwise. The model plans which loop of a
    /// nest runs in parallel; the order of the serial ones follows from the facts, as in the analyzer's plan.</summary>
    public static PlanProposal Serial(LoopFacts facts) =>
        facts.RightLooking is { } form && !facts.HasOpenMPDirective ? PlanProposal.Sequential with { Transform = form.Name } : PlanProposal.Sequential;

    public static (PlanProposal Proposal, string Reason) Choose(PlanProposal plan, string reason, LoopFacts facts)
    {
        if (!plan.Parallel || plan.Target != ParallelTarget.CpuOpenMP || plan.Transform is not null) return (plan, reason);
        // A model (or a cached plan) that runs a scratch-array loop in parallel means its privatized form: the only parallel
        // form the facts prove for it, with the form's own clauses (a cached plan re-derives it here too).
        if (!facts.Parallelizable && facts.Privatization is { } priv)
            return (new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = priv.Name }, $"{reason}; {priv.Evidence}".TrimStart(';', ' '));
        // A parallel nest the facts prove may run fused with the next (one pass over a matrix both sweep): the fused pipeline,
        // whatever else the plan asked of this nest (a cached plan that names it re-derives it here too).
        if (facts.Parallelizable && facts.Fusion is { } fusion)
            return (new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = fusion.Name }, $"{reason}; {fusion.Name}: {fusion.Evidence}".TrimStart(';', ' '));
        // Likewise a serial loop whose body the facts prove may run as separate parallel loops: its distributed form.
        if (!facts.Parallelizable && facts.Distribution is { } split)
            return (new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = split.Pipeline?.Name ?? split.Name },
                $"{reason}; {split.Evidence}{(split.Pipeline is { } pipeline ? "; " + pipeline.Evidence : string.Empty)}".TrimStart(';', ' '));
        // An i-k-j source is stride-1 already: tiled one row at a time it measured no faster, so it is tiled only with the
        // register block (PolyBench gemm LARGE, 1 thread: 1.40x/1.71x faster than the plain loop with gcc/clang; MatmulNest.AlreadyIkj).
        if (facts.Matmul is { } nest && (!nest.AlreadyIkj || nest.Block is not null))
            return (plan with { Transform = MatmulNest.TransformName, Collapse = 1, Simd = false, Schedule = null }, $"{reason}; {MatmulNest.TransformName}: {nest.Evidence}");
        // The nest keeps its own clauses (collapse, schedule): the serial loop goes below its element loops, and the
        // element body's invariant prefix, where the facts prove one, runs once per element (`sink-serial-loop(hoist …)`).
        if (facts.SerialSink is { } sink)
            return (plan with { Transform = sink.TransformFor(facts.Id) }, $"{reason}; {SerialLoopSink.TransformName}: {sink.EvidenceFor(facts.Id, plan.Collapse)}");
        // Where the serial loop cannot move inside (its nests read each other's arrays): one region around it instead.
        if (facts.SerialHoist is { } hoist)
            return (plan with { Transform = SerialLoopHoist.TransformName }, $"{reason}; {SerialLoopHoist.TransformName}: {hoist.Evidence}");
        // The interchanged nest's directive comes from the fact (its parallel level may not be the outer one).
        if (facts.Interchange is { } swap)
            return (plan with { Transform = swap.Name, Collapse = 1, Simd = false, Schedule = null }, $"{reason}; {swap.Name}: {swap.Evidence}");
        return (plan, reason);
    }
}
