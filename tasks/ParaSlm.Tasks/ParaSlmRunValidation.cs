using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace ParaSlm.Tasks;

/// <summary>
/// <c>paraslm validate @ARGS …</c> (<see cref="EngineToolTask"/>): validation's PSLM50xx diagnostics become MSBuild
/// warnings and errors at their loop or project as the engine's do, its summary line is shown at minimal verbosity,
/// and a run that fails without saying why gets PSLM5010. The task fails (so no stamp is written and the next build
/// validates again) whenever an error was reported.
/// </summary>
public sealed class ParaSlmRunValidation : EngineToolTask
{
    /// <summary>The arguments file the targets write (one argument per line; an Input of the validation target).</summary>
    [Required] public string ArgumentsFile { get; set; } = string.Empty;

    /// <summary>Arguments of this run only (a .vcxproj's step number, program and toolset).</summary>
    public string[] ExtraArguments { get; set; } = [];

    protected override void AppendCommand(CommandLineBuilder builder)
    {
        builder.AppendTextUnquoted(" validate");
        builder.AppendFileNameIfNotNull("@" + ArgumentsFile);
        // Quoted as needed, never prefixed: AppendFileNameIfNotNull would turn `--msbuild-step` into `./--msbuild-step`.
        foreach (var argument in ExtraArguments) builder.AppendSwitchIfNotNull(string.Empty, argument);
    }

    public override bool Execute()
    {
        YieldDuringToolExecution = true;
        return base.Execute() && !Log.HasLoggedErrors;
    }

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance) =>
        base.LogEventsFromTextOutput(singleLine, ImportanceOf(singleLine, messageImportance));

    /// <summary>The result line a user reads at minimal verbosity, and validation's own notes (`ParaSlm: PSLM5011: info: …`:
    /// what a variant's build left out of the project's flags — a variant that is not quite the user's build must say so
    /// where the user looks) are High; everything else keeps its importance.</summary>
    internal static MessageImportance ImportanceOf(string line, MessageImportance given) =>
        line.StartsWith("ParaSlm: validation", StringComparison.Ordinal) || ValidationNote.IsMatch(line) ? MessageImportance.High : given;

    private static readonly System.Text.RegularExpressions.Regex ValidationNote =
        new(@"^\S+: PSLM5\d{3}: info: ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    protected override bool HandleTaskExecutionErrors()
    {
        if (Log.HasLoggedErrors) return false; // the engine (or the start) reported the error itself
        if (HostFailed()) return false;
        Error("PSLM5010", $"validation failed to run (exit code {ExitCode}); its messages are above. To build without validating meanwhile, set ParaSlmValidate=none.");
        return false;
    }
}
