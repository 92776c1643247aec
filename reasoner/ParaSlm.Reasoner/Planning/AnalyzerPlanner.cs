using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// The deterministic plan used when no model is asked (or none answers): the analyzer's own facts,
/// parallelizing the outermost worthwhile parallel loop of each nest, on the CPU with OpenMP.
/// </summary>
public static class AnalyzerPlanner
{
    /// <summary>Below this many iterations a parallel region costs more than it saves.</summary>
    public const int MinimumTripCount = 8;

    /// <summary>
    /// The run-time guard's minimum for a loop whose body work has no closed form before the loop (an inner length read
    /// from a table at the counter, a length computed in the body, several inner loops): its own length is the only
    /// evidence that it pays, and 8 iterations were not (opus's band loop, 21 bands of 8–100 samples, forked 1,900 times
    /// a second: `test_opus_encode` 28 s serial, 209 s on 2 threads). 16 iterations per thread on 4 threads: a heavy nest
    /// of run-time rows still runs in parallel from 64 rows on.
    /// </summary>
    public const int MinimumUnknownWorkTripCount = 64;

    /// <summary>
    /// Work (in memory accesses) one region entry must share out to pay for its fork/join: a few microseconds of
    /// runtime overhead, plus threads that start cold (caches, frequency). About 10–25 µs of serial work.
    /// </summary>
    public const double MinimumRegionWork = 50_000;

    /// <summary>
    /// A loop that only moves data (<see cref="LoopCost.MovesDataOnly"/>) gains from threads only what the memory
    /// bandwidth grows by, not the core count: about 1.3x from one core to all on a small machine (a STREAM-style
    /// copy), so it saves about a quarter of its serial time, not half. To save as much as a region costs it needs
    /// about 1 / (1 - 1 / 1.3) ≈ 4 times the work of a loop that computes.
    /// </summary>
    public const double MemoryBoundFactor = 4;

    /// <summary>The work one region entry must share out to pay off: more for a loop that only moves data.</summary>
    public static double MinimumWork(bool movesDataOnly) => movesDataOnly ? MinimumRegionWork * MemoryBoundFactor : MinimumRegionWork;

    /// <summary>A region entered more often than this (once per iteration of the serial loops around it) costs its
    /// overhead that many times; only a loop whose own work is known to be large may do so.</summary>
    public const double MaximumUnknownRegionEntries = 1_000;

    /// <summary>Inside this many serial loops, a parallel region would be entered too often to pay off.</summary>
    public const int MaximumSerialAncestors = 2;

    /// <summary>The proposal for one loop, with the reason in words.</summary>
    /// <param name="nest">Where the loop sits: serial loops around it, whether it has loops inside, and its work.</param>
    /// <param name="byId">Every loop of the file: with it, a loop of few iterations over a perfect nest that collapses
    /// into enough iterations is not turned down for its own trip count (<see cref="ScheduleChooser"/> collapses it).</param>
    public static (PlanProposal Proposal, string Reason) Propose(LoopFacts facts, NestContext nest, IReadOnlyDictionary<string, LoopFacts>? byId = null)
    {
        // A loop under the user's own directive is theirs, whatever the analyzer could prove: no transform is weighed for
        // it, and the report says first that it is left as written (XSBench's simulation loops, whose directives run in
        // the user's build, read as if ParaSlm had judged them unsafe when only the analyzer's reason was shown).
        if (facts.HasOpenMPDirective)
            return (PlanProposal.Sequential, $"the user's own OpenMP directive (`{facts.OpenMPDirective ?? "#pragma omp"}`) applies to this loop; it is left as written" +
                (facts.Parallelizable ? string.Empty : $" (ParaSlm's own analysis alone would keep it serial: {StripVerdict(facts.Reason)})"));
        if (facts.InsideUserRegion is { } region)
            return (PlanProposal.Sequential, facts.Parallelizable
                ? $"parallelizable, but {region}: a parallel region here would be nested in theirs (a team of one thread per call, or more threads than cores)"
                : SerialReason(facts));
        if (!facts.Parallelizable) return AppendProposal(facts, nest) ?? GuardedProposal(facts, nest) ?? PrivatizedProposal(facts, nest) ?? DistributedProposal(facts, nest) ?? RightLookingProposal(facts) ?? (PlanProposal.Sequential, SerialReason(facts));
        var collapsible = byId is not null && ScheduleChooser.CollapsedTrips(facts, byId) >= ScheduleChooser.MinimumBalancedTrips;
        if (Unprofitable(facts, nest, collapsible) is { } why) return (PlanProposal.Sequential, "parallelizable, but " + why);
        return (new PlanProposal(true, ParallelTarget.CpuOpenMP, facts.Private, facts.LastPrivate, facts.Reductions), facts.Reason);
    }

