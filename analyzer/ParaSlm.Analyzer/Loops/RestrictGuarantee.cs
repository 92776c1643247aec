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
/// local initialized from P and written again, or a global or reference initialized from P, or a local defined once
/// from what `memcpy(p, …)` returns, makes a second name the analyzer cannot tie to P: the qualifier then proves
/// nothing. <see cref="PointerRetention"/> judges these copies in the same walk as the ones below.</item>
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
    public static bool Holds(DeclInfo pointer, FunctionScope function, PointerRetention retention) =>
        // Every copy of its value (an assignment, an initializer, a callee's result) is judged by the one walk that
        // follows the value: only a local defined once from the pointer itself stays a name of the pointer.
        !pointer.IsGlobalStorage && !function.IsAddressTaken(pointer.Key) && !retention.MayBeKept(pointer, function);
}
