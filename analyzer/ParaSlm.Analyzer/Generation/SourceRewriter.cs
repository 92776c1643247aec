using System.Text;
using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// Writes the parallel version of a source file: an OpenMP pragma in front of each planned loop, loop versioning
/// under a runtime check where the plan needs one, and `#line` directives so that the compiler, the debugger and
/// `__FILE__`/`__LINE__` still see the user's file and line numbers. The user's file is never touched: the result
/// is compiled instead of it, from another folder.
/// </summary>
/// <remarks>
/// Output shapes, for a loop on line N of `f.c` (every inserted line is followed by `#line N "f.c"`, so the next
/// original line keeps its number; the file itself starts with `#line 1 "f.c"`):
/// <code>
///   #pragma omp parallel for              if (c) {                        if (check) {
///   #line N "f.c"                         #pragma omp parallel for        #pragma omp parallel for
///   for (…) …                                    for (…) s += a[i]; }     for (…) { … }
///                                                                         } else {
///   (the `for` starts its line)           (`if (c) for …`: braces,       for (…) { … } }
///                                          same column for `for`)         (runtime check: versioning)
/// </code>
/// An edit is skipped, with the reason in its <see cref="EditOutcome"/>, when the text at its offset is not the
/// `for` keyword (a macro expansion), when the loop already has an OpenMP directive (so rewriting is idempotent),
/// when it lies inside a loop that another applied edit already parallelizes, or when the rewrite could not be
/// made safely (a macro hides where the statement ends; a label that versioning would duplicate).
/// </remarks>
public static class SourceRewriter
{
    /// <summary>The macro a directive's run-time profitability test (`if(!PARASLM_COST_GUARD || n >= K)`) reads.</summary>
    public const string CostGuard = "PARASLM_COST_GUARD";

    public static RewriteResult Rewrite(string originalPath, string originalText, IReadOnlyList<LoopEdit> edits, RewriteOptions? options = null)
    {
        options ??= RewriteOptions.Default;
        ArgumentNullException.ThrowIfNull(originalPath);
        ArgumentNullException.ThrowIfNull(originalText);
        ArgumentNullException.ThrowIfNull(edits);
        if (edits.Count == 0) return new RewriteResult(originalText, false, []);
        // A build with vectorization off gets no `simd` from ParaSlm (NoVectorization): the edits lose it before they are placed.
        if (!options.Vectorize) edits = edits.Select(NoVectorization.Apply).ToList();

        var doc = new SourceDocument(originalPath, originalText);
        var planner = new EditPlanner(doc);
        var outcomes = new EditOutcome[edits.Count];
        var plans = new List<EditPlan>();
        // A fused edit's fallbacks (each nest's own edit): placed in its `else` branch, or in its place where it is skipped.
        var orphans = new List<EditPlan>();
        for (var i = 0; i < edits.Count; i++)
        {
            var (plan, skipped) = planner.Plan(edits[i], i);
            var fallbacks = edits[i].Fallbacks.Select(f => (Edit: f, Placed: planner.Plan(f, i))).ToList();
            var placed = fallbacks.Select(f => f.Placed.Plan).OfType<EditPlan>().Select(f => f with { IsFallback = true }).ToList();
            var failed = fallbacks.Where(f => f.Placed.Plan is null).Select(f => new EditOutcome(f.Edit, false, f.Placed.Skipped!)).ToList();
            if (plan is not null)
            {
                plans.Add(plan with { Fallbacks = placed });
                outcomes[i] = new EditOutcome(edits[i], false, string.Empty) { Fallbacks = failed };
            }
            else
            {
                outcomes[i] = new EditOutcome(edits[i], false, skipped!) { Fallbacks = failed };
                orphans.AddRange(placed);
            }
        }

        // Outermost first: a loop nested in (or overlapping) one that is already rewritten would get a second,
        // nested parallel region, and inside a versioned loop it would be duplicated into both branches.
        var applied = new List<EditPlan>();
        void Resolve(EditPlan p)
        {
            var outer = applied.FirstOrDefault(a => p.ForIndex < a.ExtentEnd && a.ForIndex < p.ExtentEnd);
            EditOutcome outcome;
            if (outer is null)
            {
                applied.Add(p);
                outcome = new EditOutcome(p.Edit, true, p.Description) { InnerSimd = p.InnerSimd.Select(x => x.Site).ToList(), Expansions = p.Expansions.Select(x => x.Expansion).ToList(), UnrollJams = p.UnrollJams.Select(x => x.Jam).ToList() };
            }
            else
            {
                outcome = new EditOutcome(p.Edit, false, outer.ForIndex == p.ForIndex
                    ? $"another edit for the same loop ({outer.Edit.LoopId}) was applied"
                    : outer.Edit.Fused is { } fused && doc.IndexOfByteOffset(fused.SecondStartOffset) is { } second && p.ForIndex >= second
                    ? $"fused into the loop at line {outer.Edit.Line} ({fused.Name}), whose edit replaces this nest too"
                    : $"nested inside a loop that is already parallel ({outer.Edit.LoopId})");
                // A fused edit that cannot go in: each nest may still run its own plan.
                if (!p.IsFallback) orphans.AddRange(p.Fallbacks);
            }
            var previous = outcomes[p.InputIndex];
            outcomes[p.InputIndex] = p.IsFallback ? previous with { Fallbacks = [.. previous.Fallbacks, outcome] }
                : outcome with { Fallbacks = [.. previous.Fallbacks, .. outcome.Applied ? p.Fallbacks.Select(Placed) : []] };
        }
        foreach (var p in plans.OrderBy(p => p.ForIndex).ThenByDescending(p => p.ExtentEnd).ThenBy(p => p.InputIndex)) Resolve(p);
        foreach (var p in orphans.OrderBy(p => p.ForIndex).ThenByDescending(p => p.ExtentEnd).ToList()) Resolve(p);
        applied.Sort((a, b) => a.ForIndex != b.ForIndex ? a.ForIndex.CompareTo(b.ForIndex) : b.ExtentEnd.CompareTo(a.ExtentEnd));

        if (applied.Count == 0) return new RewriteResult(originalText, false, outcomes);
        var regions = TargetDataRegions.Find(doc, applied);
        foreach (var r in regions)
        {
            foreach (var p in applied.Where(p => p.ForIndex >= r.First.ForIndex && p.ForIndex <= r.Last.ForIndex))
            {
                outcomes[p.InputIndex] = outcomes[p.InputIndex] with
                {
                    DataRegion = $"inside a `target data` region (lines {r.First.Edit.Line}–{r.Last.Edit.Line}): " +
                                 $"{string.Join(", ", r.Arrays.Select(a => $"`{a}`"))} {(r.Arrays.Count == 1 ? "stays" : "stay")} on the device between its loops",
                };
            }
        }
        // The idle team goes back after the last regions before the serial nests of run-once functions (TeamReleaseEmitter).
        var releases = new Dictionary<int, (int End, bool InBranch, string Indent, PresumedLine Presumed)>();
        var released = new List<TeamReleaseOutcome>();
        foreach (var site in options.TeamReleases)
        {
            if (TeamReleaseEmitter.Place(doc, planner, site, applied, out _) is not { } places) continue;
            foreach (var (region, end, inBranch) in places)
                releases.TryAdd(region.InputIndex, (end, inBranch, region.Indent, doc.PresumedLineOf(doc.LineOf(end))));
            var after = places.Select(p => p.Plan.Edit.LoopId).ToList();
            released.Add(new TeamReleaseOutcome(site.LoopId, site.Line, after,
                $"the idle OpenMP team is released (`omp_pause_resource_all`) after the region{(after.Count == 1 ? string.Empty : "s")} at line{(after.Count == 1 ? string.Empty : "s")} " +
                $"{string.Join(", ", places.Select(p => p.Plan.Edit.Line))}{(places[^1].InBranch ? " (when it runs)" : string.Empty)}, before this serial nest: {site.Reason}"));
        }
        var (text, review) = Emit(doc, applied, options, regions, releases.Values.ToList());
        return new RewriteResult(text, true, outcomes) { ReviewText = review, Releases = released };
    }