    private static string StripVerdict(string reason) =>
        reason.StartsWith("sequential: ", StringComparison.Ordinal) ? reason["sequential: ".Length..] : reason;

    /// <summary>Why a loop stays serial; where loop distribution was proven legal but declined on cost, that too, so the
    /// report shows the user the transform it weighed (the other blockers of distribution are its shape and stay in the facts).</summary>
    private static string SerialReason(LoopFacts facts) =>
        facts.DistributionBlocker is { } why && why.StartsWith(LoopDistributing.CostPrefix, StringComparison.Ordinal)
            ? $"{facts.Reason}; distributing it into parallel groups is legal but would not pay: {why[LoopDistributing.CostPrefix.Length..]}"
            : facts.Reason;

    /// <summary>
    /// A loop serial only because it appends (<see cref="Analyzer.Locality.OrderedAppend"/>): its two-phase form, when the
    /// same cost rules as for a parallel loop say it pays; null otherwise.
    /// </summary>
    private static (PlanProposal, string)? AppendProposal(LoopFacts facts, NestContext nest)
    {
        if (facts.Append is not { } append || facts.HasOpenMPDirective || Unprofitable(facts, nest) is not null) return null;
        return (new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = append.TransformName }, append.Evidence);
    }

    /// <summary>
    /// A loop serial only because it scatters into a pointer (<see cref="Analyzer.Locality.GuardedReduction"/>): its guarded
    /// array reduction, when the region pays and the loop is long next to its bins (at least
    /// <see cref="Analyzer.Locality.GuardedReduction.MinimumTripsPerElement"/> iterations per bin; a run-time trip count or
    /// K is tested by the cost guard, <see cref="LoopCost.IfClause"/>); null otherwise.
    /// </summary>
    private static (PlanProposal, string)? GuardedProposal(LoopFacts facts, NestContext nest)
    {
        if (facts.GuardedReduction is not { } scatter || facts.HasOpenMPDirective || Unprofitable(facts, nest) is not null) return null;
        if (facts.TripCount is { } trips && scatter.BoundConstant is { } bins && trips < Analyzer.Locality.GuardedReduction.MinimumTripsPerElement * bins) return null;
        if (facts.TripCount is null && facts.TripCountText is null) return null;
        return (new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = Analyzer.Locality.GuardedReduction.TransformName }, scatter.Evidence);
    }

    /// <summary>
    /// A loop serial only because it reuses a scratch array (<see cref="Analyzer.Locality.Privatization"/>): its privatized form,
    /// when the same cost rules as for a parallel loop say it pays (each thread's copy costs a section written back once per
    /// region, small next to a body that writes the whole section every iteration); null otherwise.
    /// </summary>
    private static (PlanProposal, string)? PrivatizedProposal(LoopFacts facts, NestContext nest)
    {
        if (facts.Privatization is not { } priv || facts.HasOpenMPDirective || Unprofitable(facts, nest) is not null) return null;
        return (new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = priv.Name }, priv.Evidence);
    }

    /// <summary>
    /// A serial loop whose body may run as several loops, each parallel (<see cref="Analyzer.Locality.LoopDistribution"/>): its
    /// distributed form, when the same cost rules as for a parallel loop say its region pays; null otherwise.
    /// </summary>
    private static (PlanProposal, string)? DistributedProposal(LoopFacts facts, NestContext nest)
    {
        if (facts.Distribution is not { } split || facts.HasOpenMPDirective || Unprofitable(facts, nest) is not null) return null;
        // One pass over the rows where the facts prove it (its cost rule, an array both groups sweep, is part of the proof).
        if (split.Pipeline is { } pipeline)
            return (new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = pipeline.Name }, $"{split.Evidence}; {pipeline.Evidence}");
        return (new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = split.Name }, split.Evidence);
    }

    /// <summary>
    /// A serial loop that may run right-looking (<see cref="Analyzer.Locality.RightLooking"/>): it stays serial, in the order whose
    /// inner loop walks rows. No region, so no cost rule of a parallel loop applies; the fact itself holds the locality rule.
    /// </summary>
    private static (PlanProposal, string)? RightLookingProposal(LoopFacts facts)
    {
        if (facts.RightLooking is not { } form || facts.HasOpenMPDirective) return null;
        return (PlanProposal.Sequential with { Transform = form.Name }, $"{facts.Reason}; {form.Evidence}");
    }

    /// <summary>
    /// The cost model: why running this loop in parallel would not pay (so would make the program slower), or null.
    /// Known work below <see cref="MinimumRegionWork"/> per entry never pays; a loop-free body with an unknown trip
    /// count entered over and over from serial loops (a short reduction over a row's few elements) is not bet on.
    /// </summary>
    /// <param name="collapsible">The loop heads a perfect nest that collapses into enough iterations.</param>
    public static string? Unprofitable(LoopFacts facts, NestContext nest, bool collapsible = false)
    {
        if (facts.TripCount is { } t && t < MinimumTripCount && !collapsible)
            return $"only {t} iterations: not worth a parallel region";
        // Few iterations whose work has no closed form (inner lengths read from a table at the counter): nothing shows they
        // pay, and opus's 13 stereo bands per frame entered a region 58,000 times in a minute (4x slower on 2 threads).
        if (facts.TripCount is { } few && few < MinimumUnknownWorkTripCount && nest.HasInnerLoops && nest.WorkPerEntry is null &&
            facts.NestIterationsText is null && !collapsible)
            return $"only {few} iterations, each of unknown work (inner loops whose lengths are known only at run time): not shown to pay for a parallel region";
        if (nest.WorkPerEntry is { } reduced && ArrayReductionWork(facts) is > 0 and var extra && reduced < MinimumWork(nest.MovesDataOnly) + extra)
            return $"its work (about {reduced:0} memory accesses per entry) does not pay for a parallel region plus the per-thread copies of " +
                   $"{string.Join(", ", facts.ArrayReductions.Select(r => $"`{r.Reduction.Variable}`"))} (about {MinimumWork(nest.MovesDataOnly) + extra:0})";
        if (OneStrip(facts) is { } single) return single;
        if (nest.WorkPerEntry is { } counted && nest.RunsInVectorLanes && counted / nest.LaneDivisor < MinimumRegionWork)
            return $"its {facts.TripCount} iterations run in vector lanes ({facts.VectorLanes ?? (LoopCost.InterchangedInLanes(facts) ? "interchanged, the new innermost loop is stride-1 and branch-free" : "a stride-1 innermost loop the compiler vectorizes")})" +
                   (nest.CacheResident ? $" over arrays that fit in a core's cache (at most {LoopCost.CacheResidentBytes / 1024} KiB)" : string.Empty) +
                   $": about {counted:0} memory accesses, about {counted / nest.LaneDivisor:0} accesses' worth of work, less than a parallel region costs to pay off (about {MinimumRegionWork:0})";
        if (nest.WorkPerEntry is { } work && work < MinimumWork(nest.MovesDataOnly))
            return nest.MovesDataOnly
                ? $"its {facts.TripCount} iterations only move data (a fill or copy: bound by memory bandwidth, which the threads share), " +
                  $"about {work:0} memory accesses, less than such a loop needs to pay off a parallel region (about {MinimumWork(true):0})"
                : $"its {facts.TripCount} iterations do about {work:0} memory accesses' worth of work, less than a parallel region costs " +
                  $"to pay off (about {MinimumRegionWork:0})";
        // A nest of a time loop that runs in one parallel region (hoist-region) pays a barrier per step, not a region: its
        // run-time cost guard alone decides, once per entry of the time loop.
        var hoisted = facts.SerialHoist is not null && nest.SerialAncestors == 1;
        if (nest.SerialAncestors > 0 && facts.TripCount is null && !nest.HasInnerLoops && nest.RegionEntries is not <= MaximumUnknownRegionEntries && !hoisted)
            return $"its trip count is not known and it sits inside {Loops(nest.SerialAncestors)} that {(nest.SerialAncestors == 1 ? "stays" : "stay")} serial{Entries(nest)}: " +
                   "a parallel region started for every outer iteration pays only for long loops, and a short one would run slower";
        if (nest.SerialAncestors >= MaximumSerialAncestors && facts.TripCount is not >= 100_000 && nest.RegionEntries is not <= MaximumUnknownRegionEntries)
            return $"it sits inside {Loops(nest.SerialAncestors)}: a parallel region started that often costs more than it saves";
        return null;
    }

    /// <summary>
    /// An interchange's strip form whose parallel level makes fewer than 2 strips even after narrowing (<see
    /// cref="Analyzer.Locality.StripAlignment.StripIterations(int, long?, int)"/>: a level of at most a line's worth of
    /// iterations) is not a parallel loop: one thread would run all of it in a region entered on every pass. Its strips
    /// otherwise number at most <see cref="Analyzer.Locality.StripAlignment.NarrowedStrips"/> once narrowed, so the region's
    /// work rules below already give each strip its share of <see cref="MinimumRegionWork"/>. Null when it has 2 or more.
    /// The scalar-expanded form is not cut: where its loop fits in one strip it runs serially in its expanded form
    /// (<see cref="ScalarExpansionChooser"/>, <see cref="Analyzer.Locality.ScalarExpanding.OneStrip"/>), keeping the transform.
    /// </summary>
    private static string? OneStrip(LoopFacts facts) =>
        facts.Interchange?.Strips is { Count: < 2 } strips
            ? $"its strip form would be one strip ({strips.Trips} iterations, at most a cache line's worth), run by one thread: not a parallel loop"
            : null;

    /// <summary>Threads assumed when pricing per-thread work (the copies of an array reduction).</summary>
    public const int AssumedThreads = 4;

    /// <summary>
    /// What an array reduction adds to a region, in memory accesses: every thread clears its private copy and adds it
    /// into the array (2 accesses per element, on <see cref="AssumedThreads"/> threads); a section whose length is only
    /// known at run time is priced at the largest one allowed.
    /// </summary>
    public static double ArrayReductionWork(LoopFacts facts) =>
        facts.ArrayReductions.Sum(r => 2.0 * AssumedThreads * (r.Elements ?? Analyzer.Facts.ArrayReduction.MaximumElements));

    private static string Loops(int n) => n == 1 ? "a loop" : $"{n} loops";

    private static string Entries(NestContext nest) => nest.RegionEntries is { } e ? $" ({e:0} region entries)" : string.Empty;
}

