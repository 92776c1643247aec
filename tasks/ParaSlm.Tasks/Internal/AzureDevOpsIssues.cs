using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ParaSlm.Tasks.Internal;

/// <summary>
/// The diagnostics the MSBuild side raises itself (PSLM1001–1014, 5010, 6001/6002, the tools' errors it forwards), logged
/// as MSBuild errors and warnings and, in Azure Pipelines, also as `##vso[task.logissue …]` — the engine's own
/// diagnostics reach the agent through its queue (ParaSlmPublishResults); these never pass through the engine.
/// </summary>
/// <remarks>
/// Escaped as the engine escapes (ParaSlm.Cli's AzureDevOpsCommands; a test compares the two) and as the agent unescapes
/// (azure-pipelines-task-lib, taskcommand.ts): in property values `%` → `%AZP25`, `\r` → `%0D`, `\n` → `%0A`, `]` → `%5D`,
/// `;` → `%3B`; in the message only `%`, `\r` and `\n`. Logged as a plain message, which MSBuild never parses for the
/// `file(l,c): error CODE:` form.
/// </remarks>
internal static class AzureDevOpsIssues
{
    /// <summary>ParaSlmAzureDevOps when the targets pass it; otherwise whether the agent set TF_BUILD=True in this step.</summary>
    public static bool IsActive(string? setting)
    {
        var value = string.IsNullOrWhiteSpace(setting) ? Environment.GetEnvironmentVariable("TF_BUILD") : setting;
        return string.Equals(value?.Trim(), "True", StringComparison.OrdinalIgnoreCase);
    }

    public static void Error(TaskLoggingHelper log, string? azureDevOps, string? code, string? file, int line, int column, string message)
    {
        log.LogError(null, code, null, file, line, column, 0, 0, message);
        if (IsActive(azureDevOps)) log.LogMessage(MessageImportance.High, LogIssue("error", file, line, column, code, message));
    }

    public static void Warning(TaskLoggingHelper log, string? azureDevOps, string? code, string? file, int line, int column, string message)
    {
        log.LogWarning(null, code, null, file, line, column, 0, 0, message);
        if (IsActive(azureDevOps)) log.LogMessage(MessageImportance.High, LogIssue("warning", file, line, column, code, message));
    }

    /// <summary>`##vso[task.logissue type=…;sourcepath=…;linenumber=…;columnnumber=…;code=…;]message`.</summary>
    public static string LogIssue(string type, string? file, int line, int column, string? code, string message)
    {
        var properties = new List<(string Name, string Value)> { ("type", type) };
        if (!string.IsNullOrEmpty(file)) properties.Add(("sourcepath", file!));
        if (line > 0) properties.Add(("linenumber", line.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (line > 0 && column > 0) properties.Add(("columnnumber", column.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(code)) properties.Add(("code", code!));
        var text = new System.Text.StringBuilder("##vso[task.logissue");
        for (var i = 0; i < properties.Count; i++)
            text.Append(i == 0 ? ' ' : ';').Append(properties[i].Name).Append('=').Append(EscapeProperty(properties[i].Value));
        return text.Append(";]").Append(EscapeMessage(message)).ToString();
    }

    public static string EscapeProperty(string value) => EscapeMessage(value).Replace("]", "%5D").Replace(";", "%3B");

    public static string EscapeMessage(string value) => value.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");
}
