using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Effects;

/// <summary>
/// `os << x` and `is >> v` where `os` has a type that depends on a template parameter. Where no `operator<<` is
/// visible at the template's definition, clang keeps the expression as a plain operator node, which reads like a
/// built-in shift (no side effect). Instantiated with a stream, it is the stream's overloaded operator: it writes the
/// stream (BabelStream's `print_labels = [&](auto& os) { for (…) os << bench[i].label; }`, or a helper
/// `template <class S> void put(S& os, …) { os << s; }` called in a loop). The object it applies to decides whether
/// that is a shared effect: a reference, a global, a member or a dereferenced pointer is someone else's object; a
/// value the code itself declares (in the loop, or in the callee) is its own.
/// Residual assumption, stated: an element of a pointer or array (`in[i] << 2` with `const T *in`) is taken as a
/// value shifted (templated bit manipulation), as arithmetic on dependent values is elsewhere.
/// </summary>
public static class DependentShiftOperators
{
    /// <summary>The object a dependent `<<`/`>>` acts on when it is not owned per <paramref name="owned"/>; null otherwise.</summary>
    public static SyntaxNode? SharedOperand(SyntaxNode n, Func<DeclInfo, bool> owned)
    {
        if (n.Kind != NodeKind.Binary || n.BinaryOp is not (BinaryOp.Shl or BinaryOp.Shr) || n.Children.Count != 2) return null;
        var left = n.Children[0].StripParensAndCasts();
        // A chain `os << a << b` is checked at its innermost node, whose left operand is `os` itself.
        if (!left.Type.IsTemplateDependentObject) return null;
        return left.Kind switch
        {
            NodeKind.DeclRef when left.Decl is { } d => d.Type.IsReference || d.IsGlobalStorage || !owned(d) ? left : null,
            NodeKind.MemberRef => left,
            NodeKind.Unary when left.UnaryOp == UnaryOp.Deref => left,
            _ => null,
        };
    }

    /// <summary>The reason a loop or a callee gets for <paramref name="n"/> acting on <paramref name="operand"/>.</summary>
    public static string Describe(SyntaxNode n, SyntaxNode operand) =>
        $"`{SourceText.Of(n)}` applies `{(n.BinaryOp == BinaryOp.Shl ? "<<" : ">>")}` to `{SourceText.Of(operand)}`, whose type depends on a " +
        "template parameter: instantiated with a stream it is the stream's overloaded operator, which writes the stream, " +
        "and the analyzer cannot see its body";
}
