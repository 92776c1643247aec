namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// An array that a loop L uses as scratch space (<see cref="PrivatizationRecognizer"/>): in every iteration of L, a loop W
/// writes `X[p]` for every p of a section [Low, End) before anything reads X, and every other reference of X in the
/// iteration stays inside that section. Each thread then works on its own copy of the section, and after the loop the
/// thread that ran L's last iteration copies its section back, so X holds what the serial loop left in it:
/// <code>
/// { int paraslm_done = 0;
/// #if defined(__GNUC__)
///   if (GUARD &amp;&amp; OVERLAP) {                     cost guard; X's section clear of every other base the loop writes or reads
///     T *paraslm_plast = 0; int paraslm_pfail = 0;
/// #pragma omp parallel
///     { T *paraslm_pbuf = a local array (constant, small section) or malloc(End);  a failed malloc fails the whole team
///       ... barrier ...
///       T *const paraslm_p_X = paraslm_pbuf;
/// #pragma omp for CLAUSES lastprivate(paraslm_plast)
///       LOOP with X → paraslm_p_X, each iteration starting with `paraslm_plast = paraslm_p_X;`
/// #pragma omp single
///       { if (paraslm_plast &amp;&amp; CHAIN RUNS) copy [Low, End) from paraslm_plast back to X }
///       free }
///     paraslm_done = !paraslm_pfail; }
/// #endif
///   if (!paraslm_done) ORIGINAL LOOP }
/// </code>
/// </summary>
/// <param name="Array">X's name, as written (a pointer, an array parameter or a named array).</param>
/// <param name="ElementType">Its element type without qualifiers (an arithmetic scalar).</param>
/// <param name="Low">The section's first element: a non-negative constant (the copy is allocated from element 0).</param>
/// <param name="End">One past its last element, as C text valid before the loop (invariant in it).</param>
/// <param name="EndConstant">End when it is a constant; null for a run-time section (a heap copy).</param>
/// <param name="Length">End − Low as C text, for the name (`privatize(sum[0:np])`).</param>
/// <param name="CoverLine">The line of the statement that writes the section (W's first statement).</param>
/// <param name="References">Every reference of X in the loop (byte offset of the identifier, its line): the copy names the private one.</param>
/// <param name="BodyOffset">Byte offset where L's body starts (its `{`, or its single statement).</param>
/// <param name="BodyBraced">L's body is a compound statement.</param>
/// <param name="ChainRuns">For a section written inside loops nested in L: a C condition, valid before L, that those loops run at
/// least once (each L iteration then writes the whole section); null when W sits in L's own body.</param>
/// <param name="Private">Scalars declared outside the loop that every iteration writes before reading (private in the copy).</param>
/// <param name="LastPrivate">Scalars whose last value is used after the loop.</param>
/// <param name="OverlapCheck">A C condition, valid before the loop, that X's section overlaps nothing else the loop reads or writes
/// (and that other subscripts stay inside their dimensions); null when proven statically.</param>
public sealed record Privatization(
    string Array,
    string ElementType,
    long Low,
    string End,
    long? EndConstant,
    string Length,
    int CoverLine,
    IReadOnlyList<PrivatizedReference> References,
    int BodyOffset,
    bool BodyBraced,
    string? ChainRuns,
    IReadOnlyList<string> Private,
    IReadOnlyList<string> LastPrivate,
    string? OverlapCheck)
{
    /// <summary>The transform's name stem; the plan names the whole <see cref="Name"/>.</summary>
    public const string TransformName = "privatize";

    /// <summary>The plan element's name in plans and reports: `privatize(sum[0:np])` (OpenMP's `[lower:length]`).</summary>
    public string Name => $"{TransformName}({Array}[{Low}:{Length}])";

    /// <summary>A constant section up to this many elements is a local array of each thread (at most 32 KiB of 16-byte
    /// elements on a worker's stack, whose default size is 2–8 MiB); a larger or run-time one is on the heap.</summary>
    public const long MaximumStackElements = 2048;

    public bool OnStack => EndConstant is { } n && n <= MaximumStackElements;

    /// <summary>Why the transform is legal, in words, for the report.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>The private copy's name in the generated code (the user's code never starts a name with `paraslm_`).</summary>
    public string CopyName => $"paraslm_p_{Array}";

    public const string LastCopy = "paraslm_plast";

    /// <summary>The clauses of the copy's `omp for` (the plan's data sharing, and the pointer to the last iteration's copy).</summary>
    public string Clauses =>
        string.Join(' ', new[]
        {
            Private.Count > 0 ? $"private({string.Join(", ", Private)})" : null,
            LastPrivate.Count > 0 ? $"lastprivate({string.Join(", ", LastPrivate)})" : null,
            $"lastprivate({LastCopy})",
        }.OfType<string>());
}

/// <summary>One reference of the privatized array: the byte offset of its identifier and the line it is on.</summary>
public sealed record PrivatizedReference(int Offset, int Line);
