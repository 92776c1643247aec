using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Proves <see cref="UnrollJam"/> for a loop `j`. Theorem: let j's body be exactly `P1 … Pm; M; F1 … Fn` where M is a
/// perfect chain of `for` loops whose innermost body has no loop and the Pi and Fi hold no loop. If (1) the analyzer
/// proves `j` parallel at its own level (no dependence between different `j` through memory, under its run-time check:
/// j's own where j is the parallel loop, else contained in the parallel loop's), without reductions, lastprivate or array
/// reductions — so strip-mining `j` by U and moving the strip loop inside M (which only reorders operations of different
/// `j`) is legal; (2) every scalar the body writes is M's counters, a local declared at the top of the body (before M:
/// renamed per copy, never address-taken) or a local declared inside a statement that is copied whole (fresh in every
/// copy); (3) M's headers read no memory, no `j`, no local of the body and nothing the body writes but their own
/// counters (M runs the same iterations for every `j`), and no Pi reads M's counters; (4) `j` is canonical (`&lt;`/`&lt;=`,
/// step +1, an integer type at least as wide as `int`, never written, never address-taken or passed to a call) with
/// bounds that read no memory and nothing the body writes; (5) there is no exit, label, `switch`, other loop kind,
/// lambda, allocation, static local, user pragma, comment or preprocessor line in a copied statement, and every
/// identifier replaced is one of the AST's references to its variable (a macro that names `j` or a local blocks it) —
/// then running, for each group of U consecutive `j`, every copy of P, then M with the U copies of its body in order,
/// then every copy of F, and the last (trips mod U) iterations as written, gives every `j` its own locals and keeps the
/// order of every `j`'s own operations: the results are the same, bit for bit. Groups are independent by (1) too, so
/// where `j` is itself the parallel loop they are its parallel iterations.
/// Profitable when M carries a reduction chain (a scalar or element invariant in M that M's innermost body both reads and
/// writes: `s += …`, `x[i] = x[i] + …`, `if (v &gt; m) m = v`), M walks more of its references with stride 1 than `j`
/// does (where `j` is the stride-1 loop, scalar expansion is the better transform), M is not short
/// (<see cref="MinimumInnerTrips"/>) and `j` runs at least 2·U times.
/// </summary>
public static class UnrollJamming
{
    /// <summary>An inner loop of fewer constant iterations has too short a chain for its latency to matter.</summary>
    public const int MinimumInnerTrips = 16;

    /// <summary>The facts with <see cref="LoopFacts.UnrollJam"/> set on every loop it applies to.</summary>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, int factor = UnrollJam.DefaultFactor)
    =>
        LoopAnnotation.AnnotateFromText<UnrollJam>(loops, facts, Candidate,
            (loop, f, byId, root, doc) => Recognize(loop, f, byId, levelTester, root, doc, factor), (f, jam) => f with { UnrollJam = jam });

    /// <summary>A cheap first look: a parallel loop with one loop inside, that no other nest transform rewrites already
    /// (scalar expansion and the matrix product keep priority: they make the stride-1 loop innermost).</summary>
    private static bool Candidate(LoopInfo loop, LoopFacts f, IReadOnlyDictionary<string, LoopFacts> byId) =>
        NestSyntax.PlainParallel(f) && loop.Children.Count == 1 && f.ScalarExpansion is null && f.Matmul is null && f.Interchange is null &&
        f.SerialSink is null && f.SerialHoist is null && f.Append is null && f.GuardedReduction is null &&
        (f.ParentId is null || !byId.TryGetValue(f.ParentId, out var parent) || parent.Matmul is null);

    internal static UnrollJam? Recognize(LoopInfo j, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, SyntaxNode root, SourceDocument doc, int factor)
    {
        // (1) No combined values: a reduction or lastprivate over j would see its operations in another order.
        if (facts.Reductions.Count > 0 || facts.LastPrivate.Count > 0 || facts.ArrayReductions.Count > 0 || factor < 2) return null;
        // The form writes the body U + 1 times: whatever may not be written twice (a type defined in it, a label) rules it out.
        if (facts.NotDuplicable is not null) return null;
        if (MatmulRecognizer.Header(j) is not { } hj || j.Body is not { } body || NestSyntax.Statements(body) is not { } statements) return null;
        var at = statements.FindIndex(x => x.Kind == NodeKind.For);
        if (at < 0 || j.Children[0].Node != statements[at]) return null;
        var (before, nest, finals) = (statements.Take(at).ToList(), statements[at], statements.Skip(at + 1).ToList());
        if (!NestSyntax.FreeOfPreprocessorLines(root, j.Node) || NestSyntax.Text(root, j.Node.Span.Offset, j.Node.Span.EndOffset) is not { } loopText ||
            loopText.Contains("paraslm_", StringComparison.Ordinal)) return null;
        // (5) Statements only.
        if (j.Node.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Break or NodeKind.Continue or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or
                NodeKind.Label or NodeKind.Asm or NodeKind.Throw or NodeKind.Try or NodeKind.While or NodeKind.Do or NodeKind.Switch or NodeKind.StmtExpr or
                NodeKind.Lambda or NodeKind.New or NodeKind.Delete or NodeKind.OpenMPDirective or NodeKind.RangeFor)) return null;
        if (body.DescendantsAndSelf().Any(d => d.Kind == NodeKind.VarDecl && d.Decl is { } v && (v.IsStatic || v.IsThreadLocal || v.IsGlobalStorage))) return null;

