using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Analyzer.Clang;

/// <summary>A source ParaSlm cannot analyze (PSLM0003 missing file, PSLM0004 no AST, PSLM0005 compile errors).</summary>
public sealed class SourceParseException(Diagnostic diagnostic) : Exception(diagnostic.ToString())
{
    public Diagnostic Diagnostic { get; } = diagnostic;

    /// <summary>The stable diagnostic code.</summary>
    public string Code => Diagnostic.Code;

    /// <summary>Where the first error is, when known.</summary>
    public string? File => Diagnostic.File;

    public int Line => Diagnostic.Line;

    public int Column => Diagnostic.Column;

    /// <summary>User headers the file included (PSLM0005: the parse got that far). The error may sit in one of them, so
    /// a build must look at the file again when one changes.</summary>
    public IReadOnlyList<string> IncludedFiles { get; init; } = [];

    /// <summary>The message without its code and location.</summary>
    public string Detail => Diagnostic.Message;
}
