using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// Where a planning run reports: <see cref="Report"/> gets its diagnostics as data (no model, budget spent, breaker
/// open, plan cache trouble), <see cref="Progress"/> one line per nest while a model is in use. The engine decides how
/// either is shown.
/// </summary>
public sealed record PlannerLog(Action<Diagnostic> Report, Action<string> Progress)
{
    public static PlannerLog None { get; } = new(_ => { }, _ => { });
}
