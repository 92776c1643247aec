using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Contracts;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// The end of a ParaSlm build, on every build (a few file reads): in Azure Pipelines, relays the logging commands the
/// engine and validation queued (each once) and uploads the build summary; then applies ParaSlmFailOn to the last
/// results in paraslm-summary.json, so that a nightly fails while validation reverts a loop (PSLM6001) or proves a
/// ParaSlmAssumePure declaration wrong (PSLM6002).
/// </summary>
/// <remarks>
/// The commands are logged as plain messages: a message is never parsed for MSBuild's `file(l,c): warning CODE:` form,
/// which an issue's text could otherwise resemble and turn into a second diagnostic.
/// </remarks>
public sealed class ParaSlmPublishResults : Task
{
    [Required] public string ReportDir { get; set; } = string.Empty;
    [Required] public string IntermediateDir { get; set; } = string.Empty;
    public string ProjectName { get; set; } = string.Empty;
    public string ProjectFile { get; set; } = string.Empty;

    /// <summary>none | reverted | unsafe-assertion (checked by the targets first).</summary>
    public string FailOn { get; set; } = "none";

    /// <summary>ParaSlmAzureDevOps: relay the queued commands and upload the summary (default: TF_BUILD=True).</summary>
    public bool AzureDevOps { get; set; }

    public override bool Execute()
    {
        var queue = Path.Combine(IntermediateDir, "paraslm.azure-devops.txt");
        if (File.Exists(queue))
        {
            if (AzureDevOps)
            {
                // Validation repeats the engine's warnings; each issue is reported once.
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var line in File.ReadAllLines(queue, Encoding.UTF8))
                {
                    if (line.StartsWith("##vso[", StringComparison.Ordinal) && seen.Add(line)) Log.LogMessage(MessageImportance.High, line);
                }
            }
            File.Delete(queue);
        }

        var summaryJson = Path.Combine(ReportDir, "paraslm-summary.json");
        var summaryMarkdown = Path.Combine(ReportDir, "paraslm-summary.md");
        if (AzureDevOps && File.Exists(summaryMarkdown))
        {
            // The summary section is titled by the file's name: one per project.
            var titled = Path.Combine(IntermediateDir, $"ParaSlm {(ProjectName.Length > 0 ? ProjectName : "build")}.md");
            File.Copy(summaryMarkdown, titled, overwrite: true);
            Log.LogMessage(MessageImportance.High, AzurePipelinesCommand.Format("task.uploadsummary", [], Path.GetFullPath(titled)));
        }

        if (FailOn is "none" || !File.Exists(summaryJson)) return !Log.HasLoggedErrors;
        var text = File.ReadAllText(summaryJson);
        var reverted = Count(text, "reverted");
        var unsafeAssertions = Count(text, "unsafeAssertions");
        var report = Path.Combine(ReportDir, "paraslm-report.md");
        if (FailOn == "reverted" && reverted > 0)
            Error("PSLM6001", $"validation reverted {reverted} loop(s), and ParaSlmFailOn is 'reverted'. The PSLM5001 warnings name each loop and its " +
                              $"evidence, and {report} has them all. Fix the code (or a false ParaSlmAssumePure), or set ParaSlmFailOn=none to let the build pass with those loops serial.");
        if (FailOn == "unsafe-assertion" && unsafeAssertions > 0)
            Error("PSLM6002", $"validation proved ParaSlmAssumePure wrong for {Functions(text)} ({unsafeAssertions} loop(s) reverted), and ParaSlmFailOn is '{FailOn}'. " +
                              "Remove those functions from ParaSlmAssumePure; they have side effects.");
        return !Log.HasLoggedErrors;
    }

    /// <summary>A count of paraslm-summary.json's "counts" object (written by the engine, one name per line).</summary>
    private static int Count(string json, string name)
    {
        var m = Regex.Match(json, "\"" + name + "\"\\s*:\\s*(\\d+)");
        return m.Success && int.TryParse(m.Groups[1].Value, out var n) ? n : 0;
    }

    private static string Functions(string json)
    {
        var m = Regex.Match(json, "\"unsafeAssertionFunctions\"\\s*:\\s*\\[(?<list>[^\\]]*)\\]");
        var names = m.Success ? Regex.Matches(m.Groups["list"].Value, "\"([^\"]*)\"").Cast<Match>().Select(x => x.Groups[1].Value).ToList() : new List<string>();
        return names.Count == 0 ? "a function" : string.Join(", ", names);
    }

    private void Error(string code, string message) =>
        AzureDevOpsIssues.Error(Log, AzureDevOps ? "true" : "false", code, ProjectFile.Length > 0 ? ProjectFile : BuildEngine?.ProjectFileOfTaskNode, 0, 0, "ParaSlm: " + message);
}
