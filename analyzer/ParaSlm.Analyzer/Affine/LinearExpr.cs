using System.Text;

namespace ParaSlm.Analyzer.Affine;

/// <summary>
/// Σ coefficient·monomial + constant, with integer coefficients. Subscripts, loop bounds and ranges are
/// all of this form; products of symbols (`i*n`) are kept as monomials so flattened indices stay exact.
/// </summary>
public sealed class LinearExpr : IEquatable<LinearExpr>
{
    public static readonly LinearExpr Zero = new(new Dictionary<Monomial, long>(), 0);
    public static readonly LinearExpr One = new(new Dictionary<Monomial, long>(), 1);

    private readonly Dictionary<Monomial, long> _terms;

    private LinearExpr(Dictionary<Monomial, long> terms, long constant)
    {
        _terms = terms;
        Constant = constant;
    }

    public long Constant { get; }
    public IReadOnlyDictionary<Monomial, long> Terms => _terms;
    public bool IsConstant => _terms.Count == 0;
    public bool IsZero => IsConstant && Constant == 0;

    public static LinearExpr Const(long c) => new(new Dictionary<Monomial, long>(), c);

    public static LinearExpr Of(Symbol s, long coefficient = 1) =>
        coefficient == 0 ? Zero : new(new Dictionary<Monomial, long> { [new Monomial([s])] = coefficient }, 0);

    public IEnumerable<Symbol> Symbols => _terms.Keys.SelectMany(m => m.Factors).Distinct();

    public bool Mentions(Symbol s) => _terms.Keys.Any(m => m.Contains(s));

    public bool MentionsAny(IEnumerable<Symbol> symbols) => symbols.Any(Mentions);

    public LinearExpr Add(LinearExpr other) => Combine(other, 1);

    public LinearExpr Subtract(LinearExpr other) => Combine(other, -1);

    public LinearExpr Negate() => Scale(-1);

    public LinearExpr Scale(long k)
    {
        if (k == 0) return Zero;
        var d = _terms.ToDictionary(t => t.Key, t => checked(t.Value * k));
        return new LinearExpr(d, checked(Constant * k));
    }

    /// <summary>The product, or null when it would exceed degree 3 (no longer useful to the tests).</summary>
    public LinearExpr? Multiply(LinearExpr other)
    {
        if (other.IsConstant) return Scale(other.Constant);
        if (IsConstant) return other.Scale(Constant);
        var result = new Dictionary<Monomial, long>();
        void Put(Monomial m, long c)
        {
            result[m] = checked(result.GetValueOrDefault(m) + c);
            if (result[m] == 0) result.Remove(m);
        }
        foreach (var (m1, c1) in _terms)
        {
            foreach (var (m2, c2) in other._terms)
            {
                var m = m1.Times(m2);
                if (m.Factors.Count > 3) return null;
                Put(m, checked(c1 * c2));
            }
            if (other.Constant != 0) Put(m1, checked(c1 * other.Constant));
        }
        if (Constant != 0)
            foreach (var (m2, c2) in other._terms) Put(m2, checked(Constant * c2));
        return new LinearExpr(result, checked(Constant * other.Constant));
    }

    /// <summary>Splits off every term that contains <paramref name="s"/>: this = s·coefficient + rest.</summary>
    public (LinearExpr Coefficient, LinearExpr Remainder) Split(Symbol s)
    {
        var coef = new Dictionary<Monomial, long>();
        long coefConst = 0;
        var rest = new Dictionary<Monomial, long>();
        foreach (var (m, c) in _terms)
        {
            if (!m.Contains(s)) { rest[m] = c; continue; }
            var w = m.Without(s);
            if (w is null) coefConst = checked(coefConst + c); else coef[w] = checked(coef.GetValueOrDefault(w) + c);
        }
        return (new LinearExpr(coef, coefConst), new LinearExpr(rest, Constant));
    }

    /// <summary>Replaces a symbol by an expression; null if the result is not representable.</summary>
    public LinearExpr? Substitute(Symbol s, LinearExpr value)
    {
        if (!Mentions(s)) return this;
        var (coef, rest) = Split(s);
        if (coef.Mentions(s)) return null; // s² terms
        var product = coef.Multiply(value);
        return product is null ? null : rest.Add(product);
    }

    private LinearExpr Combine(LinearExpr other, long sign)
    {
        var d = new Dictionary<Monomial, long>(_terms);
        foreach (var (m, c) in other._terms)
        {
            var v = checked(d.GetValueOrDefault(m) + sign * c);
            if (v == 0) d.Remove(m); else d[m] = v;
        }
        return new LinearExpr(d, checked(Constant + sign * other.Constant));
    }

    public bool Equals(LinearExpr? other) =>
        other is not null && Constant == other.Constant && _terms.Count == other._terms.Count &&
        _terms.All(t => other._terms.TryGetValue(t.Key, out var c) && c == t.Value);

    public override bool Equals(object? obj) => Equals(obj as LinearExpr);

