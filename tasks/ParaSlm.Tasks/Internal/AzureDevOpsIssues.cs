using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Contracts;

namespace ParaSlm.Tasks.Internal;

/// <summary>
/// The diagnostics the MSBuild side raises itself (PSLM1001–1014, 5010, 6001/6002, the tools' errors it forwards), logged
/// as MSBuild errors and warnings and, in Azure Pipelines, also as `##vso[task.logissue …]` — the engine's own
/// diagnostics reach the agent through its queue (ParaSlmPublishResults); these never pass through the engine.
/// </summary>
/// <remarks>
/// Written with the contract's <see cref="AzurePipelinesCommand"/> (the engine's format and escaping), logged as a plain
/// message, which MSBuild never parses for the `file(l,c): error CODE:` form.
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
    public static string LogIssue(string type, string? file, int line, int column, string? code, string message) =>
        AzurePipelinesCommand.LogIssue(type, file, line, column, code, message);
}
