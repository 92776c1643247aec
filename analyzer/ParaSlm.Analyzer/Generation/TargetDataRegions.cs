using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Offload;

namespace ParaSlm.Analyzer.Generation;

/// <summary>One `omp target data` region: from the first loop's line to the end of the last loop's statement.</summary>
/// <param name="Directive">The text after `#pragma `: `omp target data if(PARASLM_GPU_AVAILABLE) map(…)`.</param>
internal sealed record TargetDataRegion(EditPlan First, EditPlan Last, string Directive, IReadOnlyList<string> Arrays);

/// <summary>
/// Keeps arrays on the device across consecutive offloaded loops of one block (issue 15): a run of offloaded loops that
/// follow each other with nothing in between (no statement, no directive: the host touches nothing there) gets one
/// `target data` region mapping the arrays two or more of them share. Inside it each loop's own map finds its array
/// present and copies nothing, so the data crosses the bus once each way instead of once per loop.
/// </summary>
/// <remarks>
/// An array joins the region only when it is provably right:
/// <list type="bullet">
/// <item>every loop of the run names the same section (same text: an inner map larger than the region's would be a
///   run-time error), and no loop of the run assigns a variable that section reads (it is evaluated once, before the first loop);</item>
/// <item>no other array of the run may reach the same storage while one of the two is written (a `restrict` pointer, a
///   pointer to this function's own allocation, or two declared arrays): otherwise a loop reading it through the other
///   name would see the host's stale copy instead of the device's results;</item>
/// <item>it is copied in only when the first loop that uses it reads it (a `from` section is written whole before any
///   read), and copied back when any loop writes it.</item>
/// </list>
/// Loops under a runtime aliasing check, braceless bodies of other statements, and loops after a label are left alone.
/// </remarks>
internal static partial class TargetDataRegions
{
    public static IReadOnlyList<TargetDataRegion> Find(SourceDocument doc, IReadOnlyList<EditPlan> applied)
    {
        var regions = new List<TargetDataRegion>();
        var run = new List<EditPlan>();
        foreach (var p in applied.OrderBy(p => p.ForIndex))
        {
            if (!Candidate(doc, p))
            {
                Close(doc, run, regions);
                continue;
            }
            if (run.Count > 0 && !Adjacent(doc, run[^1], p)) Close(doc, run, regions);
            run.Add(p);
        }
        Close(doc, run, regions);
        return regions;
    }

    /// <summary>An offloaded loop versioned only on the device test, starting its own line as a statement of a block.</summary>
    private static bool Candidate(SourceDocument doc, EditPlan p)
    {
        if (p.Edit.Maps.Count == 0 || !OffloadDirective.IsOffload(p.Directive) || p.Check != OffloadDirective.DeviceCheck) return false;
        if (p.Wrap || !p.PrefixIsBlank || p.StatementEnd is null) return false;
        var at = doc.FirstCodeTokenAtOrAfter(p.ForIndex) - 1;
        return at >= 0 && doc.TextOf(doc.Code[at]) is ";" or "{" or "}";
    }

    /// <summary>The next token after the first loop's statement, directives included, is the second loop's `for`.</summary>
    private static bool Adjacent(SourceDocument doc, EditPlan first, EditPlan second)
    {
        var end = first.StatementEnd!.Value;
        return doc.Tokens.FirstOrDefault(t => t.Start >= end) is var next && next.Start == second.ForIndex && next.End > next.Start;
    }

    private static void Close(SourceDocument doc, List<EditPlan> run, List<TargetDataRegion> regions)
    {
        if (run.Count >= 2 && Region(doc, run) is { } region) regions.Add(region);
        run.Clear();
    }

    private static TargetDataRegion? Region(SourceDocument doc, List<EditPlan> run)
    {
        var assigned = run.SelectMany(p => Assigned(doc, p.ForIndex, p.StatementEnd!.Value)).ToHashSet(StringComparer.Ordinal);
        var all = run.SelectMany(p => p.Edit.Maps).ToList();
        var written = all.Where(a => a.Direction != MapDirection.To).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var shared = new List<(string Name, string Section, MapDirection Direction)>();
        foreach (var group in all.GroupBy(a => a.Name, StringComparer.Ordinal))
        {
            var uses = run.Select(p => p.Edit.Maps.FirstOrDefault(a => a.Name == group.Key)).OfType<MappedArray>().ToList();
            if (uses.Count < 2 || uses.Select(u => u.Section).Distinct(StringComparer.Ordinal).Count() != 1) continue;
            if (Identifier().Matches(uses[0].Section[uses[0].Name.Length..]).Any(m => assigned.Contains(m.Value))) continue;
            var x = uses[0];
            var mayAlias = all.Where(y => y.Name != x.Name && (written.Contains(x.Name) || written.Contains(y.Name)))
                .Any(y => !(x.Unaliased || y.Unaliased || (x.Declared && y.Declared)));
            if (mayAlias) continue;
            var copyIn = uses[0].Direction is MapDirection.To or MapDirection.ToFrom;
            var copyOut = uses.Any(u => u.Direction is MapDirection.From or MapDirection.ToFrom);
            shared.Add((x.Name, x.Section, (copyIn, copyOut) switch
            {
                (true, true) => MapDirection.ToFrom,
                (true, false) => MapDirection.To,
                (false, true) => MapDirection.From,
                _ => MapDirection.Alloc,
            }));
        }
        if (shared.Count == 0) return null;
        var maps = string.Join(" ", shared.GroupBy(s => s.Direction).OrderBy(g => g.Key)
            .Select(g => $"map({MappedArray.DirectionName(g.Key)}: {string.Join(", ", g.Select(s => s.Section))})"));
        return new TargetDataRegion(run[0], run[^1], $"omp target data if({OffloadDirective.DeviceCheck}) {maps}", shared.Select(s => s.Name).ToList());
    }

    /// <summary>Names the text between <paramref name="start"/> and <paramref name="end"/> may change: assigned, incremented,
    /// or whose address is taken (a conservative superset of what the loop writes outside its arrays).</summary>
    private static IEnumerable<string> Assigned(SourceDocument doc, int start, int end)
    {
        var code = doc.Code;
        for (var i = doc.FirstCodeTokenAtOrAfter(start); i < code.Length && code[i].Start < end; i++)
        {
            if (code[i].Kind != TokenKind.Identifier) continue;
            var before = i > 0 ? doc.TextOf(code[i - 1]) : string.Empty;
            var after = i + 1 < code.Length ? doc.TextOf(code[i + 1]) : string.Empty;
            if (after is "=" or "+=" or "-=" or "*=" or "/=" or "%=" or "<<=" or ">>=" or "&=" or "|=" or "^=" or "++" or "--" || before is "++" or "--" or "&")
                yield return doc.TextOf(code[i]);
        }
    }

    [GeneratedRegex(@"[A-Za-z_]\w*")]
    private static partial Regex Identifier();
}
