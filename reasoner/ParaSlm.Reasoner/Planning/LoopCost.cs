using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// How much work one entry into a loop's parallel region would share out, and how often the region would be entered:
/// the two numbers the analyzer planner weighs against the cost of a fork/join. Work is counted in memory accesses
/// (a call counts <see cref="CallWork"/>); a loop's work is its trip count times its body, inner loops included. An
/// unknown trip count anywhere in the nest makes the work unknown (null): the planner then decides by the nest's shape.
/// </summary>
public static class LoopCost
{
    /// <summary>A call (a math function, a pure helper) costs about this many accesses.</summary>
    public const double CallWork = 8;

    /// <summary>The nest context of <paramref name="loop"/>, whose enclosing loops all stay serial.</summary>
    public static NestContext Context(LoopFacts loop, IReadOnlyList<LoopFacts> all, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        var ancestors = new List<LoopFacts>();
        for (var p = loop.ParentId; p is not null && byId.TryGetValue(p, out var parent); p = parent.ParentId) ancestors.Add(parent);
        double? entries = 1;
        foreach (var a in ancestors) entries = a.TripCount is { } t && entries is { } e ? e * Math.Max(0, t) : null;
        var movesDataOnly = MovesDataOnly(loop, all);
        return new NestContext(ancestors.Count, all.Any(l => l.ParentId == loop.Id))
        {
            RegionEntries = entries,
            WorkPerEntry = loop.TripCount is { } trip && Body(loop, all) is { } body ? Math.Max(0, trip) * body : null,
            MovesDataOnly = movesDataOnly,
            // The same divisor as the run-time guard's (IfClause): the static decision and the emitted guard agree.
            LaneDivisor = LaneDivisor(loop, all, movesDataOnly),
            CacheResident = CacheResident(loop),
        };
    }

    /// <summary>
    /// For a loop whose trip count is known only at run time (body work unknown: at least 64 iterations): an OpenMP `if` clause that
    /// runs the region on one thread when the iterations are too few to pay for it (a function called many times with
    /// short arrays would otherwise fork and join on every call). Null when the trip count is known statically (or has no C text).
    /// <paramref name="byId"/> holds the loops of <paramref name="all"/> by id (a tile loop finds its element loop there).
    /// </summary>
    public static string? IfClause(LoopFacts loop, IReadOnlyList<LoopFacts> all, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (!loop.Parallelizable && loop.GuardedReduction is { } scatter) return GuardedIfClause(loop, all, scatter);
        if (loop.TripCount is not null)
        {
            // A constant trip count over one inner loop of run-time length: the nest's iterations decide at run time (a
            // constant count with no closed form of its work is turned down statically, AnalyzerPlanner.Unprofitable).
            if (Body(loop, all) is not null || loop.NestIterationsText is not { } constantNest || Children(loop, all).SingleOrDefault() is not { } only ||
                Body(only, all) is not { } onlyBody)
                return null;
            // An array reduction's per-thread copies are zeroed and merged on every entry, as in the static rule
            // (TSVC's s141 reduces all 65,536 elements of `flat_2d_array` over a 256-row triangle: without them the
            // guard admitted 32,896 iterations and the nest ran 0.80x on 2 threads).
            // An interchanged nest whose new innermost loop runs in lanes is priced as the other branches price it (LaneDivisor).
            var k = (long)Math.Ceiling((AnalyzerPlanner.MinimumWork(false) + AnalyzerPlanner.ArrayReductionWork(loop)) /
                                       (Math.Max(1, onlyBody) / LaneDivisor(loop, all, MovesDataOnly(loop, all))));
            return $"if(!{Analyzer.Generation.SourceRewriter.CostGuard} || {constantNest} >= {Math.Max(k, AnalyzerPlanner.MinimumTripCount)})";
        }
        if (loop.TripCountText is not { } trip) return null;
        double? work = Body(loop, all);
        if (work is null && loop.NestTripCountText is { } nest && Children(loop, all).SingleOrDefault() is { } inner && Body(inner, all) is { } innerBody)
        {
            // A nest whose inner length is a run-time value too (an FFT stage: n/len groups of len/2): count the inner
            // loop's iterations with the outer ones, each at the inner body's work (the outer body's own work, left out,
            // only makes the test stricter).
            (trip, work) = (nest, innerBody);
        }
        else if (work is null && loop.NestIterationsText is { } iterations && Children(loop, all).SingleOrDefault() is { } child && Body(child, all) is { } childBody)
        {
            // The same for one inner loop among other statements, or whose length moves with the counter (a triangle): its
            // iterations over the whole loop, each at the inner body's work. Without it a nest of sixteen short rows (opus's
            // residual energy, D = 16) passed `D >= 8` and forked on every call: the encoder ran 12x slower on 2 threads.
            (trip, work) = (iterations, childBody);
        }
        else if (work is null && loop.TiledNest is { } tiled && byId.TryGetValue(tiled.InnerLoopId, out var element) && Body(element, all) is { } elementBody)
        {
            // A tile loop: its trip count is the tiles, its body's work has no closed form (the element loops' bounds read
            // the tile counters). Over the nest the element loops run through their hulls, so the nest's iterations, each at
            // the innermost element loop's body (priced as the static rule prices that loop), are the region's work. Counting
            // only the tiles kept PRK's 2000 × 2000 transpose (63 tiles of 32) serial behind `tiles >= 64`.
            (trip, work) = (tiled.IterationsText, Math.Max(1, elementBody) / LaneDivisor(element, all, MovesDataOnly(element, all)));
        }
        // Every loop whose length is a run-time value gets a test, at least the static rule's minimum iteration count;
        // where the body's work is unknown (inner loops of run-time length with no closed form), at least
        // MinimumUnknownWorkTripCount: a heavy nest of many rows still runs in parallel, but a 2-dimensional call
        // (nlopt's COBYLA and Nelder-Mead, millions of calls) and a codec's 21 bands per frame (opus) no longer fork.
        // A loop that runs in vector lanes does a quarter of its counted work per element (RunsInVectorLanes): K grows with it.
        var movesDataOnly = MovesDataOnly(loop, all);
        var minimum = work is { } body
            ? (long)Math.Ceiling((AnalyzerPlanner.MinimumWork(movesDataOnly) + AnalyzerPlanner.ArrayReductionWork(loop)) /
                                 (Math.Max(1, body) / LaneDivisor(loop, all, movesDataOnly)))
            : AnalyzerPlanner.MinimumUnknownWorkTripCount;
        return $"if(!{Analyzer.Generation.SourceRewriter.CostGuard} || {trip} >= {Math.Max(minimum, AnalyzerPlanner.MinimumTripCount)})";
    }

