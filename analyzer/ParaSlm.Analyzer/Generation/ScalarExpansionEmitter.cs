using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The scalar-expanded form of a loop `j` (<see cref="ScalarExpansion"/>), line by line, each line with the original line it
/// maps to (the rewriter puts `#line` directives where the mapping jumps):
/// <code>
/// { const long long paraslm_xlo_j = LOW, paraslm_xhi_j = HIGH;            j's bounds, once (they are invariant)
///   for (long long paraslm_x0_j = lo; … ; paraslm_x0_j += STRIP) {      strips of j (shared among threads: from
///                                                                        `lo` rounded down to a line's worth of elements)
///     const long long paraslm_x1_j = …; T paraslm_x_s[STRIP];            s per j of the strip (private: declared here)
///     for (J j = …) { paraslm_x_s[j - paraslm_x0_j] = INIT; … }          the statements before the nest
///     for (a …) for (b …) {                                              the reduction loops, as written
/// #pragma omp simd
///       for (J j = …) { BODY with s replaced }                           stride-1 innermost
///     }
///     for (J j = …) { FINAL with s replaced }
///     for (c …) { for (J j = …) { BODY2 } }  for (J j = …) { FINAL2 }     each later nest the same way
/// } }
/// </code>
/// </summary>
public static class ScalarExpansionEmitter
{
    /// <param name="directive">Where `j` is itself the parallel loop: the pragma text after `#pragma ` for the strip loop
    /// (`omp parallel for private(i)`, its strips shared among the threads); null inside a parallel loop.</param>
    public static IReadOnlyList<(int Line, string Code)> Lines(ScalarExpansion e, string? directive = null)
    {
        var (j, type) = (e.Counter, e.CounterType);
        var (lo, hi, x0, x1) = ($"paraslm_xlo_{j}", $"paraslm_xhi_{j}", e.StripStart, $"paraslm_x1_{j}");
        // A `j` declared before the loop is the one the form's loops assign (a second declaration would shadow it): private to
        // the strip loop's region here, and inside a parallel loop already private to it (that loop writes it).
        var loop = e.CounterDeclaredInHeader ? $"for ({type} {j} = ({type}){x0}; {j} < {x1}; {j}++)" : $"for ({j} = ({type}){x0}; {j} < {x1}; {j}++)";
        if (directive is not null && !e.CounterDeclaredInHeader) directive = Privatizing(directive, j);
        var what = e.Scalars.Count == 0 ? string.Empty : string.Join(", ", e.Scalars.Select(x => $"`{x.Name}`")) + " kept per `" + j + "`, ";
        var lines = new List<(int, string)>
        {
            (e.Line, $"{{ /* ParaSlm {e.Name}: {what}the reduction loops run outside `{j}` */"),
            (e.Line, $"const long long {lo} = {e.Low}, {hi} = {e.High};"),
        };
        if (directive is null)
        {
            lines.Add((e.Line, $"for (long long {x0} = {lo}; {x0} < {hi}; {x0} += {e.Strip}) {{"));
            lines.Add((e.Line, $"const long long {x1} = {x0} + {e.Strip} < {hi} ? {x0} + {e.Strip} : {hi};"));
        }
        else
        {
            // Shared strips start at multiples of a line's worth of elements (StripAlignment): the first strip is the shorter.
            var xa = $"paraslm_xa_{j}";
            lines.Add((e.Line, "#pragma " + directive));
            lines.Add((e.Line, $"for (long long {xa} = {StripAlignment.AlignedDown(lo, e.Align)}; {xa} < {hi}; {xa} += {e.Strip}) {{"));
            lines.Add((e.Line, $"const long long {x0} = {xa} > {lo} ? {xa} : {lo};"));
            lines.Add((e.Line, $"const long long {x1} = {xa} + {e.Strip} < {hi} ? {xa} + {e.Strip} : {hi};"));
        }
        lines.AddRange(e.Scalars.Select(x => (e.Line, $"{x.Type} {ScalarExpansion.ArrayOf(x.Name)}[{e.Strip}];")));
        if (e.Pre.Count > 0)
        {
            lines.Add((e.Line, loop + " {"));
            lines.AddRange(e.Pre.Select(l => (l.Line, l.Code)));
            lines.Add((e.Line, "}"));
        }
        for (var n = 0; n < e.Headers.Count; n++) lines.Add((e.Headers[n].Line, e.Headers[n].Code + (n == e.Headers.Count - 1 ? " {" : string.Empty)));
        if (e.Simd) lines.Add((e.Line, "#pragma omp simd"));
        lines.Add((e.Line, loop + " {"));
        lines.AddRange(e.Body.Select(l => (l.Line, l.Code)));
        lines.Add((e.Line, "} }"));
        lines.Add((e.Line, loop + " {"));
        lines.AddRange(e.Final.Select(l => (l.Line, l.Code)));
        // One nest: the form's closing braces on the final loop's line, as always.
        if (e.Following.Count == 0)
        {
            lines.Add((e.Line, "} } }"));
            return lines;
        }
        lines.Add((e.Line, "}"));
        foreach (var n in e.Following)
        {
            for (var h = 0; h < n.Headers.Count; h++) lines.Add((n.Headers[h].Line, n.Headers[h].Code + (h == n.Headers.Count - 1 ? " {" : string.Empty)));
            if (n.Simd) lines.Add((e.Line, "#pragma omp simd"));
            lines.Add((e.Line, loop + " {"));
            lines.AddRange(n.Body.Select(l => (l.Line, l.Code)));
            lines.Add((e.Line, "} }"));
            if (n.Final.Count == 0) continue;
            lines.Add((e.Line, loop + " {"));
            lines.AddRange(n.Final.Select(l => (l.Line, l.Code)));
            lines.Add((e.Line, "}"));
        }
        lines.Add((e.Line, "} }"));
        return lines;
    }

    /// <summary>The directive with `private(j)` added, unless one of its private clauses already names `j`.</summary>
    private static string Privatizing(string directive, string j) =>
        Regex.IsMatch(directive, $@"\bprivate\s*\([^)]*\b{Regex.Escape(j)}\b") ? directive : $"{directive} private({j})";
}
