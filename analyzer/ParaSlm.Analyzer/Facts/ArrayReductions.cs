using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Facts;

/// <summary>
/// A histogram-like array the loop only updates with `+` (`h[idx[i]] += w`, `h[k]++`, `h[k] -= x`): each thread sums
/// into a private copy of the touched section, and the copies are added into the array after the loop
/// (`reduction(+:h)` for a declared array, `reduction(+:p[lo:len])` for a pointer).
/// </summary>
/// <param name="Reduction">The clause's list item: the array's name, or the pointer section `p[lo:len]`.</param>
/// <param name="Elements">The section's length when it is a constant, else null (then <paramref name="SizeCheck"/> bounds it).</param>
/// <param name="SizeCheck">For a section whose length is a run-time value: the C condition that keeps it within
/// <see cref="MaximumElements"/> (and non-empty); null for a constant length.</param>
/// <param name="LengthText">The section's length as a C expression (the cost guard reads it).</param>
/// <param name="FloatingPoint">The elements are not known integral: the sums happen in another order.</param>
public sealed record ArrayReduction(Reduction Reduction, long? Elements, string? SizeCheck, string LengthText, bool FloatingPoint)
{
    /// <summary>Largest section privatized per thread (elements), so the private copies stay small (≤ 512 KiB of
    /// doubles on each thread's stack) and their initialization and combination stay cheap next to the loop.</summary>
    public const long MaximumElements = 1 << 16;
}

/// <summary>
/// Recognizes array reductions among a loop's accesses to one base that the dependence tests found carried.
/// Theorem: if every access to the base in the loop is `b[e] op= v` / `b[e]++` / `b[e]--` as a whole statement, with
/// the same commutative, associative `op` (`+`, `-` counted as adding the negation), and `v` and `e` do not read the
/// base, then the iterations only add into elements, so any order — and per-thread partial sums added at the end —
/// gives the same integer result (floating point: up to reassociation, ParaSlmFloatReassociation). OpenMP's array
/// reduction privatizes exactly the named section, so the section must contain every element the loop touches and lie
/// inside the object: a declared array (never a parameter: that is a pointer) as a whole — an index outside it is
/// undefined behaviour in the serial program too; a pointer only with affine subscripts whose range over the
/// iteration space is computed before the loop. Indirect subscripts through a pointer have no known range: the loop stays
/// serial as written, and may become a <see cref="Locality.GuardedReduction"/> (per-thread copies of K bins, the original
/// loop whenever a subscript falls outside).
/// </summary>
internal static class ArrayReductions
{
    private const long MaximumElements = ArrayReduction.MaximumElements;

    /// <summary>The reduction for <paramref name="group"/> (every access of one base), or null with the reason.</summary>
    public static (ArrayReduction? Reduction, string? Why) Of(LoopInfo loop, Loops.LoopHeader header, List<MemoryAccess> group, HashSet<string> variant)
    {
        var b = group[0].Base;
        if (b.Kind is not (BaseKind.NamedArray or BaseKind.Pointer) || b.Root is not { } root) return (null, null);
        if (root.Kind is not (DeclKind.Variable or DeclKind.Parameter)) return (null, null);
        foreach (var a in group)
        {
            if (!a.IsRead || !a.IsWrite || a.UnknownExtent || a.Path.Any(p => p is not IndexStep)) return (null, null);
            if (!Within(a.Node, loop.Node)) return (null, null);
            // The access must name the variable itself: through a local pointer (`int *p = h; p[k]++`) the private copy
            // would not be the one updated.
            if (Root(a.Node) is not { Kind: NodeKind.DeclRef, Decl: { } d } || d.Key != root.Key) return (null, null);
            if (UpdateOperator(a.Node) != "+") return (null, null);
            if (!a.Node.Type.IsScalarValue || a.Node.Type.IsAtomic || a.Node.Type.IsVolatile || a.Node.Type.NeedsLibatomicToReduce || !(a.Node.Type.IsIntegral || a.Node.Type.IsFloatingPoint))
                return (null, null);
        }
        // An element fixed for the whole loop (`c[i][j] += …` in the k loop) is a scalar sum: privatizing an array for it
        // would cost far more than the loop, so such a loop stays as it was.
        var inner = new HashSet<string>(loop.Children.SelectMany(Counters).Append(header.Symbol.Key), StringComparer.Ordinal);
        if (group.All(a => a.Subscripts.All(x => x is not null && !x.Symbols.Any(s => inner.Contains(s.Key)))))
            return (null, $"`{root.Name}` is only updated with `+`, but always at the same element in this loop");
        var floating = !group[0].Node.Type.IsIntegral;
        var op = new Reduction("+", root.Name);
        if (b.Kind == BaseKind.NamedArray)
        {
            if (Elements(root.Type) is not { } n || n <= 0) return (null, null);
            if (n > MaximumElements)
                return (null, $"`{root.Name}` is only updated with `+`, but it has {n} elements: more than the {MaximumElements} an array reduction privatizes per thread");
            return (new ArrayReduction(op, n, null, n.ToString(System.Globalization.CultureInfo.InvariantCulture), floating), null);
        }
        // A pointer: the section from the subscripts' range over the loop (one dimension, affine).
        if (group.Any(a => a.Path.Count != 1)) return (null, null);
        var assumed = new HashSet<Affine.Symbol>();
        // The section is written as the user's subscripts compute it; its size check in long long (LinearExpr.ToWideString).
        if (LoopJudge.ExtentWithLength(loop, header, group, variant, assumed, wide: false) is not { } e || e.Flat ||
            LoopJudge.ExtentWithLength(loop, header, group, variant, new HashSet<Affine.Symbol>(), wide: true) is not { } w)
            return (null, $"`{root.Name}` is only updated with `+`, but the range of its subscripts is not known before the loop");
        var length = e.Length ?? (e.Start == "0" ? e.End : $"({e.End}) - ({e.Start})");
        var wideLength = w.Length ?? (w.Start == "0" ? w.End : $"({w.End}) - ({w.Start})");
        var section = $"{root.Name}[{e.Start}:{length}]";
        long? constant = long.TryParse(length, out var c) ? c : null;
        if (constant is > MaximumElements) return (null, $"`{root.Name}` is only updated with `+`, but its section has {constant} elements: more than {MaximumElements}");
        if (constant is <= 0) return (null, null);
        // A coefficient of unknown sign was assumed non-negative to bound the range: the assumption is checked too.
        var guards = string.Concat(assumed.OrderBy(x => x.Text, StringComparer.Ordinal).Select(x => $"{x.Text} >= 0 && "));
        var check = constant is null || guards.Length > 0 ? $"{guards}({wideLength}) > 0 && ({wideLength}) <= {MaximumElements}" : null;
        return (new ArrayReduction(op with { Variable = section }, constant, check, length, floating), null);
    }

