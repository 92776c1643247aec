using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Proves <see cref="LoopDistribution"/> for a loop `i` the analyzer keeps serial.
/// <para>Shape: `i` is a canonical `for` (step +1, `&lt;`/`&lt;=`) whose compound body holds only assignment statements and
/// inner `for` loops whose bodies hold only assignment statements (no deeper loop, call, declaration, `if`, exit, label,
/// user pragma or preprocessor line); the inner headers read no memory and nothing the body writes, nor `i` (each runs
/// the same iterations in every iteration of `i`); the only scalars written are the counters, and a counter declared
/// outside its header is dead after `i`.</para>
/// <para>Units: each top-level statement, and each statement of an inner loop (the inner loop distributed too). Two units
/// that write the same base are one group; groups run in the order of their first unit.</para>
/// <para>Theorem. Let every pair of accesses x (group A) and y (a later group B) to one base, one of them a write, meet only
/// at instances where x's runs first in the original order: `i`'s test says independent, or `=` only with x's statement
/// before y's (or, within one inner loop, `j`'s test says independent, `=` with x first, or a positive distance), or a
/// positive distance at `i`. Then running all of A before all of B keeps every dependent pair in order, and each group's
/// instances keep their own relative order (each group is a subsequence of the body, its inner loops cut to it). A group
/// runs as a parallel loop when `i`'s test says independent or `=` for every pair inside it. A group whose units all sit in
/// one inner loop `j` runs work-shared inside the serial `i` (`omp for schedule(static) nowait`) when for every pair inside
/// it `j`'s test (with `i` equal) says independent or `=`, and `i`'s test says so too or neither access's subscripts name
/// `i` (affine in `j` and invariants alone, so the pair meets at equal `j` whatever the two values of `i`): every
/// dependence is then on one element of `j`, which a static schedule of `j`'s fixed trip count gives the same thread in
/// every iteration of `i`, in order. Different bases: the loop runs under the run-time check that no two of them overlap.</para>
/// </summary>
public static class LoopDistributing
{
    /// <summary>Starts a <see cref="LoopFacts.DistributionBlocker"/> that is a cost rule: the distribution is legal but would not pay.</summary>
    public const string CostPrefix = "cost: ";

    /// <summary>The facts with <see cref="LoopFacts.Distribution"/> set on each loop it applies to, and
    /// <see cref="LoopFacts.DistributionBlocker"/> on each serial loop of the shape's outline (a body with an inner loop) it does not.</summary>
    /// <param name="levelTester">The walker's accesses and a one-level dependence tester for a loop (null: no test).</param>
    /// <param name="overlapCheck">The run-time condition that no two bases of a loop overlap, or why none can be written.</param>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, Func<LoopInfo, (string? Check, string? Blocker)> overlapCheck)
    {
        var byId = new Dictionary<string, LoopFacts>(StringComparer.Ordinal);
        foreach (var f in facts) byId.TryAdd(f.Id, f);
        var documents = new SourceDocuments();
        var result = facts.ToList();
        foreach (var loop in loops)
        {
            var at = result.FindIndex(f => f.Id == loop.Id);
            if (at < 0 || !Candidate(loop, result[at])) continue;
            var (root, doc) = documents.For(loop);
            var (form, why) = doc is null ? (null, "the source text is not available") : Recognize(loop, result[at], byId, levelTester, overlapCheck, root, doc);
            result[at] = form is not null ? result[at] with { Distribution = form } : result[at] with { DistributionBlocker = why };
        }
        return result;
    }

    /// <summary>A serial loop with an inner loop directly in its body, and no other serial-loop form: the outline the proof is tried on.</summary>
    private static bool Candidate(LoopInfo loop, LoopFacts f) =>
        !f.Parallelizable && !f.HasOpenMPDirective && f.Privatization is null && f.GuardedReduction is null && f.Append is null &&
        !loop.IsRangeFor && loop.Children.Count > 0 && loop.Body is { Kind: NodeKind.Compound };

    private sealed record Unit(int Index, SyntaxNode Statement, LoopInfo? Inner);

