namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// A build that switches vectorization off keeps it off in ParaSlm's copy: `#pragma omp … simd` forces vectorization
/// (gcc vectorizes a loop marked `simd` even under -fno-tree-vectorize: its vectorizer runs for any function with such a
/// loop), so where the file's compile command turns it off, every directive ParaSlm writes loses `simd` and its simd-only
/// clauses and keeps the rest (`omp parallel for simd reduction(+:s)` → `omp parallel for reduction(+:s)`), and a
/// directive that was `simd` alone (an inner loop's `omp simd`) is not written. The user's own pragmas are left as written.
/// </summary>
public static class NoVectorization
{
    /// <summary>
    /// The switch in <paramref name="compileArguments"/> that turns vectorization off, or null when none does: gcc's
    /// `-fno-tree-vectorize` and `-fno-tree-loop-vectorize`, clang's `-fno-vectorize` and `-fno-slp-vectorize`, and
    /// `-fno-openmp-simd`. For each, the last of its positive and negative forms wins (`-fno-tree-vectorize -ftree-vectorize`
    /// vectorizes); any family left off is off — the conservative reading, since leaving `simd` out never changes results.
    /// </summary>
    public static string? SwitchIn(IReadOnlyList<string> compileArguments)
    {
        var last = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var a in compileArguments)
        {
            if (a.StartsWith("-fno-", StringComparison.Ordinal) && Families.Contains(a[5..])) last[a[5..]] = false;
            else if (a.StartsWith("-f", StringComparison.Ordinal) && Families.Contains(a[2..])) last[a[2..]] = true;
        }
        return Families.FirstOrDefault(f => last.TryGetValue(f, out var on) && !on) is { } off ? "-fno-" + off : null;
    }

    private static readonly string[] Families = ["tree-vectorize", "tree-loop-vectorize", "vectorize", "slp-vectorize", "openmp-simd"];

    /// <summary>Clauses that belong to the `simd` construct alone: without it they are invalid.</summary>
    private static readonly string[] SimdOnlyClauses = ["safelen", "simdlen", "aligned", "nontemporal"];

    /// <summary>
    /// <paramref name="directive"/> (the text after `#pragma `) without `simd` and its simd-only clauses (`safelen`, `simdlen`,
    /// `aligned`, `nontemporal`, `if(simd: …)`); null when nothing of the construct remains (`omp simd …`). A directive that
    /// is not OpenMP, or names no `simd`, is returned as it is.
    /// </summary>
    public static string? Without(string directive)
    {
        var parts = Split(directive);
        if (parts.Count == 0 || parts[0] != "omp" || !parts.Contains("simd")) return directive;
        var kept = new List<string>();
        foreach (var p in parts)
        {
            if (p == "simd") continue;
            var open = p.IndexOf('(', StringComparison.Ordinal);
            var name = open < 0 ? p : p[..open].TrimEnd();
            if (open >= 0 && SimdOnlyClauses.Contains(name, StringComparer.Ordinal)) continue;
            if (open >= 0 && name == "if" && p[(open + 1)..].TrimStart().StartsWith("simd", StringComparison.Ordinal) &&
                p[(open + 1)..].TrimStart()[4..].TrimStart().StartsWith(':')) continue;
            kept.Add(p);
        }
        // Only `omp` and clauses left: the construct was `simd` alone.
        return kept.Count < 2 || kept[1].Contains('(', StringComparison.Ordinal) ? null : string.Join(' ', kept);
    }

    /// <summary>A generated line (`#pragma omp simd`, a statement) as it is written where vectorization is off; null: left out.</summary>
    public static string? Line(string code)
    {
        var trimmed = code.TrimStart();
        if (!trimmed.StartsWith("#pragma ", StringComparison.Ordinal)) return code;
        return Without(trimmed["#pragma ".Length..].Trim()) is { } kept ? code[..(code.Length - trimmed.Length)] + "#pragma " + kept : null;
    }

    /// <summary>The edit as written where vectorization is off: its directives without `simd`, no inner loop's `omp simd`,
    /// no strip or expansion under `omp simd` (its fallbacks too). The forms' own generated lines go through <see cref="Line"/>.</summary>
    public static LoopEdit Apply(LoopEdit edit) => edit with
    {
        Directive = Without(edit.Directive) ?? string.Empty,
        SinkDirectives = edit.SinkDirectives.Select(d => Without(d) ?? string.Empty).ToList(),
        HoistDirectives = edit.HoistDirectives.Select(d => Without(d) ?? string.Empty).ToList(),
        InnerSimd = [],
        Fallbacks = edit.Fallbacks.Select(Apply).ToList(),
    };

    /// <summary>Top-level words and parenthesized clauses of a directive (`omp`, `parallel`, `reduction(+:s)`).</summary>
    private static List<string> Split(string directive)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var ch in directive)
        {
            if (depth == 0 && char.IsWhiteSpace(ch))
            {
                // A clause's name may be followed by blanks before its `(` (`if (…)`): the `(` joins it below.
                if (current.Length > 0) { parts.Add(current.ToString()); current.Clear(); }
                continue;
            }
            if (ch == '(' && depth == 0 && current.Length == 0 && parts.Count > 0)
            {
                current.Append(parts[^1]);
                parts.RemoveAt(parts.Count - 1);
            }
            if (ch == '(') depth++;
            else if (ch == ')') depth = Math.Max(0, depth - 1);
            current.Append(ch);
        }
        if (current.Length > 0) parts.Add(current.ToString());
        return parts;
    }
}
