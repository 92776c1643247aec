using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Contracts;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// <c>paraslm apply --request FILE</c> (<see cref="EngineToolTask"/>): adds the PSLM1004 error for an engine that fails,
/// and the one-line summary after a successful run.
/// </summary>
public sealed class ParaSlmApply : EngineToolTask
{
    [Required] public string RequestFile { get; set; } = string.Empty;

    /// <summary>The engine's paraslm.outputs.tsv, read for the summary.</summary>
    public string OutputsFile { get; set; } = string.Empty;

    public string ReportDir { get; set; } = string.Empty;

    private bool _engineSummary;
    public override bool Execute()
    {
        YieldDuringToolExecution = true;
        if (!base.Execute()) return false;
        // One summary line at normal verbosity: the engine's own (it also says how many sources were up to date),
        // or, from an engine that prints none, one made from its outputs table.
        if (!_engineSummary && OutputsFile.Length > 0)
        {
            var report = Path.Combine(ReportDir, "paraslm-report.md");
            Log.LogMessage(MessageImportance.High, EngineOutputs.Summary(EngineOutputs.Read(OutputsFile), report));
        }
        return !Log.HasLoggedErrors;
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (singleLine.StartsWith("ParaSlm: ", StringComparison.Ordinal) && singleLine.Contains("report: "))
        {
            _engineSummary = true;
            Log.LogMessage(MessageImportance.High, singleLine);
            return;
        }
        base.LogEventsFromTextOutput(singleLine, messageImportance);
    }

    protected override void AppendCommand(CommandLineBuilder builder)
    {
        builder.AppendTextUnquoted(" apply --request");
        builder.AppendFileNameIfNotNull(RequestFile);
    }

    protected override bool HandleTaskExecutionErrors()
    {
        if (Log.HasLoggedErrors && ExitCode == -1) return false; // already explained (could not start)
        if (HostFailed()) return false;
        var meaning = ExitCode switch
        {
            1 => "it could not use the request",
            2 => "the request was malformed",
            _ => "it stopped unexpectedly",
        };
        Error("PSLM1004", $"the ParaSlm engine failed with exit code {ExitCode} ({meaning}); its messages are above and the "
            + $"request is {RequestFile}. Build with -v:n to see the engine's full output; to build without ParaSlm "
            + "meanwhile, set ParaSlmMode=Off.");
        return false;
    }
}
