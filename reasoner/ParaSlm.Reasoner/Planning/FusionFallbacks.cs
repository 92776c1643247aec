using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// What runs where two sibling nests' fused form does not (its gate, overlap check or cost guard fails, or the rewriter cannot
/// place it): each nest under its own plan, the one it gets without fusion (<see cref="LoopPlan.Unfused"/>), so that fusion
/// can only add speed. PolyBench mvt's first nest, parallel alone, stays parallel where gcc in a GNU mode with FMA turns the
/// fused form's gate off.
/// </summary>
public static class FusionFallbacks
{
    /// <summary>The fusion the loop's plan names, or null.</summary>
    public static SiblingFusion? Of(LoopPlan plan, LoopFacts loop) =>
        plan.IsParallel && loop.Fusion is { } fusion && plan.Proposal.Transform == fusion.Name ? fusion : null;

    /// <summary>
    /// The parallel plans of the fallback, in text order: the first nest's own plan, then the own plan of each loop of the second
    /// nest (where a model planned the second nest itself, its plan: the rewriter would drop its edit inside the fused one).
    /// </summary>
    public static IReadOnlyList<(LoopPlan Plan, PlanProposal Proposal)> Plans(LoopPlan first, SiblingFusion fusion, IEnumerable<LoopPlan> plans,
        IReadOnlyDictionary<string, LoopFacts> facts)
    {
        var own = new List<(LoopPlan, PlanProposal)>();
        if (first.Unfused is { Parallel: true } alone) own.Add((first, alone));
        foreach (var q in plans.Where(q => facts.ContainsKey(q.Id) && Within(facts[q.Id], fusion.SecondLoopId, facts)))
            if ((q.Unfused ?? q.Proposal) is { Parallel: true } proposal)
                own.Add((q, SerialLoopSink.IsSink(proposal.Transform) || proposal.Transform == SerialLoopHoist.TransformName ? proposal with { Transform = null } : proposal));
        return own;
    }

    /// <summary>The loop is the nest <paramref name="rootId"/> or inside it.</summary>
    public static bool Within(LoopFacts loop, string rootId, IReadOnlyDictionary<string, LoopFacts> facts)
    {
        for (var f = loop; ; f = facts[f.ParentId!])
        {
            if (f.Id == rootId) return true;
            if (f.ParentId is null || !facts.ContainsKey(f.ParentId)) return false;
        }
    }
}
