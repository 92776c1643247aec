using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>
/// Which loop-invariant symbols a run-time check may read before the loop and trust for every iteration: their value
/// can change neither by name (the caller's variant set already says that) nor through any store the loop makes.
/// A check evaluated once at the loop's entry proves something about the whole loop only when every value it reads
/// stays what it was; the names the body assigns are already excluded, but a row length kept in memory (a member
/// `pressure.sizeY`, a global, a local whose address escapes) may be overwritten through a pointer or a reference —
/// the buffer's own `data` pointer included — without its name ever being written.
/// </summary>
public sealed class StoreProofValues
{
    /// <summary>Keys of symbols the analyzer makes up (a sub-expression, a container's size, an opaque bound, a range-for
    /// position, a step multiple): they stand for no single stored value a check could read.</summary>
    private static readonly string[] AnalyzerSymbols = ["expr:", "size:", "lb:", "ub:", "range:", "step:"];

    private readonly LoopInfo _loop;
    private readonly LoopBody _body;
    private readonly HashSet<string> _variant;

    private readonly Effects.FunctionEffects _effects;
    private readonly bool _strictAliasing;

    /// <param name="strictAliasing">Whether the file's build lets types rule out aliasing: under -fno-strict-aliasing a
    /// store of any type may change any object, so only values no pointer or reference can reach are trusted.</param>
    public StoreProofValues(LoopInfo loop, LoopBody body, IEnumerable<string> variant, Effects.FunctionEffects effects, bool strictAliasing = true)
    {
        _effects = effects;
        _strictAliasing = strictAliasing;
        _loop = loop;
        _body = body;
        _variant = new HashSet<string>(variant, StringComparer.Ordinal);
    }

    /// <summary>
    /// True when no store of the loop may change the symbol: a plain local or parameter that no pointer or reference
    /// can reach (not global, not static, not a reference, address never taken in the function), or any other named
    /// value of a known scalar type that strict aliasing keeps apart from every type the loop stores (C11 6.5p7,
    /// C++ [basic.lval]: a `double` store cannot change a `size_t`; a `char` store, a record copy or an unknown type may
    /// change anything). Sub-expressions, calls, container sizes and the analyzer's own bound symbols are never trusted.
    /// </summary>
    public bool Unchanged(Symbol s)
    {
        if (s.IsOpaque || AnalyzerSymbols.Any(p => s.Key.StartsWith(p, StringComparison.Ordinal)) || s.Key.EndsWith('\'')) return false;
        if (s.Dependencies.Any(_variant.Contains) || _variant.Contains(s.Key)) return false;
        if (s.Decl is { } d) return Unreachable(d) || s.Type is { } vt && StoresExclude(vt);
        // A member path `p.n`, `p->n`, `this->n`: its root must not be reassigned either (`p = q` changes `p.n`), and the
        // loop's site must be allowed to name the member.
        // A chain `a.b.n` also needs every member on the way nameable, and none of them (nor the root) written by name; a
        // store to any part of the object through memory is excluded by its type below, as for `a.n`.
        if (s.Member is not { } member || (s.RootKey ?? RootOf(s.Key, member.Name)) is not { } root) return false;
        if (_variant.Contains(root) || _body.Written.Contains(root) || s.Dependencies.Any(_body.Written.Contains)) return false;
        if (!Nameable(member, root == "this") || s.Via is not { } via || via.Any(m => !Nameable(m, root == "this"))) return false;
        return s.Type is { } t && StoresExclude(t);
    }

    /// <summary>The root's key of a member symbol keyed `root.field` or `root->field` (a root's key may itself hold dots: a file name).</summary>
    private static string? RootOf(string key, string field)
    {
        foreach (var sep in new[] { "->", "." })
            if (key.EndsWith(sep + field, StringComparison.Ordinal) && key.Length > sep.Length + field.Length)
                return key[..^(sep.Length + field.Length)];
        return null;
    }

