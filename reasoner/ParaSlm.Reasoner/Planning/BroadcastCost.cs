using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// The price of what every thread of a region reads after the serial loop around it wrote it (<see cref="LoopFacts.Broadcast"/>):
/// each such line moves from the writer's core to each other core once per entry, a latency the threads wait for, not
/// bandwidth they share. The region then runs its full team only when its work per entry (at the
/// <see cref="AnalyzerPlanner.MinimumRegionWork"/> scale of memory accesses) is at least <see cref="WorkPerLine"/> times the
/// lines; otherwise one thread runs the same form (its locality transforms kept), which measured fastest.
/// </summary>
public static class BroadcastCost
{
    /// <summary>
    /// Accesses of work one moved line costs. Measured on PolyBench gramschmidt through its strip form (M = 430, N from
    /// 520 to 2,600; one alternating run of the variants, the team condition at several thresholds; this VM's cross-core round
    /// trip is 446 ns): one thread beat two wherever an entry did less than about 9,000 accesses per line it read after the
    /// serial part wrote it (two threads: 64 ms against 36 ms at N = 520, where an entry does at most 3,600 per line), and
    /// they were level at N = 1,300 (about 9,100 at the first entry).
    /// </summary>
    public const long WorkPerLine = 10_000;

    /// <summary>The team condition (C text, valid before the loop) for a parallel loop directly inside a serial loop; null when
    /// the loop reads nothing its enclosing iteration wrote (or it cannot be counted).</summary>
    public static string? TeamCondition(LoopFacts loop) =>
        loop.Broadcast is { } b ? $"{b.Work} >= {WorkPerLine}LL * ({b.Lines})" : null;

    /// <summary>The report's words for the condition.</summary>
    public static string Explain(LoopFacts loop) =>
        loop.Broadcast is { } b
            ? $"; the region runs one thread unless an entry's work is at least {WorkPerLine} memory accesses per cache line it reads of " +
              $"{string.Join(", ", b.Reads.Select(r => $"`{r}`"))} after the serial loop around it wrote them (each such line moves between cores on every entry)"
            : string.Empty;
}
