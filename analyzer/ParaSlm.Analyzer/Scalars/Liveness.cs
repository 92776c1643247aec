using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Scalars;

/// <summary>Whether a variable's value may be read after a loop ends (which makes privatization lastprivate).</summary>
public static class Liveness
{
    public static bool IsLiveAfter(LoopInfo loop, DeclInfo v)
    {
        // Storage visible beyond this function keeps its value after the loop.
        if (v.IsGlobalStorage || v.Type.IsReference || loop.Function.IsAddressTaken(v.Key)) return true;
        var span = loop.Node.Span;
        var declaration = DeclarationSpan(loop, v);
        var jumps = Jumps.Of(loop.Function.Node);
        // Inside enclosing `for` loops (and no `goto`), the paths after the loop are followed exactly: the rest of each
        // enclosing body, then its back edge (increment, condition, the body from its top) and its exit. Anything else keeps
        // the coarse rule: a read anywhere in an enclosing loop may see the value left by the previous trip, unless the read
        // sits in another `for` whose init assigns v: without a goto, every path from this loop to that read passes the init.
        if (!ExactPaths(loop, declaration, jumps))
        {
            var gotoFree = !jumps.Goto && !jumps.Label;
            foreach (var n in loop.Function.Node.DescendantsAndSelf())
            {
                if (n.Kind != NodeKind.DeclRef || n.Decl?.Key != v.Key || span.Contains(n.Span) || !IsRead(n)) continue;
                if (gotoFree && AfterAnInitThatAssigns(n, v, span)) continue;
                // Every enclosing loop statement counts, `while` and `do` too (they are not in the LoopInfo tree).
                for (var outer = loop.Node.Parent; outer is not null; outer = outer.Parent)
                    if (outer.Kind is NodeKind.For or NodeKind.While or NodeKind.Do && outer.Span.Contains(n.Span) && !outer.Span.Contains(declaration)) return true;
            }
        }
        // The statements that follow, outward from the loop; the first one that mentions v decides.
        for (var node = loop.Node; node.Parent is not null && !ReferenceEquals(node, loop.Function.Node); node = node.Parent)
        {
            var parent = node.Parent;
            // v is declared inside what ends here: its lifetime ends with it (a later trip of a loop declares it afresh).
            if (node.Span.Contains(declaration) && !ReferenceEquals(node, loop.Node)) return false;
            if (parent.Kind == NodeKind.For && parent.For is { } parts && ReferenceEquals(parts.Body, node) && !parent.Span.Contains(declaration))
            {
                // The back edge: the increment, the condition, then the body from its top (which may kill v first).
                if (parts.Increment is not null && Mentions(parts.Increment, v) && !Kills(parts.Increment, v)) return true;
                if (parts.Condition is not null && Mentions(parts.Condition, v)) return true;
                if (FirstUse(node, v) == Use.Read) return true;
                // Otherwise only the exit path remains: the statements after the enclosing loop decide.
                continue;
            }
            if (parent.Kind != NodeKind.Compound) continue;
            var after = false;
            foreach (var stmt in parent.Children)
            {
                if (ReferenceEquals(stmt, node)) { after = true; continue; }
                if (!after) continue;
                var use = FirstUse(stmt, v);
                if (use != Use.None) return use == Use.Read;
            }
        }
        return false;
    }

    /// <summary>Every loop enclosing <paramref name="loop"/> up to v's declaration is a `for` whose body holds the inner
    /// loops (no `while` or `do` between them), and the function has no `goto` (which could jump to a read the walk does not see).</summary>
    private static bool ExactPaths(LoopInfo loop, SourceSpan declaration, Jumps jumps)
    {
        if (jumps.Goto || jumps.Opaque) return false;
        for (var outer = loop.Parent; outer is not null; outer = outer.Parent)
        {
            if (outer.Node.Span.Contains(declaration)) break;
            if (outer.Node.Kind != NodeKind.For || outer.Node.For?.Body is not { } body || !body.Span.Contains(loop.Node.Span)) return false;
        }
        // A `while` or `do` between the loop and v's declaration has a back edge the walk does not follow.
        for (var node = loop.Node.Parent; node is not null && !node.Span.Contains(declaration); node = node.Parent)
            if (node.Kind is NodeKind.While or NodeKind.Do) return false;
        return true;
    }

