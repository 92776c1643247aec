using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Affine;

/// <summary>
/// Turns an integer expression into a <see cref="LinearExpr"/>, or null when it is not affine
/// (division, calls, loads through arrays). Locals defined once inside the region being analyzed
/// (`int idx = i*n + j;`) are substituted by their definition so flattened indices stay visible.
/// </summary>
public sealed class AffineConverter(FunctionScope scope, Func<DeclInfo, bool> substitute, bool opaqueInvariants = true)
{
    private const int MaxSubstitutionDepth = 6;

    /// <summary>
    /// While an accessor's body is read in place of its call: the value of a parameter or of an implicit member
    /// (`k`, `m_n` in `return m_x[k * m_n];`) in the caller's terms. Bound = true with a null value: not affine there.
    /// </summary>
    public Func<SyntaxNode, (bool Bound, LinearExpr? Value)>? Binder { get; set; }

    public static Symbol SymbolOf(DeclInfo d) => new(d.Key, d.Name) { NonNegative = d.Type.IsUnsignedIntegral, Type = d.Type, Decl = d };

    public static Symbol SizeSymbolOf(DeclInfo container) => new("size:" + container.Key, container.Name + ".size()");

    public LinearExpr? Convert(SyntaxNode expr) => Convert(expr, 0);

    private LinearExpr? Convert(SyntaxNode expr, int depth)
    {
        var n = expr.StripParensAndCasts();
        if (n.IntValue is { } v) return LinearExpr.Const(v);
        if (Binder is { } bind && n.Kind is NodeKind.DeclRef or NodeKind.MemberRef && bind(n) is { Bound: true } bound) return bound.Value;
        switch (n.Kind)
        {
            case NodeKind.DeclRef when n.Decl is { } d:
                if (d.Kind == DeclKind.EnumConstant) return null;
                if (!d.Type.IsIntegral) return null;
                if (depth < MaxSubstitutionDepth && substitute(d) && scope.SingleDefinition(d.Key) is { } init)
                    return Convert(init, depth + 1);
                return LinearExpr.Of(SymbolOf(d));
            case NodeKind.Binary when n.Children.Count == 2:
                var l = Convert(n.Children[0], depth);
                var r = Convert(n.Children[1], depth);
                LinearExpr? result = null;
                if (l is not null && r is not null)
                {
                    try
                    {
                        result = n.BinaryOp switch
                        {
                            BinaryOp.Add => l.Add(r),
                            BinaryOp.Sub => l.Subtract(r),
                            BinaryOp.Mul => l.Multiply(r),
                            BinaryOp.Shl when r.IsConstant && r.Constant is >= 0 and < 31 => l.Scale(1L << (int)r.Constant),
                            _ when l.IsConstant && r.IsConstant => Fold(n.BinaryOp, l.Constant, r.Constant),
                            _ => null,
                        };
                    }
                    catch (OverflowException)
                    {
                        result = null;
                    }
                }
                return result ?? Opaque(n);
            case NodeKind.Unary when n.Children.Count == 1:
                var o = Convert(n.Children[0], depth);
                return n.UnaryOp switch
                {
                    UnaryOp.Minus => o?.Negate(),
                    UnaryOp.Plus => o,
                    _ => null,
                };
            case NodeKind.Call when IsSizeCall(n, out var container):
                return LinearExpr.Of(SizeSymbolOf(container!));
            case NodeKind.MemberRef when n.Type.IsIntegral && MemberPath(n) is { } path:
                return LinearExpr.Of(path);
            default:
                return Opaque(n);
        }
    }

    private static LinearExpr? Fold(BinaryOp op, long a, long b) => op switch
    {
        BinaryOp.Div when b != 0 => LinearExpr.Const(a / b),
        BinaryOp.Rem when b != 0 => LinearExpr.Const(a % b),
        BinaryOp.Shr when b is >= 0 and < 63 => LinearExpr.Const(a >> (int)b),
        BinaryOp.And => LinearExpr.Const(a & b),
        BinaryOp.Or => LinearExpr.Const(a | b),
        BinaryOp.Xor => LinearExpr.Const(a ^ b),
        _ => null,
    };

