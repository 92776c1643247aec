using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Proves <see cref="ScalarExpansion"/> for a loop `j`. Theorem: let j's body be exactly `P1 … Pm; R; F1 … Fn` where R is
/// a perfect chain of `for` loops (the reduction nest) whose innermost body has no loop and the Pi and Fi hold no loop. If
/// (1) the analyzer proves `j` parallel at its own level (no dependence between different `j` through memory, under its
/// run-time check: j's own where j is the parallel loop, else contained in the parallel loop's), without reductions or
/// lastprivate; (2) every Pi that declares is `T s = INIT;` with `s` a local arithmetic scalar never address-taken (these
/// are the expanded scalars), and no other Pi declares anything; (3) every other scalar the body writes is R's counters or
/// a local declared inside R's innermost body or inside an Fi (fresh in every iteration of the loop that runs it); (4)
/// R's headers read no memory, no `j`, no expanded scalar and nothing the body writes except R's own counters (so R runs
/// the same iterations for every `j`), and no Pi reads R's counters; (5) `j` is canonical (`&lt;`/`&lt;=`, step +1) with
/// bounds that read no memory and nothing the body writes, its counter declared in its header or dead after it; (6)
/// there is no exit, label, `switch`, other loop kind, lambda, allocation, static local, user pragma or preprocessor line —
/// then replacing each expanded `s` by `x_s[j]` gives every `j` its own storage, so running, for each strip of `j`, all
/// Ps, then R with `j` innermost, then all Fs keeps the order of every `j`'s own operations and only interleaves
/// operations of different `j`, which (1) allows: the results are the same, bit for bit (an element in memory, like
/// `mean[j]`, needs no expansion). Strips of `j` are independent too, so where `j` is itself the parallel loop they are
/// its parallel iterations. Profitable when R's innermost loop is short (a constant trip count of at most
/// <see cref="ShortTrips"/>) or `j` moves more of R's references by one element than R's innermost counter does, and `j`
/// is not itself short (<see cref="MinimumTrips"/>).
/// Several nests (`P; R1; F1; R2; F2 …`, PolyBench's gramschmidt: a column's dot product, then its update) follow the same
/// proof, nest by nest: each is a perfect chain whose headers satisfy (4) (the counters of all nests together being the
/// nests' counters), the statements between two nests declare nothing (they run in a `j` loop of their own, so a local
/// would not reach the next nest) and read no counter of a later nest that no earlier nest ran; each nest must pay by the
/// rule above. Each `j` still runs P, R1, F1, R2, F2 in that order, and only different `j` interleave.
/// </summary>
public static class ScalarExpanding
{
    /// <summary>An innermost reduction loop of at most this many constant iterations is too short to vectorize or to amortize
    /// its loop overhead (conv2d's and pooling's 3-wide windows).</summary>
    public const int ShortTrips = 8;

    /// <summary>A `j` of fewer constant iterations fills too few vectors to pay for the strip's extra loops.</summary>
    public const int MinimumTrips = 16;

    /// <summary>The facts with <see cref="LoopFacts.ScalarExpansion"/> set on every loop it applies to.</summary>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester)
    =>
        LoopAnnotation.AnnotateFromText<ScalarExpansion>(loops, facts, (loop, f, _) => Candidate(loop, f),
            (loop, f, byId, root, doc) => Recognize(loop, f, byId, levelTester, root, doc), (f, expansion) => f with { ScalarExpansion = expansion });

    /// <summary>A cheap first look: a parallel inner loop whose compound body holds one loop and something besides it.</summary>
    private static bool Candidate(LoopInfo loop, LoopFacts f) =>
        f.Parallelizable && !f.HasOpenMPDirective && loop.Children.Count >= 1 &&
        loop.Body is { Kind: NodeKind.Compound, Children: [_, _, ..] };