    /// <summary>The outcome of a fallback placed in a fused edit's `else` branch.</summary>
    private static EditOutcome Placed(EditPlan p) =>
        new(p.Edit, true, "where the fused form does not run: " + p.Description)
        {
            InnerSimd = p.InnerSimd.Select(x => x.Site).ToList(), Expansions = p.Expansions.Select(x => x.Expansion).ToList(), UnrollJams = p.UnrollJams.Select(x => x.Jam).ToList(),
        };

    /// <summary>
    /// The copy of a file without loop edits that is still compiled as a rewritten one (with OpenMP switched on): it
    /// starts with `#line 1` like the rewriter's copies and keeps the user's OpenMP configuration the same way.
    /// </summary>
    public static string Unedited(string originalPath, string originalText, RewriteOptions? options = null) =>
        Emit(new SourceDocument(originalPath, originalText), [], options ?? RewriteOptions.Default, []).Text;

    private static (string Text, string Review) Emit(SourceDocument doc, List<EditPlan> plans, RewriteOptions options, IReadOnlyList<TargetDataRegion> regions,
        IReadOnlyList<(int End, bool InBranch, string Indent, PresumedLine Presumed)>? releases = null)
    {
        releases ??= [];
        var source = doc.Text;
        var nl = doc.NewLine;
        var insertions = new List<(int Start, int End, Action<Output> Write)>();
        if (!options.UserBuildHasOpenMP)
        {
            // The copy is compiled with OpenMP but the user's build is not: the user's own `#pragma omp` lines were
            // ignored there and must stay inert here (blanked, keeping the line count).
            foreach (var t in doc.Tokens.Where(t => t.Kind == TokenKind.Directive && IsOpenMPPragma(source[t.Start..t.End])))
            {
                var lines = source[t.Start..t.End].Count(c => c == '\n');
                insertions.Add((t.Start, t.End, o => o.Code(string.Concat(Enumerable.Repeat(nl, lines)))));
            }
        }
        // A release inside a region's parallel branch goes before the edit's own `} else {` at the same position (added first:
        // the sort is stable); one after a region's statement goes after the edit's closing text (added after the edits below).
        void Release(int end, string indent, PresumedLine presumed) => insertions.Add((end, end, o =>
        {
            o.Code($"{nl}#if {TeamReleaseEmitter.Macro}{nl}{indent}{TeamReleaseEmitter.Call}{nl}#endif{nl}");
            o.LineDirective(presumed);
        }));
        foreach (var r in releases.Where(r => r.InBranch)) Release(r.End, r.Indent, r.Presumed);
        // A `target data` region opens before its first loop's own text (same position, added first: the sort is stable).
        foreach (var r in regions)
        {
            var first = r.First;
            insertions.Add((first.LineStart, first.LineStart, o =>
            {
                o.Code($"{first.Indent}#pragma {r.Directive}{nl}");
                o.LineDirective(first.Presumed);
                o.Code(first.Indent + "{" + nl);
                o.LineDirective(first.Presumed);
            }));
        }
        foreach (var p in plans) AddEdit(p, insertions);

        // The generated forms' own lines (a tile's or strip's `omp simd`) where the build turns vectorization off.
        IEnumerable<(int Line, string Code)> Lanes(IEnumerable<(int Line, string Code)> lines) => options.Vectorize ? lines
            : lines.Select(l => (l.Line, Code: NoVectorization.Line(l.Code))).Where(l => l.Code is not null).Select(l => (l.Line, l.Code!));

        // One edit's insertions: the fused form's `else` branch writes its fallbacks' own insertions over its range.
        void AddEdit(EditPlan p, List<(int Start, int End, Action<Output> Write)> insertions)
        {
            if (p.Edit.Matmul is { } nest)
            {
                insertions.Add(Replacement(doc, p, Lanes(MatmulEmitter.Lines(nest, p.Directive, doc.LineOf(p.ForIndex))), MatmulCondition(nest)));
                return;
            }
            if (p.Expansions is [var self] && self.ForIndex == p.ForIndex)
            {
                // No directive: the serial form (strips one after another from the loop's start, the emitter's inner-strip form).
                insertions.Add(Replacement(doc, p, Lanes(ScalarExpansionEmitter.Lines(self.Expansion, p.Edit.ExpandsSerially ? null : p.Directive)), self.Expansion.FloatingPoint ? ExactFloatingPoint : null));
                return;
            }
            if (p.UnrollJams is [var own] && own.ForIndex == p.ForIndex)
            {
                insertions.Add(Replacement(doc, p, Lanes(UnrollJamEmitter.Lines(own.Jam, p.Directive)), own.Jam.FloatingPoint ? ExactFloatingPoint : null));
                return;
            }
            if (p.Edit.RightLooking is { } rightLooking)
            {
                insertions.Add(Replacement(doc, p, Lanes(RightLookingEmitter.Lines(rightLooking)), rightLooking.FloatingPoint ? ExactAndSameContraction : null));
                return;
            }
            if (p.Edit.Fused is { } fusion)
            {
                // The `else` branch (gate, overlap check or cost guard failed) runs each nest under its own plan, what it gets
                // without fusion: fusion can only add speed, never take a nest's parallel form away.
                var unfused = new List<(int Start, int End, Action<Output> Write)>();
                foreach (var fallback in p.Fallbacks) AddEdit(fallback, unfused);
                insertions.Add(Replacement(doc, p, Lanes(fusion.Pipeline is { } fused ? PipelineEmitter.Lines(fused, p.Directive) : ColumnStripEmitter.Lines(fusion.Strips!, p.Directive)),
                    fusion.FloatingPoint ? ExactAndSameContraction : null, unfused));
                return;
            }
            if (p.Edit.Distributed is { Pipeline: { } pipeline })
            {
                insertions.Add(Replacement(doc, p, Lanes(PipelineEmitter.Lines(pipeline, p.Directive)), pipeline.FloatingPoint ? ExactAndSameContraction : null));
                return;
            }
            if (p.Edit.Distributed is { } split)
            {
                insertions.Add(Replacement(doc, p, Lanes(DistributionEmitter.Lines(split, p.Directive)), null));
                return;
            }
            if (p.Edit.Sink is not null)
            {
                insertions.Add(SinkReplacement(doc, p));
                return;
            }
            if (p.Edit.Append is not null)
            {
                insertions.Add(PiecesReplacement(doc, p, OrderedAppendEmitter.Pieces(doc, p.Edit.Append, p.AppendAt!, p.Directive, p.Check, p.Pad)));
                return;
            }
            if (p.Edit.Privatized is not null)
            {
                insertions.Add(PiecesReplacement(doc, p, PrivatizationEmitter.Pieces(doc, p.Edit.Privatized, p.PrivatizedAt!, p.Directive, p.Check, p.Pad)));
                return;
            }
            if (p.Edit.Guarded is not null)
            {
                insertions.Add(PiecesReplacement(doc, p, GuardedReductionEmitter.Pieces(doc, p.Edit.Guarded, p.GuardedAt!, p.Directive, p.Check, p.Pad)));
                return;
            }
            // A two-counter header counts with one in the parallel version (added first: an inner loop's `omp simd` may start
            // right after its `)`); the serial copy below is the text as written.
            if (p.Edit.TwoCounter is { } two && p.TwoCounterAt is { } header)
            {
                var newLines = string.Concat(Enumerable.Repeat(nl, source[header.Start..header.End].Count(c => c == '\n')));
                insertions.Add((header.Start, header.End, o => o.Code(two.Header + newLines)));
                insertions.Add((header.Close, header.Close, o => o.Code(" { " + two.Declaration)));
                insertions.Add((p.StatementEnd!.Value, p.StatementEnd.Value, o => o.Code(" }")));
            }
            // The inner loops' `omp simd` in the text as written (the parallel version); the serial copy below gets its own.
            foreach (var simd in p.InnerSimd) insertions.Add(SimdInsertion(simd, nl));
            foreach (var expansion in p.Expansions) insertions.Add(ExpansionReplacement(doc, expansion, Lanes));
            foreach (var jam in p.UnrollJams) insertions.Add(InnerReplacement(doc, jam.ForIndex, jam.End, jam.LineStart, jam.PrefixIsBlank, jam.Indent, jam.Pad, jam.Presumed,
                Lanes(UnrollJamEmitter.Lines(jam.Jam)), conditional: JamCondition(jam.Jam)));
            if (p.Edit.Interchange is { } swap) insertions.AddRange(InterchangedHeaders(doc, swap, p.StatementEnd));
            var at = p.Presumed;
            if (p.Edit.Hoist is { } hoist)
            {
                // Each work-shared nest and each `omp single` statement gets its directive on a line of its own, mapped back.
                for (var k = 0; k < hoist.Parts.Count; k++)
                {
                    var index = doc.IndexOfByteOffset(hoist.Parts[k].Offset)!.Value;
                    var line = doc.LineOf(index);
                    var start = doc.LineStart(line);
                    var part = $"{source[start..index]}#pragma {p.Edit.HoistDirectives[k]}{nl}";
                    insertions.Add((start, start, o =>
                    {
                        o.Code(part);
                        o.LineDirective(doc.PresumedLineOf(line));
                    }));
                }
            }
            var opener = (p.Wrap, p.Check) switch
            {
                (false, null) => null,
                (true, null) => "{",
                (false, { } c) => $"if ({c}) {{",
                (true, { } c) => $"{{ if ({c}) {{",
            };
            // A guard-only edit (a CUDA launch that may decline) keeps the loop without a directive and without an else branch.
            var guardOnly = p.Edit.RunsOnlyIfCheck;
            var pragma = guardOnly ? null : $"{p.Indent}#pragma {p.Directive}{nl}";
            if (p.PrefixIsBlank)
            {
                insertions.Add((p.LineStart, p.LineStart, o =>
                {
                    if (opener is not null)
                    {
                        o.Code(p.Indent + opener + nl);
                        o.LineDirective(at);
                    }
                    if (pragma is null) return;
                    o.Code(pragma);
                    o.LineDirective(at);
                }));
            }
            else
            {
                // The code before `for` stays on its own line; `for` moves to the next line at its old column,
                // so diagnostics on that line keep their column too.
                insertions.Add((p.PrefixEnd, p.ForIndex, o =>
                {
                    o.Code((opener is null ? string.Empty : " " + opener) + nl);
                    o.LineDirective(at);
                    if (pragma is not null)
                    {
                        o.Code(pragma);
                        o.LineDirective(at);
                    }
                    o.Code(p.Pad);
                }));
            }
            if (p.Check is not null || p.Wrap)
            {
                var end = p.StatementEnd!.Value;
                insertions.Add((end, end, o =>
                {
                    if (p.Check is not null && guardOnly)
                    {
                        o.Code(" }");
                    }
                    else if (p.Check is not null)
                    {
                        o.Code(nl + p.Indent + "} else {" + nl);
                        o.LineDirective(at);
                        o.Code(p.Pad);
                        Slice(o, source, p.ForIndex, end, p.InnerSimd);
                        o.Code(" }");
                    }
                    if (p.Wrap) o.Code(" }");
                }));
            }
        }

        // ... and closes after its last loop's closing text.
        foreach (var r in regions)
        {
            var end = r.Last.StatementEnd!.Value;
            insertions.Add((end, end, o => o.Code(" }")));
        }

        foreach (var r in releases.Where(r => !r.InBranch)) Release(r.End, r.Indent, r.Presumed);
        var output = new Output(nl);
        var cursor = 0;
        if (source.StartsWith('\uFEFF'))
        {
            output.Code("\uFEFF"); // the byte order mark must stay the first thing in the file
            cursor = 1;
        }
        // The macros the copy needs: a fused edit's fallbacks (in its `else` branch) read them too.
        var every = plans.Concat(plans.SelectMany(p => p.Fallbacks)).ToList();
        // `-fopenmp` defines `_OPENMP`; where the user's build does not enable OpenMP, their `#if _OPENMP` code stays off.
        // Exception: a copy with offloaded loops whose text never reads `_OPENMP` keeps it, because clang's device
        // compilation includes wrappers of the C headers that refuse to work without it (the engine keeps such a loop on
        // the CPU when an included header reads `_OPENMP`).
        var offload = every.Any(p => OffloadDirective.IsOffload(p.Directive));
        // The release macro reads the compiler's `_OPENMP`, so it comes before the `#undef`.
        if (releases.Count > 0) output.Plumbing(TeamReleaseEmitter.Prelude(nl));
        if (!options.UserBuildHasOpenMP && !(offload && !source.Contains("_OPENMP", StringComparison.Ordinal))) output.Plumbing("#undef _OPENMP" + nl);
        // Directives with a run-time profitability test read this switch; -DPARASLM_COST_GUARD=0 (validation's
        // sanitizer builds) runs every region in parallel whatever its size.
        if (every.Any(p => p.Directive.Contains(CostGuard, StringComparison.Ordinal) || p.Check?.Contains(CostGuard, StringComparison.Ordinal) == true))
            output.Plumbing($"#ifndef {CostGuard}{nl}#define {CostGuard} 1{nl}#endif{nl}");
        // A nest that summed in a scalar sums in the element once tiled: the same roundings only where the compiler
        // evaluates floating point in the type itself; elsewhere (x87) the original nest runs.
        if (every.Any(p => p.Edit.Matmul?.NeedsExactFloatingPoint == true || p.Edit.RightLooking?.FloatingPoint == true || p.Edit.Interchange?.FloatingPoint == true || p.Edit.Distributed?.Pipeline?.FloatingPoint == true || p.Edit.Fused?.FloatingPoint == true || p.Expansions.Any(e => e.Expansion.FloatingPoint) || p.UnrollJams.Any(u => u.Jam.FloatingPoint || u.Jam.Accumulators?.FloatingPoint == true)))
            output.Plumbing($"#ifndef {ExactFloatingPoint}{nl}#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ == 0{nl}#define {ExactFloatingPoint} 1{nl}" +
                            $"#else{nl}#define {ExactFloatingPoint} 0{nl}#endif{nl}#endif{nl}");
        // The interchanged form's floating-point chains: gcc in a GNU mode (no __STRICT_ANSI__) with FMA contracts across
        // statements and picks FMA or not per code shape (-ffp-contract=fast), so there the nest as written runs.
        if (every.Any(p => p.UnrollJams.Any(u => u.Jam.FloatingPoint && u.Jam.InterchangedWith is not null || u.Jam.Accumulators?.FloatingPoint == true) ||
                           p.Edit.Matmul?.NeedsSameContraction == true || p.Edit.RightLooking?.FloatingPoint == true || p.Edit.Interchange?.FloatingPoint == true ||
                           p.Edit.Distributed?.Pipeline?.FloatingPoint == true || p.Edit.Fused?.FloatingPoint == true))
            output.Plumbing($"#ifndef {SameContraction}{nl}#if defined(__GNUC__) && !defined(__clang__) && defined(__FP_FAST_FMA) && !defined(__STRICT_ANSI__){nl}" +
                            $"#define {SameContraction} 0{nl}#else{nl}#define {SameContraction} 1{nl}#endif{nl}#endif{nl}");
        // Append loops in two phases are compiled in only on request (-DPARASLM_APPEND_FORMS=1), and then run only on
        // enough threads (-DPARASLM_APPEND_MIN_THREADS=N overrides it).
        if (every.Any(p => p.Edit.Append is not null))
            output.Plumbing($"#ifndef {OrderedAppendEmitter.FormsMacro}{nl}#define {OrderedAppendEmitter.FormsMacro} 0{nl}#endif{nl}" +
                            $"#ifndef {OrderedAppendEmitter.MinimumThreadsMacro}{nl}#define {OrderedAppendEmitter.MinimumThreadsMacro} {OrderedAppendEmitter.MinimumThreads}{nl}#endif{nl}");
        // Offloaded loops are versioned on a device test, which needs omp.h (the copy is compiled with OpenMP anyway).
        if (offload) output.Plumbing(OffloadDirective.Prelude(nl));
        if (options.Prelude is { Length: > 0 } prelude) output.Plumbing(prelude.ReplaceLineEndings(nl) + nl);
        output.LineDirective(new PresumedLine(doc.OriginalFileLiteral, 1));
        // Stable sort: at one position, a loop's closing text stays before the next loop's opening text.
        foreach (var (start, end, write) in insertions.OrderBy(i => i.Start))
        {
            output.Code(source[cursor..start]);
            write(output);
            cursor = end;
        }
        output.Code(source[cursor..]);
        return (output.Text.ToString(), output.Review.ToString());
    }