    /// <summary>
    /// An integer expression that is not affine but reads only variables (`n / 2`, `(w + 1) >> 1`):
    /// it stands for itself, and depends on the variables it reads. Loads from memory and calls other
    /// than pure ones never qualify: their value may change without any variable being assigned.
    /// </summary>
    private LinearExpr? Opaque(SyntaxNode n)
    {
        if (!opaqueInvariants || !n.Type.IsIntegral) return null;
        var deps = new List<string>();
        foreach (var d in n.DescendantsAndSelf())
        {
            // An accessor's parameter stands for a caller's value: no opaque symbol can name it.
            if (Binder is { } bind && d.Kind is NodeKind.DeclRef or NodeKind.MemberRef && bind(d).Bound) return null;
            switch (d.Kind)
            {
                case NodeKind.DeclRef when d.Decl is { } decl:
                    if (decl.Kind is DeclKind.Function or DeclKind.Method) break;
                    if (substitute(decl)) return null; // a per-iteration local: not invariant
                    deps.Add(decl.Key);
                    break;
                case NodeKind.MemberRef when d.Children.Count == 0:
                    deps.Add("this->" + d.Spelling);
                    break;
                case NodeKind.MemberRef when !d.IsArrow:
                    break;
                case NodeKind.Call when d.Decl is { } c && (Effects.KnownFunctions.IsPure(c.Name, c.QualifiedName) || IsSizeCall(d, out _)):
                    break;
                case NodeKind.Subscript or NodeKind.Call or NodeKind.MemberRef or NodeKind.CompoundAssign or NodeKind.Lambda:
                    return null;
                case NodeKind.Unary when d.UnaryOp is UnaryOp.Deref || d.UnaryOp.IsIncDec():
                    return null;
                case NodeKind.Binary when d.BinaryOp.IsAssignment():
                    return null;
            }
        }
        var text = SourceText.Of(n);
        (LinearExpr, long)? quotient = null;
        if (n.Kind == NodeKind.Binary && n.BinaryOp == BinaryOp.Div && n.Children.Count == 2 &&
            n.Children[1].StripParensAndCasts().IntValue is { } divisor && divisor > 0 && Convert(n.Children[0]) is { } dividend)
            quotient = (dividend, divisor);
        // `X >> c` is X / 2^c for X ≥ 0 (every use of a quotient first proves its dividend non-negative).
        else if (n.Kind == NodeKind.Binary && n.BinaryOp == BinaryOp.Shr && n.Children.Count == 2 &&
                 n.Children[1].StripParensAndCasts().IntValue is { } shift && shift is >= 1 and <= 30 && Convert(n.Children[0]) is { } shifted)
            quotient = (shifted, 1L << (int)shift);
        // Its type decides whether a run-time test may compute with it as written (LinearExpr.ToWideString).
        return LinearExpr.Of(new Symbol("expr:" + text, "(" + text + ")") { Dependencies = deps.Distinct().ToList(), Quotient = quotient, Type = n.Type });
    }

    /// <summary>`v.size()` on a named container.</summary>
    public static bool IsSizeCall(SyntaxNode call, out DeclInfo? container)
    {
        container = null;
        if (call.Kind != NodeKind.Call || call.Spelling != "size" || call.Children.Count == 0) return false;
        var member = call.Children[0].StripParensAndCasts();
        if (member.Kind != NodeKind.MemberRef || member.Children.Count == 0) return false;
        var obj = member.Children[0].StripParensAndCasts();
        if (obj.Kind != NodeKind.DeclRef || obj.Decl is null) return false;
        container = obj.Decl;
        return true;
    }

    /// <summary>`s.n` or `p->n` as a symbol keyed by root variable and field.</summary>
    public static Symbol? MemberPath(SyntaxNode member)
    {
        if (member.Children.Count == 0)
            return new Symbol("this->" + member.Spelling, member.Spelling)
                { NonNegative = member.Type.IsUnsignedIntegral, Type = member.Type, Member = member.Decl, Dependencies = ["this->" + member.Spelling, "this"], RootKey = "this" };
        var baseExpr = member.Children[0].StripParensAndCasts();
        if (baseExpr.Kind != NodeKind.DeclRef || baseExpr.Decl is null) return null;
        var sep = member.IsArrow ? "->" : ".";
        var key = baseExpr.Decl.Key + sep + member.Spelling;
        // The member's value depends on its root too: an assignment to the whole object (`v = w;`, or `p = q` for `p->n`)
        // changes `v.n` without naming it, so every rule that asks whether the loop changes a symbol's dependencies sees it.
        return new Symbol(key, baseExpr.Decl.Name + sep + member.Spelling)
            { NonNegative = member.Type.IsUnsignedIntegral, Type = member.Type, Member = member.Decl, Dependencies = [key, baseExpr.Decl.Key], RootKey = baseExpr.Decl.Key };
    }
}