        // (4) j: an integer at least as wide as int (so `j + u` has j's type), only read, by value.
        var counter = hj.Counter;
        var ct = counter.Type;
        if (!ct.IsIntegral || ct.Shape != TypeShape.Scalar || ct.IsReference || ct.IsAnyVolatile || ct.IsAnyAtomic || MatmulRecognizer.ElementSize(ct) < 4 ||
            ct.Spelling.IndexOfAny(['(', '[', '&']) >= 0 || ct.Spelling.Contains("auto", StringComparison.Ordinal) || ct.Spelling.Contains("decltype", StringComparison.Ordinal)) return null;
        var counterUses = body.DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == counter.Key).ToList();
        if (WrittenIn(body, counter.Key) || counterUses.Any(d => UsedByAddressOrCall(d))) return null;

        // (2) The locals declared at the top of the body, before M: renamed per copy.
        var locals = new List<DeclInfo>();
        foreach (var stmt in before.Where(s => s.Kind == NodeKind.DeclStmt))
        {
            foreach (var decl in stmt.Children)
            {
                if (decl is not { Kind: NodeKind.VarDecl, Decl: { } v } || v.Type.IsReference) return null;
                if (body.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == v.Key && UsedByAddressOrCall(d))) return null;
                locals.Add(v);
            }
        }
        var renamed = locals.Select(l => l.Key).ToHashSet(StringComparer.Ordinal);

        // M: a perfect chain of loops, the innermost without loops.
        if (NestSyntax.PerfectChain(j, nest, byId) is not { } chain) return null;
        var innermost = chain[^1];
        if (innermost.Body is not { } innerBody || NestSyntax.Statements(innerBody) is not { Count: > 0 } innerStatements) return null;

        // (2) Every other scalar written is a chain counter or a local of a statement copied whole.
        var chainCounters = chain.Select(l => l.CanonicalHeader?.Variable?.Key).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var w in NestSyntax.Writes(body))
        {
            if (w.StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } v }) continue;
            if (renamed.Contains(v.Key) || chainCounters.Contains(v.Key)) continue;
            if (v.IsGlobalStorage || v.Type.IsReference || !body.Span.Contains(v.Span)) return null;
        }

        // (3) M's headers: the same iterations for every j.
        if (NestSyntax.ChainHeaders(root, chain, body, counter, chainCounters) is not { } headers) return null;
        if (before.Any(b => chainCounters.Any(c => SyntaxEquality.Mentions(b, c)))) return null;

        // (4) j's bounds, read once before the groups.
        var bodyWrites = NestSyntax.Writes(body).Select(w => w.StripParensAndCasts()).Where(w => w.Kind == NodeKind.DeclRef && w.Decl is not null).Select(w => w.Decl!.Key)
            .Append(counter.Key).Concat(renamed).ToHashSet(StringComparer.Ordinal);
        if (!NestSyntax.InvariantBound(hj.Low, bodyWrites) || !NestSyntax.InvariantBound(hj.Bound, bodyWrites)) return null;
        var low = NestSyntax.Expression(root, hj.Low);
        var bound = NestSyntax.Expression(root, hj.Bound) ?? NestSyntax.AfterOperator(root, hj.Left.Span.EndOffset, hj.Inclusive ? "<=" : "<");
        if (low is null || bound is null) return null;

        // Profitability: a long chain in M, U groups' worth of j, and M (not j) the stride-1 loop.
        if (facts.TripCount is { } jTrips && jTrips < 2L * factor) return null;
        if (!byId.TryGetValue(innermost.Id, out var innerFacts) || innerFacts.TripCount is { } innerTrips && innerTrips < MinimumInnerTrips) return null;
        if (ReductionChain(innerStatements, chainCounters) is not { } chainText) return null;
        if (levelTester(j) is not var (jBody, _) || innermost.CanonicalHeader is not { } ih) return null;
        var accesses = jBody.Accesses.Where(a => innerBody.Span.Contains(a.Node.Span)).ToList();
        var (innerScore, jScore) = (LoopInterchanging.Score(accesses, ih.Symbol), LoopInterchanging.Score(accesses, j.CanonicalHeader!.Symbol));
        if (innerScore <= 0 || innerScore <= jScore) return null;

        // The texts: per copy u, j replaced by `(paraslm_u_j + u)` and every top-level local renamed; the remainder as written.
        List<CopiedLine>? CopyAll(IEnumerable<SyntaxNode> stmts, IReadOnlyDictionary<string, (DeclInfo, string)> map)
        {
            var lines = new List<CopiedLine>();
            foreach (var stmt in stmts)
            {
                if (NestSyntax.CopyReplacing(doc, root, stmt, map) is not { } code) return null;
                lines.Add(new CopiedLine(stmt.Span.Line, code));
            }
            return lines;
        }
        var pre = new List<IReadOnlyList<CopiedLine>>();
        var copies = new List<IReadOnlyList<CopiedLine>>();
        var post = new List<IReadOnlyList<CopiedLine>>();
        for (var u = 0; u < factor; u++)
        {
            var map = locals.ToDictionary(l => l.Key, l => (l, UnrollJam.LocalOf(l.Name, u)), StringComparer.Ordinal);
            map[counter.Key] = (counter, UnrollJam.CounterOf(counter.Name, u));
            if (CopyAll(before, map) is not { } p || CopyAll(innerStatements, map) is not { } b || CopyAll(finals, map) is not { } f) return null;
            pre.Add(p);
            copies.Add(b);
            post.Add(f);
        }
        var none = new Dictionary<string, (DeclInfo, string)>(StringComparer.Ordinal);
        if (CopyAll(before, none) is not { } rp || CopyAll(innerStatements, none) is not { } rb || CopyAll(finals, none) is not { } rf) return null;

        var inner = chain.Select(l => l.CanonicalHeader?.Variable?.Name ?? "?").ToList();
        var evidence = $"`{counter.Name}` carries no dependence{(facts.RuntimeCheck is null ? string.Empty : " (under its run-time check)")} and its " +
                       $"{(chain.Count == 1 ? "loop" : "loops")} {string.Join(", ", inner.Select(n => $"`{n}`"))} {(chain.Count == 1 ? "runs" : "run")} the same iterations for every `{counter.Name}`: " +
                       $"{factor} iterations of `{counter.Name}` run {(chain.Count == 1 ? "it" : "them")} together, so the chain on `{chainText}` becomes {factor} independent chains, " +
                       "each element and scalar receiving its operations in the same order" +
                       (locals.Count == 0 ? string.Empty : $" ({string.Join(", ", locals.Select(l => $"`{l.Name}`"))} kept per copy)");
        // The chains' elements in accumulators where JamAccumulating proves it (the accesses of j's whole body).
        var bodyAccesses = jBody.Accesses.Where(a => body.Span.Contains(a.Node.Span)).ToList();
        var accumulators = JamAccumulating.Prove(j, counter, nest, innerStatements, bodyAccesses, (stmt, u) =>
        {
            var map = locals.ToDictionary(l => l.Key, l => (l, UnrollJam.LocalOf(l.Name, u)), StringComparer.Ordinal);
            map[counter.Key] = (counter, UnrollJam.CounterOf(counter.Name, u));
            return NestSyntax.CopyReplacing(doc, root, stmt, map);
        }, factor);
        if (accumulators is not null)
            evidence += $"; {string.Join(", ", accumulators.Elements.Select(x => $"`{x}`"))} {(accumulators.Elements.Count == 1 ? "is" : "are")} only reached there and " +
                        $"{(accumulators.Elements.Count == 1 ? "stays" : "stay")} in an accumulator of {(accumulators.Elements.Count == 1 ? "its" : "their")} own type per copy while the inner loop runs" +
                        (accumulators.FloatingPoint ? " (where `__FLT_EVAL_METHOD__` is 0 and contraction is the same; in memory elsewhere)" : string.Empty);
        return new UnrollJam(j.Id, j.Line, j.Column, j.Node.Span.Offset, j.Node.Span.EndOffset, counter.Name, ct.Spelling, j.CanonicalHeader!.DeclaredInHeader,
            low, hj.Inclusive ? $"({bound}) + 1" : bound, inner, pre, headers, copies, post, new UnrollJamCopy(rp, rb, rf), facts.RuntimeCheck)
        { Evidence = evidence, Accumulators = accumulators };
    }

    /// <summary>The planned parallel loop itself, when it runs unrolled and jammed: its groups are then the parallel iterations
    /// (`omp parallel for` on the group loop), which needs a plan without collapse; null otherwise.</summary>
    public static UnrollJam? Self(LoopFacts loop, int collapse) => collapse == 1 && loop.UnrollJam?.InterchangedWith is null ? loop.UnrollJam : null;

    /// <summary>The loops of the nest headed by <paramref name="outer"/> (planned parallel) that run unrolled and jammed: each
    /// proven loop inside it that its collapse does not fold in, whose own check, if any, the outer loop's check contains, and
    /// that no other such loop, nor a loop in <paramref name="rewritten"/> (the scalar-expanded ones), encloses.</summary>
    public static IReadOnlyList<UnrollJam> Sites(LoopFacts outer, int collapse, IReadOnlyDictionary<string, LoopFacts> loops, IReadOnlyList<ScalarExpansion>? rewritten = null)
    {
        if (outer.Matmul is not null || Self(outer, collapse) is not null) return [];
        var collapsed = InnerSimd.Collapsed(outer, collapse, loops);
        var found = loops.Values
            .Where(l => l.UnrollJam is { } u && !collapsed.Contains(l.Id) && InnerSimd.Inside(l, outer.Id, loops) &&
                        (u.RequiredCheck is null || outer.RuntimeCheck?.Contains(u.RequiredCheck, StringComparison.Ordinal) == true ||
                         // The interchanged form's check is its inner loop's, over that loop's ranges for one outer iteration.
                         u.CheckOf is { } of && loops.TryGetValue(of, out var checkedLoop) && ScalarExpanding.CheckImplied(outer, checkedLoop)) &&
                        !(rewritten ?? []).Any(e => l.StartOffset >= e.StartOffset && l.StartOffset < e.EndOffset))
            .OrderBy(l => l.StartOffset)
            .Select(l => l.UnrollJam!)
            .ToList();
        return found.Where(u => !found.Any(o => o != u && u.StartOffset > o.StartOffset && u.StartOffset < o.EndOffset)).ToList();
    }

    /// <summary>The sites that hold none of <paramref name="simd"/>: where M's innermost loop runs in vector lanes (`omp simd
    /// reduction(…)`, the chain summed in lanes), the lanes already break the chain and vectorize it too, so that form wins.</summary>
    public static IReadOnlyList<UnrollJam> WithoutSimd(IEnumerable<UnrollJam> jams, IReadOnlyList<SimdSite> simd) =>
        jams.Where(u => !simd.Any(s => s.StartOffset >= u.StartOffset && s.StartOffset < u.EndOffset)).ToList();

    /// <summary>The lanes of an `omp simd` site give each value exactly the serial result: no floating-point sum, and no `max`/`min`
    /// (whose lanes may keep another NaN than `if (v &gt; m) m = v` does); integer sums are exact in any order.</summary>
    public static bool LanesKeepResults(SimdSite s) =>
        !s.FloatingPointReduction && !s.Directive.Contains("reduction(max", StringComparison.Ordinal) && !s.Directive.Contains("reduction(min", StringComparison.Ordinal);

    /// <summary>The text of a value M's innermost body both reads and writes that no counter of M moves (`s`, `tmp[i]`):
    /// the chain of dependent operations unroll-and-jam splits; null when there is none.</summary>
    private static string? ReductionChain(IReadOnlyList<SyntaxNode> statements, HashSet<string> chainCounters)
    {
        foreach (var stmt in statements)
        {
            foreach (var w in NestSyntax.Writes(stmt))
            {
                var target = w.StripParensAndCasts();
                if (target.Kind is not (NodeKind.DeclRef or NodeKind.Subscript) || chainCounters.Any(c => SyntaxEquality.Mentions(target, c))) continue;
                if (target.Kind == NodeKind.DeclRef && target.Decl?.IsGlobalStorage != false) continue;
                var compound = w.Parent is { Kind: NodeKind.CompoundAssign };
                var uses = statements.Sum(s => s.DescendantsAndSelf().Count(d => SyntaxEquality.Same(d.StripParensAndCasts(), target) && d.Kind != NodeKind.Paren));
                if (compound || uses >= 2) return target.Kind == NodeKind.DeclRef ? target.Decl!.Name : $"{FirstName(target)}[…]";
            }
        }
        return null;
    }

    private static string FirstName(SyntaxNode n) => n.DescendantsAndSelf().FirstOrDefault(d => d.Kind == NodeKind.DeclRef)?.Decl?.Name ?? "?";

    /// <summary>A reference whose address is taken, or that is passed to a call as it is (a C++ reference parameter would bind to it).</summary>
    private static bool UsedByAddressOrCall(SyntaxNode reference)
    {
        var n = reference;
        while (n.Parent is { Kind: NodeKind.Paren or NodeKind.Cast or NodeKind.Unexposed } p) n = p;
        return n.Parent is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.AddrOf } || n.Parent is { Kind: NodeKind.Call };
    }

    private static bool WrittenIn(SyntaxNode body, string key) =>
        NestSyntax.Writes(body).Any(w => w.StripParensAndCasts() is { Kind: NodeKind.DeclRef } d && d.Decl?.Key == key);
}