    /// <summary>
    /// The guard of a guarded array reduction: the static rule's minimum, and the trip count at least
    /// <see cref="Analyzer.Locality.GuardedReduction.MinimumTripsPerElement"/> times K (each thread zeroes and merges K
    /// elements); where both are constants the planner decided already (null).
    /// </summary>
    private static string? GuardedIfClause(LoopFacts loop, IReadOnlyList<LoopFacts> all, Analyzer.Locality.GuardedReduction scatter)
    {
        var perElement = Analyzer.Locality.GuardedReduction.MinimumTripsPerElement;
        var bins = scatter.BoundConstant is { } k ? (k * perElement).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{perElement}LL * ({scatter.Bound})";
        if (loop.TripCount is { } trips) return scatter.BoundConstant is null ? $"if(!{Analyzer.Generation.SourceRewriter.CostGuard} || {trips}LL >= {bins})" : null;
        if (loop.TripCountText is not { } trip) return null;
        var minimum = Body(loop, all) is { } body ? (long)Math.Ceiling(AnalyzerPlanner.MinimumWork(false) / Math.Max(1, body)) : 0;
        // The updates of a nest (rows × columns of an image) are counted with its inner loop when that length is known.
        var updates = loop.NestTripCountText ?? $"(long long)({trip})";
        return $"if(!{Analyzer.Generation.SourceRewriter.CostGuard} || ((long long)({trip}) >= {Math.Max(minimum, AnalyzerPlanner.MinimumTripCount)} && {updates} >= {bins}))";
    }

    /// <summary>
    /// A fill, copy or scaling loop: no inner loop, no call, no reduction, at most one element read and one written per
    /// iteration. Such a loop is bound by memory bandwidth, not by the core, and the threads share that bandwidth.
    /// </summary>
    public static bool MovesDataOnly(LoopFacts loop, IReadOnlyList<LoopFacts> all) =>
        !Children(loop, all).Any() && loop.Calls.Count == 0 && loop.Reductions.Count == 0
        && loop.Accesses.Count(a => a.Read) <= 1 && loop.Accesses.Count(a => a.Write) <= 1;

