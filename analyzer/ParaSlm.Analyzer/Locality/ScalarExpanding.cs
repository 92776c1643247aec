using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Proves <see cref="ScalarExpansion"/> for a loop `j`. Theorem: let j's body be exactly `T s = INIT; R; F1 … Fn` where R is
/// a perfect chain of `for` loops (the reduction nest) whose innermost body has no loop. If (1) the analyzer proves `j`
/// parallel at its own level (no dependence between different `j` through memory, under its run-time check, which the
/// parallel loop's check must contain), without reductions or lastprivate; (2) `s` is a local arithmetic scalar declared
/// by that first statement, never address-taken; (3) every other scalar the body writes is R's counters or a local
/// declared inside R's innermost body or inside an Fi (fresh in every iteration of the loop that runs it); (4) R's headers
/// read no memory, no `j`, no `s` and nothing the body writes except R's own counters (so R runs the same iterations for
/// every `j`), and INIT reads none of R's counters; (5) `j` is canonical (`&lt;`/`&lt;=`, step +1) with bounds that read no
/// memory and nothing the body writes, its counter declared in its header or dead after it; (6) there is no exit, label,
/// `switch`, other loop kind, lambda, allocation, user pragma or preprocessor line — then replacing `s` by `x[j]` gives
/// every `j` its own storage, so running, for each strip of `j`, all INITs, then R with `j` innermost, then all Fs keeps
/// the order of every `j`'s own operations and only interleaves operations of different `j`, which (1) allows: the
/// results are the same, bit for bit. Profitable when R's innermost loop is short (a constant trip count of at most
/// <see cref="ShortTrips"/>) or `j` moves more of R's references by one element than R's innermost counter does, and `j`
/// is not itself short.
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
    {
        var byId = new Dictionary<string, LoopFacts>(StringComparer.Ordinal);
        foreach (var f in facts) byId.TryAdd(f.Id, f);
        var result = facts.ToList();
        var documents = new Dictionary<SyntaxNode, SourceDocument?>(ReferenceEqualityComparer.Instance);
        foreach (var loop in loops)
        {
            if (!byId.TryGetValue(loop.Id, out var f) || !Candidate(loop, f)) continue;
            var root = NestSyntax.Root(loop.Node);
            if (!documents.TryGetValue(root, out var doc))
                documents[root] = doc = root.SourceText is { } text ? new SourceDocument(loop.File, text) : null;
            if (doc is null || Recognize(loop, f, byId, levelTester, root, doc) is not { } expansion) continue;
            var index = result.FindIndex(x => ReferenceEquals(x, f));
            if (index >= 0) result[index] = f with { ScalarExpansion = expansion };
        }
        return result;
    }

    /// <summary>A cheap first look: a parallel inner loop whose body starts with a declaration and holds a loop.</summary>
    private static bool Candidate(LoopInfo loop, LoopFacts f) =>
        loop.Parent is not null && f.Parallelizable && !f.HasOpenMPDirective && loop.Children.Count == 1 &&
        loop.Body is { Kind: NodeKind.Compound, Children: [{ Kind: NodeKind.DeclStmt }, { Kind: NodeKind.For }, _, ..] };

    internal static ScalarExpansion? Recognize(LoopInfo j, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, SyntaxNode root, SourceDocument doc)
    {
        if (facts.Reductions.Count > 0 || facts.LastPrivate.Count > 0 || facts.ArrayReductions.Count > 0) return null;
        // (1) The check j needs must be part of an enclosing loop's (the parallel copy runs under that one).
        if (facts.RuntimeCheck is { } own && !Enclosing(j).Any(p => byId.TryGetValue(p.Id, out var pf) && pf.RuntimeCheck?.Contains(own, StringComparison.Ordinal) == true)) return null;
        if (MatmulRecognizer.Header(j) is not { } hj || j.Body is not { } body || NestSyntax.Statements(body) is not [var first, var nest, .. var finals]) return null;
        if (NestSyntax.Text(root, j.Node.Span.Offset, j.Node.Span.EndOffset) is not { } loopText || loopText.Contains('#') || loopText.Contains("paraslm_", StringComparison.Ordinal)) return null;
        // (6) Statements only.
        if (j.Node.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Break or NodeKind.Continue or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or
                NodeKind.Label or NodeKind.Asm or NodeKind.Throw or NodeKind.Try or NodeKind.While or NodeKind.Do or NodeKind.Switch or NodeKind.StmtExpr or
                NodeKind.Lambda or NodeKind.New or NodeKind.Delete or NodeKind.OpenMPDirective or NodeKind.RangeFor)) return null;

        // (2) `T s = INIT;`
        if (first is not { Kind: NodeKind.DeclStmt, Children: [{ Kind: NodeKind.VarDecl, Decl: { } s } decl] } || FunctionScope.InitializerOf(decl) is not { } init) return null;
        var t = s.Type;
        if (t.Shape != TypeShape.Scalar || !(t.IsFloatingPoint || t.IsIntegral) || t.IsReference || t.IsConst || t.IsAnyVolatile || t.IsAnyAtomic ||
            s.IsStatic || s.IsThreadLocal || s.IsGlobalStorage || s.Type.Spelling.IndexOfAny(['(', '[', '&']) >= 0) return null;
        // A static local is one object for both copies of the loop (the expanded one and the one kept for x87).
        if (body.DescendantsAndSelf().Any(d => d.Kind == NodeKind.VarDecl && d.Decl is { } v && (v.IsStatic || v.IsThreadLocal || v.IsGlobalStorage))) return null;
        if (body.DescendantsAndSelf().Any(d => d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.AddrOf } && d.Children is [var x] && x.StripParensAndCasts() is { Kind: NodeKind.DeclRef } r && r.Decl?.Key == s.Key)) return null;

        // R: a perfect chain of loops, the innermost without loops.
        var chain = new List<LoopInfo>();
        var level = j.Children.FirstOrDefault(c => ReferenceEquals(c.Node, nest));
        while (level is not null)
        {
            chain.Add(level);
            if (level.Children.Count == 0) break;
            level = level.Children is [var only] && NestSyntax.SingleStatement(level.Body, only.Node) ? only : null;
            if (level is null) return null;
        }
        if (chain.Count == 0 || chain.Any(l => l.IsRangeFor || l.Node.For is null || !byId.TryGetValue(l.Id, out var lf) || lf.HasOpenMPDirective)) return null;
        var innermost = chain[^1];
        if (innermost.Body is not { } innerBody || NestSyntax.Statements(innerBody) is not { Count: > 0 } innerStatements) return null;

        // (3) Scalars written: s, R's counters, locals of R's innermost body or of a final statement.
        var chainCounters = chain.Select(l => l.Header?.Variable?.Key).OfType<string>().ToHashSet(StringComparer.Ordinal);
        bool Fresh(DeclInfo d) => innerBody.Span.Contains(d.Span) || finals.Any(f => f.Span.Contains(d.Span));
        foreach (var w in NestSyntax.Writes(body))
        {
            if (w.StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } v }) continue;
            if (v.Key == s.Key || chainCounters.Contains(v.Key)) continue;
            if (v.IsGlobalStorage || v.Type.IsReference || !Fresh(v)) return null;
        }

        // (4) R's headers: the same iterations for every j.
        var headers = new List<CopiedLine>();
        foreach (var l in chain)
        {
            var parts = l.Node.For!;
            if (parts.Body is not { } lb) return null;
            foreach (var part in new[] { parts.Init, parts.Condition, parts.Increment }.OfType<SyntaxNode>())
            {
                if (part.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Subscript or NodeKind.Call or NodeKind.MemberRef || d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Deref })) return null;
                foreach (var d in part.DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef && d.Decl is not null))
                {
                    var v = d.Decl!;
                    if (v.Key == s.Key || v.Key == hj.Counter.Key || v.Type.IsAnyVolatile) return null;
                    if (!chainCounters.Contains(v.Key) && (body.Span.Contains(v.Span) || WrittenIn(body, v.Key))) return null;
                }
            }
            if (NestSyntax.Text(root, l.Node.Span.Offset, lb.Span.Offset)?.TrimEnd() is not { } header || !header.EndsWith(')') ||
                !System.Text.RegularExpressions.Regex.IsMatch(header, @"^for\s*\(") || header.Contains('\n') || header.Contains('\r') ||
                header.Contains("//", StringComparison.Ordinal) || header.Contains("/*", StringComparison.Ordinal)) return null;
            headers.Add(new CopiedLine(l.Line, header));
        }
        if (chainCounters.Any(c => SyntaxEquality.Mentions(init, c))) return null;

        // (5) j's bounds, read once before the strips.
        var bodyWrites = NestSyntax.Writes(body).Select(w => w.StripParensAndCasts()).Where(w => w.Kind == NodeKind.DeclRef && w.Decl is not null).Select(w => w.Decl!.Key)
            .Append(hj.Counter.Key).Append(s.Key).ToHashSet(StringComparer.Ordinal);
        if (!NestSyntax.InvariantBound(hj.Low, bodyWrites) || !NestSyntax.InvariantBound(hj.Bound, bodyWrites)) return null;
        if (!j.Header!.DeclaredInHeader && Liveness.IsLiveAfter(j, hj.Counter)) return null;
        var low = NestSyntax.Expression(root, hj.Low);
        var bound = NestSyntax.Expression(root, hj.Bound) ?? NestSyntax.AfterOperator(root, hj.Left.Span.EndOffset, hj.Inclusive ? "<=" : "<");
        if (low is null || bound is null) return null;

        // Profitability: R's innermost loop is short, or j walks more of R's references by one element.
        if (facts.TripCount is { } jTrips && jTrips < MinimumTrips) return null;
        var shortInner = byId.TryGetValue(innermost.Id, out var innerFacts) && innerFacts.TripCount is { } innerTrips && innerTrips <= ShortTrips;
        if (!shortInner)
        {
            if (levelTester(j) is not var (jBody, _) || innermost.Header is not { } ih) return null;
            var accesses = jBody.Accesses.Where(a => innerBody.Span.Contains(a.Node.Span)).ToList();
            if (LoopInterchanging.Score(accesses, j.Header.Symbol) <= LoopInterchanging.Score(accesses, ih.Symbol)) return null;
        }

        // The texts, with s replaced by its element; every reference to s must be replaced.
        var element = ScalarExpansion.ElementOf(s.Name, hj.Counter.Name);
        var initText = NestSyntax.Expression(root, init) ?? NestSyntax.RightHandSide(root, first, null, "=");
        if (initText is null || Mentions(init, s)) return null;
        var statements = new List<CopiedLine>();
        foreach (var stmt in innerStatements.Concat(finals))
        {
            if (Copy(doc, root, stmt, s, element) is not { } code) return null;
            statements.Add(new CopiedLine(stmt.Span.Line, code));
        }
        var simd = !innerBody.DescendantsAndSelf().Any(d => d.Kind == NodeKind.Call);
        var evidence = $"`{s.Name}` starts, accumulates over the {(chain.Count == 1 ? "loop" : $"{chain.Count} loops")} " +
                       $"{string.Join(", ", chain.Select(l => $"`{l.Header?.Variable?.Name}`"))} and is used for each `{hj.Counter.Name}` alone, and `{hj.Counter.Name}` " +
                       $"carries no dependence{(facts.RuntimeCheck is null ? string.Empty : " (under its run-time check)")}: kept per `{hj.Counter.Name}` in a strip array, " +
                       $"the reduction loops run outside `{hj.Counter.Name}`, every element receives the same operations in the same order, and `{hj.Counter.Name}` " +
                       $"becomes the stride-1 innermost loop{(shortInner ? $" (the innermost reduction loop runs only {innerFacts!.TripCount} times)" : string.Empty)}";
        return new ScalarExpansion(j.Id, j.Line, j.Column, j.Node.Span.Offset, j.Node.Span.EndOffset,
            hj.Counter.Name, hj.Counter.Type.Spelling, low, hj.Inclusive ? $"({bound}) + 1" : bound,
            s.Name, s.Type.Spelling, MatmulRecognizer.ElementSize(t), t.IsFloatingPoint,
            new CopiedLine(first.Span.Line, $"{element} = {initText};"), headers, statements.Take(innerStatements.Count).ToList(), statements.Skip(innerStatements.Count).ToList(),
            simd, facts.RuntimeCheck) { Evidence = evidence };
    }

    /// <summary>The loops of the nest headed by <paramref name="outer"/> (planned parallel) that run scalar-expanded: each proven
    /// loop inside it that its collapse does not fold in and whose own check, if any, the outer loop's check contains.</summary>
    public static IReadOnlyList<ScalarExpansion> Sites(LoopFacts outer, int collapse, IReadOnlyDictionary<string, LoopFacts> loops)
    {
        if (outer.Matmul is not null) return [];
        var collapsed = InnerSimd.Collapsed(outer, collapse, loops);
        return loops.Values
            .Where(l => l.ScalarExpansion is { } e && !collapsed.Contains(l.Id) && InnerSimd.Inside(l, outer.Id, loops) &&
                        (e.RequiredCheck is null || outer.RuntimeCheck?.Contains(e.RequiredCheck, StringComparison.Ordinal) == true))
            .OrderBy(l => l.StartOffset)
            .Select(l => l.ScalarExpansion!)
            .ToList();
    }

    private static IEnumerable<LoopInfo> Enclosing(LoopInfo loop)
    {
        for (var p = loop.Parent; p is not null; p = p.Parent) yield return p;
    }

    private static bool WrittenIn(SyntaxNode body, string key) =>
        NestSyntax.Writes(body).Any(w => w.StripParensAndCasts() is { Kind: NodeKind.DeclRef } d && d.Decl?.Key == key);

    private static bool Mentions(SyntaxNode n, DeclInfo s) => SyntaxEquality.Mentions(n, s.Key);

    /// <summary>
    /// The statement's text on one line with every reference to <paramref name="s"/> replaced by <paramref name="element"/>;
    /// null when the text is not the whole statement (a macro hides where it ends), holds a comment or preprocessor line,
    /// or the identifiers replaced are not exactly the AST's references to <paramref name="s"/> (a macro that names it).
    /// </summary>
    private static string? Copy(SourceDocument doc, SyntaxNode root, SyntaxNode stmt, DeclInfo s, string element)
    {
        var start = SourceText.CharIndex(root, stmt.Span.Offset);
        var first = doc.CodeTokenAt(start);
        if (first < 0) return null;
        var end = new StatementParser(doc).StatementEnd(first);
        if (end <= first) return null;
        var stop = doc.Code[end - 1].End;
        // libclang's extent must lie inside what the tokens say is the statement.
        if (SourceText.CharIndex(root, stmt.Span.EndOffset) > stop) return null;
        var text = doc.Text[start..stop];
        if (text.Contains("//", StringComparison.Ordinal) || text.Contains("/*", StringComparison.Ordinal) || text.Contains('#') || text.Contains('\\')) return null;
        var references = stmt.DescendantsAndSelf().Count(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == s.Key);
        if (stmt.DescendantsAndSelf().Any(d => d.Kind is NodeKind.DeclRef or NodeKind.VarDecl && d.Decl is { } other && other.Key != s.Key && other.Name == s.Name)) return null;
        var output = new System.Text.StringBuilder();
        var cursor = start;
        var replaced = 0;
        for (var k = first; k < end; k++)
        {
            var token = doc.Code[k];
            if (token.Kind != TokenKind.Identifier || doc.TextOf(token) != s.Name) continue;
            var previous = k > first ? doc.TextOf(doc.Code[k - 1]) : string.Empty;
            if (previous is "." or "->" or "::") continue;
            output.Append(doc.Text[cursor..token.Start]).Append('(').Append(element).Append(')');
            cursor = token.End;
            replaced++;
        }
        output.Append(doc.Text[cursor..stop]);
        if (replaced != references) return null;
        return string.Join(' ', output.ToString().Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }
}
