using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>Recognizes OpenMP canonical loop form: `var = lb; var op ub; var += step` with a constant step.</summary>
public static class LoopHeaderReader
{
    public static void Read(LoopInfo loop)
    {
        if (loop.IsRangeFor) { ReadRangeFor(loop); return; }
        var parts = loop.Node.For;
        if (parts is null) { loop.NonCanonicalReason = "the loop header could not be read (it comes from a macro)"; return; }

        // Bounds are symbols of the enclosing function; nothing is substituted in a header.
        var affine = new AffineConverter(loop.Function, _ => false);
        if (!TryInit(parts.Init, out var iv, out var initExpr, out var declaredInHeader, out var why)) { loop.NonCanonicalReason = why; return; }
        if (iv!.IsGlobalStorage) { loop.NonCanonicalReason = $"the loop variable `{iv.Name}` is a global or static variable (other code may read it)"; return; }
        if (!iv.Type.IsIntegral) { loop.NonCanonicalReason = $"the loop variable `{iv.Name}` is not an integer (pointer or iterator loops are not handled)"; return; }
        if (parts.Condition is null) { loop.NonCanonicalReason = "the loop has no condition"; return; }
        if (!TryCondition(parts.Condition, iv, out var cmp, out var boundExpr)) { loop.NonCanonicalReason = $"the condition does not compare `{iv.Name}` with a bound"; return; }
        if (parts.Increment is null || !TryStep(parts.Increment, iv, affine, out var step, out var stepExpr)) { loop.NonCanonicalReason = $"`{iv.Name}` does not change by a loop-invariant step"; return; }
        if (step == 0) step = cmp is "<" or "<=" ? 1 : cmp is ">" or ">=" ? -1 : 0; // symbolic step: its sign follows the comparison
        if (step == 0) { loop.NonCanonicalReason = $"`{iv.Name}` changes by a symbolic step and the condition is `!=`"; return; }

        var ok = cmp switch
        {
            "<" or "<=" => step > 0,
            ">" or ">=" => step < 0,
            "!=" => Math.Abs(step) == 1,
            _ => false,
        };
        if (!ok) { loop.NonCanonicalReason = $"the step {step} does not move `{iv.Name}` towards its bound ({cmp})"; return; }

        var symbol = AffineConverter.SymbolOf(iv);
        var init = affine.Convert(initExpr!) ?? Opaque(loop, "lb", initExpr!);
        var bound = affine.Convert(boundExpr!) ?? Opaque(loop, "ub", boundExpr!);
        if (init.Mentions(symbol) || bound.Mentions(symbol)) { loop.NonCanonicalReason = $"the bound of `{iv.Name}` depends on `{iv.Name}` itself"; return; }
        LinearExpr min, max;
        if (step > 0)
        {
            min = init;
            max = cmp == "<=" ? bound : bound.Subtract(LinearExpr.One);
        }
        else
        {
            max = init;
            min = cmp == ">=" ? bound : bound.Add(LinearExpr.One);
        }
        if (stepExpr.Mentions(symbol)) { loop.NonCanonicalReason = $"the step of `{iv.Name}` depends on `{iv.Name}`"; return; }
        // A bound that is a minimum (upper) or a maximum (lower) of affine terms: each term bounds the counter alone.
        var (upperExpr, lowerExpr) = step > 0 ? (boundExpr!, initExpr!) : (initExpr!, boundExpr!);
        var upperShift = step > 0 && cmp == "<" ? -1 : 0;
        var lowerShift = step < 0 && cmp == ">" ? 1 : 0;
        var upperTerms = cmp == "!=" ? null : MinMaxBound.Terms(upperExpr, affine, minimum: true);
        var lowerTerms = cmp == "!=" ? null : MinMaxBound.Terms(lowerExpr, affine, minimum: false);
        loop.Header = new LoopHeader(iv, symbol, init, bound, cmp, step, min, max, declaredInHeader)
        {
            StepExpr = stepExpr.IsConstant ? LinearExpr.Const(step) : stepExpr,
            UpperTerms = upperTerms?.Where(t => !t.Mentions(symbol)).Select(t => t.Add(LinearExpr.Const(upperShift))).ToList() ?? [],
            LowerTerms = lowerTerms?.Where(t => !t.Mentions(symbol)).Select(t => t.Add(LinearExpr.Const(lowerShift))).ToList() ?? [],
        };
    }

    /// <summary>A non-affine but (checked later) invariant bound stands for itself as an opaque symbol.</summary>
    private static LinearExpr Opaque(LoopInfo loop, string which, SyntaxNode expr) =>
        LinearExpr.Of(new Symbol($"{which}:{loop.Id}", "(" + SourceText.Of(expr) + ")"));

    private static void ReadRangeFor(LoopInfo loop)
    {
        var kids = loop.Node.Children;
        var element = kids.FirstOrDefault(k => k.Kind == NodeKind.VarDecl);
        if (element?.Decl is null || kids.Count < 3) { loop.NonCanonicalReason = "the range-for could not be read"; return; }
        var range = kids[^2];
        var rangeExpr = range.StripParensAndCasts();
        var container = rangeExpr is { Kind: NodeKind.DeclRef, Decl: { } c } ? c : null;
        loop.Range = new RangeForInfo(element.Decl, element.Decl.Type.IsReference, range, container);
        // A named container or array, or a member one (`for (auto& x : items_)`).
        var path = container is not null ? AffineConverter.SymbolOf(container)
            : rangeExpr.Kind == NodeKind.MemberRef ? AffineConverter.MemberPath(rangeExpr) : null;
        if (path is null) { loop.NonCanonicalReason = "the range is not a named container or array"; return; }
        var type = rangeExpr.Type;

        var k = new Symbol("range:" + loop.Id, "__pslm_k");
        LinearExpr max;
        if (type.IsArray && type.ArrayLength > 0) max = LinearExpr.Const(type.ArrayLength - 1);
        else if (type.IsStdIndexedContainer)
            max = LinearExpr.Of(new Symbol("size:" + path.Key, SourceText.Of(rangeExpr) + ".size()") { Dependencies = [path.Key] }).Subtract(LinearExpr.One);
        else { loop.NonCanonicalReason = $"`{SourceText.Of(rangeExpr)}` is not a std::vector, std::array or array"; return; }
        loop.Header = new LoopHeader(null, k, LinearExpr.Zero, max.Add(LinearExpr.One), "<", 1, LinearExpr.Zero, max, true);
    }

