using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// When a `restrict` qualifier proves that no other base of a loop reaches what the pointer points to.
/// </summary>
/// <remarks>
/// C11 6.7.3.1 promises less than "a restrict pointer aliases nothing": an object modified through a restrict
/// pointer P may still be accessed through any pointer <em>based on</em> P, that is a pointer whose value was
/// computed from P while P's block runs (`q = p;`, `q = p + 1;`, `*slot = p;` read back later). The analyzer
/// resolves a local defined once from P to P's own base (same key: the dependence test sees one base), so
/// the guarantee is trusted only where no other copy of P can exist:
/// <list type="bullet">
/// <item>P has block scope (a parameter or a local). A file-scope restrict pointer's block is all of `main`: any
/// function of any translation unit may have made a plain copy of it (`yy = xx;`) or keep using the array it points
/// into directly, and neither gcc nor clang draws a conclusion from such a qualifier, so the user's serial program
/// behaves as if it were a plain pointer; it is treated as one (overlap checked at run time).</item>
/// <item>Every copy of P's value in the function goes to a local pointer defined once from it (the analyzer follows
/// that definition), and P's address is not taken. An assignment `q = p` / `q = p + k` to any other lvalue, or a
/// local initialized from P and written again, or a global or reference initialized from P, makes a second name
/// the analyzer cannot tie to P: the qualifier then proves nothing.</item>
/// <item>No value based on P is handed to a callee that may keep it (a global, a struct member, an out-parameter set
/// inside the callee, read back by the loop under another name), nor put in a braced initializer: see
/// <see cref="PointerRetention"/>. A callee whose body is in the translation unit is walked for that parameter
/// (recursively); a standard function that keeps no pointer (`memcpy`, `memset`, `printf`, math) is trusted; an
/// unknown external callee may keep it, and the pointer is then checked at run time like a plain one.</item>
/// </list>
/// </remarks>
public static class RestrictGuarantee
{
    /// <summary>True when <paramref name="pointer"/> (declared restrict) has no copy in <paramref name="function"/> that
    /// another base of a loop could read or write through.</summary>
    public static bool Holds(DeclInfo pointer, FunctionScope function, PointerRetention retention)
    {
        if (pointer.IsGlobalStorage || function.IsAddressTaken(pointer.Key)) return false;
        foreach (var n in function.Node.DescendantsAndSelf())
        {
            if (n.Kind == NodeKind.Binary && n.BinaryOp == BinaryOp.Assign && n.Children.Count == 2 &&
                CopiesPointer(n.Children[1], pointer) && !IsSelf(n.Children[0], pointer))
                return false;
            if (n.Kind == NodeKind.VarDecl && n.Decl is { } d && d.Key != pointer.Key &&
                FunctionScope.InitializerOf(n) is { } init && CopiesPointer(init, pointer) &&
                (d.IsGlobalStorage || d.Type.IsReference || function.SingleDefinition(d.Key) is null))
                return false;
        }
        return !retention.MayBeKept(pointer, function);
    }

    /// <summary>An expression of pointer type computed from the pointer (`p`, `p + k`, `c ? p : r`, `&amp;p[i]`).</summary>
    private static bool CopiesPointer(SyntaxNode value, DeclInfo pointer)
    {
        var v = value.StripParensAndCasts();
        return (v.Type.IsPointer || v.Type.IsArray || v.Type.IsReference) && SyntaxEquality.Mentions(v, pointer.Key);
    }

    /// <summary>`p = p + 1`: the pointer moved along its own object is still the only name for it.</summary>
    private static bool IsSelf(SyntaxNode target, DeclInfo pointer)
    {
        var t = target.StripParensAndCasts();
        return t.Kind == NodeKind.DeclRef && t.Decl?.Key == pointer.Key;
    }
}
