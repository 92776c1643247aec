using ParaSlm.Analyzer.Scalars;

namespace ParaSlm.Analyzer.Verification;

/// <summary>Where a parallel loop should run.</summary>
public enum ParallelTarget
{
    None,
    CpuOpenMP,
    GpuCuda,
    GpuOpenMPOffload,
}

/// <summary>
/// What a planner (the analyzer, a model, a cache entry or the user) proposes for one loop: whether to
/// parallelize it, where, and with which clauses. The verifier decides whether it may be used.
/// </summary>
public sealed record PlanProposal(
    bool Parallel,
    ParallelTarget Target,
    IReadOnlyList<string> Private,
    IReadOnlyList<string> LastPrivate,
    IReadOnlyList<Reduction> Reductions,
    int Collapse = 1,
    string? Schedule = null)
{
    /// <summary>`parallel for simd`: the loop is also vectorized (only a stride-1 innermost loop, <see cref="Facts.LoopFacts.Vectorizable"/>).</summary>
    public bool Simd { get; init; }

    /// <summary>
    /// `#pragma omp simd` also on the innermost loops of the nest this loop heads that the facts prove vectorizable at
    /// their own level (<see cref="Locality.InnerSimd"/>): the nest's second edit. Not part of <see cref="ClauseText"/>:
    /// the generator puts it on the inner loops, with their own clauses.
    /// </summary>
    public bool InnerSimd { get; init; }

    /// <summary>
    /// The nest's inner loops that the facts prove may run scalar-expanded (<see cref="Locality.ScalarExpansion"/>: a scalar
    /// kept per `j` in a strip array, its reduction loops moved outside `j`) run so inside each iteration of this loop. Not
    /// part of <see cref="ClauseText"/>: the generator rewrites those loops.
    /// </summary>
    public bool ScalarExpansion { get; init; }

    /// <summary>
    /// The nest's loops that the facts prove may run unrolled and jammed (<see cref="Locality.UnrollJam"/>: U iterations of a
    /// loop run its inner reduction loop together, as U independent chains) run so inside each iteration of this loop, or this
    /// loop itself does, its groups in parallel. Not part of <see cref="ClauseText"/>: the generator rewrites those loops.
    /// </summary>
    public bool UnrollJam { get; init; }

    /// <summary>
    /// A locality transform of the nest this loop heads, applied before it is parallelized (null: none):
    /// <see cref="Locality.MatmulNest.TransformName"/> (the matrix-product nest runs as tiled i-k-j, the i tiles in
    /// parallel and the stride-1 j loop `omp simd`), <see cref="Locality.SerialLoopSink.TransformName"/>, or
    /// `interchange(j,i)` (<see cref="Locality.InterchangeNest.Name"/>). Not part of <see cref="ClauseText"/>: the generator emits it.
    /// </summary>
    public string? Transform { get; init; }

    public static PlanProposal Sequential { get; } = new(false, ParallelTarget.None, [], [], []);

    /// <summary>
    /// <paramref name="transform"/> is one of the two a sequential plan carries: the right-looking order
    /// (<see cref="PlanVerifier.IsRightLooking"/>) or the scalar-expanded form (<see cref="Locality.ScalarExpanding.SerialForm"/>).
    /// The loop stays serial and its copy is rewritten in that form, which the verifier re-proves by name. One test, so that the
    /// verifier, the plan's "rewritten" and the generator's serial edit agree on what a serial transform is.
    /// </summary>
    public static bool IsSerialTransform(string? transform) =>
        PlanVerifier.IsRightLooking(transform) || Locality.ScalarExpanding.SerialForm(transform);

    /// <summary>OpenMP clause text: `private(t) lastprivate(x) reduction(+:s) collapse(2) schedule(static)`.</summary>
    public string ClauseText
    {
        get
        {
            if (!Parallel) return string.Empty;
            var parts = new List<string>();
            // `simd` belongs to the construct's name (`parallel for simd`), so it comes before every clause.
            if (Simd) parts.Add("simd");
            if (Private.Count > 0) parts.Add($"private({string.Join(", ", Private)})");
            if (LastPrivate.Count > 0) parts.Add($"lastprivate({string.Join(", ", LastPrivate)})");
            foreach (var g in Reductions.GroupBy(r => r.Operator))
                parts.Add($"reduction({g.Key}:{string.Join(", ", g.Select(r => r.Variable))})");
            if (Collapse > 1) parts.Add($"collapse({Collapse})");
            if (!string.IsNullOrEmpty(Schedule)) parts.Add($"schedule({Schedule})");
            return string.Join(" ", parts);
        }
    }
}
