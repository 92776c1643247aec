namespace ParaSlm.Analyzer.Syntax;

/// <summary>Structural equality of expressions (same operators, same variables, same constants).</summary>
public static class SyntaxEquality
{
    public static bool Same(SyntaxNode a, SyntaxNode b)
    {
        a = a.StripParensAndCasts();
        b = b.StripParensAndCasts();
        if (a.Kind != b.Kind || a.BinaryOp != b.BinaryOp || a.UnaryOp != b.UnaryOp || a.IntValue != b.IntValue) return false;
        if (a.Kind is NodeKind.DeclRef or NodeKind.MemberRef or NodeKind.Call && a.Decl?.Key != b.Decl?.Key) return false;
        if (a.Kind is NodeKind.FloatLiteral or NodeKind.StringLiteral && SourceText.Of(a) != SourceText.Of(b)) return false;
        if (a.Children.Count != b.Children.Count) return false;
        for (var i = 0; i < a.Children.Count; i++)
            if (!Same(a.Children[i], b.Children[i])) return false;
        return true;
    }

    public static bool Mentions(SyntaxNode n, string declKey) =>
        n.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == declKey);
}
