using ParaSlm.Analyzer.Scalars;

namespace ParaSlm.Analyzer.Facts;

/// <summary>The analyzer's judgement of one `for` loop: the safety facts every later stage relies on.</summary>
public sealed record LoopFacts(
    string Id,
    string File,
    int Line,
    int Column,
    string Function,
    int Depth,
    bool Parallelizable,
    IReadOnlyList<Reduction> Reductions,
    IReadOnlyList<string> Private,
    IReadOnlyList<string> LastPrivate,
    string? RuntimeCheck,
    string Reason)
{
    /// <summary>Evidence behind the verdict, one sentence each (dependences found, scalars, calls).</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>Dependences between accesses, with direction at this loop's level.</summary>
    public IReadOnlyList<DependenceFact> Dependences { get; init; } = [];

    /// <summary>Memory accesses in the loop (nested loops included), in source order.</summary>
    public IReadOnlyList<AccessFact> Accesses { get; init; } = [];

    /// <summary>Calls in the loop and what is known about their side effects.</summary>
    public IReadOnlyList<CallFact> Calls { get; init; } = [];

    /// <summary>Written scalars and their class: private, lastprivate, reduction(op), shared or carried.</summary>
    public IReadOnlyList<ScalarFact> Scalars { get; init; } = [];

    /// <summary>Canonical form in words, or why the header is not canonical.</summary>
    public string Header { get; init; } = string.Empty;

    public long? TripCount { get; init; }

    /// <summary>When the trip count is not a constant: a C expression for it, valid just before the loop; else null.</summary>
    public string? TripCountText { get; init; }

    /// <summary>For a loop whose body is one inner loop with a run-time trip count that nothing inside this loop changes:
    /// the iterations of both together as a C expression valid just before this loop (`(long long)(outer) * (inner)`),
    /// for a run-time profitability test of a nest whose inner length is not a constant; else null.</summary>
    public string? NestTripCountText { get; init; }

    /// <summary>For a loop with one inner loop of run-time length anywhere in its body (statements beside it allowed): the
    /// inner loop's iterations over the whole loop as a C expression valid just before this loop — outer × inner, or, where
    /// the inner length moves with the counter (`j = i + 1; j < n`), outer × the mean of its first and last lengths — for the
    /// run-time profitability test of a nest whose body work is otherwise unknown (opus's 16×16 triangular sums); else null.</summary>
    public string? NestIterationsText { get; init; }

    /// <summary><see cref="NestIterationsText"/>'s value where the loop's trip count and the inner loop's first and last
    /// lengths are constants (a 256-row triangle: 32,896); else null.</summary>
    public long? NestIterations { get; init; }

    /// <summary>The loop is a nest at the top of the body of a function that runs once, in a file the user builds without
    /// OpenMP (<see cref="Loops.TeamReleaseSites"/>): why, or null. Where the final plan keeps the whole nest serial the copy
    /// hands the idle team back before it (no thread spins beside the serial work).</summary>
    public string? TeamRelease { get; init; }

    /// <summary>For a release site: the ids of the top-level loops of run-once functions that run before it, latest first
    /// (<see cref="Loops.TeamReleaseSites"/>); an entry with an empty id ends the list at a statement whose regions cannot be followed.</summary>
    public IReadOnlyList<ReleasePredecessor> TeamReleaseAfter { get; init; } = [];

    /// <summary>The loop already carries an OpenMP pragma in the source, or sits in a statement that does.</summary>
    public bool HasOpenMPDirective { get; init; }

    /// <summary>That user directive (`#pragma omp …`, read from the raw text), or null.</summary>
    public string? OpenMPDirective { get; init; }

    /// <summary>The loop's function runs inside the user's own OpenMP region (called from under a directive of this file,
    /// <see cref="Loops.UserRegionCallees"/>): why, or null. A region opened here would be nested in theirs.</summary>
    public string? InsideUserRegion { get; init; }

    /// <summary>Reduction variables of floating-point type combined with + - * (summed in another order when run in parallel,
    /// so the result may differ in the last digits) or max/min (which NaN or which signed zero is kept may differ);
    /// ParaSlmFloatReassociation decides.</summary>
    public IReadOnlyList<string> FloatingPointReductions { get; init; } = [];

    /// <summary>Byte offsets of the whole `for` statement in the main file (end: as libclang reports it,
    /// which for a body without braces stops before the final `;`).</summary>
    public int StartOffset { get; init; }

    public int EndOffset { get; init; }

    /// <summary>For a parallel loop: whether it can run on a GPU, with the arrays to map and their directions; null otherwise.</summary>
    public Offload.OffloadFacts? Offload { get; init; }

    /// <summary>Arrays the loop only adds into (`h[idx[i]] += w`), reduced per thread; their list items are also in
    /// <see cref="Reductions"/> (`h` or `p[lo:len]`), so the clauses carry them.</summary>
    public IReadOnlyList<ArrayReduction> ArrayReductions { get; init; } = [];

    /// <summary>The parts of <see cref="RuntimeCheck"/> that say two bases do not overlap, one per pair of bases, each over
    /// every access of the pair in the whole loop (nested loops included).</summary>
    public IReadOnlyList<AliasCheck> AliasChecks { get; init; } = [];

    /// <summary>The parts of <see cref="RuntimeCheck"/> that keep subscripts inside their declared dimensions (`m &lt;= 1200`).</summary>
    public IReadOnlyList<string> SubscriptAssumptions { get; init; } = [];

    /// <summary>Id of the enclosing loop, if any.</summary>
    public string? ParentId { get; init; }

    /// <summary>Integer and pointer variables of the function that the parallel loop only reads and whose address never
    /// escapes, which its region takes by value (`firstprivate`) so that clang can count and vectorize the loop
    /// (<see cref="ParaSlm.Analyzer.Scalars.ByValueCaptures"/>); empty where no store of the loop may alias them.</summary>
    public IReadOnlyList<string> ByValue { get; init; } = [];

    /// <summary>Loop-nest shape for the planner: perfectly nested canonical children it could collapse.</summary>
    public int CollapsibleDepth { get; init; } = 1;

    /// <summary>
    /// An innermost loop, parallel without a run-time check and without calls, whose every access moves by at most one
    /// element per iteration (`a[i]`, `a[n*r + i]`, `a[r][i]`, or invariant): `omp simd` may run its iterations in vector
    /// lanes (no loop-carried dependence, so any order is valid) and the lanes read contiguous memory.
    /// </summary>
    public bool Vectorizable { get; init; }

    /// <summary>An innermost stride-1 loop like <see cref="Vectorizable"/> except that it is parallel only under its
    /// <see cref="RuntimeCheck"/> (pointers that may overlap): vector lanes are valid exactly when that check holds, so
    /// an inner `omp simd` carries it as `if(simd: check)`; null otherwise.</summary>
    public string? VectorizableIf { get; init; }

    /// <summary>A stride-1 innermost loop (<see cref="Vectorizable"/> or <see cref="VectorizableIf"/>) with no branch in its
    /// body (no `if`, `?:`, `continue`, `break`, `goto`, `return`): the compiler runs it in vector lanes without masking, so
    /// the cost model weighs its accesses at a vector's rate (<c>LoopCost.RunsInVectorLanes</c>).</summary>
    public bool Branchless { get; init; }

    /// <summary>An innermost, branch-free parallel loop that is not a plain stride-1 loop without calls, which the compiler still
    /// runs in vector lanes (<see cref="VectorLaneShapes.Prove"/>): a constant step whose accesses form fully covered
    /// interleaved groups, or calls inlined to arithmetic. The proof in words, or null. The cost model weighs it as it weighs a
    /// <see cref="Branchless"/> stride-1 loop (<c>LoopCost.RunsInVectorLanes</c>); the plan's `simd` does not follow it.</summary>
    public string? VectorLanes { get; init; }


    /// <summary>
    /// How the work of one iteration varies with this loop's counter, from the bounds of the loops inside it:
    /// `rectangular` (no inner bound reads the counter), `triangular` (an inner bound is affine in it, `j &lt; i`),
    /// `irregular` (an inner bound reads memory indexed by it, `k &lt; ptr[i + 1]`) or `tiled` (an inner loop runs one tile of
    /// this tile loop, `j = jt; j &lt; MIN(n, jt + tile)`: equal lengths but the last). The planner's schedule follows it.
    /// </summary>
    public string InnerBounds { get; init; } = "rectangular";

    /// <summary>For a tile loop heading a hand-tiled nest (<see cref="Loops.TiledNest.Of"/>): the nest's iterations as a C text
    /// valid before the loop, and the innermost element loop whose body is one iteration's work; else null. The run-time cost
    /// guard weighs the whole nest, not the tiles.</summary>
    public Loops.TiledNest? TiledNest { get; init; }

    /// <summary>The counter moves by a step known only at run time (`i += len`): the trip count, span / step, may be
    /// anything from many iterations down to one (an FFT's group loop over its stages).</summary>
    public bool RuntimeStep { get; init; }

    /// <summary>On the outer loop of a matrix-product nest: the proof and the parts of its tiled i-k-j form (a locality
    /// transform the plan may name, <see cref="Locality.MatmulNest.TransformName"/>); null otherwise.</summary>
    public Locality.MatmulNest? Matmul { get; init; }

    /// <summary>On a loop that is serial only because it appends (`out[cnt++] = e`, or a monotone claim that appends, a BFS
    /// frontier): the proof and the parts of its two-phase form (<see cref="Locality.OrderedAppend"/>); null otherwise.</summary>
    public Locality.OrderedAppend? Append { get; init; }

    /// <summary>On a loop serial only because it scatters into a pointer through data-dependent subscripts (`hist[in[i]]++`):
    /// the proof and the parts of its guarded array reduction (<see cref="Locality.GuardedReduction"/>); null otherwise.</summary>
    public Locality.GuardedReduction? GuardedReduction { get; init; }

    /// <summary>On a loop serial only because it reuses a scratch array each iteration writes before reading (`sum[p] = 0; …`):
    /// the proof and the parts of its privatized form (<see cref="Locality.Privatization"/>); null otherwise.</summary>
    public Locality.Privatization? Privatization { get; init; }

    /// <summary>Why the loop's code may not be written twice (versioning), from the AST: a label, a `case` of an outer
    /// switch, a `static` or thread-local local (<see cref="Loops.DuplicationBlocker"/>); null when it may.</summary>
    public string? NotDuplicable { get; init; }

    /// <summary>The header advances two counters: a directive on this loop needs its one-counter form (null: one counter).</summary>
    public Loops.TwoCounterForm? TwoCounter { get; init; }

    /// <summary>On the outer loop of a three-deep nest that is not a matrix product the transform may reorder: the rule
    /// of the theorem it misses (<see cref="Locality.MatmulRejection"/>); `None` elsewhere.</summary>
    public Locality.MatmulRejection MatmulRejection { get; init; }

    /// <summary>On each parallel nest of a serial loop that may move inside them (<see cref="Locality.SerialLoopSink"/>,
    /// the same record on every nest); null otherwise.</summary>
    public Locality.SerialLoopSink? SerialSink { get; init; }

    /// <summary>On the outer loop of a perfect rectangular nest whose levels may run in an order that makes the innermost
    /// loop stride-1 (<see cref="Locality.InterchangeNest"/>, proven by direction vectors); null otherwise.</summary>
    public Locality.InterchangeNest? Interchange { get; init; }

    /// <summary>On each nest of a serial loop that may run in one parallel region with its nests work-shared
    /// (<see cref="Locality.SerialLoopHoist"/>, the same record on every nest); null otherwise.</summary>
    public Locality.SerialLoopHoist? SerialHoist { get; init; }

    /// <summary>On a loop `j` whose body starts a scalar, updates it in a small reduction nest and uses it: the proof and the
    /// parts of its scalar-expanded form, `j` innermost (<see cref="Locality.ScalarExpansion"/>); null otherwise.</summary>
    public Locality.ScalarExpansion? ScalarExpansion { get; init; }

    /// <summary>On a loop `j` whose body is straight-line statements around one loop (or small perfect nest) that carries a
    /// reduction chain: the proof and the parts of its unrolled-and-jammed form (<see cref="Locality.UnrollJam"/>); null otherwise.</summary>
    public Locality.UnrollJam? UnrollJam { get; init; }

    /// <summary>On a serial loop whose body may run as several loops, each in parallel (<see cref="Locality.LoopDistribution"/>,
    /// proven by <see cref="Locality.LoopDistributing"/>); null otherwise.</summary>
    public Locality.LoopDistribution? Distribution { get; init; }

    /// <summary>On a serial loop with an inner loop in its body that is not distributed: the rule it misses, in words; null otherwise.</summary>
    public string? DistributionBlocker { get; init; }

    /// <summary>On the first of two adjacent sibling nests that run fused, as one row-column pipeline (<see cref="Locality.SiblingFusion"/>,
    /// proven by <see cref="Locality.SiblingFusing"/>); null otherwise.</summary>
    public Locality.SiblingFusion? Fusion { get; init; }

    /// <summary>On the first of two adjacent 2-deep sibling nests that are not fused: the rule they miss, in words; null otherwise.</summary>
    public string? FusionBlocker { get; init; }

    /// <summary>On a serial loop `j { for k &lt; j S; T }` that may run right-looking, `k` outside (<see cref="Locality.RightLooking"/>,
    /// proven by <see cref="Locality.RightLookingRecognizer"/>); null otherwise.</summary>
    public Locality.RightLooking? RightLooking { get; init; }

    /// <summary>On a serial loop whose body starts with its only inner loop and that does not run right-looking: the rule it misses; null otherwise.</summary>
    public string? RightLookingBlocker { get; init; }

    /// <summary>Memory every thread of this loop's region would read after the enclosing loop's iteration wrote it, with the
    /// loop's work per entry (<see cref="Locality.BroadcastReading"/>); null when there is none or it cannot be counted.</summary>
    public Locality.BroadcastRead? Broadcast { get; init; }

    /// <summary>The OpenMP data-sharing clauses the verdict requires, e.g. `private(t) reduction(+:s)`.</summary>
    public string Clauses
    {
        get
        {
            var parts = new List<string>();
            if (Private.Count > 0) parts.Add($"private({string.Join(", ", Private)})");
            if (LastPrivate.Count > 0) parts.Add($"lastprivate({string.Join(", ", LastPrivate)})");
            foreach (var g in Reductions.GroupBy(r => r.Operator))
                parts.Add($"reduction({g.Key}:{string.Join(", ", g.Select(r => r.Variable))})");
            return string.Join(" ", parts);
        }
    }
}

