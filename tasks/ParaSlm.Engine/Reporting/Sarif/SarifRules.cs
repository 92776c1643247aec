namespace ParaSlm.Engine.Reporting.Sarif;

/// <summary>One SARIF rule: a PSLM code with its name, a one-line description and help that says what to do.</summary>
public sealed record SarifRule(string Id, string Name, string Short, string Help, string Level);

/// <summary>
/// The rules a loop decision can carry. Loops the verifier, the rewriter or validation touched keep their own code
/// (PSLM2001–2005, PSLM2008, PSLM5001); a loop without one is PSLM6101 (parallelized) or PSLM6102 (kept serial).
/// </summary>
public static class SarifRules
{
    public const string Parallelized = "PSLM6101", KeptSerial = "PSLM6102";

    private static readonly Dictionary<string, SarifRule> Known = new[]
    {
        new SarifRule(Parallelized, "LoopParallelized", "ParaSlm parallelized this loop.",
            "The analyzer proved the loop free of loop-carried dependences and ParaSlm added an OpenMP directive (the fix shows it). Nothing to do; to keep a loop serial, restructure it or build with ParaSlmMode=Analyze.", "note"),
        new SarifRule(KeptSerial, "LoopKeptSerial", "ParaSlm kept this loop serial.",
            "The analyzer could not prove the loop safe to run in parallel, or it is not worth a parallel region; the message gives the reason. Remove the dependence it names (or declare a called function with ParaSlmAssumePure when it truly has no side effects) to let ParaSlm parallelize it.", "note"),
        new SarifRule("PSLM2001", "UnsafePlanRejected", "A proposed parallel plan was unsafe and was rejected.",
            "A model or cache proposed parallelizing a loop the analyzer did not prove safe; the verifier kept it serial. Nothing to do: the build is correct.", "note"),
        new SarifRule("PSLM2002", "ClausesRepaired", "The plan's data-sharing clauses were repaired to the analyzer's.",
            "The proposed private/reduction clauses were wrong; the verifier replaced them with the analyzer's. Nothing to do.", "note"),
        new SarifRule("PSLM2003", "CollapseDropped", "An invalid collapse clause was dropped.",
            "The nest is not perfectly nested or not rectangular; the loop is parallel without collapse. Nothing to do.", "note"),
        new SarifRule("PSLM2004", "GpuTargetMovedToCpu", "A GPU target was moved to the CPU.",
            "The loop cannot be offloaded (calls, pointers the device cannot reach); it runs with OpenMP on the CPU.", "note"),
        new SarifRule("PSLM2005", "NestedParallelRejected", "A parallel loop inside a parallel loop was kept serial.",
            "Only the outer loop of a nest gets a parallel region. Nothing to do.", "note"),
        new SarifRule(ApplyEngine.FusedEditSkippedCode, "FusedFormNotRewritten", "The fused form of this loop's nests could not be written; each nest runs its own plan.",
            "The analyzer proved the sibling nests fusable, but the rewriter could not place the fused form (a preprocessor line between the nests, a conflict with another edit; the message names it). Each nest keeps its own plan. Nothing to do; to get the fused form, move the preprocessor line out from between the nests.", "note"),
        new SarifRule("PSLM5001", "LoopRevertedByValidation", "Validation reverted this loop: it failed under a sanitizer or changed the output.",
            "The evidence (sanitizer report or differing output line) is in the message. Fix the race in the code, or remove a false ParaSlmAssumePure declaration; ParaSlm keeps the loop serial until its code changes.", "warning"),
    }.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static string RuleOf(Engine.ReportLoop loop) =>
        loop.Code is { } code && code.StartsWith("PSLM", StringComparison.Ordinal) ? code : loop.Action == "parallel" ? Parallelized : KeptSerial;

    public static SarifRule Describe(string id) => Known.TryGetValue(id, out var r) ? r
        : new SarifRule(id, "ParaSlm" + id, $"ParaSlm decision {id}.", $"See the ParaSlm diagnostics table (README) for {id}.", "note");
}
