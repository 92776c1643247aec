using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Loops;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>
/// The exact range of a counter whose bound is a minimum or maximum over an outer counter that is eliminated with it
/// (a hand-tiled nest: `for (jt = 0; jt &lt; n; jt += tile) for (j = jt; j &lt; MIN(n, jt + tile); j++)`). The bound as written
/// is one opaque term that reads `jt`; a range over the whole nest must not read it (it would be `jt`'s value before the
/// loop). Over the nest, `j` runs exactly through [0, n − 1]: the term `n − 1` is the hull.
/// <para>
/// Theorem (upper end; the lower end is its mirror). Let `j` run from L(o) to min(t, o + a) for an outer counter `o` that
/// runs up from o.Min by a step S ≥ 1 while o ≤ o.Max, with t and a free of counters. Every `j` is ≤ t. The last
/// iteration o_last of `o` satisfies o_last ≥ o.Max − S + 1 (else o_last + S would run too), so
/// (1) o.Max − S + 1 + a ≥ t gives o_last + a ≥ t, i.e. the bound at o_last is t; and
/// (2) L(o.Max) ≤ t, with L non-decreasing in `o` (each term's coefficient of `o` ≥ 0), gives L(o_last) ≤ t: `j` reaches t.
/// So whenever the nest runs, t is the largest `j`, not only an upper bound of it. Lower end: `j` from max(t, o + b) up to
/// U(o); o's first iteration is exactly o.Min, so t ≥ o.Min + b makes the bound t there, and U(o.Min) ≥ t (every term of a
/// minimum) makes `j` take it. Exactness matters because an array reduction's section covers the range: a looser term could
/// name elements outside the object.
/// </para>
/// <para>
/// The step of `o`: a constant ≥ 1, or a symbolic step of a loop running up (its sign follows the comparison, as every
/// symbolic-step loop the analyzer accepts assumes). Each "≥ 0" is proven: a constant, or positive from the lower bounds
/// of symbols that hold whenever the loops run (`o &lt; n` running from 1 gives n ≥ 2).
/// </para>
/// </summary>
public static class NestHull
{
    /// <summary>The counter's bounds for a range over itself and <paramref name="outer"/> (the loops around it that are
    /// eliminated with it): the exact hull term where a min/max bound reads one of them, else its bounds as written.</summary>
    public static (LinearExpr Min, LinearExpr Max) Of(LoopHeader h, IReadOnlyList<LoopHeader> outer, IReadOnlyDictionary<string, long> lowerBounds)
    {
        var max = ReadsOuter(h.Max, outer) && Upper(h, outer, lowerBounds) is { } hi ? hi : h.Max;
        var min = ReadsOuter(h.Min, outer) && Lower(h, outer, lowerBounds) is { } lo ? lo : h.Min;
        return (min, max);
    }

    private static bool ReadsOuter(LinearExpr bound, IReadOnlyList<LoopHeader> outer) =>
        bound.Symbols.Any(s => s.IsOpaque && s.Dependencies.Any(d => outer.Any(o => o.Symbol.Key == d)));

    private static LinearExpr? Upper(LoopHeader h, IReadOnlyList<LoopHeader> outer, IReadOnlyDictionary<string, long> lowerBounds)
    {
        if (h.UpperTerms.Count != 2 || Plain(h.LowerTerms, h.Min) is not { } lows) return null;
        foreach (var (t, u) in new[] { (h.UpperTerms[0], h.UpperTerms[1]), (h.UpperTerms[1], h.UpperTerms[0]) })
        {
            if (Free(t, outer, h) is false || Shift(u, outer) is not var (o, a) || Plain([], o.Max) is null || o.Max.Mentions(h.Symbol)) continue;
            var step = StepOf(o);
            if (step is null) continue;
            // (1) o.Max − S + 1 + a ≥ t.
            if (!NonNegative(o.Max.Subtract(step).Add(LinearExpr.One).Add(a).Subtract(t), lowerBounds)) continue;
            // (2) every term of L, non-decreasing in o, is ≤ t at o.Max.
            if (!lows.All(l => l.Split(o.Symbol).Coefficient is { IsConstant: true, Constant: >= 0 } &&
                               l.Substitute(o.Symbol, o.Max) is { } at && NonNegative(t.Subtract(at), lowerBounds))) continue;
            return t;
        }
        return null;
    }

    private static LinearExpr? Lower(LoopHeader h, IReadOnlyList<LoopHeader> outer, IReadOnlyDictionary<string, long> lowerBounds)
    {
        if (h.LowerTerms.Count != 2 || Plain(h.UpperTerms, h.Max) is not { } highs) return null;
        foreach (var (t, u) in new[] { (h.LowerTerms[0], h.LowerTerms[1]), (h.LowerTerms[1], h.LowerTerms[0]) })
        {
            if (Free(t, outer, h) is false || Shift(u, outer) is not var (o, b) || Plain([], o.Min) is null || o.Min.Mentions(h.Symbol)) continue;
            if (StepOf(o) is null) continue;
            // The first iteration is o.Min: t ≥ o.Min + b, and every term of U at o.Min is ≥ t.
            if (!NonNegative(t.Subtract(o.Min).Subtract(b), lowerBounds)) continue;
            if (!highs.All(x => x.Substitute(o.Symbol, o.Min) is { } at && NonNegative(at.Subtract(t), lowerBounds))) continue;
            return t;
        }
        return null;
    }

    /// <summary>The terms of the other bound (its min/max terms, or the bound itself), none of them opaque; else null.</summary>
    private static IReadOnlyList<LinearExpr>? Plain(IReadOnlyList<LinearExpr> terms, LinearExpr bound)
    {
        var list = terms.Count > 0 ? terms : [bound];
        return list.Any(x => x.Symbols.Any(s => s.IsOpaque || s.Key.StartsWith("range:", StringComparison.Ordinal))) ? null : list;
    }

    /// <summary>The term reads no counter of the nest (nor the counter itself) and no opaque value.</summary>
    private static bool Free(LinearExpr t, IReadOnlyList<LoopHeader> outer, LoopHeader h) =>
        !t.Mentions(h.Symbol) && !outer.Any(o => t.Mentions(o.Symbol)) && !t.Symbols.Any(s => s.IsOpaque);

    /// <summary>`o + a`: one outer counter running up, with coefficient 1, plus a part free of every counter.</summary>
    private static (LoopHeader O, LinearExpr A)? Shift(LinearExpr u, IReadOnlyList<LoopHeader> outer)
    {
        foreach (var o in outer)
        {
            var (c, rest) = u.Split(o.Symbol);
            if (c is not { IsConstant: true, Constant: 1 } || o.Step <= 0) continue;
            if (outer.Any(x => rest.Mentions(x.Symbol)) || rest.Symbols.Any(s => s.IsOpaque)) return null;
            return (o, rest);
        }
        return null;
    }

    /// <summary>The step of a loop running up: a constant ≥ 1, or a symbolic step (≥ 1 by the comparison's direction).</summary>
    private static LinearExpr? StepOf(LoopHeader o) =>
        o.Step <= 0 ? null : o.StepKnown ? LinearExpr.Const(o.Step) : o.StepExpr.Symbols.Any(s => s.IsOpaque) ? null : o.StepExpr;

    private static bool NonNegative(LinearExpr e, IReadOnlyDictionary<string, long> lowerBounds) =>
        e.IsConstant ? e.Constant >= 0 : RangeBounds.SignOf(e.Add(LinearExpr.One), lowerBounds) > 0;
}
