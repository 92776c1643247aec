using System.Text;
using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Reasoner.Planning;

/// <summary>Loop nests of a file: the outermost loop, the loops inside it, and the nest's source text.</summary>
public static class LoopNests
{
    /// <summary>Every loop of the file that sits inside <paramref name="root"/> (root first, then source order).</summary>
    public static List<LoopFacts> NestOf(LoopFacts root, FileAnalysis analysis, IReadOnlyDictionary<string, LoopFacts> byId) =>
        analysis.Loops.Where(l => l.Id == root.Id || IsInside(l, root, byId)).ToList();

    /// <summary>The outermost loop enclosing <paramref name="loop"/> (itself when not nested).</summary>
    public static LoopFacts RootOf(LoopFacts loop, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        var root = loop;
        while (root.ParentId is { } parent && byId.TryGetValue(parent, out var p)) root = p;
        return root;
    }

    public static bool IsInside(LoopFacts l, LoopFacts root, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        for (var p = l.ParentId; p is not null && byId.TryGetValue(p, out var parent); p = parent.ParentId)
            if (p == root.Id) return true;
        return false;
    }

    /// <summary>The nest's text: from the line of the root `for` to the end of its statement's line.</summary>
    public static string Text(LoopFacts root, string source)
    {
        // libclang's offsets count UTF-8 bytes, not characters: slice the bytes.
        var bytes = Encoding.UTF8.GetBytes(source);
        if (root.StartOffset < 0 || root.EndOffset > bytes.Length || root.EndOffset <= root.StartOffset) return string.Empty;
        var start = Array.LastIndexOf(bytes, (byte)'\n', Math.Max(0, root.StartOffset - 1)) + 1;
        var end = Array.IndexOf(bytes, (byte)'\n', Math.Min(bytes.Length - 1, root.EndOffset));
        if (end < 0) end = bytes.Length;
        return Encoding.UTF8.GetString(bytes, start, end - start);
    }
}
