namespace ParaSlm.Analyzer.Dependence;

/// <summary>
/// A dependence's direction at every level of a loop nest, outermost first: `&lt;` (the first access's iteration
/// comes earlier at that level), `=`, `&gt;`, or `*` (any of the three). The levels before the first non-`=` entry are
/// equal, the levels after a `&lt;`/`&gt;`/`*` entry are `*` unless proven otherwise.
/// </summary>
/// <param name="Source">The first access's text (`x2[i]`).</param>
/// <param name="Sink">The second access's text.</param>
/// <param name="Directions">One of `&lt;`, `=`, `&gt;`, `*` per level.</param>
public sealed record DirectionVector(string Source, string Sink, IReadOnlyList<char> Directions)
{
    public string Text => "(" + string.Join(", ", Directions) + ")";

    /// <summary>Every concrete vector this one stands for (`*` replaced by each of `&lt;`, `=`, `&gt;`).</summary>
    public IEnumerable<char[]> Expansions()
    {
        IEnumerable<char[]> all = [[]];
        foreach (var d in Directions)
        {
            var options = d == '*' ? "<=>" : d.ToString();
            all = all.SelectMany(prefix => options.Select(o => prefix.Append(o).ToArray())).ToList();
        }
        return all;
    }
}

/// <summary>
/// Direction vectors of a perfect nest, level by level, from the one-level tests of <see cref="DependenceTester"/>
/// (ZIV, SIV, GCD, Banerjee, stride; each level's test runs with the enclosing counters equal and the inner ones free,
/// which is exactly the question "given `=` at every outer level, what is the direction here?"), and the classic
/// interchange rule: a permutation of the levels is legal when every dependence keeps its sign (the first non-`=`
/// direction, read in the new order, points the same way), so every pair of dependent iterations runs in the same
/// order as before.
/// </summary>
public static class DirectionVectors
{
    /// <summary>What one level's test says about a pair, given `=` at every level outside it.</summary>
    /// <param name="Kind">Independent, LoopIndependent (`=` forced) or Carried.</param>
    /// <param name="Distance">For a carried pair with a constant distance: its sign gives `&lt;` or `&gt;` and excludes `=`.</param>
    public readonly record struct LevelResult(DependenceKind Kind, long? Distance);

    /// <summary>
    /// The direction vectors of one pair over <paramref name="levels"/> levels, from the level results asked outermost
    /// first (<paramref name="test"/> is only asked about level k when `=` at the levels before k is still possible).
    /// Empty: the pair never meets.
    /// </summary>
    public static IReadOnlyList<char[]> Of(int levels, Func<int, LevelResult> test)
    {
        var vectors = new List<char[]>();
        for (var k = 0; k < levels; k++)
        {
            var r = test(k);
            if (r.Kind == DependenceKind.Independent) return vectors;
            if (r.Kind == DependenceKind.LoopIndependent) continue;
            var direction = r.Distance switch { > 0 => '<', < 0 => '>', _ => '*' };
            vectors.Add(Enumerable.Repeat('=', k).Append(direction).Concat(Enumerable.Repeat('*', levels - k - 1)).ToArray());
            // A constant non-zero distance rules out `=` at this level: nothing deeper to ask.
            if (r.Distance is not null and not 0) return vectors;
        }
        vectors.Add(Enumerable.Repeat('=', levels).ToArray());
        return vectors;
    }

    /// <summary>The sign of a concrete vector: -1, 0 or 1 by its first non-`=` entry.</summary>
    private static int Sign(IEnumerable<char> v) => v.Select(d => d switch { '<' => 1, '>' => -1, _ => 0 }).FirstOrDefault(s => s != 0);

    /// <summary>
    /// Whether running the levels in <paramref name="order"/> (order[p] = the original level at position p) keeps the
    /// order of every pair of dependent iterations: each concrete vector keeps its sign after permutation.
    /// </summary>
    public static bool Preserves(IEnumerable<IReadOnlyList<char>> vectors, IReadOnlyList<int> order) =>
        vectors.All(v => new DirectionVector(string.Empty, string.Empty, v).Expansions().All(e => Sign(e) == Sign(order.Select(l => e[l]))));

    /// <summary>Whether the original level <paramref name="level"/> is `=` in every vector: no two of its iterations
    /// depend on each other, whatever the other levels do, so it may run in parallel at any position of the nest.</summary>
    public static bool Independent(IEnumerable<IReadOnlyList<char>> vectors, int level) => vectors.All(v => v[level] == '=');
}
