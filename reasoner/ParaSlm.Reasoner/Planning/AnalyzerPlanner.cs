using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// The deterministic plan used when no model is asked (or none answers): the analyzer's own facts,
/// parallelizing the outermost worthwhile parallel loop of each nest, on the CPU with OpenMP.
/// </summary>
public static class AnalyzerPlanner
{
    /// <summary>Below this many iterations a parallel region costs more than it saves.</summary>
    public const int MinimumTripCount = 8;

    /// <summary>A loop without inner loops needs at least this many iterations to pay for a parallel region.</summary>
    public const int MinimumFlatTripCount = 1024;

    /// <summary>Inside this many serial loops, a parallel region would be entered too often to pay off.</summary>
    public const int MaximumSerialAncestors = 2;

    /// <summary>The proposal for one loop, with the reason in words.</summary>
    /// <param name="nest">Where the loop sits: serial loops around it, and whether it has loops inside.</param>
    public static (PlanProposal Proposal, string Reason) Propose(LoopFacts facts, NestContext nest)
    {
        if (!facts.Parallelizable) return (PlanProposal.Sequential, facts.Reason);
        if (facts.HasOpenMPDirective)
            return (PlanProposal.Sequential, $"the user's own OpenMP directive (`{facts.OpenMPDirective ?? "#pragma omp"}`) applies to this loop; it is left as written");
        if (facts.TripCount is { } t && t < MinimumTripCount)
            return (PlanProposal.Sequential, $"parallelizable, but only {t} iterations: not worth a parallel region");
        if (facts.TripCount is { } f && f < MinimumFlatTripCount && !nest.HasInnerLoops)
            return (PlanProposal.Sequential, $"parallelizable, but {f} iterations of a loop-free body are too little work for a parallel region");
        if (nest.SerialAncestors >= MaximumSerialAncestors && facts.TripCount is not >= 100_000)
            return (PlanProposal.Sequential, $"parallelizable, but it sits inside {nest.SerialAncestors} serial loops: a parallel region started that often costs more than it saves");
        return (new PlanProposal(true, ParallelTarget.CpuOpenMP, facts.Private, facts.LastPrivate, facts.Reductions), facts.Reason);
    }
}

/// <summary>A loop's place in its nest, for the cost side of planning.</summary>
/// <param name="SerialAncestors">Enclosing loops (in the same function) that stay sequential.</param>
/// <param name="HasInnerLoops">The loop's body contains loops (so one iteration is more than a few operations).</param>
public sealed record NestContext(int SerialAncestors, bool HasInnerLoops)
{
}
