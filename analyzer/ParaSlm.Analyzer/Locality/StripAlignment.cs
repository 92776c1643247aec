using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Where a strip form shares its strips among threads (`omp parallel for` over strips of a counter `j`), its boundaries sit
/// at absolute values of `j` that are multiples of a cache line's worth of elements of the arrays the loop writes: where
/// the written rows start on a line (PolyBench's arrays, any row whose length is a multiple of the line), no two threads
/// then write one line, so no line moves between cores at every strip boundary of every row. Measured on PolyBench
/// gramschmidt (M=430, N=520; the strips start at `k + 1`): two threads took 67 ms against 35 ms on one with unaligned
/// strips, 55 ms with strips starting at multiples of 8 doubles (a cross-core line round trip measured 446 ns on that VM).
/// Only the strips regroup: each iteration runs exactly as before, so the results stay bit-identical.
/// </summary>
public static class StripAlignment
{
    /// <summary>The cache line assumed (x86-64 and most AArch64 cores).</summary>
    public const int LineBytes = 64;

    /// <summary>Elements of the smallest element type the statement writes through memory (a subscript or `*p`) per line,
    /// a power of two from 4 (16-byte elements) to 64 (bytes); 8 when it writes no element (doubles assumed).</summary>
    public static int ElementsPerLine(SyntaxNode statement)
    {
        var sizes = NestSyntax.Writes(statement).Select(w => w.StripParensAndCasts())
            .Where(w => w.Kind == NodeKind.Subscript || w is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Deref })
            .Select(w => Math.Clamp(MatmulRecognizer.ElementSize(w.Type), 1, 16)).ToList();
        return LineBytes / (sizes.Count == 0 ? 8 : sizes.Min());
    }

    /// <summary>Iterations per strip of a strip form: 2 KiB of <paramref name="elementBytes"/>-byte elements, a sixteenth of a
    /// 32 KiB L1 data cache (so a strip stays in L1 beside the rows it reads), never fewer than 64.</summary>
    public static int StripIterations(int elementBytes) => Math.Max(64, 2048 / Math.Clamp(elementBytes, 1, 16));

    /// <summary>The strips a parallel level is cut into where 2 KiB strips would give fewer than two: one per thread of the
    /// planner's assumed team (<c>AnalyzerPlanner.AssumedThreads</c>), so the count stays a multiple of it where the level allows.</summary>
    public const int NarrowedStrips = 4;

    /// <summary>
    /// <see cref="StripIterations(int)"/> for a parallel level of <paramref name="trips"/> iterations (null: known only at run
    /// time, kept): where that width would give fewer than 2 strips (one thread doing all the work in a region entered on every
    /// pass: TSVC_2's 256×256 nests were one strip of 512 or 256), the level's <see cref="NarrowedStrips"/>th, rounded up to
    /// <paramref name="align"/> so strips still start on lines. A level of at most <paramref name="align"/> iterations stays
    /// one strip (<see cref="Count"/>); the planner keeps such a nest serial. Levels long enough for 2 strips keep 2 KiB strips.
    /// </summary>
    public static int StripIterations(int elementBytes, long? trips, int align)
    {
        var width = StripIterations(elementBytes);
        if (trips is not { } t || t >= 2L * width) return width;
        var share = (Math.Max(1, t) + NarrowedStrips - 1) / NarrowedStrips;
        var aligned = (share + align - 1) / align * align;
        return (int)Math.Clamp(aligned, Math.Max(1, align), width);
    }

    /// <summary>Strips of <paramref name="width"/> over <paramref name="trips"/> iterations (at least 1).</summary>
    public static long Count(long trips, int width) => Math.Max(1, (trips + width - 1) / Math.Max(1, width));

    /// <summary>C text: the largest multiple of <paramref name="align"/> (a power of two) at or below <paramref name="low"/>,
    /// a `long long` expression (two's complement: `&amp;` rounds a negative value down too).</summary>
    public static string AlignedDown(string low, int align) => $"(({low}) & ~{align - 1}LL)";
}
