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

    /// <summary>The message without its code and location.</summary>
    public string Detail => Diagnostic.Message;
}
