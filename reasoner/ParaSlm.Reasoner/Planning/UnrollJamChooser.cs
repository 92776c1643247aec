using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// A locality transform for latency-bound reductions: once a CPU loop is planned parallel without a transform of its own (and
/// scalar expansion, which keeps priority, is chosen), the loops of its nest that the facts prove may run U iterations of their
/// inner reduction loop together (<see cref="UnrollJam"/>, profitable by the recognizer's cost rule) do so; where the parallel
/// loop is itself such a loop, its groups become the parallel iterations. Chosen from the facts for the analyzer's and a
/// model's plan alike; the verifier checks it again.
/// </summary>
public static class UnrollJamChooser
{
    public static (PlanProposal Proposal, string Reason) Choose(PlanProposal plan, string reason, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (!plan.Parallel || plan.Target != ParallelTarget.CpuOpenMP || plan.UnrollJam || plan.Transform is not null || plan.Simd) return (plan, reason);
        var expandsItself = plan.ScalarExpansion && ScalarExpanding.Self(facts, plan.Collapse) is not null;
        if (expandsItself) return (plan, reason);
        var expansions = plan.ScalarExpansion ? ScalarExpanding.Sites(facts, plan.Collapse, byId) : [];
        // An inner loop whose vector lanes give the serial results (no floating-point sum, max or min) keeps its `omp simd`; other
        // lanes depend on reassociation, so the edit decides between them (`LoopEdit.ForProposal`).
        var simd = InnerSimd.Sites(facts, plan.Collapse, byId, floatReassociation: false).Where(UnrollJamming.LanesKeepResults).ToList();
        var sites = UnrollJamming.WithoutSimd(UnrollJamming.Self(facts, plan.Collapse) is { } self ? [self] : UnrollJamming.Sites(facts, plan.Collapse, byId, expansions), simd);
        if (sites.Count == 0) return (plan, reason);
        // The plan does not know the build's floating-point policy; where reassociating lanes would replace a jam at edit time,
        // the reason says so rather than promising the jam unconditionally.
        var reassociating = InnerSimd.Sites(facts, plan.Collapse, byId, floatReassociation: true).Where(s => !UnrollJamming.LanesKeepResults(s)).ToList();
        return (plan with { UnrollJam = true },
            $"{reason}; {string.Join("; ", sites.Select(s => $"{s.Name} at line {s.Line}: {s.Evidence}{Condition(s, reassociating)}"))}");
    }

    private static string Condition(UnrollJam site, IReadOnlyList<SimdSite> reassociating) =>
        reassociating.FirstOrDefault(s => s.StartOffset >= site.StartOffset && s.StartOffset < site.EndOffset) is { } lanes
            ? $" (with ParaSlmFloatReassociation=false only; by default the inner loop at line {lanes.Line} sums in `omp simd` lanes instead)"
            : string.Empty;
}
