using ParaSlm.Analyzer.Affine;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>Which distinct bases may name the same memory, and the runtime test that proves they do not.</summary>
public static class AliasAnalysis
{
    public static bool MayAlias(MemoryBase x, MemoryBase y)
    {
        if (x.Key == y.Key) return true;
        if (x.IsRestrict || y.IsRestrict || x.IsFreshAllocation || y.IsFreshAllocation) return false;
        static bool Named(MemoryBase b) => b.Kind is BaseKind.NamedArray or BaseKind.Object or BaseKind.Container;
        if (Named(x) && Named(y))
        {
            // Distinct declared objects never overlap; a reference (or `this`) may be bound to any
            // object of its kind that outlives the call, but never to a local of this function.
            if (x.IsReference) return x.Kind == y.Kind && !y.IsLocalStorage;
            if (y.IsReference) return x.Kind == y.Kind && !x.IsLocalStorage;
            return false;
        }
        if (Named(x)) return !x.IsLocalStorage;
        if (Named(y)) return !y.IsLocalStorage;
        return true;
    }

    /// <summary>
    /// Strict aliasing (C11 6.5p7, C++ [basic.lval]): an object is only accessed through its own type,
    /// so accesses whose scalar types never match cannot overlap. Character types, records and
    /// unresolved types may alias anything and disable the rule. With <paramref name="strictAliasing"/> false (the file is
    /// built with -fno-strict-aliasing, <see cref="Clang.ClangParser.StrictAliasing"/>) the compiler gives accesses through
    /// other types a defined meaning, and the user's serial program may rely on it: types then rule nothing out.
    /// </summary>
    public static bool TypesExcludeAliasing(IEnumerable<Syntax.TypeInfo> xs, IEnumerable<Syntax.TypeInfo> ys, bool strictAliasing)
    {
        if (!strictAliasing) return false;
        static string? Key(Syntax.TypeInfo t)
        {
            if (t.IsAtomic || !(t.IsScalarValue || t.IsPointer)) return null;
            if (t.IsPointer && (t.CanonicalSpelling.Contains("void", StringComparison.Ordinal))) return null;
            var c = t.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal).Replace("volatile ", string.Empty, StringComparison.Ordinal).Trim();
            if (c.Contains("char", StringComparison.Ordinal) || c == "std::byte") return null;
            // Signed and unsigned variants of one integer type may alias each other.
            return c.Replace("unsigned ", string.Empty, StringComparison.Ordinal);
        }
        var a = xs.Select(Key).ToList();
        var b = ys.Select(Key).ToList();
        if (a.Count == 0 || b.Count == 0 || a.Any(k => k is null) || b.Any(k => k is null)) return false;
        return !a.Intersect(b).Any();
    }
}

/// <summary>The range of elements a base is touched at, over the whole iteration space of the loop.</summary>
public sealed record AccessRange(MemoryBase Base, LinearExpr Low, LinearExpr High, string ElementType);
