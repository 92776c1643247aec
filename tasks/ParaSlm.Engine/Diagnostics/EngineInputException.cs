using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Engine.Diagnostics;

/// <summary>An input the engine cannot use at all (PSLM0006 compile_commands.json, PSLM0007 the request): the run stops
/// with this <see cref="Diagnostic"/>.</summary>
public sealed class EngineInputException(Diagnostic diagnostic) : Exception(diagnostic.ToString())
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
