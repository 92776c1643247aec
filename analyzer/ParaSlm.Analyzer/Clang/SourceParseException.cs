namespace ParaSlm.Analyzer.Clang;

/// <summary>The source could not be read or parsed; the message carries the PSLM code and the file.</summary>
public sealed class SourceParseException(string message) : Exception(message)
{
    /// <summary>The stable diagnostic code (PSLM0003 missing file, PSLM0004 no AST, PSLM0005 compile errors).</summary>
    public string Code { get; init; } = message.StartsWith("PSLM", StringComparison.Ordinal) ? message[..8] : "PSLM0004";

    /// <summary>Where the first error is, when known.</summary>
    public string? File { get; init; }

    public int Line { get; init; }

    public int Column { get; init; }

    /// <summary>The message without its code and location prefix.</summary>
    public string Detail { get; init; } = message;
}
