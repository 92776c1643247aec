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

    /// <summary>The proposal for one loop, or null with the reason it is not worth parallelizing.</summary>
    public static (PlanProposal Proposal, string Reason) Propose(LoopFacts facts)
    {
        if (!facts.Parallelizable) return (PlanProposal.Sequential, facts.Reason);
        if (facts.HasOpenMPDirective) return (PlanProposal.Sequential, "the loop already has an OpenMP directive in the source; it is left as written");
        if (facts.TripCount is { } t && t < MinimumTripCount)
            return (PlanProposal.Sequential, $"parallelizable, but only {t} iterations: not worth a parallel region");
        return (new PlanProposal(true, ParallelTarget.CpuOpenMP, facts.Private, facts.LastPrivate, facts.Reductions), facts.Reason);
    }
}
