using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The two-phase form of an append loop (<see cref="OrderedAppend"/>), as pieces of text each with the original line it
/// maps to (the rewriter puts `#line` directives where the mapping jumps):
/// <code>
/// { int paraslm_done = 0;                                       the original loop runs below unless phase 2 ran
///   if (GUARD &amp;&amp; PRECONDITION) {                                 cost guard; the claimed value fails the test
///     bounds once; at most 64 chunks of the counter's range, each with its own buffer
/// #pragma omp parallel for schedule(dynamic, 1) reduction(|:paraslm_bad)
///     for (chunk) { for (I = from; I &lt; to; I++) BODY }       BODY: the user's, S replaced by "keep the value"
///     m = candidates; if (!paraslm_bad &amp;&amp; OVERLAP(m)) {           allocation ok, `out` clear of what the loop reads
///       for (chunk) for (k) { W = buffer[k]; S }                 phase 2 in chunk order: the claim itself, or the append
///       paraslm_done = 1; }
///     free the buffers }
///   if (!paraslm_done) ORIGINAL LOOP }
/// </code>
/// The chunks are fixed by the counter's range (not by the thread count), so their order is iteration order on any
/// number of threads; `dynamic, 1` balances chunks of uneven work (a frontier's out-degrees). Phase 1 writes only its
/// buffers, so any failure still has the user's state untouched for the original loop.
/// </summary>
internal static class OrderedAppendEmitter
{
    /// <summary>Chunks of the counter's range; enough to balance 16 threads, few enough that a chunk amortizes its buffer.</summary>
    public const int Chunks = 64;

    /// <summary>
    /// The macro holding the fewest threads the two-phase form runs on (default <see cref="MinimumThreads"/>): phase 1
    /// scans the whole nest again and phase 2 stays serial, so with fewer threads the form does about the serial loop's
    /// work plus the buffers and would make the program slower; the original loop runs instead.
    /// </summary>
    public const string MinimumThreadsMacro = "PARASLM_APPEND_MIN_THREADS";

    /// <summary>
    /// The macro that compiles the two phases in (default 0: off). Even unused, they cost: their OpenMP regions capture
    /// the loop's variables, which then live in memory for the original loop too (clang -O3, bfs on 2 threads: 1.55 s
    /// against 1.19 s without the form). So the form is opt-in, `-DPARASLM_APPEND_FORMS=1`, for machines of 4+ cores.
    /// </summary>
    public const string FormsMacro = "PARASLM_APPEND_FORMS";

    /// <summary>Phase 1 on T threads and a serial phase 2 over about a quarter of the iterations (BFS) gain only when
    /// 1/T + 1/4 plus the buffers' cost stays well below 1: from about 4 threads on.</summary>
    public const int MinimumThreads = 4;

    /// <summary>log2 of the entries of a claim chunk's table of recent candidates (1,024: 4–8 KiB on the stack).</summary>
    public const int SeenBits = 10;

    /// <summary>How many candidates ahead phase 2 prefetches a claim's element: enough to cover a memory latency
    /// (about 100 ns) at a few ns per candidate.</summary>
    public const int PrefetchDistance = 16;

    /// <summary>A piece of output: generated code on one line mapped to <paramref name="Line"/>, or the user's text
    /// (<paramref name="Verbatim"/>: possibly several lines, starting at its own line and column).</summary>
    internal sealed record Piece(int Line, string Code, bool Verbatim = false);

    /// <summary>Char indices of the parts in the document's text.</summary>
    internal sealed record Positions(int For, int Body, int SinkStart, int SinkEnd, int End);

