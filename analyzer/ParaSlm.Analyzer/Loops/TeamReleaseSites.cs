using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// Where the copy hands the OpenMP team back before serial work. A release site is a loop nest (a loop with a loop inside,
/// no call in it) that is a statement of the body of a function that runs once (<see cref="RunOnceFunctions"/>). After a parallel region
/// libgomp's idle threads spin (GOMP_SPINCOUNT) and then sleep; either way they cost the serial nest that follows (PolyBench
/// atax with gcc: its serial kernel after the parallel `init_array`). The release (`omp_pause_resource_all(omp_pause_soft)`)
/// must come right after the region, while the workers are still awake: before the serial nest itself it has to wake
/// sleeping threads to end them, which cost more than the spinning did (measured, ARCHITECTURE.md "Team release").
/// So each site carries the top-level loops that run before it, latest first, in program order across run-once functions
/// (<see cref="LoopFacts.TeamReleaseAfter"/>): the rewriter releases after the last of them that opens a region, and
/// inside the parallel branch of every region before it that may not run (a cost guard), up to one that always runs.
/// Only where the user's build has no OpenMP of its own (every region is then ParaSlm's, and no user `threadprivate`
/// data lives in the released threads).
/// </summary>
public static class TeamReleaseSites
{
    /// <summary>Ends a predecessor list: a statement with loops inside that is no loop of its own (its regions, if any,
    /// cannot be followed by a release here).</summary>
    public static readonly ReleasePredecessor Opaque = new(string.Empty, 0, 0);

    public static IReadOnlyList<LoopFacts> Annotate(TranslationUnitSyntax tu, IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts)
    {
        var once = RunOnceFunctions.Of(tu);
        if (once.Why.Count == 0) return facts;
        var topLoops = new Dictionary<SyntaxNode, LoopInfo>(ReferenceEqualityComparer.Instance);
        foreach (var l in loops)
            if (l.Depth == 1) topLoops[l.Node] = l;
        var sites = new Dictionary<string, (string Why, IReadOnlyList<ReleasePredecessor> After)>(StringComparer.Ordinal);
        foreach (var l in loops)
        {
            if (l.Depth != 1 || l.Children.Count == 0 || l.Function.Node.Decl is not { } f || !once.Why.TryGetValue(f.Key, out var why)) continue;
            // A statement of the function's body itself: not under an `if`, a `switch` or a block.
            if (l.Node.Parent is not { Kind: NodeKind.Compound } body || !ReferenceEquals(body.Parent, l.Function.Node)) continue;
            // Compute work only: a nest that calls functions (PolyBench's print_array and its fprintf) is not what the release
            // protects, and the release would land after the timed kernel's last region instead.
            if (l.Node.DescendantsAndSelf().Any(n => n.Kind == NodeKind.Call)) continue;
            var after = new List<ReleasePredecessor>();
            Before(tu, once, topLoops, l.Function.Node, l.Node, after);
            sites[l.Id] = (why, after);
        }
        return facts.Select(f => sites.TryGetValue(f.Id, out var s) ? f with { TeamRelease = s.Why, TeamReleaseAfter = s.After } : f).ToList();
    }

    /// <summary>The top-level loops that run before <paramref name="statement"/> of <paramref name="function"/>, latest first,
    /// through the calls of run-once functions before it and, at the function's start, on before its own call.</summary>
    private static void Before(TranslationUnitSyntax tu, RunOnceFunctions.Set once, Dictionary<SyntaxNode, LoopInfo> topLoops,
        SyntaxNode function, SyntaxNode statement, List<ReleasePredecessor> after)
    {
        while (true)
        {
            var body = statement.Parent!;
            var index = IndexIn(body, statement);
            for (var k = index - 1; k >= 0; k--)
                if (!Step(tu, once, topLoops, body.Children[k], after)) return;
            // The function's start: go on before its call in the caller (a statement of the caller's body), or stop at main.
            if (function.Decl is not { } f || !once.CallOf.TryGetValue(f.Key, out var call)) return;
            var caller = call.Ancestors().FirstOrDefault(a => a.Kind is NodeKind.FunctionDecl or NodeKind.FunctionTemplate);
            var top = call.Ancestors().Prepend(call).FirstOrDefault(a => a.Parent is { Kind: NodeKind.Compound } c && ReferenceEquals(c.Parent, caller));
            if (caller is null || top is null)
            {
                after.Add(Opaque);
                return;
            }
            (function, statement) = (caller, top);
        }
    }

    /// <summary>One statement, walked backwards: a top-level loop adds itself; a call of a run-once function adds that function's
    /// statements; anything else with loops ends the list. False when the list ended.</summary>
    private static bool Step(TranslationUnitSyntax tu, RunOnceFunctions.Set once, Dictionary<SyntaxNode, LoopInfo> topLoops, SyntaxNode statement, List<ReleasePredecessor> after)
    {
        if (topLoops.TryGetValue(statement, out var loop))
        {
            after.Add(new ReleasePredecessor(loop.Id, loop.Node.Span.Offset, loop.Node.Span.EndOffset));
            return true;
        }
        var calls = statement.DescendantsAndSelf().Where(n => n.Kind == NodeKind.Call && n.Decl is { } d && once.CallOf.TryGetValue(d.Key, out var c) && ReferenceEquals(c, n)).ToList();
        var hasLoop = statement.DescendantsAndSelf().Any(n => n.Kind is NodeKind.For or NodeKind.While or NodeKind.Do or NodeKind.RangeFor);
        if (hasLoop || calls.Count > 1)
        {
            after.Add(Opaque);
            return false;
        }
        if (calls is not [var call] || !tu.FunctionDefinitions.TryGetValue(call.Decl!.Key, out var callee)) return true;
        var body = callee.Children.LastOrDefault(c => c.Kind == NodeKind.Compound);
        if (body is null) return true;
        for (var k = body.Children.Count - 1; k >= 0; k--)
            if (!Step(tu, once, topLoops, body.Children[k], after)) return false;
        return true;
    }

    private static int IndexIn(SyntaxNode parent, SyntaxNode child)
    {
        for (var k = 0; k < parent.Children.Count; k++)
            if (ReferenceEquals(parent.Children[k], child)) return k;
        return -1;
    }
}
