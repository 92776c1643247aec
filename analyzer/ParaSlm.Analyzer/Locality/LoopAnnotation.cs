using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>The pass each locality transform makes over a file's loops: recognize its shape on every loop, then record
/// what it found on the facts of each loop it rewrites (the loop itself, or the nests of a serial loop).</summary>
internal static class LoopAnnotation
{
    /// <summary>
    /// The facts with <paramref name="set"/> applied to the facts of every loop id that <paramref name="recognize"/>
    /// names, for each loop it accepts (null: not this transform's shape). The recognizer reads the facts as the pass got
    /// them, by id: what one loop's recognition records never changes another's.
    /// </summary>
    internal static IReadOnlyList<LoopFacts> Annotate<T>(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, LoopFacts, IReadOnlyDictionary<string, LoopFacts>, (T Value, IEnumerable<string> LoopIds)?> recognize,
        Func<LoopFacts, T, LoopFacts> set)
    {
        // An id's first facts stand for it (two loops share an id only where one macro use expands to both).
        var byId = new Dictionary<string, LoopFacts>(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < facts.Count; n++)
            if (byId.TryAdd(facts[n].Id, facts[n])) index[facts[n].Id] = n;
        var result = facts.ToList();
        foreach (var loop in loops)
        {
            if (!byId.TryGetValue(loop.Id, out var f) || recognize(loop, f, byId) is not { } found) continue;
            foreach (var id in found.LoopIds)
                if (index.TryGetValue(id, out var at)) result[at] = set(result[at], found.Value);
        }
        return result;
    }

    /// <summary>
    /// The same pass for a transform that rewrites the loop it recognizes and reads its source text: loops that pass the
    /// cheap <paramref name="candidate"/> test get <paramref name="recognize"/> with their file's syntax tree and text (read
    /// once per translation unit); a loop whose text is not available is not transformed.
    /// </summary>
    internal static IReadOnlyList<LoopFacts> AnnotateFromText<T>(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, LoopFacts, IReadOnlyDictionary<string, LoopFacts>, bool> candidate,
        Func<LoopInfo, LoopFacts, IReadOnlyDictionary<string, LoopFacts>, SyntaxNode, SourceDocument, T?> recognize,
        Func<LoopFacts, T, LoopFacts> set) where T : class
    {
        var documents = new SourceDocuments();
        return Annotate<T>(loops, facts, (loop, f, byId) =>
        {
            if (!candidate(loop, f, byId)) return null;
            var (root, doc) = documents.For(loop);
            return doc is not null && recognize(loop, f, byId, root, doc) is { } found ? (found, [loop.Id]) : null;
        }, set);
    }
}