    internal static (LoopDistribution? Form, string? Blocker) Recognize(LoopInfo loop, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, Func<LoopInfo, (string? Check, string? Blocker)> overlapCheck,
        SyntaxNode root, SourceDocument doc)
    {
        if (InsideParallelLoop(loop, byId)) return (null, "it sits inside a loop that runs in parallel");
        if (loop.Children.Any(c => byId.TryGetValue(c.Id, out var cf) && (cf.SerialSink is not null || cf.SerialHoist is not null)))
            return (null, "its nests already run with it moved inside them or in one region around it (sink, hoist-region)");
        if (loop.CanonicalHeader is not { StepKnown: true, Step: 1, Variable: { } counter } header || header.Comparison is not ("<" or "<=") || loop.Node.For is null)
            return (null, "its header is not `for (i = lo; i < hi; i++)`");
        if (!NestSyntax.FreeOfPreprocessorLines(root, loop.Node)) return (null, "it holds a preprocessor line or pragma");
        var nodes = loop.Node.DescendantsAndSelf().ToList();
        if (nodes.FirstOrDefault(d => d.Kind is NodeKind.Break or NodeKind.Continue or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or
                NodeKind.Label or NodeKind.Throw or NodeKind.Try) is { } exit)
            return (null, $"it leaves or jumps inside its body (line {exit.Span.Line}): the groups would not run the same iterations");
        if (nodes.FirstOrDefault(d => d.Kind == NodeKind.Call) is { } call)
            return (null, $"it calls a function (line {call.Span.Line}): a call's effects are not split between groups");
        // A counter declared in its header (`for (int j = …)`) is the loop's own; any other declaration is a body local.
        if (nodes.FirstOrDefault(d => d.Kind == NodeKind.DeclStmt && !(d.Parent is { Kind: NodeKind.For, For: { } f } && ReferenceEquals(f.Init, d))) is { } decl)
            return (null, $"it declares a variable (line {decl.Span.Line}): a scalar would be carried across groups");
        if (nodes.FirstOrDefault(d => d.Kind is NodeKind.Asm or NodeKind.While or NodeKind.Do or NodeKind.Switch or NodeKind.If or NodeKind.Conditional or
                NodeKind.StmtExpr or NodeKind.Lambda or NodeKind.New or NodeKind.Delete or NodeKind.OpenMPDirective or NodeKind.RangeFor) is { } other)
            return (null, $"its body holds a `{other.Kind}` (line {other.Span.Line}): only assignments and inner `for` loops are distributed");

        // Units: top-level statements and the statements of each inner loop.
        var units = new List<Unit>();
        var inners = new List<LoopInfo>();
        foreach (var s in NestSyntax.Statements(loop.Body)!)
        {
            if (s.Kind == NodeKind.Null) continue;
            if (s.Kind == NodeKind.For)
            {
                if (loop.Children.FirstOrDefault(c => ReferenceEquals(c.Node, s)) is not { } inner || inner.Children.Count > 0)
                    return (null, $"the inner loop at line {s.Span.Line} holds a loop of its own");
                if (inner.CanonicalHeader is not { StepKnown: true, Variable: not null } || !byId.TryGetValue(inner.Id, out var innerFacts) || innerFacts.HasOpenMPDirective)
                    return (null, $"the inner loop at line {s.Span.Line} is not canonical");
                inners.Add(inner);
                foreach (var t in NestSyntax.Statements(inner.Body) ?? [])
                {
                    if (t.Kind == NodeKind.Null) continue;
                    if (!NestSyntax.IsAssignment(t)) return (null, $"line {t.Span.Line} is not an assignment");
                    units.Add(new Unit(units.Count, t, inner));
                }
                continue;
            }
            if (!NestSyntax.IsAssignment(s)) return (null, $"line {s.Span.Line} is not an assignment");
            units.Add(new Unit(units.Count, s, null));
        }
        if (units.Count == 0) return (null, "its body is empty");

        // Scalars: only the counters are written; a counter declared outside is private in the region and must be dead after it.
        var counters = new List<DeclInfo> { counter };
        counters.AddRange(inners.Select(l => l.CanonicalHeader!.Variable!).Where(v => counters.All(c => c.Key != v.Key)));
        var counterKeys = counters.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var w in NestSyntax.Writes(loop.Node))
        {
            if (w.StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } s }) continue;
            if (!counterKeys.Contains(s.Key) || s.Type.IsReference)
                return (null, $"the scalar `{s.Name}` is written (line {w.Span.Line}): a scalar carried across groups is not distributed");
        }
        foreach (var u in units)
            if (NestSyntax.Writes(u.Statement).Select(w => w.StripParensAndCasts()).Any(w => w is { Kind: NodeKind.DeclRef, Decl: { } d } && counterKeys.Contains(d.Key)))
                return (null, $"line {u.Statement.Span.Line} writes a loop counter");
        var privates = new List<string>();
        foreach (var (l, c) in new[] { (loop, counter) }.Concat(inners.Select(l => (l, l.CanonicalHeader!.Variable!))))
        {
            if (l.CanonicalHeader!.DeclaredInHeader) continue;
            if (c.IsGlobalStorage || Liveness.IsLiveAfter(loop, c)) return (null, $"the counter `{c.Name}` is read after the loop");
            if (!privates.Contains(c.Name)) privates.Add(c.Name);
        }

        // Headers as written; each inner one runs the same iterations in every iteration of `i`.
        if (NestSyntax.HeaderText(root, loop.Node, loop.Body!) is not { } outerHeader)
            return (null, "its header is not one line of plain text");
        // `i`'s header is evaluated once per group: it must read no memory (a group may write it) and name no volatile.
        foreach (var part in new[] { loop.Node.For.Init, loop.Node.For.Condition, loop.Node.For.Increment })
        {
            if (part is null) return (null, "its header is not `for (i = lo; i < hi; i++)`");
            if (part.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Subscript or NodeKind.Call or NodeKind.MemberRef || d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Deref } ||
                    d is { Kind: NodeKind.DeclRef, Decl: { } v } && (v.Type.IsAnyVolatile || v.Type.IsReference)))
                return (null, "its header reads memory, which a group may write before the next group evaluates it again");
        }
        var innerHeaders = new Dictionary<LoopInfo, CopiedLine>(ReferenceEqualityComparer.Instance);
        foreach (var inner in inners)
        {
            if (NestSyntax.ChainHeaders(root, [inner], loop.Body!, counter, [inner.CanonicalHeader!.Variable!.Key]) is not [var h])
                return (null, $"the inner loop at line {inner.Line} does not run the same iterations in every iteration of `{counter.Name}`");
            innerHeaders[inner] = h;
        }
        var texts = new Dictionary<Unit, CopiedLine>();
        foreach (var u in units)
        {
            if (NestSyntax.CopyReplacing(doc, root, u.Statement, new Dictionary<string, (DeclInfo, string)>()) is not { } code)
                return (null, $"the statement at line {u.Statement.Span.Line} cannot be copied as text (a macro hides where it ends, or a comment)");
            texts[u] = new CopiedLine(u.Statement.Span.Line, code);
        }

        // The accesses, at `i`'s level and at each inner loop's, each assigned to its unit.
        if (levelTester(loop) is not var (outerBody, outerTester)) return (null, "its body has an access the dependence tests cannot follow");
        var innerLevel = new Dictionary<LoopInfo, (Dictionary<(SyntaxNode, bool, bool), MemoryAccess> Accesses, DependenceTester Tester)>(ReferenceEqualityComparer.Instance);
        foreach (var inner in inners.Distinct())
        {
            if (levelTester(inner) is not var (b, t)) return (null, $"the inner loop at line {inner.Line} has an access the dependence tests cannot follow");
            var map = new Dictionary<(SyntaxNode, bool, bool), MemoryAccess>();
            foreach (var a in b.Accesses) map.TryAdd((a.Node, a.IsRead, a.IsWrite), a);
            innerLevel[inner] = (map, t);
        }
        var accesses = new List<(MemoryAccess Access, Unit Unit)>();
        foreach (var a in outerBody.Accesses)
        {
            if (a.UnknownExtent) return (null, $"`{a.Text}` has an extent the analysis cannot bound");
            if (a.IsWrite && a.Base.Kind == BaseKind.LoadedPointer) return (null, $"`{a.Text}` writes through a pointer loaded from memory");
            var owner = units.FirstOrDefault(u => u.Statement.Span.Offset <= a.Node.Span.Offset && a.Node.Span.EndOffset <= u.Statement.Span.EndOffset);
            if (owner is null) return (null, $"`{a.Text}` (line {a.Line}) is not inside one statement of the body");
            accesses.Add((a, owner));
        }

        // Groups: units that write the same base stay together.
        var parent = units.Select(u => u.Index).ToArray();
        int Find(int x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        foreach (var g in accesses.Where(a => a.Access.IsWrite).GroupBy(a => a.Access.Base.Key, StringComparer.Ordinal))
        {
            var writers = g.Select(a => a.Unit.Index).Distinct().ToList();
            foreach (var w in writers.Skip(1)) parent[Find(w)] = Find(writers[0]);
        }
        var groups = units.GroupBy(u => Find(u.Index)).Select(g => g.OrderBy(u => u.Index).ToList()).OrderBy(g => g[0].Index).ToList();
        var groupOf = new Dictionary<Unit, int>();
        for (var n = 0; n < groups.Count; n++) foreach (var u in groups[n]) groupOf[u] = n;

        string Where((MemoryAccess Access, Unit Unit) x) => $"`{x.Access.Text}` (line {x.Access.Line})";
        PairResult? InnerTest((MemoryAccess Access, Unit Unit) x, (MemoryAccess Access, Unit Unit) y)
        {
            if (x.Unit.Inner is not { } inner || !ReferenceEquals(inner, y.Unit.Inner)) return null;
            var (map, tester) = innerLevel[inner];
            return map.TryGetValue((x.Access.Node, x.Access.IsRead, x.Access.IsWrite), out var ax) && map.TryGetValue((y.Access.Node, y.Access.IsRead, y.Access.IsWrite), out var ay)
                ? tester.Test(ax, ay) : new PairResult(DependenceKind.Carried, null, "not followed at the inner level");
        }
        // x's instance runs before y's at every pair of instances where they meet (x in an earlier group than y).
        string? Forward((MemoryAccess Access, Unit Unit) x, (MemoryAccess Access, Unit Unit) y)
        {
            var r = outerTester.Test(x.Access, y.Access);
            if (r.Kind == DependenceKind.Independent || (r.Kind == DependenceKind.Carried && r.Distance is > 0)) return null;
            if (r.Kind == DependenceKind.Carried)
                return $"{Where(y)} meets {Where(x)} in an earlier iteration of `{counter.Name}` (direction {r.Direction}): a dependence from a later group back to an earlier one";
            if (InnerTest(x, y) is { } ri)
            {
                if (ri.Kind == DependenceKind.Independent || (ri.Kind == DependenceKind.Carried && ri.Distance is > 0) ||
                    (ri.Kind == DependenceKind.LoopIndependent && x.Unit.Index < y.Unit.Index)) return null;
                return $"{Where(y)} meets {Where(x)} earlier in the same iteration of `{counter.Name}`: a dependence from a later group back to an earlier one";
            }
            return x.Unit.Index < y.Unit.Index ? null
                : $"{Where(y)} runs before {Where(x)} in each iteration and they touch the same element: a dependence from a later group back to an earlier one";
        }
        var byBase = accesses.GroupBy(a => a.Access.Base.Key, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        foreach (var list in byBase)
        {
            if (!list.Any(a => a.Access.IsWrite)) continue;
            foreach (var x in list)
                foreach (var y in list)
                    if ((x.Access.IsWrite || y.Access.IsWrite) && groupOf[x.Unit] < groupOf[y.Unit] && Forward(x, y) is { } back)
                        return (null, back);
        }

        // Each group's form.
        var forms = new List<DistributedForm>();
        for (var n = 0; n < groups.Count; n++)
        {
            var members = groups[n].ToHashSet();
            var pairs = byBase.Select(list => list.Where(a => members.Contains(a.Unit)).ToList()).Where(l => l.Any(a => a.Access.IsWrite))
                .SelectMany(l => l.SelectMany((x, k) => l.Skip(k).Where(y => x.Access.IsWrite || y.Access.IsWrite).Select(y => (x, y)))).ToList();
            if (pairs.All(p => outerTester.Test(p.x.Access, p.y.Access).Kind is DependenceKind.Independent or DependenceKind.LoopIndependent))
            {
                forms.Add(DistributedForm.ParallelLoop);
                continue;
            }
            var inner = groups[n][0].Inner;
            if (inner is null || groups[n].Any(u => !ReferenceEquals(u.Inner, inner)))
                return (null, $"`{counter.Name}` carries a dependence inside the group of line {groups[n][0].Statement.Span.Line}, which is not one inner loop");
            foreach (var (x, y) in pairs)
            {
                if (InnerTest(x, y) is not { Kind: DependenceKind.Independent or DependenceKind.LoopIndependent })
                    return (null, $"{Where(x)} and {Where(y)} meet at different iterations of the inner loop at line {inner.Line}: it is not parallel");
                var outer = outerTester.Test(x.Access, y.Access).Kind;
                if (outer is DependenceKind.Carried && !(NestSyntax.FreeOf(x.Access, header.Symbol) && NestSyntax.FreeOf(y.Access, header.Symbol)))
                    return (null, $"{Where(x)} and {Where(y)} meet across iterations of `{counter.Name}` at subscripts that name it: the same element of the inner loop is not proven");
            }
            forms.Add(DistributedForm.WorksharedInner);
        }
        if (groups.Count == 1 && forms[0] == DistributedForm.ParallelLoop) return (null, "its body is one group");
        // Cost: where every inner loop stays whole, distribution gains only the groups' threads, and an array that two groups'
        // inner loops sweep is read twice from memory instead of once from cache (atax's A: 0.61-0.77x on one thread, slower on
        // 2 threads too). Splitting an inner loop's statements is what pays (bicg: its chain and its vector stores part).
        var splitsInnerLoop = inners.Any(l => units.Where(u => ReferenceEquals(u.Inner, l)).Select(u => groupOf[u]).Distinct().Count() > 1);
        if (!splitsInnerLoop && accesses.Where(a => a.Access.IsRead && a.Unit.Inner is { } l && !NestSyntax.FreeOf(a.Access, l.CanonicalHeader!.Symbol))
                .GroupBy(a => a.Access.Base.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Select(a => groupOf[a.Unit]).Distinct().Count() > 1) is { } swept)
            return (null, $"{CostPrefix}it splits no inner loop, and `{swept.First().Access.Text}` (lines {string.Join(", ", swept.Select(a => a.Access.Line).Distinct())}) " +
                          "is swept by the inner loops of two groups: distributed, it would be read twice from memory instead of once from cache");

        // Different bases: none may overlap another (the run-time check), and each test's assumption on the subscripts holds.
        var (check, noCheck) = overlapCheck(loop);
        if (noCheck is not null) return (null, noCheck);
        var conditions = new List<string>();
        if (check is not null) conditions.Add(check);
        foreach (var a in outerTester.Assumptions.Concat(innerLevel.Values.SelectMany(l => l.Tester.Assumptions)))
        {
            if (System.Text.RegularExpressions.Regex.IsMatch(a, $@"\b{System.Text.RegularExpressions.Regex.Escape(counter.Name)}\b"))
                return (null, $"a dependence test assumes `{a}`, which names `{counter.Name}`");
            if (!conditions.Contains(a)) conditions.Add(a);
        }
        var overlap = conditions.Count == 0 ? null : string.Join(" && ", conditions.Select(c => conditions.Count > 1 ? $"({c})" : c));

        var distributed = new List<DistributedGroup>();
        for (var n = 0; n < groups.Count; n++)
        {
            var parts = new List<DistributedPart>();
            foreach (var run in Runs(groups[n]))
                parts.Add(new DistributedPart(run[0].Inner is { } l ? innerHeaders[l] : null, run.Select(u => texts[u]).ToList()));
            distributed.Add(new DistributedGroup(forms[n], parts));
        }
        var evidence = $"the body of `{counter.Name}` runs as {groups.Count} loop{(groups.Count == 1 ? string.Empty : "s")} in one parallel region " +
                       $"({string.Join("; ", groups.Select((g, n) => $"lines {string.Join(", ", g.Select(u => u.Statement.Span.Line).Distinct())}: " + (forms[n] == DistributedForm.ParallelLoop
                           ? $"`{counter.Name}` carries nothing, `{LoopDistribution.ParallelDirective}`"
                           : $"`{counter.Name}` carries only the same element of `{g[0].Inner!.Header!.Variable!.Name}`, `{LoopDistribution.WorksharingDirective}` on it")))}); " +
                       "every dependence between groups goes forward, so each element receives its operations in the original order";
        // The same groups as one pass over the rows, pipelined across column strips, where that is proven (and pays).
        var (pipeline, notPipelined) = RowColumnPipelining.Prove(loop, inners, units.Select(u => new RowColumnPipelining.Unit(u.Statement, u.Inner, groupOf[u])).ToList(), forms,
            accesses.Select(a => (a.Access, groupOf[a.Unit])).ToList(), outerBody.Accesses.ToList(), root, doc);
        return (new LoopDistribution(loop.Id, loop.Line, counter.Name, privates, new CopiedLine(loop.Line, outerHeader), distributed, overlap)
            { Evidence = evidence, Pipeline = pipeline, PipelineBlocker = notPipelined }, null);
    }

    /// <summary>Consecutive units of one group in one place (top level, or one inner loop): each becomes one part.</summary>
    private static IEnumerable<List<Unit>> Runs(List<Unit> group)
    {
        var run = new List<Unit>();
        foreach (var u in group)
        {
            if (run.Count > 0 && (!ReferenceEquals(run[^1].Inner, u.Inner) || u.Inner is null))
            {
                yield return run;
                run = [];
            }
            run.Add(u);
        }
        if (run.Count > 0) yield return run;
    }


    private static bool InsideParallelLoop(LoopInfo loop, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        for (var p = loop.Parent; p is not null; p = p.Parent)
            if (byId.TryGetValue(p.Id, out var pf) && pf.Parallelizable) return true;
        return false;
    }
}
