using System.Collections.Frozen;
using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Generation;

/// <summary>One validated edit, with everything the emitter needs (char indices into the original text).</summary>
internal sealed record EditPlan(
    LoopEdit Edit,
    int InputIndex,
    string Directive,
    string? Check,
    int ForIndex,
    int ExtentEnd,
    int? StatementEnd,
    bool Wrap,
    int LineStart,
    int PrefixEnd,
    bool PrefixIsBlank,
    string Indent,
    string Pad,
    PresumedLine Presumed,
    string Description)
{
    /// <summary>For an append loop's two-phase form: where its parts are in the text.</summary>
    public OrderedAppendEmitter.Positions? AppendAt { get; init; }

    /// <summary>For a guarded array reduction: where the loop and its updates are in the text.</summary>
    public GuardedReductionEmitter.Positions? GuardedAt { get; init; }

    /// <summary>For a privatized scratch array: where the loop, its body and the array's references are in the text.</summary>
    public PrivatizationEmitter.Positions? PrivatizedAt { get; init; }

    /// <summary>The inner loops that get `#pragma omp simd`, located in the text (<see cref="LoopEdit.InnerSimd"/>).</summary>
    public IReadOnlyList<SimdPlacement> InnerSimd { get; init; } = [];

    /// <summary>The inner loops replaced by their scalar-expanded form, located in the text (<see cref="LoopEdit.Expansions"/>).</summary>
    public IReadOnlyList<ExpansionPlacement> Expansions { get; init; } = [];

    /// <summary>The loops replaced by their unrolled-and-jammed form, located in the text (<see cref="LoopEdit.UnrollJams"/>).</summary>
    public IReadOnlyList<JamPlacement> UnrollJams { get; init; } = [];

    /// <summary>A fused edit's fallbacks that could be placed (<see cref="LoopEdit.Fallbacks"/>): its `else` branch writes them.</summary>
    public IReadOnlyList<EditPlan> Fallbacks { get; init; } = [];

    /// <summary>A two-counter header: its init-to-increment range and the index after its `)` (<see cref="LoopEdit.TwoCounter"/>).</summary>
    public (int Start, int End, int Close)? TwoCounterAt { get; init; }

    /// <summary>This is a fused edit's fallback: its outcome is reported on the fused edit's (<see cref="EditOutcome.Fallbacks"/>).</summary>
    public bool IsFallback { get; init; }
}

/// <summary>Where an unrolled-and-jammed loop is: from its `for` keyword to the end of its statement (char indices), and how its line starts.</summary>
internal sealed record JamPlacement(Locality.UnrollJam Jam, int ForIndex, int End, int LineStart, bool PrefixIsBlank, string Indent, string Pad, PresumedLine Presumed);

/// <summary>Where a scalar-expanded loop is: from its `for` keyword to the end of its body (char indices), and how its line starts.</summary>
internal sealed record ExpansionPlacement(Locality.ScalarExpansion Expansion, int ForIndex, int End, int LineStart, bool PrefixIsBlank, string Indent, string Pad, PresumedLine Presumed);

/// <summary>Where an inner loop's `#pragma omp simd` goes: like an edit's own pragma, on its own line before the `for`
/// (which keeps its line and column through `#line`).</summary>
internal sealed record SimdPlacement(Locality.SimdSite Site, int ForIndex, int LineStart, int PrefixEnd, bool PrefixIsBlank, string Indent, string Pad, PresumedLine Presumed);

/// <summary>
/// Checks each edit against the text and decides how to rewrite it: where the `for` is, whether it is the braceless
/// body of another statement (then it gets braces), and where its statement ends (needed for braces and for
/// versioning). Every check that fails becomes a skip reason a user can act on.
/// </summary>
internal sealed class EditPlanner(SourceDocument doc)
{
    private const string Utf8Bom = "\uFEFF";