    /// <summary>The macro the tiled form of a nest that summed in a scalar tests: 1 where floating point is evaluated in its own type.</summary>
    public const string ExactFloatingPoint = "PARASLM_EXACT_FP";

    /// <summary>The macro the interchanged unroll-and-jam of a floating-point nest also tests: 0 where gcc may contract `x + a*b`
    /// into an FMA differently in the two code shapes (a GNU mode, FMA available: -ffp-contract=fast); ARCHITECTURE.md
    /// "Interchanged unroll-and-jam".</summary>
    public const string SameContraction = "PARASLM_SAME_CONTRACTION";

    /// <summary>The condition of the forms that reorder floating-point chains (interchanged jams and nests, the right-looking
    /// order, the jam's accumulators): both macros.</summary>
    public const string ExactAndSameContraction = ExactFloatingPoint + " && " + SameContraction;

    /// <summary>What the tiled matrix product runs under (<see cref="MatmulNest.NeedsExactFloatingPoint"/>, <see cref="MatmulNest.NeedsSameContraction"/>);
    /// the nest as written runs otherwise.</summary>
    private static string? MatmulCondition(MatmulNest nest) =>
        string.Join(" && ", new[] { nest.NeedsExactFloatingPoint ? ExactFloatingPoint : null, nest.NeedsSameContraction ? SameContraction : null }.OfType<string>()) is { Length: > 0 } c ? c : null;

