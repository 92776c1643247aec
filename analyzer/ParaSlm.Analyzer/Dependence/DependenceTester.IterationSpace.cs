using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Loops;

namespace ParaSlm.Analyzer.Dependence;

public sealed partial class DependenceTester
{
    /// <summary>
    /// Both instances of a pair as one integer system: every subscript equality at once, the bounds of every counter
    /// (the analyzed loop's, the inner loops' around each access, primed for the second instance; bounds may be affine in
    /// outer counters, so triangular nests keep their shape), the enclosing counters' ranges, and a constant step as
    /// `i = lb + S·t`. <see cref="MayMeet"/> adds the direction of the analyzed counter (i &lt; i', i &gt; i' or i = i') and asks
    /// <see cref="FourierMotzkin"/>. Whatever cannot be written exactly (a non-affine subscript, a product of counters, a
    /// value that changes in the loop, another loop's counter) is left out: fewer constraints only admit more solutions,
    /// so an infeasible system is a proof and an undecided one stays "may depend".
    /// </summary>
    private sealed class IterationSpace
    {
        public const string TestName = "Fourier–Motzkin (all subscripts and bounds)";

        private readonly DependenceTester _tester;
        private readonly List<LinearConstraint> _constraints = [];
        private readonly string _i;
        private readonly string _iPrimed;
        private int _steps;

        public IterationSpace(DependenceTester tester, List<(LinearExpr? A, LinearExpr? B)> dims, List<LoopHeader> ivA, List<LoopHeader> ivB)
        {
            _tester = tester;
            _i = tester._header.Symbol.Key;
            _iPrimed = Prime(tester._header.Symbol).Key;
            var countersA = ivA.Select(h => h.Symbol.Key).ToHashSet(StringComparer.Ordinal);
            var countersB = ivB.Select(h => Prime(h.Symbol).Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (fa, fb) in dims)
            {
                if (fa is null || fb is null || tester.MentionsVariant(fa, ivA) || tester.MentionsVariant(fb, ivB)) continue;
                if (PrimeAll(fb, ivB) is not { } primed) continue;
                Add(() => fa.Subtract(primed), countersA.Concat(countersB).ToHashSet(StringComparer.Ordinal), equality: true);
            }
            Bounds(ivA, primed: false);
            Bounds(ivB, primed: true);
            // Enclosing counters are the same in both instances: parameters, within their own loops' ranges.
            foreach (var h in tester._enclosing.Skip(1))
            {
                Range(LinearExpr.Of(h.Symbol), h.Min, h.Max, null, new HashSet<string>(StringComparer.Ordinal));
                Terms(LinearExpr.Of(h.Symbol), h, false, new HashSet<string>(StringComparer.Ordinal));
            }
        }

        /// <summary>Whether the accesses may touch one element with the analyzed counter ordered as asked (−1: i &lt; i').</summary>
        public bool MayMeet(int order)
        {
            var direction = order switch
            {
                < 0 => new LinearConstraint(new Dictionary<string, long> { [_iPrimed] = 1, [_i] = -1 }, -1),
                > 0 => new LinearConstraint(new Dictionary<string, long> { [_i] = 1, [_iPrimed] = -1 }, -1),
                _ => new LinearConstraint(new Dictionary<string, long> { [_i] = 1, [_iPrimed] = -1 }, 0, IsEquality: true),
            };
            var constraints = _constraints.Append(direction);
            // A symbolic step S (`jt += tile`, running up, so S ≥ 1) keeps two different iterations S or more apart:
            // i' = i + k·S with k ≥ 1 gives i' − i ≥ S (the constant-step form is the t of Range).
            var h = _tester._header;
            if (order != 0 && !h.StepKnown && h.Step > 0)
            {
                var (first, second) = order < 0 ? (_i, _iPrimed) : (_iPrimed, _i);
                var gap = LinearExpr.Of(new Symbol(second, second)).Subtract(LinearExpr.Of(new Symbol(first, first))).Subtract(h.StepExpr);
                try
                {
                    if (Convert(gap, new HashSet<string>(StringComparer.Ordinal) { _i, _iPrimed }) is { } c) constraints = constraints.Append(c);
                }
                catch (OverflowException)
                {
                    // Left out: one constraint fewer is still sound.
                }
            }
            return FourierMotzkin.MayBeFeasible(constraints);
        }

