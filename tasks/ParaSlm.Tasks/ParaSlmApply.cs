using System.ComponentModel;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// Runs the engine out of process: <c>dotnet paraslm.dll apply --request FILE</c>. The engine prints diagnostics in
/// MSBuild's canonical form, so ToolTask reports them at the source line; this task adds the PSLM10xx errors for an
/// engine that cannot start or fails, and the one-line summary after a successful run.
/// </summary>
public sealed class ParaSlmApply : ToolTask
{
    /// <summary>ParaSlmAzureDevOps (empty: TF_BUILD=True): its PSLM diagnostics are also Azure Pipelines issues.</summary>
    public string AzureDevOps { get; set; } = string.Empty;

    [Required] public string RequestFile { get; set; } = string.Empty;
    [Required] public string EngineAssembly { get; set; } = string.Empty;

    /// <summary>The dotnet host (DOTNET_HOST_PATH under the .NET SDK); empty means "dotnet" on PATH.</summary>
    public string DotnetHost { get; set; } = string.Empty;

    /// <summary>The engine's paraslm.outputs.tsv, read for the summary.</summary>
    public string OutputsFile { get; set; } = string.Empty;

    public string ReportDir { get; set; } = string.Empty;

    /// <summary>The engine runs in the project folder, so relative paths in its messages resolve as the user expects.</summary>
    public string WorkingDirectory { get; set; } = string.Empty;

    protected override string ToolName => Files.IsWindows ? "dotnet.exe" : "dotnet";

    // The engine's progress lines are worth seeing at normal verbosity; its crashes always.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

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

    protected override string GenerateFullPathToTool()
    {
        if (DotnetHost.Length > 0 && Path.IsPathRooted(DotnetHost)) return DotnetHost;
        return Files.FindOnPath(DotnetHost.Length > 0 ? DotnetHost : "dotnet") ?? ToolName;
    }

    protected override string? GetWorkingDirectory() => WorkingDirectory.Length > 0 ? WorkingDirectory : base.GetWorkingDirectory();

    protected override bool ValidateParameters()
    {
        if (!File.Exists(EngineAssembly))
        {
            Error("PSLM1003", $"the ParaSlm engine was not found at '{EngineAssembly}'. The ParaSlm.Sdk package looks incomplete: "
                + "delete its folder from the NuGet package cache (e.g. ~/.nuget/packages/paraslm.sdk) and build again, "
                + "or set ParaSlmEngineAssembly to a built paraslm.dll.");
            return false;
        }
        var host = GenerateFullPathToTool();
        if (!File.Exists(host))
        {
            Error("PSLM1003", $"the .NET host '{host}' that runs the ParaSlm engine was not found. Install the .NET 10 runtime "
                + "(https://dot.net) and put 'dotnet' on PATH, or set ParaSlmDotnetHost to its full path.");
            return false;
        }
        return true;
    }

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendFileNameIfNotNull(EngineAssembly);
        builder.AppendTextUnquoted(" apply --request");
        builder.AppendFileNameIfNotNull(RequestFile);
        return builder.ToString();
    }

    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        try
        {
            return base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        }
        catch (Win32Exception e)
        {
            Error("PSLM1003", $"the ParaSlm engine could not be started ('{pathToTool}': {e.Message}). Check that the .NET 10 "
                + "runtime is installed and that ParaSlmDotnetHost points at a working 'dotnet'.");
            return -1;
        }
    }

    protected override bool HandleTaskExecutionErrors()
    {
        if (Log.HasLoggedErrors && ExitCode == -1) return false; // already explained (could not start)
        // The host's own exit codes when the runtime or the app cannot load (e.g. 150: framework not found).
        if (ExitCode is 129 or 130 or 131 or 140 or 150 or 151 or 152 || unchecked((uint)ExitCode) >= 0x80008081u && unchecked((uint)ExitCode) <= 0x800080A0u)
        {
            Error("PSLM1003", $"the ParaSlm engine could not start (exit code {ExitCode}); the messages above say why. The engine "
                + "needs the .NET 10 runtime: install it (https://dot.net), or set ParaSlmDotnetHost to a dotnet that has it.");
            return false;
        }
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

    private void Error(string code, string message) =>
        AzureDevOpsIssues.Error(Log, AzureDevOps, code, BuildEngine?.ProjectFileOfTaskNode, 0, 0, "ParaSlm: " + message);
}
