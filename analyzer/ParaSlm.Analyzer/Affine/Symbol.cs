namespace ParaSlm.Analyzer.Affine;

/// <summary>A variable (or invariant expression such as `v.size()`) inside a linear expression.</summary>
/// <param name="Key">Identity: the declaration key, or a derived key for paths and calls.</param>
/// <param name="Text">How to write it back as C source.</param>
public sealed record Symbol(string Key, string Text)
{
    /// <summary>The variables this symbol's value depends on (itself, for a plain variable).</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [Key];

    /// <summary>For an opaque `X / c` (c &gt; 0): X and c, so bounds can use c·(X/c) ≤ X when X ≥ 0.</summary>
    public (LinearExpr Dividend, long Divisor)? Quotient { get; init; }

    /// <summary>The value is never negative: a variable of an unsigned integer type. A bound that needs the symbol's
    /// sign uses it as proven (no `x >= 0` in a run-time check, which gcc's -Wextra flags as always true).</summary>
    public bool NonNegative { get; init; }

    /// <summary>The C type of the value, where the converter saw it (a variable's or a member's declared type).</summary>
    public Syntax.TypeInfo? Type { get; init; }

    /// <summary>The declaration of a plain variable symbol (not a member path, a call or a sub-expression).</summary>
    public Syntax.DeclInfo? Decl { get; init; }

    /// <summary>For a member path (`pressure.sizeY`, `p->n`, `this->n`): the member's declaration, whose access decides
    /// whether code at the loop's site may name it.</summary>
    public Syntax.DeclInfo? Member { get; init; }

    /// <summary>For a member path: the key of the variable it starts from (`field` of `field.density0.sizeY`), whose
    /// reassignment changes every member on the path.</summary>
    public string? RootKey { get; init; }

    /// <summary>For a member path longer than one member (`field.density0.sizeY`): the members on the way (`density0`), each
    /// of which code at the loop's site must be allowed to name as well. Null where a step's declaration is unknown.</summary>
    public IReadOnlyList<Syntax.DeclInfo>? Via { get; init; } = [];

    /// <summary>An invariant sub-expression (`n / 2`) standing for itself.</summary>
    public bool IsOpaque => Key.StartsWith("expr:", StringComparison.Ordinal);

    public bool Equals(Symbol? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);
}

/// <summary>A product of symbols (degree ≥ 1), kept sorted so equal products compare equal.</summary>
public sealed class Monomial : IEquatable<Monomial>
{
    private readonly string _key;

    public Monomial(IEnumerable<Symbol> factors)
    {
        Factors = factors.OrderBy(f => f.Key, StringComparer.Ordinal).ToArray();
        _key = string.Join("*", Factors.Select(f => f.Key));
    }

    public IReadOnlyList<Symbol> Factors { get; }

    public bool Contains(Symbol s) => Factors.Contains(s);

    public Monomial Times(Monomial other) => new(Factors.Concat(other.Factors));

    /// <summary>This monomial with one occurrence of <paramref name="s"/> removed; null when that leaves the empty product.</summary>
    public Monomial? Without(Symbol s)
    {
        var list = Factors.ToList();
        list.Remove(s);
        return list.Count == 0 ? null : new Monomial(list);
    }

    public string Text => string.Join(" * ", Factors.Select(f => f.Text));

    public bool Equals(Monomial? other) => other is not null && _key == other._key;

    public override bool Equals(object? obj) => Equals(obj as Monomial);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_key);

    public override string ToString() => Text;
}
