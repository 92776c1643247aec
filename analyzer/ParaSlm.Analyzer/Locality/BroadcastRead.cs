namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Memory that every thread of a loop's region reads and that the enclosing loop's iteration writes outside the loop, so
/// that each entry of the region moves it from the core that wrote it to every other core (PolyBench gramschmidt: the
/// column `Q[i][k]` that the serial part of iteration `k` writes and every `j` of the parallel loop then reads). Found by
/// <see cref="BroadcastReading"/>; the planner weighs <see cref="Lines"/> against <see cref="Work"/>.
/// </summary>
/// <param name="Reads">The references read, as written (`Q[i][k]`), for the report.</param>
/// <param name="Lines">C text, valid just before the loop: how many distinct 64-byte lines those references read per entry of
/// the loop; only references whose consecutive elements lie a line or more apart (a column of doubles) are counted.</param>
/// <param name="Work">C text, valid just before the loop: the memory accesses one entry of the loop performs (its iterations
/// times its body, inner loops included), counted as <c>LoopCost</c> counts them.</param>
public sealed record BroadcastRead(IReadOnlyList<string> Reads, string Lines, string Work);
