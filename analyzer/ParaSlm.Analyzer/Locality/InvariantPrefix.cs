using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// The leading statements P of a sunk nest's element body (the serial loop R's body once R runs inside the element
/// loops) that compute the same values in every repetition: once R is inside, P runs once per element instead of once
/// per repetition, and the rest Q reads its scalars (<see cref="Scalars"/>). Two forms, chosen by the emitter from the
/// nest's plan: with <see cref="Row"/> and the innermost element loop j not parallel (its plan collapses fewer loops than
/// the nest has element loops), R goes just above j: `{ T buf[len]; for (j) { P; buf[j] = s; } R for (j) { T s = buf[j]; Q } }`,
/// so R's serial chain of updates runs across the row instead of REPS dependent steps per element; otherwise
/// `for (j) { P; R { Q } }` (the simple form). Both measured faster than R around P and Q (pooling, README "Evaluation").
/// </summary>
/// <param name="RestOffset">Byte offset of Q's first statement (P ends at the whitespace before it).</param>
/// <param name="CloseOffset">Byte offset of the element body's closing `}`.</param>
/// <param name="Scalars">P's own top-level scalars that Q reads, in declaration order: one value per element.</param>
/// <param name="ElementLoops">How many element loops the nest has (the rank of its written arrays).</param>
/// <param name="Row">The innermost element loop when a row of P's values fits a stack buffer; else null.</param>
/// <param name="Line">Line of Q's first statement (for `#line` after the row form's first loop).</param>
public sealed record InvariantPrefix(int RestOffset, int CloseOffset, IReadOnlyList<PrefixScalar> Scalars, int ElementLoops, PrefixRow? Row, int Line)
{
    /// <summary>
    /// The most elements one row buffer holds: 4096 doubles are 32 KiB per scalar, inside one L1-sized working set and far
    /// below the smallest default thread stack a parallel region runs on (gcc's and LLVM's OpenMP worker threads default to
    /// 2–8 MiB; macOS's secondary threads to 512 KiB), so a few buffers never risk the stack; a longer row keeps the simple form.
    /// </summary>
    public const long MaxRow = 4096;

    /// <summary>
    /// The transform a plan names to claim the hoist on this nest: `sink-serial-loop(hoist m, s)`, with the row's bounds
    /// where a row buffer is possible (`sink-serial-loop(hoist m; row 0..255)`): the copy spells the buffer's length as
    /// the number the facts gave, so a file compiled under several commands keeps the hoist only where every command's
    /// plan names the same row (ConfigurationAgreement compares the names); `-DW=64` in one target and `-DW=128` in
    /// another would otherwise overflow the buffer in one of them.
    /// </summary>
    public string Name => $"{SerialLoopSink.TransformName}(hoist {string.Join(", ", Scalars.Select(s => s.Name))}" +
                          (Row is { } row ? $"; row {row.Lower}..{row.Lower + row.Length})" : ")");

    /// <summary>The row form applies under a plan that collapses <paramref name="collapse"/> loops (j stays serial).</summary>
    public bool RowFormWith(int collapse) => Row is not null && Math.Max(collapse, 1) < ElementLoops;
}

/// <param name="Name">The scalar's name.</param>
/// <param name="Type">Its type as spelled (an arithmetic type), for its copy in the row form's second loop.</param>
/// <param name="BufferType">The row buffer's element type: <paramref name="Type"/> without `const` (the buffer is written).</param>
public sealed record PrefixScalar(string Name, string Type, string BufferType);

/// <param name="ForOffset">Byte offset of the innermost element loop's `for` keyword.</param>
/// <param name="Counter">Its counter.</param>
/// <param name="Lower">The counter's first value (step +1).</param>
/// <param name="Length">Its constant trip count, at most <see cref="InvariantPrefix.MaxRow"/>.</param>
public sealed record PrefixRow(int ForOffset, string Counter, long Lower, long Length);

