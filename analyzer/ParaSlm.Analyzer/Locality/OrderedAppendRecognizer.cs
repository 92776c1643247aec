using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Recognizes loops that are serial only because they append to an output array, and proves that their two-phase form
/// (<see cref="OrderedAppend"/>) leaves memory exactly as the serial loop does.
/// </summary>
/// <remarks>
/// The theorem. Let S be the one statement that appends: `out[cnt++] = E` (append), or
/// `if (P[w] CMP K) { P[w] = V; out[cnt++] = E; }` (claim). Proven from the walker's facts: every memory write of the loop
/// is inside S; every scalar the loop writes is declared inside it, is a loop counter, or is `cnt`, which appears only in
/// S's `cnt++`; `out` and `P` are referenced nowhere else in the loop; E, K and V call nothing and read no memory (E of a
/// claim reads only w and names declared before the loop that the loop does not write, as do K and V); the counter is
/// declared in the header and runs by +1 between bounds that read no memory and that the loop does not write. And every
/// array the loop reads (other than `P` at `[w]`) is not `out` nor `P`: distinct declared arrays, a `restrict` pointer on
/// either side, types that cannot alias, or (for `out` only) a run-time test that `out[cnt .. cnt + m)` lies outside the
/// read array's extent, m being the number of candidates phase 1 found. Then nothing the loop reads outside S changes
/// while it runs, so phase 1, the nest with S replaced by "keep E (claim: keep w if the test holds)", run on any chunks
/// in parallel, finds the values S would see, and the buffers concatenated in chunk order list them in iteration order.
/// An append then writes the same values at the same places. For a claim, the test is false for V (checked before the
/// loop: `!((T)(V) CMP K)`) and only S writes P, so a test false before the loop stays false: the candidates phase 1
/// drops are exactly iterations whose S does nothing in the serial loop, and phase 2 runs S itself on the others, in
/// order, testing P[w] again. Phase 1 writes nothing of the user's, so an allocation failure or a failed overlap test
/// runs the original loop instead.
/// Not applied: user pragmas or preprocessor lines in the loop, labels, calls in S, a counter live after the loop, an
/// element type that is not arithmetic, `out[cnt] = e; cnt++` (two statements), any other write.
/// </remarks>
public static class OrderedAppendRecognizer
{
    /// <summary>The transform for <paramref name="loop"/>, or null when the loop is not such an append loop.</summary>
    /// <param name="extent">The extent of a base's accesses over the loop (LoopJudge's), for the overlap check.</param>
    /// <param name="strictAliasing">Whether types rule out aliasing (<see cref="AliasAnalysis.TypesExcludeAliasing"/>).</param>
    internal static OrderedAppend? Recognize(LoopInfo loop, LoopHeader header, LoopBody body,
        Func<List<MemoryAccess>, HashSet<string>, (string Start, string End, string Type, bool Flat)?> extent, bool strictAliasing = true)
    {
        if (loop.IsRangeFor || loop.HasOpenMPDirective || !header.DeclaredInHeader || loop.Body is not { } loopBody) return null;
        if (body.Blockers.Count > 0 || MatmulRecognizer.Header(loop) is not { } canonical) return null;
        var root = NestSyntax.Root(loop.Node);
        if (root.SourceText is null || !NestSyntax.FreeOfPreprocessorLines(root, loop.Node)) return null;
        // Two copies of the loop's text are compiled (phase 1 and the serial fallback): no label may be defined twice.
        if (loop.Node.DescendantsAndSelf().Any(n => n.Kind is NodeKind.Label or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Asm or NodeKind.StmtExpr)) return null;
        if (DuplicationBlocker.Of(loop.Node) is not null) return null;

        var appends = loop.Node.DescendantsAndSelf().Where(IsAppend).ToList();
        if (appends is not [var append]) return null;
        var (outRef, cntRef, value) = AppendParts(append);
        if (outRef.Decl is not { } output || cntRef.Decl is not { } count) return null;
        if (!count.Type.IsIntegral || count.Type.IsAnyVolatile || count.Type.IsAnyAtomic || loop.Node.Span.Contains(count.Span)) return null;
        if (output.Type.IsAnyVolatile || output.Type.IsAnyAtomic || loop.Node.Span.Contains(output.Span) || output.Key == count.Key) return null;
        var elementNode = append.Children[0];
        if (!Arithmetic(elementNode.Type)) return null;

        // A claim: the append is the second statement of `if (P[w] CMP K) { P[w] = V; append; }` (either order).
        SyntaxNode sink = append;
        Claim? claim = null;
        if (append.Parent is { Kind: NodeKind.Compound } block && block.Parent is { Kind: NodeKind.If } ifNode && ReferenceEquals(ifNode.Children[^1], block) &&
            ifNode.Children.Count == 2)
        {
            claim = ClaimOf(ifNode, block, append, loop);
            if (claim is null) return null;
            sink = ifNode;
        }
        if (sink.Parent is not { Kind: NodeKind.Compound or NodeKind.If or NodeKind.For or NodeKind.While or NodeKind.Do } parent) return null;
        if (parent.Kind == NodeKind.If && ReferenceEquals(parent.Children[0], sink)) return null;

        bool InSink(SyntaxNode n) => n.Span.Offset >= sink.Span.Offset && n.Span.EndOffset <= sink.Span.EndOffset && n.Span.File == sink.Span.File;

        // cnt and out are named only by the append (and P only by the claim).
        foreach (var n in loop.Node.DescendantsAndSelf().Where(n => n.Kind == NodeKind.DeclRef && n.Decl is not null))
        {
            if (n.Decl!.Key == count.Key && !ReferenceEquals(n, cntRef)) return null;
            if (n.Decl.Key == output.Key && !ReferenceEquals(n, outRef)) return null;
            if (claim is not null && n.Decl.Key == claim.Array.Key && !InSink(n)) return null;
        }

        // Every memory write is S's; every written scalar is a local, a counter, or cnt.
        if (body.Accesses.Any(a => a.IsWrite && !InSink(a.Node))) return null;
        var counterKeys = body.InnerCounters.Keys.Append(header.Variable?.Key).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var w in body.Written)
            if (w != count.Key && !body.Locals.Contains(w) && !counterKeys.Contains(w)) return null;
        // Bounds and step of the loop: invariant, no memory read (evaluated once for the chunks).
        var keys = new HashSet<string>(body.Written, StringComparer.Ordinal);
        keys.UnionWith(body.Locals);
        if (!NestSyntax.InvariantBound(canonical.Low, keys) || !NestSyntax.InvariantBound(canonical.Bound, keys)) return null;
        if (!Arithmetic(canonical.Counter.Type)) return null;

