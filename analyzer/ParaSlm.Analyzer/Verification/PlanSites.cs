using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Verification;

/// <summary>
/// Which inner loops a parallel loop's plan edits, as the chooser that names them, the verifier that checks them and the
/// generator that writes them must all see it: the loops that run scalar-expanded, and the loops that get their own
/// `omp simd` — never one inside an expanded loop, which is rewritten whole and vectorizes its own `j` loop.
/// </summary>
public static class PlanSites
{
    /// <summary>The loops that <paramref name="plan"/> runs scalar-expanded: the parallel loop itself (its strips are the
    /// parallel iterations) or the proven loops inside it; empty when the plan asks for none or has another transform.</summary>
    public static IReadOnlyList<ScalarExpansion> Expansions(LoopFacts loop, PlanProposal plan, IReadOnlyDictionary<string, LoopFacts> loops)
    {
        if (!plan.ScalarExpansion || plan.Transform is not null) return [];
        return !plan.Simd && ScalarExpanding.Self(loop, plan.Collapse) is { } self ? [self] : ScalarExpanding.Sites(loop, plan.Collapse, loops);
    }

    /// <summary>The inner loops that get `#pragma omp simd` of their own under <paramref name="plan"/> (whether or not it asks
    /// for them yet): the proven sites (<see cref="InnerSimd.Sites"/>) outside every loop the plan runs scalar-expanded; none
    /// in a hoisted region or a privatized loop.</summary>
    public static IReadOnlyList<SimdSite> InnerSimd(LoopFacts loop, PlanProposal plan, IReadOnlyDictionary<string, LoopFacts> loops, bool floatReassociation)
    {
        // A hoisted region's nests are work-shared as written (`omp for` on each), and a privatized loop's body is rewritten
        // onto the thread's copy: neither edit places an inner pragma.
        if (plan.Transform == SerialLoopHoist.TransformName || PlanVerifier.IsPrivatization(plan.Transform) || PlanVerifier.IsDistribution(plan.Transform) || PlanVerifier.IsFusion(plan.Transform)) return [];
        var expansions = Expansions(loop, plan, loops);
        return Locality.InnerSimd.Sites(loop, plan.Collapse, loops, floatReassociation)
            .Where(s => !expansions.Any(e => s.StartOffset >= e.StartOffset && s.StartOffset < e.EndOffset))
            .ToList();
    }
}
