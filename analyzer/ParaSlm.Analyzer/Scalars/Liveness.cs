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
        // Inside an enclosing loop, a read before this loop sees the value left by the previous trip.
        foreach (var n in loop.Function.Node.DescendantsAndSelf())
        {
            if (n.Kind != NodeKind.DeclRef || n.Decl?.Key != v.Key || span.Contains(n.Span) || !IsRead(n)) continue;
            for (var outer = loop.Parent; outer is not null; outer = outer.Parent)
                if (outer.Node.Span.Contains(n.Span) && !outer.Node.Span.Contains(DeclarationSpan(loop, v))) return true;
        }
        // Otherwise: the statements that follow, outward from the loop; the first one that mentions v decides.
        for (var node = loop.Node; node.Parent is not null && !ReferenceEquals(node, loop.Function.Node); node = node.Parent)
        {
            var parent = node.Parent;
            if (parent.Kind != NodeKind.Compound) continue;
            var after = false;
            foreach (var stmt in parent.Children)
            {
                if (ReferenceEquals(stmt, node)) { after = true; continue; }
                if (!after || !Mentions(stmt, v)) continue;
                return !Kills(stmt, v);
            }
        }
        return false;
    }

    private static bool Mentions(SyntaxNode n, DeclInfo v) =>
        n.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == v.Key);

    /// <summary>`v = e;` (e not reading v) or a `for` whose init assigns v: the old value is dead.</summary>
    private static bool Kills(SyntaxNode stmt, DeclInfo v)
    {
        var s = stmt.Kind == NodeKind.For ? stmt.For?.Init : stmt;
        if (s is null) return false;
        s = s.StripParensAndCasts();
        return s.Kind == NodeKind.Binary && s.BinaryOp == BinaryOp.Assign && s.Children.Count == 2 &&
               s.Children[0].StripParensAndCasts() is { Kind: NodeKind.DeclRef } t && t.Decl?.Key == v.Key &&
               !Mentions(s.Children[1], v);
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
