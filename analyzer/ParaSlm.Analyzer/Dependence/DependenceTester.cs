using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Loops;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>How two accesses relate across the iterations of the loop under analysis.</summary>
public enum DependenceKind
{
    /// <summary>They never touch the same element.</summary>
    Independent,

    /// <summary>They may touch the same element, but only within one iteration (direction `=`).</summary>
    LoopIndependent,

    /// <summary>Different iterations may touch the same element (direction `&lt;` or `&gt;` or unknown).</summary>
    Carried,
}

/// <summary>The verdict on one pair of accesses and the test that decided it.</summary>
/// <param name="Distance">For carried dependences with a constant distance: sink iteration − source iteration, in loop-variable units.</param>
public sealed record PairResult(DependenceKind Kind, long? Distance, string Test)
{
    /// <summary>`&lt;`, `=`, `&gt;` or `*` for the analyzed loop's level.</summary>
    public string Direction => Kind switch
    {
        DependenceKind.LoopIndependent => "=",
        DependenceKind.Carried when Distance is > 0 => "<",
        DependenceKind.Carried when Distance is < 0 => ">",
        DependenceKind.Carried => "*",
        _ => " ",
    };
}

/// <summary>
/// Dependence tests for one loop level: the loop's own counter differs between the two instances
/// (i ≠ i'), counters of loops outside it are equal, counters of loops inside it are free.
/// Implements ZIV, strong/weak SIV, the GCD test, Banerjee bounds over symbolic ranges, a stride test
/// that proves i = i', and delinearization of flattened subscripts (`a[i*n + j]`).
/// </summary>
public sealed partial class DependenceTester
{
    private enum Dim { Independent, ForcesEqual, Maybe }

    private readonly LoopInfo _loop;
    private readonly LoopHeader _header;
    private readonly HashSet<string> _variant;
    private readonly HashSet<string> _counters;
    private readonly List<LoopHeader> _enclosing;

    private readonly Func<Symbol, bool>? _unchangedByStores;

    /// <param name="variantKeys">Variables whose value changes inside the loop (assigned or declared in it).</param>
    /// <param name="unchangedByStores">Which invariant symbols no store of the loop can change (<see cref="StoreProofValues"/>):
    /// only those may appear in a run-time row-length check. Null: no such check is written (flattened subscripts are then
    /// split only where the remainder's range is proven statically).</param>
    public DependenceTester(LoopInfo loop, LoopHeader header, IEnumerable<string> variantKeys, Func<Symbol, bool>? unchangedByStores = null)
    {
        _unchangedByStores = unchangedByStores;
        _loop = loop;
        _header = header;
        _variant = new HashSet<string>(variantKeys, StringComparer.Ordinal);
        _variant.Remove(header.Symbol.Key);
        _counters = new HashSet<string>(StringComparer.Ordinal) { header.Symbol.Key };
        foreach (var inner in loop.Children.SelectMany(Descendants))
            if (inner.Header is { } h) _counters.Add(h.Symbol.Key);
        _enclosing = RangeBounds.EnclosingHeaders(loop).ToList();
    }

    /// <summary>A symbol whose value differs between iterations (other than the counters themselves).</summary>
    private bool IsVariant(Symbol s)
    {
        if (_counters.Contains(s.Key) || s.Key.EndsWith('\'')) return false;
        if (s.Key.StartsWith("lb:", StringComparison.Ordinal) || s.Key.StartsWith("ub:", StringComparison.Ordinal)) return true;
        return s.Dependencies.Any(d => _variant.Contains(d) || _counters.Contains(d));
    }

    private Dictionary<string, long> NonNegative(IEnumerable<LoopHeader> inner) =>
        RangeBounds.LowerBounds(_enclosing.Concat(inner));

