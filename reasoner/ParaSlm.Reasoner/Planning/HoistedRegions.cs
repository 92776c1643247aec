using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// Turns the plans of a serial loop's nests into one <see cref="SerialLoopHoist"/> edit, or leaves them to their own
/// `parallel for` edits. The region is built only when every nest of the serial loop is either work-shared with that
/// transform or (planned serial, and allowed to) run by one thread in `omp single`, no other parallel plan lies inside
/// such a serial nest, and each work-shared nest's cost guard and overlap check can be evaluated once in front of the
/// serial loop (they name nothing the serial loop writes or declares, nor its counter); a nest whose test changes with
/// the step runs in `omp single` instead where it may.
/// </summary>
public static class HoistedRegions
{
    /// <summary>The edits, keyed by the id of each region's first work-shared nest (the edit's loop id), and the ids of
    /// the other nests the regions carry.</summary>
    public static (IReadOnlyDictionary<string, LoopEdit> Edits, IReadOnlySet<string> Carried) Build(
        IReadOnlyList<LoopPlan> parallel, IReadOnlyDictionary<string, LoopFacts> facts, IReadOnlyList<LoopFacts> all)
    {
        var edits = new Dictionary<string, LoopEdit>(StringComparer.Ordinal);
        var carried = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hoist in parallel.Select(p => facts[p.Id].SerialHoist).OfType<SerialLoopHoist>().DistinctBy(h => h.SerialLoopId))
        {
            if (Edit(hoist, parallel, facts, all) is not { } edit) continue;
            edits[edit.LoopId] = edit;
            foreach (var n in hoist.NestParts()) if (n.LoopId != edit.LoopId) carried.Add(n.LoopId!);
        }
        return (edits, carried);
    }

    /// <summary>Whether a loop planned parallel lies inside the nest <paramref name="nestId"/> (it would lose its own region
    /// under `omp single`).</summary>
    private static bool InsideParallel(string nestId, IReadOnlyList<LoopPlan> parallel, IReadOnlyDictionary<string, LoopFacts> facts) =>
        parallel.Any(p => p.Id != nestId && Ancestors(p.Id, facts).Contains(nestId));

    private static IEnumerable<string> Ancestors(string id, IReadOnlyDictionary<string, LoopFacts> facts)
    {
        for (var up = facts[id].ParentId; up is not null && facts.TryGetValue(up, out var parent); up = parent.ParentId) yield return up;
    }

    /// <summary>The region's edit, or null when its nests' plans do not allow it.</summary>
    public static LoopEdit? Edit(SerialLoopHoist hoist, IReadOnlyList<LoopPlan> parallel, IReadOnlyDictionary<string, LoopFacts> facts, IReadOnlyList<LoopFacts> all)
    {
        var byId = parallel.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var singles = hoist.NestParts().Where(n => !byId.ContainsKey(n.LoopId!)).Select(n => n.LoopId!).ToHashSet(StringComparer.Ordinal);
        // A parallel loop inside a nest that would run in `omp single` would lose its own region: keep the nests apart.
        if (parallel.Any(p => Ancestors(p.Id, facts).Any(singles.Contains))) return null;
        var parts = new List<string>();
        var guards = new List<string?>();
        var checks = new List<string>();
        string? first = null;
        foreach (var part in hoist.Parts)
        {
            if (part.LoopId is null)
            {
                parts.Add("omp single");
                continue;
            }
            if (!byId.TryGetValue(part.LoopId, out var plan))
            {
                if (!part.SingleIfSerial) return null;
                parts.Add("omp single");
                continue;
            }
            if (plan.Proposal.Transform != SerialLoopHoist.TransformName || plan.Proposal.Target != Analyzer.Verification.ParallelTarget.CpuOpenMP) return null;
            var f = facts[part.LoopId];
            var guard = LoopCost.IfClause(f, all, facts);
            if (!hoist.CanTestBefore(guard) || !hoist.CanTestBefore(plan.RuntimeCheck))
            {
                // Its test changes with the step (fdtd-2d's `_fict_[t]` row): run it by one thread, as written, if it may.
                if (!part.SingleIfSerial || InsideParallel(part.LoopId, parallel, facts)) return null;
                parts.Add("omp single");
                continue;
            }
            parts.Add(LoopEdit.ForProposal(f, plan.Proposal with { Transform = null }, null, ownRegion: false).Directive);
            guards.Add(guard);
            if (plan.RuntimeCheck is { } check) checks.Add(check);
            first ??= plan.Id;
        }
        if (first is null) return null;
        var condition = checks.Count == 0 ? null : checks.Count == 1 ? checks[0] : string.Join(" && ", checks.Select(c => $"({c})"));
        return LoopEdit.ForHoist(hoist, parts, guards, condition, first);
    }
}