    internal static ScalarExpansion? Recognize(LoopInfo j, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, SyntaxNode root, SourceDocument doc)
    {
        if (facts.Reductions.Count > 0 || facts.LastPrivate.Count > 0 || facts.ArrayReductions.Count > 0) return null;
        // (1) The check j needs is its own where j is the parallel loop (the form runs under it, the loop as written otherwise);
        // inside another parallel loop it must be part of that loop's check (see Sites).
        if (MatmulRecognizer.Header(j) is not { } hj || j.Body is not { } body || NestSyntax.Statements(body) is not { } statements) return null;
        var at = statements.FindIndex(x => x.Kind == NodeKind.For);
        if (at < 0 || j.Children[0].Node != statements[at]) return null;
        // Several nests (R1; F1; R2; F2 …): each of j's inner loops heads one, and each is a statement of j's body.
        var nestAt = statements.Select((x, n) => (x, n)).Where(p => p.x.Kind == NodeKind.For).Select(p => p.n).ToList();
        if (nestAt.Count != j.Children.Count || nestAt.Zip(j.Children).Any(p => !ReferenceEquals(statements[p.First], p.Second.Node))) return null;
        var (before, nest) = (statements.Take(at).ToList(), statements[at]);
        var segments = nestAt.Select((n, s) => (Nest: statements[n], Finals: statements.Skip(n + 1).Take((s + 1 < nestAt.Count ? nestAt[s + 1] : statements.Count) - n - 1).ToList())).ToList();
        var finals = segments[0].Finals;
        var allFinals = segments.SelectMany(x => x.Finals).ToList();
        if (NestSyntax.Text(root, j.Node.Span.Offset, j.Node.Span.EndOffset) is not { } loopText || loopText.Contains('#') || loopText.Contains("paraslm_", StringComparison.Ordinal)) return null;
        // (6) Statements only.
        if (j.Node.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Break or NodeKind.Continue or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or
                NodeKind.Label or NodeKind.Asm or NodeKind.Throw or NodeKind.Try or NodeKind.While or NodeKind.Do or NodeKind.Switch or NodeKind.StmtExpr or
                NodeKind.Lambda or NodeKind.New or NodeKind.Delete or NodeKind.OpenMPDirective or NodeKind.RangeFor)) return null;
        // A static local is one object for both copies of the loop (the expanded one and the one kept for x87).
        if (body.DescendantsAndSelf().Any(d => d.Kind == NodeKind.VarDecl && d.Decl is { } v && (v.IsStatic || v.IsThreadLocal || v.IsGlobalStorage))) return null;

