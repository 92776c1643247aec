using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Loops;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>A loop counter's range for bound computations (null bounds: unknown).</summary>
public sealed record VarRange(Symbol Symbol, LinearExpr? Min, LinearExpr? Max);

/// <summary>
/// Lowest and highest value of an expression over an iteration space, eliminating counters innermost
/// first so triangular bounds (`j` from `i + 1`) resolve. A symbolic coefficient is usable when its
/// symbols have known lower bounds: bounds of loops that must run for the access to happen at all
/// (`for (j = 1; j < n - 1; …)` running means n ≥ 3).
/// </summary>
public static class RangeBounds
{
    /// <param name="assumed">When given, a coefficient of unknown sign is assumed ≥ 0 if it is a
    /// positive multiple of symbols, and those symbols are added here (a runtime check must test them).</param>
    public static (LinearExpr Lo, LinearExpr Hi)? Of(LinearExpr e, IReadOnlyList<VarRange> vars, IReadOnlyDictionary<string, long> lowerBounds, ISet<Symbol>? assumed = null)
    {
        var lo = e;
        var hi = e;
        foreach (var v in vars)
        {
            var l = Eliminate(lo, v, true, lowerBounds, assumed);
            var h = Eliminate(hi, v, false, lowerBounds, assumed);
            if (l is null || h is null) return null;
            (lo, hi) = (l, h);
        }
        return (RefineQuotients(lo, false, lowerBounds), RefineQuotients(hi, true, lowerBounds));
    }

    /// <summary>
    /// Replaces k·(X/c) by (k/c)·X where that loosens the bound in the right direction: for X/c ≥ 0,
    /// truncating division gives c·(X/c) ≤ X, so an upper bound may use it with k &gt; 0, a lower bound with k &lt; 0.
    /// </summary>
    private static LinearExpr RefineQuotients(LinearExpr e, bool upper, IReadOnlyDictionary<string, long> lowerBounds)
    {
        foreach (var (m, k) in e.Terms.ToList())
        {
            if (m.Factors.Count != 1 || m.Factors[0].Quotient is not { } q) continue;
            if (!lowerBounds.TryGetValue(m.Factors[0].Key, out var low) || low < 0) continue;
            if ((upper ? k <= 0 : k >= 0) || k % q.Divisor != 0) continue;
            e = e.Subtract(LinearExpr.Of(m.Factors[0], k)).Add(q.Dividend.Scale(k / q.Divisor));
        }
        return e;
    }

    private static LinearExpr? Eliminate(LinearExpr e, VarRange v, bool low, IReadOnlyDictionary<string, long> lowerBounds, ISet<Symbol>? assumed)
    {
        var (c, rest) = e.Split(v.Symbol);
        if (c.IsZero) return e;
        if (v.Min is null || v.Max is null) return null;
        var sign = SignOf(c, lowerBounds);
        if (sign == 0 && c.Constant >= 0 && c.Terms.All(t => t.Value > 0))
        {
            // Unsigned symbols are non-negative by their type; only the others become assumptions (checked at run time).
            var unknown = c.Terms.Keys.SelectMany(m => m.Factors).Where(f => !f.NonNegative).ToList();
            if (unknown.Count == 0) sign = 1;
            else if (assumed is not null)
            {
                foreach (var f in unknown) assumed.Add(f);
                sign = 1;
            }
        }
        if (sign == 0) return null;
        var pick = (sign > 0) == low ? v.Min : v.Max;
        var product = c.Multiply(pick);
        return product is null ? null : rest.Add(product);
    }

    /// <summary>+1 or −1 when the sign of <paramref name="c"/> is known from the symbols' lower bounds, else 0.</summary>
    public static int SignOf(LinearExpr c, IReadOnlyDictionary<string, long> lowerBounds)
    {
        if (c.IsConstant) return Math.Sign(c.Constant);
        // Every monomial of non-negative symbols is ≥ the product of their lower bounds.
        long? MonomialLow(Monomial m)
        {
            long p = 1;
            foreach (var f in m.Factors)
            {
                if (!lowerBounds.TryGetValue(f.Key, out var b) || b < 0) return null;
                p = checked(p * b);
            }
            return p;
        }
        var lows = c.Terms.Select(t => (t.Value, Low: MonomialLow(t.Key))).ToList();
        if (lows.Any(t => t.Low is null)) return 0;
        try
        {
            if (lows.All(t => t.Value > 0))
            {
                var min = c.Constant + lows.Sum(t => t.Value * t.Low!.Value);
                return min > 0 ? 1 : 0;
            }
            if (lows.All(t => t.Value < 0))
            {
                var max = c.Constant + lows.Sum(t => t.Value * t.Low!.Value);
                return max < 0 ? -1 : 0;
            }
        }
        catch (OverflowException)
        {
        }
        return 0;
    }

    /// <summary>
    /// Lower bounds of symbols that hold whenever the given loops all run at least once: with `v` from a
    /// constant `m` up to `s + c`, running means s + c ≥ m, so s ≥ m − c (kept when ≥ 0).
    /// </summary>
    public static Dictionary<string, long> LowerBounds(IEnumerable<LoopHeader> running)
    {
        var bounds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var h in running)
        {
            if (!h.Min.IsConstant || h.Max.Terms.Count != 1) continue;
            var (m, k) = h.Max.Terms.First();
            if (k != 1 || m.Factors.Count != 1) continue;
            var low = h.Min.Constant - h.Max.Constant;
            var key = m.Factors[0].Key;
            if (low >= 0 && (!bounds.TryGetValue(key, out var old) || old < low)) bounds[key] = low;
        }
        return bounds;
    }

    /// <summary>The counters of every loop that encloses <paramref name="loop"/> within its function, and the loop itself.</summary>
    public static IEnumerable<LoopHeader> EnclosingHeaders(LoopInfo loop)
    {
        for (var l = loop; l is not null; l = l.Parent)
            if (l.Header is { } h) yield return h;
    }
}