    /// <summary>What an inner jammed loop's form runs under: nothing for integers and plain unroll-and-jam (its floating-point
    /// values stay where the loop as written keeps them), the exact-rounding and same-contraction tests for the interchanged form's
    /// floating-point accumulators.</summary>
    private static string? JamCondition(Locality.UnrollJam jam) =>
        !jam.FloatingPoint ? null : jam.InterchangedWith is null ? ExactFloatingPoint : ExactAndSameContraction;

    /// <summary>
    /// A loop statement replaced by a generated form (the tiled matrix product, <see cref="MatmulEmitter"/>; a loop expanded
    /// with its strips in parallel, <see cref="ScalarExpansionEmitter"/>): from the start of the `for` to the end of its
    /// statement. Each generated line maps to the original line it stands for; with a condition (the run-time check, the
    /// exact-rounding test) the original loop follows in the `else` branch at its own lines and columns, otherwise the
    /// text after the loop is mapped back to its line and column.
    /// </summary>
    /// <param name="orElse">Insertions into the original text of the `else` branch (a fused edit's fallbacks, each nest's own
    /// edit); none: the text as written.</param>
    private static (int Start, int End, Action<Output> Write) Replacement(SourceDocument doc, EditPlan p, IEnumerable<(int Line, string Code)> lines, string? condition,
        IReadOnlyList<(int Start, int End, Action<Output> Write)>? orElse = null)
    {
        var nl = doc.NewLine;
        var end = p.StatementEnd!.Value;
        var conditions = new[] { condition, p.Check is null ? null : $"({p.Check})" }.OfType<string>().ToList();
        var forLine = doc.LineOf(p.ForIndex);
        return (p.PrefixIsBlank ? p.LineStart : p.PrefixEnd, end, o =>
        {
            // What the compiler believes the next line is: a `#line` goes in only where the mapping jumps.
            PresumedLine? next = p.PrefixIsBlank ? p.Presumed : null;
            if (!p.PrefixIsBlank) o.Code(nl);
            void Line(int original, string code)
            {
                var at = doc.PresumedLineOf(original);
                if (next != at) o.LineDirective(at);
                o.Code(p.Indent + code + nl);
                next = at with { Line = at.Line + 1 };
            }
            if (conditions.Count > 0) Line(forLine, $"if ({string.Join(" && ", conditions)}) {{");
            foreach (var (line, code) in Merged(lines)) Line(line, code.StartsWith('#') ? code : "  " + code);
            if (conditions.Count > 0)
            {
                Line(forLine, "} else {");
                o.LineDirective(p.Presumed);
                if (orElse is { Count: > 0 }) Inserted(o, doc, p, orElse, end);
                else o.Code(p.Pad + doc.Text[p.ForIndex..end]);
                o.Code(" }");
                return;
            }
            var endLine = doc.LineOf(end);
            o.LineDirective(doc.PresumedLineOf(endLine));
            o.Code(EditPlanner.Pad(doc.Text[doc.LineStart(endLine)..end]));
        });
    }

