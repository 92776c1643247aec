using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Recognizes the scatter of a <see cref="GuardedReduction"/>: a pointer the loop only adds into, through subscripts whose
/// range is not known before the loop.
/// </summary>
/// <remarks>
/// The theorem. Let h be a pointer (not written in the loop) whose every access in the loop is an update statement
/// `h[e] += v`, `h[e] -= v`, `h[e]++` or `h[e]--` (a whole statement, the subscript and the value not reading h), e of an
/// integer type of at most 64 bits. Let the rest of the loop be provably parallel (the dependence tests, the scalar
/// classes and the aliasing checks of <see cref="Facts.LoopJudge"/>, with h's accesses taken to lie in [h, h+K)), write
/// no memory but h's elements, no scalar but its own locals, counters and private scalars, and have no reduction or
/// lastprivate. Run the loop in parallel with every update replaced by
/// `if ((unsigned long long)e &lt; K) acc[e] op= v; else out = 1;` over per-thread copies of a zeroed acc[0..K). The copy
/// writes no memory of the user's, so (1) if out is set, the user's state is the one before the loop and the original
/// loop runs as written: exactly the serial program; (2) if it is not, every update of the serial loop hits an element
/// of [0, K); h's elements are read nowhere else in the loop and lie outside what it reads (static proof or the run-time
/// check on [h, h+K)), so the serial loop's reads see the values the parallel copy saw, and h[k] ends as h[k] plus the sum
/// of its updates; the copies add the same updates per element (integers: modulo the type, any order; floating point: in
/// another order, ParaSlmFloatReassociation), and acc[k] is added into h[k] only where it is not zero — an element with
/// a zero sum keeps its value, so only elements the serial loop wrote are written and h's allocation size never matters.
/// K (any positive value ≤ 65536 is sound) is taken from a loop of the same function that walks h[v] for v in [0, K),
/// such as the loop that clears the histogram, so the copies have the size the program's own bins have.
/// </remarks>
public static class GuardedReductionRecognizer
{
    /// <summary>What the first pass learns about the array; <see cref="Facts.LoopJudge"/> finishes the proof.</summary>
    internal sealed record Candidate(MemoryBase Base, DeclInfo Root, string ElementType, bool FloatingPoint, IReadOnlyList<GuardedUpdate> Updates,
        string Bound, long? BoundConstant, int BoundLine);

