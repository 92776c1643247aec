using ParaSlm.Analyzer.Generation;
using ParaSlm.Engine.Inputs;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Engine.Planning;

/// <summary>
/// Whether ParaSlm's copy of a file gets `simd`, decided over every command that compiles the file: one copy replaces the
/// file under all of them. Where all turn vectorization off (<see cref="NoVectorization.SwitchIn"/>), the copy gets no
/// `simd` (<see cref="Off"/>). Where they disagree (TSVC builds one file as a vectorized and an unvectorized target) it keeps
/// `simd`: either form computes the same, but without it the vectorized target lost its vector reductions (s313, s319,
/// vdotr: 2.9-4.0x of serial down to 1.4-1.6x), so the report says which command is not honoured (<see cref="OffElsewhere"/>).
/// The build (ApplyEngine) and `paraslm plan` both read their decision and their notes from here.
/// </summary>
/// <param name="Off">The switch every command has, named as the first command spells it; null when one vectorizes.</param>
/// <param name="OffElsewhere">Where the commands disagree, the switch of one that turns vectorization off; null otherwise.</param>
public sealed record VectorizationAgreement(string? Off, string? OffElsewhere)
{
    /// <summary>The decision over <paramref name="commands"/> (all the compile commands of one file).</summary>
    public static VectorizationAgreement Of(IEnumerable<CompileCommand> commands)
    {
        var switches = commands.Select(c => NoVectorization.SwitchIn(c.Arguments)).ToList();
        var off = switches.Count > 0 && switches.All(s => s is not null) ? switches[0] : null;
        return new VectorizationAgreement(off, off is null ? switches.FirstOrDefault(s => s is not null) : null);
    }

    /// <summary>The decision over a build's unit: its command and its <see cref="CompileCommand.Alternatives"/>.</summary>
    public static VectorizationAgreement Of(CompileCommand unit) => Of(new[] { unit }.Concat(unit.Alternatives));

    /// <summary>
    /// The copy of a file whose `simd` clang's optimizer refuses (<see cref="OptimizerSimdCheck"/>): written without `simd`,
    /// like a file compiled with vectorization off, and each loop that lost it says why.
    /// </summary>
    public static VectorizationAgreement Refused(string refusal) => new(OptimizerSimdCheck.Warning, null) { Refusal = refusal };

    /// <summary>clang's diagnostic that refused the copy's `simd` (<see cref="Refused"/>); null otherwise.</summary>
    public string? Refusal { get; init; }

    /// <summary>The copy keeps `simd` (no command turns vectorization off, or the commands disagree).</summary>
    public bool Vectorizes => Off is null;

    private string OffNote => Refusal is null
        ? $"; no `simd`: the file is compiled with {Off}"
        : "; no `simd`: clang's optimizer could not vectorize a `simd` loop of this file (\"loop not vectorized\", -Wpass-failed: " +
          "a warning the original build does not have, an error under -Werror), so its copy asks for none";

    private string KeptNote => $"; keeps `simd` although one command compiles this file with {OffElsewhere}: another vectorizes it, and one copy serves both";

    /// <summary>
    /// The report's loops as written: where the copy gets no `simd`, each parallel loop's clauses lose it (and its simd-only
    /// clauses) and the loop says why; where the commands disagree, each loop that keeps `simd` says so.
    /// </summary>
    public void Report(List<ReportLoop> reportLoops)
    {
        for (var i = 0; i < reportLoops.Count; i++)
        {
            var l = reportLoops[i];
            if (l.Action != "parallel") continue;
            if (Off is not null)
            {
                // The column holds a plain loop's clauses (`simd reduction(+:s)`) or a form's whole directive (`omp parallel for …`).
                var prefix = l.Clauses.StartsWith("omp ", StringComparison.Ordinal) ? string.Empty : "omp parallel for ";
                if (NoVectorization.Without(prefix + l.Clauses) is not { } kept || kept == prefix + l.Clauses) continue;
                reportLoops[i] = l with { Clauses = kept[Math.Min(kept.Length, prefix.Length)..].Trim(), Reason = l.Reason + OffNote };
            }
            else if (OffElsewhere is not null && l.Clauses.Split(' ', '(').Contains("simd"))
                reportLoops[i] = l with { Reason = l.Reason + KeptNote };
        }
    }

    /// <summary>
    /// A plan as the copy would carry it (`paraslm plan`): where the copy gets no `simd`, a parallel plan loses `simd` and its
    /// inner loops' `omp simd` (the generator writes neither, <see cref="NoVectorization.Apply"/>) and says why; where the
    /// commands disagree, a plan that keeps either says so.
    /// </summary>
    public LoopPlan Plan(LoopPlan plan)
    {
        if (!plan.IsParallel || plan.Proposal is { Simd: false, InnerSimd: false }) return plan;
        if (Off is not null)
            return plan with
            {
                Proposal = plan.Proposal with { Simd = false, InnerSimd = false },
                Unfused = plan.Unfused is { } own ? own with { Simd = false, InnerSimd = false } : null,
                Reason = plan.Reason + OffNote,
            };
        return OffElsewhere is null ? plan : plan with { Reason = plan.Reason + KeptNote };
    }
}
