namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A matrix-product nest the analyzer proved may run as i-k-j, tiled, with the i tiles in parallel (fact on the
/// outermost loop): `for i, for j { [s = INIT | C[i][j] = INIT]; for k s += E (or C[i][j] += E); [C[i][j] = s;] }`.
/// Every text is the user's, copied verbatim (one line) from the source; the generator builds the tiled form from them.
/// </summary>
/// <param name="Counters">The names of the i, j and k counters.</param>
/// <param name="CounterTypes">Their declared types (spelled as in the source).</param>
/// <param name="Lows">Each loop's first value, as C text valid before the nest (invariant in it).</param>
/// <param name="Highs">Each loop's end (exclusive), as C text valid before the nest: `n` for `&lt; n`, `(n) + 1` for `&lt;= n`.</param>
/// <param name="Target">The element every (i, j) accumulates into, e.g. `C[i][j]`.</param>
/// <param name="Init">The value it starts from (`0.0`), or null when the sum starts from the element's own value.</param>
/// <param name="InitLine">Line of the statement that sets the starting value (0 when <paramref name="Init"/> is null).</param>
/// <param name="Addend">What each k adds, e.g. `A[i][k] * B[k][j]`.</param>
/// <param name="AddendLine">Line of the accumulating statement.</param>
/// <param name="Accumulate">`+=` or `= target +` (how the source adds: the generated form adds the same way).</param>
/// <param name="ElementSize">Bytes per element of the target (the tile sizes follow from it).</param>
/// <param name="ScalarAccumulator">The source sums in a scalar and stores it once: the generated form sums in the element
/// itself, which rounds the same only where the compiler evaluates floating point in the type itself
/// (`__FLT_EVAL_METHOD__ == 0`), so the generated code checks that macro and otherwise runs the original nest.</param>
/// <param name="FloatingPoint">The element type is floating point.</param>
public sealed record MatmulNest(
    IReadOnlyList<string> Counters,
    IReadOnlyList<string> CounterTypes,
    IReadOnlyList<string> Lows,
    IReadOnlyList<string> Highs,
    string Target,
    string? Init,
    int InitLine,
    string Addend,
    int AddendLine,
    string Accumulate,
    int ElementSize,
    bool ScalarAccumulator,
    bool FloatingPoint)
{
    /// <summary>The transform's name in plans, reports and the `paraslm plan --json` contract.</summary>
    public const string TransformName = "matmul-ikj-tiled";

    /// <summary>How <see cref="Init"/> sets the element: `=`, or an update of the element itself (`*=` in gemm's `C[i][j] *= beta`).</summary>
    public string InitOperator { get; init; } = "=";

    /// <summary>The source already runs j innermost (gemm's `for i { for j …; for k for j … }`): stride-1 as written, so
    /// the analyzer's plan tiles it only with a register block (<see cref="Block"/>): tiled one row at a time, PolyBench gemm
    /// ran 0.95x of serial gcc's CPU time on 1 thread even with its factor in a local, against 1.04x for the plain loop;
    /// with the 4x4 block its kernel took 0.154 s / 0.139 s against the plain loop's 0.215 s / 0.238 s (gcc / clang, LARGE,
    /// 1 thread, medians of 7 alternating runs). The transform stays legal for a plan that names it either way.</summary>
    public bool AlreadyIkj { get; init; }

    /// <summary>The addend's factor that j does not change (`alpha * A[i][k]`), computed once per (i, k) in a local before
    /// the `omp simd` j loop; null when there is none worth it.</summary>
    public MatmulFactor? Factor { get; init; }

    /// <summary>The register block of the micro-kernel (<see cref="MatmulBlock"/>), or null: one row and one k per `omp simd`
    /// loop, the element in memory.</summary>
    public MatmulBlock? Block { get; init; }

    /// <summary>Why the transform is legal, in words, for the report.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>Whether the generated code needs the `__FLT_EVAL_METHOD__ == 0` test (a floating scalar accumulator, a
    /// floating factor held in a local, or floating elements held in the register block's locals).</summary>
    public bool NeedsExactFloatingPoint => (ScalarAccumulator && FloatingPoint) || Factor is { FloatingPoint: true } || (Block is not null && FloatingPoint);

    /// <summary>Whether the generated code needs `PARASLM_SAME_CONTRACTION`: floating elements. gcc in a GNU mode with FMA
    /// (`-ffp-contract=fast`) decides per code shape whether `s + a*b` becomes an FMA: with `-std=gnu11 -march=znver2` it
    /// leaves the serial nest's register chain `sum += A[i][k] * B[k][j]` unfused (its tuning avoids FMA chains) and fuses
    /// the tiled form's `C[i][j] += f * B[k][j]`, so every element differed from serial in its last bits (the one-row form
    /// and the register block alike); `-march=x86-64-v3` happened to agree. There the nest as written runs.</summary>
    public bool NeedsSameContraction => FloatingPoint;
}
