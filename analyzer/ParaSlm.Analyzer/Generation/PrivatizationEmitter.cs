using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The privatized form of a loop that reuses a scratch array (<see cref="Privatization"/>), as pieces of text each with the
/// original line it maps to (the rewriter puts `#line` directives where the mapping jumps). Every thread allocates its own
/// copy of the section in one parallel region (a local array for a small constant section, the heap otherwise; a failed
/// allocation on any thread makes the whole team skip the loop, and the original loop runs); the loop is work-shared with
/// `omp for`, its references to the array going to the thread's copy, and each iteration records its copy in a
/// `lastprivate` pointer, so after the loop the pointer names the copy of the thread that ran the last iteration, which
/// `omp single` writes back into the array while every copy is still alive. Only gcc and clang compile the form (GNU
/// builtins, no header needed); other compilers build the original loop.
/// </summary>
internal static class PrivatizationEmitter
{
    /// <summary>Char indices of the loop, of its body's start and of every reference to the array in the document's text.</summary>
    internal sealed record Positions(int For, int End, int Body, IReadOnlyList<int> References);

    public static IReadOnlyList<OrderedAppendEmitter.Piece> Pieces(SourceDocument doc, Privatization x, Positions at, string directive, string? check, string pad)
    {
        var forLine = doc.LineOf(at.For);
        var t = x.ElementType;
        var (copy, last) = (x.CopyName, Privatization.LastCopy);
        var conditions = new List<string>();
        if (CostGuardVersioning.Split(directive) is { } split)
        {
            // A guard still in the directive belongs to the region, not to its `omp for`: tested once, before the copies.
            directive = split.Directive;
            conditions.Add($"({split.Condition})");
        }
        conditions.AddRange(new[] { check, x.OverlapCheck }.OfType<string>().Select(c => $"({c})"));
        const string combined = "omp parallel for";
        var forDirective = "omp for" + (directive.StartsWith(combined, StringComparison.Ordinal) ? directive[combined.Length..] : " " + x.Clauses);

        // The work-shared copy: the user's loop with each reference to the array renamed to the thread's copy (same line and
        // column count changes only within a line), and each iteration starting by recording which copy it wrote.
        var record = $"{last} = {copy};";
        var edits = at.References.Select(r => (At: r, Remove: x.Array.Length, Insert: copy)).ToList();
        edits.Add(x.BodyBraced ? (at.Body + 1, 0, " " + record) : (at.Body, 0, "{ " + record + " "));
        var text = new System.Text.StringBuilder(pad);
        var cursor = at.For;
        foreach (var (start, remove, insert) in edits.OrderBy(e => e.At))
        {
            text.Append(doc.Text[cursor..start]).Append(insert);
            cursor = start + remove;
        }
        text.Append(doc.Text[cursor..at.End]);
        if (!x.BodyBraced) text.Append(" }");

        var end = x.EndConstant is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"(long long)({x.End})";
        var allocation = x.OnStack
            ? $"    {t} paraslm_pstack[{Math.Max(1, x.EndConstant!.Value)}]; {t} *paraslm_pbuf = paraslm_pstack;"
            : $"    {t} *paraslm_pbuf = ({t} *)__builtin_malloc(sizeof({t}) * (__SIZE_TYPE__)({end} > 0 ? {end} : 1));";
        var runs = x.ChainRuns is null ? string.Empty : $" && {x.ChainRuns}";
        var pieces = new List<OrderedAppendEmitter.Piece>
        {
            new(forLine, $"{{ /* ParaSlm {x.Name}: each thread works on its own copy of `{x.Array}[{x.Low}..{x.End})`; the thread that runs the last iteration copies it back */ int paraslm_done = 0;"),
            new(forLine, "#if defined(__GNUC__)"),
            new(forLine, $"if ({(conditions.Count == 0 ? "1" : string.Join(" && ", conditions))}) {{"),
            new(forLine, $"  {t} *{last} = 0; int paraslm_pfail = 0;"),
            new(forLine, "#pragma omp parallel"),
            new(forLine, "  {"),
            new(forLine, allocation),
            new(forLine, "    if (!paraslm_pbuf) {"),
            new(forLine, "#pragma omp atomic write"),
            new(forLine, "      paraslm_pfail = 1;"),
            new(forLine, "    }"),
            new(forLine, "#pragma omp barrier"),
            new(forLine, "    int paraslm_pok;"),
            new(forLine, "#pragma omp atomic read"),
            new(forLine, "    paraslm_pok = paraslm_pfail;"),
            new(forLine, "    if (!paraslm_pok) {"),
            new(forLine, $"      {t} *const {copy} = paraslm_pbuf;"),
            new(forLine, "#pragma " + forDirective),
            new(forLine, text.ToString(), Verbatim: true),
            new(forLine, "#pragma omp single"),
            new(forLine, $"      {{ if ({last}{runs}) for (long long paraslm_v = {x.Low}; paraslm_v < {end}; paraslm_v++) {x.Array}[paraslm_v] = {last}[paraslm_v]; }}"),
            new(forLine, "    }"),
        };
        if (!x.OnStack) pieces.Add(new(forLine, "    __builtin_free(paraslm_pbuf);"));
        pieces.AddRange(
        [
            new(forLine, "  }"),
            new(forLine, "  paraslm_done = !paraslm_pfail;"),
            new(forLine, "}"),
            new(forLine, "#endif"),
            new(forLine, "if (!paraslm_done) {"),
            new(forLine, pad + doc.Text[at.For..at.End] + " } }", Verbatim: true),
        ]);
        return pieces;
    }
}
