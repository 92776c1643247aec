using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The unrolled-and-jammed form of a loop `j` (<see cref="UnrollJam"/>), line by line, each line with the original line it
/// maps to (the rewriter puts `#line` directives where the mapping jumps):
/// <code>
/// { const long long paraslm_ulo_j = LOW, paraslm_uhi_j = HIGH;           j's bounds, once (they are invariant)
///   const long long paraslm_ung_j = (hi - lo) / U (0 when empty);         whole groups of U iterations
/// [#pragma omp parallel for …]                                           where j is itself the parallel loop
///   for (long long paraslm_ug_j = 0; … < paraslm_ung_j; …++) {
///     const J paraslm_u_j = (J)(lo + g * U);
///     P copy 0 … P copy U-1                                              locals renamed per copy
///     for (k …) { { B copy 0 } … { B copy U-1 } }                        U independent chains
///     { F copy 0 } … { F copy U-1 }
///   }
///   for (j = lo + groups * U; j &lt; hi; j++) { P; for (k …) { B } F }      the remainder, as written
/// }
/// </code>
/// </summary>
public static class UnrollJamEmitter
{
    /// <param name="directive">Where `j` is itself the parallel loop: the pragma text after `#pragma ` for the group loop
    /// (`omp parallel for private(k)`, its groups shared among the threads); null inside a parallel loop.</param>
    public static IReadOnlyList<(int Line, string Code)> Lines(UnrollJam e, string? directive = null)
    {
        var (j, type, u) = (e.Counter, e.CounterType, e.Factor);
        var (lo, hi, groups, g) = ($"paraslm_ulo_{j}", $"paraslm_uhi_{j}", $"paraslm_ung_{j}", $"paraslm_ug_{j}");
        var lines = new List<(int, string)>
        {
            (e.Line, $"{{ /* ParaSlm {e.Name}: {u} iterations of `{j}` run their `{e.Inner[^1]}` loop together */"),
            (e.Line, $"const long long {lo} = {e.Low}, {hi} = {e.High};"),
            (e.Line, $"const long long {groups} = {hi} > {lo} ? ({hi} - {lo}) / {u} : 0;"),
        };
        if (directive is not null) lines.Add((e.Line, "#pragma " + directive));
        lines.Add((e.Line, $"for (long long {g} = 0; {g} < {groups}; {g}++) {{"));
        lines.Add((e.Line, $"const {type} {e.GroupStart} = ({type})({lo} + {g} * {u});"));
        foreach (var copy in e.Pre) lines.AddRange(copy.Select(l => (l.Line, l.Code)));
        if (e.Accumulators is { } acc) AddAccumulated(lines, e, acc);
        else AddNest(lines, e, e.Body);
        foreach (var copy in e.Final) AddBlock(lines, copy);
        lines.Add((e.Line, "}"));
        var start = $"({type})({lo} + {groups} * {u})";
        lines.Add((e.Line, (e.CounterDeclaredInHeader ? $"for ({type} {j} = {start}; " : $"for ({j} = {start}; ") + $"{j} < {hi}; {j}++) {{"));
        lines.AddRange(e.Remainder.Pre.Select(l => (l.Line, l.Code)));
        AddNest(lines, e, [e.Remainder.Body]);
        AddBlock(lines, e.Remainder.Final);
        lines.Add((e.Line, "} }"));
        return lines;
    }

    /// <summary>M's headers as written, the last one opening the body that holds each copy in a block of its own.</summary>
    private static void AddNest(List<(int, string)> lines, UnrollJam e, IReadOnlyList<IReadOnlyList<CopiedLine>> copies)
    {
        for (var n = 0; n < e.Headers.Count; n++) lines.Add((e.Headers[n].Line, e.Headers[n].Code + (n == e.Headers.Count - 1 ? " {" : string.Empty)));
        foreach (var copy in copies) AddBlock(lines, copy);
        lines.Add((e.Headers[^1].Line, "}"));
    }

    /// <summary>
    /// M with the chains' elements in accumulators (<see cref="JamAccumulators"/>): every copy's loads, M with the accumulated
    /// statements, every copy's stores, in a block of their own; where the form's condition does not hold (floating point that
    /// could round or contract otherwise) the preprocessor keeps the jam in memory.
    /// </summary>
    private static void AddAccumulated(List<(int, string)> lines, UnrollJam e, JamAccumulators acc)
    {
        if (acc.Condition is { } condition) lines.Add((e.Line, $"#if {condition}"));
        lines.Add((e.Headers[0].Line, "{"));
        foreach (var copy in acc.Load) lines.AddRange(copy.Select(l => (l.Line, l.Code)));
        AddNest(lines, e, acc.Body);
        foreach (var copy in acc.Store) lines.AddRange(copy.Select(l => (l.Line, l.Code)));
        lines.Add((e.Headers[^1].Line, "}"));
        if (acc.Condition is null) return;
        lines.Add((e.Line, "#else"));
        AddNest(lines, e, e.Body);
        lines.Add((e.Line, "#endif"));
    }

    /// <summary>A copy's statements in braces: its own declarations stay its own.</summary>
    private static void AddBlock(List<(int, string)> lines, IReadOnlyList<CopiedLine> copy)
    {
        if (copy.Count == 0) return;
        lines.Add((copy[0].Line, "{"));
        lines.AddRange(copy.Select(l => (l.Line, l.Code)));
        lines.Add((copy[^1].Line, "}"));
    }
}
