using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ParaSlm.Evaluation;

/// <summary>Renders an <see cref="EvaluationReport"/>: the comparison table (stdout), report.md, report.html, report.json and speedups.svg.</summary>
public static class EvaluationReportWriter
{
    public const string MarkdownFile = "report.md", HtmlFile = "report.html", JsonFile = EvaluationReport.JsonFile, ChartFile = "speedups.svg";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(EvaluationReport r) => JsonSerializer.Serialize(r, Json);

    /// <summary>Writes the four files into <paramref name="outDir"/>.</summary>
    public static void WriteAll(EvaluationReport r, string outDir)
    {
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, JsonFile), ToJson(r) + "\n");
        var svg = SpeedupChart.Render(r);
        File.WriteAllText(Path.Combine(outDir, ChartFile), svg);
        File.WriteAllText(Path.Combine(outDir, MarkdownFile), Markdown(r, outDir));
        File.WriteAllText(Path.Combine(outDir, HtmlFile), Html(r, svg));
    }

    // ---- the comparison table --------------------------------------------------------------------

    /// <summary>Kernels × variants speedups, the baseline, checksum agreement and the geomean row; footnotes carry every reason.</summary>
    public static (TextTable Table, List<string> Footnotes) SpeedupTable(EvaluationReport r, bool times = false)
    {
        var variants = r.Variants.Select(v => v.Name).ToList();
        var headers = new List<string> { "kernel", "baseline" };
        headers.AddRange(variants);
        headers.Add(r.Kind == EvaluationReport.ProjectSuite ? "outputs" : "checksums");
        var table = new TextTable(headers, headers.Select((_, i) => i >= 1 && i <= variants.Count + 1).ToList());
        // One footnote per distinct reason, naming every cell it applies to.
        var reasons = new List<(string Reason, List<string> Where)>();
        string Note(string where, string reason)
        {
            var i = reasons.FindIndex(x => x.Reason == reason);
            if (i < 0) { reasons.Add((reason, [])); i = reasons.Count - 1; }
            if (!reasons[i].Where.Contains(where)) reasons[i].Where.Add(where);
            return $"[{i + 1}]";
        }

        foreach (var k in r.Kernels)
        {
            var row = new List<string> { k.Name, k.BaselineSeconds is { } b ? $"{b:F3} s {Short(k.Baseline)}" : "none" };
            foreach (var v in variants)
            {
                var c = k.Cells.First(x => x.Variant == v);
                row.Add(c.Status switch
                {
                    CellStatus.Ok => times ? $"{c.Median:F3}" : $"{c.Speedup:F2}x",
                    CellStatus.ChecksumDiffers => (times ? $"{c.Median:F3}" : $"{c.Speedup:F2}x") + " ✗" + Note($"{v} × {k.Name}", c.Reason ?? ""),
                    CellStatus.NoBaseline => (times ? $"{c.Median:F3}" : "?") + Note(k.Name, c.Reason ?? ""),
                    _ => (c.Status == CellStatus.Unavailable ? "n/a" : "failed") + Note(Where(r, v, c), $"{c.Status}: {c.Reason}"),
                });
            }
            var ran = k.Cells.Where(c => c.ChecksumAgrees is not null).ToList();
            var differ = ran.Where(c => c.ChecksumAgrees == false).Select(c => c.Variant).ToList();
            row.Add(ran.Count == 0 ? "none ran" : differ.Count == 0 ? $"agree ({ran.Count}/{ran.Count})" : $"DIFFER: {string.Join(", ", differ)}");
            table.Add([.. row]);
        }
        if (!times)
        {
            var geo = new List<string> { "**geomean**", "" };
            foreach (var v in variants)
            {
                var g = r.GeoMeans.First(x => x.Variant == v);
                geo.Add(g.Speedup is { } s ? $"**{s:F2}x**" + (g.Kernels < g.Of ? $" ({g.Kernels}/{g.Of})" : "") : "—");
            }
            geo.Add("");
            table.Add([.. geo]);
        }
        return (table, reasons.Select(x => $"{string.Join(", ", x.Where)}: {x.Reason}").ToList());
    }

    /// <summary>The variant alone when the same reason applies to all its kernels (e.g. Polly missing), else variant × kernel.</summary>
    private static string Where(EvaluationReport r, string variant, Cell c)
    {
        var all = r.Kernels.Select(k => k.Cells.First(x => x.Variant == variant)).ToList();
        return all.All(x => x.Reason == c.Reason && x.Status == c.Status)
            ? (r.Kernels.Count == 1 ? $"{variant} × {r.Kernels[0].Name}" : $"{variant} (all kernels)")
            : $"{variant} × {r.Kernels.First(k => k.Cells.Contains(c)).Name}";
    }

    private static string Short(string? variant) => variant switch
    {
        Variants.SerialGcc => "gcc",
        Variants.SerialClang => "clang",
        _ => variant ?? "",
    };

    public static string CalibrationLine(EvaluationReport r) => (r.Calibration.Speedup is { } s
        ? $"machine ceiling: a perfectly parallel compute loop runs {s:F2}x faster on {r.Threads} threads than on 1 " +
          $"({r.Calibration.OneThreadSeconds:F3} s vs {r.Calibration.ManyThreadSeconds:F3} s, medians, measured alternately with the kernels)"
        : $"machine ceiling: not measured ({r.Calibration.Unavailable})") +
        (r.Machine.LoadAverageBefore is { } before ? $"; load average {before:F1} before, {r.Machine.LoadAverageAfter:F1} after, on {r.Machine.LogicalCores} logical cores" : "");

    /// <summary>" (15 for bfs, dijkstra: their times spread more than 15% in the first 5)", or nothing when no kernel ran extra rounds.</summary>
    private static string ExtraRoundsText(EvaluationReport r) =>
        new ExtraRounds(r.Runs, r.MaxRuns ?? r.Runs).Describe(r.ExtraRoundKernels) is { Length: > 0 } text ? $" ({text})" : string.Empty;

    /// <summary>What the command prints: the table, the reasons, the geomean note, the calibration line, the scaling table.</summary>
    public static string ConsoleText(EvaluationReport r, string outDir)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"## Speedup over the faster serial build, {r.Threads} threads, median of {r.Runs} alternating runs{ExtraRoundsText(r)}\n\n");
        var (table, notes) = SpeedupTable(r);
        sb.Append(table.ToMarkdown()).Append('\n');
        foreach (var (n, i) in notes.Select((n, i) => (n, i))) sb.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {n}\n");
        if (notes.Count > 0) sb.Append('\n');
        sb.Append(CalibrationLine(r)).Append('\n');
        foreach (var line in NeverSlowerCheck.Lines(r)) sb.Append("never slower: ").Append(line).Append('\n');
        if (r.OutputRule is null)
            sb.Append("checksums: compared with the serial baseline's, floating point within relative 1e-9, integers exactly; geomean over the kernels where the variant ran and agreed.\n");
        else
            sb.Append(CultureInfo.InvariantCulture, $"time: {r.TimeRule}. outputs: {r.OutputRule}; geomean over the programs where the variant ran and agreed.\n");
        if (r.Kind == EvaluationReport.ProjectSuite)
            sb.Append("\n## Fastest build per program\n\n").Append(BestPerProgram(r).ToMarkdown());
        if (r.Comparisons.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n## ParaSlm against each peer (same compiler; win/loss = median time more than {(EvaluationRunner.TieBand - 1) * 100:F0}% lower/higher)\n\n");
            sb.Append(ComparisonTable(r).ToMarkdown());
        }
        if (r.Scaling is not null) sb.Append('\n').Append(ScalingMarkdown(r.Scaling));
        if (r.Models is not null) sb.Append('\n').Append(ModelsMarkdown(r.Models));
        sb.Append(CultureInfo.InvariantCulture, $"\nreport: {Path.Combine(outDir, MarkdownFile)} (chart {ChartFile}, {HtmlFile}, {JsonFile}); {r.WallSeconds:F0} s in all\n");
        return sb.ToString();
    }

    // ---- report.md -------------------------------------------------------------------------------

    public static string Markdown(EvaluationReport r, string outDir)
    {
        var sb = new StringBuilder();
        sb.Append("# ParaSlm evaluation\n\n");
        var unit = r.Kind == EvaluationReport.ProjectSuite ? "programs" : "kernels";
        sb.Append(CultureInfo.InvariantCulture, $"Suite {(r.SuiteName is null ? "" : r.SuiteName + ", ")}`{r.Suite}`, {r.Kernels.Count} {unit}; {r.Date:yyyy-MM-dd HH:mm} UTC; {r.Machine.Cpu}, {r.Machine.LogicalCores} logical cores, {r.Machine.Os}. ");
        sb.Append(CultureInfo.InvariantCulture, $"{r.Threads} threads (OMP_NUM_THREADS), {r.Runs} alternating runs per kernel and variant{ExtraRoundsText(r)} (round-robin, the variant order rotated each run), medians. ");
        sb.Append(EvaluationReport.SpeedupDefinition).Append(".\n\n");
        sb.Append(CalibrationLine(r)).Append(".\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"![speedup per kernel and variant]({ChartFile})\n\n");

        sb.Append("## Speedups\n\n");
        var (table, notes) = SpeedupTable(r);
        sb.Append(table.ToMarkdown()).Append('\n');
        foreach (var (n, i) in notes.Select((n, i) => (n, i))) sb.Append(CultureInfo.InvariantCulture, $"{i + 1}. {n}\n");
        if (notes.Count > 0) sb.Append('\n');
        sb.Append(r.OutputRule is null
            ? "✗: checksum differs from the serial baseline (floating point: relative 1e-9; integers: exact)."
            : $"Time: {r.TimeRule}. ✗: an output differs from the reference (reason in the note); {r.OutputRule}.");
        sb.Append(" n/a: the variant cannot be built here; failed: the build or run failed (reason in the note).\n\n");
        if (r.Kind == EvaluationReport.ProjectSuite) sb.Append("## Fastest build per program\n\n").Append(BestPerProgram(r).ToMarkdown()).Append('\n');

        sb.Append("## Median kernel times (s)\n\n");
        sb.Append(SpeedupTable(r, times: true).Table.ToMarkdown()).Append('\n');

        sb.Append("## ParaSlm against each peer (same compiler)\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"A kernel is a win (loss) when ParaSlm's median time is more than {(EvaluationRunner.TieBand - 1) * 100:F0}% lower (higher) than the peer's. Ratio: geomean of peer time / ParaSlm time over the kernels where both ran and agreed.\n\n");
        sb.Append(ComparisonTable(r).ToMarkdown()).Append('\n');
        var neverSlower = NeverSlowerCheck.Lines(r).ToList();
        if (neverSlower.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Never slower: each ParaSlm build against its own compiler's serial build (serial median / ParaSlm median; below {NeverSlowerCheck.Floor:F2}x counts as slower):\n\n");
            foreach (var line in neverSlower) sb.Append("- ").Append(line).Append('\n');
            sb.Append('\n');
        }

        var paraslm = r.Kernels.Select(k => (k.Name, Note: k.Cells.FirstOrDefault(c => c.Variant == "paraslm-gcc")?.Note)).Where(x => x.Note is not null).ToList();
        if (paraslm.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"ParaSlm's decisions (strategy `{r.ParaSlmStrategy}`, cache off; loops of the whole file, including input setup and checksum loops outside the timed region): ");
            sb.Append(string.Join("; ", paraslm.Select(x => $"{x.Name} {x.Note}"))).Append(". ");
            sb.Append(r.Kind == EvaluationReport.ProjectSuite
                ? "The engine's own report (every loop, decision and reason) is `paraslm/<variant>/report/paraslm-report.md` under the output folder.\n\n"
                : "The engine's own report (every loop, decision and reason) is `paraslm/default/report/paraslm-report.md` under the output folder.\n\n");
        }

        if (r.Scaling is not null) sb.Append(ScalingMarkdown(r.Scaling)).Append('\n');
        if (r.Models is not null) sb.Append(ModelsMarkdown(r.Models)).Append('\n');

        sb.Append("## Variants\n\n");
        var vt = new TextTable(["variant", "what", "compiler", "flags (plus -std=c11 / -std=c++17)", "available"]);
        foreach (var v in r.Variants) vt.Add(v.Name, v.Description, $"{Path.GetFileName(v.Compiler)} ({v.CompilerVersion ?? "?"})", v.Flags, v.Unavailable is null ? "yes" : "no: " + v.Unavailable);
        sb.Append(vt.ToMarkdown()).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"Build logs: `logs/<variant>/<kernel>.log` under `{outDir}`; binaries: `bin/<variant>/`. Compile commands for the engine: {(r.CompileCommands is null ? "the evaluation's own flags" : "`" + r.CompileCommands + "`")}.\n");
        return sb.ToString();
    }

    /// <summary>
    /// A project suite: per program, the fastest build, ParaSlm's better build (gcc or clang) against the better of
    /// gcc-autopar and Polly, and their geomeans over the programs where both sides ran and agreed.
    /// </summary>
    public static TextTable BestPerProgram(EvaluationReport r)
    {
        var t = new TextTable(["program", "fastest", "ParaSlm (better of gcc/clang)", "best peer (autopar/Polly)", "ParaSlm / best peer"], [false, false, true, true, true]);
        var paraslm = new List<double>();
        var peers = new List<double>();
        foreach (var k in r.Kernels)
        {
            var ok = k.Cells.Where(c => c.Status == CellStatus.Ok && c.Speedup is > 0).ToList();
            var fastest = ok.OrderByDescending(c => c.Speedup).FirstOrDefault();
            var p = ok.Where(c => c.Variant.StartsWith("paraslm-", StringComparison.Ordinal)).OrderByDescending(c => c.Speedup).FirstOrDefault();
            var q = ok.Where(c => c.Variant is "gcc-autopar" or "clang-polly").OrderByDescending(c => c.Speedup).FirstOrDefault();
            if (p is not null && q is not null) { paraslm.Add(p.Speedup!.Value); peers.Add(q.Speedup!.Value); }
            t.Add(k.Name, fastest is null ? "—" : $"{fastest.Variant} {fastest.Speedup:F2}x",
                p is null ? "—" : $"{p.Speedup:F2}x {p.Variant}", q is null ? "—" : $"{q.Speedup:F2}x {q.Variant}",
                p is null || q is null ? "—" : $"{p.Speedup / q.Speedup:F2}");
        }
        if (paraslm.Count > 0)
            t.Add($"**geomean** ({paraslm.Count} programs)", "", $"**{Stats.GeoMean(paraslm):F2}x**", $"**{Stats.GeoMean(peers):F2}x**", $"**{Stats.GeoMean(paraslm) / Stats.GeoMean(peers):F2}**");
        return t;
    }

    public static TextTable ComparisonTable(EvaluationReport r)
    {
        var t = new TextTable(["ParaSlm build", "peer", "ratio", "ParaSlm faster", "peer faster", "within ±10%"], [false, false, true, false, false, false]);
        foreach (var c in r.Comparisons)
            t.Add(c.ParaSlm, c.Peer, c.GeoMeanRatio is { } g ? $"{g:F2}" : "—", List(c.Wins), List(c.Losses), List(c.Ties));
        return t;
        static string List(IReadOnlyList<string> xs) => xs.Count == 0 ? "—" : string.Join(", ", xs);
    }

    public static string ScalingMarkdown(ScalingReport s)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"## Scaling: {s.Kernel} (expert OpenMP version, {s.Compiler})\n\n");
        if (s.Unavailable is not null) return sb.Append("not run: ").Append(s.Unavailable).Append('\n').ToString();
        var headers = new List<string> { "N", "serial" };
        headers.AddRange(s.Threads.Select(t => t == 1 ? "1 thread" : $"{t} threads"));
        headers.Add("checksums");
        var t = new TextTable(headers, headers.Select((_, i) => i > 0 && i < headers.Count - 1).ToList());
        foreach (var n in s.Sizes)
        {
            var row = new List<string> { n.ToString(CultureInfo.InvariantCulture) };
            foreach (var th in new[] { 0 }.Concat(s.Threads))
            {
                var c = s.Cells.FirstOrDefault(x => x.Size == n && x.Threads == th);
                row.Add(c is null ? "" : c.Median is { } m ? (th == 0 ? $"{m:F3} s" : $"{m:F3} s ({c.Speedup:F2}x)") : "failed: " + c.Reason);
            }
            var cells = s.Cells.Where(x => x.Size == n && x.Threads > 0 && x.ChecksumAgrees is not null).ToList();
            row.Add(cells.Count == 0 ? "—" : cells.All(x => x.ChecksumAgrees == true) ? "agree" : "DIFFER");
            t.Add([.. row]);
        }
        sb.Append(t.ToMarkdown());
        sb.Append("\nSerial: the same source without -fopenmp. Speedup: serial median / OpenMP median at the same N. More threads than cores oversubscribe the machine.\n");
        return sb.ToString();
    }

    public static string ModelsMarkdown(IReadOnlyList<ModelCell> models)
    {
        var sb = new StringBuilder("## Models × strategies\n\n");
        var t = new TextTable(["model", "strategy", "nests", "answered", "invalid", "accepted", "repaired", "unsafe", "= analyzer", "not asked", "latency s", "checksums agree", "speedup (geomean)", "vs analyzer"],
            [false, false, true, true, true, true, true, true, true, true, true, true, true, true]);
        var reasons = new List<string>();
        foreach (var m in models)
        {
            if (!m.Available)
            {
                var reason = m.Unavailable ?? "unavailable";
                if (!reasons.Contains(reason)) reasons.Add(reason);
                t.Add(m.Model, m.Strategy, $"n/a [{reasons.IndexOf(reason) + 1}]");
                continue;
            }
            // One denominator for every rate: the suite's loop nests (each has one fate in `paraslm eval`).
            string Pct(int x) => m.Nests == 0 ? "—" : $"{100.0 * x / m.Nests:F0}%";
            t.Add(m.Model, m.Strategy, m.Nests.ToString(CultureInfo.InvariantCulture), Pct(m.Proposals), Pct(m.Invalid), Pct(m.Accepted), Pct(m.Repaired),
                Pct(m.Rejected), Pct(m.Matches), Pct(m.NotAsked), $"{m.MeanLatencySeconds:F2}", $"{m.ValidationPassed}/{m.ValidationTotal}", m.SpeedupGeoMean is { } s ? $"{s:F2}x" : "—",
                m.VsAnalyzer is { } va ? $"{va:F2}x" : "—");
        }
        sb.Append(t.ToMarkdown()).Append('\n');
        foreach (var (reason, i) in reasons.Select((x, i) => (x, i))) sb.Append(CultureInfo.InvariantCulture, $"[{i + 1}] unavailable: {reason}\n");
        sb.Append("\nPlanning columns from `paraslm eval`, each a share of the nests: answered with a usable plan, invalid answer, the verifier's accepted/repaired/unsafe, ");
        sb.Append("the verified plan equal to the analyzer's proven plan, never asked (budget spent or breaker open); mean latency per model call. ");
        sb.Append("Checksums and speedup (over serial) from this evaluation's `paraslm-gcc[model/strategy]` builds; vs analyzer: over the analyzer-only `paraslm-gcc` build of the same run.\n");
        return sb.ToString();
    }

    // ---- report.html -----------------------------------------------------------------------------

    public static string Html(EvaluationReport r, string svg)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ParaSlm evaluation</title>\n");
        sb.Append("<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px;max-width:1400px}table{border-collapse:collapse;margin:8px 0 16px}")
          .Append("td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px}th{background:#f3f3f3}td.num,th.num{text-align:right}</style></head><body>\n");
        sb.Append("<h1>ParaSlm evaluation</h1>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<p>Suite <code>{Esc(r.Suite)}</code>, {r.Kernels.Count} kernels; {r.Machine.Cpu}, {r.Machine.LogicalCores} logical cores. {r.Threads} threads, {r.Runs} alternating runs, medians. {Esc(EvaluationReport.SpeedupDefinition)}.</p>\n");
        sb.Append("<p>").Append(Esc(CalibrationLine(r))).Append(".</p>\n");
        sb.Append(svg);
        sb.Append("<h2>Speedups</h2>\n");
        var (table, notes) = SpeedupTable(r);
        sb.Append(table.ToHtml());
        if (notes.Count > 0) sb.Append("<ol>").Append(string.Concat(notes.Select(n => $"<li>{Esc(n)}</li>"))).Append("</ol>\n");
        sb.Append("<h2>Median kernel times (s)</h2>\n").Append(SpeedupTable(r, times: true).Table.ToHtml());
        sb.Append("<h2>ParaSlm against each peer (same compiler)</h2>\n").Append(ComparisonTable(r).ToHtml());
        if (r.Scaling is not null) sb.Append("<pre>").Append(Esc(ScalingMarkdown(r.Scaling))).Append("</pre>\n");
        if (r.Models is not null) sb.Append("<pre>").Append(Esc(ModelsMarkdown(r.Models))).Append("</pre>\n");
        sb.Append("<h2>Variants</h2>\n<ul>");
        foreach (var v in r.Variants)
            sb.Append(CultureInfo.InvariantCulture, $"<li><b>{Esc(v.Name)}</b>: {Esc(v.Description)}; <code>{Esc(Path.GetFileName(v.Compiler))} {Esc(v.Flags)}</code>{(v.Unavailable is null ? "" : " — unavailable: " + Esc(v.Unavailable))}</li>");
        sb.Append("</ul>\n</body></html>\n");
        return sb.ToString();
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
