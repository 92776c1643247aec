using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>Syntax checks and text copies the locality transforms share.</summary>
internal static class NestSyntax
{
    /// <summary>Integer arithmetic over variables the nest does not write: no memory read, call, division or assignment.</summary>
    internal static bool InvariantBound(SyntaxNode n, HashSet<string> counters) =>
        n.DescendantsAndSelf().All(d => d.Kind switch
        {
            NodeKind.DeclRef => d.Decl is { } decl && !counters.Contains(decl.Key) && !decl.Type.IsAnyVolatile && !decl.IsFunction,
            NodeKind.IntLiteral or NodeKind.Paren or NodeKind.Cast or NodeKind.SizeOf or NodeKind.TypeRef => true,
            NodeKind.Unexposed => d.Children.Count <= 1,
            NodeKind.Binary => d.BinaryOp is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Shl or BinaryOp.Shr,
            NodeKind.Unary => d.UnaryOp is UnaryOp.Minus or UnaryOp.Plus,
            _ => false,
        });

    /// <summary>The statements of a body: a compound's children, or the single statement.</summary>
    internal static List<SyntaxNode>? Statements(SyntaxNode? body) =>
        body is null ? null : body.Kind == NodeKind.Compound ? body.Children.ToList() : [body];

    internal static bool SingleStatement(SyntaxNode? body, SyntaxNode only) => Statements(body) is [var s] && ReferenceEquals(s, only);

    internal static SyntaxNode Root(SyntaxNode n)
    {
        while (n.Parent is not null) n = n.Parent;
        return n;
    }

    internal static string? Text(SyntaxNode root, int start, int end)
    {
        var (a, b) = (SourceText.CharIndex(root, start), SourceText.CharIndex(root, end));
        return root.SourceText is { } t && a >= 0 && b <= t.Length && a < b ? t[a..b] : null;
    }

    /// <summary>
    /// The expression's own text on one line, or null when that text is not the whole expression: libclang's extent of
    /// an expression whose last token comes from a macro argument stops at the macro's name, so the text must be followed
    /// by what ends the expression in its statement (`;`, `)`, `=`, `+=`) and hold no comment or preprocessor line.
    /// </summary>
    internal static string? Expression(SyntaxNode root, SyntaxNode n)
    {
        // A macro's use site is in the main file even when the node's own tokens come from the macro (`N`).
        if (!string.Equals(n.Span.File, root.Span.File, StringComparison.Ordinal) || Text(root, n.Span.Offset, n.Span.EndOffset) is not { } raw) return null;
        if (raw.Contains("//", StringComparison.Ordinal) || raw.Contains("/*", StringComparison.Ordinal) || raw.Contains('#') || raw.Contains('\\')) return null;
        var text = root.SourceText!;
        var after = SourceText.CharIndex(root, n.Span.EndOffset);
        while (after < text.Length && char.IsWhiteSpace(text[after])) after++;
        if (after >= text.Length || text[after] is not (';' or ')' or '=' or '+' or '<')) return null;
        if (text[after] == '+' && (after + 1 >= text.Length || text[after + 1] != '=')) return null;
        return string.Join(' ', raw.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }
}
