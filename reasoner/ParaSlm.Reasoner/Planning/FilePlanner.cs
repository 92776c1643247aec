using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Reasoner.Planning;

/// <summary>A proposal for one loop and who made it, before verification.</summary>
public sealed record ProposedPlan(PlanProposal Proposal, PlanOrigin Origin, string Strategy, string Model, string Reason);

/// <summary>
/// Turns per-loop proposals into final plans: loops are visited outermost first, every proposal goes
/// through the <see cref="PlanVerifier"/>, and a loop inside a loop that ended up parallel stays sequential.
/// </summary>
public static class FilePlanner
{
    /// <param name="loops">The loops to plan (one nest, outermost first); all of the file's when null.</param>
    public static IReadOnlyList<LoopPlan> Plan(FileAnalysis analysis, Func<LoopFacts, NestContext, ProposedPlan> propose, IEnumerable<LoopFacts>? loops = null)
    {
        var byId = LoopIndex.Of(analysis.Loops);
        var parallel = new HashSet<string>(StringComparer.Ordinal);
        var plans = new List<LoopPlan>();
        // A nest fused into the nest before it (and the loops inside it): the first nest's edit runs it.
        var fusedInto = new Dictionary<string, LoopFacts>(StringComparer.Ordinal);
        // Loops of a fused second nest whose own plan (where the fused form does not run) is parallel: their inner loops' own plans stay serial.
        var parallelUnfused = new HashSet<string>(StringComparer.Ordinal);
        // Loops that stay serial in their scalar-expanded form: the form runs their inner loops.
        var expandedSerially = new HashSet<string>(StringComparer.Ordinal);
        foreach (var facts in loops ?? analysis.Loops)
        {
            var enclosing = Ancestors(facts, byId).FirstOrDefault(parallel.Contains);
            var expandedBy = Ancestors(facts, byId).FirstOrDefault(expandedSerially.Contains);
            ProposedPlan proposed;
            PlanProposal? unfused = null;
            var fused = fusedInto.TryGetValue(facts.Id, out var into) ? into : Ancestors(facts, byId).Select(a => fusedInto.GetValueOrDefault(a)).FirstOrDefault(x => x is not null);
            if (fused is not null)
            {
                proposed = new ProposedPlan(PlanProposal.Sequential, PlanOrigin.Analyzer, "analyzer", string.Empty,
                    $"fused into the loop at line {fused.Line} ({fused.Fusion!.Name}), which runs this nest's statements");
                if (!Ancestors(facts, byId).Any(parallelUnfused.Contains))
                {
                    unfused = PlanVerifier.Verify(facts, propose(facts, LoopCost.Context(facts, analysis.Loops, byId)).Proposal, byId, insideParallel: false).Plan;
                    if (unfused.Parallel) parallelUnfused.Add(facts.Id);
                }
            }
            else if (expandedBy is not null)
            {
                // The serial loop's expanded form rewrites its whole nest (its reduction loops run outside it, as copies).
                proposed = new ProposedPlan(PlanProposal.Sequential, PlanOrigin.Analyzer, "analyzer", string.Empty,
                    $"inside the loop at line {byId[expandedBy].Line}, which runs serially in its scalar-expanded form ({byId[expandedBy].ScalarExpansion!.Name}): its form runs this loop");
            }
            else if (enclosing is not null)
            {
                proposed = new ProposedPlan(PlanProposal.Sequential, PlanOrigin.Analyzer, "analyzer", string.Empty,
                    $"inside the parallel loop at line {byId[enclosing].Line}");
            }
            else
            {
                var nest = LoopCost.Context(facts, analysis.Loops, byId);
                proposed = propose(facts, nest);
            }
            var verdict = PlanVerifier.Verify(facts, proposed.Proposal, byId, insideParallel: false);
            var reason = verdict.Kind == VerdictKind.Accepted ? proposed.Reason : verdict.Reason;
            // The serial expanded form is proven under the loop's run-time check, like the parallel one: it versions the form.
            var serialExpansion = !verdict.Plan.Parallel && ScalarExpanding.SerialForm(verdict.Plan.Transform);
            if (serialExpansion) expandedSerially.Add(facts.Id);
            var plan = new LoopPlan(facts.Id, facts.File, facts.Line, facts.Column, verdict.Plan,
                verdict.Plan.Parallel || serialExpansion ? facts.RuntimeCheck : null, proposed.Origin, proposed.Strategy, proposed.Model,
                verdict.Kind, reason, verdict.Code);
            if (plan.IsParallel) parallel.Add(facts.Id);
            if (plan.IsParallel && facts.Fusion is { } fusion && verdict.Plan.Transform == fusion.Name)
            {
                fusedInto[fusion.SecondLoopId] = facts;
                // The first nest's own plan: the same proposer on the facts without the fusion (what it gets unfused).
                var alone = facts with { Fusion = null };
                unfused = PlanVerifier.Verify(alone, propose(alone, LoopCost.Context(alone, analysis.Loops, byId)).Proposal, byId, insideParallel: false).Plan;
            }
            plans.Add(plan with { Unfused = unfused });
        }
        return plans;
    }

    /// <summary>The analyzer's deterministic plan for a whole file (or for the given loops, e.g. one nest).</summary>
    /// <param name="target">`ParaSlmTarget`: cpu, gpu or auto (<see cref="TargetChooser"/>).</param>
    public static IReadOnlyList<LoopPlan> AnalyzerPlan(FileAnalysis analysis, IEnumerable<LoopFacts>? loops = null, string target = "cpu")
    {
        var byId = LoopIndex.Of(analysis.Loops);
        return Plan(analysis, (f, nest) =>
        {
            var (p, why) = AnalyzerPlanner.Propose(f, nest, byId);
            (p, why) = TargetChooser.Choose(p, why, f, nest, target, byId);
            (p, why) = ScheduleChooser.Choose(p, why, f, byId);
            (p, why) = LocalityChooser.Choose(p, why, f);
            (p, why) = ScalarExpansionChooser.Choose(p, why, f, byId);
            (p, why) = UnrollJamChooser.Choose(p, why, f, byId);
            (p, why) = InnerSimdChooser.Choose(p, why, f, byId);
            return new ProposedPlan(p, PlanOrigin.Analyzer, "analyzer", string.Empty, why);
        }, loops);
    }

    private static IEnumerable<string> Ancestors(LoopFacts f, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        var p = f.ParentId;
        while (p is not null && byId.TryGetValue(p, out var parent))
        {
            yield return p;
            p = parent.ParentId;
        }
    }
}
