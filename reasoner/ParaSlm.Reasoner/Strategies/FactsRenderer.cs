using System.Globalization;
using System.Text;
using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>What a facts rendering shows and how much of it (prompts share a 4096-token context with the answer).</summary>
public sealed record FactsRendering
{
    /// <summary>
    /// Show the analyzer's own verdict and required clauses. Off for every shipped strategy: the strategies measure
    /// what the model concludes from the facts, and the verifier applies the verdict anyway. On for ablations.
    /// </summary>
    public bool IncludeVerdict { get; init; }

    public int MaxAccesses { get; init; } = 16;

    public int MaxDependencesPerLoop { get; init; } = 6;

    public int MaxScalarsPerLoop { get; init; } = 10;

    public int MaxCalls { get; init; } = 8;

    /// <summary>Longest source text shown, in characters (whole lines; the rest is summarized).</summary>
    public int MaxSourceChars { get; init; } = 3000;

    /// <summary>Longest reason text (of a call or a carried scalar) shown.</summary>
    public int MaxReasonChars { get; init; } = 110;

    /// <summary>The abstract facts, without the verdict.</summary>
    public static FactsRendering Abstract { get; } = new();

    /// <summary>The facts and the analyzer's verdict.</summary>
    public static FactsRendering WithVerdict { get; } = new() { IncludeVerdict = true };
}

