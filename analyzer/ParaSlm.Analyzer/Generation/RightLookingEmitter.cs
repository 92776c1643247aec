using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The right-looking form of a serial loop (<see cref="RightLooking"/>), line by line, each line with the original line it
/// maps to (the rewriter puts `#line` directives where the mapping jumps). No parallel directive: the form is serial, it
/// reorders the loops so that the inner one walks rows, and vectorizes that inner loop (`omp simd`: clang did not, as it
/// cannot tell the store to `A[i][j]` from the load of `A[i][k]`).
/// <code>
/// { /* ParaSlm right-looking(j,k) … */
///   [int j; int k;]                         counters the original declared in their headers
///   for (k = lo; k &lt; hi; k++) {            the old outer range, as k
///     j = k; T;                             T(k), as written (it reads j); left out when there is no T
/// #pragma omp simd                         its iterations are independent (RightLookingRecognizer's theorem)
///     for (j = k + 1; j &lt; hi; j++) { S }    S(j, k) for every j &gt; k, as written
///   }
/// }
/// </code>
/// </summary>
public static class RightLookingEmitter
{
    public static IReadOnlyList<(int Line, string Code)> Lines(RightLooking r)
    {
        var (j, k) = (r.Outer, r.Inner);
        var lines = new List<(int, string)>
        {
            (r.OuterLine, $"{{ /* ParaSlm {r.Name}: `{k}` outside, each element finished before it is read */"),
        };
        lines.AddRange(r.Declarations.Select(d => (r.OuterLine, "  " + d)));
        lines.Add((r.InnerLine, $"  for ({k} = {r.Low}; {k} < {r.High}; {k}++) {{"));
        if (r.Finish.Count > 0)
        {
            lines.Add((r.OuterLine, $"    {j} = {k};"));
            lines.AddRange(r.Finish.Select(t => (t.Line, "    " + t.Code)));
        }
        lines.Add((r.OuterLine, "#pragma " + RightLooking.InnerDirective));
        lines.Add((r.OuterLine, $"    for ({j} = {k} + 1; {j} < {r.High}; {j}++) {{"));
        lines.Add((r.Update.Line, "      " + r.Update.Code));
        lines.Add((r.OuterLine, "    }"));
        lines.Add((r.InnerLine, "  }"));
        lines.Add((r.OuterLine, "}"));
        return lines;
    }
}