    public override int GetHashCode() => HashCode.Combine(Constant, _terms.Count);

    /// <summary>C source text, e.g. `i * n + j - 1`.</summary>
    public override string ToString() => Render(wide: false);

    /// <summary>C source text for a run-time test written before a loop (a trip-count guard, a subscript, row-length or
    /// remainder condition, an overlap check's offsets): the one renderer of every check text, evaluated in signed `long long`
    /// wherever the symbols' own types could wrap or overflow. The rule: every value whose type is not known to be a signed
    /// integer — `unsigned`, `size_t`, an enum, a container's size, a sub-expression of unknown type — is cast on its own before
    /// any arithmetic (`(long long)n - 1`), so an unsigned `n - 1` at n = 0 is -1, not UINT_MAX or SIZE_MAX: in the symbols' own
    /// types a condition like `n - k &lt;= -1` (the constant converted to unsigned) would hold for every n and k, and a negative
    /// lower bound `m - n &gt;= 0` would pass at m &lt; n. Products and scaled terms are long long (`(long long)x * y`, `2LL * n`),
    /// so the expanded form of the user's factored `(ymax - ymin + 1) * (xmax - xmin + 1)` does not overflow `int` where the
    /// user's did not. Two or more values are combined in long long too: where neither of the first two terms is long long
    /// already, the first is cast (`(long long)m - n`), and C's left-to-right evaluation keeps every later step in long long,
    /// so a difference of two `int` row bounds that the user's code never forms cannot overflow; a negated signed value is
    /// cast (`-(long long)k`: `-INT_MIN` overflows). Only one signed value plus a constant keeps its text (`k - 1`,
    /// `n &lt;= 4000`): a value the user's own loop bounds or subscripts compute in that type.</summary>
    public string ToWideString() => Render(wide: true);

    /// <summary>The value is a signed integer of at most `long long`'s rank, or a type that promotes to `int` (char, short,
    /// bool): arithmetic on it in C is signed and cannot wrap. Anything else (unsigned int/long, size_t, enum, unknown) is not.</summary>
    private static bool SignedInC(Symbol s)
    {
        if (s.Type is not { IsIntegral: true, IsScalarValue: true } t) return false;
        var c = t.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal).Replace("volatile ", string.Empty, StringComparison.Ordinal).Trim();
        if (c.Contains("enum", StringComparison.Ordinal) || c.Contains("__int128", StringComparison.Ordinal)) return false;
        if (!t.IsUnsignedIntegral) return true;
        return c is "bool" or "_Bool" or "unsigned char" or "unsigned short";
    }

    private static string Widened(Symbol s)
    {
        // An opaque sub-expression's text is already parenthesized as a whole (`(n / 2)`).
        var simple = System.Text.RegularExpressions.Regex.IsMatch(s.Text, @"^[A-Za-z_]\w*((\.|->)[A-Za-z_]\w*)*$") || s.IsOpaque && s.Text.StartsWith('(');
        return "(long long)" + (simple ? s.Text : "(" + s.Text + ")");
    }

    private string Render(bool wide)
    {
        var sb = new StringBuilder();
        var terms = _terms.OrderByDescending(t => t.Key.Factors.Count).ThenBy(t => t.Key.Text, StringComparer.Ordinal).ToList();
        // Whether each term's own value is long long (cast or scaled): where neither of the first two is, the first is cast.
        var castFirst = wide && terms.Count >= 2 && !terms.Take(2).Any(t => WideTerm(t.Key, t.Value));
        for (var k = 0; k < terms.Count; k++)
        {
            var (m, c) = terms[k];
            var abs = Math.Abs(c);
            if (sb.Length == 0) sb.Append(c < 0 ? "-" : string.Empty);
            else sb.Append(c < 0 ? " - " : " + ");
            if (abs != 1) sb.Append(abs).Append(wide ? "LL * " : " * ");
            if (!wide)
            {
                sb.Append(m.Text);
                continue;
            }
            // Every value that could wrap is widened on its own; a product's first factor is, so the product is long long; so is
            // the first term of a sum of signed values, and a negated first term.
            var castHere = abs == 1 && (m.Factors.Count > 1 || k == 0 && (castFirst || c < 0));
            var factors = m.Factors.Select((f, i) => !SignedInC(f) ? Widened(f) : i == 0 && castHere ? Widened(f) : f.Text);
            sb.Append(string.Join(" * ", factors));
        }
        if (Constant != 0 || sb.Length == 0)
        {
            if (sb.Length == 0) sb.Append(Constant);
            else sb.Append(Constant < 0 ? " - " : " + ").Append(Math.Abs(Constant));
        }
        return sb.ToString();
    }

    /// <summary>The term's value is long long as <see cref="ToWideString"/> writes it without a cast of its own: scaled (`2LL * n`),
    /// or a factor not known to be signed, which is cast.</summary>
    private static bool WideTerm(Monomial m, long c) => Math.Abs(c) != 1 || m.Factors.Any(f => !SignedInC(f));
}
