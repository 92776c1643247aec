using ParaSlm.Reasoner.Plans;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// The cost model's verdict on a whole nest's final plans: the gain of every parallel loop of the nest, summed (a final
/// plan never nests parallel loops, so their regions are disjoint). This is how "at least as good as the analyzer"
/// is decided for a model's plan: <see cref="PlanCostModel"/> is used as it is.
/// </summary>
public static class NestGain
{
    public static double Of(PlanningInput nest, IEnumerable<LoopPlan> plans) =>
        plans.Where(p => p.IsParallel && nest.Nest.Any(l => l.Id == p.Id))
            .Sum(p => PlanCostModel.Estimate(nest, p.Id, p.Proposal).Gain);

    /// <summary>Whether two plans of one loop do the same thing (action, target and clauses).</summary>
    public static bool Same(LoopPlan a, LoopPlan b) =>
        a.Action == b.Action && (!a.IsParallel || (a.Target == b.Target && a.Clauses == b.Clauses));
}
