namespace ParaSlm.Analyzer.Clang;

/// <summary>No usable libclang could be loaded; the message says where ParaSlm looked and what to do.</summary>
public sealed class LibClangNotFoundException(string message) : Exception(message);
