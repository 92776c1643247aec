using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Proves <see cref="SiblingFusion"/> for two adjacent sibling nests.
/// <para>Shape: the first nest N1 = `for (i) for (j) { R }` and the second N2 = `for (k) for (l) { C }`, both perfect 2-deep nests
/// of canonical headers (+1, `&lt;`/`&lt;=`) over integer counters at least as wide as `int`, statements in one compound with
/// nothing between them; R and C assignments only (no call, declaration, `if`, exit, label, user pragma or preprocessor
/// line); the only scalars written are the four counters, each dead after N2 where declared outside its header, never
/// address-taken; N2 names none of N1's counters but its own, and N1 none of N2's. The bounds are the same texts, reading no
/// memory and nothing either nest writes: (k, l) run (j, i)'s ranges (N2 <em>transposed</em>: k walks the fused `j`, l the fused
/// `i`) or (i, j)'s (N2 <em>direct</em>: k walks `i`, l walks `j`); write R2 for N2's counter on `i` and C2 for its counter on `j`,
/// each of the type of the counter it stands for.</para>
/// <para>Row group: N1's outer loop carries nothing (the analyzer's parallel verdict, no reduction) and R's targets are chains in
/// accumulators (<see cref="JamAccumulating"/>, `i` as the jammed counter). Column group: for every base N2 writes, every
/// access to it in N2 has affine subscripts naming no R2, and every pair of them (one a write) is independent or equal at
/// C2's level (`C2`'s one-level test, the other counter free or equal): each element of such a base is touched only by
/// instances of one value of C2, and among those by every R2, in R2's order (N2's order restricted to one C2 value runs
/// R2 ascending whether R2 is N2's inner loop or its outer one). Hence N2 run with its loops interchanged (where transposed)
/// gives every element the same operations in the same order: the interchange is legal (every dependence of N2 has `=` at C2,
/// so no direction vector (&lt;, &gt;) exists).</para>
/// <para>Between the nests: no base that one nest writes is accessed by the other (bases by identity; distinct bases that could
/// be the same memory are separated by the run-time check over both nests, <see cref="LoopJudge.FusionOverlapCheck"/>). Then no
/// instance of N1 depends on an instance of N2 or the reverse, and running them fused — any interleaving that keeps each
/// nest's own dependences — gives the results of N1 then N2. This is stronger than fusion legality in general (a read of
/// N1's result at the same or an earlier fused iteration would be legal too), and exactly condition (a) of
/// <see cref="RowColumnPipelining"/>'s theorem.</para>
/// <para>Theorem. Under these conditions the fused nest `for (i) for (j) { R; C[k := j, l := i] }` (transposed) or
/// `{ R; C[k := i, l := j] }` (direct) is exactly the shape <see cref="RowColumnPipelining"/> proves (R a row group that `i`
/// does not carry, C a column group carried by `i` only on the same element of `j`, no base crossing the groups, no statement
/// outside `j`): its pipeline gives every element the same operations on the same values in the same order as N1 then N2,
/// bit-identical where the accumulators round like the elements and contraction is the same in both shapes (the gate).</para>
/// <para>Cost: fused only where an array N1 and N2 both read in their inner loops is swept by both (mvt's `A`): one pass over it
/// instead of two (PolyBench mvt EXTRALARGE, 2 threads, by hand: 6.3–6.6 ms against 12.5 ms as two nests, Polly 9.3 ms).</para>
/// </summary>
public static class SiblingFusing
{
    /// <summary>The facts with <see cref="LoopFacts.Fusion"/> on each first nest it applies to, and <see cref="LoopFacts.FusionBlocker"/>
    /// on each first nest of two adjacent 2-deep nests (or of a 2-deep nest followed, past other statements, by one) it does not.</summary>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, Func<LoopInfo, LoopInfo, (string? Check, string? Blocker)> overlapCheck)
    {
        var byId = new Dictionary<string, LoopFacts>(StringComparer.Ordinal);
        foreach (var f in facts) byId.TryAdd(f.Id, f);
        var byNode = new Dictionary<SyntaxNode, LoopInfo>(ReferenceEqualityComparer.Instance);
        foreach (var l in loops) byNode.TryAdd(l.Node, l);
        var documents = new SourceDocuments();
        var result = facts.ToList();
        foreach (var loop in loops)
        {
            var at = result.FindIndex(f => f.Id == loop.Id);
            if (at < 0 || !TwoDeep(loop) || Sibling(loop, byNode) is not var (second, between) || !TwoDeep(second)) continue;
            if (!byId.TryGetValue(second.Id, out var secondFacts)) continue;
            var (root, doc) = documents.For(loop);
            var (form, why) = between is { } s ? (null, $"a statement (line {s.Span.Line}) sits between this nest and the nest at line {second.Line}")
                : doc is null ? (null, "the source text is not available")
                : Recognize(loop, result[at], second, secondFacts, byId, levelTester, overlapCheck, root, doc);
            result[at] = form is not null ? result[at] with { Fusion = form } : result[at] with { FusionBlocker = why };
        }
        return result;
    }

