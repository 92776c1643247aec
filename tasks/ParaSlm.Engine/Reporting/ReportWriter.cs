using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

using ParaSlm.Engine.Reporting;

namespace ParaSlm.Engine;

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
            report.Planner,
            Totals = new { Files = report.Sources.Count, report.Loops, report.Parallel, report.Rewritten, report.LastDigitsMayChange },
            report.Sources,
            report.Validation,
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
        if (r.Planner is not null)
        {
            sb.AppendLine();
            sb.AppendLine($"Planned by: {r.Planner}");
        }
        if (r.LastDigitsMayChange > 0)
        {
            sb.AppendLine();
            sb.AppendLine($"**{r.LastDigitsMayChange} parallel loop(s) reduce floating-point values**: their results may change in the last digits " +
                          "(marked below). Set `ParaSlmFloatReassociation=false` to keep them serial.");
        }
        foreach (var s in r.Sources)
        {
            sb.AppendLine();
            sb.AppendLine($"## {s.File}");
            sb.AppendLine();
            sb.AppendLine($"{s.Status}{(s.Output is null ? string.Empty : $" → `{s.Output}`")}: {s.Loops} loops, {s.Parallel} parallel.{(s.Message is null ? string.Empty : " " + s.Message)}");
            if (s.Plans.Count == 0) continue;
            sb.AppendLine();
            var validated = r.Validation is not null;
            sb.AppendLine(validated ? "| line | function | decision | clauses | reason | validation |" : "| line | function | decision | clauses | reason |");
            sb.AppendLine(validated ? "|---:|---|---|---|---|---|" : "|---:|---|---|---|---|");
            foreach (var p in s.Plans)
            {
                var decision = p.Action == "parallel" ? $"**parallel** ({p.Target}{(p.Transform is null ? string.Empty : ", " + p.Transform)})"
                    : p.Transform is null ? "sequential" : $"sequential ({p.Transform})";
                var clauses = p.Clauses.Length == 0 ? "—" : $"`{p.Clauses}`";
                if (p.RuntimeCheck is not null) clauses += $" if `{p.RuntimeCheck}`";
                var row = $"| {p.Line} | {Cell(p.Function)} | {decision} | {Cell(clauses)} | {Cell(p.Reason)} |";
                sb.AppendLine(validated ? row + $" {Cell(p.Validation ?? "—")} |" : row);
            }
        }
        if (r.Validation is { } v) AppendValidation(sb, v);
        return sb.ToString();
    }

    private static void AppendValidation(StringBuilder sb, ValidationSummary v)
    {
        sb.AppendLine();
        sb.AppendLine("## Validation");
        sb.AppendLine();
        var reverted = v.Loops.Count(l => l.Status == "reverted");
        sb.AppendLine($"{v.Loops.Count} parallel loops validated: {v.Loops.Count - reverted} kept, **{reverted} reverted** ({v.Seconds:F1} s, {v.Created:u}).");
        sb.AppendLine();
        sb.AppendLine("| variant | result | probes | test runs | threads | seconds | notes |");
        sb.AppendLine("|---|---|---:|---:|---|---:|---|");
        foreach (var x in v.Variants)
            sb.AppendLine($"| {x.Name} | {x.Status} | {x.Probes} | {x.Runs} | {string.Join(",", x.Threads)} | {x.Seconds:F1} | {Cell(x.Message ?? string.Empty)} |");
        if (v.Final is { } f)
            sb.AppendLine($"| final program | {f.Status} | — | {f.Runs} | {string.Join(",", f.Threads)} | {f.Seconds:F1} | {Cell(f.Message ?? string.Empty)} |");
        // Validation's own details (issue #13): what the final check saw, which output lines were not compared, the evidence whole.
        if (v.Final is { Detail: { Length: > 0 } detail, Status: "different" or "build-failed" } ff)
        {
            sb.AppendLine();
            sb.AppendLine(ff.RevertedToSerial && ff.Kept is { } kept
                ? $"The final program differed from the serial build (PSLM5004), so every loop in the programs of the differing test was reverted ({kept}; its check: {ff.AfterRevert}). What differed:"
                : ff.RevertedToSerial
                ? $"The final program {(ff.Status == "different" ? "differed from the serial build" : "could not be rebuilt")} (PSLM5004), so every loop was reverted and the outputs are the serial program (its check: {ff.AfterRevert}). What differed:"
                : "What differed in the final program:");
            AppendQuote(sb, detail);
        }
        var ignored = v.Variants.Where(x => x.Ignored is { Count: > 0 }).ToList();
        if (ignored.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Output not compared (each variant is compared with its own build with no loop parallel):");
            sb.AppendLine();
            foreach (var x in ignored)
                foreach (var line in x.Ignored!.Distinct().Take(40)) sb.AppendLine($"- {x.Name}: {line.Replace("\n", " ", StringComparison.Ordinal)}");
        }
        var rejected = v.Loops.Where(l => l.Status == "reverted").ToList();
        if (rejected.Count == 0) return;
        sb.AppendLine();
        sb.AppendLine("| loop | function | variant | evidence |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var l in rejected)
            sb.AppendLine($"| {Cell(l.Id)} | {Cell(l.Function)} | {l.Variant} | {Cell(l.Evidence ?? string.Empty)} |");
        foreach (var l in rejected.Where(l => l.Detail is { Length: > 0 } && l.Variant != "final"))
        {
            sb.AppendLine();
            sb.AppendLine($"Evidence for {l.Id} ({l.Function}, {l.Variant}):");
            AppendQuote(sb, l.Detail!);
        }
    }

    private static void AppendQuote(StringBuilder sb, string text)
    {
        sb.AppendLine();
        sb.AppendLine("~~~text");
        sb.AppendLine(text.Replace("~~~", "~ ~ ~", StringComparison.Ordinal).TrimEnd());
        sb.AppendLine("~~~");
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