    private static IEnumerable<string> Counters(LoopInfo l) =>
        (l.Header is { } h ? [h.Symbol.Key] : Array.Empty<string>()).Concat(l.Children.SelectMany(Counters));

    /// <summary>`+` when the access is the target of `+=`, `-=`, `++` or `--` used as a statement (its value unused), else null.</summary>
    internal static string? UpdateOperator(SyntaxNode access)
    {
        var n = access;
        while (n.Parent is { Kind: NodeKind.Paren } p) n = p;
        if (n.Parent is not { } update) return null;
        var ok = update.Kind switch
        {
            NodeKind.CompoundAssign => update.Children.Count == 2 && ReferenceEquals(update.Children[0], n) &&
                                       update.BinaryOp.ArithmeticOf() is BinaryOp.Add or BinaryOp.Sub &&
                                       !update.Children[1].DescendantsAndSelf().Any(x => x.Kind == NodeKind.DeclRef && x.Decl?.Key == RootKey(access)),
            NodeKind.Unary => update.UnaryOp.IsIncDec() && update.Children.Count == 1,
            _ => false,
        };
        if (!ok) return null;
        var statement = update;
        while (statement.Parent is { Kind: NodeKind.Paren or NodeKind.Cast } q && (q.Kind != NodeKind.Cast || q.Type.Spelling == "void")) statement = q;
        // Only as a statement: `x = h[k]++` reads the element's value, which a private copy does not hold.
        return statement.Parent is { Kind: NodeKind.Compound } or { Kind: NodeKind.If or NodeKind.For or NodeKind.While or NodeKind.Do or NodeKind.Label } &&
               !IsCondition(statement) ? "+" : null;
    }

    private static bool IsCondition(SyntaxNode statement)
    {
        var parent = statement.Parent!;
        return parent.Kind switch
        {
            NodeKind.If or NodeKind.While => ReferenceEquals(parent.Children[0], statement),
            NodeKind.Do => ReferenceEquals(parent.Children[^1], statement),
            NodeKind.For => parent.For is not { } f || !ReferenceEquals(f.Body, statement),
            _ => false,
        };
    }

    private static string? RootKey(SyntaxNode access) => Root(access) is { Decl: { } d } ? d.Key : null;

    /// <summary>The expression a chain of subscripts starts from (`h` in `h[i][j]`).</summary>
    private static SyntaxNode Root(SyntaxNode access)
    {
        var n = access.StripParensAndCasts();
        while (n.Kind == NodeKind.Subscript && n.Children.Count == 2) n = n.Children[0].StripParensAndCasts();
        return n;
    }

    private static bool Within(SyntaxNode n, SyntaxNode loop)
    {
        for (var p = n; p is not null; p = p.Parent)
            if (ReferenceEquals(p, loop)) return true;
        return false;
    }

    /// <summary>Total scalar elements of a constant-size (possibly multi-dimensional) array type, or null.</summary>
    private static long? Elements(TypeInfo t)
    {
        long n = 1;
        while (t.IsArray)
        {
            if (t.ArrayLength <= 0 || t.Element is null) return null;
            n = checked(n * t.ArrayLength);
            t = t.Element;
        }
        return t.IsScalarValue ? n : null;
    }
}
