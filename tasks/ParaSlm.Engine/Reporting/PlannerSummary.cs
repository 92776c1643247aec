namespace ParaSlm.Engine;

/// <summary>The report header's "Planned by" line: who made the plans a user is reading, and why the analyzer when a
/// model was meant to.</summary>
public static class PlannerSummary
{
    /// <param name="fallback">Why no model planned (the planner's availability answer), or null.</param>
    public static string Describe(EngineRequest request, IReadOnlyList<ReportLoop> loops, string? fallback)
    {
        var byOrigin = loops.GroupBy(l => l.Origin).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        int Count(string origin) => byOrigin.TryGetValue(origin, out var n) ? n : 0;
        if (request.Strategy == "analyzer")
            return $"the analyzer's own deterministic plan (ParaSlmStrategy=analyzer), {loops.Count} loops.";
        if (fallback is not null)
        {
            return $"the analyzer, as a fallback: no model answered ({fallback}). To plan with the model, start Ollama (`ollama serve`) with it pulled " +
                   $"(`ollama pull {request.Model}`), or set ParaSlmEndpoint / ParaSlmModel; the analyzer's plans are safe either way.";
        }
        var parts = new List<string>();
        if (Count("model") > 0) parts.Add($"{Count("model")} loops planned by the model");
        if (Count("cache") > 0) parts.Add($"{Count("cache")} from the plan cache (earlier model answers)");
        if (Count("analyzer") > 0) parts.Add($"{Count("analyzer")} by the analyzer (loops no model plan was needed or kept for)");
        if (Count("user") > 0) parts.Add($"{Count("user")} as the user asserted");
        return $"model **{request.Model}**, strategy **{request.Strategy}**: {(parts.Count == 0 ? "no loops" : string.Join(", ", parts))}.";
    }
}
