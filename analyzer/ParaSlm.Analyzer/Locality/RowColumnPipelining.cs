using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Proves <see cref="RowColumnPipeline"/> for a loop <see cref="LoopDistributing"/> has distributed.
/// <para>Shape: the distribution's groups are <see cref="DistributedForm.ParallelLoop"/> (row groups, together R) and
/// <see cref="DistributedForm.WorksharedInner"/> (column groups, together C), at least one of each; `i`'s body is R's top-level
/// statements (before the one inner loop `j`, none after it) and `j`, whose statements belong to R or C; R's statements in `j` are chains in accumulators
/// (<see cref="JamAccumulating"/>'s conditions, with `i` in the role of the jammed counter); `i` and `j` are integers at least
/// as wide as `int`, never written in the body but by their headers, never address-taken; the top-level statements name no
/// `j`.</para>
/// <para>Theorem. (a) No base that one group writes is accessed by another (the distribution's run-time check separates
/// distinct bases), so no instance of one group depends on an instance of another, and their relative order is free.
/// (b) No row group carries anything at `i` (its form): instances of R for different `i` are independent, and for one `i` the form runs
/// them in the original order — the top-level statements first (strip 0 only), then `j` ascending, strip `c - 1` before strip
/// `c` (strip c reads c - 1's progress counter atomically, seq_cst, before block b), ascending inside a strip. (c) Each column group's dependences are all on one element of `j` (its
/// form); each `j` lies in one strip, run by one thread in row-block order, rows ascending in a block, copies ascending in one
/// `j` iteration: every element of C's gets its instances in the original `i` order. (d) The row chains in accumulators:
/// each element is named only by its own statements inside `j` (nothing in C reaches its base, by (a)), so loading it before
/// the strip's `j` loop and storing it after gives it the same operations on the same values (<see cref="JamAccumulating"/>);
/// four rows run in one `j` loop (distinct elements: R carries nothing at `i`). Hence every element receives the same
/// operations on the same values in the same order as in the loop as written: results are bit-identical where the
/// accumulators round like the elements (`PARASLM_EXACT_FP`) and contraction is the same in both shapes
/// (`PARASLM_SAME_CONTRACTION`).</para>
/// <para>Cost: chosen over the distributed form only where an array read by both groups' statements in `j` moves with `j`
/// (bicg's `A[i][j]`): the distributed form reads it twice from memory, this form once (PolyBench bicg EXTRALARGE, 2 threads,
/// by hand: 2.3 ms against 3.8–4.4 ms distributed; ARCHITECTURE.md "Row-column pipeline").</para>
/// </summary>
public static class RowColumnPipelining
{
    /// <summary>A statement of the distributed loop: its node, the inner loop it sits in (null: `i`'s body), its group.</summary>
    internal sealed record Unit(SyntaxNode Statement, LoopInfo? Inner, int Group);

    /// <summary>The fact, or why not (null fact).</summary>
    internal static (RowColumnPipeline? Pipeline, string? Why) Prove(LoopInfo loop, IReadOnlyList<LoopInfo> inners, IReadOnlyList<Unit> units,
        IReadOnlyList<DistributedForm> forms, IReadOnlyList<(MemoryAccess Access, int Group)> accesses, IReadOnlyList<MemoryAccess> bodyAccesses,
        SyntaxNode root, SourceDocument doc)
    {
        if (!forms.Contains(DistributedForm.ParallelLoop) || !forms.Contains(DistributedForm.WorksharedInner))
            return (null, "its groups are not row groups and column groups");
        if (inners is not [var inner] || inner.Body is null) return (null, "its body has more than one inner loop");
        bool IsRow(int group) => forms[group] == DistributedForm.ParallelLoop;
        if (MatmulRecognizer.Header(loop) is not { } hi || MatmulRecognizer.Header(inner) is not { } hj) return (null, "a header is not `for (c = lo; c < hi; c++)`");
        var counter = hi.Counter;
        var innerCounter = hj.Counter;
        foreach (var c in new[] { counter, innerCounter })
        {
            var t = c.Type;
            if (!t.IsIntegral || t.Shape != TypeShape.Scalar || t.IsReference || t.IsAnyVolatile || t.IsAnyAtomic || MatmulRecognizer.ElementSize(t) < 4 ||
                t.Spelling.IndexOfAny(['(', '[', '&']) >= 0 || t.Spelling.Contains("auto", StringComparison.Ordinal) || t.Spelling.Contains("decltype", StringComparison.Ordinal))
                return (null, $"the counter `{c.Name}` is not an integer at least as wide as `int`");
        }
        var body = loop.Body!;
        if (body.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && (d.Decl?.Key == counter.Key || d.Decl?.Key == innerCounter.Key) && NestSyntax.AddressOrCall(d)))
            return (null, "a counter's address is taken or it is passed to a call");
        if (NestSyntax.Text(root, loop.Node.Span.Offset, loop.Node.Span.EndOffset) is not { } loopText || loopText.Contains("paraslm_", StringComparison.Ordinal))
            return (null, "its text names a generated identifier");

        // The top-level statements: the row group's, before `j`, naming no `j`.
        var top = units.Where(u => u.Inner is null).ToList();
        if (top.Any(u => !IsRow(u.Group))) return (null, "a statement outside the inner loop belongs to a column group");
        if (top.Any(u => u.Statement.Span.Offset > inner.Node.Span.Offset)) return (null, "a statement follows the inner loop");
        if (top.Any(u => SyntaxEquality.Mentions(u.Statement, innerCounter.Key))) return (null, $"a statement outside the inner loop reads `{innerCounter.Name}`");

