namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// Turns a directive's run-time profitability clause (`if(!PARASLM_COST_GUARD || n >= K)`) into loop versioning:
/// `if (!PARASLM_COST_GUARD || n >= K) { #pragma omp parallel for … loop } else { loop }`. With the clause alone, a hot
/// function whose loops are short still enters the OpenMP runtime on every call (a team of one: allocation, barrier),
/// which made nlopt's StoGO test 40x slower than serial; the versioned serial branch never calls the runtime.
/// A loop whose text cannot be written twice keeps the clause (see <see cref="WhyNotDuplicable"/>).
/// </summary>
internal static class CostGuardVersioning
{
    private const string Clause = "if(!" + SourceRewriter.CostGuard + " ||";

    /// <summary>The directive without its cost-guard `if(…)` clause and the clause's condition; null when it has none.</summary>
    public static (string Directive, string Condition)? Split(string directive)
    {
        var start = directive.IndexOf(Clause, StringComparison.Ordinal);
        if (start < 0 || (start > 0 && directive[start - 1] is not (' ' or '\t'))) return null;
        var depth = 0;
        for (var i = start + 2; i < directive.Length; i++)
        {
            if (directive[i] == '(') depth++;
            else if (directive[i] == ')' && --depth == 0)
            {
                var condition = directive[(start + 3)..i].Trim();
                var rest = (directive[..start].TrimEnd() + " " + directive[(i + 1)..].TrimStart()).Trim();
                return (rest, condition);
            }
        }
        return null;
    }

    /// <summary>
    /// The directive with a team condition as its `if` clause (one thread when it fails): joined to the cost guard's
    /// condition where that clause stayed in the directive (OpenMP allows one `if` per directive), its own clause otherwise.
    /// Like the cost guard, `PARASLM_COST_GUARD=0` turns it off.
    /// </summary>
    public static string WithTeam(string directive, string team) =>
        Split(directive) is { } kept
            ? $"{kept.Directive} if(({kept.Condition}) && (!{SourceRewriter.CostGuard} || ({team})))"
            : $"{directive} if(!{SourceRewriter.CostGuard} || ({team}))";

    /// <summary>
    /// Why the loop's text (code tokens <paramref name="first"/> up to <paramref name="last"/>, exclusive) must not be
    /// duplicated, or null: a `static`/`thread_local` local would become two objects, and `__COUNTER__` would expand to
    /// different values in the two copies, and a preprocessor conditional cut in half by the loop would be unpaired in
    /// the copy (<see cref="ConditionalBalance"/>). (Labels are checked by the planner, which skips any versioning for them.)
    /// </summary>
    public static string? WhyNotDuplicable(SourceDocument doc, int first, int last)
    {
        for (var k = first; k < last && k < doc.Code.Length; k++)
        {
            if (doc.Code[k].Kind != TokenKind.Identifier) continue;
            var word = doc.TextOf(doc.Code[k]);
            if (word is "static" or "thread_local" or "_Thread_local" or "__thread")
                return $"the loop declares a `{word}` variable, which a second copy of the loop would duplicate";
            if (word == "__COUNTER__") return "the loop uses `__COUNTER__`, which would differ between two copies of the loop";
        }
        // The range ends at the loop's last token: a directive after it (the `#endif` around the whole loop) is not the loop's.
        if (first >= doc.Code.Length || last <= first) return null;
        return ConditionalBalance.WhyNotRewritable(doc, doc.Code[first].Start, doc.Code[Math.Min(last, doc.Code.Length) - 1].End);
    }
}
