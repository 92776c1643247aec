using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// Runs cmake (a configure or a <c>cmake --build</c>) and turns what it and the compilers print into MSBuild
/// errors and warnings at the right file and line; a failure ends with one PSLM error that says what to do.
/// </summary>
public sealed class ParaSlmCMake : ToolTask
{
    /// <summary>ParaSlmAzureDevOps (empty: TF_BUILD=True): its PSLM diagnostics are also Azure Pipelines issues.</summary>
    public string AzureDevOps { get; set; } = string.Empty;

    [Required] public string CMakePath { get; set; } = string.Empty;

    /// <summary>One argument per entry; quoted as needed.</summary>
    public string[] Arguments { get; set; } = [];

    /// <summary>Appended verbatim (the user's ParaSlmCMakeArgs / ParaSlmCMakeBuildArgs).</summary>
    public string ExtraArguments { get; set; } = string.Empty;

    /// <summary>The PSLM code for a failure (PSLM1002 configure, PSLM1005 build).</summary>
    [Required] public string FailureCode { get; set; } = string.Empty;

    /// <summary>What failed and what the user can do about it.</summary>
    [Required] public string FailureMessage { get; set; } = string.Empty;

    /// <summary>How loud CMake's ordinary output is: Low, Normal or High.</summary>
    public string OutputImportance { get; set; } = "Low";

    public string WorkingDirectory { get; set; } = string.Empty;

    /// <summary>
    /// For a configure: the settings this tree is configured with. When they differ from the ones it was last
    /// configured with, the cache is dropped first, so a removed -D option or another generator really takes effect.
    /// </summary>
    public string SettingsFile { get; set; } = string.Empty;

    /// <summary>For a configure: the build tree (needed with <see cref="SettingsFile"/>).</summary>
    public string BuildDirectory { get; set; } = string.Empty;

    /// <summary>
    /// A failure ParaSlm can recover from (the inject configure: the plain build follows): CMake's errors and the
    /// failure itself are logged as warnings, the task succeeds, and <see cref="Succeeded"/> says what happened.
    /// </summary>
    public bool Recoverable { get; set; }

    /// <summary>Whether cmake ran and reported no error.</summary>
    [Output] public bool Succeeded { get; private set; }

    private bool _errorSeen;

    private const string RecordedSettings = "paraslm.configure.settings";

    private readonly ToolOutputParser _parser = new();

    protected override string ToolName => Path.GetFileName(CMakePath);

    protected override MessageImportance StandardOutputLoggingImportance => Importance;
    protected override MessageImportance StandardErrorLoggingImportance => Importance;

    // CMake names list files relative to the source folder, which is where it runs.
    private string? Located(string? file) =>
        file is null || Path.IsPathRooted(file) || WorkingDirectory.Length == 0 ? file : Path.GetFullPath(Path.Combine(WorkingDirectory, file));

    private MessageImportance Importance =>
        Enum.TryParse<MessageImportance>(OutputImportance, ignoreCase: true, out var importance) ? importance : MessageImportance.Low;

    public override bool Execute()
    {
        YieldDuringToolExecution = true;
        var configure = SettingsFile.Length > 0 && BuildDirectory.Length > 0;
        if (configure) ForgetOutdatedCache();
        var ok = base.Execute() && !Log.HasLoggedErrors && !_errorSeen;
        if (ok && configure) File.Copy(SettingsFile, Path.Combine(BuildDirectory, RecordedSettings), overwrite: true);
        Succeeded = ok;
        return ok || Recoverable && !Log.HasLoggedErrors;
    }

    private void ForgetOutdatedCache()
    {
        var cache = Path.Combine(BuildDirectory, "CMakeCache.txt");
        var recorded = Path.Combine(BuildDirectory, RecordedSettings);
        var same = File.Exists(recorded) && File.Exists(SettingsFile) && File.ReadAllText(recorded) == File.ReadAllText(SettingsFile);
        // The record is rewritten only after a successful configure, so a failed one is never taken as current.
        if (File.Exists(recorded)) File.Delete(recorded);
        // Only in a tree ParaSlm created: a folder the user pointed us at keeps its cache.
        if (same || !File.Exists(cache) || !File.Exists(Path.Combine(BuildDirectory, Files.OwnedMarker))) return;
        Log.LogMessage(MessageImportance.Normal, $"ParaSlm: the CMake settings of {BuildDirectory} changed; configuring it afresh.");
        File.Delete(cache);
        var cmakeFiles = Path.Combine(BuildDirectory, "CMakeFiles");
        if (Directory.Exists(cmakeFiles)) Directory.Delete(cmakeFiles, recursive: true);
    }

    protected override string GenerateFullPathToTool() => CMakePath;

    protected override string GetWorkingDirectory() => WorkingDirectory.Length > 0 ? WorkingDirectory : base.GetWorkingDirectory();

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        foreach (var argument in Arguments)
        {
            // An empty switch name appends the value alone, quoted only when it needs to be.
            builder.AppendSwitchIfNotNull(string.Empty, argument);
        }
        if (ExtraArguments.Trim().Length > 0) builder.AppendTextUnquoted(" " + ExtraArguments.Trim());
        return builder.ToString();
    }

    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        var exitCode = base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        Report(_parser.Flush());
        return exitCode;
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance) =>
        Report(_parser.Feed(singleLine));

    protected override bool HandleTaskExecutionErrors()
    {
        if (Recoverable)
        {
            AzureDevOpsIssues.Warning(Log, AzureDevOps, FailureCode, BuildEngine?.ProjectFileOfTaskNode, 0, 0,
                $"ParaSlm: {FailureMessage} (cmake exited with code {ExitCode}).");
            return false;
        }
        AzureDevOpsIssues.Error(Log, AzureDevOps, FailureCode, BuildEngine?.ProjectFileOfTaskNode, 0, 0,
            $"ParaSlm: {FailureMessage} (cmake exited with code {ExitCode}).");
        return false;
    }

    private void Report(IEnumerable<ToolEvent> events)
    {
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case ToolEventKind.Error when Recoverable:
                    _errorSeen = true;
                    AzureDevOpsIssues.Warning(Log, AzureDevOps, null, Located(e.File), e.Line, e.Column, e.Text);
                    break;
                case ToolEventKind.Error:
                    AzureDevOpsIssues.Error(Log, AzureDevOps, null, Located(e.File), e.Line, e.Column, e.Text);
                    break;
                case ToolEventKind.Warning:
                    AzureDevOpsIssues.Warning(Log, AzureDevOps, null, Located(e.File), e.Line, e.Column, e.Text);
                    break;
                default:
                    // MSVC and other canonical "file(line): error X: …" lines are recognised here.
                    Log.LogMessageFromText(e.Text, Importance);
                    break;
            }
        }
    }
}
