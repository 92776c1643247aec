using System.ComponentModel;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// Runs the engine out of process (<c>dotnet paraslm.dll COMMAND …</c>). The engine prints its diagnostics in MSBuild's
/// canonical form, which ToolTask turns into warnings and errors at the source line; this base adds the PSLM1003 errors
/// for an engine that cannot start. <see cref="ParaSlmApply"/> and <see cref="ParaSlmRunValidation"/> are its commands.
/// </summary>
public abstract class EngineToolTask : ToolTask
{
    [Required] public string EngineAssembly { get; set; } = string.Empty;

    /// <summary>ParaSlmAzureDevOps (empty: TF_BUILD=True): the task's own PSLM errors are also Azure Pipelines issues.</summary>
    public string AzureDevOps { get; set; } = string.Empty;

    /// <summary>The dotnet host (DOTNET_HOST_PATH under the .NET SDK); empty means "dotnet" on PATH.</summary>
    public string DotnetHost { get; set; } = string.Empty;

    /// <summary>The engine runs in the project folder, so relative paths in its messages resolve as the user expects.</summary>
    public string WorkingDirectory { get; set; } = string.Empty;

    protected override string ToolName => Files.IsWindows ? "dotnet.exe" : "dotnet";

    // The engine's progress lines are worth seeing at normal verbosity; its crashes always.
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;
    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    /// <summary>The engine's command and its arguments, after the engine assembly.</summary>
    protected abstract void AppendCommand(CommandLineBuilder builder);

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

    protected sealed override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendFileNameIfNotNull(EngineAssembly);
        AppendCommand(builder);
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

    /// <summary>
    /// Only the engine's own diagnostics (<c>WHERE: warning|error PSLMnnnn: …</c>) are parsed as MSBuild warnings and
    /// errors; every other line is text. A progress line may quote a compiler's error — validation's variant build that
    /// failed on the project's own <c>-Werror</c> (cJSON with ParaSlmValidate=all) — and ToolTask would turn that quote
    /// into a build error although the engine reported it as the warning PSLM5005.
    /// </summary>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (EngineDiagnostic.IsMatch(singleLine)) base.LogEventsFromTextOutput(singleLine, messageImportance);
        else Log.LogMessage(messageImportance, "{0}", singleLine);
    }

    private static readonly System.Text.RegularExpressions.Regex EngineDiagnostic =
        new(@"^\S.*?: (warning|error) PSLM\d{4}: ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>True (and an error logged) when the host itself could not load the runtime or the engine.</summary>
    protected bool HostFailed()
    {
        // The host's own exit codes when the runtime or the app cannot load (e.g. 150: framework not found).
        if (!(ExitCode is 129 or 130 or 131 or 140 or 150 or 151 or 152 || unchecked((uint)ExitCode) >= 0x80008081u && unchecked((uint)ExitCode) <= 0x800080A0u))
            return false;
        Error("PSLM1003", $"the ParaSlm engine could not start (exit code {ExitCode}); the messages above say why. The engine "
            + "needs the .NET 10 runtime: install it (https://dot.net), or set ParaSlmDotnetHost to a dotnet that has it.");
        return true;
    }

    protected void Error(string code, string message) =>
        AzureDevOpsIssues.Error(Log, AzureDevOps, code, BuildEngine?.ProjectFileOfTaskNode, 0, 0, "ParaSlm: " + message);
}
