using System.Globalization;
using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// The proof that an array a loop L carries a dependence on is only scratch space of each iteration
/// (<see cref="Privatization"/>).
/// </summary>
/// <remarks>
/// Theorem. Let X be a one-dimensional array (pointer, array parameter or named array) of arithmetic elements, referenced in L
/// only as `X[e]` (no other use of its name: no address taken, no alias, not passed to a call). Let L's body be, possibly
/// through a chain of loops each of which is the single statement of the body around it (with bounds that read nothing L
/// changes, not even L's counter), the body B of a loop M (M = L when there is no chain), such that: B's statements before a
/// statement W do not reference X; W is `for (p = lo; p &lt; / &lt;= hi; p++) { X[p] = e; … }` with `lo` a non-negative constant,
/// `hi` invariant in L, `e` not reading X, and every reference of X in W's body subscripted by exactly `p`; every reference of X in
/// B's statements after W has a subscript whose range over the loops around it inside B lies in [lo, hi]; and L contains no jump
/// (`break`, `continue`, `goto`, `return`, a label). Then in every iteration of M, W writes X[p] for every p in [lo, hi] before
/// anything reads it (W runs all its iterations: no jump leaves it; inside W's iteration p, the first statement writes X[p]
/// before anything in that iteration reads X[p], the only element it references), and every later reference lies in that
/// section. So every read of X in an iteration of L reads a value written earlier in the same iteration: replacing X by a copy
/// private to the iteration (to the thread that runs it) changes no value read, and X's elements outside the section are never
/// referenced. After the loop, serially, X's section holds the values of the last iteration of L (if the chain ran in it — the
/// chain's bounds do not depend on L, so it runs in every iteration or in none; in none, L never referenced X); that is the copy
/// of the thread that ran the last iteration, at the end of the loop, which the form writes back. The other obligations —
/// X's section overlaps no other base the loop references, and no other base or scalar carries a dependence — are the
/// verdict's ordinary tests (<see cref="Facts.LoopJudge"/>), run with X's own pairs left out.
/// </remarks>
internal static class PrivatizationRecognizer
{
    /// <summary>The form for X's accesses, or (null, why) when the theorem's conditions do not hold.</summary>
    public static (Privatization? Form, string? Why) Of(LoopInfo loop, LoopHeader header, List<MemoryAccess> accesses, HashSet<string> variant,
        IReadOnlyDictionary<SyntaxNode, LoopInfo> loopsByNode)
    {
        var b0 = accesses[0].Base;
        if (b0.Kind is not (BaseKind.Pointer or BaseKind.NamedArray) || b0.Root is not { } root) return (null, null);
        string Not(string why) => $"`{root.Name}` is not privatized: {why}";
        if (accesses.Any(a => a.UnknownExtent || a.Path is not [IndexStep { Subscript: not null }]))
            return (null, Not("an access is not a one-dimensional affine subscript"));
        var element = accesses[0].Node.Type;
        if (!element.IsScalarValue || !(element.IsFloatingPoint || element.IsIntegral) || element.IsAnyVolatile || element.IsAnyAtomic ||
            accesses.Any(a => a.Node.Type.CanonicalSpelling != element.CanonicalSpelling))
            return (null, Not("its elements are not one arithmetic type"));
        var rootNode = NestSyntax.Root(loop.Node);

        // Every use of X's name in the loop is the base of one of these accesses.
        var referenced = new Dictionary<SyntaxNode, MemoryAccess>();
        foreach (var a in accesses)
        {
            if (a.Node.Kind != NodeKind.Subscript || a.Node.Children.Count != 2 || !loop.Node.Span.Contains(a.Node.Span)) return (null, Not("an access is not written `X[e]` in the loop"));
            var name = a.Node.Children[0].StripParensAndCasts();
            if (name.Kind != NodeKind.DeclRef || name.Decl?.Key != root.Key) return (null, Not("an access is not written `X[e]` in the loop"));
            referenced.TryAdd(name, a);
        }
        var uses = loop.Node.DescendantsAndSelf().Where(n => n.Kind == NodeKind.DeclRef && n.Decl?.Key == root.Key).ToList();
        if (uses.Count != referenced.Count || uses.Any(u => !referenced.ContainsKey(u)))
            return (null, Not("its name is used other than as `X[e]` (an address, an alias or a call argument)"));
        if (uses.Any(u => NestSyntax.Text(rootNode, u.Span.Offset, u.Span.EndOffset) != root.Name))
            return (null, Not("a reference comes from a macro"));
        if (loop.Node.DescendantsAndSelf().Any(n => n.Kind is NodeKind.Break or NodeKind.Continue or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or NodeKind.Label
                or NodeKind.Throw or NodeKind.Asm or NodeKind.StmtExpr or NodeKind.Switch))
            return (null, Not("the loop contains a jump, so the writes may not cover every read"));
        if (DuplicationBlocker.Of(loop.Node) is not null || !NestSyntax.FreeOfPreprocessorLines(rootNode, loop.Node) || loop.Body is not { } lBody)
            return (null, Not("the loop's text cannot be written twice"));

        // Down the chain of single-statement loops to the body that holds W.
        var fixedCounters = new List<Symbol> { header.Symbol };
        var chainRuns = new List<string>();
        var m = loop;
        while (true)
        {
            var statements = NestSyntax.Statements(m.Body) ?? [];
            var firstIndex = statements.FindIndex(s => accesses.Any(a => s.Span.Contains(a.Node.Span)));
            if (firstIndex < 0) return (null, Not("no statement of the loop body references it"));
            var w = statements[firstIndex];
            if (Cover(w, root, accesses, loopsByNode) is { } cover)
            {
                if (cover.Header.Min.MentionsAny(fixedCounters) || cover.Header.Max.MentionsAny(fixedCounters) || Variant(cover.Header.Min, variant) || Variant(cover.Header.Max, variant))
                    return (null, Not("the written section depends on the iteration"));
                if (!cover.Header.Min.IsConstant || cover.Header.Min.Constant < 0) return (null, Not("the written section does not start at a non-negative constant"));
                var p = cover.Header.Symbol;
                var wBody = cover.Loop.Body!;
                var writeNode = cover.Write;
                foreach (var a in accesses)
                {
                    if (ReferenceEquals(a.Node, writeNode)) continue;
                    var s = a.Path[0] is IndexStep { Subscript: { } sub } ? sub : null;
                    if (wBody.Span.Contains(a.Node.Span))
                    {
                        // Inside W's iteration p only X[p] is referenced, after its write (the body's first statement).
                        if (cover.FirstStatement.Span.Contains(a.Node.Span)) return (null, Not($"`{a.Text}` is read by the statement that writes the section"));
                        if (s is null || !s.Equals(LinearExpr.Of(p))) return (null, Not($"`{a.Text}` at line {a.Line} is not the element its iteration wrote"));
                        continue;
                    }
                    var after = statements.Skip(firstIndex + 1).Any(st => st.Span.Contains(a.Node.Span));
                    if (!after) return (null, Not($"`{a.Text}` at line {a.Line} is referenced before the section is written"));
                    if (!Inside(s!, a, m, cover.Header, fixedCounters, variant)) return (null, Not($"`{a.Text}` at line {a.Line} may reference an element outside the written section"));
                }
                var low = cover.Header.Min.Constant;
                var end = cover.Header.Max.Add(LinearExpr.One);
                var length = end.Subtract(LinearExpr.Const(low));
                var bodyBraced = lBody.Kind == NodeKind.Compound;
                if (bodyBraced && NestSyntax.Text(rootNode, lBody.Span.Offset, lBody.Span.Offset + 1) != "{") return (null, Not("the loop body's brace comes from a macro"));
                var form = new Privatization(root.Name, element.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal), low,
                    end.ToString(), end.IsConstant ? end.Constant : null, length.ToString(), writeNode.Span.Line,
                    uses.OrderBy(u => u.Span.Offset).Select(u => new PrivatizedReference(u.Span.Offset, u.Span.Line)).ToList(),
                    lBody.Span.Offset, bodyBraced, chainRuns.Count == 0 ? null : string.Join(" && ", chainRuns), [], [], null);
                return (form, null);
            }
            // Not W: the statement must be the body's only one, a loop that runs the same way in every iteration of L.
            if (statements.Count != 1 || w.Kind != NodeKind.For || !loopsByNode.TryGetValue(w, out var inner) || inner.CanonicalHeader is not { } ih)
                return (null, Not("the loop body does not start by writing the whole section in a loop"));
            if (ih.Min.MentionsAny(fixedCounters) || ih.Max.MentionsAny(fixedCounters) || Variant(ih.Min, variant) || Variant(ih.Max, variant))
                return (null, Not($"the loop at line {inner.Line} runs differently in different iterations"));
            chainRuns.Add(ih.Increasing ? $"(long long)({ih.Max}) >= (long long)({ih.Min})" : $"(long long)({ih.Min}) >= (long long)({ih.Max})");
            fixedCounters.Add(ih.Symbol);
            m = inner;
        }
    }

    private sealed record Covering(LoopInfo Loop, LoopHeader Header, SyntaxNode FirstStatement, SyntaxNode Write);

    /// <summary>W: `for (p = lo; p &lt; hi; p++) { X[p] = e; … }` — unit step, braced body, a plain store of X[p] first.</summary>
    private static Covering? Cover(SyntaxNode w, DeclInfo root, List<MemoryAccess> accesses, IReadOnlyDictionary<SyntaxNode, LoopInfo> loopsByNode)
    {
        if (w.Kind != NodeKind.For || !loopsByNode.TryGetValue(w, out var loop) || loop.CanonicalHeader is not { } h || !h.StepKnown || h.Step != 1) return null;
        if (loop.Body is not { Kind: NodeKind.Compound } body || body.Children.Count == 0) return null;
        var first = body.Children[0];
        var store = first.StripParensAndCasts();
        if (store.Kind != NodeKind.Binary || store.BinaryOp != BinaryOp.Assign || store.Children.Count != 2) return null;
        var lhs = store.Children[0].StripParensAndCasts();
        var access = accesses.FirstOrDefault(a => ReferenceEquals(a.Node, lhs) || ReferenceEquals(a.Node, store.Children[0]));
        if (access is null || !access.IsWrite || access.IsRead || access.Base.Root?.Key != root.Key) return null;
        if (access.Path[0] is not IndexStep { Subscript: { } s } || !s.Equals(LinearExpr.Of(h.Symbol))) return null;
        return new Covering(loop, h, first, access.Node);
    }

    private static bool Variant(LinearExpr e, HashSet<string> variant) =>
        e.Symbols.Any(s => s.Dependencies.Any(variant.Contains) || s.Key.StartsWith("range:", StringComparison.Ordinal) || s.IsOpaque);

    /// <summary>The subscript's range over the loops around the access inside M lies in W's [Min, Max].</summary>
    private static bool Inside(LinearExpr s, MemoryAccess a, LoopInfo m, LoopHeader w, List<Symbol> fixedCounters, HashSet<string> variant)
    {
        var vars = new List<VarRange>();
        var headers = new List<LoopHeader>();
        foreach (var inner in a.InnerLoops.Reverse())
        {
            if (ReferenceEquals(inner, m) || !m.Encloses(inner)) continue;
            if (inner.CanonicalHeader is not { } h) return false;
            vars.Add(new VarRange(h.Symbol, h.Min, h.Max));
            headers.Add(h);
        }
        var lower = RangeBounds.LowerBounds(headers);
        if (RangeBounds.Of(s, vars, lower) is not var (lo, hi)) return false;
        if (lo.MentionsAny(fixedCounters) || hi.MentionsAny(fixedCounters) || Variant(lo, variant) || Variant(hi, variant)) return false;
        if (vars.Any(v => lo.Mentions(v.Symbol) || hi.Mentions(v.Symbol))) return false;
        return NonNegative(lo.Subtract(w.Min), lower) && NonNegative(w.Max.Subtract(hi), lower);
    }

    private static bool NonNegative(LinearExpr e, IReadOnlyDictionary<string, long> lower) =>
        e.IsConstant ? e.Constant >= 0 : RangeBounds.SignOf(e, lower) > 0;

    internal static string Describe(long value) => value.ToString(CultureInfo.InvariantCulture);
}
