using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Syntax;

/// <summary>Recovers the source text of a node from the file it was parsed from.</summary>
public static partial class SourceText
{
    /// <summary>The node's text with whitespace collapsed; falls back to its spelling.</summary>
    public static string Of(SyntaxNode node)
    {
        var root = node;
        while (root.Parent is not null) root = root.Parent;
        var text = root.SourceText;
        var s = node.Span;
        if (text is null || s.Offset < 0 || s.EndOffset > text.Length || s.EndOffset <= s.Offset ||
            !string.Equals(s.File, root.Span.File, StringComparison.Ordinal))
            return node.Spelling;
        return Spaces().Replace(text[s.Offset..s.EndOffset], " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
