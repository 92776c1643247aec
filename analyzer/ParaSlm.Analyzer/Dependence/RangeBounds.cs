using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Loops;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>A loop counter's range for bound computations (null bounds: unknown).</summary>
public sealed record VarRange(Symbol Symbol, LinearExpr? Min, LinearExpr? Max);

/// <summary>
/// Lowest and highest value of an expression over an iteration space, eliminating counters innermost
/// first so triangular bounds (`j` from `i + 1`) resolve. A symbolic coefficient is usable when its
/// symbols are known non-negative: bounds of loops that must run for the access to happen at all.
/// </summary>
public static class RangeBounds
{
    public static (LinearExpr Lo, LinearExpr Hi)? Of(LinearExpr e, IReadOnlyList<VarRange> vars, IReadOnlySet<string> nonNegative)
    {
        var lo = e;
        var hi = e;
        foreach (var v in vars)
        {
            var l = Eliminate(lo, v, true, nonNegative);
            var h = Eliminate(hi, v, false, nonNegative);
            if (l is null || h is null) return null;
            (lo, hi) = (l, h);
        }
        return (lo, hi);
    }

    private static LinearExpr? Eliminate(LinearExpr e, VarRange v, bool low, IReadOnlySet<string> nonNegative)
    {
        var (c, rest) = e.Split(v.Symbol);
        if (c.IsZero) return e;
        if (v.Min is null || v.Max is null) return null;
        var sign = SignOf(c, nonNegative);
        if (sign == 0) return null;
        var pick = (sign > 0) == low ? v.Min : v.Max;
        var product = c.Multiply(pick);
        return product is null ? null : rest.Add(product);
    }

    /// <summary>+1 or −1 when the sign of <paramref name="c"/> is known, else 0.</summary>
    public static int SignOf(LinearExpr c, IReadOnlySet<string> nonNegative)
    {
        if (c.IsConstant) return Math.Sign(c.Constant);
        var signs = c.Terms.Select(t => t.Key.Factors.All(f => nonNegative.Contains(f.Key)) ? Math.Sign(t.Value) : 0).ToList();
        if (c.Constant != 0) signs.Add(Math.Sign(c.Constant));
        if (signs.Any(x => x == 0)) return 0;
        return signs.All(x => x > 0) ? 1 : signs.All(x => x < 0) ? -1 : 0;
    }

    /// <summary>
    /// Symbols that are ≥ 0 whenever the given loops all run at least once: with `v` from a constant
    /// `m` up to `s + c`, running means s + c ≥ m, so s ≥ m − c.
    /// </summary>
    public static HashSet<string> NonNegativeSymbols(IEnumerable<LoopHeader> running)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var h in running)
        {
            AddIfBounded(h.Max, h.Min, set);
        }
        return set;
    }

    private static void AddIfBounded(LinearExpr symbolic, LinearExpr constant, HashSet<string> set)
    {
        if (!constant.IsConstant || symbolic.Terms.Count != 1) return;
        var (m, k) = symbolic.Terms.First();
        if (k != 1 || m.Factors.Count != 1) return;
        if (constant.Constant - symbolic.Constant >= 0) set.Add(m.Factors[0].Key);
    }

    /// <summary>The counters of every loop that encloses <paramref name="loop"/> within its function, and the loop itself.</summary>
    public static IEnumerable<LoopHeader> EnclosingHeaders(LoopInfo loop)
    {
        for (var l = loop; l is not null; l = l.Parent)
            if (l.Header is { } h) yield return h;
    }
}