        // E: an append's value reads no memory it could see change (nothing but S writes); a claim's reads only w and invariants.
        if (claim is null ? !PureExpression(value, allowMemory: true) : !Invariant(value, loop, body, claim.Candidate.Key)) return null;

        // Aliasing between what S writes and what the loop reads.
        var bases = body.Accesses.GroupBy(a => a.Base.Key, StringComparer.Ordinal).ToList();
        var outBase = body.Accesses.FirstOrDefault(a => ReferenceEquals(a.Node, append.Children[0]) || (a.IsWrite && InSink(a.Node) && a.Base.Root?.Key == output.Key))?.Base;
        if (outBase is null || outBase.Kind is not (BaseKind.Pointer or BaseKind.NamedArray)) return null;
        MemoryBase? claimBase = null;
        if (claim is not null)
        {
            claimBase = body.Accesses.FirstOrDefault(a => a.IsWrite && InSink(a.Node) && a.Base.Root?.Key == claim.Array.Key)?.Base;
            if (claimBase is null || claimBase.Key == outBase.Key) return null;
        }
        var variant = new HashSet<string>(body.Written, StringComparer.Ordinal);
        variant.UnionWith(body.Locals);
        foreach (var k in body.InnerCounters.Keys) variant.Remove(k);
        var checks = new List<string>();
        foreach (var g in bases)
        {
            var list = g.ToList();
            var b = list[0].Base;
            if (b.Key == outBase.Key)
            {
                if (list.Count != 1) return null; // out is only written, once
                continue;
            }
            if (claimBase is not null && b.Key == claimBase.Key)
            {
                if (list.Any(a => !InSink(a.Node))) return null;
                if (MayOverlap(outBase, list, body, append, strictAliasing)) return null;
                continue;
            }
            if (claimBase is not null && MayOverlap(claimBase, list, body, null, strictAliasing)) return null;
            if (!MayOverlap(outBase, list, body, append, strictAliasing)) continue;
            if (extent(list, variant) is not { } r) return null;
            checks.Add(OverlapCondition(outRef, cntRef, root, b, r));
        }