/// <summary>A loop's place in its nest, for the cost side of planning.</summary>
/// <param name="SerialAncestors">Enclosing loops (in the same function) that stay sequential.</param>
/// <param name="HasInnerLoops">The loop's body contains loops (so one iteration is more than a few operations).</param>
public sealed record NestContext(int SerialAncestors, bool HasInnerLoops)
{
    /// <summary>How often the region would be entered: the product of the serial loops' trip counts (null: unknown).</summary>
    public double? RegionEntries { get; init; } = 1;

    /// <summary>Work one region entry shares out, in memory accesses (null: a trip count in the nest is unknown).</summary>
    public double? WorkPerEntry { get; init; }

    /// <summary>The loop only moves data (a fill or copy): bound by memory bandwidth (<see cref="LoopCost.MovesDataOnly"/>).</summary>
    public bool MovesDataOnly { get; init; }

    /// <summary>What the counted work is divided by (<see cref="LoopCost.LaneDivisor"/>, the run-time guard's divisor too): more
    /// than 1 for a loop in vector lanes, <see cref="LoopCost.VectorLaneFactor"/> times <see cref="LoopCost.CacheResidentFactor"/>
    /// where its arrays fit in a core's cache.</summary>
    public double LaneDivisor { get; init; } = 1;

    /// <summary>The loop runs in vector lanes (<see cref="LoopCost.RunsInVectorLanes"/>, or an interchanged nest whose new
    /// innermost loop does, <see cref="LoopCost.InterchangedInLanes"/>): its counted work is worth a fraction.</summary>
    public bool RunsInVectorLanes => LaneDivisor > 1;

    /// <summary>Every array the loop touches is declared with a constant size and together they fit in a core's cache
    /// (<see cref="LoopCost.CacheResident"/>): words of the report only; <see cref="LaneDivisor"/> holds the factor.</summary>
    public bool CacheResident { get; init; }
}