    /// <summary>
    /// Code at the loop's site may name the member: it is public, or it is reached through `this` in a member function of
    /// the member's own class (a member read inside an inlined accessor may be private to a class the loop is not in).
    /// </summary>
    private bool Nameable(Syntax.DeclInfo? member, bool viaThis) =>
        member is not null && (member.IsPublic || viaThis && Owner(member.QualifiedName) is { Length: > 0 } owner && owner == Owner(_loop.Function.Name));

    private static string Owner(string qualified)
    {
        var cut = qualified.LastIndexOf("::", StringComparison.Ordinal);
        return cut < 0 ? string.Empty : qualified[..cut];
    }

    /// <summary>A local or parameter no pointer or reference can reach: its value changes only where its name is written.</summary>
    private bool Unreachable(Syntax.DeclInfo d) =>
        d.Kind is Syntax.DeclKind.Variable or Syntax.DeclKind.Parameter && !d.IsGlobalStorage && !d.IsStatic &&
        !d.Type.IsReference && !_loop.Function.IsAddressTaken(d.Key);

    /// <summary>No store of the loop, through memory or through a reference variable, may reach an object of type <paramref name="t"/>.</summary>
    private bool StoresExclude(Syntax.TypeInfo t) =>
        t.IsScalarValue && t.IsIntegral && StoresExclude(stored => AliasAnalysis.TypesExcludeAliasing([t], [stored], _strictAliasing));

    private bool StoresExclude(Func<Syntax.TypeInfo, bool> excluded)
    {
        foreach (var a in _body.Accesses)
        {
            if (a.UnknownExtent) return false;
            if (a.IsWrite && !(_strictAliasing && excluded(AccessedType.Of(a, _effects)))) return false;
        }
        foreach (var e in _body.Events)
            if (e.Kind != ScalarEventKind.Read && e.Variable.Type.IsReference && !(_strictAliasing && excluded(e.Node.Type)))
                return false;
        return true;
    }

    /// <summary>
    /// A pointer loaded from a member path (`pressure.data` of `pressure(i, j)`) keeps its value through the loop: the
    /// object it is loaded from is neither reassigned nor written by name in the loop (no write to any member of the
    /// same root), nothing on the way is indexed by a value of the loop, and every store of the loop is of a non-character
    /// arithmetic type, which cannot change an object of pointer type (strict aliasing; a pointer-typed store is not trusted
    /// even when its type differs, since the member's own type may be a template's `T *`).
    /// </summary>
    public bool PointerUnchanged(MemoryBase b)
    {
        if (b.Kind != BaseKind.LoadedPointer || b.LoadText is null) return false;
        if (b.LoadSubscripts.Any(x => x is null || !x.IsConstant)) return false;
        if (!Nameable(b.LoadMember, b.LoadText.StartsWith("this->", StringComparison.Ordinal))) return false;
        if (b.LoadVia is not { } via || via.Any(m => !Nameable(m, b.LoadText.StartsWith("this->", StringComparison.Ordinal)))) return false;
        var rootKey = b.Root?.Key ?? (b.LoadText.StartsWith("this->", StringComparison.Ordinal) ? "this" : null);
        if (rootKey is null || _variant.Contains(rootKey) || _body.Written.Contains(rootKey)) return false;
        if (_body.Accesses.Any(a => a.IsWrite && a.Base.Kind != BaseKind.LoadedPointer && (a.Base.Root?.Key ?? a.Base.Key) == rootKey)) return false;
        return StoresExclude(ArithmeticKey);
    }

    /// <summary>A non-character arithmetic scalar (`double`, `int`, `size_t`), not a pointer, record, `char` or unknown.</summary>
    private static bool ArithmeticKey(Syntax.TypeInfo t) =>
        t.IsScalarValue && !t.IsAtomic && (t.IsIntegral || t.IsFloatingPoint) &&
        !t.CanonicalSpelling.Contains("char", StringComparison.Ordinal) && !t.CanonicalSpelling.Contains("std::byte", StringComparison.Ordinal);
}