    /// <summary>`for (…) for (…) body`: one inner loop with no loop inside, the outer body holding it alone.</summary>
    private static bool TwoDeep(LoopInfo l) =>
        !l.IsRangeFor && l.Node.For is not null && l.Children is [var inner] && inner.Children.Count == 0 && !inner.IsRangeFor && inner.Node.For is not null &&
        NestSyntax.SingleStatement(l.Body, inner.Node);

    /// <summary>The next `for` statement after the loop in its compound, and the first statement between them (null: none).</summary>
    private static (LoopInfo Second, SyntaxNode? Between)? Sibling(LoopInfo loop, IReadOnlyDictionary<SyntaxNode, LoopInfo> byNode)
    {
        if (loop.Node.Parent is not { Kind: NodeKind.Compound } block) return null;
        var statements = block.Children;
        var at = -1;
        for (var n = 0; n < statements.Count; n++) if (ReferenceEquals(statements[n], loop.Node)) at = n;
        if (at < 0) return null;
        SyntaxNode? between = null;
        for (var n = at + 1; n < statements.Count; n++)
        {
            var s = statements[n];
            if (s.Kind == NodeKind.For && byNode.TryGetValue(s, out var next)) return (next, between);
            if (s.Kind != NodeKind.Null) between ??= s;
            // Only the nearest following nest is a candidate: a loop of another kind ends the search.
            if (s.DescendantsAndSelf().Any(d => d.Kind is NodeKind.For or NodeKind.While or NodeKind.Do or NodeKind.RangeFor)) return null;
        }
        return null;
    }

