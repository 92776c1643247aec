using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// Where the copy may hand the OpenMP team back before serial work: a loop nest (a loop with a loop inside) that is a
/// statement of the body of a function that runs once (<see cref="RunOnceFunctions"/>), not inside any other statement.
/// After a parallel region libgomp's idle threads spin (GOMP_SPINCOUNT, about 300,000 rounds by default) before they sleep;
/// on a machine whose cores are shared they take the core from the serial nest that follows (PolyBench atax with gcc: its
/// serial kernel after the parallel `init_array`, 12.0 ms against 4.0 ms serial). Releasing the team there
/// (`omp_pause_resource_all(omp_pause_soft)`) costs one team start at the next region, at most once per site and run
/// because the function runs once. The rewriter re-checks that no loop of the nest is parallel in the final plan.
/// Only where the user's build has no OpenMP of its own (then every region in the program is ParaSlm's, and no user
/// `threadprivate` data can live in the released threads).
/// </summary>
public static class TeamReleaseSites
{
    public static IReadOnlyList<LoopFacts> Annotate(TranslationUnitSyntax tu, IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts)
    {
        var once = RunOnceFunctions.Of(tu);
        if (once.Count == 0) return facts;
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in loops)
        {
            if (l.Depth != 1 || l.Children.Count == 0 || l.Function.Node.Decl is not { } f || !once.TryGetValue(f.Key, out var why)) continue;
            // A statement of the function's body itself: not under an `if`, a `switch` or a block the release would have to enter.
            if (l.Node.Parent is not { Kind: NodeKind.Compound } body || !ReferenceEquals(body.Parent, l.Function.Node)) continue;
            byId.TryAdd(l.Id, why);
        }
        return facts.Select(f => byId.TryGetValue(f.Id, out var why) ? f with { TeamRelease = why } : f).ToList();
    }
}
