using ParaSlm.Analyzer.Facts;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Engine;

/// <summary>
/// ParaSlmFloatReassociation. A parallel floating-point sum or product adds in another order than the serial loop, so
/// its result may change in the last digits (more where terms cancel). With the property true (the default) such a
/// loop is parallel and the report says so; with false it stays serial — unless the file's own flags already allow
/// the compiler to reassociate (-ffast-math, -Ofast, -fassociative-math, /fp:fast), since then the serial build gives
/// no such guarantee either.
/// </summary>
public static class FloatingPointPolicy
{
    /// <summary>The reduction variables of the plan whose order of operations a parallel run changes.</summary>
    public static IReadOnlyList<string> Reassociated(LoopPlan plan, LoopFacts facts) =>
        !plan.IsParallel ? []
        // A guarded array reduction of floating-point elements adds each element's terms in another order too.
        : plan.Proposal.Transform == Analyzer.Locality.GuardedReduction.TransformName ? (facts.GuardedReduction is { FloatingPoint: true } g ? [g.Array] : [])
        : plan.Proposal.Reductions.Select(r => r.Variable).Where(facts.FloatingPointReductions.Contains).Distinct().ToList();

    /// <summary>Whether the file's own compile flags let the compiler reassociate floating-point operations.</summary>
    public static bool FlagsAllowReassociation(IReadOnlyList<string> arguments)
    {
        var allowed = false;
        foreach (var a in arguments)
        {
            if (a is "-ffast-math" or "-Ofast" or "-fassociative-math" or "/fp:fast" or "-fp:fast" or "-funsafe-math-optimizations") allowed = true;
            else if (a is "-fno-fast-math" or "-fno-associative-math" or "-fno-unsafe-math-optimizations" or "/fp:precise" or "/fp:strict" or "-fp:precise" or "-fp:strict") allowed = false;
        }
        return allowed;
    }

    /// <summary>The reassociated variables of the plan that are a maximum or a minimum (they compare, they do not add).</summary>
    public static IReadOnlyList<string> Extremes(LoopPlan plan, IReadOnlyList<string> reassociated) =>
        plan.Proposal.Reductions.Where(r => r.Operator is "max" or "min" && reassociated.Contains(r.Variable)).Select(r => r.Variable).Distinct().ToList();

    /// <summary>Words for the report: what may change, and how to keep it exact. A maximum or minimum is worded as
    /// what it is (llama2.c's softmax `max_val` read "adds in another order"): the same number, but another NaN or
    /// -0.0 for 0.0 may be kept.</summary>
    public static string Note(IReadOnlyList<string> variables, IReadOnlyList<string>? extremes = null)
    {
        var (sums, maxMin) = Split(variables, extremes);
        var parts = new List<string>();
        if (sums.Count > 0) parts.Add($"may change the result in the last digits: the floating-point reduction of {Names(sums)} adds in another order");
        if (maxMin.Count > 0) parts.Add($"may keep another NaN, or -0.0 for 0.0: the floating-point maximum/minimum {Names(maxMin)} compares in another order");
        return string.Join("; ", parts) + " (set ParaSlmFloatReassociation=false to keep such loops serial)";
    }

    public static string SerialReason(IReadOnlyList<string> variables, IReadOnlyList<string>? extremes = null)
    {
        var (sums, maxMin) = Split(variables, extremes);
        var parts = new List<string>();
        if (sums.Count > 0) parts.Add($"a parallel reduction of {Names(sums)} would add floating-point numbers in another order and could change the result in the last digits");
        if (maxMin.Count > 0) parts.Add($"a parallel maximum/minimum {Names(maxMin)} would compare floating-point numbers in another order and could keep another NaN, or -0.0 for 0.0");
        return "parallelizable, but kept serial by ParaSlmFloatReassociation=false: " + string.Join("; ", parts);
    }

    private static (List<string> Sums, List<string> Extremes) Split(IReadOnlyList<string> variables, IReadOnlyList<string>? extremes)
    {
        var maxMin = variables.Where(v => extremes?.Contains(v) == true).ToList();
        return (variables.Where(v => !maxMin.Contains(v)).ToList(), maxMin);
    }

    private static string Names(IReadOnlyList<string> variables) => string.Join(", ", variables.Select(v => $"`{v}`"));
}
