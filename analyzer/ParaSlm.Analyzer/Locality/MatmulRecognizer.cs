using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Recognizes matrix-product nests and proves that running them as i-k-j, tiled over i, j and k, with the i tiles in
/// parallel, computes every element bit for bit as the source does.
/// </summary>
/// <remarks>
/// The theorem. The nest writes only the elements `T[i][j]` (one per (i, j): a row-major 2-D array or pointer to rows,
/// subscripted by exactly the two counters), its counters and its accumulator; nothing it reads can be one of those
/// elements (the addend never names the target's array or the accumulator, and the analyzer proved the outer loop
/// parallel: distinct arrays, or a run-time check that they do not overlap); the addend and the bounds call nothing and
/// write nothing. Then each element's final value is `INIT ⊕ E(i,j,k0) ⊕ E(i,j,k0+1) ⊕ …` in ascending k, whatever
/// order the (i, j) pairs take, and the tiled i-k-j form keeps ascending k for every element (the k tiles run in
/// ascending order, and k ascends inside a tile). Summing in the element instead of a scalar of the same type is the
/// same sequence of roundings where the compiler evaluates in the type itself (`__FLT_EVAL_METHOD__ == 0`; checked in
/// the generated code). The register block (<see cref="MatmulBlock"/>) only regroups which elements a j vector carries
/// and when an element's running value is in a local instead of memory: each element still gets its terms one at a
/// time in ascending k, with the source's statement, in its own type. Not applied: user OpenMP or other pragmas in the nest, calls, early exits, steps other than +1,
/// bounds that read memory or another counter, a target subscripted any other way, counters or accumulator read after
/// the nest, types that differ between accumulator and element.
/// </remarks>
public static class MatmulRecognizer
{
    /// <summary>The facts with <see cref="LoopFacts.Matmul"/> set on the outer loop of every recognized nest.</summary>
    /// <remarks>A loop that heads no nest of three loops keeps `None`: a rejection is recorded only for a nest of the right depth.</remarks>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts) =>
        LoopAnnotation.Annotate<MatmulRecognition>(loops, facts,
            (loop, f, byId) => Examine(loop, f, byId) is { Rejection: not MatmulRejection.NotThreeLoops } found ? (found, [loop.Id]) : null,
            (f, found) => f with { Matmul = found.Nest, MatmulRejection = found.Rejection });

    /// <summary>The nest headed by <paramref name="outer"/>, when it is a matrix product the transform may reorder; else null.</summary>
    public static MatmulNest? Recognize(LoopInfo outer, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId) => Examine(outer, facts, byId).Nest;