    public PairResult Test(MemoryAccess a, MemoryAccess b)
    {
        if (a.UnknownExtent || b.UnknownExtent) return new(DependenceKind.Carried, null, "unknown extent");
        var ivA = Counters(a);
        var ivB = Counters(b);
        // One invariant address plus the last subscripts: exact whatever dimension those overflow.
        if (a.Path.Count > 1 && SameInvariantPrefix(a, b, ivA, ivB))
            return Decide([(((IndexStep)a.Path[^1]).Subscript, ((IndexStep)b.Path[^1]).Subscript)], ivA, ivB, string.Empty);
        if (!IndicesInside(a, ivA) || !IndicesInside(b, ivB))
        {
            // Some index may leave its dimension: test the true element offsets instead, or give up.
            if (a.Linearized() is { } la && b.Linearized() is { } lb && SameExtents(a, b))
                return Decide([(la, lb)], ivA, ivB, "linearized: ");
            return NotInside(a, b);
        }
        var steps = Math.Min(a.Path.Count, b.Path.Count);
        var dims = new List<(LinearExpr? A, LinearExpr? B)>();
        for (var k = 0; k < steps; k++)
        {
            switch (a.Path[k], b.Path[k])
            {
                case (FieldStep fa, FieldStep fb):
                    if (fa.Field == fb.Field) break;
                    if (fa.InUnion || fb.InUnion) return new(DependenceKind.Carried, null, "members of a union overlap");
                    return new(DependenceKind.Independent, null, "distinct fields");
                case (IndexStep ia, IndexStep ib):
                    dims.Add((ia.Subscript, ib.Subscript));
                    break;
                default:
                    return new(DependenceKind.Carried, null, "different access shapes");
            }
        }
        if (a.Path.Count != b.Path.Count && dims.Count == 0) return new(DependenceKind.Carried, null, "different access shapes");
        return Decide(dims, ivA, ivB, string.Empty);
    }

    /// <summary>
    /// The verdict from what is proven statically; when that leaves a carried dependence, the verdict again with flattened
    /// subscripts also split where a run-time check bounds the remainder (<see cref="DelinearizationChecks"/>). Those checks
    /// become assumptions only when they decide the pair: a loop proven without them keeps no check it does not need.
    /// </summary>
    private PairResult Decide(List<(LinearExpr? A, LinearExpr? B)> dims, List<LoopHeader> ivA, List<LoopHeader> ivB, string how)
    {
        var exact = Decide(dims, ivA, ivB, how, null);
        if (exact.Kind != DependenceKind.Carried || _unchangedByStores is null) return exact;
        var pending = new List<string>();
        var checkedSplit = Decide(dims, ivA, ivB, how, pending);
        if (checkedSplit.Kind == DependenceKind.Carried) return exact;
        // No condition left: every span was proven below the row length from the bounds of the loops that run.
        if (pending.Count == 0) return checkedSplit;
        foreach (var c in pending)
        {
            AddAssumption(c);
            _delinearization.Add(c);
        }
        return checkedSplit with { Test = checkedSplit.Test + " (rows split under a run-time check)" };
    }

    private PairResult Decide(List<(LinearExpr? A, LinearExpr? B)> dims, List<LoopHeader> ivA, List<LoopHeader> ivB, string how, List<string>? pending)
    {
        var anyEqual = false;
        long? distance = null;
        var test = "no test separates them";
        var tested = Delinearize(dims, ivA, ivB, pending).ToList();
        foreach (var (fa, fb) in tested)
        {
            var (r, d, t) = TestDim(fa, fb, ivA, ivB);
            switch (r)
            {
                case Dim.Independent:
                    return new(DependenceKind.Independent, null, how + t);
                case Dim.ForcesEqual:
                    anyEqual = true;
                    test = t;
                    break;
                case Dim.Maybe when d is { } dd:
                    if (distance is { } prev && prev != dd) return new(DependenceKind.Independent, null, "inconsistent distances");
                    distance = dd;
                    test = t;
                    break;
                case Dim.Maybe when distance is null && test == "no test separates them":
                    test = t; // the most informative undecided test
                    break;
            }
        }
        if (anyEqual) return new(DependenceKind.LoopIndependent, null, test);
        // The dimensions one at a time leave a dependence: all of them at once, with every loop bound, may still show
        // that the two accesses meet only within one iteration (`cov[i][j]`, `cov[j][i]` over j ≥ i) or never.
        var system = new IterationSpace(this, tested, ivA, ivB);
        if (!system.MayMeet(-1) && !system.MayMeet(1))
            return system.MayMeet(0)
                ? new(DependenceKind.LoopIndependent, null, how + IterationSpace.TestName)
                : new(DependenceKind.Independent, null, how + IterationSpace.TestName);
        return new(DependenceKind.Carried, distance, distance is null ? test : "strong SIV");
    }