    /// <summary>
    /// The original text of <paramref name="p"/>'s range with other edits' insertions, written where the compiler believes it is
    /// at the range's first line (after `#line`, at the start of a line). An insertion of an edit on the range's own `for` starts
    /// before it (at its line's start, or after the code before it), as it does at the top level: the text runs from there;
    /// otherwise from the `for`, after its pad.
    /// </summary>
    private static void Inserted(Output o, SourceDocument doc, EditPlan p, IReadOnlyList<(int Start, int End, Action<Output> Write)> insertions, int end)
    {
        var sorted = insertions.OrderBy(i => i.Start).ToList();
        var cursor = Math.Min(p.ForIndex, sorted[0].Start);
        if (cursor == p.ForIndex && sorted[0].Start > p.ForIndex) o.Code(p.Pad);
        foreach (var (start, stop, write) in sorted)
        {
            if (start < cursor) continue;
            o.Code(doc.Text[cursor..start]);
            write(o);
            cursor = stop;
        }
        o.Code(doc.Text[cursor..end]);
    }

    /// <summary>
    /// An inner loop replaced by its scalar-expanded form (<see cref="ScalarExpansionEmitter"/>), in the parallel copy only:
    /// a floating-point scalar is expanded only where the compiler evaluates floating point in its own type (`PARASLM_EXACT_FP`).
    /// </summary>
    private static (int Start, int End, Action<Output> Write) ExpansionReplacement(SourceDocument doc, ExpansionPlacement x,
        Func<IEnumerable<(int Line, string Code)>, IEnumerable<(int Line, string Code)>> lanes) =>
        InnerReplacement(doc, x.ForIndex, x.End, x.LineStart, x.PrefixIsBlank, x.Indent, x.Pad, x.Presumed, lanes(ScalarExpansionEmitter.Lines(x.Expansion)),
            x.Expansion.FloatingPoint ? ExactFloatingPoint : null);

