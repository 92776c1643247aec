namespace ParaSlm.Analyzer.Clang;

/// <summary>The source could not be read or parsed; the message carries the PSLM code and the file.</summary>
public sealed class SourceParseException(string message) : Exception(message);
