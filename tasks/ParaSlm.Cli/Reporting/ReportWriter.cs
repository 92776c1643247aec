using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ParaSlm.Cli.Engine;

/// <summary>Writes the report as JSON (for tools) and Markdown (for people).</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static (string JsonPath, string MarkdownPath) Write(string reportDir, Report report)
    {
        Directory.CreateDirectory(reportDir);
        var json = Path.Combine(reportDir, "paraslm-report.json");
        var md = Path.Combine(reportDir, "paraslm-report.md");
        var summary = new
        {
            report.Mode, report.Target, report.Strategy, report.Created, report.Seconds,
            Totals = new { Files = report.Sources.Count, report.Loops, report.Parallel, report.Rewritten },
            report.Sources,
        };
        AtomicFile.Write(json, JsonSerializer.Serialize(summary, Json));
        AtomicFile.Write(md, Markdown(report));
        return (json, md);
    }

    public static string Markdown(Report r)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# ParaSlm report");
        sb.AppendLine();
        sb.AppendLine($"Mode **{r.Mode}**, target **{r.Target}**, strategy **{r.Strategy}** — {r.Sources.Count} files, {r.Loops} loops, **{r.Parallel} parallel**, {r.Rewritten} files rewritten ({r.Seconds:F1} s).");
        foreach (var s in r.Sources)
        {
            sb.AppendLine();
            sb.AppendLine($"## {s.File}");
            sb.AppendLine();
            sb.AppendLine($"{s.Status}{(s.Output is null ? string.Empty : $" → `{s.Output}`")}: {s.Loops} loops, {s.Parallel} parallel.{(s.Message is null ? string.Empty : " " + s.Message)}");
            if (s.Plans.Count == 0) continue;
            sb.AppendLine();
            sb.AppendLine("| line | function | decision | clauses | reason |");
            sb.AppendLine("|---:|---|---|---|---|");
            foreach (var p in s.Plans)
            {
                var decision = p.Action == "parallel" ? $"**parallel** ({p.Target})" : "sequential";
                var clauses = p.Clauses.Length == 0 ? "—" : $"`{p.Clauses}`";
                if (p.RuntimeCheck is not null) clauses += $" if `{p.RuntimeCheck}`";
                sb.AppendLine($"| {p.Line} | {Cell(p.Function)} | {decision} | {Cell(clauses)} | {Cell(p.Reason)} |");
            }
        }
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