    internal static (SiblingFusion? Form, string? Blocker) Recognize(LoopInfo first, LoopFacts f1, LoopInfo second, LoopFacts f2, IReadOnlyDictionary<string, LoopFacts> byId,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, Func<LoopInfo, LoopInfo, (string? Check, string? Blocker)> overlapCheck,
        SyntaxNode root, SourceDocument doc)
    {
        if (f1.HasOpenMPDirective || f2.HasOpenMPDirective || byId.TryGetValue(first.Children[0].Id, out var i1) && i1.HasOpenMPDirective ||
            byId.TryGetValue(second.Children[0].Id, out var i2) && i2.HasOpenMPDirective)
            return (null, "a nest carries the user's own OpenMP directive");
        for (var p = first.Parent; p is not null; p = p.Parent)
            if (byId.TryGetValue(p.Id, out var pf) && pf.Parallelizable) return (null, "the nests sit inside a loop that runs in parallel");
        if (!NestSyntax.PlainParallel(f1) || f1.LastPrivate.Count > 0)
            return (null, "the first nest's outer loop is not parallel without a reduction (its statements are not a row group)");
        foreach (var nest in new[] { first, second })
        {
            if (!NestSyntax.FreeOfPreprocessorLines(root, nest.Node)) return (null, $"the nest at line {nest.Line} holds a preprocessor line or pragma");
            var nodes = nest.Node.DescendantsAndSelf().ToList();
            if (nodes.FirstOrDefault(d => d.Kind == NodeKind.Call) is { } call)
                return (null, $"the nest at line {nest.Line} calls a function (line {call.Span.Line}): a call's effects are not reordered");
            if (nodes.FirstOrDefault(d => d.Kind is NodeKind.Break or NodeKind.Continue or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or
                    NodeKind.Label or NodeKind.Throw or NodeKind.Try) is { } exit)
                return (null, $"the nest at line {nest.Line} leaves or jumps inside its body (line {exit.Span.Line})");
            if (nodes.FirstOrDefault(d => d.Kind == NodeKind.DeclStmt && !(d.Parent is { Kind: NodeKind.For, For: { } f } && ReferenceEquals(f.Init, d))) is { } decl)
                return (null, $"the nest at line {nest.Line} declares a variable (line {decl.Span.Line})");
            if (nodes.FirstOrDefault(d => d.Kind is NodeKind.Asm or NodeKind.While or NodeKind.Do or NodeKind.Switch or NodeKind.If or NodeKind.Conditional or
                    NodeKind.StmtExpr or NodeKind.Lambda or NodeKind.New or NodeKind.Delete or NodeKind.OpenMPDirective or NodeKind.RangeFor) is { } other)
                return (null, $"the nest at line {nest.Line} holds a `{other.Kind}` (line {other.Span.Line}): only assignments are fused");
            if (NestSyntax.Text(root, nest.Node.Span.Offset, nest.Node.Span.EndOffset) is not { } text || text.Contains("paraslm_", StringComparison.Ordinal))
                return (null, $"the nest at line {nest.Line} names a generated identifier");
        }
        var (inner1, inner2) = (first.Children[0], second.Children[0]);
        if (MatmulRecognizer.Header(first) is not { } hi || MatmulRecognizer.Header(inner1) is not { } hj ||
            MatmulRecognizer.Header(second) is not { } hk || MatmulRecognizer.Header(inner2) is not { } hl)
            return (null, "a header is not `for (c = lo; c < hi; c++)`");
        var (i, j, k, l) = (hi.Counter, hj.Counter, hk.Counter, hl.Counter);
        foreach (var c in new[] { i, j, k, l })
        {
            var t = c.Type;
            if (!t.IsIntegral || t.Shape != TypeShape.Scalar || t.IsReference || t.IsAnyVolatile || t.IsAnyAtomic || MatmulRecognizer.ElementSize(t) < 4 ||
                t.Spelling.IndexOfAny(['(', '[', '&']) >= 0 || t.Spelling.Contains("auto", StringComparison.Ordinal) || t.Spelling.Contains("decltype", StringComparison.Ordinal))
                return (null, $"the counter `{c.Name}` is not an integer at least as wide as `int`");
        }
        if (i.Key == j.Key || k.Key == l.Key) return (null, "a nest's two loops share a counter");
        var counterKeys = new HashSet<string>(new[] { i.Key, j.Key, k.Key, l.Key }, StringComparer.Ordinal);

        // Statements: assignments in the inner bodies.
        var rowStatements = (NestSyntax.Statements(inner1.Body) ?? []).Where(s => s.Kind != NodeKind.Null).ToList();
        var columnStatements = (NestSyntax.Statements(inner2.Body) ?? []).Where(s => s.Kind != NodeKind.Null).ToList();
        if (rowStatements.Count == 0 || columnStatements.Count == 0) return (null, "a nest's body is empty");
        if (rowStatements.Concat(columnStatements).FirstOrDefault(s => !NestSyntax.IsAssignment(s)) is { } notAssign)
            return (null, $"line {notAssign.Span.Line} is not an assignment");

        // Scalars: only the counters are written, by their headers; counters declared outside are dead after the second nest.
        foreach (var nest in new[] { first, second })
            foreach (var w in NestSyntax.Writes(nest.Node))
                if (w.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } s } && !counterKeys.Contains(s.Key))
                    return (null, $"the scalar `{s.Name}` is written (line {w.Span.Line}): a scalar would be carried between the nests");
        foreach (var s in rowStatements.Concat(columnStatements))
            if (NestSyntax.Writes(s).Select(w => w.StripParensAndCasts()).Any(w => w is { Kind: NodeKind.DeclRef, Decl: { } d } && counterKeys.Contains(d.Key)))
                return (null, $"line {s.Span.Line} writes a loop counter");
        foreach (var (nest, counter) in new[] { (first, i), (inner1, j), (second, k), (inner2, l) })
        {
            if (nest.CanonicalHeader!.DeclaredInHeader) continue;
            if (counter.IsGlobalStorage || Liveness.IsLiveAfter(second, counter)) return (null, $"the counter `{counter.Name}` is read after the nests");
        }
        foreach (var n in first.Node.DescendantsAndSelf().Concat(second.Node.DescendantsAndSelf()))
            if (n.Kind == NodeKind.DeclRef && n.Decl is { } d && counterKeys.Contains(d.Key) && NestSyntax.AddressOrCall(n))
                return (null, "a counter's address is taken or it is passed to a call");
        var firstKeys = new HashSet<string>(new[] { i.Key, j.Key }, StringComparer.Ordinal);
        var secondKeys = new HashSet<string>(new[] { k.Key, l.Key }, StringComparer.Ordinal);
        if (second.Node.DescendantsAndSelf().FirstOrDefault(n => n.Kind == NodeKind.DeclRef && n.Decl is { } d && firstKeys.Contains(d.Key) && !secondKeys.Contains(d.Key)) is { } reads1)
            return (null, $"the second nest reads the first nest's counter `{reads1.Decl!.Name}` (line {reads1.Span.Line})");
        if (first.Node.DescendantsAndSelf().FirstOrDefault(n => n.Kind == NodeKind.DeclRef && n.Decl is { } d && secondKeys.Contains(d.Key) && !firstKeys.Contains(d.Key)) is { } reads2)
            return (null, $"the first nest reads the second nest's counter `{reads2.Decl!.Name}` (line {reads2.Span.Line})");

        // Bounds: the same texts, invariant (no memory, nothing either nest writes, no counter).
        string? Bound(MatmulRecognizer.Canonical h) => NestSyntax.Expression(root, h.Bound) ?? NestSyntax.AfterOperator(root, h.Left.Span.EndOffset, h.Inclusive ? "<=" : "<");
        var texts = new List<(string Low, string End)>();
        foreach (var h in new[] { hi, hj, hk, hl })
        {
            if (!NestSyntax.InvariantBound(h.Low, counterKeys) || !NestSyntax.InvariantBound(h.Bound, counterKeys))
                return (null, "a bound reads memory, a counter or something the nests write");
            if (NestSyntax.Expression(root, h.Low) is not { } lowText || Bound(h) is not { } boundText) return (null, "a bound cannot be copied as text");
            texts.Add((Squeeze(lowText), (h.Inclusive ? "<=" : "<") + Squeeze(boundText)));
        }
        var transposable = texts[2] == texts[1] && texts[3] == texts[0];
        var direct = texts[2] == texts[0] && texts[3] == texts[1];
        if (!transposable && !direct)
            return (null, $"the nests run different iterations: `{first.Line}`'s bounds are not those of the nest at line {second.Line}, in either order");
        // The accesses at each level.
        if (levelTester(first) is not var (body1, tester1)) return (null, "the first nest has an access the dependence tests cannot follow");
        if (levelTester(second) is not var (body2, tester2) || levelTester(inner2) is not var (innerBody2, innerTester2))
            return (null, "the second nest has an access the dependence tests cannot follow");
        foreach (var a in body1.Accesses.Concat(body2.Accesses))
        {
            if (a.UnknownExtent) return (null, $"`{a.Text}` has an extent the analysis cannot bound");
            if (a.IsWrite && a.Base.Kind == BaseKind.LoadedPointer) return (null, $"`{a.Text}` writes through a pointer loaded from memory");
        }

        // Between the nests: no base one writes is accessed by the other.
        var written1 = body1.Accesses.Where(a => a.IsWrite).Select(a => a.Base.Key).ToHashSet(StringComparer.Ordinal);
        var written2 = body2.Accesses.Where(a => a.IsWrite).Select(a => a.Base.Key).ToHashSet(StringComparer.Ordinal);
        // A read of what the first nest writes is allowed only in the column-strip form, at the element the same fused iteration wrote (below).
        var crossing = body2.Accesses.Where(a => written1.Contains(a.Base.Key)).ToList();
        static string Reaches(MemoryAccess reaches) =>
            $"`{reaches.Text}` (line {reaches.Line}) in the second nest reaches `{reaches.Base.Text}`, which the first nest writes: fused, an instance of the second nest " +
            "could run before the instance of the first that it depends on (fusion-preventing unless it reads the element the same fused iteration wrote, in a first nest without row chains)";
        if (body1.Accesses.FirstOrDefault(a => written2.Contains(a.Base.Key)) is { } back)
            return (null, $"`{back.Text}` (line {back.Line}) in the first nest reaches `{back.Base.Text}`, which the second nest writes: fused, the second nest's write could come first");

        // The column group: which of N2's counters walks the fused `j`.
        string? ColumnBlocker(DeclInfo c2, DeclInfo r2, DependenceTester c2Tester, IReadOnlyList<MemoryAccess> c2Accesses, bool c2Outer)
        {
            if (c2.Type.Spelling != j.Type.Spelling || r2.Type.Spelling != i.Type.Spelling)
                return $"`{c2.Name}` and `{r2.Name}` are not of the types of `{j.Name}` and `{i.Name}`";
            var r2Symbol = (c2Outer ? inner2 : second).CanonicalHeader!.Symbol;
            var map = new Dictionary<(SyntaxNode, bool, bool), MemoryAccess>();
            foreach (var a in c2Accesses) map.TryAdd((a.Node, a.IsRead, a.IsWrite), a);
            var written = body2.Accesses.Where(a => a.IsWrite).Select(a => a.Base.Key).ToHashSet(StringComparer.Ordinal);
            var list = body2.Accesses.Where(a => written.Contains(a.Base.Key)).ToList();
            if (list.FirstOrDefault(a => !NestSyntax.FreeOf(a, r2Symbol)) is { } named)
                return $"`{named.Text}` (line {named.Line}) names `{r2.Name}`: its element is not a column sum over the rows";
            foreach (var x in list)
                foreach (var y in list)
                {
                    if (x.Base.Key != y.Base.Key || !(x.IsWrite || y.IsWrite)) continue;
                    if (!map.TryGetValue((x.Node, x.IsRead, x.IsWrite), out var ax) || !map.TryGetValue((y.Node, y.IsRead, y.IsWrite), out var ay))
                        return $"`{x.Text}` is not followed at the level of `{c2.Name}`";
                    var r = c2Tester.Test(ax, ay);
                    if (r.Kind is not (DependenceKind.Independent or DependenceKind.LoopIndependent))
                        return $"`{x.Text}` and `{y.Text}` (line {x.Line}) meet at different iterations of `{c2.Name}` (direction {r.Direction})";
                }
            return null;
        }
        bool? mapped = null;
        string? columnWhy = null;
        if (transposable && (columnWhy = ColumnBlocker(k, l, tester2, body2.Accesses.ToList(), c2Outer: true)) is null) mapped = true;
        if (mapped is null && direct)
        {
            var directWhy = ColumnBlocker(l, k, innerTester2, innerBody2.Accesses.ToList(), c2Outer: false);
            if (directWhy is null) mapped = false;
            else columnWhy ??= directWhy;
        }
        if (mapped is not { } transposed)
            return (null, transposable ? $"interchanging the second nest is not proven legal (nor is it a column group as written): {columnWhy}"
                : $"the second nest is not a column group over the first nest's rows: {columnWhy}");
        var (c2, r2) = transposed ? (k, l) : (l, k);

        // The copies: N1's statements with `i` replaced per row, N2's with R2 replaced per row and C2 by `j` (the strip's counter).
        if (columnStatements.SelectMany(s => s.DescendantsAndSelf()).FirstOrDefault(n => n.Kind == NodeKind.DeclRef && n.Decl is { } d && d.Name == j.Name && d.Key != c2.Key && d.Key != r2.Key) is { } captured)
            return (null, $"the second nest names another `{captured.Decl!.Name}` (line {captured.Span.Line}), which the fused `{j.Name}` would hide");
        string? RowCopy(SyntaxNode stmt, int u) =>
            NestSyntax.CopyReplacing(doc, root, stmt, new Dictionary<string, (DeclInfo, string)>(StringComparer.Ordinal) { [i.Key] = (i, RowColumnPipeline.RowOf(i.Name, u)) });
        var rows = crossing.Count == 0 ? JamAccumulating.Prove(first, i, inner1.Node, rowStatements, body1.Accesses.ToList(), RowCopy, RowColumnPipeline.Factor) : null;
        List<CopiedLine>? stripBody = null;
        IReadOnlyCollection<string> innerAssumptions = [];
        if (rows is null)
        {
            // Element-wise: neither of the first nest's loops carries anything, so its instances commute; the second nest reads
            // what it writes only at the element the same fused iteration wrote (the write is injective: (i, j) parallel at both levels).
            if (!byId.TryGetValue(inner1.Id, out var innerFacts) || !NestSyntax.PlainParallel(innerFacts) || innerFacts.LastPrivate.Count > 0)
                return (null, crossing.Count > 0 ? Reaches(crossing[0])
                    : "the first nest's statements are not chains on elements it alone names (a row group in accumulators), nor element-wise (its inner loop carries a dependence)");
            // The inner loop's verdict may hold only under its dependence tests' assumptions on the subscripts: they version the fused
            // form too (its overlap part is the fusion's own check, over both nests' whole extents).
            if (levelTester(inner1) is not var (_, innerTester1)) return (null, "the first nest's inner loop has an access the dependence tests cannot follow");
            innerAssumptions = innerTester1.Assumptions;
            var rename = new Dictionary<string, string>(StringComparer.Ordinal) { [c2.Key] = j.Key, [r2.Key] = i.Key };
            foreach (var y in crossing)
            {
                var own = body1.Accesses.Where(a => a.Base.Key == y.Base.Key).ToList();
                if (y.IsWrite || own.Any(a => !SameRenamed(a.Node, own[0].Node, null)) || !SameRenamed(y.Node, own[0].Node, rename)) return (null, Reaches(y));
            }
            stripBody = [];
            foreach (var st in rowStatements)
            {
                if (NestSyntax.CopyReplacing(doc, root, st, new Dictionary<string, (DeclInfo, string)>(StringComparer.Ordinal) { [i.Key] = (i, ColumnStrips.RowOf(i.Name)) }) is not { } code)
                    return (null, $"the statement at line {st.Span.Line} cannot be copied as text");
                stripBody.Add(new CopiedLine(st.Span.Line, code));
            }
            foreach (var st in columnStatements)
            {
                if (NestSyntax.CopyReplacing(doc, root, st, new Dictionary<string, (DeclInfo, string)>(StringComparer.Ordinal) { [r2.Key] = (r2, ColumnStrips.RowOf(i.Name)), [c2.Key] = (c2, j.Name) }) is not { } code)
                    return (null, $"the statement at line {st.Span.Line} cannot be copied as text");
                stripBody.Add(new CopiedLine(st.Span.Line, code));
            }
        }
        var columns = new List<IReadOnlyList<CopiedLine>>();
        var pre = new List<IReadOnlyList<CopiedLine>>();
        for (var u = 0; u < RowColumnPipeline.Factor; u++)
        {
            var copies = new List<CopiedLine>();
            foreach (var s in columnStatements)
            {
                var replace = new Dictionary<string, (DeclInfo, string)>(StringComparer.Ordinal)
                    { [r2.Key] = (r2, RowColumnPipeline.RowOf(i.Name, u)), [c2.Key] = (c2, j.Name) };
                if (NestSyntax.CopyReplacing(doc, root, s, replace) is not { } code) return (null, $"the statement at line {s.Span.Line} cannot be copied as text");
                copies.Add(new CopiedLine(s.Span.Line, code));
            }
            columns.Add(copies);
            pre.Add([]);
        }

        // Cost: an array both nests read in their inner loops, moving with them: one pass instead of two.
        var sweeps1 = body1.Accesses.Where(a => a.IsRead && inner1.Body!.Span.Contains(a.Node.Span) && !NestSyntax.FreeOf(a, inner1.CanonicalHeader!.Symbol)).Select(a => a.Base.Key).ToHashSet(StringComparer.Ordinal);
        if (body2.Accesses.FirstOrDefault(a => a.IsRead && sweeps1.Contains(a.Base.Key)) is not { } shared)
            return (null, "cost: the nests share no array their inner loops sweep (fused, no read would be saved)");
        var swept = body1.Accesses.First(a => a.IsRead && a.Base.Key == shared.Base.Key && inner1.Body!.Span.Contains(a.Node.Span));

        // Different bases: none may overlap another (the run-time check over both nests), and each test's assumption holds.
        var (check, noCheck) = overlapCheck(first, second);
        if (noCheck is not null) return (null, noCheck);
        var conditions = new List<string>();
        if (check is not null) conditions.Add(check);
        foreach (var a in tester1.Assumptions.Concat(innerAssumptions).Concat(tester2.Assumptions).Concat(innerTester2.Assumptions).ToList())
        {
            if (!conditions.Contains(a)) conditions.Add(a);
        }
        // Every condition is tested once before the nests: none may name a counter.
        foreach (var c in conditions)
            if (new[] { i, j, k, l }.Any(v => System.Text.RegularExpressions.Regex.IsMatch(c, $@"\b{System.Text.RegularExpressions.Regex.Escape(v.Name)}\b")))
                return (null, $"a run-time condition of the proof (`{c}`) names a counter");
        var overlap = conditions.Count == 0 ? null : string.Join(" && ", conditions.Select(c => conditions.Count > 1 ? $"({c})" : c));

        var low = NestSyntax.Expression(root, hi.Low)!;
        var bound = Bound(hi)!;
        var innerLow = NestSyntax.Expression(root, hj.Low)!;
        var innerBound = Bound(hj)!;
        var align = columnStatements.Select(StripAlignment.ElementsPerLine).Min();
        var floating = body1.Accesses.Concat(body2.Accesses).Any(a => a.IsWrite && a.Node.Type.IsFloatingPoint) || rows?.FloatingPoint == true;
        var interchange = transposed ? $"interchanged: its `{k.Name}` walks `{j.Name}`, its `{l.Name}` walks `{i.Name}`" : "in its own order";
        var columnsInOrder = $"each element the second nest writes is a sum over its rows in their order (every dependence of the second nest is at one `{c2.Name}`{(transposed ? ", so the interchange is legal" : string.Empty)})";
        if (rows is null)
        {
            var strips = new ColumnStrips(i.Name, i.Type.Spelling, low, hi.Inclusive ? $"({bound}) + 1" : bound,
                j.Name, j.Type.Spelling, innerLow, hj.Inclusive ? $"({innerBound}) + 1" : innerBound, align, stripBody!, first.Line, inner1.Line, floating)
            {
                Evidence = $"thread c owns strip c of `{j.Name}` (aligned to {align} elements) and walks every row over it; no thread waits for another",
            };
            var stripEvidence = $"the nest at line {second.Line} runs fused into this one ({interchange}): `{swept.Text}` is read once instead of twice; " +
                                $"neither of this nest's loops carries anything, {(crossing.Count > 0 ? $"the second nest reads {string.Join(", ", crossing.Select(c => $"`{c.Text}`").Distinct())} only at the element the same fused iteration wrote, " : string.Empty)}" +
                                $"and {columnsInOrder}; as column strips: " + strips.Evidence;
            return (new SiblingFusion(second.Id, second.Line, f2.StartOffset, f2.EndOffset, transposed, null, overlap) { Strips = strips, Evidence = stripEvidence }, null);
        }
        var pipeline = new RowColumnPipeline(i.Name, i.Type.Spelling, low, hi.Inclusive ? $"({bound}) + 1" : bound,
            j.Name, j.Type.Spelling, innerLow, hj.Inclusive ? $"({innerBound}) + 1" : innerBound, align, pre, rows, columns, first.Line, inner1.Line, floating)
        {
            Evidence = $"thread c owns strip c of `{j.Name}` (aligned to {align} elements) and runs each block of {RowColumnPipeline.Block} rows after strip c - 1 finished it, " +
                       $"so {string.Join(", ", rows.Elements.Select(e => $"`{e}`"))} get their terms in `{j.Name}` order ({RowColumnPipeline.Factor} rows in accumulators) " +
                       "and each element of the second nest all its rows in order on one thread",
        };
        var evidence = $"the nest at line {second.Line} runs fused into this one ({interchange}): " +
                       $"`{swept.Text}` is read once instead of twice; the nests share no written base, this nest's `{i.Name}` carries nothing, and {columnsInOrder}; one pass over the rows: " + pipeline.Evidence;
        return (new SiblingFusion(second.Id, second.Line, f2.StartOffset, f2.EndOffset, transposed, pipeline, overlap) { Evidence = evidence }, null);
    }

    /// <summary>Structural equality with the second nest's counters read as the first nest's (<paramref name="rename"/>: key to key).</summary>
    private static bool SameRenamed(SyntaxNode a, SyntaxNode b, IReadOnlyDictionary<string, string>? rename)
    {
        a = a.StripParensAndCasts();
        b = b.StripParensAndCasts();
        if (a.Kind != b.Kind || a.BinaryOp != b.BinaryOp || a.UnaryOp != b.UnaryOp || a.IntValue != b.IntValue || a.Children.Count != b.Children.Count) return false;
        var key = a.Decl?.Key is { } k && rename is not null && rename.TryGetValue(k, out var to) ? to : a.Decl?.Key;
        if (a.Kind is NodeKind.DeclRef or NodeKind.MemberRef or NodeKind.Call && key != b.Decl?.Key) return false;
        if (a.Kind is NodeKind.FloatLiteral or NodeKind.StringLiteral or NodeKind.Call or NodeKind.MemberRef && SourceText.Of(a) != SourceText.Of(b)) return false;
        if (a.Kind is not (NodeKind.Subscript or NodeKind.DeclRef or NodeKind.IntLiteral or NodeKind.Binary or NodeKind.Unary or NodeKind.Paren or NodeKind.Cast or NodeKind.Unexposed)) return false;
        for (var n = 0; n < a.Children.Count; n++)
            if (!SameRenamed(a.Children[n], b.Children[n], rename)) return false;
        return true;
    }

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

}
