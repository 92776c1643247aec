using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>Existing OpenMP pragmas, found in the source text (the AST does not keep them without -fopenmp).</summary>
public static class SourcePragmas
{
    /// <summary>
    /// The `#pragma omp …` directive above the loop, or null. Blank lines, comments, `#line` and the conditionals around
    /// it (`#ifdef _OPENMP` … `#endif`) may stand between them: the raw text decides, so a pragma the parse saw as
    /// inactive still counts. A directive continued with `\` is read whole.
    /// </summary>
    public static string? PrecedingPragma(SyntaxNode loop)
    {
        var text = RootText(loop);
        var offset = CharIndex(loop, loop.Span.Offset);
        if (text is null || offset > text.Length) return null;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        // Something else before `for` on its own line (`if (c) for`) means no pragma can apply to it.
        if (text[lineStart..offset].Trim().Length > 0) return null;
        var end = lineStart - 1;
        while (end > 0)
        {
            var start = text.LastIndexOf('\n', end - 1) + 1;
            var line = text[start..end].Trim();
            end = start - 1;
            // A continued directive: its first physical line is the one whose predecessor does not end with `\`.
            while (end > 0)
            {
                var previousStart = text.LastIndexOf('\n', end - 1) + 1;
                var previous = text[previousStart..end].TrimEnd();
                if (!previous.EndsWith('\\')) break;
                line = previous[..^1].Trim() + " " + line;
                end = previousStart - 1;
            }
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || IsComment(line)) continue;
            if (IsOmpPragma(line)) return line;
            if (IsSkippableDirective(line)) continue;
            return null;
        }
        return null;
    }

    /// <summary>
    /// The user's OpenMP directive that applies to the loop: on the loop itself, or on a statement that encloses it in
    /// its function (`#pragma omp parallel` before a block, `parallel for` on an outer loop). Null when there is none.
    /// </summary>
    public static string? UserDirective(SyntaxNode loop)
    {
        for (var n = loop; n is not null && n.Kind is not (NodeKind.FunctionDecl or NodeKind.TranslationUnit); n = n.Parent)
        {
            if (!ReferenceEquals(n, loop) && n.Kind is not (NodeKind.For or NodeKind.RangeFor or NodeKind.While or NodeKind.Do or NodeKind.Compound or NodeKind.If))
                continue;
            if (PrecedingPragma(n) is { } pragma) return pragma;
        }
        return null;
    }

    private static bool IsComment(string line) =>
        line.StartsWith("/*", StringComparison.Ordinal) && line.EndsWith("*/", StringComparison.Ordinal);

    /// <summary>`#line` and the conditionals: they may stand between a pragma and its loop.</summary>
    private static bool IsSkippableDirective(string line)
    {
        if (!line.StartsWith('#')) return false;
        var rest = line[1..].TrimStart();
        var word = new string(rest.TakeWhile(char.IsLetter).ToArray());
        return word is "if" or "ifdef" or "ifndef" or "elif" or "elifdef" or "elifndef" or "else" or "endif" or "line" ||
               rest.Length > 0 && char.IsDigit(rest[0]);
    }

    /// <summary>The first `#pragma omp` line inside the loop's own text, or null.</summary>
    public static string? PragmaInside(SyntaxNode loop)
    {
        var text = RootText(loop);
        var (start, end) = (CharIndex(loop, loop.Span.Offset), CharIndex(loop, loop.Span.EndOffset));
        if (text is null || end > text.Length || end <= start) return null;
        foreach (var raw in text[start..end].Split('\n'))
        {
            var line = raw.Trim();
            if (IsOmpPragma(line)) return line;
        }
        return null;
    }

    private static bool IsOmpPragma(string line)
    {
        if (!line.StartsWith('#')) return false;
        var rest = line[1..].TrimStart();
        if (!rest.StartsWith("pragma", StringComparison.Ordinal)) return false;
        return rest["pragma".Length..].TrimStart().StartsWith("omp", StringComparison.Ordinal);
    }

    /// <summary>libclang offsets count bytes; the text is indexed by chars.</summary>
    private static int CharIndex(SyntaxNode n, int byteOffset)
    {
        var root = n;
        while (root.Parent is not null) root = root.Parent;
        return SourceText.CharIndex(root, byteOffset);
    }

    private static string? RootText(SyntaxNode n)
    {
        var root = n;
        while (root.Parent is not null) root = root.Parent;
        return string.Equals(n.Span.File, root.Span.File, StringComparison.Ordinal) ? root.SourceText : null;
    }
}
