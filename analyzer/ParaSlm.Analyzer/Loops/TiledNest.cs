using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// A hand-tiled nest headed by a tile loop: the iterations of the whole nest, for the run-time cost guard. A tile loop's
/// own trip count is the number of tiles (`(order - 1) / tile + 1`), and its body's work has no closed form (the element
/// loops' bounds `MIN(order, it + tile)` read the tile counters), so the guard had only the tiles to go by: PRK's transpose
/// of 2000 × 2000 elements in tiles of 32 has 63 tiles and stayed serial behind `tiles >= 64`. Over the nest, though, the
/// element loops run exactly through their hulls (<see cref="NestHull"/>), so the nest's iterations are the product of the
/// hull lengths: 4,000,000.
/// </summary>
/// <param name="IterationsText">The iterations of the nest down to <paramref name="InnerLoopId"/>'s body, as a C expression
/// valid just before the tile loop (each factor clamped at 0).</param>
/// <param name="InnerLoopId">The innermost element loop: its body's work is the work of one iteration.</param>
public sealed record TiledNest(string IterationsText, string InnerLoopId)
{
    /// <summary>
    /// The tiled nest below <paramref name="loop"/> where it is one: a chain of singly nested canonical loops, each either a
    /// tile loop (running up, counter-free bounds, a constant or symbolic step S) or an element loop, the chain ending at an
    /// element loop, the head a tile loop, and every tile loop read by exactly one element loop of the chain. An element loop
    /// either runs one tile of a tile loop `o` (<see cref="TileOf"/>: from `o + b` up to `min(t, o + a)` by 1, with
    /// a − b + 1 = S, so the tiles are adjacent and disjoint, and its hull over `o` exact, i.e. the last tile reaches t: it runs
    /// through [o.Min + b, t], each element once) or has bounds that read no counter of the chain; the loops below the chain
    /// read none either. Null otherwise (overlapping or gapped tiles, a tile read by two loops, a bound that reads a counter
    /// any other way, a value the nest writes).
    /// </summary>
    public static TiledNest? Of(LoopInfo loop)
    {
        if (loop.CanonicalHeader is not { Step: > 0 } head || loop.IsRangeFor) return null;
        var chain = new List<(LoopInfo Loop, LoopHeader Header)> { (loop, head) };
        for (var cur = loop; cur.Children.Count == 1 && cur.Children[0] is { IsRangeFor: false, CanonicalHeader: { } h } next && chain.Count < 8; cur = next)
            chain.Add((next, h));
        var lower = RangeBounds.LowerBounds(RangeBounds.EnclosingHeaders(loop).Concat(chain.Skip(1).Select(c => c.Header)));
        var counters = chain.Select(c => c.Header.Symbol).ToList();
        var consumers = new Dictionary<int, int>();
        var factors = new List<LinearExpr>();
        TiledNest? found = null;
        for (var k = 0; k < chain.Count; k++)
        {
            var h = chain[k].Header;
            var outer = chain.Take(k).Select(c => c.Header).ToList();
            var tile = Enumerable.Range(0, k).Where(o => TileOf(h, outer[o]) is not null).ToList();
            if (tile.Count == 1 && TileOf(h, outer[tile[0]]) is var (b, t) && !consumers.ContainsKey(tile[0]) && Plain(b, counters) && Plain(t, counters) &&
                NestHull.Of(h, [outer[tile[0]]], lower).Max.Equals(t) && Plain(outer[tile[0]].Min, counters))
            {
                // One tile of o: [o + b, min(t, o + a)], a − b + 1 = S; over o, [o.Min + b, t].
                consumers[tile[0]] = k;
                factors.Add(t.Subtract(outer[tile[0]].Min.Add(b)).Add(LinearExpr.One));
            }
            else if (Plain(h.Min, counters) && Plain(h.Max, counters) && h.UpperTerms.Count == 0 && h.LowerTerms.Count == 0 &&
                     h.Step > 0 && (h.StepKnown || Plain(h.StepExpr, counters)))
            {
                // A tile loop (counted once its element loop is found) or a plain element loop.
                factors.Add(h.Max.Subtract(h.Min).Add(LinearExpr.One));
            }
            // A bound that reads a counter any other way (a second element loop of one tile, a triangle): no product.
            else return null;
            // Every loop so far is a tile loop some element loop reads, or an element loop; the last an element loop. The
            // deepest such prefix wins: its last loop's body is the smallest unit of work.
            var tiles = consumers.Keys.ToHashSet();
            if (!tiles.Contains(0) || Enumerable.Range(0, k + 1).Any(i => !tiles.Contains(i) && chain[i].Header is not { StepKnown: true, Step: 1 })) continue;
            var lengths = Enumerable.Range(0, k + 1).Where(i => !tiles.Contains(i)).Select(i => factors[i]).ToList();
            var keys = lengths.SelectMany(l => l.Symbols).SelectMany(s => s.Dependencies).Distinct(StringComparer.Ordinal);
            if (lengths.Any(l => l.Symbols.Any(s => s.IsOpaque)) || !keys.All(key => LoopTrips.SameBefore(key, loop))) return null;
            var text = string.Join(" * ", lengths.Select((l, i) => (i == 0 ? "(long long)" : string.Empty) + $"(({l.ToWideString()}) > 0 ? ({l.ToWideString()}) : 0)"));
            found = new TiledNest(text, chain[k].Loop.Id);
        }
        // The loops below the chain (several inner loops of an element loop: the stencil's star) read no counter of it.
        var below = new Stack<LoopInfo>(chain[^1].Loop.Children);
        while (below.Count > 0)
        {
            var l = below.Pop();
            foreach (var c in l.Children) below.Push(c);
            if (l.CanonicalHeader is not { } lh || !Plain(lh.Min, counters) || !Plain(lh.Max, counters)) return null;
        }
        return found;
    }

    /// <summary>
    /// <paramref name="inner"/> runs one tile of <paramref name="tile"/>'s counter `o`: from `o + b` (coefficient 1) by 1 up to
    /// a minimum of `o + a` and a term t that reads no counter, with a − b + 1 equal to o's step (adjacent tiles of equal
    /// length, the last cut at t). Returns (b, t), else null.
    /// </summary>
    public static (LinearExpr B, LinearExpr T)? TileOf(LoopHeader inner, LoopHeader tile)
    {
        if (!inner.StepKnown || inner.Step != 1 || tile.Step <= 0 || inner.UpperTerms.Count != 2 || inner.LowerTerms.Count != 0) return null;
        var o = tile.Symbol;
        var (cb, b) = inner.Min.Split(o);
        if (cb is not { IsConstant: true, Constant: 1 } || b.Mentions(o) || b.Symbols.Any(s => s.IsOpaque)) return null;
        foreach (var (shifted, t) in new[] { (inner.UpperTerms[0], inner.UpperTerms[1]), (inner.UpperTerms[1], inner.UpperTerms[0]) })
        {
            var (ca, a) = shifted.Split(o);
            if (ca is not { IsConstant: true, Constant: 1 } || a.Symbols.Any(s => s.IsOpaque) || t.Mentions(o) || t.Symbols.Any(s => s.IsOpaque)) continue;
            if (a.Subtract(b).Add(LinearExpr.One).Equals(tile.StepExpr)) return (b, t);
        }
        return null;
    }

    /// <summary>No counter of the chain and no opaque value (a term kept whole may read a counter inside it).</summary>
    private static bool Plain(LinearExpr e, IReadOnlyList<Symbol> counters) =>
        !counters.Any(e.Mentions) && !e.Symbols.Any(s => s.IsOpaque);
}
