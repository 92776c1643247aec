using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Engine.Inputs;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Engine.Planning;

/// <summary>
/// A source the build compiles several times with different flags (one file in several targets, each with its own
/// `-D`: libfixmath builds its library and tests in 24 variants) gets one rewritten copy, and every target compiles that
/// copy. The plan is made from the first compile command; under another command's flags the same loop may read another
/// body (an `#ifdef` that adds a call, a shared counter, a print). So a loop stays parallel only where the plan made
/// under every other distinct command is the same parallel plan (same clauses, run-time check, target, transform).
/// A loop that the other configuration does not compile at all (its text inactive there) does not count against it:
/// the directive sits inside the same inactive text.
/// </summary>
public static class ConfigurationAgreement
{
    /// <summary>
    /// The loops among <paramref name="plans"/>' parallel ones whose plan another compile command of the same file does not
    /// share, each with the reason for the report. Analyzes and plans the file once per alternative command.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> DisagreementsAsync(
        CompileCommand unit, IReadOnlyList<LoopPlan> plans, SourceAnalyzer analyzer, PlannerSession planner, string sourceText,
        Action<IReadOnlyList<string>> headersRead, CancellationToken cancel)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        // A right-looking serial loop is rewritten too: every command must prove the same order.
        var parallel = plans.Where(p => p.IsRewritten).ToList();
        if (parallel.Count == 0 || unit.Alternatives.Count == 0) return result;
        foreach (var alternative in unit.Alternatives)
        {
            var flags = Difference(unit, alternative);
            if (ClangParser.EnablesOpenMP(alternative.Arguments) != ClangParser.EnablesOpenMP(unit.Arguments))
            {
                // The copy either keeps or switches off the user's own OpenMP code (`#undef _OPENMP`, their pragmas blanked)
                // for the whole file: one copy cannot be right for a target with OpenMP and one without.
                foreach (var p in parallel)
                    result.TryAdd(p.Id, $"sequential: this file is also compiled with {flags}, one build with OpenMP and one without; " +
                                        "one rewritten copy cannot keep each build's own OpenMP code as it is, so the file is compiled as written");
                continue;
            }
            FileAnalysis analysis;
            try
            {
                analysis = analyzer.Analyze(unit.File, alternative.Arguments);
            }
            catch (SourceParseException e)
            {
                headersRead(e.IncludedFiles);
                foreach (var p in parallel)
                    result.TryAdd(p.Id, $"sequential: this file is also compiled with {flags}, and under those flags it could not be analyzed ({e.Diagnostic.Message})");
                continue;
            }
            headersRead(analysis.IncludedFiles);
            var other = (await planner.PlanAsync(analysis, sourceText, alternative.Arguments, cancel)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            foreach (var p in parallel)
            {
                if (result.ContainsKey(p.Id) || !other.TryGetValue(p.Id, out var q) || Same(p, q)) continue;
                result[p.Id] = q.IsParallel
                    ? $"sequential: this file is also compiled with {flags}, and there the loop's plan differs (`{Describe(q)}` instead of `{Describe(p)}`); " +
                      "one rewritten copy serves every compile command, so the loop stays serial"
                    : $"sequential: this file is also compiled with {flags}, and there the loop is not parallel ({q.Reason}); " +
                      "one rewritten copy serves every compile command, so the loop stays serial";
            }
        }
        return result;
    }

    private static bool Same(LoopPlan a, LoopPlan b) =>
        b.IsRewritten && a.IsParallel == b.IsParallel && a.Target == b.Target && a.Clauses == b.Clauses && a.RuntimeCheck == b.RuntimeCheck && a.Proposal.Transform == b.Proposal.Transform;

    private static string Describe(LoopPlan p) =>
        string.Join(' ', new[] { p.Target, p.Proposal.Transform, p.Clauses, p.RuntimeCheck is { } c ? $"if ({c})" : null }.Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>The flags that set the alternative command apart, as the user wrote them (`-DTRACE`, or `-DN=4` instead of `-DN=2`).</summary>
    public static string Difference(CompileCommand unit, CompileCommand alternative)
    {
        var added = alternative.Arguments.Except(unit.Arguments, StringComparer.Ordinal).ToList();
        var removed = unit.Arguments.Except(alternative.Arguments, StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (added.Count > 0) parts.Add(string.Join(' ', added.Select(a => $"`{a}`")));
        if (removed.Count > 0) parts.Add((added.Count > 0 ? "without " : "flags without ") + string.Join(' ', removed.Select(a => $"`{a}`")));
        if (alternative.Compiler != unit.Compiler) parts.Add($"by `{alternative.Compiler ?? "another compiler"}`");
        return parts.Count == 0 ? "other flags (the same flags in another order)" : string.Join(", ", parts);
    }
}