        /// <summary>Each term of a min/max bound (`j &lt; MIN(n, jt + tile)`: j ≤ n − 1 and j ≤ jt + tile − 1) as a constraint of
        /// its own: the bound as written is one opaque term that reads a counter, which no constraint can use.</summary>
        private void Terms(LinearExpr v, LoopHeader h, bool primed, HashSet<string> variables)
        {
            foreach (var t in h.UpperTerms)
                if ((primed ? _tester.PrimeOuter(t) : t) is { } u) Add(() => u.Subtract(v), variables, equality: false);
            foreach (var t in h.LowerTerms)
                if ((primed ? _tester.PrimeOuter(t) : t) is { } l) Add(() => v.Subtract(l), variables, equality: false);
        }

        /// <summary>Each counter between its bounds, which may mention only the counters of loops around it.</summary>
        private void Bounds(List<LoopHeader> iv, bool primed)
        {
            var outer = new HashSet<string>(StringComparer.Ordinal);
            foreach (var h in iv)
            {
                var sym = primed ? Prime(h.Symbol) : h.Symbol;
                var (min, max) = primed ? (_tester.PrimeOuter(h.Min), _tester.PrimeOuter(h.Max)) : (h.Min, h.Max);
                outer.Add(sym.Key);
                Range(LinearExpr.Of(sym), min, max, h, outer.ToHashSet(StringComparer.Ordinal));
                Terms(LinearExpr.Of(sym), h, primed, outer.ToHashSet(StringComparer.Ordinal));
            }
        }

        /// <param name="variables">The counters it may mention: its own and those of the loops around it (none for an
        /// enclosing counter, which is a parameter).</param>
        private void Range(LinearExpr v, LinearExpr? min, LinearExpr? max, LoopHeader? h, HashSet<string> variables)
        {
            if (min is not null) Add(() => v.Subtract(min), variables, equality: false);
            if (max is not null) Add(() => max.Subtract(v), variables, equality: false);
            // v = min + S·t for a constant step |S| > 1: a fresh integer t per counter and instance.
            if (h is { StepKnown: true, Step: var step } && Math.Abs(step) > 1 && min is not null && max is not null)
            {
                var start = step > 0 ? min : max;
                var t = new Symbol($"step:{_steps++}", "t");
                Add(() => v.Subtract(start).Subtract(LinearExpr.Of(t, step)), variables.Append(t.Key).ToHashSet(StringComparer.Ordinal), equality: true);
            }
        }

        private void Add(Func<LinearExpr> expr, HashSet<string> variables, bool equality)
        {
            try
            {
                if (Convert(expr(), variables) is { } c) _constraints.Add(c with { IsEquality = equality });
            }
            catch (OverflowException)
            {
                // Left out: one constraint fewer is still sound.
            }
        }

        /// <summary>The expression over the given counters and loop-invariant parameters (each product of invariant
        /// symbols one unknown); null when it mentions anything else or multiplies a counter.</summary>
        private LinearConstraint? Convert(LinearExpr e, HashSet<string> variables)
        {
            var coefficients = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (m, k) in e.Terms)
            {
                string key;
                if (m.Factors.Count == 1 && variables.Contains(m.Factors[0].Key)) key = m.Factors[0].Key;
                else if (m.Factors.All(IsParameter)) key = "param:" + string.Join("*", m.Factors.Select(f => f.Key));
                else return null;
                coefficients[key] = checked(coefficients.GetValueOrDefault(key) + k);
            }
            return new LinearConstraint(coefficients, e.Constant);
        }

        /// <summary>The same value in both instances: not a counter of either, not changed inside the analyzed loop.</summary>
        private bool IsParameter(Symbol s) =>
            !s.Key.EndsWith('\'') && !s.Key.StartsWith("step:", StringComparison.Ordinal) &&
            !_tester._counters.Contains(s.Key) && !_tester.IsVariant(s);
    }
}
