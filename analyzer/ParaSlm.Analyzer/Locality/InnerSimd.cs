using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// One innermost loop of a parallel nest that also runs in vector lanes: `#pragma omp simd` with the loop's own
/// data-sharing clauses, where its `for` keyword is (as the analyzer's facts give it).
/// </summary>
/// <param name="Directive">The pragma text after `#pragma `: `omp simd`, `omp simd private(t) reduction(+:s)`.</param>
/// <param name="FloatingPointReduction">The loop sums floating point in lanes: the result may change in the last digits.</param>
public sealed record SimdSite(string LoopId, int Line, int Column, int StartOffset, int EndOffset, string Directive, bool FloatingPointReduction);

/// <summary>
/// The second edit of a parallel nest (issue 14): `#pragma omp simd` on the stride-1 innermost loops inside the parallel
/// loop. Each loop's own facts prove it, judged at its own level with the outer counters fixed: parallel (no dependence
/// carried at its level; where that needs pointers not to overlap, the pragma carries the loop's own check as
/// `if(simd: …)`, evaluated where the loop starts), unit step, every access stride-1 or
/// invariant in the last dimension (no gathers), no calls, no early exit (<see cref="LoopFacts.Vectorizable"/>,
/// <see cref="LoopFacts.VectorizableIf"/>). Any order of its iterations is then valid (under its check), so the serial
/// copy of a versioned nest may carry it too. Cost: not on a loop of fewer
/// than <see cref="MinimumTrips"/> constant iterations (no full vector), not on a loop that a `collapse` folds into the
/// parallel one, and a floating-point reduction only where reassociation is allowed (lanes sum in another order).
/// </summary>
public static class InnerSimd
{
    /// <summary>A loop of fewer constant iterations fills no vector of doubles on SSE2 (2 lanes) twice: no gain, only the remainder code.</summary>
    public const int MinimumTrips = 4;

    /// <summary>The sites of the nest headed by <paramref name="outer"/>, outermost first in source order.</summary>
    /// <param name="collapse">The parallel loop's collapse depth: the loops it folds in are not vectorized.</param>
    /// <param name="loops">Every loop of the file by id.</param>
    /// <param name="floatReassociation">A floating-point reduction may be summed in lanes (ParaSlmFloatReassociation).</param>
    public static IReadOnlyList<SimdSite> Sites(LoopFacts outer, int collapse, IReadOnlyDictionary<string, LoopFacts> loops, bool floatReassociation)
    {
        if (outer.Vectorizable || outer.Matmul is not null) return [];
        var collapsed = Collapsed(outer, collapse, loops);
        return loops.Values
            .Where(l => !collapsed.Contains(l.Id) && Inside(l, outer.Id, loops) && Blocker(l, floatReassociation) is null)
            .OrderBy(l => l.StartOffset)
            .Select(l => new SimdSite(l.Id, l.Line, l.Column, l.StartOffset, l.EndOffset, Directive(l), l.FloatingPointReductions.Count > 0))
            .ToList();
    }

    /// <summary>Why an inner loop gets no `omp simd`, or null when its facts prove it.</summary>
    public static string? Blocker(LoopFacts inner, bool floatReassociation)
    {
        if (!inner.Parallelizable) return "a dependence is carried at its level";
        if (inner.HasOpenMPDirective) return "it has the user's own OpenMP directive";
        if (!inner.Vectorizable && inner.VectorizableIf is null) return "it is not a stride-1 innermost loop without calls";
        if (inner.TripCount is { } t && t < MinimumTrips) return $"only {t} iterations";
        if (inner.FloatingPointReductions.Count > 0 && !floatReassociation) return "its floating-point reduction would combine in another order (ParaSlmFloatReassociation=false)";
        return null;
    }

    /// <summary>`omp simd` and the loop's own clauses: its temporaries private to each lane, its sums combined across lanes;
    /// a loop that is independent only when its pointers do not overlap runs in lanes only when its check holds (OpenMP
    /// 5.0 `if(simd: …)`: otherwise one iteration at a time, in order).</summary>
    public static string Directive(LoopFacts inner) =>
        string.Join(' ', new[] { "omp simd", inner.Clauses, inner.Vectorizable || inner.VectorizableIf is null ? string.Empty : $"if(simd: {inner.VectorizableIf.ReplaceLineEndings(" ")})" }.Where(x => x.Length > 0));

    /// <summary>The parallel loop and the loops its `collapse(n)` folds into it.</summary>
    internal static HashSet<string> Collapsed(LoopFacts outer, int collapse, IReadOnlyDictionary<string, LoopFacts> loops)
    {
        var collapsed = new HashSet<string>(StringComparer.Ordinal) { outer.Id };
        var current = outer;
        for (var level = 1; level < collapse; level++)
        {
            if (loops.Values.FirstOrDefault(l => l.ParentId == current.Id) is not { } inner) break;
            collapsed.Add(inner.Id);
            current = inner;
        }
        return collapsed;
    }

    internal static bool Inside(LoopFacts l, string outerId, IReadOnlyDictionary<string, LoopFacts> loops)
    {
        for (var p = l.ParentId; p is not null; p = loops.TryGetValue(p, out var parent) ? parent.ParentId : null)
            if (p == outerId) return true;
        return false;
    }
}
