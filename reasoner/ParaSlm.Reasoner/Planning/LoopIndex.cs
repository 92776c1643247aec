using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// A file's loops by id (the first loop of an id wins, as <c>TryAdd</c> does), with each loop's children in file order,
/// built once per file. Choosers that ask for a loop's children for every loop of a file then do so in constant time:
/// scanning every loop for each one made planning quadratic in the loops of a file (generated sources have thousands).
/// </summary>
public sealed class LoopIndex : IReadOnlyDictionary<string, LoopFacts>
{
    private readonly Dictionary<string, LoopFacts> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LoopFacts>> _children = new(StringComparer.Ordinal);

    private LoopIndex(IEnumerable<LoopFacts> loops)
    {
        foreach (var l in loops) _byId.TryAdd(l.Id, l);
        foreach (var l in _byId.Values)
        {
            if (l.ParentId is not { } parent) continue;
            if (!_children.TryGetValue(parent, out var list)) _children[parent] = list = [];
            list.Add(l);
        }
    }

    /// <summary>The index of <paramref name="loops"/> (a file's loops, outermost first).</summary>
    public static LoopIndex Of(IEnumerable<LoopFacts> loops) => new(loops);

    /// <summary><paramref name="byId"/> itself where it is an index already; else an index of its loops, in its order.</summary>
    public static LoopIndex From(IReadOnlyDictionary<string, LoopFacts> byId) => byId as LoopIndex ?? new(byId.Values);

    /// <summary>The loops whose parent is <paramref name="id"/>, in file order (empty when none).</summary>
    public IReadOnlyList<LoopFacts> Children(string id) => _children.TryGetValue(id, out var list) ? list : [];

    public LoopFacts this[string key] => _byId[key];
    public IEnumerable<string> Keys => _byId.Keys;
    public IEnumerable<LoopFacts> Values => _byId.Values;
    public int Count => _byId.Count;
    public bool ContainsKey(string key) => _byId.ContainsKey(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out LoopFacts value) => _byId.TryGetValue(key, out value);
    public IEnumerator<KeyValuePair<string, LoopFacts>> GetEnumerator() => _byId.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
