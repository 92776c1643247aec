using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Contracts;

namespace ParaSlm.Engine.Reporting.AzureDevOps;

/// <summary>
/// The engine's Azure Pipelines logging commands; the format and its escaping are the contract's
/// (<see cref="AzurePipelinesCommand"/>), shared with the MSBuild tasks.
/// </summary>
public static class AzureDevOpsCommands
{
    /// <summary>The agent sets TF_BUILD=True in every step; nothing of this is ever written elsewhere.</summary>
    public static bool IsActive(Func<string, string?> environment) =>
        string.Equals(environment("TF_BUILD")?.Trim(), "True", StringComparison.OrdinalIgnoreCase);

    public static bool IsActive() => IsActive(Environment.GetEnvironmentVariable);

    /// <summary>`##vso[task.logissue type=…;sourcepath=…;linenumber=…;columnnumber=…;code=…;]message`.</summary>
    public static string LogIssue(Diagnostic d) =>
        AzurePipelinesCommand.LogIssue(d.Severity == Severity.Error ? "error" : "warning", d.File, d.Line, d.Column, d.Code, d.Message);

    /// <summary>`##vso[task.uploadsummary]/abs/summary.md`: the file's Markdown becomes a section of the run's summary page.</summary>
    public static string UploadSummary(string markdownPath) => Command("task.uploadsummary", [], Path.GetFullPath(markdownPath));

    /// <summary>`##vso[task.setprogress value=P;]operation`.</summary>
    public static string SetProgress(int percent, string operation) =>
        Command("task.setprogress", [("value", Math.Clamp(percent, 0, 100).ToString(System.Globalization.CultureInfo.InvariantCulture))], operation);

    public static string Command(string name, IReadOnlyList<(string Name, string Value)> properties, string message) =>
        AzurePipelinesCommand.Format(name, properties.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)).ToList(), message);

    public static string EscapeProperty(string value) => AzurePipelinesCommand.EscapeProperty(value);

    public static string EscapeMessage(string value) => AzurePipelinesCommand.EscapeMessage(value);
}
