using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ParaSlm.Engine;

namespace ParaSlm.Engine.Reporting;

/// <summary>Counts of a build: what a CI step compares and fails on (ParaSlmFailOn reads <see cref="Reverted"/> and <see cref="UnsafeAssertions"/>).</summary>
public sealed record RunCounts(int Files, int RewrittenFiles, int ErrorFiles, int Loops, int Parallel, int Serial, int Reverted, int UnsafeAssertions, int ValidatedKept,
    IReadOnlyDictionary<string, int> Codes);

/// <summary>Seconds: the engine's last run, and the last validation (total, per variant, the final check).</summary>
public sealed record RunTimings(double Engine, double? Validation, IReadOnlyDictionary<string, double> Variants, double? FinalCheck);

/// <summary>`paraslm-summary.json`: the machine-readable summary of one build.</summary>
public sealed record RunSummary(int Version, string Tool, string Mode, DateTimeOffset Created, RunCounts Counts, RunTimings Timings,
    IReadOnlyList<string> UnsafeAssertionFunctions, string? ValidationFinal, IReadOnlyDictionary<string, string> Files)
{
    public const string FileName = "paraslm-summary.json";
    public const string MarkdownFileName = "paraslm-summary.md";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static RunSummary Of(ReportBundle b, IReadOnlyDictionary<string, string> files)
    {
        var r = b.Report;
        var loops = r.Sources.SelectMany(s => s.Plans.Select(p => (s.File, Loop: p))).ToList();
        var reverted = loops.Where(x => ReportBundle.DecisionOf(x.Loop) == "reverted").ToList();
        var assumptions = reverted.Select(x => b.FalseAssumptionsOf(x.File, x.Loop)).ToList();
        var unsafeFunctions = assumptions.SelectMany(a => a).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unsafeLoops = assumptions.Count(a => a.Count > 0);
        var codes = loops.Where(x => x.Loop.Code is not null).GroupBy(x => x.Loop.Code!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var v = r.Validation;
        var counts = new RunCounts(r.Sources.Count, r.Rewritten, r.Sources.Count(s => s.Status == "error"), r.Loops, r.Parallel,
            loops.Count(x => ReportBundle.DecisionOf(x.Loop) == "serial"), reverted.Count, unsafeLoops,
            v?.Loops.Count(l => l.Status == "kept") ?? 0, codes);
        var timings = new RunTimings(Math.Round(r.Seconds, 3), v is null ? null : Math.Round(v.Seconds, 3),
            v?.Variants.ToDictionary(x => x.Name, x => Math.Round(x.Seconds, 3), StringComparer.Ordinal) ?? new Dictionary<string, double>(),
            v?.Final is { } f ? Math.Round(f.Seconds, 3) : null);
        return new RunSummary(1, "ParaSlm " + b.ToolVersion, r.Mode, r.Created, counts, timings, unsafeFunctions, v?.Final?.Status, files);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The build summary Azure Pipelines shows on the run's page (`task.uploadsummary`): totals, validation, what to look at.</summary>
    public static string Markdown(ReportBundle b, RunSummary s)
    {
        var c = s.Counts;
        var sb = new StringBuilder();
        sb.AppendLine($"**{c.Parallel}** of {c.Loops} loops parallel in {c.RewrittenFiles} of {c.Files} files; {c.Serial} kept serial" +
                      (b.Report.Validation is null ? "." : $", **{c.Reverted} reverted by validation**."));
        if (c.ErrorFiles > 0) sb.AppendLine().AppendLine($"{c.ErrorFiles} file(s) could not be analyzed and were built serial (see the PSLM warnings).");
        if (b.Report.Validation is { } v)
        {
            sb.AppendLine().AppendLine("| validation | result | probes | runs | seconds |").AppendLine("|---|---|---:|---:|---:|");
            foreach (var x in v.Variants) sb.AppendLine($"| {x.Name} | {x.Status} | {x.Probes} | {x.Runs} | {x.Seconds:F1} |");
            if (v.Final is { } f) sb.AppendLine($"| final program | {f.Status} | — | {f.Runs} | {f.Seconds:F1} |");
        }
        var reverted = b.Report.Sources.SelectMany(src => src.Plans.Where(p => ReportBundle.DecisionOf(p) == "reverted").Select(p => (src.File, p))).ToList();
        if (reverted.Count > 0)
        {
            sb.AppendLine().AppendLine("| reverted loop | function | evidence |").AppendLine("|---|---|---|");
            foreach (var (file, p) in reverted) sb.AppendLine($"| {Cell(b.Relative(file))}:{p.Line} | {Cell(p.Function)} | {Cell(p.Reason)} |");
        }
        if (s.UnsafeAssertionFunctions.Count > 0)
            sb.AppendLine().AppendLine($"ParaSlmAssumePure is wrong about: {string.Join(", ", s.UnsafeAssertionFunctions.Select(f => $"`{f}`"))}.");
        sb.AppendLine().AppendLine($"Engine {s.Timings.Engine:F1} s" + (s.Timings.Validation is { } vs ? $", validation {vs:F1} s." : ".") +
                                   " The full report (per loop: decision, reason, clauses, diff) is the HTML report of this run's artifacts.");
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
