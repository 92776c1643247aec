using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Engine.Diagnostics;

/// <summary>
/// The one place a <see cref="Diagnostic"/> becomes text for the build and the console: MSBuild's canonical format
/// (`file(line,col): warning PSLMnnnn: text`, `origin: error PSLMnnnn: text`), which the SDK's ToolTasks hand to
/// MSBuild as warnings and errors at the source line. An info is a plain line, never a build warning.
/// </summary>
public static class DiagnosticText
{
    /// <summary>The origin of a diagnostic that is not about a file.</summary>
    public const string Tool = "ParaSlm";

    /// <param name="origin">Shown instead of a file when the diagnostic has none (the project, `paraslm`); default `ParaSlm`.</param>
    public static string ForBuild(Diagnostic d, string? origin = null)
    {
        if (d.Severity == Severity.Info) return $"{Tool}: {d.Code}: info: {d.Message}";
        var where = d.File is null ? origin ?? Tool : d.Line > 0 ? $"{d.File}({d.Line},{d.Column})" : d.File;
        return $"{where}: {(d.Severity == Severity.Error ? "error" : "warning")} {d.Code}: {d.Message}";
    }
}