    /// <summary>
    /// An inner loop replaced by a generated form (scalar expansion, unroll-and-jam), in the parallel copy only: each generated
    /// line maps to the original line it stands for; with a <paramref name="conditional"/> the form runs where it holds and the
    /// loop as written (at its own lines and columns) runs otherwise; the text after the loop is mapped back to its line and column.
    /// </summary>
    private static (int Start, int End, Action<Output> Write) InnerReplacement(SourceDocument doc, int forIndex, int end, int lineStart, bool prefixIsBlank,
        string indent, string pad, PresumedLine presumed, IEnumerable<(int Line, string Code)> lines, string? conditional)
    {
        var nl = doc.NewLine;
        var line = doc.LineOf(forIndex);
        return (prefixIsBlank ? lineStart : forIndex, end, o =>
        {
            PresumedLine? next = prefixIsBlank ? presumed : null;
            if (!prefixIsBlank) o.Code(nl);
            void Line(int original, string code)
            {
                var at = doc.PresumedLineOf(original);
                if (next != at) o.LineDirective(at);
                o.Code((code.StartsWith('#') ? string.Empty : indent) + code + nl);
                next = at with { Line = at.Line + 1 };
            }
            if (conditional is not null) Line(line, $"if ({conditional}) {{");
            foreach (var (original, code) in Merged(lines)) Line(original, code.StartsWith('#') ? code : "  " + code);
            if (conditional is not null)
            {
                Line(line, "} else {");
                o.LineDirective(presumed);
                o.Code(pad + doc.Text[forIndex..end] + " }");
                return;
            }
            var endLine = doc.LineOf(end);
            o.LineDirective(doc.PresumedLineOf(endLine));
            o.Code(EditPlanner.Pad(doc.Text[doc.LineStart(endLine)..end]));
        });
    }

    /// <summary>Consecutive code lines that stand for the same original line share one physical line (one `#line` each).</summary>
    private static List<(int Line, string Code)> Merged(IEnumerable<(int Line, string Code)> lines)
    {
        var merged = new List<(int Line, string Code)>();
        foreach (var (line, code) in lines)
        {
            if (merged.Count > 0 && merged[^1].Line == line && !code.StartsWith('#') && !merged[^1].Code.StartsWith('#'))
                merged[^1] = (line, merged[^1].Code + " " + code);
            else
                merged.Add((line, code));
        }
        return merged;
    }

    /// <summary>
    /// A loop replaced by generated pieces (an append loop's two-phase form, <see cref="OrderedAppendEmitter"/>; a guarded
    /// array reduction, <see cref="GuardedReductionEmitter"/>): generated lines map to the loop's line, the user's text
    /// (phase 1's copy of the body, a claim's statement, the parallel copy, the original loop) keeps its own lines, and
    /// the text after the loop is mapped back to its line and column.
    /// </summary>
    private static (int Start, int End, Action<Output> Write) PiecesReplacement(SourceDocument doc, EditPlan p, IReadOnlyList<OrderedAppendEmitter.Piece> pieces)
    {
        var nl = doc.NewLine;
        var end = p.StatementEnd!.Value;
        return (p.PrefixIsBlank ? p.LineStart : p.PrefixEnd, end, o =>
        {
            PresumedLine? next = p.PrefixIsBlank ? p.Presumed : null;
            if (!p.PrefixIsBlank) o.Code(nl);
            foreach (var piece in pieces)
            {
                var at = doc.PresumedLineOf(piece.Line);
                if (piece.Verbatim)
                {
                    // The user's text starts at its own line and column; what follows needs a `#line` of its own.
                    o.LineDirective(at);
                    o.Code(piece.Code + nl);
                    next = null;
                    continue;
                }
                if (next != at) o.LineDirective(at);
                o.Code((piece.Code.StartsWith('#') ? string.Empty : p.Indent) + piece.Code + nl);
                next = at with { Line = at.Line + 1 };
            }
            var endLine = doc.LineOf(end);
            o.LineDirective(doc.PresumedLineOf(endLine));
            o.Code(EditPlanner.Pad(doc.Text[doc.LineStart(endLine)..end]));
        });
    }