        // (2) Every scalar declared before the nest (`T s = INIT;`) is kept per j; other statements there declare nothing.
        var scalars = new List<(DeclInfo Decl, SyntaxNode Init, SyntaxNode Statement)>();
        foreach (var stmt in before)
        {
            if (stmt.Kind != NodeKind.DeclStmt) continue;
            if (stmt is not { Children: [{ Kind: NodeKind.VarDecl, Decl: { } s } decl] } || FunctionScope.InitializerOf(decl) is not { } init) return null;
            var t = s.Type;
            if (t.Shape != TypeShape.Scalar || !(t.IsFloatingPoint || t.IsIntegral) || t.IsReference || t.IsConst || t.IsAnyVolatile || t.IsAnyAtomic ||
                t.Spelling.IndexOfAny(['(', '[', '&']) >= 0) return null;
            if (body.DescendantsAndSelf().Any(d => d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.AddrOf } && d.Children is [var x] && x.StripParensAndCasts() is { Kind: NodeKind.DeclRef } r && r.Decl?.Key == s.Key)) return null;
            scalars.Add((s, init, stmt));
        }
        if (before.Where(b => b.Kind != NodeKind.DeclStmt).Any(b => b.DescendantsAndSelf().Any(d => d.Kind is NodeKind.VarDecl or NodeKind.DeclStmt))) return null;
        var expanded = scalars.Select(x => x.Decl.Key).ToHashSet(StringComparer.Ordinal);

        // R: a perfect chain of loops, the innermost without loops (each nest's).
        var chains = new List<List<LoopInfo>>();
        foreach (var (n, _) in segments)
        {
            if (NestSyntax.PerfectChain(j, n, byId) is not { } c || c[^1].Body is not { } b || NestSyntax.Statements(b) is not { Count: > 0 }) return null;
            chains.Add(c);
        }
        var chain = chains[0];
        var innermost = chain[^1];
        var innerBody = innermost.Body!;
        var innerStatements = NestSyntax.Statements(innerBody)!;

        // (3) Scalars written: the expanded ones, the nests' counters, locals of a nest's innermost body or of a final statement.
        var chainCounters = chains.SelectMany(c => c).Select(l => l.CanonicalHeader?.Variable?.Key).OfType<string>().ToHashSet(StringComparer.Ordinal);
        bool Fresh(DeclInfo d) => chains.Any(c => c[^1].Body!.Span.Contains(d.Span)) || allFinals.Any(f => f.Span.Contains(d.Span));
        foreach (var w in NestSyntax.Writes(body))
        {
            if (w.StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } v }) continue;
            if (expanded.Contains(v.Key) || chainCounters.Contains(v.Key)) continue;
            if (v.IsGlobalStorage || v.Type.IsReference || !Fresh(v)) return null;
        }

        // (4) R's headers: the same iterations for every j.
        var allHeaders = new List<List<CopiedLine>>();
        foreach (var c in chains)
        {
            if (NestSyntax.ChainHeaders(root, c, body, hj.Counter, chainCounters) is not { } h) return null;
            allHeaders.Add(h);
        }
        var headers = allHeaders[0];
        // Before the nest, R's counters (declared outside it) would read another iteration's values; so would the statements
        // between two nests read the counters of a later nest that no earlier one ran.
        if (before.Any(b => chainCounters.Any(c => SyntaxEquality.Mentions(b, c)))) return null;
        for (var s = 0; s + 1 < segments.Count; s++)
        {
            // A local declared between two nests would be out of scope in the later nest, which runs in its own `j` loop.
            if (segments[s].Finals.Any(f => f.DescendantsAndSelf().Any(d => d.Kind is NodeKind.VarDecl or NodeKind.DeclStmt))) return null;
            var ran = chains.Take(s + 1).SelectMany(c => c).Select(l => l.CanonicalHeader?.Variable?.Key).OfType<string>().ToHashSet(StringComparer.Ordinal);
            if (segments[s].Finals.Any(f => chainCounters.Any(c => !ran.Contains(c) && SyntaxEquality.Mentions(f, c)))) return null;
        }

        // (5) j's bounds, read once before the strips.
        var bodyWrites = NestSyntax.Writes(body).Select(w => w.StripParensAndCasts()).Where(w => w.Kind == NodeKind.DeclRef && w.Decl is not null).Select(w => w.Decl!.Key)
            .Append(hj.Counter.Key).Concat(expanded).ToHashSet(StringComparer.Ordinal);
        if (!NestSyntax.InvariantBound(hj.Low, bodyWrites) || !NestSyntax.InvariantBound(hj.Bound, bodyWrites)) return null;
        if (!j.CanonicalHeader!.DeclaredInHeader && Liveness.IsLiveAfter(j, hj.Counter)) return null;
        var low = NestSyntax.Expression(root, hj.Low);
        var bound = NestSyntax.Expression(root, hj.Bound) ?? NestSyntax.AfterOperator(root, hj.Left.Span.EndOffset, hj.Inclusive ? "<=" : "<");
        if (low is null || bound is null) return null;

        // Profitability: R's innermost loop is short, or j walks more of R's references by one element.
        if (facts.TripCount is { } jTrips && jTrips < MinimumTrips) return null;
        // Every nest must pay: the new order of one that does not would only lose its own innermost loop's locality.
        bool Short(LoopInfo l) => byId.TryGetValue(l.Id, out var lf) && lf.TripCount is { } t && t <= ShortTrips;
        var shortInner = Short(innermost);
        var innerFacts = byId.GetValueOrDefault(innermost.Id);
        foreach (var c in chains.Where(c => !Short(c[^1])))
        {
            if (levelTester(j) is not var (jBody, _) || c[^1].CanonicalHeader is not { } ih) return null;
            var accesses = jBody.Accesses.Where(a => c[^1].Body!.Span.Contains(a.Node.Span)).ToList();
            if (LoopInterchanging.Score(accesses, j.CanonicalHeader.Symbol) <= LoopInterchanging.Score(accesses, ih.Symbol)) return null;
        }

        // The texts, with every expanded scalar replaced by its element; every reference to one must be replaced.
        var elements = scalars.ToDictionary(x => x.Decl.Key, x => ScalarExpansion.ElementOf(x.Decl.Name, hj.Counter.Name), StringComparer.Ordinal);
        var names = scalars.Select(x => x.Decl).ToList();
        var replacements = names.ToDictionary(n => n.Key, n => (n, $"({elements[n.Key]})"), StringComparer.Ordinal);
        var pre = new List<CopiedLine>();
        foreach (var stmt in before)
        {
            if (scalars.FirstOrDefault(x => ReferenceEquals(x.Statement, stmt)) is { Decl: not null } declared)
            {
                var initText = NestSyntax.Expression(root, declared.Init) ?? NestSyntax.RightHandSide(root, stmt, null, "=");
                if (initText is null || names.Any(n => SyntaxEquality.Mentions(declared.Init, n.Key))) return null;
                pre.Add(new CopiedLine(stmt.Span.Line, $"{elements[declared.Decl.Key]} = {initText};"));
            }
            else if (NestSyntax.CopyReplacing(doc, root, stmt, replacements) is { } code) pre.Add(new CopiedLine(stmt.Span.Line, code));
            else return null;
        }
        var copied = new List<CopiedLine>();
        foreach (var stmt in innerStatements.Concat(finals))
        {
            if (NestSyntax.CopyReplacing(doc, root, stmt, replacements) is not { } code) return null;
            copied.Add(new CopiedLine(stmt.Span.Line, code));
        }
        var simd = !innerBody.DescendantsAndSelf().Any(d => d.Kind == NodeKind.Call);
        // The later nests, each with the statements after it.
        var following = new List<ExpansionNest>();
        for (var s = 1; s < segments.Count; s++)
        {
            var nestBody = chains[s][^1].Body!;
            var lines = new List<CopiedLine>();
            foreach (var stmt in NestSyntax.Statements(nestBody)!)
            {
                if (NestSyntax.CopyReplacing(doc, root, stmt, replacements) is not { } code) return null;
                lines.Add(new CopiedLine(stmt.Span.Line, code));
            }
            var after = new List<CopiedLine>();
            foreach (var stmt in segments[s].Finals)
            {
                if (NestSyntax.CopyReplacing(doc, root, stmt, replacements) is not { } code) return null;
                after.Add(new CopiedLine(stmt.Span.Line, code));
            }
            following.Add(new ExpansionNest(allHeaders[s], lines, !nestBody.DescendantsAndSelf().Any(d => d.Kind == NodeKind.Call), after));
        }
        // Nothing expanded: the statements before the nest start elements in memory (`mean[j] = 0.0`).
        var what = names.Count switch
        {
            0 => "each element it starts in memory",
            1 => $"`{names[0].Name}` starts,",
            _ => $"{string.Join(", ", names.Select(n => $"`{n.Name}`"))} start,",
        };
        var over = string.Join(", then ", chains.Select(c => $"the {(c.Count == 1 ? "loop" : $"{c.Count} loops")} {string.Join(", ", c.Select(l => $"`{l.CanonicalHeader?.Variable?.Name}`"))}"));
        var evidence = $"{what} accumulate{(names.Count > 1 ? string.Empty : "s")} over {over} and {(names.Count > 1 ? "are" : "is")} used for each `{hj.Counter.Name}` alone, and `{hj.Counter.Name}` " +
                       $"carries no dependence{(facts.RuntimeCheck is null ? string.Empty : " (under its run-time check)")}: " +
                       (names.Count == 0 ? string.Empty : $"kept per `{hj.Counter.Name}` in a strip array, ") +
                       $"the reduction loops run outside `{hj.Counter.Name}`, every element receives the same operations in the same order, and `{hj.Counter.Name}` " +
                       $"becomes the stride-1 innermost loop{(shortInner ? $" (the innermost reduction loop runs only {innerFacts!.TripCount} times)" : string.Empty)}";
        return new ScalarExpansion(j.Id, j.Line, j.Column, j.Node.Span.Offset, j.Node.Span.EndOffset,
            hj.Counter.Name, hj.Counter.Type.Spelling, low, hj.Inclusive ? $"({bound}) + 1" : bound,
            names.Select(n => new ExpandedScalar(n.Name, n.Type.Spelling, MatmulRecognizer.ElementSize(n.Type), n.Type.IsFloatingPoint)).ToList(),
            pre, headers, copied.Take(innerStatements.Count).ToList(), copied.Skip(innerStatements.Count).ToList(),
            simd, facts.RuntimeCheck) {
                Evidence = evidence, Following = following, Align = StripAlignment.ElementsPerLine(body), CounterDeclaredInHeader = j.CanonicalHeader!.DeclaredInHeader,
            };
    }

    /// <summary>The planned parallel loop itself, when it runs scalar-expanded: its strips are then the parallel iterations
    /// (`omp parallel for` on the strip loop), which needs a plan without collapse; null otherwise.</summary>
    public static ScalarExpansion? Self(LoopFacts loop, int collapse) => collapse == 1 ? loop.ScalarExpansion : null;

    /// <summary>
    /// The loop's own expanded form where its constant trip count fits in one strip (<see cref="ScalarExpansion.Strip"/>): as
    /// the parallel loop, one thread would run the whole nest in a region entered on every pass, so what pays is the form,
    /// not the threads (TSVC_2's `s2102`, `s235`, `s2275`: 256 iterations, strips of 256). It then runs serially, expanded
    /// (<see cref="SerialForm"/>); null otherwise (a run-time trip count keeps the parallel form and its cost guard).
    /// </summary>
    public static ScalarExpansion? OneStrip(LoopFacts loop) =>
        loop.ScalarExpansion is { } e && loop.TripCount is { } trips && StripAlignment.Count(trips, e.Strip) < 2 ? e : null;

    /// <summary>
    /// The serial plan's transform (`scalar-expand(i)`): the loop runs in its expanded form with no region. Legal on the same
    /// proof as the parallel form (the theorem above): running the strips one after another in order is one of the orders the
    /// parallel form allows, and within a strip only operations of different `j` interleave; the form runs under the loop's
    /// run-time check like the parallel one. Named like the fact, so the verifier re-proves it by name.
    /// </summary>
    public static bool SerialForm(string? transform) =>
        transform is not null && transform.StartsWith(ScalarExpansion.TransformName + "(", StringComparison.Ordinal);

    /// <summary>The loops of the nest headed by <paramref name="outer"/> (planned parallel) that run scalar-expanded: each proven
    /// loop inside it that its collapse does not fold in and whose own check, if any, the outer loop's check contains.</summary>
    public static IReadOnlyList<ScalarExpansion> Sites(LoopFacts outer, int collapse, IReadOnlyDictionary<string, LoopFacts> loops)
    {
        if (outer.Matmul is not null || Self(outer, collapse) is not null) return [];
        var collapsed = InnerSimd.Collapsed(outer, collapse, loops);
        return loops.Values
            .Where(l => l.ScalarExpansion is { } e && !collapsed.Contains(l.Id) && InnerSimd.Inside(l, outer.Id, loops) &&
                        (e.RequiredCheck is null || outer.RuntimeCheck?.Contains(e.RequiredCheck, StringComparison.Ordinal) == true ||
                         CheckImplied(outer, l)))
            .OrderBy(l => l.StartOffset)
            .Select(l => l.ScalarExpansion!)
            .ToList();
    }

    /// <summary>
    /// The inner loop's check holds whenever the outer loop's does: every part of it is a non-overlap condition for a pair
    /// of bases the outer check also separates (over all of the outer loop's accesses to the pair, a superset of the inner
    /// loop's in any one outer iteration, with neither base changed in the outer loop) or a subscript bound the outer check
    /// makes at least as strong. Any other part (an array reduction's size) is not implied.
    /// </summary>
    internal static bool CheckImplied(LoopFacts outer, LoopFacts inner)
    {
        if (outer.RuntimeCheck is not { } check || inner.AliasChecks.Count + inner.SubscriptAssumptions.Count == 0 ||
            outer.ArrayReductions.Count > 0 || inner.ArrayReductions.Count > 0) return false;
        var written = outer.Scalars.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        bool Separated(AliasCheck c) =>
            c.PlainVariables && !written.Contains(c.First) && !written.Contains(c.Second) &&
            outer.AliasChecks.Any(o => o.PlainVariables && ((o.First == c.First && o.Second == c.Second) || (o.First == c.Second && o.Second == c.First)));
        return inner.AliasChecks.All(Separated) && inner.SubscriptAssumptions.All(a => outer.SubscriptAssumptions.Any(o => AtLeastAsStrong(o, a)));
    }

    /// <summary>`x &lt;= k1` implies `x &lt;= k2` when k1 ≤ k2 (`>=` the other way); the assumptions are `EXPR OP CONSTANT`.</summary>
    private static bool AtLeastAsStrong(string strong, string weak)
    {
        if (strong == weak) return true;
        var (s, w) = (strong.Split(' '), weak.Split(' '));
        if (s.Length < 3 || w.Length < 3 || s[^2] != w[^2] || string.Join(' ', s[..^2]) != string.Join(' ', w[..^2])) return false;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (!long.TryParse(s[^1], culture, out var ks) || !long.TryParse(w[^1], culture, out var kw)) return false;
        return s[^2] switch { "<=" => ks <= kw, ">=" => ks >= kw, _ => false };
    }
}
