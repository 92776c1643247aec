namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A fused nest with no row chain (<see cref="SiblingFusing"/>: gemver's `A[i][j] = A[i][j] + u1[i] * v1[j] + …` then
/// `x[j] = x[j] + beta * A[i][j] * y[i]`, the second nest transposed): element-wise statements that neither loop carries and
/// column sums carried by `i` only on one element of `j`. Thread c owns strip c of `j` (line-aligned) and walks every row
/// over it, so each column element gets all its rows in order on one thread and each element the first nest writes is
/// written before the same iteration's column statement reads it, on the same thread; no thread waits for another.
/// <code>
/// { bounds once; #pragma omp parallel [if(guard)]
///   { T = the team's size (at most 64 strips);
///     #pragma omp for schedule(static)
///     for (c = 0; c &lt; T; c++) { strip [s0, s1) of c;
///       for (p = lo; p &lt; hi; p++) #pragma omp simd for (j = s0; j &lt; s1; j++) { the first nest's statements; the second nest's } } } }
/// </code>
/// The strips' shared fields are <see cref="StripNest"/>'s.
/// </summary>
/// <param name="Body">The fused body, as written: the first nest's statements with `i` replaced by `paraslm_p_i`, then the second
/// nest's with its row counter replaced by `paraslm_p_i` and its column counter by `j`, each with its line.</param>
public sealed record ColumnStrips(
    string Counter,
    string CounterType,
    string Low,
    string End,
    string Inner,
    string InnerType,
    string InnerLow,
    string InnerEnd,
    int Align,
    IReadOnlyList<CopiedLine> Body,
    int Line,
    int InnerLine,
    bool FloatingPoint)
    : StripNest(Counter, CounterType, Low, End, Inner, InnerType, InnerLow, InnerEnd, Align, Line, InnerLine, FloatingPoint)
{
    /// <summary>The transform's name stem.</summary>
    public const string TransformName = "strips";

    /// <summary>The plan element's part: `strips(j)`.</summary>
    public string Name => $"{TransformName}({Inner})";

    /// <summary>The row counter of the form: `paraslm_p_i`.</summary>
    public static string RowOf(string counter) => $"paraslm_p_{counter}";
}