/// <summary>
/// Finds <see cref="InvariantPrefix"/>. The theorem: R runs P;Q for every element e, in R's order for e (the sink's
/// theorem). Let P be a leading run of the element body's statements that (a) reads only arrays no statement in R writes,
/// scalars nothing in R writes, the element loops' counters and its own locals (never R's counter), (b) calls only pure
/// library functions and R calls nothing else, (c) writes only scalars it declares, takes no address, dereferences no
/// pointer and leaves by no jump; and let Q, the rest, read P's scalars only as values (no write, no address). Then P
/// computes the same values v(e) in every repetition and changes nothing outside its locals, so running it once per
/// element before R (`for e { P; R { Q } }`) gives Q the same values in the same order: the simple form. For the row form,
/// Q for the elements (…, j) of one row touches the written arrays only at its own element and reads every other array
/// unchanged, so Q of different j commute: `for r { for j { Q } }` runs every element's repetitions in R's order, with
/// v(e) read back from a buffer written before it. Floating point is untouched: every operation runs on the same operands
/// in the same order per element, so the result is the serial one bit for bit.
/// </summary>
public static class InvariantPrefixes
{
    /// <param name="serialBody">R's body: every call in it must be pure.</param>
    /// <param name="r">R's counter.</param>
    /// <param name="levels">The nest's element loops, outermost first.</param>
    /// <param name="writtenArrays">Every array written in R (keys).</param>
    /// <param name="writtenScalars">Every scalar written in R (keys; counters included).</param>
    public static InvariantPrefix? Find(SyntaxNode root, SyntaxNode serialBody, DeclInfo r, IReadOnlyList<LoopInfo> levels,
        IReadOnlySet<string> writtenArrays, IReadOnlySet<string> writtenScalars)
    {
        var inner = levels[^1];
        if (inner.Body is not { Kind: NodeKind.Compound } body || NestSyntax.Statements(body) is not { Count: >= 2 } statements) return null;
        if (NestSyntax.Text(root, body.Span.EndOffset - 1, body.Span.EndOffset) != "}") return null;
        // Names the form introduces must not meet the user's.
        if (NestSyntax.Text(root, levels[0].Node.Span.Offset, levels[0].Node.Span.EndOffset) is not { } nestText || nestText.Contains("paraslm_", StringComparison.Ordinal)) return null;
        // (b) R calls only pure library functions: a call elsewhere could change what P reads.
        if (serialBody.DescendantsAndSelf().Any(d => d.Kind == NodeKind.Call && !PureCall(d))) return null;
        if (body.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Lambda or NodeKind.StmtExpr or NodeKind.Asm or NodeKind.Goto or NodeKind.IndirectGoto or
                NodeKind.Label or NodeKind.Return or NodeKind.Throw or NodeKind.Try or NodeKind.New or NodeKind.Delete or NodeKind.OpenMPDirective or NodeKind.RangeFor)) return null;
        // A jump out of the element body (not out of a loop or switch inside it) would skip P's store or leave R.
        if (body.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Break or NodeKind.Continue && LeavesBody(d, body))) return null;
        var counters = levels.Select(l => l.CanonicalHeader!.Variable!.Key).ToHashSet(StringComparer.Ordinal);

        var prefix = 0;
        while (prefix < statements.Count - 1 && Invariant(statements[prefix], statements[0].Span.Offset)) prefix++;
        if (prefix == 0) return null;
        var (p, q) = (statements.Take(prefix).ToList(), statements.Skip(prefix).ToList());
        if (!p.Any(s => s.DescendantsAndSelf().Any(d => d.Kind == NodeKind.Subscript))) return null; // nothing worth running once

        // P's top-level scalars Q names: values only.
        var own = p.Where(s => s.Kind == NodeKind.DeclStmt).SelectMany(s => s.Children).ToList();
        if (own.Any(d => d.Kind != NodeKind.VarDecl || d.Decl is null)) return null;
        var named = q.SelectMany(s => s.DescendantsAndSelf()).Where(d => d.Kind == NodeKind.DeclRef && d.Decl is not null).Select(d => d.Decl!.Key).ToHashSet(StringComparer.Ordinal);
        var scalars = own.Select(d => d.Decl!).Where(d => named.Contains(d.Key)).ToList();
        if (scalars.Count == 0) return null;
        var kept = new List<PrefixScalar>();
        foreach (var s in scalars)
        {
            var t = s.Type;
            if (t.Shape != TypeShape.Scalar || !(t.IsFloatingPoint || t.IsIntegral) || t.IsReference || t.IsAnyVolatile || t.IsAnyAtomic ||
                t.Spelling.IndexOfAny(['(', '[', '&', '*']) >= 0) return null;
            if (t.IsConst && !t.Spelling.StartsWith("const ", StringComparison.Ordinal)) return null;
            kept.Add(new PrefixScalar(s.Name, t.Spelling, t.IsConst ? t.Spelling["const ".Length..] : t.Spelling));
        }
        var keys = scalars.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var stmt in q)
        {
            if (NestSyntax.Writes(stmt).Any(w => w.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } x } && keys.Contains(x.Key))) return null;
            if (stmt.DescendantsAndSelf().Any(d => d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.AddrOf } && d.Children is [var x] && x.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } v } && keys.Contains(v.Key))) return null;
            // A reference bound to a scalar could write it.
            if (stmt.DescendantsAndSelf().Any(d => d.Kind == NodeKind.VarDecl && d.Decl is { } v && v.Type.IsReference)) return null;
        }

        var closeOffset = body.Span.EndOffset - 1;
        // The rest is copied from its first statement's offset: that must be its text in this file (not a macro's).
        if (!string.Equals(q[0].Span.File, root.Span.File, StringComparison.Ordinal) || NestSyntax.Text(root, q[0].Span.Offset, closeOffset) is null) return null;
        var h = inner.CanonicalHeader!;
        // A 1-D nest's only element loop is its parallel loop: no serial row to buffer.
        var row = levels.Count > 1 && h is { StepKnown: true, Step: 1 } && h.Min.IsConstant && h.TripCount is { } len and > 0 and <= InvariantPrefix.MaxRow && inner.Node.For is not null
            ? new PrefixRow(inner.Node.Span.Offset, h.Variable!.Name, h.Min.Constant, len) : null;
        return new InvariantPrefix(q[0].Span.Offset, closeOffset, kept, levels.Count, row, q[0].Span.Line);

        bool Invariant(SyntaxNode stmt, int prefixStart)
        {
            if (!string.Equals(stmt.Span.File, root.Span.File, StringComparison.Ordinal)) return false;
            bool Own(DeclInfo x) => string.Equals(x.Span.File, stmt.Span.File, StringComparison.Ordinal) && x.Span.Offset >= prefixStart && x.Span.EndOffset <= stmt.Span.EndOffset;
            foreach (var d in stmt.DescendantsAndSelf())
            {
                switch (d.Kind)
                {
                    case NodeKind.Call when !PureCall(d):
                    case NodeKind.Unary when d.UnaryOp is UnaryOp.Deref or UnaryOp.AddrOf:
                    case NodeKind.MemberRef when d.IsArrow:
                        return false;
                    case NodeKind.VarDecl when d.Decl is not { } v || v.IsStatic || v.IsThreadLocal || v.IsGlobalStorage || v.Type.IsReference || v.Type.IsAnyVolatile:
                        return false;
                    case NodeKind.DeclRef when d.Decl is { } x:
                        if (x.IsFunction || x.Kind == DeclKind.EnumConstant || Own(x) || counters.Contains(x.Key)) continue;
                        if (x.Key == r.Key || x.Type.IsAnyVolatile || x.Type.IsAnyAtomic || x.Type.IsPointer) return false;
                        if (x.Type.IsArray ? writtenArrays.Contains(x.Key) : writtenScalars.Contains(x.Key)) return false;
                        continue;
                }
            }
            // (c) It writes only its own scalars.
            return NestSyntax.Writes(stmt).All(w => w.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } x } && Own(x));
        }
    }

    /// <summary>A library function the analyzer treats as pure (declared in a system header, or a compiler builtin).</summary>
    private static bool PureCall(SyntaxNode call) =>
        call.Decl is { } f && KnownFunctions.IsPure(f.Name, f.QualifiedName) && (f.InSystemHeader || f.Name.StartsWith("__builtin_", StringComparison.Ordinal));

    /// <summary>The break or continue leaves the element body itself (no loop, or for a break no switch, between them).</summary>
    private static bool LeavesBody(SyntaxNode jump, SyntaxNode body)
    {
        for (var n = jump.Parent; n is not null && !ReferenceEquals(n, body); n = n.Parent)
            if (n.Kind is NodeKind.For or NodeKind.While or NodeKind.Do || (n.Kind == NodeKind.Switch && jump.Kind == NodeKind.Break)) return false;
        return true;
    }
}
