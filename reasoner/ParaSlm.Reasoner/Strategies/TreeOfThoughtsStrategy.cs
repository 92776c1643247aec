using System.Globalization;
using Microsoft.Extensions.AI;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>One tree-of-thoughts candidate after scoring.</summary>
/// <param name="Index">0-based candidate number (its seed is the strategy's seed + Index).</param>
/// <param name="Verdict">What the verifier makes of the candidate for its loop.</param>
/// <param name="Cost">The cost model's estimate of the verified plan (a rejected candidate is estimated as sequential).</param>
public sealed record ScoredCandidate(int Index, ParsedPlan Plan, Verdict Verdict, CostEstimate Cost)
{
    /// <summary>Share of a repaired candidate's gain it loses: the model got clauses wrong, so it is trusted a little less.</summary>
    public const double RepairPenalty = 0.1;

    /// <summary>
    /// The cost model's gain of the verified plan, less <see cref="RepairPenalty"/> of it when the verifier had to repair
    /// the clauses: accepted beats repaired at similar gain, while a much larger gain (the outer loop instead of the
    /// innermost one) still wins.
    /// </summary>
    public double Score => Verdict.Kind == VerdictKind.Repaired ? Cost.Gain - RepairPenalty * Math.Abs(Cost.Gain) : Cost.Gain;

    /// <summary>One line for the report.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"candidate {Index + 1}: {(Plan.Proposal.Parallel ? "parallel" : "sequential")} loop line {Plan.LoopLine} → {Verdict.Kind.ToString().ToLowerInvariant()}, score {Score:0}; {Cost.Explanation}");
}

/// <summary>
/// tot (Prompts/tot.md): <see cref="StrategyOptions.TreeCandidates"/> independent structured calls, each with its own
/// seed (<see cref="StrategyOptions.Seed"/> + k), at <see cref="StrategyOptions.TreeTemperature"/>, and each asked to
/// weigh the nest from a different perspective (the prompt file's `perspectives` section, one per line, cycled).
/// Every candidate is scored by <see cref="PlanVerifier"/> and <see cref="PlanCostModel"/>, and so is the analyzer's own
/// plan (<see cref="AnalyzerCandidate"/>, ranked after the model's candidates on a tie); the best survives.
/// Cost: TreeCandidates model calls per loop nest (3 by default).
/// </summary>
/// <remarks>
/// Ranking (<see cref="Rank"/>): the verifier's verdict first — candidates it rejects come last (the model proposed
/// something unsafe); then <see cref="ScoredCandidate.Score"/>, the cost model's gain of the verified plan (prefer
/// parallelizing the loop with the most work that is safe; a tiny trip count has a negative gain, so sequential beats
/// it) with repaired candidates discounted, so accepted > repaired where the work is similar; then accepted before
/// repaired; then the earlier candidate. Accepted vs repaired is deliberately not absolute: a repaired plan for the
/// outer loop of a matrix product is worth far more than a correct one for its innermost loop, and after repair it
/// is exactly as safe. The survivor is returned as the model proposed it, not as repaired: the pipeline verifies it
/// again and reports the repair honestly.
/// </remarks>
public sealed class TreeOfThoughtsStrategy(PromptLibrary prompts) : PromptedStrategy(StrategyNames.TreeOfThoughts, prompts)
{
    /// <summary>The perspectives of the prompt file, in order.</summary>
    public IReadOnlyList<string> Perspectives =>
        Prompt.Section("perspectives").Split('\n')
            .Select(l => l.Trim().TrimStart('-', '*').Trim())
            .Where(l => l.Length > 0)
            .ToList();

    private protected override async Task<StrategyResult> RunAsync(ModelSession session, Dictionary<string, string> values)
    {
        var perspectives = Perspectives;
        var count = Math.Max(1, session.Options.TreeCandidates);
        var candidates = new List<(int Index, ParsedPlan Plan)>();
        for (var k = 0; k < count; k++)
        {
            values["perspective"] = perspectives.Count == 0 ? string.Empty : perspectives[k % perspectives.Count];
            List<ChatMessage> messages = [System(values), User("user", values)];
            var turn = Turn.Plan with { Seed = session.Options.Seed + k, Temperature = session.Options.TreeTemperature };
            var answer = await session.AskAsync(messages, turn).ConfigureAwait(false);
            if (session.TryParse(answer, $"candidate {k + 1}") is { } plan) candidates.Add((k, plan));
        }
        if (candidates.Count == 0)
            return session.Failure($"none of the {count} candidates was a usable plan ({string.Join("; ", session.Notes)})");

        // The analyzer's plan always competes: the survivor is never rated below it.
        candidates.Add((count, AnalyzerCandidate.For(session.Input)));
        var ranked = Rank(session.Input, candidates);
        session.Notes.AddRange(ranked.Select(c => c.Index == count ? "analyzer's plan: " + c.Describe() : c.Describe()));
        var best = ranked[0];
        session.Notes.Add(best.Index == count ? "survivor: the analyzer's plan" : $"survivor: candidate {best.Index + 1}");
        return session.Success(best.Plan) with { FromAnalyzer = best.Index == count };
    }

    /// <summary>Scores candidates and orders them best first (see the class remarks).</summary>
    public static IReadOnlyList<ScoredCandidate> Rank(PlanningInput input, IEnumerable<(int Index, ParsedPlan Plan)> candidates)
    {
        var byId = new Dictionary<string, LoopFacts>(StringComparer.Ordinal);
        foreach (var l in input.Nest) byId.TryAdd(l.Id, l);
        byId.TryAdd(input.Loop.Id, input.Loop);
        return candidates
            .Select(c =>
            {
                var facts = byId.GetValueOrDefault(c.Plan.LoopId) ?? input.Loop;
                var verdict = PlanVerifier.Verify(facts, c.Plan.Proposal, byId, insideParallel: false);
                return new ScoredCandidate(c.Index, c.Plan, verdict, PlanCostModel.Estimate(input, facts.Id, verdict.Plan));
            })
            .OrderBy(s => s.Verdict.Kind == VerdictKind.Rejected ? 1 : 0)
            .ThenByDescending(s => s.Score)
            .ThenBy(s => s.Verdict.Kind == VerdictKind.Accepted ? 0 : 1)
            .ThenBy(s => s.Index)
            .ToList();
    }
}
