using System.Text;
using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Engine.Reporting.AzureDevOps;

/// <summary>
/// Azure Pipelines logging commands (`##vso[area.action property=value;…]message`), escaped the way the agent
/// unescapes them (azure-pipelines-task-lib, taskcommand.ts): in property values `%` → `%AZP25`, `\r` → `%0D`,
/// `\n` → `%0A`, `]` → `%5D`, `;` → `%3B`; in the message only `%`, `\r` and `\n` — a message may contain `;` and `]`.
/// </summary>
public static class AzureDevOpsCommands
{
    /// <summary>The agent sets TF_BUILD=True in every step; nothing of this is ever written elsewhere.</summary>
    public static bool IsActive(Func<string, string?> environment) =>
        string.Equals(environment("TF_BUILD")?.Trim(), "True", StringComparison.OrdinalIgnoreCase);

    public static bool IsActive() => IsActive(Environment.GetEnvironmentVariable);

    /// <summary>`##vso[task.logissue type=…;sourcepath=…;linenumber=…;columnnumber=…;code=…]message`.</summary>
    public static string LogIssue(Diagnostic d)
    {
        var properties = new List<(string, string)> { ("type", d.Severity == Severity.Error ? "error" : "warning") };
        if (d.File is { Length: > 0 } file) properties.Add(("sourcepath", file));
        if (d.Line > 0) properties.Add(("linenumber", d.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (d.Line > 0 && d.Column > 0) properties.Add(("columnnumber", d.Column.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (d.Code is { Length: > 0 } code) properties.Add(("code", code));
        return Command("task.logissue", properties, d.Message);
    }

    /// <summary>`##vso[task.uploadsummary]/abs/summary.md`: the file's Markdown becomes a section of the run's summary page.</summary>
    public static string UploadSummary(string markdownPath) => Command("task.uploadsummary", [], Path.GetFullPath(markdownPath));

    /// <summary>`##vso[task.setprogress value=P;]operation`.</summary>
    public static string SetProgress(int percent, string operation) =>
        Command("task.setprogress", [("value", Math.Clamp(percent, 0, 100).ToString(System.Globalization.CultureInfo.InvariantCulture))], operation);

    public static string Command(string name, IReadOnlyList<(string Name, string Value)> properties, string message)
    {
        var sb = new StringBuilder("##vso[").Append(name);
        for (var i = 0; i < properties.Count; i++)
            sb.Append(i == 0 ? ' ' : ';').Append(properties[i].Name).Append('=').Append(EscapeProperty(properties[i].Value));
        if (properties.Count > 0) sb.Append(';');
        return sb.Append(']').Append(EscapeMessage(message)).ToString();
    }

    public static string EscapeProperty(string value) =>
        EscapeMessage(value).Replace("]", "%5D", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal);

    public static string EscapeMessage(string value) =>
        value.Replace("%", "%AZP25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);
}
