using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// A locality transform inside the chosen parallel loop: once a CPU loop is planned parallel without a transform of its own,
/// its inner loops that the facts prove may keep their scalar per iteration (<see cref="ScalarExpansion"/>, profitable by
/// the recognizer's cost rule) run with their reduction loops outside and the stride-1 loop innermost; where the parallel
/// loop is itself such a loop, its strips become the parallel iterations. Chosen from the facts
/// for the analyzer's and a model's plan alike; the verifier checks it again. Where the loop is itself the expanded loop and
/// its trip count fits in one strip (<see cref="ScalarExpanding.OneStrip"/>), the threads have nothing to share: the loop stays
/// serial and runs the expanded form (`scalar-expand(…)` as a serial plan's transform), so the form's gain is kept without a
/// region entered on every pass.
/// </summary>
public static class ScalarExpansionChooser
{
    public static (PlanProposal Proposal, string Reason) Choose(PlanProposal plan, string reason, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (!plan.Parallel || plan.Target != ParallelTarget.CpuOpenMP || plan.ScalarExpansion || plan.Transform is not null) return (plan, reason);
        // The loop itself runs scalar-expanded (its strips the parallel iterations) unless the plan vectorizes it.
        var self = plan.Simd ? null : ScalarExpanding.Self(facts, plan.Collapse);
        if (self is not null && ScalarExpanding.OneStrip(facts) is { } one)
            return (PlanProposal.Sequential with { Transform = one.Name },
                $"parallelizable, but its {facts.TripCount} iterations fit in one strip of {one.Strip}: one thread would run all of it in a parallel region " +
                $"entered on every pass, so it runs serially in its scalar-expanded form ({one.Name}: {one.Evidence})");
        var sites = self is not null ? [self] : ScalarExpanding.Sites(facts, plan.Collapse, byId);
        if (sites.Count == 0) return (plan, reason);
        return (plan with { ScalarExpansion = true },
            $"{reason}; {string.Join("; ", sites.Select(s => $"{s.Name} at line {s.Line}: {s.Evidence}"))}");
    }
}
