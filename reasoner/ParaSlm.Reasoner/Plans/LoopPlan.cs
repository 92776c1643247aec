using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Plans;

/// <summary>Where a plan came from.</summary>
public enum PlanOrigin
{
    Model,
    Analyzer,
    Cache,
    User,
}

/// <summary>
/// The final plan for one `for` loop, after the verifier: the `paraslm plan --json` contract
/// (`action`, `target`, `clauses`, `origin`, `strategy`, `model`, `verdict`, `reason`).
/// </summary>
public sealed record LoopPlan(
    string Id,
    string File,
    int Line,
    int Column,
    PlanProposal Proposal,
    string? RuntimeCheck,
    PlanOrigin Origin,
    string Strategy,
    string Model,
    VerdictKind Verdict,
    string Reason,
    string? Code)
{
    /// <summary>
    /// For a loop of a nest the model was asked about: what became of the model's plan — accepted or repaired when the
    /// final plan is the model's, rejected when the nest kept the analyzer's plan (unsafe, invalid, or not as good by
    /// the cost model; <see cref="ModelCode"/> says which). Null when no model answer was weighed for this loop.
    /// </summary>
    public VerdictKind? ModelVerdict { get; init; }

    /// <summary>The PSLM code of why the model's plan was not used (verifier, answer or cost code), or null.</summary>
    public string? ModelCode { get; init; }

    public bool IsParallel => Proposal.Parallel;

    /// <summary>
    /// Where this loop runs fused with a sibling nest (the first nest's plan names the fusion, or the loop belongs to the nest
    /// fused into the one before it): its own verified plan, what it gets without fusion. The fused form's `else` branch runs it,
    /// and so does the copy where the fused edit cannot be placed. Null otherwise.
    /// </summary>
    public PlanProposal? Unfused { get; init; }

    /// <summary>The loop's copy is rewritten: it runs in parallel, or serially in a form the verifier re-proved
    /// (<see cref="PlanProposal.IsSerialTransform"/>: the right-looking order or the scalar-expanded form).</summary>
    public bool IsRewritten => Proposal.Parallel || PlanProposal.IsSerialTransform(Proposal.Transform);

    public string Action => Proposal.Parallel ? "parallel" : "sequential";

    public string Target => Proposal.Parallel ? TargetName(Proposal.Target) : "none";

    public string Clauses => Proposal.ClauseText;

    public static string TargetName(ParallelTarget t) => t switch
    {
        ParallelTarget.CpuOpenMP => "cpu-openmp",
        ParallelTarget.GpuCuda => "gpu-cuda",
        ParallelTarget.GpuOpenMPOffload => "gpu-openmp-offload",
        _ => "none",
    };

    public static string OriginName(PlanOrigin o) => o.ToString().ToLowerInvariant();

    public static string VerdictName(VerdictKind v) => v.ToString().ToLowerInvariant();
}