    /// <summary>The candidate for <paramref name="group"/> (every access of one base, a carried dependence found), or null
    /// with the reason (null too when the group is not a `+`-only pointer scatter at all).</summary>
    internal static (Candidate? Candidate, string? Why) Of(LoopInfo loop, List<MemoryAccess> group, IEnumerable<LoopInfo> functionLoops)
    {
        var b = group[0].Base;
        if (b.Kind != BaseKind.Pointer || b.Root is not { Kind: DeclKind.Variable or DeclKind.Parameter } root || root.IsGlobalStorage) return (null, null);
        if (loop.IsRangeFor || loop.HasOpenMPDirective || loop.Node.Span.Contains(root.Span) || root.Type.IsAnyVolatile || root.Type.IsAnyAtomic) return (null, null);
        // The pointer itself stays put: the copy adds every update into one temporary that is merged through `h` as it is
        // after the loop, which is only right if every iteration's `h` was that one.
        if (loop.Function.WritesOf(root.Key).Any(w => loop.Node.Span.Contains(w.Span)) || loop.Function.IsAddressTaken(root.Key)) return (null, null);
        var tree = NestSyntax.Root(loop.Node);
        var updates = new List<GuardedUpdate>();
        foreach (var a in group)
        {
            if (!a.IsRead || !a.IsWrite || a.UnknownExtent || a.Path is not [IndexStep]) return (null, null);
            var node = a.Node;
            if (node.Kind != NodeKind.Subscript || node.Children.Count != 2 || node.Children[0].StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } d } || d.Key != root.Key)
                return (null, null);
            if (Facts.ArrayReductions.UpdateOperator(node) != "+" || node.Parent is not { } update) return (null, null);
            // The update is the statement itself (no parentheses or cast around it): the copy puts a statement in its place.
            if (update.Parent is not { Kind: NodeKind.Compound or NodeKind.If or NodeKind.For or NodeKind.While or NodeKind.Do }) return (null, null);
            if (!Element(node.Type)) return (null, null);
            var index = node.Children[1];
            if (!index.Type.IsIntegral || index.Type.CanonicalSpelling.Contains("128", StringComparison.Ordinal)) return (null, null);
            string op;
            string? value = null;
            if (update.Kind == NodeKind.CompoundAssign)
            {
                op = update.BinaryOp.ArithmeticOf() == BinaryOp.Add ? "+=" : "-=";
                // `h[k] += 0.5` on integers truncates at every step: not a sum. Integer elements take integer values only.
                if (node.Type.IsIntegral && !update.Children[1].Type.IsIntegral) return (null, null);
                value = OrderedAppendRecognizer.TextOf(tree, update.Children[1]);
                if (value is null) return (null, null);
            }
            else
            {
                op = update.UnaryOp is UnaryOp.PreInc or UnaryOp.PostInc ? "++" : "--";
            }
            var text = OrderedAppendRecognizer.TextOf(tree, update);
            var indexText = OrderedAppendRecognizer.TextOf(tree, index);
            if (text is null || indexText is null || !Spelled(text, root.Name, indexText, op, value, update.UnaryOp is UnaryOp.PreInc or UnaryOp.PreDec)) return (null, null);
            updates.Add(new GuardedUpdate(update.Span.Offset, update.Span.EndOffset, text, update.Span.Line, indexText, op, value));
        }
        if (Bound(loop, root, functionLoops) is not var (bound, constant, line))
            return (null, $"`{root.Name}` is only updated with `+`, but no loop of this function walks `{root.Name}[v]` for v from 0 to a bound that could size its per-thread copies");
        if (constant is > Facts.ArrayReduction.MaximumElements or <= 0)
            return (null, $"`{root.Name}` is only updated with `+`, but its bins (the loop at line {line}) number {constant}: more than the {Facts.ArrayReduction.MaximumElements} an array reduction privatizes per thread");
        var element = group[0].Node.Type.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal).Trim();
        return (new Candidate(b, root, element, !group[0].Node.Type.IsIntegral, updates, bound, constant, line), null);
    }

    /// <summary>
    /// Whether the update's source text is exactly the array's name, its subscript, the operator and the value, as the
    /// copy will write them: a macro (`BIN(in[i])++`) gives its nodes the extent of the whole call, so a subscript's
    /// text would be the macro call itself; such an update is not rewritten.
    /// </summary>
    private static bool Spelled(string text, string array, string index, string op, string? value, bool prefix)
    {
        static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));
        var element = $"{array}[{index}]";
        var expected = value is not null ? element + op + value : prefix ? op + element : element + op;
        return Squeeze(text) == Squeeze(expected);
    }

    /// <summary>Integer or floating-point elements that add exactly (or up to reassociation): not `bool` (saturates), not an
    /// enum, complex, 128-bit, volatile or atomic type.</summary>
    private static bool Element(TypeInfo t)
    {
        if (!t.IsScalarValue || t.IsAnyVolatile || t.IsAnyAtomic || t.NeedsLibatomicToReduce || !(t.IsIntegral || t.IsFloatingPoint)) return false;
        var s = t.CanonicalSpelling;
        return !(s.Contains("bool", StringComparison.OrdinalIgnoreCase) || s.Contains("enum", StringComparison.Ordinal) || s.Contains("_Complex", StringComparison.Ordinal));
    }

    /// <summary>K from a loop of the same function that accesses `h[v]` with v from 0 by 1 below K: K's text, its value when
    /// constant, and that loop's line. A run-time K must be a parameter or a local declared before the loop, in scope, that
    /// the function never writes after its declaration. Constants are preferred, then the largest.</summary>
    private static (string Text, long? Constant, int Line)? Bound(LoopInfo loop, DeclInfo root, IEnumerable<LoopInfo> functionLoops)
    {
        (string, long?, int)? best = null;
        foreach (var other in functionLoops)
        {
            if (ReferenceEquals(other, loop) || other.CanonicalHeader is not { StepKnown: true, Step: 1, Variable: { } v } h || !h.Min.IsConstant || h.Min.Constant != 0) continue;
            var walks = other.Node.DescendantsAndSelf().Any(n =>
                n is { Kind: NodeKind.Subscript, Children: [var array, var index] } &&
                array.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } a } && a.Key == root.Key &&
                index.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } c } && c.Key == v.Key);
            if (!walks) continue;
            var k = h.Max.Add(Affine.LinearExpr.One);
            if (k.IsConstant)
            {
                if (best is not (_, { } c0, _) || k.Constant > c0) best = (k.Constant.ToString(System.Globalization.CultureInfo.InvariantCulture), k.Constant, other.Line);
                continue;
            }
            if (best is (_, { }, _) || k.Constant != 0 || k.Terms.Count != 1 || k.Terms.Single() is not ({ Factors: [var s] }, 1)) continue;
            var decl = other.Node.For?.Condition?.DescendantsAndSelf().FirstOrDefault(n => n.Kind == NodeKind.DeclRef && n.Decl?.Key == s.Key)?.Decl;
            if (decl is not { Kind: DeclKind.Variable or DeclKind.Parameter } || decl.IsGlobalStorage || !decl.Type.IsIntegral || decl.Type.IsAnyVolatile) continue;
            if (loop.Function.IsWritten(decl.Key) || loop.Function.IsAddressTaken(decl.Key)) continue;
            if (decl.Kind == DeclKind.Variable && !InScopeBefore(loop, decl)) continue;
            best ??= (decl.Name, null, other.Line);
        }
        return best;
    }

    /// <summary>A local declared before the loop in a block that contains the loop.</summary>
    private static bool InScopeBefore(LoopInfo loop, DeclInfo decl)
    {
        if (loop.Function.DeclarationOf(decl.Key) is not { } declaration || declaration.Span.Offset >= loop.Node.Span.Offset) return false;
        for (var p = declaration.Parent; p is not null; p = p.Parent)
            if (p.Kind == NodeKind.Compound) return p.Span.Contains(loop.Node.Span);
        return false;
    }
}
