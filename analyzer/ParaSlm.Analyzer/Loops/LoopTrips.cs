using ParaSlm.Analyzer.Affine;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// Trip counts as C text for the run-time tests written just before a loop (cost guards, a team's condition), and the one
/// rule for whether a name in such a text means the same there as in every iteration.
/// </summary>
public static class LoopTrips
{
    /// <summary>The iterations of <paramref name="h"/> in its bounds' terms: span + 1, span / |step| + 1, or (span) / (step) + 1
    /// for a positive run-time step (`i += len`); null for a negative run-time step. Products and scaled terms are evaluated
    /// in `long long` (<see cref="LinearExpr.ToWideString"/>).</summary>
    public static string? Text(LoopHeader h)
    {
        var span = h.Max.Subtract(h.Min);
        if (!h.StepKnown) return h.Step > 0 ? $"({span.ToWideString()}) / ({h.StepExpr.ToWideString()}) + 1" : null;
        return Math.Abs(h.Step) == 1 ? span.Add(LinearExpr.One).ToWideString() : $"({span.ToWideString()}) / {Math.Abs(h.Step)} + 1";
    }

    /// <summary>A dependency key of an expression means the same just before <paramref name="loop"/> as in each of its
    /// iterations: no bound of a range-for (`lb:`/`ub:`, evaluated inside), nothing the loop declares or assigns.</summary>
    public static bool SameBefore(string key, LoopInfo loop) =>
        !key.StartsWith("lb:", StringComparison.Ordinal) && !key.StartsWith("ub:", StringComparison.Ordinal) &&
        !(loop.Function.DeclarationOf(key) is { } decl && loop.Node.Span.Contains(decl.Span)) &&
        !loop.Function.WritesOf(key).Any(w => loop.Node.Span.Contains(w.Span));
}
