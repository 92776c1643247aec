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
        if (!plan.Parallel || plan.Target != ParallelTarget.CpuOpenMP || plan.Simd || plan.InnerSimd || plan.Transform == MatmulNest.TransformName ||
            PlanVerifier.IsPrivatization(plan.Transform)) return (plan, reason);
        var sites = InnerSimd.Sites(facts, plan.Collapse, byId, floatReassociation: true);
        if (sites.Count == 0) return (plan, reason);
        var lines = string.Join(", ", sites.Select(s => s.Line));
        return (plan with { InnerSimd = true },
            $"{reason}; inner simd: the innermost loop{(sites.Count == 1 ? string.Empty : "s")} at line{(sites.Count == 1 ? string.Empty : "s")} {lines} " +
            "carry no dependence at their level and read and write stride-1");
    }
}
