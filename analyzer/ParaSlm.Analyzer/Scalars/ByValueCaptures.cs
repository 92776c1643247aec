using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Scalars;

/// <summary>
/// The variables of the enclosing function that a parallel loop only reads and that its region may take by value
/// (`firstprivate`): integers and pointers, declared outside the loop, never written in it, whose address never escapes;
/// and pointers with static storage that no store of the loop can change.
/// </summary>
/// <remarks>
/// clang outlines a `parallel for` region and hands it the shared variables by address, so every use in the loop is a
/// load through a pointer. A store of a type that may alias them (an `int` element against an `int` bound; a
/// `char` against anything; any store under -fno-strict-aliasing) may change them as far as clang can tell: it then
/// reloads the bound of an inner loop, or the base of the stored array, on every iteration, cannot count the loop's
/// iterations and does not vectorize it. gcc's serial build of the same loop runs in vector lanes, so the parallel copy
/// could run slower than serial (clang-19, `a[i] = b[i] + 1` over `int`: "loop not vectorized: could not determine
/// number of loop iterations", and `parallel for simd` printed -Wpass-failed warnings; 0.13x of serial against 0.63x
/// with the pointers by value, on 2 threads). A copy made once per thread has the same value, since the loop never
/// writes the variable and nothing can reach it through a pointer or a reference. Stores of floating-point values alone
/// cannot change an integer or a pointer under strict aliasing, so such loops keep their directive as it was.
/// Const variables are left out: OpenMP 2.x (MSVC) and gcc before 9 predetermine them shared, and refuse them in the clause.
/// </remarks>
public static class ByValueCaptures
{
    /// <summary>The names, in the order of their first use in the loop; empty when no store of the loop may alias them.</summary>
    /// <param name="named">Names the plan's own clauses already give a data-sharing attribute.</param>
    public static IReadOnlyList<string> Of(LoopInfo loop, LoopBody body, bool strictAliasing, IEnumerable<string> named)
    {
        if (strictAliasing && !body.Accesses.Any(a => a.IsWrite && !a.Node.Type.IsFloatingPoint)) return [];
        var function = loop.Function;
        // A lambda may hold a reference to any local and write it where the loop calls it.
        if (function.HasLambda) return [];
        var skip = new HashSet<string>(named, StringComparer.Ordinal);
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var use in loop.Node.DescendantsAndSelf())
        {
            if (use.Kind != NodeKind.DeclRef || use.Decl is not { Kind: DeclKind.Variable or DeclKind.Parameter } v || !seen.Add(v.Key)) continue;
            if (skip.Contains(v.Name) || body.Locals.Contains(v.Key) || body.Written.Contains(v.Key)) continue;
            if (v.IsGlobalStorage ? !GlobalPointerNoStoreChanges(v, body, strictAliasing) || !NamedAlike(v, function) : !Copyable(v)) continue;
            if (function.DeclarationOf(v.Key) is { } decl && loop.Node.Span.Contains(decl.Span)) continue;
            if (function.WritesOf(v.Key).Any(w => loop.Node.Span.Contains(w.Span)) || function.IsAddressTaken(v.Key) || function.IsBoundToReference(v.Key)) continue;
            names.Add(v.Name);
        }
        // Two variables of one name (an outer one and one in a nested scope) cannot both be named at the directive.
        return names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() == 1).Select(g => g.Key).ToList();
    }

    /// <summary>
    /// A pointer with static storage (a global, a static local) the loop stores through: clang reads it from memory on every
    /// iteration, and the address it holds may then be that of the region's own iteration bounds, so the loop cannot be
    /// counted. Taken by value only when no store of the loop can change it whatever the pointers: every stored type is
    /// one the standard's aliasing rule keeps apart from a pointer (not a pointer, not a character type), under strict
    /// aliasing. Calls in a parallel loop were already proven not to write it.
    /// </summary>
    private static bool GlobalPointerNoStoreChanges(DeclInfo v, LoopBody body, bool strictAliasing) =>
        strictAliasing && v.Type.IsPointer && PlainObject(v) &&
        body.Accesses.Where(a => a.IsWrite).All(a => Dependence.AliasAnalysis.TypesExcludeAliasing([v.Type], [a.Node.Type], strictAliasing));

    /// <summary>The directive names the variable by its plain name: a variable in a namespace or a class (`ns::table`,
    /// `Grid::cells`) is not named so, and a local or parameter of the same name anywhere in the function could be the
    /// one the name finds at the loop.</summary>
    private static bool NamedAlike(DeclInfo v, FunctionScope function) =>
        v.QualifiedName == v.Name &&
        !function.Node.DescendantsAndSelf().Any(n => n.Kind is NodeKind.VarDecl or NodeKind.ParmDecl && n.Decl is { } d && d.Key != v.Key && d.Name == v.Name);

    private static bool Copyable(DeclInfo v) =>
        !v.IsGlobalStorage && !v.IsStatic && PlainObject(v) && (v.Type.IsPointer || v.Type.IsScalarValue && v.Type.IsIntegral);

    /// <summary>An object a copy can stand for: not thread-local, a reference, const, volatile or atomic.</summary>
    private static bool PlainObject(DeclInfo v) =>
        !v.IsThreadLocal && !v.Type.IsReference && !v.Type.IsConst && !v.Type.IsAnyVolatile && !v.Type.IsAnyAtomic;
}
