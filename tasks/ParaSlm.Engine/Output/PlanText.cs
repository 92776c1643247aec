using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Engine.Output;

/// <summary>Human-readable plans: one line per loop with the decision, clauses and reason.</summary>
public static class PlanText
{
    public static void Write(TextWriter o, IReadOnlyList<LoopPlan> plans)
    {
        foreach (var p in plans)
        {
            var what = p.IsParallel ? $"parallel ({p.Target}){(p.Clauses.Length > 0 ? " " + p.Clauses : "")}"
                : p.Proposal.Transform is { } serialForm ? $"sequential ({serialForm})" : "sequential";
            o.WriteLine($"{p.File}:{p.Line}:{p.Column}: {what} [{LoopPlan.OriginName(p.Origin)}, {LoopPlan.VerdictName(p.Verdict)}] — {p.Reason}");
            if (p.RuntimeCheck is not null) o.WriteLine($"    only when: {p.RuntimeCheck}");
        }
        o.WriteLine($"{plans.Count(x => x.IsParallel)} of {plans.Count} loops parallel");
    }
}
