using System.Text;

namespace ParaSlm.Analyzer.Syntax;

/// <summary>An indented text rendering of a tree, for maintainers (`paraslm ast FILE`).</summary>
public static class AstDump
{
    public static string Render(SyntaxNode node, bool mainFileOnly = true)
    {
        var sb = new StringBuilder();
        Write(sb, node, 0, mainFileOnly);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, SyntaxNode n, int depth, bool mainOnly)
    {
        if (mainOnly && depth == 1 && !n.InMainFile) return;
        sb.Append(' ', depth * 2).Append(n.Kind).Append(" '").Append(n.Spelling).Append('\'');
        if (n.BinaryOp != BinaryOp.None) sb.Append(" op=").Append(n.BinaryOp);
        if (n.UnaryOp != UnaryOp.None) sb.Append(" op=").Append(n.UnaryOp);
        if (n.IntValue is { } v) sb.Append(" value=").Append(v);
        if (n.Decl is { } d) sb.Append(" decl=").Append(d.Kind).Append(':').Append(d.QualifiedName);
        if (n.Type != TypeInfo.Unknown) sb.Append(" type='").Append(n.Type.CanonicalSpelling).Append('\'').Append(' ').Append(n.Type.Shape);
        sb.Append(" @").Append(n.Span.Line).Append(':').Append(n.Span.Column).AppendLine();
        foreach (var c in n.Children) Write(sb, c, depth + 1, mainOnly);
    }
}