/// <summary>
/// Renders a nest's facts as compact, deterministic text for prompts: the same input always gives the same text
/// (no dictionaries iterated, invariant culture), so prompts — and cache keys built from them — are reproducible.
/// Loops are named by the line of their `for`, the way the model answers (`loop_line`).
/// </summary>
public static class FactsRenderer
{
    /// <summary>Everything a one-shot prompt shows: the nest outline, accesses, dependences, scalars, calls, obstacles.</summary>
    public static string Render(PlanningInput input, FactsRendering? rendering = null)
    {
        var r = rendering ?? FactsRendering.Abstract;
        var sb = new StringBuilder();
        sb.Append(Outline(input));
        sb.Append("accesses:\n").Append(Accesses(input, null, r));
        sb.Append("dependences (\"carried\" = between different iterations of that loop):\n").Append(Dependences(input, null, r));
        sb.Append("scalars written (per loop):\n").Append(Scalars(input, null, r));
        sb.Append("calls:\n").Append(Calls(input, null, r));
        var obstacles = Obstacles(input, r);
        if (obstacles.Length > 0) sb.Append("other obstacles found in the body:\n").Append(obstacles);
        if (r.IncludeVerdict) sb.Append("analyzer verdict:\n").Append(Verdicts(input));
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>The nest's loops, outermost first: line, header in words, trip count, nesting, collapsible depth.</summary>
    public static string Outline(PlanningInput input)
    {
        var sb = new StringBuilder();
        var n = input.Nest.Count;
        sb.Append(CultureInfo.InvariantCulture, $"nest in function `{input.Loop.Function}`, {n} loop{(n == 1 ? "" : "s")} (outermost first):\n");
        foreach (var l in input.Nest)
        {
            sb.Append(CultureInfo.InvariantCulture, $"- loop line {l.Line}");
            if (l.ParentId is { } p && input.Nest.FirstOrDefault(x => x.Id == p) is { } parent)
                sb.Append(CultureInfo.InvariantCulture, $" (inside line {parent.Line})");
            sb.Append(": ").Append(l.Header.Length > 0 ? l.Header : "header not analyzed");
            // The header already says "N iterations" when the analyzer knows N; otherwise say it is unknown.
            if (l.TripCount is { } t && !l.Header.Contains(" iterations", StringComparison.Ordinal))
                sb.Append(CultureInfo.InvariantCulture, $"; {t} iterations");
            else if (l.TripCount is null) sb.Append("; trip count unknown");
            if (l.CollapsibleDepth > 1) sb.Append(CultureInfo.InvariantCulture, $"; {l.CollapsibleDepth} perfectly nested loops start here (collapse up to {l.CollapsibleDepth})");
            if (l.HasOpenMPDirective) sb.Append("; already has an OpenMP pragma");
            if (l.RuntimeCheck is { } check) sb.Append(CultureInfo.InvariantCulture, $"; arrays may overlap unless `{check}` (checked at run time)");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Accesses of the nest (or of one array), source order, duplicates merged.</summary>
    public static string Accesses(PlanningInput input, string? array, FactsRendering? rendering = null)
    {
        var r = rendering ?? FactsRendering.Abstract;
        var rows = input.Loop.Accesses
            .Where(a => array is null || string.Equals(a.Array, array, StringComparison.Ordinal))
            .Select(a => string.Create(CultureInfo.InvariantCulture, $"- line {a.Line}: {a.Text} {Mode(a)}{Subscripts(a)}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return Rows(rows, r.MaxAccesses, "none");
    }

    /// <summary>
    /// Dependences per loop (or of the loop at one line): carried ones in full (kind, accesses, direction, distance),
    /// the ones within one iteration counted — they never block parallelism and would fill the prompt.
    /// </summary>
    public static string Dependences(PlanningInput input, int? line, FactsRendering? rendering = null)
    {
        var r = rendering ?? FactsRendering.Abstract;
        var sb = new StringBuilder();
        foreach (var l in LoopsAt(input, line))
        {
            var carried = l.Dependences.Where(d => d.Carried).ToList();
            var within = l.Dependences.Count - carried.Count;
            var withinText = within == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({within} within one iteration)");
            if (carried.Count == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"- loop line {l.Line}: none carried{withinText}\n");
                continue;
            }
            foreach (var d in carried.Take(r.MaxDependencesPerLoop))
            {
                var distance = d.Distance is { } dist ? string.Create(CultureInfo.InvariantCulture, $", distance {dist}") : "";
                sb.Append(CultureInfo.InvariantCulture,
                    $"- loop line {l.Line}: {d.Kind} {d.Source} (line {d.SourceLine}) -> {d.Sink} (line {d.SinkLine}), direction {d.Direction}{distance}, carried\n");
            }
            var more = carried.Count - r.MaxDependencesPerLoop;
            if (more > 0 || within > 0)
                sb.Append(CultureInfo.InvariantCulture, $"- loop line {l.Line}: {(more > 0 ? $"+{more} more carried" : "no other carried")}{withinText}\n");
        }
        return sb.ToString();
    }

    /// <summary>Written scalars and their class per loop (or for the loop at one line).</summary>
    public static string Scalars(PlanningInput input, int? line, FactsRendering? rendering = null)
    {
        var r = rendering ?? FactsRendering.Abstract;
        var sb = new StringBuilder();
        foreach (var l in LoopsAt(input, line))
        {
            // A loop without written scalars is left out (a "none" line per loop of a deep nest costs tokens),
            // unless it is the one loop asked about.
            if (l.Scalars.Count == 0)
            {
                if (line is not null) sb.Append(CultureInfo.InvariantCulture, $"- loop line {l.Line}: none\n");
                continue;
            }
            var parts = l.Scalars.Take(r.MaxScalarsPerLoop)
                .Select(s => s.Class == "carried" ? $"{s.Name} carried ({Short(s.Reason, r)})" : $"{s.Name} {s.Class}");
            var more = l.Scalars.Count > r.MaxScalarsPerLoop ? string.Create(CultureInfo.InvariantCulture, $", +{l.Scalars.Count - r.MaxScalarsPerLoop} more") : "";
            sb.Append(CultureInfo.InvariantCulture, $"- loop line {l.Line}: {string.Join("; ", parts)}{more}\n");
        }
        return sb.Length == 0 ? "- none\n" : sb.ToString();
    }

    /// <summary>Calls in the nest (or to one function) and whether they are free of side effects.</summary>
    public static string Calls(PlanningInput input, string? function, FactsRendering? rendering = null)
    {
        var r = rendering ?? FactsRendering.Abstract;
        var rows = input.Loop.Calls
            .Where(c => function is null || string.Equals(c.Name, function, StringComparison.Ordinal))
            .Select(c => string.Create(CultureInfo.InvariantCulture,
                $"- {c.Name} (line {c.Line}): {(c.Pure ? "no side effects" : "HAS SIDE EFFECTS")} — {Short(c.Reason, r)}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return Rows(rows, r.MaxCalls, "none");
    }

    /// <summary>
    /// Blockers the analyzer found that the lists above do not show (an early `break`, a write it cannot follow,
    /// volatile memory): facts about the body, not the verdict.
    /// </summary>
    public static string Obstacles(PlanningInput input, FactsRendering? rendering = null)
    {
        var r = rendering ?? FactsRendering.Abstract;
        var calls = input.Loop.Calls.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var rows = input.Nest
            .SelectMany(l => l.Evidence
                .Where(e => e.StartsWith("line ", StringComparison.Ordinal) && !calls.Any(c => e.Contains($"`{c}`", StringComparison.Ordinal)))
                .Select(e => $"- loop line {l.Line}: {Short(Evidence(e), r)}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return rows.Count == 0 ? string.Empty : Rows(rows, 6, "none");
    }

    /// <summary>The analyzer's verdict per loop (only with <see cref="FactsRendering.IncludeVerdict"/>).</summary>
    public static string Verdicts(PlanningInput input)
    {
        var sb = new StringBuilder();
        foreach (var l in input.Nest)
        {
            var clauses = l.Clauses.Length > 0 ? $" with {l.Clauses}" : "";
            if (l.Parallelizable) sb.Append(CultureInfo.InvariantCulture, $"- loop line {l.Line}: parallelizable{clauses}\n");
            else sb.Append(CultureInfo.InvariantCulture, $"- loop line {l.Line}: {l.Reason}\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// The nest's source with line numbers (`12| …`), cut at whole lines past <see cref="FactsRendering.MaxSourceChars"/>.
    /// Code fences in the source are broken up so the source cannot end the prompt's own fence.
    /// </summary>
    public static string Source(PlanningInput input, FactsRendering? rendering = null)
    {
        var r = rendering ?? FactsRendering.Abstract;
        var lines = input.SourceText.Replace("\r\n", "\n").Replace('\r', '\n').Replace("\t", "    ").TrimEnd('\n').Split('\n');
        // Common indentation costs tokens on every line of a deep nest and tells the model nothing.
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
        var first = input.FirstSourceLine;
        var width = (first + lines.Length - 1).ToString(CultureInfo.InvariantCulture).Length;
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var text = (lines[i].Length >= indent ? lines[i][indent..] : lines[i].TrimStart()).Replace("```", "'''").TrimEnd();
            var row = string.Create(CultureInfo.InvariantCulture, $"{(first + i).ToString(CultureInfo.InvariantCulture).PadLeft(width)}| {text}\n");
            if (sb.Length + row.Length > r.MaxSourceChars && i > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"… ({lines.Length - i} more lines not shown)\n");
                break;
            }
            sb.Append(row);
        }
        return sb.ToString().TrimEnd('\n');
    }

    // "line 3: `break` leaves the loop early" → "`break` leaves the loop early (line 3)": the loop's own line leads.
    private static string Evidence(string e)
    {
        var colon = e.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? $"{e[(colon + 2)..]} ({e[..colon]})" : e;
    }

    private static IEnumerable<LoopFacts> LoopsAt(PlanningInput input, int? line)
    {
        if (line is null) return input.Nest;
        var matching = input.Nest.Where(l => l.Line == line).ToList();
        return matching.Count > 0 ? matching : input.Nest;
    }

    private static string Mode(AccessFact a) => (a.Read, a.Write) switch
    {
        (true, true) => "read+write",
        (false, true) => "write",
        _ => "read",
    };

    // The access text shows its subscripts (`a[i][k]`); only an access through a local alias (`row[j]` for
    // `a + i * n`) needs the analyzer's view of which array and element it touches.
    private static string Subscripts(AccessFact a)
    {
        if (a.Subscripts.Count == 0 || a.Text.StartsWith(a.Array + "[", StringComparison.Ordinal)) return "";
        return $" (= {a.Array}{string.Concat(a.Subscripts.Select(s => $"[{s}]"))})";
    }

    private static string Rows(IReadOnlyList<string> rows, int max, string empty)
    {
        if (rows.Count == 0) return $"- {empty}\n";
        var sb = new StringBuilder();
        foreach (var row in rows.Take(max)) sb.Append(row).Append('\n');
        if (rows.Count > max) sb.Append(CultureInfo.InvariantCulture, $"- (+{rows.Count - max} more)\n");
        return sb.ToString();
    }

    private static string Short(string text, FactsRendering r)
    {
        var t = text.Replace('\n', ' ').Trim();
        return t.Length <= r.MaxReasonChars ? t : t[..r.MaxReasonChars].TrimEnd() + "…";
    }
}
