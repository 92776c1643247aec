using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// The analyzer's own plan for a nest as a tree-of-thoughts candidate: the first loop (outermost first) that the
/// analyzer would run in parallel, or the nest's outer loop kept sequential. With it among the candidates, the search
/// can only pick something the cost model rates at least as well as the analyzer's plan.
/// </summary>
public static class AnalyzerCandidate
{
    public const string Rationale = "the analyzer's own plan";

    public static ParsedPlan For(PlanningInput input)
    {
        var parallel = new HashSet<string>(StringComparer.Ordinal);
        foreach (var loop in input.Nest)
        {
            var ancestors = Ancestors(input, loop).ToList();
            if (ancestors.Any(parallel.Contains)) continue;
            var nest = new NestContext(ancestors.Count, input.Nest.Any(l => l.ParentId == loop.Id));
            var (proposal, _) = AnalyzerPlanner.Propose(loop, nest);
            if (!proposal.Parallel) continue;
            parallel.Add(loop.Id);
            return new ParsedPlan(proposal, loop.Id, loop.Line, Rationale);
        }
        return new ParsedPlan(PlanProposal.Sequential, input.Loop.Id, input.Loop.Line, Rationale);
    }

    private static IEnumerable<string> Ancestors(PlanningInput input, LoopFacts loop)
    {
        for (var p = loop.ParentId; p is not null && input.Nest.FirstOrDefault(l => l.Id == p) is { } parent; p = parent.ParentId)
            yield return p;
    }
}