    /// <summary>
    /// How much less serial time a loop that runs in vector lanes (<see cref="RunsInVectorLanes"/>) spends per counted
    /// access than the scalar loops <see cref="AnalyzerPlanner.MinimumRegionWork"/> was set for: its counted work is divided
    /// by this before it is weighed. Measured (TSVC_2, gcc -O3, 2 threads, a quiet machine): `vpv` (`a[i] += b[i]`, 32,000
    /// floats, 64,000 counted accesses: `+=` counts once) takes 0.054 s serial for its repetitions, about 2.7 µs a pass, i.e.
    /// about 24 counted accesses a nanosecond where the scalar loops MinimumRegionWork was set for do 2–5 (50,000 accesses
    /// in 10–25 µs). 4 is the lane count of the baseline vector (4 floats in SSE, 4 doubles in AVX), below the measured 5–12x (the
    /// serial pass also had its data in L2), so the factor errs towards keeping a loop parallel. The parallel build
    /// ran at 0.51x, and the same held for `vtv` and `s113` (0.50–0.52x) and the 3-array forms (`vpvpv`, `vtvtv`,
    /// `vpvtv`: 0.60–0.67x, 96,000–128,000 accesses): all of them below 4 × 50,000 accesses, so with this factor all stay serial
    /// (measured after: 1.10–1.57x against the same serial binary), while the ones that paid (restructured nests, floating-point
    /// sums that gcc keeps scalar) are not of this shape. `s351` (step 5, unrolled by hand) and `s4121` (a call to an
    /// arithmetic `f`) are covered through <see cref="LoopFacts.VectorLanes"/>.
    /// </summary>
    public const double VectorLaneFactor = 4;

    /// <summary>
    /// The compiler will run this loop in vector lanes, so each counted access costs a fraction of a scalar one: the
    /// analyzer's own simd proof (<see cref="LoopFacts.Vectorizable"/> or <see cref="LoopFacts.VectorizableIf"/>: an innermost
    /// loop of unit step, no call, no control flow lanes cannot take, every access contiguous or invariant in the counter,
    /// over scalar elements), no branch at all (<see cref="LoopFacts.Branchless"/>: TSVC's conditional loops `s271`,
    /// `s2711`, `s276`, `vif` ran 1.06–1.5x faster on 2 threads, so gcc did not run them in lanes), no inner loop, and no floating-point sum (without reassociation gcc and clang keep it scalar,
    /// in order: `vdotr`, `s313` paid on 2 threads). A loop that only moves data is priced by
    /// <see cref="AnalyzerPlanner.MemoryBoundFactor"/> already: bandwidth, which lanes do not widen.
    /// Beyond stride-1 without calls, <see cref="LoopFacts.VectorLanes"/> proves the other shapes the compilers vectorize: a
    /// constant step whose accesses form fully covered interleaved groups (`s351`, step 5, offsets 0..4 of `a` and `b`) and
    /// calls inlined to arithmetic (`s4121`'s `f(b[i], c[i])`).
    /// </summary>
    public static bool RunsInVectorLanes(LoopFacts loop, IReadOnlyList<LoopFacts> all) => RunsInVectorLanes(loop, all, MovesDataOnly(loop, all));

    /// <summary>
    /// The most bytes of arrays a loop in vector lanes may touch and still be priced as running from a core's own cache
    /// (<see cref="CacheResidentFactor"/>): 1 MiB, the per-core L2 of current x86-64 server cores (AMD Zen 4, Intel
    /// Skylake-SP and later: 1–2 MiB) and of the VM the factor was measured on. Each thread of a parallel copy touches
    /// only its share, so the rule weighs the serial loop, the one that must fit.
    /// </summary>
    public const long CacheResidentBytes = 1L << 20;

    /// <summary>
    /// How much less a counted access costs again in a loop in vector lanes whose arrays all fit in
    /// <see cref="CacheResidentBytes"/> (<see cref="CacheResident"/>): the vector-lane factor was set below the rate measured
    /// on such loops (`vpv`: 5–12x, see <see cref="VectorLaneFactor"/>), and the rest is the cache: with no miss to L3 or
    /// memory the serial pass streams from L2. Measured (TSVC_2, gcc -O3, 2 threads, like-for-like serial reference): `s1281`
    /// (5 arrays of 32,000 floats, 640 KiB, 224,000 counted accesses, 56,000 after the lane factor, just above
    /// <see cref="AnalyzerPlanner.MinimumRegionWork"/>) ran 0.69–0.74x of serial in two quiet runs; `s1251`, the same
    /// shape and count, is covered alike. 2 keeps every lane loop above 400,000 counted accesses parallel.
    /// </summary>
    public const double CacheResidentFactor = 2;

