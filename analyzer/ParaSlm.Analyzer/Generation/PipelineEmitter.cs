using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The row-column pipeline of a distributed loop (<see cref="RowColumnPipeline"/>), line by line, each line with the original
/// line it maps to (the rewriter puts `#line` directives where the mapping jumps). The team's size is counted inside the region
/// (an atomic increment and a barrier) rather than asked of the runtime: the copy then needs no OpenMP header or symbol, and
/// compiled without OpenMP it runs one strip, every block in order — the loop's own order. The wait is a per-strip progress
/// counter (`omp atomic read/write seq_cst`, OpenMP 4.0), not doacross: as fast by hand, and ThreadSanitizer (validation's tsan
/// variant, clang with Archer) sees the atomics' order, where it reported the doacross-ordered accesses as races.
/// </summary>
public static class PipelineEmitter
{
    /// <param name="directive">The region's pragma text after `#pragma ` (`omp parallel private(i, j) [if(…)]`).</param>
    public static IReadOnlyList<(int Line, string Code)> Lines(RowColumnPipeline p, string directive)
    {
        var line = p.Line;
        var (i, j) = (p.Counter, p.Inner);
        var row = $"paraslm_p_{i}";
        var align = p.Align - 1;
        string Strip(string counter) => StripStart(counter, align);
        List<(int, string)> lines =
        [
            (line, $"{{ /* ParaSlm {p.Name}: one pass over the rows, thread c running strip c of `{j}` after strip c - 1 in each block of {RowColumnPipeline.Block} rows */"),
            .. Bounds(p),
            (line, $"const long long paraslm_p_nb = paraslm_p_hi > paraslm_p_lo ? (paraslm_p_hi - paraslm_p_lo + {RowColumnPipeline.Block - 1}) / {RowColumnPipeline.Block} : 0;"),
            (line, "long long paraslm_p_t = 0;"),
            (line, $"long long paraslm_p_done[{RowColumnPipeline.Pad} * {RowColumnPipeline.MaxStrips}] = {{0}};"),
            // gcc 12 counts the reads under `omp atomic read` as no use (-Wunused-but-set-variable, an error under -Werror).
            (line, "(void)paraslm_p_done;"),
            .. TeamOfStrips(line, directive),
            (line, "for (long long paraslm_p_c = 0; paraslm_p_c < paraslm_p_tn; paraslm_p_c++)"),
            (line, "for (long long paraslm_p_b = 0; paraslm_p_b < paraslm_p_nb; paraslm_p_b++) {"),
            // Wait until strip c - 1 finished block b: its counter, read atomically (seq_cst orders the block's writes before it).
            (line, "if (paraslm_p_c > 0) for (;;) {"),
            (line, "long long paraslm_p_seen;"),
            (line, "#pragma omp atomic read seq_cst"),
            (line, $"paraslm_p_seen = paraslm_p_done[{RowColumnPipeline.Pad} * (paraslm_p_c - 1)];"),
            (line, "if (paraslm_p_seen > paraslm_p_b) break;"),
            (line, "}"),
            (line, $"const long long paraslm_p_s0 = {Strip("paraslm_p_c")};"),
            (line, $"const long long paraslm_p_s1 = {Strip("paraslm_p_c + 1")};"),
            (line, $"const long long paraslm_p_r0 = paraslm_p_lo + paraslm_p_b * {RowColumnPipeline.Block};"),
            (line, $"const long long paraslm_p_r1 = paraslm_p_r0 + {RowColumnPipeline.Block} < paraslm_p_hi ? paraslm_p_r0 + {RowColumnPipeline.Block} : paraslm_p_hi;"),
            (line, $"{p.CounterType} {row} = ({p.CounterType})paraslm_p_r0;"),
            (line, $"for (; (long long){row} + {RowColumnPipeline.Factor} <= paraslm_p_r1; {row} += {RowColumnPipeline.Factor}) {{"),

        ];
        void Rows(int copies)
        {
            lines.Add((line, "if (paraslm_p_c == 0) {"));
            for (var u = 0; u < copies; u++) lines.AddRange(p.Pre[u].Select(s => (s.Line, s.Code)));
            lines.Add((line, "}"));
            lines.Add((p.InnerLine, "{"));
            for (var u = 0; u < copies; u++) lines.AddRange(p.Rows.Load[u].Select(s => (s.Line, s.Code)));
            lines.Add((p.InnerLine, $"for ({p.InnerType} {j} = ({p.InnerType})paraslm_p_s0; (long long){j} < paraslm_p_s1; {j}++) {{"));
            for (var u = 0; u < copies; u++)
            {
                lines.Add((p.InnerLine, "{"));
                lines.AddRange(p.Rows.Body[u].Select(s => (s.Line, s.Code)));
                lines.Add((p.InnerLine, "}"));
            }
            lines.Add((p.InnerLine, "}"));
            for (var u = 0; u < copies; u++) lines.AddRange(p.Rows.Store[u].Select(s => (s.Line, s.Code)));
            lines.Add((p.InnerLine, "}"));
            // The column statements of the same rows, from cache: every element of a strip gets its rows in order.
            lines.Add((p.InnerLine, $"for ({p.InnerType} {j} = ({p.InnerType})paraslm_p_s0; (long long){j} < paraslm_p_s1; {j}++) {{"));
            for (var u = 0; u < copies; u++)
            {
                lines.Add((p.InnerLine, "{"));
                lines.AddRange(p.Columns[u].Select(s => (s.Line, s.Code)));
                lines.Add((p.InnerLine, "}"));
            }
            lines.Add((p.InnerLine, "}"));
        }
        Rows(RowColumnPipeline.Factor);
        lines.Add((line, "}"));
        lines.Add((line, $"for (; (long long){row} < paraslm_p_r1; {row}++) {{"));
        Rows(1);
        lines.Add((line, "}"));
        lines.Add((line, "#pragma omp atomic write seq_cst"));
        lines.Add((line, $"paraslm_p_done[{RowColumnPipeline.Pad} * paraslm_p_c] = paraslm_p_b + 1;"));
        lines.Add((line, "}"));
        lines.Add((line, "} }"));
        return lines;
    }