    private static bool TryInit(SyntaxNode? init, out DeclInfo? iv, out SyntaxNode? start, out bool declared, out string why)
    {
        iv = null; start = null; declared = false; why = "the loop does not initialize a single loop variable";
        if (init is null) return false;
        if (init.Kind == NodeKind.DeclStmt)
        {
            var vars = init.Children.Where(c => c.Kind == NodeKind.VarDecl).ToList();
            if (vars.Count != 1) { why = "the loop header declares several variables"; return false; }
            iv = vars[0].Decl;
            start = FunctionScope.InitializerOf(vars[0]);
            declared = true;
            return iv is not null && start is not null;
        }
        var e = init.StripParensAndCasts();
        if (e.Kind == NodeKind.Binary && e.BinaryOp == BinaryOp.Assign && e.Children.Count == 2 &&
            e.Children[0].StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } d })
        {
            iv = d;
            start = e.Children[1];
            return true;
        }
        return false;
    }

    private static bool TryCondition(SyntaxNode cond, DeclInfo iv, out string cmp, out SyntaxNode? bound)
    {
        cmp = string.Empty; bound = null;
        var c = cond.StripParensAndCasts();
        if (c.Kind != NodeKind.Binary || !c.BinaryOp.IsComparison() || c.BinaryOp == BinaryOp.EQ || c.Children.Count != 2) return false;
        var left = c.Children[0].StripParensAndCasts();
        var right = c.Children[1].StripParensAndCasts();
        if (IsVar(left, iv) && !Mentions(right, iv)) { cmp = c.BinaryOp.Text(); bound = c.Children[1]; return true; }
        if (IsVar(right, iv) && !Mentions(left, iv))
        {
            cmp = c.BinaryOp switch { BinaryOp.LT => ">", BinaryOp.LE => ">=", BinaryOp.GT => "<", BinaryOp.GE => "<=", _ => "!=" };
            bound = c.Children[0];
            return true;
        }
        return false;
    }

    /// <summary>The step: a constant (`step` set, non-zero) or an invariant expression (`step` = 0, `stepExpr` symbolic).</summary>
    private static bool TryStep(SyntaxNode inc, DeclInfo iv, AffineConverter affine, out long step, out LinearExpr stepExpr)
    {
        step = 0;
        stepExpr = LinearExpr.Zero;
        var e = inc.StripParensAndCasts();
        LinearExpr? amount = null;
        var negate = false;
        switch (e.Kind)
        {
            case NodeKind.Unary when e.Children.Count == 1 && IsVar(e.Children[0].StripParensAndCasts(), iv):
                step = e.UnaryOp switch { UnaryOp.PostInc or UnaryOp.PreInc => 1, UnaryOp.PostDec or UnaryOp.PreDec => -1, _ => 0 };
                stepExpr = LinearExpr.Const(step);
                return step != 0;
            case NodeKind.CompoundAssign when e.Children.Count == 2 && IsVar(e.Children[0].StripParensAndCasts(), iv):
                if (e.BinaryOp is not (BinaryOp.AddAssign or BinaryOp.SubAssign)) return false;
                amount = affine.Convert(e.Children[1]);
                negate = e.BinaryOp == BinaryOp.SubAssign;
                break;
            case NodeKind.Binary when e.BinaryOp == BinaryOp.Assign && e.Children.Count == 2 && IsVar(e.Children[0].StripParensAndCasts(), iv):
                var rhs = e.Children[1].StripParensAndCasts();
                if (rhs.Kind != NodeKind.Binary || rhs.Children.Count != 2) return false;
                var a = rhs.Children[0].StripParensAndCasts();
                var b = rhs.Children[1].StripParensAndCasts();
                if (rhs.BinaryOp == BinaryOp.Add && IsVar(a, iv)) amount = affine.Convert(b);
                else if (rhs.BinaryOp == BinaryOp.Add && IsVar(b, iv)) amount = affine.Convert(a);
                else if (rhs.BinaryOp == BinaryOp.Sub && IsVar(a, iv)) { amount = affine.Convert(b); negate = true; }
                break;
            default:
                return false;
        }
        if (amount is null) return false;
        if (negate) amount = amount.Negate();
        stepExpr = amount;
        if (amount.IsConstant)
        {
            step = amount.Constant;
            return step != 0;
        }
        return true;
    }

    private static long? Constant(SyntaxNode n)
    {
        var s = n.StripParensAndCasts();
        if (s.IntValue is { } v) return v;
        if (s.Kind == NodeKind.Unary && s.UnaryOp == UnaryOp.Minus && s.Children.Count == 1 && Constant(s.Children[0]) is { } w) return -w;
        return null;
    }

    private static bool IsVar(SyntaxNode n, DeclInfo iv) => n.Kind == NodeKind.DeclRef && n.Decl?.Key == iv.Key;

    private static bool Mentions(SyntaxNode n, DeclInfo iv) =>
        n.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == iv.Key);
}