    /// <summary>
    /// A serial loop replaced by its nests, each under its own pragma with the serial loop's header copied in front of
    /// the nest's element body, on the same line: every nest keeps its lines and columns, and the text after the serial
    /// loop is mapped back to its line and column.
    /// </summary>
    private static (int Start, int End, Action<Output> Write) SinkReplacement(SourceDocument doc, EditPlan p)
    {
        var nl = doc.NewLine;
        var sink = p.Edit.Sink!;
        var end = p.StatementEnd!.Value;
        return (p.PrefixIsBlank ? p.LineStart : p.PrefixEnd, end, o =>
        {
            if (!p.PrefixIsBlank)
            {
                o.Code(nl);
                o.LineDirective(p.Presumed);
            }
            o.Code(p.Indent + "{ /* ParaSlm " + SerialLoopSink.TransformName + ": `" + sink.Header + "` runs inside each nest's element loops */" + nl);
            for (var n = 0; n < sink.Nests.Count; n++)
            {
                var nest = sink.Nests[n];
                var forIndex = doc.IndexOfByteOffset(nest.ForOffset)!.Value;
                var bodyIndex = doc.IndexOfByteOffset(nest.BodyOffset)!.Value;
                var endIndex = doc.IndexOfByteOffset(nest.EndOffset)!.Value;
                var at = doc.PresumedLineOf(doc.LineOf(forIndex));
                o.LineDirective(at);
                o.Code(p.Indent + "#pragma " + p.Edit.SinkDirectives[n] + nl);
                o.LineDirective(at);
                var pad = EditPlanner.Pad(doc.Text[doc.LineStart(doc.LineOf(forIndex))..forIndex]);
                if (n < p.Edit.SinkPrefixes.Count && p.Edit.SinkPrefixes[n] is { } prefix)
                    HoistedPrefix(o, doc, p, prefix, p.Edit.SinkRows[n], sink.Header, pad, forIndex, bodyIndex, endIndex);
                else
                {
                    o.Code(pad + doc.Text[forIndex..bodyIndex] + sink.Header + " ");
                    Slice(o, doc.Text, bodyIndex, endIndex, p.InnerSimd);
                }
                o.Code(nl);
            }
            var endLine = doc.LineOf(end);
            o.LineDirective(doc.PresumedLineOf(endLine));
            o.Code(EditPlanner.Pad(doc.Text[doc.LineStart(endLine)..(end - 1)]) + "}");
        });
    }

    /// <summary>
    /// A sunk nest whose element body starts with an invariant prefix P (<see cref="InvariantPrefix"/>). The simple form puts
    /// the serial loop R in front of the rest Q, after P: `for (j) { P R { Q } }`, every line in place. The row form puts R
    /// above the innermost element loop j, which runs twice: `{ T paraslm_s[len]; for (j) { P paraslm_s[j] = s; }` then, on
    /// Q's own line (`#line` maps it back), `R for (j) { T s = paraslm_s[j]; Q } }`.
    /// </summary>
    private static void HoistedPrefix(Output o, SourceDocument doc, EditPlan p, InvariantPrefix prefix, bool row, string header, string pad, int forIndex, int bodyIndex, int endIndex)
    {
        var nl = doc.NewLine;
        var restIndex = doc.IndexOfByteOffset(prefix.RestOffset)!.Value;
        var closeIndex = doc.IndexOfByteOffset(prefix.CloseOffset)!.Value;
        if (!row || prefix.Row is not { } r)
        {
            o.Code(pad + doc.Text[forIndex..bodyIndex]);
            Slice(o, doc.Text, bodyIndex, restIndex, p.InnerSimd);
            o.Code(header + " { ");
            Slice(o, doc.Text, restIndex, closeIndex, p.InnerSimd);
            o.Code("} " + doc.Text[closeIndex..endIndex]);
            return;
        }
        var rowFor = doc.IndexOfByteOffset(r.ForOffset)!.Value;
        var at = r.Lower == 0 ? r.Counter : r.Lower > 0 ? $"{r.Counter} - {r.Lower}" : $"{r.Counter} + {-r.Lower}";
        o.Code(pad + doc.Text[forIndex..rowFor] + "{ " + string.Join(' ', prefix.Scalars.Select(s => $"{s.BufferType} paraslm_{s.Name}[{r.Length}];")) + " ");
        o.Code(doc.Text[rowFor..bodyIndex]);
        Slice(o, doc.Text, bodyIndex, restIndex, p.InnerSimd);
        o.Code(string.Join(' ', prefix.Scalars.Select(s => $"paraslm_{s.Name}[{at}] = {s.Name};")) + " }" + nl);
        var restLine = doc.LineOf(restIndex);
        o.LineDirective(doc.PresumedLineOf(restLine));
        o.Code(EditPlanner.Pad(doc.Text[doc.LineStart(restLine)..restIndex]) + header + " " + doc.Text[rowFor..bodyIndex].TrimEnd() + " { " +
               string.Join(' ', prefix.Scalars.Select(s => $"{s.Type} {s.Name} = paraslm_{s.Name}[{at}];")) + " ");
        Slice(o, doc.Text, restIndex, closeIndex + 1, p.InnerSimd);
        o.Code(" }" + doc.Text[(closeIndex + 1)..endIndex]);
    }