    /// <summary>The region's row range and the strips' column range, evaluated once before the region.</summary>
    internal static IEnumerable<(int, string)> Bounds(StripNest s) =>
    [
        (s.Line, $"const long long paraslm_p_lo = (long long)({s.Low}), paraslm_p_hi = (long long)({s.End});"),
        (s.InnerLine, $"const long long paraslm_p_jlo = (long long)({s.InnerLow}), paraslm_p_jn = (long long)({s.InnerEnd}) > paraslm_p_jlo ? (long long)({s.InnerEnd}) - paraslm_p_jlo : 0;"),
    ];

    /// <summary>The region, the team's size counted rather than asked of the runtime (no OpenMP header or symbol: without
    /// OpenMP one strip runs, in the loop's own order), at most <see cref="RowColumnPipeline.MaxStrips"/> strips, and the
    /// `omp for` that gives each thread one of them; `paraslm_p_t` is declared before it.</summary>
    internal static IEnumerable<(int, string)> TeamOfStrips(int line, string directive) =>
    [
        (line, "#pragma " + directive),
        (line, "{"),
        (line, "#pragma omp atomic"),
        (line, "paraslm_p_t++;"),
        (line, "#pragma omp barrier"),
        (line, $"const long long paraslm_p_tn = paraslm_p_t < {RowColumnPipeline.MaxStrips} ? paraslm_p_t : {RowColumnPipeline.MaxStrips};"),
        (line, "#pragma omp for schedule(static)"),
    ];

    /// <summary>The first `j` of strip <paramref name="counter"/> of `paraslm_p_tn` over [`paraslm_p_jlo`, + `paraslm_p_jn`):
    /// an even share, rounded down to a multiple of <paramref name="alignMask"/> + 1 elements (a line of the written
    /// column element), never below the range's start; the last strip ends at the range's end. Shared by the column-strip form.</summary>
    internal static string StripStart(string counter, int alignMask)
    {
        var c = $"({counter})";
        return
            $"{c} == 0 ? paraslm_p_jlo : {c} >= paraslm_p_tn ? paraslm_p_jlo + paraslm_p_jn : " +
            $"(((paraslm_p_jlo + paraslm_p_jn * {c} / paraslm_p_tn) & ~{alignMask}LL) > paraslm_p_jlo ? ((paraslm_p_jlo + paraslm_p_jn * {c} / paraslm_p_tn) & ~{alignMask}LL) : paraslm_p_jlo)";
    }
}
