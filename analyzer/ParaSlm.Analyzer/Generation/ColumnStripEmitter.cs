using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The column-strip form of a fused nest with no row chain (<see cref="ColumnStrips"/>), line by line, each line with the
/// original line it maps to. The team's size is counted inside the region (an atomic increment and a barrier), as
/// <see cref="PipelineEmitter"/> does: no OpenMP header or symbol is needed, and compiled without OpenMP it runs one strip, the
/// whole of `j` in every row — the fused loop's own order.
/// </summary>
public static class ColumnStripEmitter
{
    /// <param name="directive">The region's pragma text after `#pragma ` (`omp parallel [if(…)]`).</param>
    public static IReadOnlyList<(int Line, string Code)> Lines(ColumnStrips s, string directive)
    {
        var line = s.Line;
        var j = s.Inner;
        var row = ColumnStrips.RowOf(s.Counter);
        var align = s.Align - 1;
        string Strip(string counter) => PipelineEmitter.StripStart(counter, align);
        List<(int, string)> lines =
        [
            (line, $"{{ /* ParaSlm {s.Name}: thread c walks every row over strip c of `{j}` */"),
            .. PipelineEmitter.Bounds(s),
            (line, "long long paraslm_p_t = 0;"),
            .. PipelineEmitter.TeamOfStrips(line, directive),
            (line, "for (long long paraslm_p_c = 0; paraslm_p_c < paraslm_p_tn; paraslm_p_c++) {"),
            (line, $"const long long paraslm_p_s0 = {Strip("paraslm_p_c")};"),
            (line, $"const long long paraslm_p_s1 = {Strip("paraslm_p_c + 1")};"),
            (line, $"for ({s.CounterType} {row} = ({s.CounterType})paraslm_p_lo; (long long){row} < paraslm_p_hi; {row}++)"),
            // The strip's `j` iterations are independent (the first nest's inner loop is parallel, each column element is its own
            // `j`, a read of the first nest's element follows its write in the same iteration): gcc vectorizes the fused body only
            // when told (its alias checks give up on this many bases; PolyBench gemver, 1 thread: 43.3 -> 35.0 ms). The condition
            // is OpenMP's canonical form: `s1` lies within the original bound, which `j`'s type holds.
            (s.InnerLine, "#pragma omp simd"),
            (s.InnerLine, $"for ({s.InnerType} {j} = ({s.InnerType})paraslm_p_s0; {j} < ({s.InnerType})paraslm_p_s1; {j}++) {{"),

        ];
        lines.AddRange(s.Body.Select(b => (b.Line, b.Code)));
        lines.Add((s.InnerLine, "}"));
        lines.Add((line, "}"));
        lines.Add((line, "} }"));
        return lines;
    }
}