    /// <summary>The nest headed by <paramref name="outer"/>, or the named rule of the theorem it misses.</summary>
    public static MatmulRecognition Examine(LoopInfo outer, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        // i-j-k: `for i for j { …; for k … }`; i-k-j (gemm): `for i { [for j init;] for k for j C[i][j] += E; }`.
        LoopInfo? initLoop = null;
        if (outer.Children is [var one] && one.Children is [var two] && two.Children.Count == 0) { }
        else if (outer.Children is [{ Children.Count: 0 } first, var k] && k.Children is [{ Children.Count: 0 }]) initLoop = first;
        else return MatmulRecognition.Rejected(MatmulRejection.NotThreeLoops);
        var middle = outer.Children[^1];
        var inner = middle.Children[0];
        // The outer loop's verdict carries the aliasing proof (or the check) between the target and every array read.
        if (!NestSyntax.PlainParallel(facts)) return MatmulRecognition.Rejected(MatmulRejection.OuterNotParallel);
        // A counter (or anything else the nest writes) read after it: the generated form keeps its own counters.
        if (facts.LastPrivate.Count > 0) return MatmulRecognition.Rejected(MatmulRejection.ReadAfterTheNest);
        foreach (var l in new[] { middle, inner, initLoop })
            if (l is not null && (!byId.TryGetValue(l.Id, out var lf) || lf.HasOpenMPDirective)) return MatmulRecognition.Rejected(MatmulRejection.InnerDirective);
        var root = NestSyntax.Root(outer.Node);
        if (root.SourceText is null) return MatmulRecognition.Rejected(MatmulRejection.TextNotCopyable);
        // No preprocessor line inside the nest: a `#pragma` on an inner loop (unroll, ivdep) or `#if` would be lost.
        if (!NestSyntax.FreeOfPreprocessorLines(root, outer.Node)) return MatmulRecognition.Rejected(MatmulRejection.PreprocessorLine);

        if (Header(outer) is not { } hi || Header(middle) is not { } hm || Header(inner) is not { } hn) return MatmulRecognition.Rejected(MatmulRejection.NonCanonicalHeader);
        Canonical? hInit = null;
        if (initLoop is not null && (hInit = Header(initLoop)) is null) return MatmulRecognition.Rejected(MatmulRejection.NonCanonicalHeader);
        if (NestSyntax.Statements(inner.Body) is not [var update]) return MatmulRecognition.Rejected(MatmulRejection.BodyShape);
        // Which loop is j: the one whose counter subscripts the target's columns (`C[i][j] += E` under `for k for j` is i-k-j).
        var ikj = initLoop is not null || (Accumulation(update, null) is var (t0, _, _) && t0 is { Kind: NodeKind.Subscript, Children: [_, var col0] } && IsCounter(col0, hn.Counter));
        var (hj, hk) = ikj ? (hn, hm) : (hm, hn);
        var counters = new[] { hi.Counter, hj.Counter, hk.Counter };
        if (counters.Select(c => c.Key).Distinct().Count() != 3) return MatmulRecognition.Rejected(MatmulRejection.SharedCounter);
        if (ikj ? !(NestSyntax.Statements(outer.Body) is { } top && top.SequenceEqual(outer.Children.Select(c => c.Node))) : !NestSyntax.SingleStatement(outer.Body, middle.Node))
            return MatmulRecognition.Rejected(MatmulRejection.OuterBodyNotOnlyTheJLoop);
        // gemm's start loop runs over exactly the j range of the product's j loop, with the same counter.
        if (hInit is not null && (!SameCounter(hInit, hj) || hInit.Inclusive != hj.Inclusive ||
                                  !SyntaxEquality.Same(hInit.Low.StripParensAndCasts(), hj.Low.StripParensAndCasts()) ||
                                  !SyntaxEquality.Same(hInit.Bound.StripParensAndCasts(), hj.Bound.StripParensAndCasts())))
            return MatmulRecognition.Rejected(MatmulRejection.InitLoopDiffers);

        // The start loop's own counter, when it is a twin of the product's j (`for (int j …)` twice), reads as that j.
        (string, string)? twin = hInit is not null && hInit.Counter.Key != hj.Counter.Key ? (hInit.Counter.Key, hj.Counter.Key) : null;

        // Bounds: evaluated once before the nest, so they must be invariant and free of effects and of the counters.
        var keys = counters.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var h in new[] { hi, hj, hk, hInit })
            if (h is not null && (!NestSyntax.InvariantBound(h.Low, keys) || !NestSyntax.InvariantBound(h.Bound, keys))) return MatmulRecognition.Rejected(MatmulRejection.VariantBound);

        // The statements around the k loop (i-j-k), or the start loop's body (i-k-j); the k loop is at kIndex.
        List<SyntaxNode> stmts;
        int kIndex;
        if (!ikj)
        {
            if (NestSyntax.Statements(middle.Body) is not { } body) return MatmulRecognition.Rejected(MatmulRejection.BodyShape);
            (stmts, kIndex) = (body, body.FindIndex(x => ReferenceEquals(x, inner.Node)));
        }
        else
        {
            if (!NestSyntax.SingleStatement(middle.Body, inner.Node)) return MatmulRecognition.Rejected(MatmulRejection.BodyShape);
            if (initLoop is null) (stmts, kIndex) = ([inner.Node], 0);
            else if (NestSyntax.Statements(initLoop.Body) is [var startStmt]) (stmts, kIndex) = ([startStmt, inner.Node], 1);
            else return MatmulRecognition.Rejected(MatmulRejection.InitShape);
        }
        if (kIndex < 0) return MatmulRecognition.Rejected(MatmulRejection.BodyShape);

