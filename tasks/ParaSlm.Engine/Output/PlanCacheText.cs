using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Engine.Output;

/// <summary>`paraslm cache stats` and `paraslm cache list` as text.</summary>
public static class PlanCacheText
{
    public static void WriteStats(TextWriter o, PlanCacheStats s)
    {
        o.WriteLine($"cache: {s.Kind} {s.Location} (schema {s.SchemaVersion}, {s.SizeBytes / 1024.0:F1} KiB)");
        o.WriteLine($"entries: {s.Entries} (pending {s.Pending}, accepted {s.Accepted}, rejected {s.Rejected}, corrupt {s.Corrupt})");
        if (s.Oldest is { } oldest && s.Newest is { } newest) o.WriteLine($"created: {oldest:u} … {newest:u}");
        o.WriteLine($"model time saved per full re-plan: {s.SavedModelTime.TotalSeconds:F1} s");
        foreach (var (model, count) in s.ByModel) o.WriteLine($"  model {model}: {count}");
        foreach (var (strategy, count) in s.ByStrategy) o.WriteLine($"  strategy {strategy}: {count}");
    }

    /// <summary>One line per key: hash prefix, status, integrity, provenance, the plan and its evidence.</summary>
    public static void WriteList(TextWriter o, IEnumerable<PlanCacheEntry> entries)
    {
        foreach (var e in entries)
        {
            var plan = e.Plan;
            var what = plan is null ? "(no entry)" : plan.Proposal.Parallel ? $"parallel {plan.Proposal.ClauseText}".TrimEnd() : "sequential";
            o.WriteLine($"{e.Key.Hash[..16]}  {e.Status.ToString().ToLowerInvariant(),-8} {(e.Intact ? "" : "CORRUPT ")}{plan?.Model} {plan?.Strategy} {what}  {e.Key.Description}{(e.Evidence is null ? "" : "  — " + e.Evidence)}");
        }
    }
}