    /// <summary>Conditions on loop-invariant values under which some subscript stays inside its dimension
    /// (`n <= 100` for `b[i][j]`, j &lt; n, of `double b[..][100]`): the loop may run in parallel only when they hold.</summary>
    public IReadOnlyCollection<string> Assumptions => _assumptions;

    private readonly SortedSet<string> _assumptions = new(StringComparer.Ordinal);

    /// <summary>
    /// The assumptions that split a flattened subscript `q·s + r` whose remainder's range is not proven below the row length
    /// `s` (`(long long)y_max - (long long)y_min - (long long)pressure.sizeY &lt;= -1`): each is also in
    /// <see cref="Assumptions"/> (with the bound it keeps there, which may be stronger); listed here for the report's wording.
    /// </summary>
    public IReadOnlyCollection<string> DelinearizationChecks =>
        _assumptions.Where(a => _delinearization.Any(d => SameExpression(a, d))).ToList();

    private readonly HashSet<string> _delinearization = new(StringComparer.Ordinal);

    private static bool SameExpression(string x, string y)
    {
        var (a, b) = (x.Split(' '), y.Split(' '));
        return a.Length > 2 && b.Length > 2 && a[^2] == b[^2] && a[..^2].SequenceEqual(b[..^2]);
    }

    private static PairResult NotInside(MemoryAccess a, MemoryAccess b)
    {
        var step = a.Path.Concat(b.Path).OfType<IndexStep>().Skip(1).FirstOrDefault(x => x.Extent != 0);
        var sub = step?.Subscript?.ToString() ?? "?";
        return new(DependenceKind.Carried, null, $"subscript `{sub}` is not proven inside its dimension, so it may reach a neighbouring row or field");
    }

    /// <summary>Every index into an array dimension inside the object (any step after the first) is proven in range;
    /// the conditions that proof needs are kept as assumptions.</summary>
    private bool IndicesInside(MemoryAccess x, List<LoopHeader> iv)
    {
        var conditions = new List<string>();
        for (var k = 1; k < x.Path.Count; k++)
            if (x.Path[k] is IndexStep { Extent: not 0 } step && !InsideExtent(step, iv, conditions)) return false;
        foreach (var c in conditions) AddAssumption(c);
        return true;
    }

    private static bool SameExtents(MemoryAccess a, MemoryAccess b) =>
        a.Path.Count == b.Path.Count &&
        a.Path.Skip(1).Zip(b.Path.Skip(1)).All(p => p is (IndexStep x, IndexStep y) && x.Extent == y.Extent);