        SyntaxNode? target;
        SyntaxNode? initExpr = null;
        SyntaxNode? initStmt = null;
        var initOperator = "=";
        DeclInfo? scalar = null;
        SyntaxNode addend;
        string accumulate;
        if (kIndex == stmts.Count - 1)
        {
            // C[i][j] += E directly, optionally after C[i][j] = INIT.
            if (Accumulation(update, null) is not var (t, e, acc)) return MatmulRecognition.Rejected(MatmulRejection.NotAnAccumulation);
            (target, addend, accumulate) = (t, e, acc);
            if (kIndex == 1)
            {
                // `C[i][j] = INIT;` or an update of the element itself (`C[i][j] *= beta;`, gemm's scaling).
                if (Assignment(stmts[0]) is var (lhs, rhs) && SyntaxEquality.Same(lhs, target, twin)) (initExpr, initStmt) = (rhs, stmts[0]);
                else if (stmts[0].StripParensAndCasts() is { Kind: NodeKind.CompoundAssign, Children: [var cl, var cr] } update0 &&
                         update0.BinaryOp is BinaryOp.MulAssign or BinaryOp.AddAssign or BinaryOp.SubAssign or BinaryOp.DivAssign &&
                         SyntaxEquality.Same(cl.StripParensAndCasts(), target.StripParensAndCasts(), twin))
                    (initExpr, initStmt, initOperator) = (cr, stmts[0], update0.BinaryOp.Text());
                else return MatmulRecognition.Rejected(MatmulRejection.InitShape);
            }
            else if (kIndex != 0) return MatmulRecognition.Rejected(MatmulRejection.BodyShape);
        }
        else
        {
            // s = INIT; for k s += E; C[i][j] = s;
            if (kIndex != 1 || stmts.Count != 3) return MatmulRecognition.Rejected(MatmulRejection.BodyShape);
            if (Assignment(stmts[2]) is not var (store, value) || value.StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } s }) return MatmulRecognition.Rejected(MatmulRejection.BodyShape);
            if (value.StripParensAndCasts().Type.CanonicalSpelling != s.Type.CanonicalSpelling) return MatmulRecognition.Rejected(MatmulRejection.AccumulatorType);
            scalar = s;
            target = store;
            if (ScalarInit(stmts[0], s) is not { } init) return MatmulRecognition.Rejected(MatmulRejection.InitShape);
            (initExpr, initStmt) = (init, stmts[0]);
            if (Accumulation(update, s) is not var (_, e, acc)) return MatmulRecognition.Rejected(MatmulRejection.NotAnAccumulation);
            (addend, accumulate) = (e, acc);
            // The accumulator must hold exactly what the element holds: same type, no conversion at the store.
            if (s.Type.CanonicalSpelling != target.Type.CanonicalSpelling || s.Type.IsVolatile || s.IsGlobalStorage) return MatmulRecognition.Rejected(MatmulRejection.AccumulatorType);
            // Not read after the nest (the generated form never writes it).
            if (!DeclaredIn(s, middle.Body!) && !facts.Private.Contains(s.Name)) return MatmulRecognition.Rejected(MatmulRejection.AccumulatorLive);
        }

        if (TargetArray(target, hi.Counter, hj.Counter) is not { } array) return MatmulRecognition.Rejected(MatmulRejection.TargetShape);
        if (scalar is not null && new[] { hi, hj, hk }.Any(h => SyntaxEquality.Mentions(h.Low, scalar.Key) || SyntaxEquality.Mentions(h.Bound, scalar.Key))) return MatmulRecognition.Rejected(MatmulRejection.BoundReadsAccumulator);
        var type = target.Type;
        if (type.Shape != TypeShape.Scalar || !(type.IsFloatingPoint || type.IsIntegral) || type.IsAnyVolatile || type.IsAnyAtomic) return MatmulRecognition.Rejected(MatmulRejection.TargetType);
        // `s = C[i][j]` starts from the element itself: the generated form needs no first store.
        if (initOperator == "=" && initExpr is not null && SyntaxEquality.Same(initExpr.StripParensAndCasts(), target.StripParensAndCasts())) initExpr = null;

        var forbidden = new HashSet<string>(StringComparer.Ordinal) { array.Key };
        if (scalar is not null) forbidden.Add(scalar.Key);
        if (!PureRead(addend, forbidden)) return MatmulRecognition.Rejected(MatmulRejection.AddendNotPure);
        // The start value may read the element itself (`beta * C[i][j]`): it is read just before its own first addition.
        // The generated form sets the start value where the user's k is declared: no name in it may mean another k.
        if (initExpr is not null && (!PureRead(initExpr, new HashSet<string>(forbidden) { hk.Counter.Key }, target, twin) ||
                                     initExpr.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Name == hk.Counter.Name)))
            return MatmulRecognition.Rejected(MatmulRejection.InitNotPure);

        string? Copy(SyntaxNode n) => NestSyntax.Expression(root, n);
        // Every access the analyzer resolved to the target's array (local aliases included) is the target itself: the
        // addend reads no element of it, under any name.
        var targetSubscripts = new[] { hi.Counter.Name, hj.Counter.Name };
        if (facts.Accesses.Any(a => a.Array == array.Name && !a.Subscripts.SequenceEqual(targetSubscripts))) return MatmulRecognition.Rejected(MatmulRejection.TargetReadElsewhere);
        var lows = new[] { Copy(hi.Low), Copy(hj.Low), Copy(hk.Low) };
        // A bound behind a macro (`_PB_NI`) has no extent of its own in the file: its text is read after the comparison.
        var bounds = new[] { hi, hj, hk }.Select(h => Copy(h.Bound) ?? NestSyntax.AfterOperator(root, h.Left.Span.EndOffset, h.Inclusive ? "<=" : "<")).ToArray();
        var targetText = Copy(target);
        var addendText = Copy(addend);
        var initText = initExpr is null ? null : Copy(initExpr) ?? InitFromStatement(root, initStmt!, initOperator);
        if (lows.Any(x => x is null) || bounds.Any(x => x is null) || targetText is null || addendText is null || (initExpr is not null && initText is null)) return MatmulRecognition.Rejected(MatmulRejection.TextNotCopyable);
        var highs = new[] { hi, hj, hk }.Select((h, n) => h.Inclusive ? $"({bounds[n]}) + 1" : bounds[n]!).ToList();

        var start = initText is null ? "its own value" : initOperator == "=" ? $"`{initText}`" : $"its own value updated with `{initOperator} {initText}`";
        var evidence = $"matrix-product nest: every `{targetText}` is {start} plus `{addendText}` " +
                       $"summed in ascending `{hk.Counter.Name}`; `{array.Name}` is not read by the addend and the outer loop is proven parallel" +
                       (facts.RuntimeCheck is null ? string.Empty : " (under its run-time check)") +
                       (scalar is null ? string.Empty : $"; the accumulator `{scalar.Name}` has the element's type, so summing in the element rounds the same");
        // The micro-kernel's register block holds elements in locals of the element's own type between consecutive k.
        // Only where the addition happens in the element's own type: a float element plus a double addend (`Cf[i][j] +=
        // alpha * Af[i][k] * Bf[k][j]` with a double alpha) held in a float local between four such additions printed 53 of
        // 54,000 elements differently from serial with gcc 12 -O3 (its SLP vectorizer; -fno-tree-slp-vectorize, -O0 and
        // clang agreed), so such nests keep the one-row form, which agreed.
        var block = addend.Type.CanonicalSpelling == type.CanonicalSpelling && addend.StripParensAndCasts().Type.CanonicalSpelling == type.CanonicalSpelling
            ? MatmulBlock.For(type.CanonicalSpelling) : null;
        if (block is not null)
            evidence += $"; {block.Name}: {block.Rows} rows share each row of `{hk.Counter.Name}` terms, each element adds {block.Steps} consecutive terms " +
                        $"in ascending `{hk.Counter.Name}` in a local of its own type before it is stored";
        return new MatmulRecognition(new MatmulNest(
            counters.Select(c => c.Name).ToList(),
            counters.Select(c => c.Type.Spelling).ToList(),
            lows.Select(x => x!).ToList(),
            highs,
            targetText,
            initText,
            initStmt is null || initText is null ? 0 : initStmt.Span.Line,
            addendText,
            update.Span.Line,
            accumulate,
            ElementSize(type),
            scalar is not null,
            type.IsFloatingPoint) { Evidence = evidence, InitOperator = initOperator, AlreadyIkj = ikj, Block = block, Factor = MatmulFactor.Find(root, addend, addendText!, hj.Counter, outer.Function) }, MatmulRejection.None);
    }

    /// <summary>The start value read from its statement's text, for an expression that ends inside a macro call.</summary>
    private static string? InitFromStatement(SyntaxNode root, SyntaxNode stmt, string op)
    {
        if (stmt.Kind == NodeKind.DeclStmt) return NestSyntax.RightHandSide(root, stmt, null, "=");
        // The statement's own left-hand side (the element or the accumulator), then its operator.
        return stmt.StripParensAndCasts().Children is [var lhs, _] ? NestSyntax.RightHandSide(root, stmt, lhs.Span.EndOffset, op) : null;
    }

    /// <param name="LoopScoped">The counter is declared in the `for` itself (`for (int j = 0; …)`): it exists only there.</param>
    internal sealed record Canonical(DeclInfo Counter, SyntaxNode Low, SyntaxNode Bound, bool Inclusive, SyntaxNode Left, bool LoopScoped);

    /// <summary>`for (c = LOW; c &lt; BOUND; c++)` (or `&lt;=`, `++c`, `c += 1`), the counter on the left.</summary>
    internal static Canonical? Header(LoopInfo loop)
    {
        if (loop.IsRangeFor || loop.CanonicalHeader is not { Variable: { } v, StepKnown: true, Step: 1 } h || h.Comparison is not ("<" or "<=")) return null;
        if (loop.Node.For is not { Init: { } init, Condition: { } cond }) return null;
        SyntaxNode? low = null;
        if (init.Kind == NodeKind.DeclStmt && init.Children is [{ Kind: NodeKind.VarDecl } decl]) low = FunctionScope.InitializerOf(decl);
        else if (init.StripParensAndCasts() is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign, Children: [var l, var r] } &&
                 l.StripParensAndCasts() is { Kind: NodeKind.DeclRef } d && d.Decl?.Key == v.Key) low = r;
        if (low is null) return null;
        if (cond.StripParensAndCasts() is not { Kind: NodeKind.Binary, BinaryOp: BinaryOp.LT or BinaryOp.LE, Children: [var left, var bound] } c ||
            left.StripParensAndCasts() is not { Kind: NodeKind.DeclRef } lv || lv.Decl?.Key != v.Key) return null;
        return new Canonical(v, low, bound, c.BinaryOp == BinaryOp.LE, left, init.Kind == NodeKind.DeclStmt);
    }

    /// <summary>An expression that only reads: no call, assignment, increment, comma, statement expression or volatile,
    /// and no name in <paramref name="forbidden"/> (the target's array, the accumulator) outside a copy of
    /// <paramref name="element"/> (the target element, which a start value may read).</summary>
    private static bool PureRead(SyntaxNode n, HashSet<string> forbidden, SyntaxNode? element = null, (string, string)? twin = null)
    {
        if (element is not null && SyntaxEquality.Same(n.StripParensAndCasts(), element.StripParensAndCasts(), twin)) return true;
        var ok = n.Kind switch
        {
            NodeKind.DeclRef => n.Decl is { } decl && !forbidden.Contains(decl.Key) && !decl.IsFunction && !decl.Type.IsAnyVolatile && !decl.Type.IsAnyAtomic,
            NodeKind.IntLiteral or NodeKind.FloatLiteral or NodeKind.CharLiteral or NodeKind.Paren or NodeKind.Cast or NodeKind.SizeOf or NodeKind.TypeRef
                or NodeKind.Subscript or NodeKind.Conditional => true,
            NodeKind.Unexposed => n.Children.Count <= 1,
            NodeKind.Binary => !n.BinaryOp.IsAssignment() && n.BinaryOp != BinaryOp.Comma,
            NodeKind.Unary => !n.UnaryOp.IsIncDec(),
            _ => false,
        };
        return ok && n.Children.All(c => PureRead(c, forbidden, element, twin));
    }

    /// <summary>`T[i][j]` on a row-major 2-D array or pointer to rows (never `T**`, whose rows may be one row).</summary>
    private static DeclInfo? TargetArray(SyntaxNode target, DeclInfo i, DeclInfo j)
    {
        if (target.StripParensAndCasts() is not { Kind: NodeKind.Subscript, Children: [var row, var col] }) return null;
        if (!IsCounter(col, j) || row.StripParensAndCasts() is not { Kind: NodeKind.Subscript, Children: [var baseNode, var rowIndex] } || !IsCounter(rowIndex, i)) return null;
        if (baseNode.StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } array }) return null;
        var t = array.Type;
        var rows = t.IsArray ? t.Element : t.IsPointer ? t.Element : null;
        return rows is { IsArray: true } && !t.IsAnyVolatile ? array : null;
    }

    /// <summary>One counter for the start loop and the product's j loop: the same variable, or two of the same name and
    /// type each declared in its own `for` (the generated form declares one, and the copied start statement names it).</summary>
    private static bool SameCounter(Canonical a, Canonical b) =>
        a.Counter.Key == b.Counter.Key ||
        (a.LoopScoped && b.LoopScoped && a.Counter.Name == b.Counter.Name && a.Counter.Type.CanonicalSpelling == b.Counter.Type.CanonicalSpelling);

    private static bool IsCounter(SyntaxNode n, DeclInfo c) => n.StripParensAndCasts() is { Kind: NodeKind.DeclRef } d && d.Decl?.Key == c.Key;

    /// <summary>`x += E` or `x = x + E` where x is the accumulator (or, when null, a subscripted element); returns x, E and how.</summary>
    private static (SyntaxNode Target, SyntaxNode Addend, string How)? Accumulation(SyntaxNode stmt, DeclInfo? scalar)
    {
        var e = stmt.StripParensAndCasts();
        SyntaxNode lhs, addend;
        string how;
        if (e is { Kind: NodeKind.CompoundAssign, BinaryOp: BinaryOp.AddAssign, Children: [var l, var r] }) (lhs, addend, how) = (l, r, "+=");
        else if (e is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign, Children: [var l2, var r2] } &&
                 r2.StripParensAndCasts() is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Add, Children: [var sum, var term] } &&
                 SyntaxEquality.Same(sum.StripParensAndCasts(), l2.StripParensAndCasts()))
            (lhs, addend, how) = (l2, term, "=+");
        else return null;
        var x = lhs.StripParensAndCasts();
        if (scalar is not null ? x is not { Kind: NodeKind.DeclRef } d || d.Decl?.Key != scalar.Key : x.Kind != NodeKind.Subscript) return null;
        return (x, addend, how);
    }

    internal static (SyntaxNode Lhs, SyntaxNode Rhs)? Assignment(SyntaxNode stmt) =>
        stmt.StripParensAndCasts() is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign, Children: [var l, var r] } ? (l.StripParensAndCasts(), r) : null;

    /// <summary>`T s = INIT;` or `s = INIT;`: the initial value.</summary>
    private static SyntaxNode? ScalarInit(SyntaxNode stmt, DeclInfo s)
    {
        if (stmt is { Kind: NodeKind.DeclStmt, Children: [{ Kind: NodeKind.VarDecl } decl] } && decl.Decl?.Key == s.Key) return FunctionScope.InitializerOf(decl);
        return Assignment(stmt) is var (l, r) && l is { Kind: NodeKind.DeclRef } d && d.Decl?.Key == s.Key ? r : null;
    }

    private static bool DeclaredIn(DeclInfo d, SyntaxNode body) => body.Span.Contains(d.Span);

    internal static int ElementSize(TypeInfo t) =>
        t.CanonicalSpelling == "long double" ? 16 : TypeInfo.FixedScalarBytes(t.CanonicalSpelling) ?? 8;
}
