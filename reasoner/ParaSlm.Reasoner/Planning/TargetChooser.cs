using System.Globalization;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Offload;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Planning;

/// <summary>
/// Where the analyzer's parallel plan for a loop runs, for `ParaSlmTarget` cpu | gpu | auto. `gpu` offloads every loop
/// the analyzer found offloadable unless its known work is too small for a kernel launch; `auto` compares a CPU and a
/// GPU estimate (work vs bytes moved) and says which won and by what numbers. Every answer carries its reason.
/// </summary>
public static class TargetChooser
{
    /// <summary>Known work (memory accesses per region entry) below which a GPU launch and copies never pay.</summary>
    public const double GpuMinimumWork = 1_000_000;

    /// <summary>Work units (≈ ns of one core) per byte over the host–device link (~25 GB/s).</summary>
    public const double TransferCostPerByte = 0.04;

    public static (PlanProposal Proposal, string Reason) Choose(PlanProposal cpu, string reason, LoopFacts facts, NestContext nest,
        string target, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (!cpu.Parallel || target is not ("gpu" or "auto")) return (cpu, reason);
        if (facts.Offload is not { Offloadable: true } offload)
            return (cpu, $"{reason}; on the CPU: {facts.Offload?.Reason ?? "not offloadable"}");
        var collapse = 1;
        while (collapse < facts.CollapsibleDepth && PlanVerifier.CanCollapse(facts, collapse + 1, byId)) collapse++;
        var gpu = cpu with { Target = ParallelTarget.GpuOpenMPOffload, Collapse = collapse };
        var work = nest.WorkPerEntry;
        if (target == "gpu")
        {
            if (work is { } w && w < GpuMinimumWork)
                return (cpu, $"{reason}; on the CPU: about {Num(w)} memory accesses of work, too little for a GPU kernel launch and its copies (at least {Num(GpuMinimumWork)})");
            return (gpu, $"{reason}; on the GPU (ParaSlmTarget=gpu): {offload.Reason}");
        }
        if (work is not { } known)
            return (cpu, $"{reason}; auto chose the CPU: the loop's work is not known at build time, so the GPU's launch and copies cannot be shown to pay");
        var bytes = BytesMoved(offload);
        if (bytes is null)
            return (cpu, $"{reason}; auto chose the CPU: the bytes to move are only known at run time");
        var cpuCost = PlanCostModel.CpuRegionOverhead + known / PlanCostModel.CpuThreads;
        var gpuCost = PlanCostModel.GpuRegionOverhead + known / PlanCostModel.GpuLanes + bytes.Value * TransferCostPerByte;
        var numbers = $"{Num(known)} accesses of work, {Num(bytes.Value)} bytes moved: GPU estimate {Num(gpuCost)}, CPU estimate {Num(cpuCost)} (work units)";
        return gpuCost < cpuCost
            ? (gpu, $"{reason}; auto chose the GPU: {numbers}")
            : (cpu, $"{reason}; auto chose the CPU: {numbers}");
    }

    /// <summary>Bytes copied per region entry (to + from; tofrom twice), or null when a section length is not a constant.</summary>
    public static double? BytesMoved(OffloadFacts offload)
    {
        double total = 0;
        foreach (var a in offload.Arrays)
        {
            if (!long.TryParse(a.Length, NumberStyles.Integer, CultureInfo.InvariantCulture, out var elements)) return null;
            var copies = a.Direction switch { MapDirection.ToFrom => 2, MapDirection.Alloc => 0, _ => 1 };
            total += (double)elements * OffloadFacts.ElementSize(a.ElementType) * copies;
        }
        return total;
    }

    private static string Num(double v) => v.ToString(v >= 1e6 ? "0.##e0" : "0", CultureInfo.InvariantCulture);
}
