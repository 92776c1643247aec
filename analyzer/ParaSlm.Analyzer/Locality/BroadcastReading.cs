using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Finds <see cref="BroadcastRead"/> for a parallelizable loop `L` directly inside another loop `P`: the reads in `L` whose
/// subscripts do not name `L`'s counter (so every iteration of `L`, hence every thread, reads the same elements), of an
/// array that `P`'s body writes outside `L`. When `P` stays serial and `L` gets a region per iteration of `P`, those
/// elements were last written by one core in this iteration of `P` (or read by the others in the previous one, so the
/// writer's store must take the line from them first), and every other core then misses on each of their lines.
/// Only columns are counted (each element on a line of its own: a miss per element, which the cost was measured on); a row
/// read in order streams through the prefetcher and is left out. Only what can be counted is recorded: every trip count in the texts must be a constant or a C expression whose
/// variables `L` does not write or declare (so it means the same before `L`); a loop `L` that calls a function, or a
/// reference whose element offset is not affine, gives no fact — the loop is then planned as before.
/// </summary>
public static class BroadcastReading
{
    /// <summary>The facts with <see cref="LoopFacts.Broadcast"/> set on every loop it applies to.</summary>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts, Func<LoopInfo, LoopBody?> walk) =>
        LoopAnnotation.Annotate<BroadcastRead>(loops, facts, (loop, f, _) =>
            f.Parallelizable && !f.HasOpenMPDirective && loop.Parent is { } parent && Find(loop, parent, walk) is { } found
                ? (found, [loop.Id]) : null,
            (f, found) => f with { Broadcast = found });

    private static BroadcastRead? Find(LoopInfo loop, LoopInfo parent, Func<LoopInfo, LoopBody?> walk)
    {
        if (loop.CanonicalHeader is not { } header || loop.IsRangeFor || TripText(loop, loop) is not { } trips) return null;
        if (loop.Node.DescendantsAndSelf().Any(n => n.Kind == NodeKind.Call)) return null;
        if (walk(parent) is not { } outer || walk(loop) is not { } inner) return null;
        var written = outer.Accesses.Where(a => a.IsWrite && !a.InnerLoops.Contains(loop)).Select(a => a.Base.Key).ToHashSet(StringComparer.Ordinal);
        if (written.Count == 0) return null;
        var reads = new List<string>();
        var lines = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in outer.Accesses.Where(a => a.IsRead && !a.UnknownExtent && a.InnerLoops.Contains(loop) && written.Contains(a.Base.Key)))
        {
            var subscripts = a.Subscripts.ToList();
            if (subscripts.Count == 0 || subscripts.Any(s => s is null) || subscripts.Any(s => s!.Mentions(header.Symbol))) continue;
            if (!seen.Add(a.Base.Key + "|" + string.Join(",", subscripts))) continue;
            if (LinesOf(a, subscripts!, loop, inner) is not { } count) return null;
            if (count.Length == 0) continue;
            reads.Add(a.Text);
            lines.Add(count);
        }
        if (reads.Count == 0 || WorkText(loop, trips, inner) is not { } work) return null;
        return new BroadcastRead(reads, string.Join(" + ", lines), work);
    }

    /// <summary>Lines one entry of `L` reads through <paramref name="a"/>, where each element it takes over the inner loops its
    /// subscripts name lies on a line of its own (consecutive elements a line or more apart: a column); "" for a reference
    /// whose consecutive elements share lines (a row read in order streams through the hardware prefetcher, whose cost per
    /// line was not measured, so it is not counted); null when the count cannot be written before `L`.</summary>
    private static string? LinesOf(MemoryAccess a, IReadOnlyList<LinearExpr> subscripts, LoopInfo loop, LoopBody body)
    {
        var varying = a.InnerLoops.Where(c => loop.Encloses(c) && c.CanonicalHeader is { } h && subscripts.Any(s => s.Mentions(h.Symbol))).ToList();
        var counters = varying.Select(c => c.CanonicalHeader!.Symbol).ToHashSet();
        if (subscripts.SelectMany(s => s.Symbols).Any(s => !counters.Contains(s) && !Invariant(s, loop, body))) return null;
        if (varying.Count == 0) return string.Empty;
        var elements = new List<string>();
        foreach (var c in varying)
        {
            if (TripText(c, loop) is not { } t) return null;
            elements.Add($"({t})");
        }
        if (a.Linearized() is not { } offset) return null;
        var (coefficient, _) = offset.Split(varying[^1].CanonicalHeader!.Symbol);
        if (!coefficient.IsConstant || coefficient.Constant == 0) return null;
        var bytes = Math.Abs(coefficient.Constant) * Math.Clamp(MatmulRecognizer.ElementSize(a.Node.Type), 1, 16);
        var product = string.Join(" * ", elements);
        return bytes >= StripAlignment.LineBytes ? $"(long long){product}" : string.Empty;
    }

    /// <summary>Accesses per entry of `L`: its trip count times, for each reference in its body, the trip counts of the
    /// loops inside `L` around it (a reference outside them counts once per iteration).</summary>
    private static string? WorkText(LoopInfo loop, string trips, LoopBody body)
    {
        var terms = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var a in body.Accesses)
        {
            var factors = new List<string>();
            foreach (var c in a.InnerLoops)
            {
                if (TripText(c, loop) is not { } t) return null;
                factors.Add($"({t})");
            }
            var key = factors.Count == 0 ? "1" : string.Join(" * ", factors);
            terms[key] = terms.GetValueOrDefault(key) + 1;
        }
        if (terms.Count == 0) return null;
        var sum = string.Join(" + ", terms.Select(t => t.Key == "1" ? $"{t.Value}" : $"{t.Value}LL * {t.Key}"));
        return $"(long long)({trips}) * ({sum})";
    }

    /// <summary>The iterations of <paramref name="c"/> as C text that means the same just before <paramref name="loop"/>.</summary>
    private static string? TripText(LoopInfo c, LoopInfo loop)
    {
        if (c.IsRangeFor || c.CanonicalHeader is not { } h || !h.StepKnown) return null;
        if (h.TripCount is { } constant) return $"{constant}";
        if (!ReferenceEquals(c, loop) && !h.Min.Symbols.Concat(h.Max.Symbols).All(s => Invariant(s, loop, null))) return null;
        return LoopTrips.Text(h);
    }

    /// <summary>The symbol's value is the same throughout one entry of <paramref name="loop"/> and before it: not its counter
    /// or an inner one, nothing declared or assigned inside it, no bound of an inner loop's range.</summary>
    private static bool Invariant(Symbol s, LoopInfo loop, LoopBody? body)
    {
        if (s.IsOpaque) return false;
        return s.Dependencies.All(key => LoopTrips.SameBefore(key, loop) && !(body is not null && body.Written.Contains(key)) && loop.CanonicalHeader?.Variable?.Key != key);
    }
}
