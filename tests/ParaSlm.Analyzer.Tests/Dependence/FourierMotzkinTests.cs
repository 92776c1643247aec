using ParaSlm.Analyzer.Dependence;

namespace ParaSlm.Analyzer.Tests.Dependence;

/// <summary>The integer feasibility check behind the all-dimensions dependence test: proofs of infeasibility, and
/// "may be feasible" for every system it cannot refute.</summary>
[TestFixture]
[Category("Unit")]
public sealed class FourierMotzkinTests
{
    /// <summary>Σ coefficient·variable + constant ≥ 0 from pairs like ("i", 1).</summary>
    private static LinearConstraint Ge(long constant, params (string Name, long Coefficient)[] terms) =>
        new(terms.ToDictionary(t => t.Name, t => t.Coefficient), constant);

    private static LinearConstraint Eq(long constant, params (string Name, long Coefficient)[] terms) =>
        Ge(constant, terms) with { IsEquality = true };

    [Test]
    public void The_triangle_system_of_a_symmetric_write_is_infeasible_with_i_before_i_prime()
    {
        // 0 <= i, i <= j <= m - 1, same primed; i = j', j = i'; i' >= i + 1.
        LinearConstraint[] system =
        [
            Ge(0, ("i", 1)), Ge(0, ("j", 1), ("i", -1)), Ge(-1, ("m", 1), ("j", -1)),
            Ge(0, ("i'", 1)), Ge(0, ("j'", 1), ("i'", -1)), Ge(-1, ("m", 1), ("j'", -1)),
            Eq(0, ("i", 1), ("j'", -1)), Eq(0, ("j", 1), ("i'", -1)),
        ];
        Assert.That(FourierMotzkin.MayBeFeasible(system.Append(Ge(-1, ("i'", 1), ("i", -1)))), Is.False);
        Assert.That(FourierMotzkin.MayBeFeasible(system.Append(Ge(-1, ("i", 1), ("i'", -1)))), Is.False);
        Assert.That(FourierMotzkin.MayBeFeasible(system.Append(Eq(0, ("i", 1), ("i'", -1)))), Is.True, "the diagonal: i = j = i' = j'");
    }

    [Test]
    public void A_square_instead_of_a_triangle_is_feasible()
    {
        LinearConstraint[] system =
        [
            Ge(0, ("i", 1)), Ge(0, ("j", 1)), Ge(-1, ("m", 1), ("j", -1)), Ge(-1, ("m", 1), ("i", -1)),
            Ge(0, ("i'", 1)), Ge(0, ("j'", 1)), Ge(-1, ("m", 1), ("j'", -1)), Ge(-1, ("m", 1), ("i'", -1)),
            Eq(0, ("i", 1), ("j'", -1)), Eq(0, ("j", 1), ("i'", -1)), Ge(-1, ("i'", 1), ("i", -1)),
        ];
        Assert.That(FourierMotzkin.MayBeFeasible(system), Is.True);
    }

    [Test]
    public void Integer_tightening_refutes_what_the_rationals_allow()
    {
        // 1 <= 2x <= 1 has x = 1/2 only; 2x - 2y = 1 has no integer solution at all.
        Assert.That(FourierMotzkin.MayBeFeasible([Ge(-1, ("x", 2)), Ge(1, ("x", -2))]), Is.False);
        Assert.That(FourierMotzkin.MayBeFeasible([Eq(-1, ("x", 2), ("y", -2))]), Is.False);
        // 3x = 3y + 3 has x = y + 1.
        Assert.That(FourierMotzkin.MayBeFeasible([Eq(-3, ("x", 3), ("y", -3)), Ge(0, ("y", 1))]), Is.True);
    }

    [Test]
    public void Constant_constraints_decide_alone()
    {
        Assert.That(FourierMotzkin.MayBeFeasible([Ge(-1)]), Is.False);
        Assert.That(FourierMotzkin.MayBeFeasible([Ge(0), Eq(0)]), Is.True);
        Assert.That(FourierMotzkin.MayBeFeasible([Eq(2)]), Is.False);
    }

    [Test]
    public void A_feasible_system_whose_combinations_overflow_is_never_called_infeasible()
    {
        // x = y = 0 satisfies all three; combining the rows multiplies coefficients near long.MaxValue.
        const long a = long.MaxValue / 2, b = long.MaxValue / 3;
        LinearConstraint[] system =
        [
            Ge(0, ("x", a), ("y", -b)), Ge(1, ("x", -a), ("y", b)), Ge(0, ("x", b), ("y", a)), Ge(0, ("y", 7), ("x", -5)),
        ];
        Assert.That(FourierMotzkin.MayBeFeasible(system), Is.True);
    }
}
