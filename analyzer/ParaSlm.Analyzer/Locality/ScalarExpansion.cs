namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A loop `j` (fact on it) whose body is a scalar's start, a small reduction nest that updates it, and the statements that
/// use it: `for (j) { T s = INIT; for (a) for (b) { … s … } FINAL(s); }`. It runs as
/// <code>
/// for each strip of j:  T x[STRIP];                     s kept per j (private to the thread: declared in the strip)
///   for (j in strip) x[j] = INIT;
///   for (a) for (b) { #pragma omp simd  for (j in strip) { … x[j] … } }   j innermost: stride-1, vectorizable
///   for (j in strip) { FINAL(x[j]); }
/// </code>
/// Every `x[j]` receives exactly the operations `s` received for that `j`, in the same order (no reassociation), so the
/// results are bit-identical; only operations of different `j` interleave, which the analyzer's proof that `j` carries no
/// dependence allows (<see cref="ScalarExpanding"/>). Every text is the user's, copied from the source, with `s` replaced by
/// its element (<see cref="ElementOf"/>); each has the line it came from, for `#line`. Statements before the nest that declare
/// nothing (`C[i][j] = 0;`) are copied as they are: an element in memory needs no expansion, only the new order.
/// </summary>
/// <param name="LoopId">The `j` loop's id.</param>
/// <param name="StartOffset">Byte offset of its `for` keyword.</param>
/// <param name="EndOffset">Byte offset just after its body's closing `}`.</param>
/// <param name="Counter">The name of `j`.</param>
/// <param name="CounterType">Its declared type, spelled as in the source.</param>
/// <param name="Low">Its first value, as C text valid before the loop (invariant in it).</param>
/// <param name="High">Its end (exclusive), as C text valid before the loop.</param>
/// <param name="Scalars">The scalars declared before the reduction nest, each kept per `j` (none: the nest accumulates in memory).</param>
/// <param name="Pre">The statements before the nest, with each scalar's declaration as a store to its element, each with its line.</param>
/// <param name="Headers">The reduction loops' headers as written, outermost first, each with its line.</param>
/// <param name="Body">The innermost reduction loop's statements with `s` replaced, each with its line.</param>
/// <param name="Final">The statements after the reduction nest with `s` replaced, each with its line.</param>
/// <param name="Simd">The `j` loop inside the reduction nest gets `#pragma omp simd` (no call in its body).</param>
/// <param name="RequiredCheck">The `j` loop's own run-time overlap check, which the parallel loop's check must contain (null: none).</param>
public sealed record ScalarExpansion(
    string LoopId,
    int Line,
    int Column,
    int StartOffset,
    int EndOffset,
    string Counter,
    string CounterType,
    string Low,
    string High,
    IReadOnlyList<ExpandedScalar> Scalars,
    IReadOnlyList<CopiedLine> Pre,
    IReadOnlyList<CopiedLine> Headers,
    IReadOnlyList<CopiedLine> Body,
    IReadOnlyList<CopiedLine> Final,
    bool Simd,
    string? RequiredCheck)
{
    /// <summary>The plan element's name in reports: `scalar-expand(sum,j)`.</summary>
    public const string TransformName = "scalar-expand";

    public string Name => $"{TransformName}({string.Join(",", Scalars.Select(x => x.Name).Append(Counter))})";

    /// <summary>An expanded scalar is floating point: the expanded form runs only where the compiler evaluates floating point
    /// in the type itself (`__FLT_EVAL_METHOD__ == 0`), where a scalar and an array element round alike.</summary>
    public bool FloatingPoint => Scalars.Any(x => x.FloatingPoint);

    /// <summary>The nests after the first, in order, each run like the first (its loops outside `j`, `j` innermost) and
    /// followed by its own statements for each `j` of the strip: `for (j) { P; R1; F1; R2; F2; }`.</summary>
    public IReadOnlyList<ExpansionNest> Following { get; init; } = [];

    /// <summary>Why it is legal and why it pays, in words.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>`for (int j = …)`: the form may declare `j` in each of its loops. False when `j` is declared before the
    /// loop (dead after it): the form then assigns that `j` and privatizes it, never declaring a second `j` that would
    /// shadow the user's (gcc's -Wshadow, found on opus's pitch analysis).</summary>
    public bool CounterDeclaredInHeader { get; init; } = true;

    /// <summary>Iterations of `j` per strip (<see cref="StripAlignment.StripIterations"/>) of the widest scalar; 256 where
    /// nothing is expanded.</summary>
    public int Strip => StripAlignment.StripIterations(Scalars.Count == 0 ? 8 : Scalars.Max(x => x.ElementSize));

    /// <summary>Elements of the written arrays per cache line (<see cref="StripAlignment"/>): where the strips are shared among
    /// threads they start at multiples of it; it divides <see cref="Strip"/> (both powers of two, this one at most 64).</summary>
    public int Align { get; init; } = 8;

    /// <summary>The first `j` of the current strip.</summary>
    public string StripStart => $"paraslm_x0_{Counter}";

    /// <summary>The array that holds a scalar per `j` of the strip.</summary>
    public static string ArrayOf(string scalar) => $"paraslm_x_{scalar}";

    /// <summary>What replaces a scalar in the copied statements: its element for the current `j`.</summary>
    public static string ElementOf(string scalar, string counter) => $"{ArrayOf(scalar)}[{counter} - paraslm_x0_{counter}]";
}

/// <summary>A later reduction nest of a scalar-expanded loop: its headers, its innermost statements, whether its `j` loop
/// gets `omp simd`, and the statements after it, each line with the line it came from.</summary>
public sealed record ExpansionNest(IReadOnlyList<CopiedLine> Headers, IReadOnlyList<CopiedLine> Body, bool Simd, IReadOnlyList<CopiedLine> Final);

/// <summary>A scalar kept per `j`: its name, its type as spelled in the source, and its size in bytes.</summary>
public sealed record ExpandedScalar(string Name, string Type, int ElementSize, bool FloatingPoint);

/// <summary>A line of the user's code as the generated form uses it, and the original line it maps to.</summary>
public sealed record CopiedLine(int Line, string Code);