    /// <summary>
    /// Every access of the loop (inner loops included) goes to a declared array of constant size
    /// (<see cref="AccessFact.ArrayBytes"/>) and those arrays together hold at most <see cref="CacheResidentBytes"/>. A pointer
    /// or an array of run-time size anywhere in the loop says nothing about its working set: false.
    /// </summary>
    public static bool CacheResident(LoopFacts loop)
    {
        if (loop.Accesses.Count == 0 || loop.Accesses.Any(a => a.ArrayBytes is null)) return false;
        var bytes = loop.Accesses.GroupBy(a => a.Array, StringComparer.Ordinal).Sum(g => g.Max(a => a.ArrayBytes!.Value));
        return bytes <= CacheResidentBytes;
    }

    /// <summary>What a loop's counted work is divided by before it is weighed, by the static rule
    /// (<see cref="AnalyzerPlanner.Unprofitable"/>) and by the run-time guard (<see cref="IfClause"/>) alike:
    /// <see cref="VectorLaneFactor"/> for a loop in vector lanes (<see cref="RunsInVectorLanes(LoopFacts, IReadOnlyList{LoopFacts})"/>, or an
    /// interchanged nest whose new innermost loop runs in lanes, <see cref="InterchangedInLanes"/>), times
    /// <see cref="CacheResidentFactor"/> where its arrays fit in a core's cache; 1 otherwise. One place, so that a nest the
    /// static rule prices as lane work gets a guard priced the same way (before, the guard left out the interchanged form).</summary>
    public static double LaneDivisor(LoopFacts loop, IReadOnlyList<LoopFacts> all, bool movesDataOnly) =>
        !(RunsInVectorLanes(loop, all, movesDataOnly) || InterchangedInLanes(loop)) ? 1 : VectorLaneFactor * (CacheResident(loop) ? CacheResidentFactor : 1);

    /// <summary>
    /// The loop heads an interchanged nest whose new innermost loop runs in vector lanes (<see
    /// cref="Analyzer.Locality.InterchangeNest.InnermostInLanes"/>: stride 1 or invariant in every access, no branch, no call;
    /// the interchange takes no reduction): its work is lane work like a single stride-1 loop's, and the cache-resident factor
    /// applies alike. Measured on TSVC_2's s231 (256×256 floats): serial gcc interchanges and vectorizes it itself (5.7 µs a
    /// pass), the parallel interchanged nest ran 0.67x of that on 2 threads.
    /// </summary>
    public static bool InterchangedInLanes(LoopFacts loop) => loop.Interchange is { InnermostInLanes: true } && loop.FloatingPointReductions.Count == 0;

    /// <summary><see cref="RunsInVectorLanes(LoopFacts, IReadOnlyList{LoopFacts})"/> for a caller that has <see cref="MovesDataOnly"/> already.</summary>
    private static bool RunsInVectorLanes(LoopFacts loop, IReadOnlyList<LoopFacts> all, bool movesDataOnly) =>
        (((loop.Vectorizable || loop.VectorizableIf is not null) && loop.Branchless) || loop.VectorLanes is not null)
        && loop.FloatingPointReductions.Count == 0 && loop.ArrayReductions.Count == 0
        && !Children(loop, all).Any() && !movesDataOnly;

    /// <summary>Work of one iteration: its own accesses and calls plus its inner loops' full work; null if an inner trip count is unknown.</summary>
    private static double? Body(LoopFacts loop, IReadOnlyList<LoopFacts> all)
    {
        var children = Children(loop, all).ToList();
        double total = OwnWork(loop, children);
        foreach (var c in children)
        {
            if (c.TripCount is not { } trip || Body(c, all) is not { } inner) return null;
            total += Math.Max(0, trip) * inner;
        }
        return total;
    }

    private static double OwnWork(LoopFacts loop, List<LoopFacts> children)
    {
        var accesses = Math.Max(0, loop.Accesses.Count - children.Sum(c => c.Accesses.Count));
        var calls = Math.Max(0, loop.Calls.Count - children.Sum(c => c.Calls.Count));
        return Math.Max(1, accesses + CallWork * calls);
    }

    private static IEnumerable<LoopFacts> Children(LoopFacts loop, IReadOnlyList<LoopFacts> all) => all.Where(l => l.ParentId == loop.Id);
}
