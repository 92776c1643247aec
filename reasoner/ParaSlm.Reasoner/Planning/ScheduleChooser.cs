using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// How a CPU parallel loop's iterations are shared out, from the nest's shape in the facts. The default (static) is
/// right for loops whose iterations cost the same. A triangular nest (an inner trip count that grows or shrinks with
/// the counter) gets `schedule(dynamic, 1)`: static blocks would give one thread most of the work; one that writes a column
/// (adjacent iterations write adjacent elements) gets a cache line's worth of iterations per chunk instead. An irregular nest
/// (inner bounds read from memory at the counter, CSR rows) gets `schedule(guided)`: few chunks, balanced tails. A loop
/// with too few iterations to share evenly over the threads collapses the perfect rectangular nest below it. An
/// innermost loop whose accesses are all stride-1 or invariant is also vectorized (`parallel for simd`). A tile loop whose inner
/// loops run one equal tile each (`tiled`) keeps the static default.
/// Every choice passes the verifier again (collapse only over a perfect, rectangular, parallel nest).
/// </summary>
public static class ScheduleChooser
{
    /// <summary>Below this many iterations, a static split over the threads of a larger machine leaves cores idle
    /// (with 16 threads, one thread more or less is a 6% difference per thread).</summary>
    public const long MinimumBalancedTrips = 64;

    public static (PlanProposal Proposal, string Reason) Choose(PlanProposal plan, string reason, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (!plan.Parallel || plan.Target != ParallelTarget.CpuOpenMP || plan.Collapse > 1 || plan.Schedule is not null || plan.Transform is not null) return (plan, reason);
        var index = LoopIndex.From(byId);
        if (facts.TripCount is { } trips && trips < MinimumBalancedTrips && Collapse(facts, trips, index) is var (n, total) && n > 1)
        {
            var collapsed = plan with { Collapse = n };
            return (collapsed, $"{reason}; collapse({n}): {trips} iterations are too few to share evenly, the {n} perfectly nested loops have {total}");
        }
        // A run-time step (`i += len`) makes the trip count span / step: from many iterations down to one as the step
        // grows (an FFT's group loop: n/len groups of len/2 butterflies, one group in the last stage). Collapsed with the
        // rectangular loop below, every entry shares groups × inner iterations, as many in the last stage as in the
        // first. Not over a vectorizable inner loop: a collapsed nest would lose its vector lanes.
        if (facts.TripCount is null && facts.RuntimeStep && facts.InnerBounds == "rectangular" &&
            index.Children(facts.Id).FirstOrDefault() is { Vectorizable: false } && PlanVerifier.CanCollapse(facts, 2, byId))
            return (plan with { Collapse = 2 }, $"{reason}; collapse(2): the step is a run-time value, so the trip count may be as low as 1; " +
                                                "the nest below shares the same work at every step size");
        // A stride-1 innermost loop runs its share in vector lanes too (`parallel for simd`).
        if (facts.Vectorizable) return (plan with { Simd = true }, $"{reason}; simd: an innermost loop whose accesses are stride-1 or invariant");
        return facts.InnerBounds switch
        {
            "triangular" => Triangular(plan, reason, facts, index),
            "irregular" => (plan with { Schedule = "guided" }, $"{reason}; schedule(guided): the inner bounds are read from memory at the counter (irregular work per iteration)"),
            // Equal tiles (the last one shorter): the default static blocks share them evenly, and each thread draws no chunks.
            "tiled" => (plan, $"{reason}; static schedule: the loop's iterations are tiles of equal size (the last one shorter)"),
            _ => (plan, reason),
        };
    }

    /// <summary>Bytes of one cache line on the x86-64 and AArch64 cores the tool targets.</summary>
    public const int CacheLineBytes = 64;

