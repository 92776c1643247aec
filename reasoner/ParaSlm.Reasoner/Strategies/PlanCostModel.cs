using System.Globalization;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>The cost model's estimate for one plan of a nest, in work units (one memory access ≈ 1).</summary>
/// <param name="SerialWork">Work of the planned loop's part of the nest, run serially.</param>
/// <param name="ParallelWork">The same work run as planned: per region entry, overhead plus the largest thread's share.</param>
/// <param name="Gain">SerialWork − ParallelWork: positive when the plan is worth it; 0 for a sequential plan.</param>
public sealed record CostEstimate(double SerialWork, double ParallelWork, double Gain, string Explanation);

/// <summary>
/// A deliberately simple cost model for ranking plans of one nest (tree-of-thoughts): work per iteration is the
/// body's accesses (a call counts as <see cref="CallWork"/>) times the iterations of the loops inside it; parallel
/// time is, for every entry into the parallel region (once per iteration of the serial loops around it), a fixed
/// overhead plus the iterations one thread gets. It prefers the loop with the most work per region entry, and
/// penalizes tiny trip counts (the overhead dominates and threads sit idle). Unknown trip counts are assumed equal
/// (<see cref="AssumedTripCount"/>), so between such loops the outer one wins.
/// </summary>
public static class PlanCostModel
{
    /// <summary>Trip count assumed where the analyzer could not compute one.</summary>
    public const long AssumedTripCount = 128;

    /// <summary>A call (math function, pure helper) costs about this many accesses.</summary>
    public const double CallWork = 8;

    /// <summary>Threads assumed for a CPU region (the build machine's cores are not the target's).</summary>
    public const double CpuThreads = 8;

    /// <summary>Fork/join of an OpenMP region, in accesses (a few microseconds).</summary>
    public const double CpuRegionOverhead = 2_000;

    /// <summary>Lanes assumed busy on a GPU.</summary>
    public const double GpuLanes = 2_048;

    /// <summary>Kernel launch and data movement of a GPU region, in accesses.</summary>
    public const double GpuRegionOverhead = 100_000;

    /// <summary>Estimates a plan for the loop <paramref name="loopId"/> of the nest.</summary>
    public static CostEstimate Estimate(PlanningInput input, string loopId, PlanProposal plan)
    {
        var loop = input.Nest.FirstOrDefault(l => l.Id == loopId) ?? input.Loop;
        var regions = Ancestors(input, loop).Aggregate(1.0, (acc, a) => acc * Trip(a));
        // Collapsed loops multiply into the parallel iteration space; the work per iteration is what lies inside them.
        var iterations = Trip(loop);
        var innermost = loop;
        for (var level = 1; level < Math.Max(1, plan.Collapse); level++)
        {
            var child = Children(input, innermost).FirstOrDefault();
            if (child is null) break;
            iterations *= Trip(child);
            innermost = child;
        }
        var perIteration = Body(input, innermost);
        var serial = regions * iterations * perIteration;
        if (!plan.Parallel)
            return new CostEstimate(serial, serial, 0, string.Create(CultureInfo.InvariantCulture, $"sequential: {serial:0} work units"));

        var (lanes, overhead) = plan.Target is ParallelTarget.GpuCuda or ParallelTarget.GpuOpenMPOffload
            ? (GpuLanes, GpuRegionOverhead)
            : (CpuThreads, CpuRegionOverhead);
        var parallel = regions * (overhead + Math.Ceiling(iterations / lanes) * perIteration);
        var gain = serial - parallel;
        return new CostEstimate(serial, parallel, gain, string.Create(CultureInfo.InvariantCulture,
            $"loop line {loop.Line}: {iterations:0} parallel iterations × {perIteration:0} work, {regions:0} region entr{(regions == 1 ? "y" : "ies")}; gain {gain:0}"));
    }

    private static double Trip(LoopFacts l) => Math.Max(1, l.TripCount ?? AssumedTripCount);

    /// <summary>Work of one iteration of <paramref name="loop"/>: its own accesses and calls plus its inner loops' full work.</summary>
    private static double Body(PlanningInput input, LoopFacts loop)
    {
        var children = Children(input, loop).ToList();
        var ownAccesses = Math.Max(0, loop.Accesses.Count - children.Sum(c => c.Accesses.Count));
        var ownCalls = Math.Max(0, loop.Calls.Count - children.Sum(c => c.Calls.Count));
        var own = Math.Max(1, ownAccesses + CallWork * ownCalls);
        return own + children.Sum(c => Trip(c) * Body(input, c));
    }

    private static IEnumerable<LoopFacts> Children(PlanningInput input, LoopFacts loop) =>
        input.Nest.Where(l => l.ParentId == loop.Id);

    private static IEnumerable<LoopFacts> Ancestors(PlanningInput input, LoopFacts loop)
    {
        for (var p = loop.ParentId; p is not null && input.Nest.FirstOrDefault(l => l.Id == p) is { } parent; p = parent.ParentId)
            yield return parent;
    }
}
