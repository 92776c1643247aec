namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// What the two forms that run a nest `for (i) for (j)` as strips of `j` over every row share: the row-column pipeline
/// (<see cref="RowColumnPipeline"/>) and the column strips of a fused nest (<see cref="ColumnStrips"/>). Each thread owns a
/// line-aligned strip of `j` and walks the rows `paraslm_p_i` over it; the bounds are evaluated once, before the region
/// (<see cref="Generation.PipelineEmitter.Bounds"/>).
/// </summary>
/// <param name="Counter">`i`'s name.</param>
/// <param name="CounterType">`i`'s type as written (the rows' counter `paraslm_p_i` has it, so `(paraslm_p_i + u)` has the type `i + u` had).</param>
/// <param name="Low">`i`'s first value (C text).</param>
/// <param name="End">`i`'s end, exclusive (C text).</param>
/// <param name="Inner">`j`'s name.</param>
/// <param name="InnerType">`j`'s type as written (the strips' loops declare `j` with it).</param>
/// <param name="InnerLow">`j`'s first value.</param>
/// <param name="InnerEnd">`j`'s end, exclusive.</param>
/// <param name="Align">Strip boundaries sit at multiples of this many `j` (a line of the smallest element the strips write).</param>
/// <param name="Line">`i`'s line.</param>
/// <param name="InnerLine">`j`'s line.</param>
/// <param name="FloatingPoint">A written element is floating point: the form runs under `PARASLM_EXACT_FP &amp;&amp; PARASLM_SAME_CONTRACTION`
/// (gcc in a GNU mode with FMA may contract the statements per code shape), the loop as written (or a fused edit's fallbacks) elsewhere.</param>
public abstract record StripNest(
    string Counter,
    string CounterType,
    string Low,
    string End,
    string Inner,
    string InnerType,
    string InnerLow,
    string InnerEnd,
    int Align,
    int Line,
    int InnerLine,
    bool FloatingPoint)
{
    /// <summary>Why it is legal, in words, for the report.</summary>
    public string Evidence { get; init; } = string.Empty;
}
