using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// The targets' own errors and warnings (MSBuild's Error and Warning tasks, plus the Azure Pipelines issue): a wrong
/// setting (PSLM1008), nothing to parallelize (PSLM1009), no compile commands (PSLM1010), a fallen-back inject (PSLM1014),
/// a validation that did not run (PSLM5010). An error stops the target, as Error does.
/// </summary>
public sealed class ParaSlmDiagnostic : Task
{
    /// <summary>error | warning.</summary>
    public string Severity { get; set; } = "error";

    [Required] public string Code { get; set; } = string.Empty;

    public string File { get; set; } = string.Empty;

    [Required] public string Text { get; set; } = string.Empty;

    /// <summary>ParaSlmAzureDevOps (empty: TF_BUILD=True).</summary>
    public string AzureDevOps { get; set; } = string.Empty;

    public override bool Execute()
    {
        var file = File.Length > 0 ? File : BuildEngine?.ProjectFileOfTaskNode;
        if (string.Equals(Severity, "warning", StringComparison.OrdinalIgnoreCase))
        {
            AzureDevOpsIssues.Warning(Log, AzureDevOps, Code, file, 0, 0, Text);
            return true;
        }
        AzureDevOpsIssues.Error(Log, AzureDevOps, Code, file, 0, 0, Text);
        return false;
    }
}
