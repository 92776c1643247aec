using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// The nest's second edit: once a CPU loop is planned parallel (and its collapse and transform are chosen), its stride-1
/// innermost loops that the facts prove free of a dependence at their own level run in vector lanes too
/// (<see cref="InnerSimd"/>). Chosen from the facts for the analyzer's and a model's plan alike; the verifier checks it
/// again, and the engine leaves out a floating-point sum where reassociation is off.
/// </summary>
public static class InnerSimdChooser
{
    public static (PlanProposal Proposal, string Reason) Choose(PlanProposal plan, string reason, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (!plan.Parallel || plan.Target != ParallelTarget.CpuOpenMP || plan.Simd || plan.InnerSimd || plan.Transform == MatmulNest.TransformName) return (plan, reason);
        // Chosen after scalar expansion: a loop inside an expanded one is rewritten with it and gets no pragma of its own.
        var sites = PlanSites.InnerSimd(facts, plan, byId, floatReassociation: true);
        if (sites.Count == 0) return (plan, reason);
        var lines = string.Join(", ", sites.Select(s => s.Line));
        return (plan with { InnerSimd = true }, sites.Count == 1
            ? $"{reason}; inner simd: the innermost loop at line {lines} carries no dependence at its level and reads and writes stride-1"
            : $"{reason}; inner simd: the innermost loops at lines {lines} carry no dependence at their level and read and write stride-1");
    }
}
