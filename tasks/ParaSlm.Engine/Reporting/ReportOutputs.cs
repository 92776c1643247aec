using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using ParaSlm.Engine;
using ParaSlm.Engine.Reporting;
using ParaSlm.Engine.Reporting.AzureDevOps;
using ParaSlm.Engine.Reporting.Html;
using ParaSlm.Engine.Reporting.Sarif;

namespace ParaSlm.Engine.Reporting;

/// <summary>
/// The reports beside the Markdown, written whenever the engine writes its report (so validation's last run updates them
/// too): `paraslm-report.html`, `paraslm-summary.json` (+ `paraslm-summary.md`, the CI summary) and, when asked
/// (<see cref="EngineRequest.Sarif"/>; by default in CI), `paraslm.sarif`.
/// </summary>
public static class ReportOutputs
{
    private static readonly JsonSerializerOptions EvaluationJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static RunSummary Write(string reportDir, Report report, IReadOnlyList<SourceRecord> records, string root, EngineRequest request)
    {
        var bundle = new ReportBundle(report, root, LoopChanges.For(records, root), request.AssumePure, LoadEvaluation(reportDir), ToolVersion());
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["json"] = Path.Combine(reportDir, "paraslm-report.json"),
            ["markdown"] = Path.Combine(reportDir, "paraslm-report.md"),
            ["html"] = Path.Combine(reportDir, HtmlReport.FileName),
            ["patch"] = Path.Combine(reportDir, "paraslm.patch"),
            ["summaryMarkdown"] = Path.Combine(reportDir, RunSummary.MarkdownFileName),
        };
        var sarif = SarifWanted(request.Sarif, Environment.GetEnvironmentVariable);
        if (sarif) files["sarif"] = Path.Combine(reportDir, SarifWriter.FileName);
        if (report.Validation is not null) files["junit"] = Path.Combine(reportDir, ValidationJUnit.FileName);
        var summary = RunSummary.Of(bundle, files);
        AtomicFile.Write(Path.Combine(reportDir, RunSummary.FileName), summary.ToJson());
        AtomicFile.Write(files["summaryMarkdown"], RunSummary.Markdown(bundle, summary));
        AtomicFile.Write(files["html"], HtmlReport.Render(bundle, summary));
        if (report.Validation is not null) AtomicFile.Write(files["junit"], ValidationJUnit.Render(bundle));
        var sarifPath = Path.Combine(reportDir, SarifWriter.FileName);
        if (sarif) AtomicFile.Write(sarifPath, SarifWriter.Render(bundle));
        else if (File.Exists(sarifPath)) File.Delete(sarifPath); // switched off: no stale log for a publish step to pick up
        return summary;
    }

    /// <summary>ParaSlmSarif: explicit true/false, else on in CI (Azure Pipelines' TF_BUILD, or the common CI=true).</summary>
    public static bool SarifWanted(bool? requested, Func<string, string?> environment) =>
        requested ?? (AzureDevOpsCommands.IsActive(environment) || string.Equals(environment("CI")?.Trim(), "true", StringComparison.OrdinalIgnoreCase));

    private static EvaluationReport? LoadEvaluation(string reportDir)
    {
        var path = Path.Combine(reportDir, "evaluation", EvaluationReport.JsonFile);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(path), EvaluationJson) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null; // an unreadable evaluation only leaves the chart out
        }
    }

    private static string ToolVersion() =>
        typeof(ReportOutputs).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
