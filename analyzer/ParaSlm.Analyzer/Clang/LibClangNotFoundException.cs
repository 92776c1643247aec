using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Analyzer.Clang;

/// <summary>No usable libclang (PSLM0002); <see cref="Diagnostic"/> says where ParaSlm looked and what to install.</summary>
public sealed class LibClangNotFoundException(Diagnostic diagnostic) : Exception(diagnostic.ToString())
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
