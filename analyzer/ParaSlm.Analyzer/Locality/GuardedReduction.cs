namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A scatter into a pointer through data-dependent subscripts (`hist[in[i]]++`, `h[idx[i]] += w`) that the analyzer proved
/// may run as a guarded array reduction (<see cref="GuardedReductionRecognizer"/>): the loop runs in parallel adding into
/// per-thread copies of a temporary `acc[0..K)`, each update first testing its subscript against K; when every subscript
/// was inside, the temporary is added into the array (only at the elements it changed), else nothing of the user's was
/// written and the original loop runs as written. K comes from the facts (a loop of the same function that walks
/// `h[v]` for v in [0, K)), never from the data; the array's allocation size is not needed.
/// </summary>
/// <param name="Array">The array's name, as written (a pointer variable or parameter).</param>
/// <param name="ElementType">Its element type (the temporary's), without qualifiers.</param>
/// <param name="Bound">K as a C expression valid before the loop: a constant, or a variable the function never writes.</param>
/// <param name="BoundConstant">K when it is a constant; null for a run-time K (then <see cref="SizeCheck"/> bounds it).</param>
/// <param name="BoundLine">The line of the loop K was read from (for the report).</param>
/// <param name="Updates">The update statements the parallel copy replaces by guarded ones, in source order.</param>
/// <param name="Private">Scalars declared outside the loop that every iteration writes before reading (private in the copy).</param>
/// <param name="OverlapCheck">A C condition, valid before the loop, that `Array[0..K)` overlaps nothing else the loop reads
/// (and that other subscripts stay inside their dimensions); null when proven statically.</param>
/// <param name="SizeCheck">For a run-time K: `0 &lt; K &lt;= 65536`; null for a constant.</param>
/// <param name="FloatingPoint">The elements are floating point: the additions happen in another order.</param>
public sealed record GuardedReduction(
    string Array,
    string ElementType,
    string Bound,
    long? BoundConstant,
    int BoundLine,
    IReadOnlyList<GuardedUpdate> Updates,
    IReadOnlyList<string> Private,
    string? OverlapCheck,
    string? SizeCheck,
    bool FloatingPoint)
{
    /// <summary>The transform's name, in plans and reports.</summary>
    public const string TransformName = "guarded-array-reduction";

    /// <summary>The trip count must be at least this many times K: each thread clears and merges K elements, so a loop much
    /// shorter than K × threads would spend its time on the copies.</summary>
    public const int MinimumTripsPerElement = 8;

    /// <summary>Why the transform is legal, in words, for the report.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>The clauses of the parallel copy's directive (its temporary, the out-of-range flag, the private scalars).</summary>
    /// <remarks>The copy compares subscripts with its own `firstprivate` copy of K: read through the shared variable, clang
    /// reloaded it on every iteration (a scatter 50% slower than with a local bound).</remarks>
    public string Clauses =>
        (Private.Count > 0 ? $"private({string.Join(", ", Private)}) " : string.Empty) +
        $"firstprivate({LocalBound}) reduction(+:{Accumulator}[:{BoundName}]) reduction(|:{OutOfRange})";

    /// <summary>Names the generated code declares (the user's code never starts a name with `paraslm_`).</summary>
    public const string Accumulator = "paraslm_acc";

    public const string BoundName = "paraslm_k";

    /// <summary>K as the unsigned value each thread compares subscripts with.</summary>
    public const string LocalBound = "paraslm_kb";

    public const string OutOfRange = "paraslm_out";
}

/// <summary>One update statement of the array: `Array[Index] Operator Value` (`+=`, `-=`) or `Array[Index]++` (`++`, `--`).</summary>
/// <param name="Offset">Byte offset of the update expression (the statement without its `;`).</param>
/// <param name="EndOffset">Byte offset where it ends.</param>
/// <param name="Text">Its text on one line: the rewriter checks it edits this text.</param>
/// <param name="Line">Its line.</param>
/// <param name="Index">The subscript's text.</param>
/// <param name="Operator">`+=`, `-=`, `++` or `--`.</param>
/// <param name="Value">The added value's text for `+=`/`-=`, else null.</param>
public sealed record GuardedUpdate(int Offset, int EndOffset, string Text, int Line, string Index, string Operator, string? Value);
