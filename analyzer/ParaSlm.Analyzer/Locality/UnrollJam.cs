namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A loop `j` (fact on it) whose body is straight-line statements, one loop (or a small perfect nest) M that carries a
/// reduction chain, and straight-line statements: `for (j) { P(j); for (k) B(j,k); F(j); }`. Unrolled by
/// <see cref="Factor"/> and jammed, it runs as
/// <code>
/// for each group of U iterations j0 = lo + g·U:            (the parallel loop, where `j` is the planned parallel loop)
///   P(j0) … P(j0+U-1)                                       each local of P renamed per copy
///   for (k) { B(j0,k) … B(j0+U-1,k) }                       U independent chains in one inner loop
///   F(j0) … F(j0+U-1)
/// for (j = lo + groups·U; j &lt; hi; j++) { P(j); for (k) B(j,k); F(j); }   the remainder, as written
/// </code>
/// Every element and scalar receives its own operations in the same order (no reassociation), so the results are
/// bit-identical; only operations of different `j` interleave, which the analyzer's proof that `j` carries no dependence
/// allows (<see cref="UnrollJamming"/>). Every text is the user's, copied from the source with `j` replaced by
/// `(paraslm_u_j + u)` and each local of P renamed; each has the line it came from, for `#line`.
/// </summary>
/// <param name="LoopId">The `j` loop's id.</param>
/// <param name="StartOffset">Byte offset of its `for` keyword.</param>
/// <param name="EndOffset">Byte offset just after its body's closing `}` (or its simple body's `;`).</param>
/// <param name="Counter">The name of `j`.</param>
/// <param name="CounterType">Its declared type, spelled as in the source.</param>
/// <param name="CounterDeclaredInHeader">`for (int j = …)`: the remainder loop declares it again.</param>
/// <param name="Low">Its first value, as C text valid before the loop (invariant in it).</param>
/// <param name="High">Its end (exclusive), as C text valid before the loop.</param>
/// <param name="Inner">M's counters, outermost first (for the report).</param>
/// <param name="Pre">For each copy u (0 … U-1), the statements before M with `j` replaced and P's locals renamed.</param>
/// <param name="Headers">M's headers as written, outermost first, each with its line.</param>
/// <param name="Body">For each copy u, M's innermost statements with `j` replaced and P's locals renamed.</param>
/// <param name="Final">For each copy u, the statements after M likewise.</param>
/// <param name="Remainder">The body as written (P, M's body, F) for the remainder loop: the same three lists, unrenamed.</param>
/// <param name="RequiredCheck">The `j` loop's own run-time overlap check, which the parallel loop's check must contain (null: none).</param>
public sealed record UnrollJam(
    string LoopId,
    int Line,
    int Column,
    int StartOffset,
    int EndOffset,
    string Counter,
    string CounterType,
    bool CounterDeclaredInHeader,
    string Low,
    string High,
    IReadOnlyList<string> Inner,
    IReadOnlyList<IReadOnlyList<CopiedLine>> Pre,
    IReadOnlyList<CopiedLine> Headers,
    IReadOnlyList<IReadOnlyList<CopiedLine>> Body,
    IReadOnlyList<IReadOnlyList<CopiedLine>> Final,
    UnrollJamCopy Remainder,
    string? RequiredCheck)
{
    /// <summary>The plan element's name in reports: `unroll-jam(j,4)`.</summary>
    public const string TransformName = "unroll-jam";

    /// <summary>How many iterations of `j` share one pass of M: 4 chains hide most of a floating-point add's latency (about 4
    /// cycles). 8 measured 12–18% faster still on attention's one-chain dot product, but doubles the code and the live
    /// accumulators of a body with several chains (gesummv's 2 become 16 streams); ARCHITECTURE.md, "Unroll-and-jam".</summary>
    public const int DefaultFactor = 4;

    public int Factor => Body.Count;

    public string Name => InterchangedWith is null
        ? $"{TransformName}({Counter},{Factor}{(Accumulators is null ? string.Empty : "," + JamAccumulators.NameSuffix)})"
        : $"{InterchangeName}({Counter},{InterchangedWith},{Factor})";

    /// <summary>The register form of the jammed chains (<see cref="JamAccumulating"/>): each element M updates lives in an
    /// accumulator per copy while M runs; null where not proven (the jam keeps the elements in memory).</summary>
    public JamAccumulators? Accumulators { get; init; }

    /// <summary>The name in reports of the interchanged form (<see cref="InterchangeJamming"/>): `interchange-jam(j,k,4)`.</summary>
    public const string InterchangeName = "interchange-jam";

    /// <summary>Set where the fact is <see cref="InterchangeJamming"/>'s: the fact sits on this loop `k` (the loop replaced), whose
    /// only statement is the loop `j` (<see cref="Counter"/>); the form runs `j` outside `k`. Null for a plain unroll-and-jam.</summary>
    public string? InterchangedWith { get; init; }

    /// <summary>The form keeps a floating-point element in an accumulator between its operations: it runs only where the compiler
    /// evaluates floating point in the type itself (`PARASLM_EXACT_FP`), the loop as written elsewhere.</summary>
    public bool FloatingPoint { get; init; }

    /// <summary>The loop whose run-time check <see cref="RequiredCheck"/> is, when not this one (the interchanged form: `j`'s, inside
    /// `k`): that check may also hold by implication from the parallel loop's (<see cref="ScalarExpanding.CheckImplied"/>).</summary>
    public string? CheckOf { get; init; }

    /// <summary>Why it is legal and why it pays, in words.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>The first `j` of the current group.</summary>
    public string GroupStart => $"paraslm_u_{Counter}";

    /// <summary>What replaces `j` in copy <paramref name="u"/>.</summary>
    public static string CounterOf(string counter, int u) => $"(paraslm_u_{counter} + {u})";

    /// <summary>What a local declared before M is called in copy <paramref name="u"/>.</summary>
    public static string LocalOf(string name, int u) => $"paraslm_u{u}_{name}";
}

/// <summary>One copy of the loop's body as lines: the statements before M, M's innermost statements, the statements after it.</summary>
public sealed record UnrollJamCopy(IReadOnlyList<CopiedLine> Pre, IReadOnlyList<CopiedLine> Body, IReadOnlyList<CopiedLine> Final);