/// <summary>One array/pointer access: `a[i * n + j]` written at line 12.</summary>
public sealed record AccessFact(string Array, string Text, int Line, bool Read, bool Write, IReadOnlyList<string> Subscripts)
{
    /// <summary>Bytes of the element the access touches, from the access expression's type as clang gives it, when its path
    /// ends in a subscript and that element is a scalar of known size (`float` 4, `double` 8); null otherwise (a field of
    /// a struct element, an unknown type).</summary>
    public int? ElementBytes { get; init; }

    /// <summary>How many elements apart, in the last subscript, this access lies in two consecutive iterations of the loop
    /// whose facts list it (the counter's constant coefficient there × the loop's step): 1 for `aa[i][j]` in a `j` loop of
    /// step 1, 0 when the last subscript does not move with the counter (`aa[j][i]`). Null when that cannot be said so
    /// simply: the counter also appears in another subscript or in the subscripts the base pointer was loaded with (the
    /// element moves to another row), with a coefficient that is not a constant, or in a subscript the analyzer could not read.</summary>
    public long? CounterStride { get; init; }

    /// <summary>How many loops inside the listing loop enclose the access (0: it runs once per iteration of that loop).</summary>
    public int InnerDepth { get; init; }

    /// <summary>Bytes of the whole declared array the access touches (<see cref="AccessElements.ArrayBytes"/>): its base is an
    /// array of constant extents (`float a[32000]`), not a pointer; null otherwise.</summary>
    public long? ArrayBytes { get; init; }
}

/// <summary>A call in the loop: whether it is known free of side effects, and why.</summary>
public sealed record CallFact(string Name, int Line, bool Pure, string Reason);

/// <summary>A scalar the loop uses and how it must be shared between iterations.</summary>
public sealed record ScalarFact(string Name, string Class, string Reason);

/// <summary>One pair of bases that may alias and the run-time condition under which none of the loop's accesses to one
/// overlaps any of its accesses to the other.</summary>
/// <param name="PlainVariables">Both bases are variables named as written (`cov`, not `s->p`), so a write to one shows
/// among the loop's written scalars.</param>
public sealed record AliasCheck(string First, string Second, string Condition, bool PlainVariables);

/// <summary>One dependence between two accesses, as seen at the analyzed loop's level.</summary>
public sealed record DependenceFact(
    string Kind,
    string Source,
    int SourceLine,
    string Sink,
    int SinkLine,
    string Direction,
    long? Distance,
    bool Carried,
    string Test);

/// <summary>A top-level loop that runs before a team release site: its id and its statement's byte extent (`for` to end).</summary>
public sealed record ReleasePredecessor(string LoopId, int StartOffset, int EndOffset);
