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
        var increment = parts.Increment;
        (DeclInfo Variable, SyntaxNode Start, SyntaxNode Step)? second = null;
        if (!TryInit(parts.Init, out var iv, out var initExpr, out var declaredInHeader, out var why))
        {
            // Two counters set by the header and advanced together (`int o = b, i = 0; i < n; i++, o++`): the one the
            // condition tests is the loop's counter, the other is read as a function of it (SecondCounter).
            if (!TryTwoCounters(parts, out iv, out initExpr, out declaredInHeader, out increment, out second)) { loop.NonCanonicalReason = why; return; }
        }
        if (iv!.IsGlobalStorage) { loop.NonCanonicalReason = $"the loop variable `{iv.Name}` is a global or static variable (other code may read it)"; return; }
        if (!iv.Type.IsIntegral) { loop.NonCanonicalReason = $"the loop variable `{iv.Name}` is not an integer (pointer or iterator loops are not handled)"; return; }
        if (parts.Condition is null) { loop.NonCanonicalReason = "the loop has no condition"; return; }
        if (!TryCondition(parts.Condition, iv, out var cmp, out var boundExpr)) { loop.NonCanonicalReason = $"the condition does not compare `{iv.Name}` with a bound"; return; }
        if (increment is null || !TryStep(increment, iv, affine, out var step, out var stepExpr)) { loop.NonCanonicalReason = $"`{iv.Name}` does not change by a loop-invariant step"; return; }
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
        if (second is { } two)
        {
            var (counter, why2) = Second(loop, loop.Header, two.Variable, two.Start, two.Step, initExpr!, affine);
            if (counter is null) { loop.Header = null; loop.NonCanonicalReason = $"the header advances two counters (`{iv.Name}`, `{two.Variable.Name}`), and {why2}"; return; }
            loop.Header = loop.Header with { Second = counter };
        }
    }

    /// <summary>
    /// The second counter of a two-counter header as a function of the loop's counter, or why it is not one. *Rule:* with
    /// the counter `i` from `i0` by a constant step `s` and the second `o` from `o0` by a constant step `t` that `s` divides,
    /// both advanced once per iteration by the header only, `o = o0 + (t / s)·(i − i0)` in every iteration (after k
    /// iterations `i = i0 + k·s`, `o = o0 + k·t`). Both starts must be affine in neither counter (evaluated once, before the
    /// first iteration, from values the loop's own rewrite can read again), and the body may neither assign nor take the
    /// address of either counter.
    /// </summary>
    private static (SecondCounter? Counter, string? Why) Second(LoopInfo loop, LoopHeader header, DeclInfo o, SyntaxNode startNode, SyntaxNode stepNode,
        SyntaxNode initNode, AffineConverter affine)
    {
        if (o.IsGlobalStorage || !o.Type.IsIntegral || o.Type.IsAnyVolatile) return (null, $"`{o.Name}` is not a local integer");
        if (!header.StepKnown) return (null, $"`{header.Symbol.Text}` moves by a run-time step");
        if (!TryStep(stepNode, o, affine, out var t, out _) || t == 0) return (null, $"`{o.Name}` does not move by a constant step");
        if (t % header.Step != 0) return (null, $"the step of `{o.Name}` ({t}) is not a multiple of the step of `{header.Symbol.Text}` ({header.Step})");
        var symbol = AffineConverter.SymbolOf(o);
        var start = affine.Convert(startNode);
        var init = affine.Convert(initNode);
        if (start is null || init is null) return (null, "a start value is not an affine expression of variables");
        var counters = new[] { symbol, header.Symbol };
        if (start.MentionsAny(counters) || init.MentionsAny(counters)) return (null, "a start value reads a counter");
        if (header.Bound.Mentions(symbol) || header.StepExpr.Mentions(symbol)) return (null, $"the bound of `{header.Symbol.Text}` reads `{o.Name}`");
        if (loop.Function.IsAddressTaken(o.Key) || loop.Function.IsBoundToReference(o.Key)) return (null, $"the address of `{o.Name}` is taken");
        if (loop.Body is { } body && (WrittenIn(loop, o, body) || header.Variable is { } iv && WrittenIn(loop, iv, body)))
            return (null, "the body assigns a counter");
        LinearExpr value;
        try { value = start.Add(LinearExpr.Of(header.Symbol).Subtract(init).Scale(t / header.Step)); }
        catch (OverflowException) { return (null, "its value overflows the analyzer's arithmetic"); }
        return (new SecondCounter(o, symbol, start, t, value, startNode, loop.Node.For?.Init?.Kind == NodeKind.DeclStmt), null);
    }

    private static bool WrittenIn(LoopInfo loop, DeclInfo d, SyntaxNode body) =>
        loop.Function.WritesOf(d.Key).Any(w => body.Span.Contains(w.Span));

    /// <summary>`int a = x, b = y` or `a = x, b = y` as the init, and a comma of two steps as the increment: the variable the
    /// condition compares (and the other does not appear in) is the counter, its step one operand of the increment.</summary>
    private static bool TryTwoCounters(ForParts parts, out DeclInfo? iv, out SyntaxNode? start, out bool declared, out SyntaxNode? step,
        out (DeclInfo Variable, SyntaxNode Start, SyntaxNode Step)? second)
    {
        iv = null; start = null; declared = false; step = null; second = null;
        if (parts.Init is null || parts.Condition is null || parts.Increment?.StripParensAndCasts() is not
            { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Comma, Children.Count: 2 } inc) return false;
        var pair = new List<(DeclInfo Variable, SyntaxNode Start)>();
        if (parts.Init.Kind == NodeKind.DeclStmt)
        {
            declared = true;
            foreach (var v in parts.Init.Children.Where(c => c.Kind == NodeKind.VarDecl))
                if (v.Decl is { } d && FunctionScope.InitializerOf(v) is { } init) pair.Add((d, init));
                else return false;
        }
        else if (parts.Init.StripParensAndCasts() is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Comma, Children.Count: 2 } comma)
        {
            foreach (var a in comma.Children.Select(c => c.StripParensAndCasts()))
                if (a is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign, Children.Count: 2 } && a.Children[0].StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } d })
                    pair.Add((d, a.Children[1]));
                else return false;
        }
        if (pair.Count != 2 || pair[0].Variable.Key == pair[1].Variable.Key) return false;
        var steps = inc.Children.Select(c => c.StripParensAndCasts()).ToList();
        foreach (var (p, q) in new[] { (pair[0], pair[1]), (pair[1], pair[0]) })
        {
            if (!TryCondition(parts.Condition, p.Variable, out _, out _) || Mentions(parts.Condition, q.Variable)) continue;
            var own = steps.FindIndex(x => Steps(x, p.Variable));
            if (own < 0 || !Steps(steps[1 - own], q.Variable) || Mentions(steps[1 - own], p.Variable) || Mentions(steps[own], q.Variable)) continue;
            (iv, start, step, second) = (p.Variable, p.Start, steps[own], (q.Variable, q.Start, steps[1 - own]));
            return true;
        }
        return false;
    }

    /// <summary>The expression assigns <paramref name="v"/> (`v++`, `v += c`, `v = v + c`): a candidate step of it.</summary>
    private static bool Steps(SyntaxNode e, DeclInfo v) =>
        e.Kind is NodeKind.Unary or NodeKind.CompoundAssign or NodeKind.Binary && e.Children.Count > 0 && IsVar(e.Children[0].StripParensAndCasts(), v) &&
        (e.Kind != NodeKind.Unary || e.UnaryOp.IsIncDec()) && (e.Kind != NodeKind.Binary || e.BinaryOp == BinaryOp.Assign);

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
