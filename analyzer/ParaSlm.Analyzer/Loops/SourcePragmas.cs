using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>Existing OpenMP pragmas, found in the source text (the AST does not keep them without -fopenmp).</summary>
public static class SourcePragmas
{
    /// <summary>The `#pragma omp …` line directly above the loop (blank lines and comments between allowed), or null.</summary>
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
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            return IsOmpPragma(line) ? line : null;
        }
        return null;
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