    /// <summary>
    /// A triangular nest shares its iterations one at a time, so a thread that drew a long iteration does not hold up the
    /// rest. Where the nest writes a column (`aa[i][j]` in a `j` loop: iterations k and k+1 write adjacent elements), one
    /// iteration at a time puts neighbouring threads on the same cache lines, each write taking the line from the other
    /// (false sharing; TSVC s1232 ran at 0.64x of serial on 2 threads). A chunk of a cache line's worth of iterations
    /// (64 / element size) gives each line to one thread. Over several such written arrays the largest chunk wins: it covers
    /// the smallest element's line, and a larger element's line falls inside it as well. A nest that also writes rows
    /// (covariance's `cov[j][i]` beside `cov[i][j]`) still writes its column, so it gets the chunk too. Only writes inside
    /// an inner loop count: those repeat down the column, a line fought over at every inner iteration, while a write once
    /// per iteration (`tri[i] = s` after a row's sum) costs one shared line against a whole row of work.
    /// </summary>
    private static (PlanProposal, string) Triangular(PlanProposal plan, string reason, LoopFacts facts, LoopIndex byId)
    {
        var columns = facts.Accesses
            .Where(a => a.Write && a.InnerDepth > 0 && a.CounterStride is 1 or -1 && a.ElementBytes is > 0)
            .Select(a => (a.Array, Chunk: Math.Max(1, CacheLineBytes / a.ElementBytes!.Value), Bytes: a.ElementBytes!.Value))
            .OrderByDescending(c => c.Chunk).ThenBy(c => c.Array, StringComparer.Ordinal)
            .FirstOrDefault();
        var light = LightIterations(facts, byId);
        if (light is { } l && l.Chunk > columns.Chunk)
            return (plan with { Schedule = $"dynamic, {l.Chunk}" },
                $"{reason}; schedule(dynamic, {l.Chunk}): the inner trip count changes with the counter (a triangular nest), and an iteration " +
                $"does about {l.Work:0} memory accesses on average, so a chunk of {l.Chunk} carries at least {MinimumChunkWork:0} for each grab of the shared iteration counter");
        if (columns.Chunk <= 1)
            return (plan with { Schedule = "dynamic, 1" }, $"{reason}; schedule(dynamic, 1): the inner trip count changes with the counter (a triangular nest)");
        return (plan with { Schedule = $"dynamic, {columns.Chunk}" },
            $"{reason}; schedule(dynamic, {columns.Chunk}): the inner trip count changes with the counter (a triangular nest), and the nest " +
            $"writes a column of `{columns.Array}` ({columns.Bytes}-byte elements), so adjacent columns share cache lines: " +
            $"a chunk of {columns.Chunk} iterations writes a {CacheLineBytes}-byte line's worth, so threads share at most the lines at its two ends");
    }

    /// <summary>
    /// The work (memory accesses) a dynamic chunk should carry at least: every chunk a thread draws is an atomic update of the
    /// loop's shared iteration counter, whose cache line moves between cores (a round trip measured 446 ns on the 2-core VM,
    /// <see cref="Analyzer.Locality.StripAlignment"/>), about 1,000–2,500 accesses at the 2–5 a nanosecond that
    /// <see cref="AnalyzerPlanner.MinimumRegionWork"/> assumes. TSVC's `s114` (a 256-row triangle of 3 accesses an inner
    /// iteration, 383 accesses a row on average) drew 256 chunks of one row on every one of its 1,400 entries and ran at
    /// 0.58–0.64x of serial on 2 threads; a chunk of at least 2,000 accesses keeps the draws to a small part of the work.
    /// </summary>
    public const double MinimumChunkWork = 2_000;

    /// <summary>
    /// A triangle of constant size (<see cref="LoopFacts.NestIterations"/>) over one innermost loop whose iterations are, on
    /// average, lighter than <see cref="MinimumChunkWork"/>: the chunk (a power of two) that carries that much, at most a
    /// eighth of the iterations per thread of <see cref="AnalyzerPlanner.AssumedThreads"/> (the balance dynamic scheduling is
    /// for); null when an iteration is heavy enough on its own, or its work is not known.
    /// </summary>
    private static (long Chunk, double Work)? LightIterations(LoopFacts facts, LoopIndex byId)
    {
        if (facts.TripCount is not > 0 || facts.NestIterations is not > 0) return null;
        var children = byId.Children(facts.Id);
        if (children.Count != 1 || byId.Children(children[0].Id).Count > 0) return null;
        var inner = children[0];
        var body = Math.Max(1, inner.Accesses.Count + LoopCost.CallWork * inner.Calls.Count);
        var perIteration = (double)facts.NestIterations.Value * body / facts.TripCount.Value;
        if (perIteration >= MinimumChunkWork) return null;
        var needed = (long)Math.Ceiling(MinimumChunkWork / Math.Max(1, perIteration));
        long chunk = 1;
        while (chunk < needed) chunk *= 2;
        chunk = Math.Min(chunk, Math.Max(1, facts.TripCount.Value / (8 * AnalyzerPlanner.AssumedThreads)));
        return chunk > 1 ? (chunk, perIteration) : null;
    }

    /// <summary>The iterations of the loop and the perfect nest the verifier lets it collapse (its own trip count when none).</summary>
    public static long? CollapsedTrips(LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId) =>
        facts.TripCount is not { } trips ? null : Collapse(facts, trips, LoopIndex.From(byId))?.Trips ?? trips;

    /// <summary>The smallest collapse depth that reaches <see cref="MinimumBalancedTrips"/> iterations, as far as the
    /// verifier allows it, and never over a loop that runs scalar-expanded, with the collapsed trip count; null when the
    /// next loop cannot be collapsed.</summary>
    private static (int Depth, long Trips)? Collapse(LoopFacts facts, long trips, LoopIndex byId)
    {
        var depth = 1;
        var total = trips;
        var current = facts;
        while (total < MinimumBalancedTrips && depth < facts.CollapsibleDepth)
        {
            var inner = byId.Children(current.Id).FirstOrDefault();
            // A loop that runs scalar-expanded stays inside each iteration: folded in, it would lose that form.
            if (inner?.TripCount is not { } t || inner.ScalarExpansion is not null || !PlanVerifier.CanCollapse(facts, depth + 1, byId)) break;
            depth++;
            total *= t;
            current = inner;
        }
        return depth > 1 ? (depth, total) : null;
    }
}
