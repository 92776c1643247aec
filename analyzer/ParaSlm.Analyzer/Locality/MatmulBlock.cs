namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// The register block of the tiled matrix product's micro-kernel: <see cref="Rows"/> rows of the target (i, i+1, …)
/// times <see cref="Steps"/> consecutive k, inside one `omp simd` j loop. Each vector of j loads the block's target
/// elements once into locals of the element's type, adds the Steps terms of every row in ascending k (one rounding per
/// term, the same statement `c += E` the source has), and stores them once; each B row segment loaded serves all Rows
/// rows. Today's one-row form loads and stores the target per term (load C, load B, multiply-add, store C); the block does
/// Rows·Steps terms per Rows + Steps loads and Rows stores.
/// </summary>
/// <remarks>
/// Exact because every element still receives its terms in ascending k: the block runs k0…k0+Steps-1 for its rows and
/// stores, the next block continues from the stored value, and the rows a block leaves over (a tile's last rows, a k
/// tile's last steps) run one term at a time in memory, after the blocks, in ascending k. A local of the element's type
/// rounds like the element only where `__FLT_EVAL_METHOD__ == 0` (the generated code's `PARASLM_EXACT_FP`). Measured
/// (matmul 1100², tiles 32x256x64, one thread, CPU time, medians of 5 alternating runs, gcc 12 / clang 19 `-O3`, shared
/// 2-core VM at load 6–8): one-row form 0.226 s / 0.319 s; 4x4 0.152 s / 0.165 s; 4x1 0.248 / 0.255; 1x4 0.246 / 0.198;
/// 2x4 0.173 / 0.174; 4x2 0.186 / 0.189; 8x4 0.174 / 0.174; 4x8 0.168 / 0.159 (second run, 4x4 0.158 / 0.173 there):
/// 4x4 wins or ties under both compilers (`/work/realcode/mm28/hand`).
/// </remarks>
/// <param name="Rows">Target rows per block (unroll-and-jam of i).</param>
/// <param name="Steps">Consecutive k per block, held in the locals between them.</param>
/// <param name="ElementType">The element's type (canonical spelling): the locals' type.</param>
public sealed record MatmulBlock(int Rows, int Steps, string ElementType)
{
    /// <summary>The block the measurements chose (see the remarks).</summary>
    public const int DefaultRows = 4, DefaultSteps = 4;

    /// <summary>How the report names it: `register block 4x4`.</summary>
    public string Name => $"register block {Rows}x{Steps}";

    /// <summary>The block for a target of this element type, or null where a local cannot be declared by the canonical
    /// spelling or would not hold the element exactly (long double: x87, no vectors; narrower integers: promoted).</summary>
    public static MatmulBlock? For(string canonicalElementType) => canonicalElementType is
        "double" or "float" or "int" or "unsigned int" or "long" or "unsigned long" or "long long" or "unsigned long long"
        ? new MatmulBlock(DefaultRows, DefaultSteps, canonicalElementType)
        : null;
}
