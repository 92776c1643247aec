namespace ParaSlm.Analyzer.Syntax;

/// <summary>Structural equality of expressions (same operators, same variables, same constants).</summary>
public static class SyntaxEquality
{
    /// <param name="renamed">A variable of <paramref name="a"/> (key From) that stands for one of <paramref name="b"/>
    /// (key To): two loops' counters of the same name, each declared in its own `for`.</param>
    public static bool Same(SyntaxNode a, SyntaxNode b, (string From, string To)? renamed = null)
    {
        a = a.StripParensAndCasts();
        b = b.StripParensAndCasts();
        if (a.Kind != b.Kind || a.BinaryOp != b.BinaryOp || a.UnaryOp != b.UnaryOp || a.IntValue != b.IntValue) return false;
        var key = a.Decl?.Key is { } k && renamed is var (from, to) && k == from ? to : a.Decl?.Key;
        if (a.Kind is NodeKind.DeclRef or NodeKind.MemberRef or NodeKind.Call && key != b.Decl?.Key) return false;
        if (a.Kind is NodeKind.FloatLiteral or NodeKind.StringLiteral && SourceText.Of(a) != SourceText.Of(b)) return false;
        if (a.Children.Count != b.Children.Count) return false;
        for (var i = 0; i < a.Children.Count; i++)
            if (!Same(a.Children[i], b.Children[i], renamed)) return false;
        return true;
    }

    public static bool Mentions(SyntaxNode n, string declKey) =>
        n.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == declKey);
}
