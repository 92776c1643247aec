using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Engine.Inputs;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Engine;

/// <summary>
/// Between the verified plans and the rewriter: GPU plans are built only when the source's compiler can build offload
/// code (<see cref="OffloadToolchains"/>). Without a toolchain each GPU plan becomes its CPU plan (same clauses), the
/// loop's reason says why, and the build gets one PSLM2006 warning per compiler; the build stays green.
/// </summary>
public static class OffloadGate
{
    /// <param name="readsOpenMPMacro">The file, or a user header it includes, that reads `_OPENMP` while the user's build has no
    /// OpenMP: the copy could not both keep that code off and compile for the device with clang, so its loops stay on the CPU.</param>
    /// <param name="cuda">ParaSlmGpuFlavor=cuda: GPU plans become `gpu-cuda` kernels when a CUDA toolkit is present, else the
    /// CPU plan with PSLM2007; null: the OpenMP offload flavour.</param>
    public static async Task<(IReadOnlyList<LoopPlan> Plans, IReadOnlyList<string> Flags)> ApplyAsync(CompileCommand unit, IReadOnlyList<LoopPlan> plans,
        OffloadToolchains toolchains, CudaToolchain? cuda, string? readsOpenMPMacro, Action<string, int, int, string, string> warn, CancellationToken cancel)
    {
        if (!plans.Any(IsGpu)) return (plans, []);
        if (cuda is not null)
        {
            var (available, why) = await cuda.ProbeAsync(cancel);
            if (available) return (plans.Select(p => IsGpu(p) ? p with { Proposal = p.Proposal with { Target = ParallelTarget.GpuCuda } } : p).ToList(), []);
            var gpu = plans.First(IsGpu);
            warn(unit.File, gpu.Line, gpu.Column, CudaToolchain.NoToolkitCode,
                $"{plans.Count(IsGpu)} loop(s) of this file were planned for the GPU with ParaSlmGpuFlavor=cuda, but {why}; the CPU plan is used instead " +
                "(the kernels ParaSlm would build are in the intermediate folder's cuda/ for review; set ParaSlmGpuFlavor=openmp or ParaSlmTarget=cpu to silence this)");
            return (plans.Select(p => IsGpu(p)
                ? p with
                {
                    Proposal = p.Proposal with { Target = ParallelTarget.CpuOpenMP },
                    Reason = p.Reason + "; built for the CPU: " + why,
                    Code = CudaToolchain.NoToolkitCode,
                }
                : p).ToList(), []);
        }
        if (readsOpenMPMacro is { } reader)
        {
            return (plans.Select(p => IsGpu(p)
                ? p with
                {
                    Proposal = p.Proposal with { Target = ParallelTarget.CpuOpenMP },
                    Reason = p.Reason + $"; built for the CPU: `{reader}` reads `_OPENMP`, which the offload compiler must define while this build does not",
                    Code = PlanVerifier.NotOffloadable,
                }
                : p).ToList(), []);
        }
        var toolchain = await toolchains.ForAsync(unit, cancel);
        // gpu-cuda plans are built as OpenMP offload from the same facts (the CUDA generator writes a .cu for review and
        // for a CUDA build; see ARCHITECTURE.md): one device code path per loop, one set of flags.
        if (toolchain.Available) return (plans.Select(p => IsGpu(p) ? p with { Proposal = p.Proposal with { Target = ParallelTarget.GpuOpenMPOffload } } : p).ToList(), toolchain.Flags);
        var first = plans.First(IsGpu);
        warn(unit.File, first.Line, first.Column, OffloadToolchain.NoToolchainCode,
            $"{plans.Count(IsGpu)} loop(s) of this file were planned for the GPU, but {toolchain.Reason}; the CPU plan is used instead (set ParaSlmTarget=cpu to silence this)");
        return (plans.Select(p => IsGpu(p)
            ? p with
            {
                Proposal = p.Proposal with { Target = ParallelTarget.CpuOpenMP },
                Reason = p.Reason + "; built for the CPU: no GPU toolchain (" + toolchain.Reason + ")",
                Code = OffloadToolchain.NoToolchainCode,
            }
            : p).ToList(), []);
    }

    /// <summary>The offload directive for a GPU plan, or null for a CPU plan.</summary>
    public static string? Directive(LoopPlan plan, LoopFacts facts) =>
        IsGpu(plan) && plan.Proposal.Target != ParallelTarget.GpuCuda ? OffloadDirective.For(facts, plan.Proposal) : null;

    /// <summary>A plan the CUDA flavour outlines into a kernel (only when a CUDA toolkit is present).</summary>
    public static bool IsCuda(LoopPlan plan) => plan.IsParallel && plan.Proposal.Target == ParallelTarget.GpuCuda;

    private static bool IsGpu(LoopPlan p) => p.IsParallel && p.Proposal.Target is ParallelTarget.GpuOpenMPOffload or ParallelTarget.GpuCuda;
}