    public static IReadOnlyList<Piece> Pieces(SourceDocument doc, OrderedAppend a, Positions at, string directive, string? check, string pad)
    {
        var forLine = doc.LineOf(at.For);
        var sinkLine = doc.LineOf(at.SinkStart);
        var t = a.ElementType;
        var conditions = new[] { check is null ? null : $"({check})", a.Precondition is null ? null : $"({a.Precondition})" }.OfType<string>().ToList();
        var header = doc.Text[at.For..at.Body];
        var sink = doc.Text[at.SinkStart..at.SinkEnd];
        var keep = $"if (paraslm_n == paraslm_cap) {{ void *paraslm_q = __builtin_realloc(paraslm_p, (__SIZE_TYPE__)(paraslm_cap ? 2 * paraslm_cap : 256) * sizeof({t})); " +
                   $"if (paraslm_q) {{ paraslm_p = ({t} *)paraslm_q; paraslm_cap = paraslm_cap ? 2 * paraslm_cap : 256; }} else paraslm_bad = 1; }} " +
                   $"if (paraslm_n < paraslm_cap) paraslm_p[paraslm_n++] = ({t})({a.Pushed});";
        // A claim's candidate that this chunk already kept is dropped: once phase 2 has run S on the first copy, P[w] holds
        // V (S set it, or an earlier candidate did: nothing else writes P), so the test fails for every later copy. A
        // small direct-mapped table remembers recent candidates (a miss only keeps a duplicate, which phase 2 skips).
        var seen = $"unsigned paraslm_h = (unsigned)(((unsigned long long)({a.Pushed}) * 0x9E3779B97F4A7C15ull) >> {64 - SeenBits}); " +
                   $"if (!paraslm_has[paraslm_h] || paraslm_seen[paraslm_h] != ({a.Pushed})) {{ paraslm_has[paraslm_h] = 1; paraslm_seen[paraslm_h] = ({a.Pushed}); {keep} }}";
        var push = a.Test is { } test ? $"{{ if ({test}) {{ {seen} }} }}" : $"do {{ {keep} }} while (0)";
        // Phase 1's copy keeps the user's lines: the header and the replaced statement are padded with the newlines they had.
        var phase1 = pad + $"for ({a.CounterType} {a.Counter} = ({a.CounterType})paraslm_from; {a.Counter} < ({a.CounterType})paraslm_to; {a.Counter}++)" +
                     Newlines(header, doc.NewLine) + " " + doc.Text[at.Body..at.SinkStart] + push + Newlines(sink, doc.NewLine) + doc.Text[at.SinkEnd..at.End];
        var chunks = $"for (int paraslm_c = 0; paraslm_c < paraslm_nc; paraslm_c++)";
        var pieces = new List<Piece>
        {
            new(forLine, $"{{ /* ParaSlm {a.TransformName}: phase 1 finds the candidates in parallel, phase 2 appends them in iteration order */ int paraslm_done = 0;"),
            // The two phases use GNU builtins (realloc, prefetch, free without a header): other compilers (MSVC, clang-cl)
            // compile only the original loop below instead of failing the file's compile check.
            new(forLine, $"#if defined(__GNUC__) && {FormsMacro}"),
            // Declared only where used: with the forms off (the default) it would be an unused variable on the user's line.
            new(forLine, "int paraslm_t = 0;"),
            new(forLine, $"if ({(conditions.Count == 0 ? "1" : string.Join(" && ", conditions))}) {{"),
            // The team size, without an OpenMP library call (a user's stub under `#ifndef _OPENMP` could shadow it).
            new(forLine, "#pragma omp parallel reduction(+:paraslm_t)"),
            new(forLine, "  paraslm_t += 1;"),
            new(forLine, $"}} if (paraslm_t >= {MinimumThreadsMacro}) {{"),
            new(forLine, $"  const long long paraslm_lo = (long long)({a.Low}), paraslm_hi = (long long)({a.High}); " +
                         "const long long paraslm_len = paraslm_hi > paraslm_lo ? paraslm_hi - paraslm_lo : 0; " +
                         $"const int paraslm_nc = paraslm_len < {Chunks} ? (int)paraslm_len : {Chunks};"),
            new(forLine, $"  {t} *paraslm_bp[{Chunks}]; long long paraslm_bn[{Chunks}]; int paraslm_bad = 0;"),
            new(forLine, "#pragma " + directive),
            new(forLine, $"  {chunks} {{ {t} *paraslm_p = 0; long long paraslm_n = 0, paraslm_cap = 0; " +
                         (a.IsClaim ? $"{t} paraslm_seen[{1 << SeenBits}]; unsigned char paraslm_has[{1 << SeenBits}] = {{0}}; " : string.Empty) +
                         "const long long paraslm_from = paraslm_lo + paraslm_len * paraslm_c / paraslm_nc, paraslm_to = paraslm_lo + paraslm_len * (paraslm_c + 1) / paraslm_nc;"),
            new(forLine, phase1, Verbatim: true),
            new(forLine, "    paraslm_bp[paraslm_c] = paraslm_p; paraslm_bn[paraslm_c] = paraslm_n; }"),
            new(forLine, $"  long long {OrderedAppend.CandidateCount} = 0; {chunks} {OrderedAppend.CandidateCount} += paraslm_bn[paraslm_c];"),
            new(forLine, $"  if (!paraslm_bad && {OrderedAppend.CandidateCount} >= 0{(a.OverlapCheck is { } overlap ? $" && ({overlap})" : string.Empty)}) {{"),
            new(forLine, $"    {chunks} for (long long paraslm_k = 0; paraslm_k < paraslm_bn[paraslm_c]; paraslm_k++) {{"),
        };
        if (a.IsClaim)
        {
            // The element a later candidate tests, fetched ahead (no effect on the result: the same element is read below).
            if (a.ClaimArray is { } array)
                pieces.Add(new(forLine, $"      if (paraslm_k + {PrefetchDistance} < paraslm_bn[paraslm_c]) __builtin_prefetch(&{array}[paraslm_bp[paraslm_c][paraslm_k + {PrefetchDistance}]], 1);"));
            pieces.Add(new(forLine, $"      {t} {a.Pushed} = paraslm_bp[paraslm_c][paraslm_k];"));
            // The claim itself, as written: it tests P[w] again, so a candidate an earlier one claimed does nothing.
            pieces.Add(new(sinkLine, EditPlanner.Pad(doc.Text[doc.LineStart(sinkLine)..at.SinkStart]) + sink, Verbatim: true));
        }
        else
        {
            pieces.Add(new(sinkLine, $"      {a.Output}[{a.Count}++] = paraslm_bp[paraslm_c][paraslm_k];"));
        }
        pieces.Add(new(forLine, "    }"));
        pieces.Add(new(forLine, "    paraslm_done = 1; }"));
        pieces.Add(new(forLine, $"  {chunks} __builtin_free(paraslm_bp[paraslm_c]);"));
        pieces.Add(new(forLine, "}"));
        pieces.Add(new(forLine, "#endif"));
        pieces.Add(new(forLine, "if (!paraslm_done) {"));
        pieces.Add(new(forLine, pad + doc.Text[at.For..at.End] + " } }", Verbatim: true));
        return pieces;
    }

    private static string Newlines(string text, string nl) => string.Concat(Enumerable.Repeat(nl, text.Count(c => c == '\n')));
}
