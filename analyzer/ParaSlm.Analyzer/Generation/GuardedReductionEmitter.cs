using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The guarded array reduction of a scatter (<see cref="GuardedReduction"/>), as pieces of text each with the original line
/// it maps to (the rewriter puts `#line` directives where the mapping jumps):
/// <code>
/// { int paraslm_done = 0;                                          the original loop runs below unless the merge ran
/// #if defined(__GNUC__)
///   if (GUARD &amp;&amp; OVERLAP &amp;&amp; SIZE) {                             cost guard, h[0..K) clear of what the loop reads
///     K once; T *paraslm_acc = calloc(K)                           the shared temporary (heap: K may be 65,536 doubles)
///     if (paraslm_acc) { int paraslm_out = 0; unsigned long long paraslm_kb = K;
/// #pragma omp parallel for … firstprivate(paraslm_kb) reduction(+:paraslm_acc[:paraslm_k]) reduction(|:paraslm_out)
///       LOOP                                                      the user's, each update now tests its subscript
///       if (!paraslm_out) { h[v] += acc[v] where acc[v] != 0; paraslm_done = 1; }
///       free }
///   }
/// #endif
///   if (!paraslm_done) ORIGINAL LOOP }
/// </code>
/// The array-section reduction is OpenMP 4.5 and the temporary uses GNU builtins (no header needed), so only gcc and clang
/// compile the form; MSVC and clang-cl (OpenMP 2.0) compile the original loop alone. OpenMP's own reduction is used rather
/// than hand-made per-thread copies: the runtime zeroes, combines and frees the copies, as for the declared-array
/// reductions, with the same limit on their size.
/// </summary>
internal static class GuardedReductionEmitter
{
    /// <summary>The char indices of the loop and of each update expression in the document's text.</summary>
    internal sealed record Positions(int For, int End, IReadOnlyList<(int Start, int End)> Updates);

    public static IReadOnlyList<OrderedAppendEmitter.Piece> Pieces(SourceDocument doc, GuardedReduction g, Positions at, string directive, string? check, string pad)
    {
        var forLine = doc.LineOf(at.For);
        var t = g.ElementType;
        var (k, acc, out_) = (GuardedReduction.BoundName, GuardedReduction.Accumulator, GuardedReduction.OutOfRange);
        var conditions = new[] { check, g.OverlapCheck, g.SizeCheck }.OfType<string>().Select(c => $"({c})").ToList();
        // The parallel copy: the user's loop with each update replaced by its guarded form on the update's first line
        // (followed by the newlines the update spanned, so every later line keeps its number).
        var copy = new System.Text.StringBuilder(pad);
        var cursor = at.For;
        foreach (var ((start, end), u) in at.Updates.Zip(g.Updates))
        {
            copy.Append(doc.Text[cursor..start]);
            var update = u.Operator is "++" or "--" ? u.Operator : $" {u.Operator} ({u.Value})";
            copy.Append($"do {{ unsigned long long paraslm_i = (unsigned long long)({u.Index}); if (paraslm_i < {GuardedReduction.LocalBound}) {acc}[paraslm_i]{update}; else {out_} = 1; }} while (0)");
            copy.Append(string.Concat(Enumerable.Repeat(doc.NewLine, doc.Text[start..end].Count(c => c == '\n'))));
            cursor = end;
        }
        copy.Append(doc.Text[cursor..at.End]);
        return
        [
            new(forLine, $"{{ /* ParaSlm {GuardedReduction.TransformName}: the loop adds into per-thread copies of `{g.Array}[0..{g.Bound})`; an index outside runs it as written */ int paraslm_done = 0;"),
            new(forLine, "#if defined(__GNUC__)"),
            new(forLine, $"if ({(conditions.Count == 0 ? "1" : string.Join(" && ", conditions))}) {{"),
            new(forLine, $"  const long long {k} = (long long)({g.Bound}); {t} *{acc} = ({t} *)__builtin_calloc((__SIZE_TYPE__){k}, sizeof({t}));"),
            new(forLine, $"  if ({acc}) {{ int {out_} = 0; unsigned long long {GuardedReduction.LocalBound} = (unsigned long long){k};"),
            new(forLine, "#pragma " + directive),
            new(forLine, copy.ToString(), Verbatim: true),
            new(forLine, $"    if (!{out_}) {{ for (long long paraslm_v = 0; paraslm_v < {k}; paraslm_v++) if ({acc}[paraslm_v] != 0) {g.Array}[paraslm_v] += {acc}[paraslm_v]; paraslm_done = 1; }}"),
            new(forLine, $"    __builtin_free({acc}); }}"),
            new(forLine, "}"),
            new(forLine, "#endif"),
            new(forLine, "if (!paraslm_done) {"),
            new(forLine, pad + doc.Text[at.For..at.End] + " } }", Verbatim: true),
        ];
    }
}