        var low = NestSyntax.Expression(root, canonical.Low) ?? TextOf(root, canonical.Low);
        var bound = TextOf(root, canonical.Bound) ?? NestSyntax.AfterOperator(root, canonical.Left.Span.EndOffset, canonical.Inclusive ? "<=" : "<");
        var sinkText = NestSyntax.Text(root, sink.Span.Offset, sink.Span.EndOffset);
        var outText = TextOf(root, outRef);
        var cntText = TextOf(root, cntRef);
        var pushed = claim is null ? NestSyntax.RightHandSide(root, append, append.Children[0].Span.EndOffset, "=") ?? TextOf(root, value) : claim.Candidate.Name;
        if (low is null || bound is null || sinkText is null || outText is null || cntText is null || pushed is null) return null;
        if (sinkText.Contains("//", StringComparison.Ordinal) || sinkText.Contains("/*", StringComparison.Ordinal) || sinkText.Contains('\\')) return null;

        // The buffers hold plain values: a `const` candidate (`const int w`) is kept in an `int` buffer.
        var elementType = (claim is null ? elementNode.Type.CanonicalSpelling : claim.Candidate.Type.CanonicalSpelling)
            .Replace("const ", string.Empty, StringComparison.Ordinal).Trim();
        var overlap = checks.Count == 0 ? null : string.Join(" && ", checks.Select(c => checks.Count > 1 ? $"({c})" : c));
        var name = claim is null ? OrderedAppend.AppendName : OrderedAppend.ClaimName;
        var evidence = claim is null
            ? $"{name}: `{outText}[{cntText}++]` is the loop's only carried dependence; every other write is to its own locals, `{outText}` is not read in the loop"
            : $"{name}: `{claim.Array.Name}[{claim.Candidate.Name}]` is only set to `{claim.ValueText}`, which makes the test `{claim.TestText}` false, so a candidate that fails the test before the loop never passes it later; " +
              $"`{outText}[{cntText}++]` is the only other write, and `{outText}` is not read in the loop";
        if (overlap is not null) evidence += $"; `{outText}` is checked at run time not to overlap what the loop reads";
        return new OrderedAppend(name, canonical.Counter.Name, canonical.Counter.Type.Spelling, low, canonical.Inclusive ? $"({bound}) + 1" : bound,
            loopBody.Span.Offset, sink.Span.Offset, sink.Span.EndOffset, NestSyntax.OneLine(sinkText), sink.Span.Line, elementType, pushed,
            claim?.TestText, outText, cntText, claim?.Precondition, overlap) { Evidence = evidence, ClaimArray = claim?.Array.Name };
    }

    /// <summary>The claim's parts: array P, candidate w, the test's text, the claimed value's text and the precondition.</summary>
    private sealed record Claim(DeclInfo Array, DeclInfo Candidate, string TestText, string ValueText, string? Precondition);

    private static Claim? ClaimOf(SyntaxNode ifNode, SyntaxNode block, SyntaxNode append, LoopInfo loop)
    {
        var root = NestSyntax.Root(loop.Node);
        if (block.Children.Count != 2) return null;
        var store = ReferenceEquals(block.Children[0], append) ? block.Children[1] : block.Children[0];
        if (store.StripParensAndCasts() is not { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign, Children: [var lhs, var v] }) return null;
        if (Element(lhs) is not var (array, candidate)) return null;
        if (ifNode.Children[0].StripParensAndCasts() is not { Kind: NodeKind.Binary, Children: [var left, var right] } test || !test.BinaryOp.IsComparison()) return null;
        var op = test.BinaryOp;
        SyntaxNode k;
        if (Element(left) is var (a1, c1) && a1.Key == array.Key && c1.Key == candidate.Key) k = right;
        else if (Element(right) is var (a2, c2) && a2.Key == array.Key && c2.Key == candidate.Key)
        {
            k = left;
            op = op switch { BinaryOp.LT => BinaryOp.GT, BinaryOp.GT => BinaryOp.LT, BinaryOp.LE => BinaryOp.GE, BinaryOp.GE => BinaryOp.LE, _ => op };
        }
        else return null;
        // w is the loop's own (declared in it), P is not, and neither is volatile; P's elements are arithmetic.
        if (!loop.Node.Span.Contains(candidate.Span) || loop.Node.Span.Contains(array.Span)) return null;
        if (!Arithmetic(candidate.Type) || !candidate.Type.IsIntegral || array.Type.IsAnyVolatile || array.Type.IsAnyAtomic || !Arithmetic(lhs.StripParensAndCasts().Type)) return null;
        if (!Invariant(k, loop, null, null) || !Invariant(v, loop, null, null)) return null;
        if (TextOf(root, ifNode.Children[0]) is not { } testText || TextOf(root, k) is not { } kText || TextOf(root, v) is not { } vText) return null;
        // The claimed value as stored (converted to the element type) must fail the test: decided here for integer
        // constants whose value the element type holds, else tested before the loop.
        var elementType = lhs.StripParensAndCasts().Type;
        string? precondition = $"!(({elementType.CanonicalSpelling})({vText}) {op.Text()} ({kText}))";
        // Only where every operand is a signed int, long or long long: an unsigned operand converts the other one, which
        // the comparison of two longs here would not (the run-time test does it right).
        static bool Signed(TypeInfo t) => t.CanonicalSpelling is "int" or "long" or "long long";
        if (Constant(v) is { } vc && Constant(k) is { } kc && vc is >= int.MinValue and <= int.MaxValue && Signed(elementType) && Signed(k.Type) && Signed(v.Type) &&
            Signed(k.StripParensAndCasts().Type) && Signed(v.StripParensAndCasts().Type))
        {
            var passes = op switch
            {
                BinaryOp.LT => vc < kc, BinaryOp.LE => vc <= kc, BinaryOp.GT => vc > kc, BinaryOp.GE => vc >= kc,
                BinaryOp.EQ => vc == kc, _ => vc != kc,
            };
            if (passes) return null;
            precondition = null;
        }
        return new Claim(array, candidate, NestSyntax.OneLine(testText), NestSyntax.OneLine(vText), precondition);
    }

    /// <summary>The value of an integer constant expression (a literal, `-2`, an enumerator), or null.</summary>
    private static long? Constant(SyntaxNode n)
    {
        if (n.IntValue is { } v) return v;
        var s = n.StripParensAndCasts();
        if (s.IntValue is { } sv) return sv;
        return s is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Minus, Children: [var x] } && Constant(x) is { } xv ? -xv : null;
    }

    /// <summary>`P[w]`: a pointer or array name subscripted by a variable's name.</summary>
    private static (DeclInfo Array, DeclInfo Index)? Element(SyntaxNode n) =>
        n.StripParensAndCasts() is { Kind: NodeKind.Subscript, Children: [var b, var i] } &&
        b.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { Kind: DeclKind.Variable or DeclKind.Parameter } array } &&
        i.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { Kind: DeclKind.Variable or DeclKind.Parameter } index } &&
        (array.Type.IsPointer || array.Type.IsArray)
            ? (array, index)
            : null;

    /// <summary>`out[cnt++] = E` with `out` a pointer or array name and `cnt` a variable name.</summary>
    private static bool IsAppend(SyntaxNode n) =>
        n is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign, Children: [var l, _] } &&
        l.StripParensAndCasts() is { Kind: NodeKind.Subscript, Children: [var b, var i] } &&
        b.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { Kind: DeclKind.Variable or DeclKind.Parameter } d } && (d.Type.IsPointer || d.Type.IsArray) &&
        i.StripParensAndCasts() is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.PostInc, Children: [var c] } &&
        c.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { Kind: DeclKind.Variable or DeclKind.Parameter } };

    private static (SyntaxNode Out, SyntaxNode Count, SyntaxNode Value) AppendParts(SyntaxNode append)
    {
        var subscript = append.Children[0].StripParensAndCasts();
        var outRef = subscript.Children[0].StripParensAndCasts();
        var cntRef = subscript.Children[1].StripParensAndCasts().Children[0].StripParensAndCasts();
        return (outRef, cntRef, append.Children[1]);
    }

    private static bool Arithmetic(TypeInfo t) => t.Shape == TypeShape.Scalar && (t.IsIntegral || t.IsFloatingPoint) && !t.IsAnyVolatile && !t.IsAnyAtomic;

    /// <summary>An expression without calls, assignments, increments, commas or volatile names (memory reads allowed or not).</summary>
    private static bool PureExpression(SyntaxNode n, bool allowMemory) =>
        n.DescendantsAndSelf().All(d => d.Kind switch
        {
            NodeKind.DeclRef => d.Decl is { } decl && !decl.IsFunction && !decl.Type.IsAnyVolatile && !decl.Type.IsAnyAtomic,
            NodeKind.IntLiteral or NodeKind.FloatLiteral or NodeKind.CharLiteral or NodeKind.BoolLiteral or NodeKind.Paren or NodeKind.Cast or NodeKind.SizeOf
                or NodeKind.TypeRef or NodeKind.Conditional => true,
            NodeKind.Subscript => allowMemory,
            NodeKind.Unexposed => d.Children.Count <= 1,
            NodeKind.Binary => !d.BinaryOp.IsAssignment() && d.BinaryOp != BinaryOp.Comma,
            NodeKind.Unary => !d.UnaryOp.IsIncDec() && (allowMemory || d.UnaryOp != UnaryOp.Deref),
            _ => false,
        });

    /// <summary>A memory-free expression whose names are declared before the loop and not written in it (and
    /// <paramref name="allowed"/>, the candidate, when given).</summary>
    private static bool Invariant(SyntaxNode n, LoopInfo loop, LoopBody? body, string? allowed) =>
        PureExpression(n, allowMemory: false) &&
        n.DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef).All(d =>
            d.Decl!.Key == allowed ||
            d.Decl.Kind == DeclKind.EnumConstant ||
            (!loop.Node.Span.Contains(d.Decl.Span) && !loop.Function.WritesOf(d.Decl.Key).Any(w => loop.Node.Span.Contains(w.Span)) &&
             (body is null || !body.Written.Contains(d.Decl.Key))));

    /// <summary>Whether <paramref name="written"/> may share memory with the accesses of another base.</summary>
    private static bool MayOverlap(MemoryBase written, List<MemoryAccess> other, LoopBody body, SyntaxNode? append, bool strictAliasing)
    {
        var b = other[0].Base;
        if (!AliasAnalysis.MayAlias(written, b)) return false;
        var writes = body.Accesses.Where(a => a.Base.Key == written.Key).Select(a => a.Node.Type).ToList();
        return !AliasAnalysis.TypesExcludeAliasing(writes, other.Select(a => a.Node.Type), strictAliasing);
    }

    /// <summary>`out[cnt .. cnt + m)` lies wholly before or after the extent of a read base.</summary>
    private static string OverlapCondition(SyntaxNode outRef, SyntaxNode cntRef, SyntaxNode root, MemoryBase read, (string Start, string End, string Type, bool Flat) r)
    {
        var o = TextOf(root, outRef)!;
        var c = TextOf(root, cntRef)!;
        var start = r.Flat ? $"(const {r.Type} *)({read.Text})" : read.Text;
        string Read(string off) => $"(const char *)({(off == "0" ? start : $"{start} + {off}")})";
        string Out(string off) => $"(const char *)({o} + {off})";
        return $"{Out($"{c} + {OrderedAppend.CandidateCount}")} <= {Read(r.Start)} || {Read(r.End)} <= {Out(c)}";
    }

    internal static string? TextOf(SyntaxNode root, SyntaxNode n)
    {
        if (!string.Equals(n.Span.File, root.Span.File, StringComparison.Ordinal)) return null;
        var t = NestSyntax.Text(root, n.Span.Offset, n.Span.EndOffset);
        if (t is null || t.Contains('#') || t.Contains('\\') || t.Contains("//", StringComparison.Ordinal) || t.Contains("/*", StringComparison.Ordinal)) return null;
        // The extent of an expression ending in a macro argument stops at the macro's name: the parentheses must balance.
        var depth = 0;
        foreach (var ch in t)
        {
            depth += ch is '(' or '[' ? 1 : ch is ')' or ']' ? -1 : 0;
            if (depth < 0) return null;
        }
        return depth == 0 ? NestSyntax.OneLine(t) : null;
    }
}