    /// <summary>An inner loop's `#pragma omp simd`, placed like an edit's own pragma: its own line, mapped to the loop's line.</summary>
    private static (int Start, int End, Action<Output> Write) SimdInsertion(SimdPlacement s, string nl)
    {
        var pragma = $"#pragma {s.Site.Directive}{nl}";
        // `if(simd: …)` is OpenMP 5.0: compilers that are not gcc or clang (MSVC's OpenMP) would reject the whole copy, so
        // there the inner loop simply runs without the pragma.
        if (s.Site.Directive.Contains("if(simd:", StringComparison.Ordinal)) pragma = $"#if defined(__GNUC__){nl}{pragma}#endif{nl}";
        return s.PrefixIsBlank
            ? (s.LineStart, s.LineStart, o =>
            {
                o.Code(s.Indent + pragma);
                o.LineDirective(s.Presumed);
            })
            : (s.PrefixEnd, s.ForIndex, o =>
            {
                // Code before the inner `for` on its line stays there; the `for` moves to the next line at its old column.
                o.Code(nl);
                o.LineDirective(s.Presumed);
                o.Code(s.Indent + pragma);
                o.LineDirective(s.Presumed);
                o.Code(s.Pad);
            });
    }

    /// <summary>Copies <paramref name="source"/>[from..to] with the `omp simd` pragmas of the inner loops inside it.</summary>
    private static void Slice(Output o, string source, int from, int to, IReadOnlyList<SimdPlacement> simd)
    {
        var cursor = from;
        foreach (var (start, end, write) in simd.Where(s => s.ForIndex > from && s.ForIndex < to).Select(s => SimdInsertion(s, o.NewLine)).OrderBy(i => i.Start))
        {
            if (start < cursor) continue;
            o.Code(source[cursor..start]);
            write(o);
            cursor = end;
        }
        o.Code(source[cursor..to]);
    }

    /// <summary>
    /// The parallel copy of an interchanged nest: each level's header replaced by the header of the level that now runs
    /// there (in place, so every line keeps its number), and with worksharing the parallel level's
    /// `omp for schedule(static) nowait` on a line of its own before its new position. The else branch of a versioned
    /// nest copies the original text.
    /// </summary>
    /// <param name="statementEnd">Where the nest's statement ends (the strip form closes its strip loop there).</param>
    private static IEnumerable<(int Start, int End, Action<Output> Write)> InterchangedHeaders(SourceDocument doc, InterchangeNest swap, int? statementEnd)
    {
        var nl = doc.NewLine;
        var strips = swap.Strips;
        var parallel = swap.Counters[swap.ParallelLevel];
        if (strips is not null)
        {
            // The strip loop goes right after the directive, in front of the outer `for`, which moves to the next line at
            // its own column (mapped back), so every line of the nest keeps its number.
            var forIndex = doc.IndexOfByteOffset(swap.Headers[0].StartOffset)!.Value;
            var line = doc.LineOf(forIndex);
            var at = doc.PresumedLineOf(line);
            var prefix = doc.Text[doc.LineStart(line)..forIndex];
            yield return (forIndex, forIndex, o =>
            {
                o.Code($"{strips.Opening(parallel)} /* ParaSlm {swap.Name} */{nl}");
                o.LineDirective(at);
                o.Code(EditPlanner.Pad(prefix));
            });
        }
        for (var position = 0; position < swap.Order.Count; position++)
        {
            var here = swap.Headers[position];
            var start = doc.IndexOfByteOffset(here.StartOffset)!.Value;
            if (swap.Worksharing && swap.Order[position] == swap.ParallelLevel)
            {
                var line = doc.LineOf(start);
                var lineStart = doc.LineStart(line);
                var prefix = doc.Text[lineStart..start];
                var at = doc.PresumedLineOf(line);
                var pragma = "#pragma " + InterchangeNest.WorksharingDirective + nl;
                if (prefix.All(c => c is ' ' or '\t'))
                    yield return (lineStart, lineStart, o => { o.Code(prefix + pragma); o.LineDirective(at); });
                else
                    yield return (start, start, o => { o.Code(nl + pragma); o.LineDirective(at); o.Code(EditPlanner.Pad(prefix)); });
            }
            var text = strips is not null && swap.Order[position] == swap.ParallelLevel ? strips.Header(parallel) : swap.Headers[swap.Order[position]].Text;
            yield return (start, start + here.Text.Length, o => o.Code(text));
        }
        // The strip loop's `}` after the nest (before a versioned nest's `} else {`, which is added later at the same place).
        if (strips is not null) yield return (statementEnd!.Value, statementEnd.Value, o => o.Code(" }"));
    }

    private static bool IsOpenMPPragma(string directive)
    {
        var s = directive.AsSpan(1).TrimStart(" \t");
        if (!s.StartsWith("pragma", StringComparison.Ordinal)) return false;
        s = s[6..];
        return s.Length > 0 && s[0] is ' ' or '\t' && s.TrimStart(" \t").StartsWith("omp", StringComparison.Ordinal);
    }

    /// <summary>Builds the compiled text and the reviewable text (without the inserted `#line` lines) side by side.</summary>
    private sealed class Output(string newLine)
    {
        public string NewLine => newLine;

        public StringBuilder Text { get; } = new();

        public StringBuilder Review { get; } = new();

        public void Code(string s)
        {
            Text.Append(s);
            Review.Append(s);
        }

        /// <summary>Text the compiler needs and a reviewer does not (like the `#line` directives).</summary>
        public void Plumbing(string s) => Text.Append(s);

        public void LineDirective(PresumedLine at) =>
            Text.Append("#line ").Append(at.Line).Append(" \"").Append(at.FileLiteral).Append('"').Append(newLine);
    }
}
