namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A distributed loop (<see cref="LoopDistribution"/>) of exactly two groups over one inner loop — a row group that `i` does
/// not carry (bicg's `q[i] = 0; q[i] += A[i][j] * p[j]`: chains along `j`) and a column group that `i` carries only on the
/// same element of `j` (bicg's `s[j] += r[i] * A[i][j]`) — that may instead run as one pass over the rows, pipelined across
/// column strips (<see cref="RowColumnPipelining"/>): thread `c` of `T` owns the strip `c` of `j` (line-aligned), walks every
/// row block in order, and runs row block `b` after strip `c - 1` finished it (a per-strip progress counter, `omp atomic`). Each row's chain gets its
/// strips in `j` order, each column element all its rows in `i` order, on one thread: the same operations in the same order as
/// the loop as written. The distributed form reads an array both groups sweep twice (once per group); this form once.
/// <code>
/// { bounds once; done[] = 0; #pragma omp parallel [private(…)] [if(guard)]
///   { T = the team's size (at most 64 strips);
///     #pragma omp for schedule(static)
///     for (c = 0; c &lt; T; c++) for (b = 0; b &lt; blocks; b++) {
///       if (c &gt; 0) wait until done[c - 1] &gt; b (#pragma omp atomic read seq_cst);
///       strip [j0, j1) of c; rows [r0, r1) of b;
///       for (p = r0; p + 4 &lt;= r1; p += 4) {
///         if (c == 0) { the row statements before `j`, copies 0..3 }
///         { accumulators = the 4 rows' elements; for (j in strip) { the row chains, copies 0..3 }; elements = accumulators; }
///         for (j in strip) { the column statements, copies 0..3 }
///       }
///       for (; p &lt; r1; p++) { the same, copy 0 alone }
///       done[c] = b + 1 (#pragma omp atomic write seq_cst);
///     } } }
/// </code>
/// The strips' shared fields are <see cref="StripNest"/>'s.
/// </summary>
/// <param name="Pre">Per copy u: the row group's statements before `j`, with `i` replaced by `(paraslm_p_i + u)`.</param>
/// <param name="Rows">The row chains in accumulators, per copy (<see cref="JamAccumulating"/>'s proof, over the copies above).</param>
/// <param name="Columns">Per copy u: the column group's statements.</param>
public sealed record RowColumnPipeline(
    string Counter,
    string CounterType,
    string Low,
    string End,
    string Inner,
    string InnerType,
    string InnerLow,
    string InnerEnd,
    int Align,
    IReadOnlyList<IReadOnlyList<CopiedLine>> Pre,
    JamAccumulators Rows,
    IReadOnlyList<IReadOnlyList<CopiedLine>> Columns,
    int Line,
    int InnerLine,
    bool FloatingPoint)
    : StripNest(Counter, CounterType, Low, End, Inner, InnerType, InnerLow, InnerEnd, Align, Line, InnerLine, FloatingPoint)
{
    /// <summary>The transform's name stem; the plan names the whole <see cref="Name"/>.</summary>
    public const string TransformName = "pipeline";

    /// <summary>Rows per group (the chains' unroll-and-jam): 4 independent chains, as <see cref="UnrollJam.DefaultFactor"/>.</summary>
    public const int Factor = 4;

    /// <summary>Rows per pipeline step: 64 rows of a strip (PolyBench mvt/bicg by hand: 64 ran as fast as 32 and 128, and keeps
    /// the pipeline's fill, T - 1 steps, small against N / 64 steps).</summary>
    public const int Block = 64;

    /// <summary>Strips at most (threads beyond run none): the progress counters are a fixed array on the stack.</summary>
    public const int MaxStrips = 64;

    /// <summary>Counters per 64-byte line apart: each strip's counter on a line of its own.</summary>
    public const int Pad = 8;

    /// <summary>The plan element: `pipeline(i,j)`.</summary>
    public string Name => $"{TransformName}({Counter},{Inner})";

    /// <summary>The row counter of a copy: `(paraslm_p_i + u)`.</summary>
    public static string RowOf(string counter, int u) => $"(paraslm_p_{counter} + {u})";
}