    // OpenMP directives that take no statement: a loop after one of them is not inside an OpenMP construct.
    private static readonly FrozenSet<string> StandaloneOpenMP = new[]
    {
        "barrier", "flush", "taskwait", "taskyield", "threadprivate", "declare", "requires", "end", "begin",
        "allocate", "cancel", "cancellation", "scan", "depobj", "error", "nothing", "assumes", "interop",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly StatementParser _parser = new(doc);
    private List<(int Start, int End, int Line)>? _openMPConstructs;
    private List<int>? _forKeywords;

    private enum PragmaKind
    {
        None,
        OpenMP,
        Other,
    }

    /// <summary>What a fused edit's `else` branch runs, in words.</summary>
    private static string Unfused(LoopEdit edit) => edit.Fallbacks.Count == 0 ? "the two nests run as written" : "each nest runs under its own plan";

    public (EditPlan? Plan, string? Skipped) Plan(LoopEdit edit, int inputIndex)
    {
        var directive = OneLine(edit.Directive ?? string.Empty);
        if (directive.Length == 0 && !edit.RunsOnlyIfCheck && edit.RightLooking is null && !edit.ExpandsSerially) return Skip("the edit has no directive");
        if (edit.RunsOnlyIfCheck && string.IsNullOrWhiteSpace(edit.RuntimeCheck)) return Skip("an edit that only guards the loop needs its check");
        if (directive.StartsWith('#')) return Skip($"the directive must be the text after `#pragma `, not `{directive}`");
        var check = edit.RuntimeCheck is null ? null : OneLine(edit.RuntimeCheck);
        if (check is { Length: 0 }) return Skip("the runtime check is empty");

        var notFor = $"the text at line {edit.Line}, column {edit.Column} is not the `for` keyword: the loop comes from a macro expansion " +
                     "(or the file changed after it was analyzed)";
        if (Locate(edit) is not var (forIndex, extentEnd, byPresumedLocation)) return Skip(notFor);

        // An existing directive wins, on this loop or on another copy of it that an earlier rewrite made (the
        // serial copy of a versioned loop maps to the same original line and column as the parallel copy).
        var copies = CopiesOf(forIndex);
        foreach (var copy in copies)
            if (PragmaBefore(copy) is (PragmaKind.OpenMP, var omp))
                return Skip($"already has an OpenMP directive (`{omp}`)");
        foreach (var copy in copies)
            if (EnclosingOpenMPConstruct(copy) is { } line)
                return Skip($"nested inside a loop that is already parallel (the OpenMP directive on line {line} encloses it)");
        if (byPresumedLocation) return Skip(notFor);
        if (PragmaBefore(forIndex) is (PragmaKind.Other, var other))
            return Skip($"`{other}` already applies to this loop; ParaSlm does not combine it with an OpenMP directive");
        if (extentEnd is not { } clangEnd || clangEnd <= forIndex)
            return Skip($"the edit's end offset {edit.EndOffset} does not lie after its `for` keyword in this text");

        // An interchanged nest's headers are swapped in place: each must still be where (and what) the analysis saw.
        if (edit.Interchange is { } swap && swap.Headers.Any(h => doc.IndexOfByteOffset(h.StartOffset) is not { } at || at + h.Text.Length > doc.Text.Length ||
                                                                   doc.Text.Substring(at, h.Text.Length) != h.Text))
            return Skip("the nest's loop headers are not where the analysis found them (the file changed after it was analyzed)");

        // The forms that write the loop anew rather than put a directive before it.
        var replaced = edit.Matmul is not null || edit.Append is not null || edit.Guarded is not null || edit.Privatized is not null || edit.Distributed is not null || edit.Fused is not null || edit.RightLooking is not null || edit.ExpandsItself || edit.JamsItself ||
                       edit.Interchange?.Strips is not null;
        // OpenMP names one counter: a two-counter header is rewritten to one in the plain parallel form only.
        if (edit.TwoCounter is not null && (replaced || edit.RunsOnlyIfCheck || edit.Hoist is not null || edit.Sink is not null || edit.Interchange is not null))
            return Skip("the loop's header advances two counters, which only its plain parallel form rewrites to one");

        var (wrap, context, previous) = NeedsBraces(forIndex);
        if (context is not null) return Skip(context);

        // A cost guard becomes loop versioning where the loop can be written twice (else the clause stays in the directive).
        // A sunk serial loop emits one directive per nest, so its guard stays a clause. A hoisted region is versioned
        // like a loop (tested once per entry of the serial loop): as a clause, a region too small to share still ran
        // every step's `omp for` on a team of one, and PolyBench's jacobi-1d ran 0.38x of serial.
        var guard = edit.RunsOnlyIfCheck || edit.Sink is not null || edit.RightLooking is not null || edit.ExpandsSerially ? null : CostGuardVersioning.Split(directive);
        if (edit.Hoist is { } h && HoistBlocker(h, edit.HoistDirectives) is { } blocker) return Skip(blocker);
        int? statementEnd = null;
        if (wrap || check is not null || replaced || edit.Sink is not null || guard is not null || edit.TwoCounter is not null)
        {
            statementEnd = StatementEnd(forIndex, clangEnd);
            if (statementEnd is null && !wrap && check is null && !replaced && edit.TwoCounter is null) guard = null;
            else if (statementEnd is null)
            {
                return Skip($"cannot tell where the loop statement ends: libclang's extent stops at line {doc.LineOf(clangEnd)}, " +
                            $"column {doc.ByteColumnOf(clangEnd)}, and the text there does not end the statement (a macro may hide a brace or semicolon)");
            }
        }
        // Braces across directive lines: `{` goes right before the loop and `}` right after it, so both must lie in one branch.
        if (wrap && statementEnd is { } wrappedEnd && doc.TokenAt(forIndex) is var forToken and > 0 && doc.Tokens[forToken - 1].Kind == TokenKind.Directive &&
            ConditionalBalance.Unpaired(doc, forIndex, wrappedEnd) is { } unpaired)
            return Skip($"the loop is the body of a statement without braces behind preprocessor lines, and its text holds `{unpaired.Text}` " +
                        $"(line {unpaired.Line}), whose other half lies outside it: braces around it would not pair in every configuration");
        // Fused sibling nests: the replaced range runs on to the end of the next nest, which must follow with nothing between.
        if (edit.Fused is { } fusion)
        {
            if (wrap || statementEnd is null) return Skip("the fused nests are not statements of one block");
            if (doc.IndexOfByteOffset(fusion.SecondStartOffset) is not { } second || !IsForKeyword(second) ||
                doc.IndexOfByteOffset(fusion.SecondEndOffset) is not { } secondClangEnd || second < statementEnd.Value)
                return Skip($"the nest at line {fusion.SecondLine} is not where the analysis found it (the file changed after it was analyzed)");
            var next = doc.FirstCodeTokenAtOrAfter(statementEnd.Value);
            if (next >= doc.Code.Length || doc.Code[next].Start != second || doc.Text[statementEnd.Value..second].Contains('#'))
                return Skip($"something other than blanks and comments sits between the nest and the nest at line {fusion.SecondLine}");
            if (PragmaBefore(second) is not (PragmaKind.None, _)) return Skip($"the nest at line {fusion.SecondLine} has a pragma of its own");
            if (StatementEnd(second, secondClangEnd) is not { } secondEnd)
                return Skip($"cannot tell where the nest at line {fusion.SecondLine} ends (a macro may hide a brace or semicolon)");
            statementEnd = secondEnd;
        }
        // A run-time check writes the loop twice, a generated form writes it anew: neither may cut a conditional in half.
        if ((check is not null || replaced || edit.Sink is not null) && statementEnd is { } rewrittenEnd &&
            ConditionalBalance.WhyNotRewritable(doc, forIndex, rewrittenEnd) is { } split)
            return Skip(check is not null ? $"the runtime check duplicates the loop, and {split}" : $"the loop's new form replaces its text, and {split}");
        if (check is not null && FindLabel(forIndex, statementEnd!.Value) is { } label)
        {
            return Skip($"the loop body contains the label `{label}`: the runtime check duplicates the loop, and a label " +
                        "cannot be defined twice in a function");
        }
        if (check is not null && edit.NotDuplicable is { } notTwice)
            return Skip($"the runtime check duplicates the loop, and {notTwice}");
        OrderedAppendEmitter.Positions? appendAt = null;
        if (edit.Append is { } append)
        {
            if (CostGuardVersioning.WhyNotDuplicable(doc, doc.CodeTokenAt(forIndex), doc.FirstCodeTokenAtOrAfter(statementEnd!.Value)) is { } why)
                return Skip($"the {append.TransformName} form compiles the loop twice, and {why}");
            if (AppendPositions(forIndex, statementEnd.Value, edit, append) is not { } positions)
                return Skip($"the text of the statement `{append.SinkText}` (line {append.SinkLine}) is not where the analysis found it");
            appendAt = positions;
        }
        GuardedReductionEmitter.Positions? guardedAt = null;
        if (edit.Guarded is { } scatter)
        {
            if (CostGuardVersioning.WhyNotDuplicable(doc, doc.CodeTokenAt(forIndex), doc.FirstCodeTokenAtOrAfter(statementEnd!.Value)) is { } why)
                return Skip($"the {GuardedReduction.TransformName} form compiles the loop twice, and {why}");
            if (GuardedPositions(forIndex, statementEnd.Value, edit, scatter) is not { } positions)
                return Skip($"the updates of `{scatter.Array}` (line {scatter.Updates[0].Line}) are not where the analysis found them");
            guardedAt = positions;
        }
        PrivatizationEmitter.Positions? privatizedAt = null;
        if (edit.Privatized is { } priv)
        {
            if (edit.NotDuplicable is { } single) return Skip($"the {Privatization.TransformName} form compiles the loop twice, and {single}");
            if (CostGuardVersioning.WhyNotDuplicable(doc, doc.CodeTokenAt(forIndex), doc.FirstCodeTokenAtOrAfter(statementEnd!.Value)) is { } why)
                return Skip($"the {Privatization.TransformName} form compiles the loop twice, and {why}");
            if (PrivatizedPositions(forIndex, statementEnd.Value, edit, priv) is not { } positions)
                return Skip($"the references to `{priv.Array}` are not where the analysis found them");
            privatizedAt = positions;
        }
        if (guard is { } g && edit.NotDuplicable is null && FindLabel(forIndex, statementEnd!.Value) is null &&
            CostGuardVersioning.WhyNotDuplicable(doc, doc.CodeTokenAt(forIndex), doc.FirstCodeTokenAtOrAfter(statementEnd.Value)) is null)
        {
            // The guard is tested first: when it fails, the (longer) overlap check is not evaluated at all.
            directive = g.Directive;
            check = check is null ? g.Condition : $"({g.Condition}) && ({check})";
        }
        // After versioning: a failed team condition keeps the transformed loop (its locality) on one thread.
        if (edit.TeamCondition is { } team) directive = CostGuardVersioning.WithTeam(directive, team);

        var physicalLine = doc.LineOf(forIndex);
        var lineStart = doc.LineStart(physicalLine);
        var prefix = doc.Text[lineStart..forIndex];
        var prefixIsBlank = prefix.All(IsBlank);
        var indent = new string(prefix.TakeWhile(IsBlank).ToArray());
        var prefixEnd = forIndex;
        while (prefixEnd > lineStart && IsBlank(doc.Text[prefixEnd - 1])) prefixEnd--;
        var description = edit.RightLooking is { } rl
            ? $"replaced the loop by its right-looking form ({rl.Name}): `{rl.Inner}` runs outside, the loop stays serial" +
              (rl.FloatingPoint ? $"; where floating point is not evaluated in its own type or gcc may contract `x - a*b` per code shape (`{SourceRewriter.ExactFloatingPoint}`, `{SourceRewriter.SameContraction}`), the original loop runs" : string.Empty) +
              (check is null ? string.Empty : $"; it runs when `{check}` holds, the original loop otherwise")
            : edit.Fused is { } fu
            ? $"replaced this nest and the nest at line {fu.SecondLine} by {(fu.Pipeline is null ? "one loop over column strips" : "one row-column pipeline")} ({fu.Name}): the nest at line {fu.SecondLine}{(fu.Transposed ? " interchanged" : string.Empty)} runs fused into this one, " +
              (fu.Pipeline is null ? $"`#pragma {directive}`, thread c walking every row over strip c of `{fu.Inner}`, no waits"
                  : $"`#pragma {directive}`, thread c running strip c of `{fu.Inner}` over every block of {RowColumnPipeline.Block} rows after strip c - 1 finished it, {RowColumnPipeline.Factor} rows' chains in accumulators") +
              (fu.FloatingPoint ? $"; where floating point is not evaluated in its own type or gcc may contract `x + a*b` per code shape (`{SourceRewriter.ExactFloatingPoint}`, `{SourceRewriter.SameContraction}`), {Unfused(edit)}" : string.Empty) +
              (check is null ? string.Empty : $"; it runs when `{check}` holds, otherwise {Unfused(edit)}")
            : edit.Distributed is { Pipeline: { } pl }
            ? $"replaced the loop by its row-column pipeline ({pl.Name}): `#pragma {directive}`, thread c running strip c of `{pl.Inner}` over every block of " +
              $"{RowColumnPipeline.Block} rows after strip c - 1 finished it (a progress counter per strip, `#pragma omp atomic`), {RowColumnPipeline.Factor} rows' chains in accumulators" +
              (pl.FloatingPoint ? $"; where floating point is not evaluated in its own type or gcc may contract `x + a*b` per code shape (`{SourceRewriter.ExactFloatingPoint}`, `{SourceRewriter.SameContraction}`), the original loop runs" : string.Empty) +
              (check is null ? string.Empty : $"; it runs when `{check}` holds, the original loop otherwise")
            : edit.Distributed is { } dx
            ? $"replaced the loop by its distributed form ({dx.Name}): `#pragma {directive}` around {dx.Groups.Count} loops, " +
              string.Join(", ", dx.Groups.Select(g => g.Form == DistributedForm.ParallelLoop ? $"`#pragma {LoopDistribution.ParallelDirective}` on `{dx.Counter}`"
                  : $"`{dx.Counter}` serial with `#pragma {LoopDistribution.WorksharingDirective}` on its inner loop")) +
              (check is null ? string.Empty : $"; it runs when `{check}` holds, the original loop otherwise")
            : edit.Privatized is { } px
            ? $"replaced the loop by its privatized form ({px.Name}): every thread works on its own copy of `{px.Array}[{px.Low}..{px.End})` under " +
              $"`#pragma omp parallel` and `#pragma omp for`, and the thread that runs the last iteration copies it back into `{px.Array}`" +
              (check is null ? string.Empty : $"; it runs when `{check}` holds") +
              (px.OverlapCheck is null ? string.Empty : $" and `{px.OverlapCheck}`") + ", the original loop otherwise"
            : edit.Guarded is { } gr
            ? $"replaced the loop by a guarded array reduction ({GuardedReduction.TransformName}): `#pragma {directive}` over a copy whose updates of `{gr.Array}` " +
              $"add into per-thread copies of {gr.Bound} elements when the index is below {gr.Bound}, then into `{gr.Array}`; an index outside runs the original loop" +
              (check is null ? string.Empty : $"; it runs when `{check}` holds") +
              (gr.OverlapCheck is null ? string.Empty : $" and `{gr.OverlapCheck}`") + ", the original loop otherwise"
            : edit.Append is { } ap
            ? $"replaced the loop by its two-phase form ({ap.TransformName}): phase 1 (`#pragma {directive}` over {OrderedAppendEmitter.Chunks} chunks of `{ap.Counter}`) " +
              $"collects the candidates of `{ap.Output}[{ap.Count}++]` per chunk, phase 2 {(ap.IsClaim ? "runs the claim" : "appends them")} serially in iteration order" +
              (check is null ? string.Empty : $"; it runs when `{check}` holds") +
              (ap.Precondition is null ? string.Empty : $" and `{ap.Precondition}`") +
              (ap.OverlapCheck is null ? string.Empty : $"; phase 2 runs when `{ap.OverlapCheck}`") + ", the original loop otherwise"
            : edit.Hoist is { } hoist
            ? $"one parallel region around the serial loop ({SerialLoopHoist.TransformName}): `#pragma {directive}`" +
              (check is null ? string.Empty : $" in a version guarded by `if ({check})`, the original loop otherwise") + ", " +
              string.Join(", ", edit.HoistDirectives.Select((d, n) => $"`#pragma {d}` on line {hoist.Parts[n].Line}"))
            : edit.Sink is { } sink
            ? $"moved the serial loop `{sink.Header}` inside the element loops of {sink.Nests.Count} parallel nest{(sink.Nests.Count == 1 ? string.Empty : "s")} ({SerialLoopSink.TransformName}), " +
              string.Join(", ", edit.SinkDirectives.Select((d, n) => $"`#pragma {d}` on line {sink.Nests[n].Line}" +
                  (n < edit.SinkPrefixes.Count && edit.SinkPrefixes[n] is { } prefix
                      ? $" (invariant prefix hoisted: {string.Join(", ", prefix.Scalars.Select(s => $"`{s.Name}`"))}, " +
                        (edit.SinkRows[n] ? $"once per element into a row buffer, the serial loop over the row of `{prefix.Row!.Counter}`)" : "once per element before the serial loop)")
                      : string.Empty)))
            : edit.Interchange is { } interchange
            ? $"interchanged the nest to run {string.Join(", ", interchange.Order.Select(l => $"`{interchange.Counters[l]}`"))} ({interchange.Name}), `#pragma {directive}` on `{interchange.Counters[interchange.Order[0]]}`" +
              (interchange.Worksharing ? $", `#pragma {InterchangeNest.WorksharingDirective}` on `{interchange.Counters[interchange.ParallelLevel]}`" : string.Empty) +
              (interchange.Strips is { } strips ? $" strips of {strips.Width} `{interchange.Counters[interchange.ParallelLevel]}` (starting at multiples of {strips.Align}), each running the nest in that order" : string.Empty) +
              (check is null ? string.Empty : $"; it runs when `{check}` holds, the original nest otherwise")
            : edit.Matmul is { } nest
            ? $"replaced the nest by its tiled i-k-j form ({MatmulNest.TransformName}" + (nest.Block is { } block ? $", {block.Name}" : string.Empty) +
              $"), `#pragma {directive}` on the tile loop of `{nest.Counters[0]}`, `#pragma omp simd` on `{nest.Counters[1]}`" +
              (check is null ? string.Empty : $"; it runs when `{check}` holds, the original nest otherwise") +
              (nest.NeedsExactFloatingPoint ? "; where the compiler evaluates floating point in a wider type (`__FLT_EVAL_METHOD__` not 0), the original nest runs" : string.Empty) +
              (nest.NeedsSameContraction ? "; where gcc may contract `x + a*b` into an FMA per code shape (a GNU mode with FMA: `PARASLM_SAME_CONTRACTION` 0), the original nest runs" : string.Empty)
            : edit.ExpandsSerially
            ? "replaced the loop by its scalar-expanded form, serial (no parallel region: its strips run one after another)" +
              (check is null ? string.Empty : $"; it runs when `{check}` holds, the original loop otherwise")
            : $"inserted `#pragma {directive}`" +
            (check is null ? string.Empty : $" in a version guarded by `if ({check})`; the original loop runs otherwise") +
            (wrap ? $"; the loop follows `{previous}` (the body of a statement without braces), so it was wrapped in braces" : string.Empty);
        (int Start, int End, int Close)? headerAt = null;
        if (edit.TwoCounter is { } two)
        {
            if (TwoCounterPositions(forIndex, statementEnd!.Value, two) is not { } at)
                return Skip("the loop's two-counter header is not where the analysis found it (the file changed after it was analyzed)");
            headerAt = at;
            description += $"; its header advances two counters, so the parallel version counts with one and defines the other from it first in the body";
        }
        var extent = Math.Max(clangEnd, statementEnd ?? clangEnd);
        var (simd, simdNote) = PlaceInnerSimd(edit, forIndex, extent);
        var (expansions, expansionNote) = PlaceExpansions(edit, forIndex, extent);
        var (jams, jamNote) = PlaceUnrollJams(edit, forIndex, extent);
        if (edit.ExpandsSerially && expansions.Count == 0) return Skip("the loop's scalar-expanded form does not fit its text" + expansionNote);
        if (edit.JamsItself && jams.Count == 0) return Skip("the loop's unrolled-and-jammed form does not fit its text" + jamNote);
        return (new EditPlan(edit, inputIndex, directive, check, forIndex, extent, statementEnd, wrap,
            lineStart, prefixEnd, prefixIsBlank, indent, Pad(prefix), doc.PresumedLineOf(physicalLine), description + expansionNote + jamNote + simdNote)
            { InnerSimd = simd, AppendAt = appendAt, GuardedAt = guardedAt, PrivatizedAt = privatizedAt, Expansions = expansions, UnrollJams = jams, TwoCounterAt = headerAt }, null);

        static (EditPlan?, string?) Skip(string reason) => (null, reason);
    }

    /// <summary>Where a two-counter header's init-to-increment text is, and its closing `)` (char indices), all inside the loop's
    /// statement; null when the text there is not a header's.</summary>
    private (int Start, int End, int Close)? TwoCounterPositions(int forIndex, int statementEnd, Loops.TwoCounterForm two)
    {
        if (doc.IndexOfByteOffset(two.StartOffset) is not { } start || doc.IndexOfByteOffset(two.EndOffset) is not { } end || start <= forIndex || end <= start || end >= statementEnd)
            return null;
        var close = doc.FirstCodeTokenAtOrAfter(end);
        if (close >= doc.Code.Length || doc.TextOf(doc.Code[close]) != ")" || doc.Code[close].End > statementEnd) return null;
        var forToken = doc.CodeTokenAt(forIndex);
        var open = forToken + 1;
        if (forToken < 0 || open >= doc.Code.Length || doc.TextOf(doc.Code[open]) != "(" || doc.Code[open].End > start) return null;
        return (start, end, doc.Code[close].End);
    }

    /// <summary>
    /// Locates each inner loop of <see cref="LoopEdit.InnerSimd"/> inside the edit's statement; a loop that is not found at
    /// its offset (a macro), that already has a pragma, or that a sunk serial loop would no longer leave innermost (an
    /// element loop of the nest) keeps its text, and the description says so.
    /// </summary>
    private (IReadOnlyList<SimdPlacement> Placements, string Note) PlaceInnerSimd(LoopEdit edit, int forIndex, int extentEnd)
    {
        if (edit.InnerSimd.Count == 0 || edit.Matmul is not null) return ([], string.Empty);
        var placed = new List<SimdPlacement>();
        var notes = new List<string>();
        foreach (var site in edit.InnerSimd)
        {
            string? why = null;
            var index = ForKeywordAt(site.StartOffset, site.Line, site.Column)?.Index ?? -1;
            if (index <= forIndex || index >= extentEnd) why = "the text there is not its `for` keyword (a macro expansion)";
            else if (edit.Sink is { } sink && !sink.Nests.Any(n => doc.IndexOfByteOffset(n.BodyOffset) is { } b && doc.IndexOfByteOffset(n.EndOffset) is { } e && index >= b && index < e))
                why = "the serial loop moves inside it, so it is no longer innermost";
            else if (PragmaBefore(index) is (not PragmaKind.None, var other)) why = $"`{other}` already applies to it";
            if (why is not null)
            {
                notes.Add($"no `omp simd` on the loop at line {site.Line}: {why}");
                continue;
            }
            var line = doc.LineOf(index);
            var start = doc.LineStart(line);
            var prefix = doc.Text[start..index];
            var end = index;
            while (end > start && IsBlank(doc.Text[end - 1])) end--;
            placed.Add(new SimdPlacement(site, index, start, end, prefix.All(IsBlank), new string(prefix.TakeWhile(IsBlank).ToArray()), Pad(prefix), doc.PresumedLineOf(line)));
        }
        var text = string.Concat(placed.Select(p => $"; `#pragma {p.Site.Directive}` on the inner loop at line {p.Site.Line}"));
        if (placed.Count > 0 && edit.RuntimeCheck is not null) text += " (in both versions)";
        return (placed, text + string.Concat(notes.Select(n => "; " + n)));
    }

    /// <summary>
    /// Locates each loop of <see cref="LoopEdit.Expansions"/> inside the edit's statement; a loop that is not found at its
    /// offset, whose body does not end where the analysis saw it, or that has a pragma keeps its text, and the note says so.
    /// </summary>
    private (IReadOnlyList<ExpansionPlacement> Placements, string Note) PlaceExpansions(LoopEdit edit, int forIndex, int extentEnd)
    {
        if (edit.Expansions.Count == 0 || edit.Matmul is not null || edit.Sink is not null || edit.Append is not null || edit.Interchange is not null || edit.Hoist is not null)
            return ([], string.Empty);
        var placed = new List<ExpansionPlacement>();
        var notes = new List<string>();
        foreach (var e in edit.Expansions)
        {
            string? why = null;
            var self = e.LoopId == edit.LoopId;
            var index = self ? forIndex : ForKeywordAt(e.StartOffset, e.Line, e.Column)?.Index ?? -1;
            var end = self ? extentEnd : doc.IndexOfByteOffset(e.EndOffset) ?? -1;
            if (self && doc.Text[end - 1] != '}') why = "its statement does not end with its body's `}`";
            else if (!self && (index <= forIndex || index >= extentEnd || end <= index || end > extentEnd || doc.Text[end - 1] != '}'))
                why = "the text there is not the loop the analysis saw (a macro expansion, or the file changed)";
            else if (PragmaBefore(index) is (not PragmaKind.None, var other)) why = $"`{other}` already applies to it";
            else if (ConditionalBalance.WhyNotRewritable(doc, index, end) is { } split) why = split;
            if (why is not null)
            {
                notes.Add($"no {ScalarExpansion.TransformName} of the loop at line {e.Line}: {why}");
                continue;
            }
            var line = doc.LineOf(index);
            var start = doc.LineStart(line);
            var prefix = doc.Text[start..index];
            placed.Add(new ExpansionPlacement(e, index, end, start, prefix.All(IsBlank), new string(prefix.TakeWhile(IsBlank).ToArray()), Pad(prefix), doc.PresumedLineOf(line)));
        }
        // The loop itself: without its form there is nothing to put the directive on.
        if (edit.ExpandsItself && placed.Count == 0) return ([], string.Concat(notes.Select(n => "; " + n)));
        var text = string.Concat(placed.Select(p => $"; {(p.Expansion.Scalars.Count == 0 ? "the loop" : string.Join(", ", p.Expansion.Scalars.Select(x => $"`{x.Name}`")) + " kept per `" + p.Expansion.Counter + "`")} at line {p.Expansion.Line} ({p.Expansion.Name}): " +
                                                    $"the reduction loops run outside `{p.Expansion.Counter}`, which runs innermost{(p.Expansion.Simd ? " under `#pragma omp simd`" : string.Empty)}" +
                                                    (p.Expansion.FloatingPoint ? " (where `__FLT_EVAL_METHOD__` is 0; the loop as written elsewhere)" : string.Empty)));
        return (placed, text + string.Concat(notes.Select(n => "; " + n)));
    }

    /// <summary>
    /// Locates each loop of <see cref="LoopEdit.UnrollJams"/> inside the edit's statement; a loop that is not found at its
    /// offset, whose body does not end where the analysis saw it, or that has a pragma keeps its text, and the note says so.
    /// </summary>
    private (IReadOnlyList<JamPlacement> Placements, string Note) PlaceUnrollJams(LoopEdit edit, int forIndex, int extentEnd)
    {
        if (edit.UnrollJams.Count == 0 || edit.Matmul is not null || edit.Sink is not null || edit.Append is not null || edit.Interchange is not null ||
            edit.Hoist is not null || edit.Guarded is not null || edit.ExpandsItself)
            return ([], string.Empty);
        var placed = new List<JamPlacement>();
        var notes = new List<string>();
        foreach (var e in edit.UnrollJams)
        {
            string? why = null;
            var self = e.LoopId == edit.LoopId;
            var index = self ? forIndex : ForKeywordAt(e.StartOffset, e.Line, e.Column)?.Index ?? -1;
            var end = self ? extentEnd : doc.IndexOfByteOffset(e.EndOffset) ?? -1;
            if (!self && (index <= forIndex || index >= extentEnd || end <= index || end > extentEnd || doc.Text[end - 1] != '}'))
                why = "the text there is not the loop the analysis saw (a macro expansion, or the file changed)";
            else if (!self && PragmaBefore(index) is (not PragmaKind.None, var other)) why = $"`{other}` already applies to it";
            else if (edit.Expansions.Any(x => index >= doc.IndexOfByteOffset(x.StartOffset) && index < doc.IndexOfByteOffset(x.EndOffset)))
                why = "a scalar-expanded loop holds it";
            else if (ConditionalBalance.WhyNotRewritable(doc, index, end) is { } split) why = split;
            if (why is not null)
            {
                notes.Add($"no {UnrollJam.TransformName} of the loop at line {e.Line}: {why}");
                continue;
            }
            var line = doc.LineOf(index);
            var start = doc.LineStart(line);
            var prefix = doc.Text[start..index];
            placed.Add(new JamPlacement(e, index, end, start, prefix.All(IsBlank), new string(prefix.TakeWhile(IsBlank).ToArray()), Pad(prefix), doc.PresumedLineOf(line)));
        }
        var text = string.Concat(placed.Select(p => $"; {p.Jam.Factor} iterations of `{p.Jam.Counter}` at line {p.Jam.Line} run their `{p.Jam.Inner[^1]}` loop together ({p.Jam.Name}): " +
                                                    $"{p.Jam.Factor} independent chains, the last iterations as written"));
        return (placed, text + string.Concat(notes.Select(n => "; " + n)));
    }

    /// <summary>The `for` keyword at a byte offset with the given line and column, and how many bytes of a UTF-8 byte order
    /// mark the text lacks (libclang counted 3 bytes the string does not have); null when it is not there.</summary>
    private (int Index, int Shift)? ForKeywordAt(int offset, int line, int column)
    {
        int[] shifts = doc.Text.StartsWith(Utf8Bom, StringComparison.Ordinal) ? [0] : [0, 3];
        foreach (var shift in shifts)
        {
            if (doc.IndexOfByteOffset(offset - shift) is not { } index || !IsForKeyword(index)) continue;
            if (doc.LineOf(index) == line && doc.ByteColumnOf(index) + (line == 1 ? shift : 0) == column) return (index, shift);
        }
        return null;
    }

    /// <summary>The char indices of an append loop's body and replaced statement, checked against the statement's text.</summary>
    private OrderedAppendEmitter.Positions? AppendPositions(int forIndex, int end, LoopEdit edit, OrderedAppend append)
    {
        // Offsets relative to the `for` keyword: the same whether or not the text kept a byte order mark.
        var shift = doc.ByteOffsetOf(forIndex) - edit.StartOffset;
        if (doc.IndexOfByteOffset(append.BodyOffset + shift) is not { } body || doc.IndexOfByteOffset(append.SinkOffset + shift) is not { } sinkStart ||
            doc.IndexOfByteOffset(append.SinkEndOffset + shift) is not { } sinkEnd) return null;
        if (!(forIndex < body && body <= sinkStart && sinkStart < sinkEnd && sinkEnd <= end)) return null;
        var text = NestSyntax.OneLine(doc.Text[sinkStart..sinkEnd]);
        return text == append.SinkText ? new OrderedAppendEmitter.Positions(forIndex, body, sinkStart, sinkEnd, end) : null;
    }

    /// <summary>The char indices of a guarded reduction's updates, each checked against the text the analysis saw.</summary>
    private GuardedReductionEmitter.Positions? GuardedPositions(int forIndex, int end, LoopEdit edit, GuardedReduction scatter)
    {
        var shift = doc.ByteOffsetOf(forIndex) - edit.StartOffset;
        var updates = new List<(int, int)>();
        var previous = forIndex;
        foreach (var u in scatter.Updates)
        {
            if (doc.IndexOfByteOffset(u.Offset + shift) is not { } start || doc.IndexOfByteOffset(u.EndOffset + shift) is not { } stop) return null;
            if (!(previous <= start && start < stop && stop <= end)) return null;
            if (NestSyntax.OneLine(doc.Text[start..stop]) != u.Text) return null;
            updates.Add((start, stop));
            previous = stop;
        }
        return new GuardedReductionEmitter.Positions(forIndex, end, updates);
    }

    /// <summary>The char indices of a privatized array's references and of the loop body's start, each checked against the text.</summary>
    private PrivatizationEmitter.Positions? PrivatizedPositions(int forIndex, int end, LoopEdit edit, Privatization x)
    {
        var shift = doc.ByteOffsetOf(forIndex) - edit.StartOffset;
        if (doc.IndexOfByteOffset(x.BodyOffset + shift) is not { } body || body <= forIndex || body >= end) return null;
        if (x.BodyBraced && doc.Text[body] != '{') return null;
        var references = new List<int>();
        foreach (var r in x.References)
        {
            if (doc.IndexOfByteOffset(r.Offset + shift) is not { } at || at < body || at + x.Array.Length > end) return null;
            if (doc.Text.Substring(at, x.Array.Length) != x.Array || (at + x.Array.Length < doc.Text.Length && IsIdentifierChar(doc.Text[at + x.Array.Length])) ||
                (at > 0 && IsIdentifierChar(doc.Text[at - 1]))) return null;
            references.Add(at);
        }
        return new PrivatizationEmitter.Positions(forIndex, end, body, references);

        static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\f' or '\v';

    /// <summary>Why the directives of a hoisted region's parts cannot go in front of them (each on a line of its own), or null.</summary>
    private string? HoistBlocker(SerialLoopHoist hoist, IReadOnlyList<string> directives)
    {
        if (directives.Count != hoist.Parts.Count) return "the hoisted region needs one directive per statement that gets one";
        for (var k = 0; k < hoist.Parts.Count; k++)
        {
            var part = hoist.Parts[k];
            if (doc.IndexOfByteOffset(part.Offset) is not { } index || doc.LineOf(index) != part.Line || doc.ByteColumnOf(index) != part.Column)
                return $"the statement at line {part.Line}, column {part.Column} is not where the analysis saw it (a macro expansion, or the file changed)";
            if (!doc.Text[doc.LineStart(doc.LineOf(index))..index].All(IsBlank))
                return $"the statement at line {part.Line} does not start its line, so its `#pragma {directives[k]}` has no line of its own";
        }
        return null;
    }

    /// <summary>Collapses line breaks: a pragma or an `if` condition must stay on one line, or the line numbers would shift.</summary>
    private static string OneLine(string s) => s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ').Trim();

    /// <summary>Whitespace as wide as <paramref name="prefix"/> in bytes (libclang's columns), tabs kept as tabs (GCC's columns).</summary>
    internal static string Pad(string prefix)
    {
        var pad = new System.Text.StringBuilder(prefix.Length);
        foreach (var c in prefix)
            pad.Append(c == '\t' ? '\t' : ' ', c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsLowSurrogate(c) ? 0 : char.IsHighSurrogate(c) ? 4 : 3);
        return pad.ToString();
    }

    /// <summary>
    /// The `for` keyword the edit names. Usually at its byte offset; two fallbacks: a text read without its UTF-8
    /// byte order mark (libclang counted 3 bytes the string lacks), and a text that is itself an earlier rewrite,
    /// where the loop is found by the original line and column its `#line` directives give it.
    /// </summary>
    private (int ForIndex, int? ExtentEnd, bool ByPresumedLocation)? Locate(LoopEdit edit)
    {
        if (ForKeywordAt(edit.StartOffset, edit.Line, edit.Column) is var (index, shift))
            return (index, doc.IndexOfByteOffset(edit.EndOffset - shift), false);
        if (!doc.HasLineDirectives) return null;
        var wanted = new PresumedLine(doc.OriginalFileLiteral, edit.Line);
        foreach (var f in ForKeywords())
            if (doc.ByteColumnOf(f) == edit.Column && doc.PresumedLineOf(doc.LineOf(f)) == wanted)
                return (f, null, true);
        return null;
    }

    private bool IsForKeyword(int index) =>
        doc.CodeTokenAt(index) is var k and >= 0 && doc.Code[k].Kind == TokenKind.Identifier && doc.TextOf(doc.Code[k]) == "for";

    private List<int> ForKeywords() =>
        _forKeywords ??= doc.Code.Where(t => t.Kind == TokenKind.Identifier && doc.TextOf(t) == "for").Select(t => t.Start).ToList();

    /// <summary>The loop itself and every other `for` that `#line` maps to the same original line and column.</summary>
    private List<int> CopiesOf(int forIndex)
    {
        if (!doc.HasLineDirectives) return [forIndex];
        var line = doc.PresumedLineOf(doc.LineOf(forIndex));
        var column = doc.ByteColumnOf(forIndex);
        return ForKeywords().Where(f => f == forIndex || (doc.ByteColumnOf(f) == column && doc.PresumedLineOf(doc.LineOf(f)) == line)).ToList();
    }

    /// <summary>
    /// The pragmas written directly before the loop (blank lines, comments and `#line` directives between them
    /// do not matter, nor does their order): OpenMP if any is an OpenMP pragma, else the first other one.
    /// </summary>
    private (PragmaKind Kind, string Text) PragmaBefore(int forIndex)
    {
        var k = doc.TokenAt(forIndex) - 1;
        var found = (Kind: PragmaKind.None, Text: string.Empty);
        while (k >= 0)
        {
            var token = doc.Tokens[k];
            string? body;
            if (token.Kind == TokenKind.Directive)
            {
                var text = doc.TextOf(token);
                // `#line`, and the conditionals around a pragma (`#ifdef _OPENMP` / `#pragma omp …` / `#endif`): the
                // pragma applies to the loop whichever branch the parse took, so it must be seen either way.
                if (SourceDocument.ParseLineDirective(text) is not null || IsConditional(text))
                {
                    k--;
                    continue;
                }
                body = PragmaBody(text);
                k--;
            }
            else if (k >= 3 && doc.TextOf(token) == ")" && doc.Tokens[k - 1].Kind == TokenKind.String &&
                     doc.TextOf(doc.Tokens[k - 2]) == "(" && doc.TextOf(doc.Tokens[k - 3]) == "_Pragma")
            {
                var literal = doc.TextOf(doc.Tokens[k - 1]);
                body = literal[(literal.IndexOf('"') + 1)..^1].Replace("\\\"", "\"").Replace(@"\\", @"\");
                k -= 4;
            }
            else
            {
                break;
            }
            if (body is null) break;
            var words = body.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            // A region marker applies to no statement: the loop after it takes a directive as if it were not there.
            if (IsRegionMarker(words)) continue;
            var shown = OneLine(string.Join(' ', words.Prepend("#pragma")));
            if (words.Length > 0 && words[0] == "omp") return (PragmaKind.OpenMP, shown);
            if (found.Kind == PragmaKind.None) found = (PragmaKind.Other, shown);
        }
        return found;
    }

    /// <summary>`#if`, `#ifdef`, `#ifndef`, `#elif…`, `#else`, `#endif`.</summary>
    internal static bool IsConditional(string directive) =>
        DirectiveWord(directive) is "if" or "ifdef" or "ifndef" or "elif" or "elifdef" or "elifndef" or "else" or "endif";

    /// <summary>The directive's name: `ifdef` of `#  ifdef X`.</summary>
    private static string DirectiveWord(string directive)
    {
        var s = directive.AsSpan(1).TrimStart(" \t");
        return s[..(s.IndexOfAny(" \t(\r\n") is var i and >= 0 ? i : s.Length)].ToString();
    }

    /// <summary>
    /// Pragmas that mark a region or set the compiler's warning state and bind to no statement: `scop`/`endscop` (the
    /// static control part of polyhedral tools, around PolyBench's kernels; compilers ignore them) and `GCC`/`clang
    /// diagnostic`. A loop pragma (`GCC ivdep`, `unroll`, `clang loop`) applies to the next loop, and is never one of these.
    /// </summary>
    private static bool IsRegionMarker(string[] words) =>
        words is ["scop" or "endscop"] || words is ["GCC" or "clang", "diagnostic", ..];

    /// <summary>The text after `#pragma` (continuation lines joined), or null for another directive.</summary>
    private static string? PragmaBody(string directive)
    {
        var s = directive.Replace("\\\r\n", " ").Replace("\\\n", " ").AsSpan(1).TrimStart(" \t");
        return s.StartsWith("pragma", StringComparison.Ordinal) && (s.Length == 6 || s[6] is ' ' or '\t')
            ? s[6..].Trim(" \t").ToString()
            : null;
    }

    /// <summary>Line of an OpenMP directive whose statement contains the loop (not merely precedes it), or null.</summary>
    private int? EnclosingOpenMPConstruct(int forIndex)
    {
        _openMPConstructs ??= OpenMPConstructs();
        foreach (var (start, end, line) in _openMPConstructs)
            if (start < forIndex && forIndex < end) return line;
        return null;
    }

    private List<(int Start, int End, int Line)> OpenMPConstructs()
    {
        var result = new List<(int, int, int)>();
        foreach (var t in doc.Tokens)
        {
            if (t.Kind != TokenKind.Directive || PragmaBody(doc.TextOf(t)) is not { } body) continue;
            var words = body.Split([' ', '\t', '('], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words[0] != "omp" || StandaloneOpenMP.Contains(words[1])) continue;
            if (words[1] == "target" && words.Length > 2 && words[2] is "enter" or "exit" or "update") continue;
            var first = doc.FirstCodeTokenAtOrAfter(t.End);
            var last = _parser.StatementEnd(first);
            if (last > first) result.Add((doc.Code[first].Start, doc.Code[last - 1].End, doc.LineOf(t.Start)));
        }
        return result;
    }

    /// <summary>
    /// Whether the loop is the body of an `if`/`else`/`while`/`for`/`do`/label without braces — then a pragma
    /// before it must come with braces — or a reason to leave it alone when its context is not understood.
    /// </summary>
    private (bool Wrap, string? Skip, string? Previous) NeedsBraces(int forIndex)
    {
        var k = doc.TokenAt(forIndex) - 1;
        var acrossDirectives = false;
        while (k >= 0 && doc.Tokens[k].Kind == TokenKind.Directive)
        {
            acrossDirectives |= !BindsToNoStatement(doc.TextOf(doc.Tokens[k]));
            k--;
        }
        var previous = k >= 0 ? doc.TextOf(doc.Tokens[k]) : null;
        switch (previous)
        {
            case null or ";" or "{" or "}":
                return (false, null, previous);
            case ")" or "else" or "do" or ":":
            case not null when doc.Tokens[k].Kind == TokenKind.Identifier:
                // `)` or a name may also end a statement-like macro call (`FOO(x) for …`, `END for …`), or a macro
                // may expand to a loop header (`FOREACH(x) for …`): braces around the loop are right either way.
                return acrossDirectives
                    ? (false, $"the loop is the body of a statement without braces (it follows `{previous}`) and preprocessor lines stand between them", previous)
                    : (true, null, previous);
            default:
                return (false, $"the `for` keyword follows `{previous}`, which ParaSlm does not know how to put a pragma after", previous);
        }
    }

    /// <summary>
    /// Directive lines the braces of an unbraced loop body may stand after: `#line`, a conditional (`#ifdef X` / `#endif`,
    /// HPCCG's ddot with its pragma taken out) and `#define`/`#undef` bind to no statement, so `if (c) #ifdef X #endif {
    /// #pragma … for … }` keeps the loop the body of `c` in every configuration, as long as the braces themselves pair
    /// inside one conditional branch (checked in <see cref="Plan"/> on the loop's text). Any other directive (a
    /// `#pragma` that binds to the loop, an `#include`) still leaves the loop alone.
    /// </summary>
    private static bool BindsToNoStatement(string directive)
    {
        if (SourceDocument.ParseLineDirective(directive) is not null || IsConditional(directive)) return true;
        return DirectiveWord(directive) is "define" or "undef";
    }

    /// <summary>Where a statement ends: a loop's `for` at <paramref name="forIndex"/>, libclang's end at <paramref name="endOffset"/>
    /// (a byte offset); null where the text does not tell (a team release then is not placed after it).</summary>
    internal int? StatementEndAt(int forIndex, int endOffset) =>
        doc.IndexOfByteOffset(endOffset) is { } clangEnd && clangEnd > forIndex ? StatementEnd(forIndex, clangEnd) : null;

    /// <summary>
    /// Where the loop statement really ends (char index after its last token). libclang's extent ends after the
    /// last token it attributes to the statement: for a compound body that is the `}`, for a simple body it is
    /// before the final `;`, and when that last token comes from a macro argument it is the start of the macro
    /// call (`a[i] = ID(x);` ends at `ID`). The statement's shape decides; the extent must agree with it.
    /// </summary>
    private int? StatementEnd(int forIndex, int clangEnd)
    {
        var code = doc.Code;
        var first = doc.CodeTokenAt(forIndex);
        var last = _parser.StatementEnd(first);
        if (last <= first) return null;
        var structural = code[last - 1].End;

        var fromClang = clangEnd;
        var k = doc.FirstCodeTokenAtOrAfter(clangEnd);
        if (k + 1 < code.Length && code[k].Start == clangEnd && code[k].Kind == TokenKind.Identifier && doc.TextOf(code[k + 1]) == "(")
        {
            var close = _parser.MatchingClose(k + 1);
            if (close < 0) return null;
            fromClang = code[close].End;
            k = close + 1;
        }
        // A `;` right after the extent ends a simple body; after a compound body it is an empty statement of its own.
        var withSemicolon = k < code.Length && doc.TextOf(code[k]) == ";" ? code[k].End : fromClang;
        return structural == fromClang || structural == withSemicolon ? structural : null;
    }

    /// <summary>A label (goto target) in the statement, or a `case` of a switch outside it; null when there is none.</summary>
    private string? FindLabel(int forIndex, int end)
    {
        var code = doc.Code;
        var first = doc.CodeTokenAt(forIndex);
        var last = doc.FirstCodeTokenAtOrAfter(end);
        var hasSwitch = false;
        for (var k = first; k < last; k++) hasSwitch |= doc.TextOf(code[k]) == "switch";
        for (var k = first + 1; k < last; k++)
        {
            if (code[k].Kind != TokenKind.Identifier) continue;
            var word = doc.TextOf(code[k]);
            if (word is "case" or "default")
            {
                if (!hasSwitch && k + 1 < last && (word == "case" || doc.TextOf(code[k + 1]) == ":")) return word;
                continue;
            }
            if (word is "public" or "private" or "protected" || k + 1 >= last || doc.TextOf(code[k + 1]) != ":") continue;
            // `c ? x : y`, bit-fields and range-for declarations put other tokens before the identifier.
            if (doc.TextOf(code[k - 1]) is "{" or "}" or ";" or ")" or ":" or "else" or "do") return word;
        }
        return null;
    }
}
