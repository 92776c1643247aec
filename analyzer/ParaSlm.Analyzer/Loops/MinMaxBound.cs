using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// A loop bound written as a minimum or maximum of affine terms, the way hand-tiled code spells it (`MIN(n, jt + tile)`,
/// `std::min(n, jt + tile)`; the macro's expansion `((n) &lt; (jt + tile) ? (n) : (jt + tile))` libclang shows as a conditional). The affine form keeps such
/// a bound whole, as one opaque term; its terms are what the proofs need: every term of a minimum is an upper bound of
/// the value, every term of a maximum a lower bound. A conditional counts only when its branches are its comparison's
/// operands (in either order), both integers of one signedness (a mixed comparison converts a negative value to a huge
/// unsigned one, so `a &lt; b` would not pick the smaller), and every term is affine in plain variables (no opaque
/// sub-expression, whose identity is its text).
/// </summary>
internal static class MinMaxBound
{
    private const int MaxTerms = 8;

    /// <summary>The terms of <paramref name="expr"/> read as a minimum (<paramref name="minimum"/> true) or a maximum;
    /// null when it is not one (a plain expression is not a one-term minimum: the caller's bound already covers it).</summary>
    public static IReadOnlyList<LinearExpr>? Terms(SyntaxNode expr, AffineConverter affine, bool minimum)
    {
        var terms = new List<LinearExpr>();
        if (!Collect(expr, affine, minimum, terms, top: true) || terms.Count < 2 || terms.Count > MaxTerms) return null;
        return terms.Distinct().ToList();
    }

    private static bool Collect(SyntaxNode expr, AffineConverter affine, bool minimum, List<LinearExpr> terms, bool top)
    {
        if (terms.Count > MaxTerms) return false;
        var n = expr.StripParensAndCasts();
        if (Split(n, affine) is { } pick && pick.Minimum == minimum)
            return Collect(pick.A, affine, minimum, terms, top: false) && Collect(pick.B, affine, minimum, terms, top: false);
        if (top) return false;
        if (affine.Convert(n) is not { } e || e.Symbols.Any(s => s.IsOpaque)) return false;
        terms.Add(e);
        return true;
    }

    /// <summary>`c ? x : y` whose condition compares x with y, or `std::min(x, y)` / `std::max(x, y)` (no comparator; one
    /// type T for both, so one signedness): which of the two it picks, and the two.</summary>
    private static (bool Minimum, SyntaxNode A, SyntaxNode B)? Split(SyntaxNode n, AffineConverter affine)
    {
        if (n.Kind == NodeKind.Call && n.Decl?.QualifiedName is "std::min" or "std::max" && n.Type.IsIntegral &&
            LoopBodyWalker.CallParts(n) is (null, [var first, var second]) &&
            // `std::min<unsigned>(a, b)` of signed values compares them as unsigned: every type must agree.
            first.StripParensAndCasts().Type.IsUnsignedIntegral == n.Type.IsUnsignedIntegral &&
            second.StripParensAndCasts().Type.IsUnsignedIntegral == n.Type.IsUnsignedIntegral)
            return (n.Decl.QualifiedName == "std::min", first, second);
        if (n.Kind != NodeKind.Conditional || n.Children.Count != 3 || !n.Type.IsIntegral) return null;
        var cond = n.Children[0].StripParensAndCasts();
        if (cond.Kind != NodeKind.Binary || cond.Children.Count != 2 ||
            cond.BinaryOp is not (BinaryOp.LT or BinaryOp.LE or BinaryOp.GT or BinaryOp.GE)) return null;
        var (c0, c1) = (cond.Children[0].StripParensAndCasts(), cond.Children[1].StripParensAndCasts());
        var (x, y) = (n.Children[1].StripParensAndCasts(), n.Children[2].StripParensAndCasts());
        if (!c0.Type.IsIntegral || !c1.Type.IsIntegral || c0.Type.IsUnsignedIntegral != c1.Type.IsUnsignedIntegral) return null;
        var less = cond.BinaryOp is BinaryOp.LT or BinaryOp.LE;
        // `a < b ? a : b` is min(a, b); `a < b ? b : a` is max(a, b); `>` swaps the two.
        if (Same(c0, x, affine) && Same(c1, y, affine)) return (less, x, y);
        if (Same(c0, y, affine) && Same(c1, x, affine)) return (!less, x, y);
        return null;
    }

    /// <summary>The same value: both affine in plain variables and equal, or the same min/max of such terms.</summary>
    private static bool Same(SyntaxNode a, SyntaxNode b, AffineConverter affine)
    {
        if (Split(a, affine) is { } sa && Split(b, affine) is { } sb)
            return sa.Minimum == sb.Minimum && Same(sa.A, sb.A, affine) && Same(sa.B, sb.B, affine);
        return affine.Convert(a) is { } ea && affine.Convert(b) is { } eb && !ea.Symbols.Any(s => s.IsOpaque) && ea.Equals(eb);
    }
}
