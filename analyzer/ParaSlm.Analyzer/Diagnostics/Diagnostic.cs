namespace ParaSlm.Analyzer.Diagnostics;

/// <summary>How much a <see cref="Diagnostic"/> matters: info (the program is as asked), warning (still a correct
/// program, but not what was asked: a loop stays serial, a cache is skipped), error (the build should stop).</summary>
public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One PSLM diagnostic as data, from wherever it arises (analyzer, planner, plan cache, validation) to the engine, which
/// alone turns it into text: MSBuild's canonical line, the console, the report, an Azure DevOps issue. Nothing reads
/// the text back. <see cref="File"/> is null when the diagnostic is not about a file; <see cref="Line"/> and
/// <see cref="Column"/> are 0 when unknown.
/// </summary>
public sealed record Diagnostic(string Code, Severity Severity, string Message, string? File = null, int Line = 0, int Column = 0)
{
    public static Diagnostic Info(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(code, Severity.Info, message, file, line, column);

    public static Diagnostic Warning(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(code, Severity.Warning, message, file, line, column);

    public static Diagnostic Error(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(code, Severity.Error, message, file, line, column);

    /// <summary>"PSLM0005: a.c(3,7): message" — for exception messages and logs; the build's form is the engine's.</summary>
    public override string ToString()
    {
        var where = File is null ? string.Empty : Line > 0 ? $"{File}({Line},{Column}): " : $"{File}: ";
        return $"{Code}: {where}{Message}";
    }
}