    /// <summary>
    /// Same fields and the same loop-invariant subscripts up to a last index step: both accesses are offsets from
    /// one address, so only the last subscripts decide, whatever dimension they overflow (`r.d[i]`, `this->d[i]`).
    /// </summary>
    private bool SameInvariantPrefix(MemoryAccess a, MemoryAccess b, List<LoopHeader> ivA, List<LoopHeader> ivB)
    {
        if (a.Path.Count != b.Path.Count || a.Path.Count == 0 || a.Path[^1] is not IndexStep || b.Path[^1] is not IndexStep) return false;
        for (var k = 0; k < a.Path.Count - 1; k++)
        {
            switch (a.Path[k], b.Path[k])
            {
                case (FieldStep fa, FieldStep fb) when fa.Field == fb.Field:
                    break;
                case (IndexStep { Subscript: { } sa }, IndexStep { Subscript: { } sb }) when sa.Equals(sb) && !MentionsVariant(sa, ivA) && !MentionsVariant(sb, ivB) &&
                                                                                           !sa.MentionsAny(ivA.Select(h => h.Symbol)) && !sb.MentionsAny(ivB.Select(h => h.Symbol)):
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private readonly Dictionary<(string X, string Op), long> _bounds = new();

    /// <summary>Keeps the strongest bound per expression (`m <= 256` over `m <= 257`).</summary>
    private void AddAssumption(string condition)
    {
        var parts = condition.Split(' ');
        var (x, op, k) = (string.Join(' ', parts[..^2]), parts[^2], long.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));
        if (_bounds.TryGetValue((x, op), out var old)) k = op == "<=" ? Math.Min(old, k) : Math.Max(old, k);
        _bounds[(x, op)] = k;
        _assumptions.Clear();
        foreach (var ((ex, eo), ek) in _bounds) _assumptions.Add($"{ex} {eo} {ek}");
    }

    /// <summary>
    /// 0 ≤ subscript ≤ extent − 1 for every iteration that runs (ranges of the analyzed loop, the loops inside it
    /// and the loops around it). A bound that is symbolic but loop-invariant becomes an assumption (a runtime check).
    /// </summary>
    private bool InsideExtent(IndexStep step, List<LoopHeader> iv, List<string> conditions)
    {
        if (step.Extent <= 0 || step.Subscript is not { } sub) return false;
        var vars = iv.Select(h => Range(h, primed: false, iv)).Reverse()
            .Concat(_enclosing.Skip(1).Select(h => new VarRange(h.Symbol, h.Min, h.Max))).ToList();
        if (RangeBounds.Of(sub, vars, NonNegative(iv)) is not { } r) return false;
        return Holds(r.Lo, 0, lower: true, conditions) && Holds(r.Hi, step.Extent - 1, lower: false, conditions);
    }

    /// <summary>e ≥ k (lower) or e ≤ k: proven, or rendered as a condition on invariant symbols.</summary>
    private bool Holds(LinearExpr e, long k, bool lower, List<string> conditions)
    {
        var t = e.Subtract(LinearExpr.Const(k));
        if (t.IsConstant) return lower ? t.Constant >= 0 : t.Constant <= 0;
        if (t.Symbols.Any(s => _counters.Contains(s.Key) || IsVariant(s) || s.Key.EndsWith('\'') ||
                               s.Key.StartsWith("range:", StringComparison.Ordinal) || s.Key.StartsWith("lb:", StringComparison.Ordinal) ||
                               s.Key.StartsWith("ub:", StringComparison.Ordinal)))
            return false;
        var x = t.Subtract(LinearExpr.Const(t.Constant));
        // In the symbols' own types an unsigned `m - n` wraps: `m - n >= 0` would pass at m < n (LinearExpr.ToWideString).
        conditions.Add($"{x.ToWideString()} {(lower ? ">=" : "<=")} {-t.Constant}");
        return true;
    }

    /// <summary>The analyzed loop's counter followed by the counters of the loops inside it that enclose the access.</summary>
    private List<LoopHeader> Counters(MemoryAccess x)
    {
        var list = new List<LoopHeader> { _header };
        foreach (var inner in x.InnerLoops)
            if (inner.Header is { } h) list.Add(h);
        return list;
    }

    private static Symbol Prime(Symbol s) => new(s.Key + "'", s.Text + "'");

    private (Dim Result, long? Distance, string Test) TestDim(LinearExpr? fa, LinearExpr? fbRaw, List<LoopHeader> ivA, List<LoopHeader> ivB)
    {
        if (fa is null || fbRaw is null) return (Dim.Maybe, null, "non-affine subscript");
        if (MentionsVariant(fa, ivA) || MentionsVariant(fbRaw, ivB)) return (Dim.Maybe, null, "subscript uses a value that changes in the loop");
        var fb = PrimeAll(fbRaw, ivB);
        if (fb is null) return (Dim.Maybe, null, "non-linear subscript");
        var vars = Variables(ivA, ivB);
        if (vars is null) return (Dim.Maybe, null, "non-linear bounds");
        var nonNeg = NonNegative(ivA.Concat(ivB));
        var ivSymbols = vars.Select(v => v.Symbol).ToList();
        if (!Linear(fa, ivSymbols) || !Linear(fb, ivSymbols)) return (Dim.Maybe, null, "non-linear subscript");

        var delta = fa.Subtract(fb);
        var l = _header.Symbol;
        var lp = Prime(l);

        // ZIV: no loop counter on either side.
        if (!delta.MentionsAny(ivSymbols))
        {
            if (delta.IsConstant && delta.Constant != 0) return (Dim.Independent, null, "ZIV");
            return (Dim.Maybe, null, "ZIV");
        }

        // GCD test on the integer coefficients.
        if (Gcd(delta, ivSymbols) is { } g && delta.Split(ivSymbols).IsConstant)
        {
            var c = delta.Split(ivSymbols).Constant;
            if (g > 1 && c % g != 0) return (Dim.Independent, null, "GCD");
        }

        // Banerjee: bounds of fa - fb over the iteration space.
        if (RangeBounds.Of(delta, vars, nonNeg) is { } range)
        {
            if (range.Hi.IsConstant && range.Hi.Constant < 0) return (Dim.Independent, null, "Banerjee");
            if (range.Lo.IsConstant && range.Lo.Constant > 0) return (Dim.Independent, null, "Banerjee");
        }

        var (ca, ga) = fa.Split(l);
        var (cb, gb) = fb.Split(lp);
        if (!ca.Equals(cb) || ca.IsZero)
        {
            // Weak SIV: one side does not move with the loop, or they move at different rates.
            if (ca.IsConstant && cb.IsConstant && !ga.MentionsAny(ivSymbols) && !gb.MentionsAny(ivSymbols))
            {
                var diff = gb.Subtract(ga);
                if (diff.IsConstant)
                {
                    var gcd = Gcd2(Math.Abs(ca.Constant), Math.Abs(cb.Constant));
                    if (gcd > 0 && diff.Constant % gcd != 0) return (Dim.Independent, null, "weak SIV");
                }
            }
            return (Dim.Maybe, null, ca.IsZero || cb.IsZero ? "weak-zero SIV" : "weak SIV");
        }

        // Strong SIV: a·i + gA = a·i' + gB  ⇒  a·(i − i') = gB − gA.
        var d = gb.Subtract(ga);
        if (d.IsConstant && ca.IsConstant)
        {
            var a = ca.Constant;
            if (d.Constant % a != 0) return (Dim.Independent, null, "strong SIV");
            var dist = d.Constant / a; // i − i'
            if (dist == 0) return (Dim.ForcesEqual, null, "strong SIV");
            if (_header.StepKnown && dist % _header.Step != 0) return (Dim.Independent, null, "strong SIV (step)");
            if (_header.TripCount is { } trips && Math.Abs(dist) > (trips - 1) * Math.Abs(_header.Step)) return (Dim.Independent, null, "strong SIV (trip count)");
            // Report the distance in iterations (a step of 3 and 9 elements apart is 3 iterations).
            return (Dim.Maybe, _header.StepKnown ? -dist / _header.Step : -dist, "strong SIV");
        }

        // Stride test: if |gB − gA| < |a| everywhere, a·(i − i') = gB − gA forces i = i'.
        var inner = vars.Where(v => v.Symbol != l && v.Symbol != lp).ToList();
        if (RangeBounds.Of(d, inner.Concat(vars.Where(v => v.Symbol == l || v.Symbol == lp)).ToList(), nonNeg) is { } dr)
        {
            var upper = ca.Subtract(dr.Hi);   // a − hi ≥ 1
            var lower = dr.Lo.Add(ca);        // lo + a ≥ 1
            if (upper.IsConstant && upper.Constant >= 1 && lower.IsConstant && lower.Constant >= 1)
                return (Dim.ForcesEqual, null, "stride");
            var nupper = ca.Negate().Subtract(dr.Hi); // a negative: −a − hi ≥ 1
            var nlower = dr.Lo.Subtract(ca);
            if (nupper.IsConstant && nupper.Constant >= 1 && nlower.IsConstant && nlower.Constant >= 1)
                return (Dim.ForcesEqual, null, "stride");
            // Group stride: i − i' is a non-zero multiple of the step S, so |a·(i − i')| ≥ |a|·S; when every
            // gB − gA lies strictly between −|a|·S and |a|·S, only i = i' solves it (`i += len`, `k < len / 2`).
            var group = new GroupStride(_loop, _header, nonNeg);
            if (group.Stride(ca) is { } stride && (!_header.StepKnown || Math.Abs(_header.Step) > 1) &&
                group.ProvesNonNegative(stride.Subtract(dr.Hi).Subtract(LinearExpr.One)) &&
                group.ProvesNonNegative(dr.Lo.Add(stride).Subtract(LinearExpr.One)))
                return (Dim.ForcesEqual, null, "group stride");
        }
        return (Dim.Maybe, null, "strong SIV (symbolic)");
    }

    /// <summary>
    /// Splits `q·s + r` into the dimensions (q, r) when 0 ≤ r ≤ s − 1 holds for both accesses, or, with
    /// <paramref name="pending"/>, when a run-time check written there bounds the remainders (<see cref="RemaindersBelowIfChecked"/>).
    /// </summary>
    private IEnumerable<(LinearExpr? A, LinearExpr? B)> Delinearize(List<(LinearExpr? A, LinearExpr? B)> dims, List<LoopHeader> ivA, List<LoopHeader> ivB, List<string>? pending)
    {
        foreach (var (a, b) in dims)
        {
            if (a is null || b is null) { yield return (a, b); continue; }
            var split = TrySplit(a, b, ivA, ivB, 0, pending);
            if (split is null) { yield return (a, b); continue; }
            foreach (var s in split) yield return s;
        }
    }

    private List<(LinearExpr? A, LinearExpr? B)>? TrySplit(LinearExpr a, LinearExpr b, List<LoopHeader> ivA, List<LoopHeader> ivB, int depth, List<string>? pending)
    {
        if (depth > 3) return null;
        var ivKeys = ivA.Concat(ivB).Select(h => h.Symbol.Key).ToHashSet(StringComparer.Ordinal);
        var candidates = a.Terms.Keys.Concat(b.Terms.Keys)
            .Where(m => m.Factors.Count >= 2)
            .SelectMany(m => m.Factors)
            .Where(f => !ivKeys.Contains(f.Key) && !IsVariant(f))
            .Distinct()
            .ToList();
        // Proven splits first; a split under a run-time check only where none is proven.
        foreach (var withCheck in pending is null ? [false] : new[] { false, true })
        {
            foreach (var s in candidates)
            {
                var (qa, ra) = a.Split(s);
                var (qb, rb) = b.Split(s);
                if (qa.IsZero && qb.IsZero) continue;
                if (qa.Mentions(s) || qb.Mentions(s) || ra.Mentions(s) || rb.Mentions(s)) continue;
                var conditions = new List<string>();
                if (withCheck ? !RemaindersBelowIfChecked(ra, rb, s, ivA, ivB, conditions) : !FitsBelow(ra, s, ivA) || !FitsBelow(rb, s, ivB)) continue;
                pending?.AddRange(conditions);
                var result = new List<(LinearExpr? A, LinearExpr? B)>();
                result.AddRange(TrySplit(qa, qb, ivA, ivB, depth + 1, pending) ?? [(qa, qb)]);
                result.Add((ra, rb));
                return result;
            }
        }
        return null;
    }

    /// <summary>
    /// The condition, on values the loop never changes, under which the pair (qa·s + ra, qb·s + rb) meets only where
    /// qa = qb and ra = rb; false when it cannot be written.
    /// <para>Theorem: let every ra the loop forms lie in [loA, hiA] and every rb in [loB, hiB] (bounds over each access's own
    /// iteration space, as <see cref="FitsBelow"/> computes them), and let hiA − loB ≤ s − 1 and hiB − loA ≤ s − 1. If
    /// qa·s + ra = qb·s + rb for two instances that run, then (qa − qb)·s = rb − ra with |rb − ra| ≤ s − 1; so s ≥ 1 (else
    /// |rb − ra| ≤ −1 is impossible and no such instances exist), and |qa − qb|·s ≤ s − 1 &lt; s forces qa = qb, hence
    /// ra = rb. The converse is immediate: the split is exact. Unlike 0 ≤ r ≤ s − 1 it needs no sign of r, only that the
    /// remainders of the two accesses span less than a row (a stencil `j + 1` over `j` from 0 to `sizeY − 1` would fail
    /// 0 ≤ r ≤ s − 1 yet its rows never meet a neighbour's), and for one access (ra = rb over the same space) it is
    /// hi − lo ≤ s − 1.</para>
    /// <para>The check is evaluated once before the loop. It is sound for every iteration because each symbol it names is
    /// loop-invariant (not a counter, not assigned in the loop, and no store of the loop may reach it: <see cref="StoreProofValues"/>;
    /// s itself included), the bounds are those of loops that must run for an access to happen, and it is computed in
    /// `long long` (<see cref="LinearExpr.ToWideString"/>: a `size_t` row length of 0 is 0, not a huge unsigned `0 - 1`), over
    /// first-degree terms only, so it cannot overflow for `int` or realistic `size_t` values. A remainder or bound that
    /// reads memory (`b[j]`, a call) is not affine and never reaches here; an opaque sub-expression is not trusted.</para>
    /// </summary>
    private bool RemaindersBelowIfChecked(LinearExpr ra, LinearExpr rb, Symbol s, List<LoopHeader> ivA, List<LoopHeader> ivB, List<string> conditions)
    {
        if (_unchangedByStores is not { } unchanged || !unchanged(s) || IsVariant(s)) return false;
        if (RemainderRange(ra, ivA) is not var (loA, hiA) || RemainderRange(rb, ivB) is not var (loB, hiB)) return false;
        var row = LinearExpr.Of(s).Subtract(LinearExpr.One);
        foreach (var span in new[] { hiA.Subtract(loB), hiB.Subtract(loA) })
        {
            // span ≤ s − 1, written as (span − s) − c ≤ c' with every symbol on the left.
            var t = span.Subtract(row);
            if (t.IsConstant)
            {
                if (t.Constant <= 0) continue;
                return false;
            }
            // t ≤ 0 proven from the lower bounds of symbols that hold whenever the loops run (`j < E` running: E ≥ 1).
            if (RangeBounds.SignOf(t.Subtract(LinearExpr.One), NonNegative(ivA.Concat(ivB))) < 0) continue;
            if (t.Terms.Keys.Any(m => m.Factors.Count != 1) || t.Symbols.Any(x => !Checkable(x, unchanged))) return false;
            var x = t.Subtract(LinearExpr.Const(t.Constant));
            conditions.Add($"{x.ToWideString()} <= {-t.Constant}");
        }
        return true;
    }

    /// <summary>A symbol a check before the loop may read: not a counter or a value of one iteration, never changed by the loop.</summary>
    private bool Checkable(Symbol x, Func<Symbol, bool> unchanged) =>
        !_counters.Contains(x.Key) && !IsVariant(x) && !x.Key.EndsWith('\'') && unchanged(x);

    /// <summary>Bounds of a remainder over the access's own iteration space (null when one is unknown).</summary>
    private (LinearExpr Lo, LinearExpr Hi)? RemainderRange(LinearExpr r, List<LoopHeader> iv)
    {
        var vars = iv.Select(h => Range(h, primed: false, iv)).Reverse()
            .Concat(_enclosing.Skip(1).Select(h => new VarRange(h.Symbol, h.Min, h.Max))).ToList();
        return RangeBounds.Of(r, vars, NonNegative(iv));
    }

    /// <summary>0 ≤ r ≤ s − 1 over the access's own iteration space.</summary>
    private bool FitsBelow(LinearExpr r, Symbol s, List<LoopHeader> iv)
    {
        // Counters of the enclosing loops are equal in both instances, but their ranges still bound r.
        var vars = iv.Select(h => Range(h, primed: false, iv)).Reverse()
            .Concat(_enclosing.Skip(1).Select(h => new VarRange(h.Symbol, h.Min, h.Max))).ToList();
        var b = RangeBounds.Of(r, vars, NonNegative(iv));
        if (b is null) return false;
        var top = LinearExpr.Of(s).Subtract(LinearExpr.One).Subtract(b.Value.Hi);
        return b.Value.Lo.IsConstant && b.Value.Lo.Constant >= 0 && top.IsConstant && top.Constant >= 0;
    }

    /// <summary>Every counter of both instances, innermost first (so bounds that mention outer counters resolve).</summary>
    private List<VarRange>? Variables(List<LoopHeader> ivA, List<LoopHeader> ivB)
    {
        var list = new List<VarRange>();
        foreach (var h in ivA.Skip(1).Reverse()) list.Add(Range(h, false, ivA)!);
        foreach (var h in ivB.Skip(1).Reverse()) list.Add(Range(h, true, ivB)!);
        list.Add(Range(_header, false, ivA)!);
        list.Add(Range(_header, true, ivB)!);
        return list;
    }

    /// <param name="iv">The counters eliminated with it, outermost first (the analyzed loop's, then the inner loops' around
    /// the access): a min/max bound that reads one of those has its exact hull over them (<see cref="NestHull"/>).</param>
    private VarRange Range(LoopHeader h, bool primed, List<LoopHeader> iv)
    {
        var sym = primed ? Prime(h.Symbol) : h.Symbol;
        var outer = iv.TakeWhile(x => !ReferenceEquals(x, h)).ToList();
        var (hullMin, hullMax) = outer.Count == iv.Count ? (h.Min, h.Max) : NestHull.Of(h, outer, NonNegative(iv));
        LinearExpr? min = Plainer(hullMin, h.LowerTerms), max = Plainer(hullMax, h.UpperTerms);
        // Bounds that change inside the analyzed loop, or opaque inner bounds, say nothing usable.
        if (!ReferenceEquals(h, _header) && (Unusable(min) || Unusable(max))) return new VarRange(sym, null, null);
        if (primed)
        {
            min = PrimeOuter(min);
            max = PrimeOuter(max);
        }
        return new VarRange(sym, min, max);
    }

    /// <summary>
    /// For a proof, where a min/max bound is still the opaque term as written (`MIN(n, it + tile) - 1` inside the tile
    /// loop `it`): one of its terms that reads no counter (`n - 1`). Each term alone bounds the counter in every iteration,
    /// so the range only widens, which admits more solutions: a proof made with it holds for the real range. Never used
    /// for an extent (an array section must not grow: <see cref="NestHull"/>).
    /// </summary>
    private LinearExpr Plainer(LinearExpr bound, IReadOnlyList<LinearExpr> terms)
    {
        if (terms.Count == 0 || !bound.Symbols.Any(s => s.IsOpaque)) return bound;
        var counters = _enclosing.Select(e => e.Symbol.Key).ToHashSet(StringComparer.Ordinal);
        // A constant term first (`MIN(m, 256)` into rows of 256 is then proven, with no `m <= 256` to check).
        return terms.OrderBy(t => t.IsConstant ? 0 : 1)
            .FirstOrDefault(t => !t.Symbols.Any(s => s.IsOpaque || _counters.Contains(s.Key) || counters.Contains(s.Key))) ?? bound;
    }

    private bool Unusable(LinearExpr e) => e.Symbols.Any(s => !_counters.Contains(s.Key) && IsVariant(s));

    /// <summary>Inside the sink instance, bounds that mention the analyzed loop's counter refer to its primed copy.</summary>
    private LinearExpr? PrimeOuter(LinearExpr? e)
    {
        if (e is null) return null;
        var r = e.Substitute(_header.Symbol, LinearExpr.Of(Prime(_header.Symbol)));
        foreach (var inner in _loop.Children.SelectMany(Descendants))
            if (inner.Header is { } h && r is not null) r = r.Substitute(h.Symbol, LinearExpr.Of(Prime(h.Symbol)));
        return r;
    }

    private static IEnumerable<LoopInfo> Descendants(LoopInfo l) => new[] { l }.Concat(l.Children.SelectMany(Descendants));

    private static LinearExpr? PrimeAll(LinearExpr e, List<LoopHeader> iv)
    {
        LinearExpr? r = e;
        foreach (var h in iv)
        {
            r = r?.Substitute(h.Symbol, LinearExpr.Of(Prime(h.Symbol)));
            if (r is null) return null;
        }
        return r;
    }

    private bool MentionsVariant(LinearExpr e, List<LoopHeader> iv)
    {
        var ivKeys = iv.Select(h => h.Symbol.Key).ToHashSet(StringComparer.Ordinal);
        // An inner counter used outside its own loop holds whatever value that loop left: variant.
        return e.Symbols.Any(s => ivKeys.Contains(s.Key) ? false : _counters.Contains(s.Key) || IsVariant(s));
    }

    /// <summary>Each counter appears alone in its terms (no i·j, no i·i).</summary>
    private static bool Linear(LinearExpr e, List<Symbol> ivs) =>
        e.Terms.Keys.All(m => m.Factors.Count(ivs.Contains) <= 1);

    /// <summary>gcd of the constant coefficients of the counters; null if any coefficient is symbolic.</summary>
    private static long? Gcd(LinearExpr e, List<Symbol> ivs)
    {
        long g = 0;
        foreach (var s in ivs)
        {
            var (c, _) = e.Split(s);
            if (c.IsZero) continue;
            if (!c.IsConstant) return null;
            g = Gcd2(g, Math.Abs(c.Constant));
        }
        return g;
    }

    private static long Gcd2(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}

internal static class LinearExprSetExtensions
{
    /// <summary>The part of the expression that mentions none of the given symbols.</summary>
    public static LinearExpr Split(this LinearExpr e, IEnumerable<Symbol> symbols)
    {
        var r = e;
        foreach (var s in symbols) r = r.Split(s).Remainder;
        return r;
    }
}
