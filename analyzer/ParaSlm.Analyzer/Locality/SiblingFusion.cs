namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Two sibling loop nests, adjacent in one compound statement, that run as one pass over their shared matrix
/// (<see cref="SiblingFusing"/>): the first nest `for (i) for (j) { row chains }` (mvt's `x1[i] = x1[i] + A[i][j] * y_1[j]`) and
/// the second nest, interchanged where its order is the transposed one (mvt's `x2[i] = x2[i] + A[j][i] * y_2[j]`, which becomes
/// `x2[j] = x2[j] + A[i][j] * y_2[i]` over the first nest's `i` and `j`), fused into one `i`-`j` iteration space and run as the
/// row-column pipeline (<see cref="RowColumnPipeline"/>): the first nest's statements are its row group, the second nest's its
/// column group. Where the first nest is element-wise instead (gemver's `A` update, which the second nest then reads at the
/// same element), the fused nest runs as column strips (<see cref="ColumnStrips"/>). The fact sits on the first nest; the
/// second gives up its own plan. The edit replaces both statements.
/// </summary>
/// <param name="SecondLoopId">The second nest's id.</param>
/// <param name="SecondLine">Its line.</param>
/// <param name="SecondStartOffset">Byte offset of its `for` keyword (the edit's range runs from the first nest's `for` to its end).</param>
/// <param name="SecondEndOffset">Byte offset where libclang says its statement ends.</param>
/// <param name="Transposed">The second nest runs interchanged: its outer counter walks the fused `j`, its inner one the fused `i`.</param>
/// <param name="Pipeline">The fused nest's pipeline: rows from the first nest, columns from the second (counters replaced); null
/// when the first nest has no row chain (then <see cref="Strips"/>).</param>
/// <param name="OverlapCheck">A C condition, valid before the first nest, that no two bases of the two nests (one written) overlap; null when proven statically.</param>
public sealed record SiblingFusion(
    string SecondLoopId,
    int SecondLine,
    int SecondStartOffset,
    int SecondEndOffset,
    bool Transposed,
    RowColumnPipeline? Pipeline,
    string? OverlapCheck)
{
    /// <summary>The fused nest as column strips where the first nest is element-wise (gemver's `A` update, no row chain): no waits.</summary>
    public ColumnStrips? Strips { get; init; }

    /// <summary>The fused nest's form: the pipeline or the column strips (private: not a field of the state file).</summary>
    private StripNest? Form => (StripNest?)Pipeline ?? Strips;

    /// <summary>The form's floating-point gate applies (a written element is floating point).</summary>
    public bool FloatingPoint => Form?.FloatingPoint ?? false;

    /// <summary>The strip counter's name (`j`).</summary>
    public string Inner => Form!.Inner;

    /// <summary>The transform's name stem.</summary>
    public const string TransformName = "fuse";

    /// <summary>The plan element on the first nest: `fuse(next)+pipeline(i,j)` (`fuse(next^T)` when the second nest is interchanged).</summary>
    public string Name => $"{TransformName}({(Transposed ? "next^T" : "next")})+{Pipeline?.Name ?? Strips!.Name}";

    /// <summary>Why it is legal, in words, for the report.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>The region's directive (before the cost guard): the form declares every counter it uses.</summary>
    public const string Directive = "omp parallel";
}