    /// <summary>What in the function could reach a read the walk does not see: a `goto` (or computed goto), a label, a
    /// statement expression or lambda (control flow inside an expression). One walk of the function per query.</summary>
    private readonly record struct Jumps(bool Goto, bool Label, bool Opaque)
    {
        public static Jumps Of(SyntaxNode function)
        {
            bool @goto = false, label = false, opaque = false;
            foreach (var n in function.DescendantsAndSelf())
            {
                @goto |= n.Kind is NodeKind.Goto or NodeKind.IndirectGoto;
                label |= n.Kind == NodeKind.Label;
                opaque |= n.Kind is NodeKind.StmtExpr or NodeKind.Lambda;
            }
            return new Jumps(@goto, label, opaque);
        }
    }

    private enum Use { None, Kill, Read }

    /// <summary>
    /// What a statement does first with v on its paths: reads it (on some path), kills it (assigns it before any read
    /// on every path), or neither (a path leaves v untouched: the statements after it decide).
    /// </summary>
    private static Use FirstUse(SyntaxNode stmt, DeclInfo v)
    {
        if (!Mentions(stmt, v)) return Use.None;
        switch (stmt.Kind)
        {
            case NodeKind.Compound:
                foreach (var c in stmt.Children)
                {
                    var u = FirstUse(c, v);
                    if (u != Use.None) return u;
                }
                return Use.None;
            case NodeKind.If when stmt.Children.Count is 2 or 3:
            {
                if (Mentions(stmt.Children[0], v)) return Use.Read;
                var then = FirstUse(stmt.Children[1], v);
                var otherwise = stmt.Children.Count == 3 ? FirstUse(stmt.Children[2], v) : Use.None;
                if (then == Use.Read || otherwise == Use.Read) return Use.Read;
                return then == Use.Kill && otherwise == Use.Kill ? Use.Kill : Use.None;
            }
            case NodeKind.For when stmt.For is { } parts:
            {
                if (parts.Init is not null && Mentions(parts.Init, v)) return Kills(parts.Init, v) ? Use.Kill : Use.Read;
                if (parts.Condition is not null && Mentions(parts.Condition, v)) return Use.Read;
                // The body may run zero times: a kill inside it leaves the old value on the other path.
                var body = parts.Body is null ? Use.None : FirstUse(parts.Body, v);
                if (body == Use.Read || (parts.Increment is not null && Mentions(parts.Increment, v) && body != Use.Kill)) return Use.Read;
                return Use.None;
            }
            default:
                return Kills(stmt, v) ? Use.Kill : Use.Read;
        }
    }

    private static bool Mentions(SyntaxNode n, DeclInfo v) =>
        n.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == v.Key);

    /// <summary>`v = e;` (e not reading v): the old value is dead.</summary>
    private static bool Kills(SyntaxNode stmt, DeclInfo v)
    {
        var s = stmt.StripParensAndCasts();
        return s.Kind == NodeKind.Binary && s.BinaryOp == BinaryOp.Assign && s.Children.Count == 2 &&
               s.Children[0].StripParensAndCasts() is { Kind: NodeKind.DeclRef } t && t.Decl?.Key == v.Key &&
               !Mentions(s.Children[1], v);
    }

    /// <summary>The read is in the condition, body or increment of a `for` that does not hold the loop and whose init is
    /// `v = e` (e not reading v): it sees that init's value or one written after it, never the loop's.</summary>
    private static bool AfterAnInitThatAssigns(SyntaxNode read, DeclInfo v, SourceSpan loop)
    {
        for (var p = read.Parent; p is not null; p = p.Parent)
            if (p is { Kind: NodeKind.For, For: { Init: { } init } } && !p.Span.Contains(loop) && !init.Span.Contains(read.Span) && Kills(init, v)) return true;
        return false;
    }

    private static SourceSpan DeclarationSpan(LoopInfo loop, DeclInfo v) =>
        loop.Function.DeclarationOf(v.Key)?.Span ?? v.Span;

    /// <summary>Everything but the plain left-hand side of `=`.</summary>
    private static bool IsRead(SyntaxNode declRef)
    {
        var child = declRef;
        var p = declRef.Parent;
        while (p is not null && p.Kind is NodeKind.Paren) { child = p; p = p.Parent; }
        return !(p is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign } && ReferenceEquals(p.Children[0], child));
    }
}
