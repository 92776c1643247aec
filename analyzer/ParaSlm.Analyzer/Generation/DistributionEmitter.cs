using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The distributed form of a serial loop (<see cref="LoopDistribution"/>), line by line, each line with the original line it
/// maps to (the rewriter puts `#line` directives where the mapping jumps):
/// <code>
/// { /* ParaSlm distribute(i:p,w) */
/// #pragma omp parallel private(i, j)                    the region (its cost guard and overlap check version it)
/// {
/// #pragma omp for schedule(static)                      a parallel group
///   for (i …) { statements; for (j …) { statements } }
///   for (i …) {                                         a work-shared group
/// #pragma omp for schedule(static) nowait
///     for (j …) { statements }
///   }
/// #pragma omp barrier                                  before the next group, after a work-shared one
/// } }
/// </code>
/// </summary>
public static class DistributionEmitter
{
    /// <param name="directive">The region's pragma text after `#pragma ` (`omp parallel private(i, j)`).</param>
    public static IReadOnlyList<(int Line, string Code)> Lines(LoopDistribution d, string directive)
    {
        var line = d.Line;
        var lines = new List<(int, string)>
        {
            (line, $"{{ /* ParaSlm {d.Name}: the loop's statement groups run as {d.Groups.Count} loops in one region */"),
            (line, "#pragma " + directive),
            (line, "{"),
        };
        for (var n = 0; n < d.Groups.Count; n++)
        {
            var g = d.Groups[n];
            var shared = g.Form == DistributedForm.WorksharedInner;
            if (!shared) lines.Add((line, "#pragma " + LoopDistribution.ParallelDirective));
            lines.Add((d.Header.Line, d.Header.Code + " {"));
            foreach (var part in g.Parts)
            {
                if (part.InnerHeader is not { } h)
                {
                    lines.AddRange(part.Statements.Select(s => (s.Line, s.Code)));
                    continue;
                }
                if (shared) lines.Add((h.Line, "#pragma " + LoopDistribution.WorksharingDirective));
                lines.Add((h.Line, h.Code + " {"));
                lines.AddRange(part.Statements.Select(s => (s.Line, s.Code)));
                lines.Add((h.Line, "}"));
            }
            lines.Add((d.Header.Line, "}"));
            // A work-shared group ends without a barrier (`nowait`): the next group may read what it wrote.
            if (shared && n < d.Groups.Count - 1) lines.Add((line, "#pragma omp barrier"));
        }
        lines.Add((line, "} }"));
        return lines;
    }
}