        // (a) No base crosses the groups.
        var writers = accesses.Where(a => a.Access.IsWrite).GroupBy(a => a.Access.Base.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => a.Group).ToHashSet(), StringComparer.Ordinal);
        if (accesses.FirstOrDefault(a => writers.TryGetValue(a.Access.Base.Key, out var w) && (w.Count > 1 || !w.Contains(a.Group))) is { Access: { } crossing })
            return (null, $"`{crossing.Text}` (line {crossing.Node.Span.Line}) reaches a base another group writes");

        // (d) The row chains in accumulators, four rows at a time.
        var rowStatements = units.Where(u => u.Inner is not null && IsRow(u.Group)).Select(u => u.Statement).ToList();
        var columnStatements = units.Where(u => u.Inner is not null && !IsRow(u.Group)).Select(u => u.Statement).ToList();
        if (rowStatements.Count == 0 || columnStatements.Count == 0) return (null, "the inner loop does not hold statements of both groups");
        string? Copy(SyntaxNode stmt, int u) =>
            NestSyntax.CopyReplacing(doc, root, stmt, new Dictionary<string, (DeclInfo, string)>(StringComparer.Ordinal) { [counter.Key] = (counter, RowColumnPipeline.RowOf(counter.Name, u)) });
        if (JamAccumulating.Prove(loop, counter, inner.Node, rowStatements, bodyAccesses, Copy, RowColumnPipeline.Factor) is not { } rows)
            return (null, "the row group's statements in the inner loop are not chains on elements it alone names");
        var pre = new List<IReadOnlyList<CopiedLine>>();
        var columns = new List<IReadOnlyList<CopiedLine>>();
        for (var u = 0; u < RowColumnPipeline.Factor; u++)
        {
            var p = new List<CopiedLine>();
            foreach (var s in top.Select(t => t.Statement))
            {
                if (Copy(s, u) is not { } code) return (null, $"the statement at line {s.Span.Line} cannot be copied as text");
                p.Add(new CopiedLine(s.Span.Line, code));
            }
            var c = new List<CopiedLine>();
            foreach (var s in columnStatements)
            {
                if (Copy(s, u) is not { } code) return (null, $"the statement at line {s.Span.Line} cannot be copied as text");
                c.Add(new CopiedLine(s.Span.Line, code));
            }
            pre.Add(p);
            columns.Add(c);
        }

        // Cost: an array both groups read in `j`, moving with `j`, is read once instead of twice.
        var swept = accesses.Where(a => a.Access.IsRead && inner.Body.Span.Contains(a.Access.Node.Span) && MovesWith(a.Access, inner.CanonicalHeader!.Symbol))
            .GroupBy(a => a.Access.Base.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Any(a => IsRow(a.Group)) && g.Any(a => !IsRow(a.Group)));
        if (swept is null) return (null, "cost: no array that both groups read moves with the inner loop (one pass would save no read)");

        var low = NestSyntax.Expression(root, hi.Low);
        var bound = NestSyntax.Expression(root, hi.Bound) ?? NestSyntax.AfterOperator(root, hi.Left.Span.EndOffset, hi.Inclusive ? "<=" : "<");
        var innerLow = NestSyntax.Expression(root, hj.Low);
        var innerBound = NestSyntax.Expression(root, hj.Bound) ?? NestSyntax.AfterOperator(root, hj.Left.Span.EndOffset, hj.Inclusive ? "<=" : "<");
        if (low is null || bound is null || innerLow is null || innerBound is null) return (null, "a bound cannot be copied as text");
        var align = columnStatements.Select(StripAlignment.ElementsPerLine).Min();
        var floating = accesses.Any(a => a.Access.IsWrite && a.Access.Node.Type.IsFloatingPoint) || rows.FloatingPoint;
        var sweptText = swept.First().Access.Text;
        var evidence = $"one pass over the rows instead of two: `{sweptText}` is read by both groups; thread c owns strip c of `{innerCounter.Name}` " +
                       $"(aligned to {align} elements) and runs each block of {RowColumnPipeline.Block} rows after strip c - 1 finished it (a progress counter per strip), so " +
                       $"{string.Join(", ", rows.Elements.Select(e => $"`{e}`"))} get{(rows.Elements.Count == 1 ? "s" : string.Empty)} {(rows.Elements.Count == 1 ? "its" : "their")} terms in `{innerCounter.Name}` order " +
                       $"({RowColumnPipeline.Factor} rows in accumulators at a time) and each element of the column group all its rows in `{counter.Name}` order on one thread; " +
                       "the groups share no written base";
        return (new RowColumnPipeline(counter.Name, counter.Type.Spelling, low, hi.Inclusive ? $"({bound}) + 1" : bound,
            innerCounter.Name, innerCounter.Type.Spelling, innerLow, hj.Inclusive ? $"({innerBound}) + 1" : innerBound, align,
            pre, rows, columns, loop.Line, inner.Line, floating) { Evidence = evidence }, null);
    }

    /// <summary>The access's subscripts name the counter (it walks along `j`).</summary>
    private static bool MovesWith(MemoryAccess a, Affine.Symbol counter) =>
        a.Subscripts.Any(s => s is null || s.Terms.Keys.Any(m => m.Factors.Any(f => f.Key == counter.Key || f.Dependencies.Contains(counter.Key))));
}
