namespace ParaSlm.Analyzer.Dependence;

/// <summary>Σ coefficient·variable + constant ≥ 0, or = 0 when <paramref name="IsEquality"/>; variables by name.</summary>
public sealed record LinearConstraint(IReadOnlyDictionary<string, long> Coefficients, long Constant, bool IsEquality = false);

/// <summary>
/// Integer infeasibility of a system of linear constraints by Fourier–Motzkin elimination with integer tightening:
/// equalities with a ±1 coefficient are substituted away exactly, every inequality is divided by the gcd of its
/// coefficients with the constant rounded down (Σ a·x ≥ −c over integers ⇒ Σ (a/g)·x ≥ ⌈−c/g⌉), and a variable bounded
/// on one side only is dropped with its constraints (it can always be chosen to satisfy them). "Infeasible" is a proof;
/// "may be feasible" also covers every case it gives up on (too many constraints, overflow), so a caller that treats
/// it as "may depend" stays sound.
/// </summary>
public static class FourierMotzkin
{
    /// <summary>Past this many inequalities the elimination stops and answers "may be feasible".</summary>
    public const int MaximumConstraints = 400;

    /// <summary>False only when no integer point satisfies every constraint.</summary>
    public static bool MayBeFeasible(IEnumerable<LinearConstraint> constraints)
    {
        var list = constraints.ToList();
        var names = list.SelectMany(c => c.Coefficients.Where(t => t.Value != 0).Select(t => t.Key)).Distinct(StringComparer.Ordinal).ToList();
        var index = names.Select((n, k) => (n, k)).ToDictionary(p => p.n, p => p.k, StringComparer.Ordinal);
        var rows = new List<Row>();
        var equalities = new List<Row>();
        foreach (var c in list)
        {
            var a = new long[names.Count];
            foreach (var (n, v) in c.Coefficients) if (v != 0) a[index[n]] = v;
            (c.IsEquality ? equalities : rows).Add(new Row(a, c.Constant));
        }
        try
        {
            return Solve(rows, equalities, names.Count);
        }
        catch (OverflowException)
        {
            return true;
        }
    }

    /// <summary>Σ A[k]·x[k] + C ≥ 0 (or = 0).</summary>
    private sealed record Row(long[] A, long C)
    {
        public bool IsConstant => A.All(v => v == 0);
    }

    private static bool Solve(List<Row> inequalities, List<Row> equalities, int count)
    {
        // Equalities first: each one with a ±1 coefficient removes its variable exactly; the others become two inequalities.
        while (equalities.Count > 0)
        {
            var e = equalities[^1];
            equalities.RemoveAt(equalities.Count - 1);
            var g = GcdOf(e.A);
            if (g == 0)
            {
                if (e.C != 0) return false;
                continue;
            }
            if (e.C % g != 0) return false; // Σ a·x is a multiple of g, −C is not
            e = new Row(e.A.Select(v => v / g).ToArray(), e.C / g);
            var unit = Array.FindIndex(e.A, v => Math.Abs(v) == 1);
            if (unit < 0)
            {
                inequalities.Add(e);
                inequalities.Add(new Row(e.A.Select(v => checked(-v)).ToArray(), checked(-e.C)));
                continue;
            }
            // x = −s·(rest), s = A[unit] = ±1: substitute into every other row.
            var s = e.A[unit];
            Row Substitute(Row r)
            {
                var k = r.A[unit];
                if (k == 0) return r;
                var f = checked(-k * s);
                var a = new long[count];
                for (var v = 0; v < count; v++) a[v] = v == unit ? 0 : checked(r.A[v] + f * e.A[v]);
                return new Row(a, checked(r.C + f * e.C));
            }
            for (var q = 0; q < equalities.Count; q++) equalities[q] = Substitute(equalities[q]);
            for (var q = 0; q < inequalities.Count; q++) inequalities[q] = Substitute(inequalities[q]);
        }

        var rows = Normalize(inequalities);
        if (rows is null) return false;
        while (rows.Count > 0)
        {
            // The variable whose elimination makes the fewest new rows; a one-sided one makes none.
            var best = -1;
            var bestCost = long.MaxValue;
            for (var v = 0; v < count; v++)
            {
                long pos = 0, neg = 0;
                foreach (var r in rows)
                {
                    if (r.A[v] > 0) pos++;
                    else if (r.A[v] < 0) neg++;
                }
                if (pos + neg == 0) continue;
                var cost = pos * neg - pos - neg;
                if (cost < bestCost) (best, bestCost) = (v, cost);
            }
            if (best < 0) return true;
            var lower = rows.Where(r => r.A[best] > 0).ToList();
            var upper = rows.Where(r => r.A[best] < 0).ToList();
            var next = rows.Where(r => r.A[best] == 0).ToList();
            foreach (var p in lower)
            {
                foreach (var n in upper)
                {
                    // p: a·x + P ≥ 0 (a > 0), n: −b·x + N ≥ 0 (b > 0)  ⇒  b·P + a·N ≥ 0.
                    var (a, b) = (p.A[best], -n.A[best]);
                    var c = new long[count];
                    for (var v = 0; v < count; v++) c[v] = checked(b * p.A[v] + a * n.A[v]);
                    next.Add(new Row(c, checked(b * p.C + a * n.C)));
                }
            }
            if (next.Count > MaximumConstraints) return true;
            rows = Normalize(next);
            if (rows is null) return false;
        }
        return true;
    }

    /// <summary>Tightened, deduplicated rows (the strongest constant per coefficient vector); null when one is false.</summary>
    private static List<Row>? Normalize(List<Row> rows)
    {
        var strongest = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (r.IsConstant)
            {
                if (r.C < 0) return null;
                continue;
            }
            var g = GcdOf(r.A);
            var t = new Row(r.A.Select(v => v / g).ToArray(), FloorDiv(r.C, g));
            var key = string.Join(",", t.A);
            if (!strongest.TryGetValue(key, out var old) || t.C < old.C) strongest[key] = t;
        }
        // x ≥ L and x ≤ U with U < L: the opposite rows sum to a negative constant.
        foreach (var (key, r) in strongest)
        {
            var opposite = string.Join(",", r.A.Select(v => -v));
            if (strongest.TryGetValue(opposite, out var o) && checked(r.C + o.C) < 0) return null;
        }
        return strongest.Values.ToList();
    }

    private static long FloorDiv(long x, long g) => x >= 0 ? x / g : -((-x + g - 1) / g);

    private static long GcdOf(long[] a)
    {
        long g = 0;
        foreach (var v in a)
        {
            var x = Math.Abs(v);
            while (x != 0) (g, x) = (x, g % x);
        }
        return g;
    }
}
