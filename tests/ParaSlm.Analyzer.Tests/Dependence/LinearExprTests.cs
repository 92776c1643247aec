using ParaSlm.Analyzer.Affine;

namespace ParaSlm.Analyzer.Tests.Dependence;

/// <summary>The arithmetic of subscripts and bounds: Σ coefficient·monomial + constant.</summary>
[TestFixture]
[Category("Unit")]
public sealed class LinearExprTests
{
    private static readonly Symbol I = new("decl:i", "i");
    private static readonly Symbol J = new("decl:j", "j");
    private static readonly Symbol K = new("decl:k", "k");
    private static readonly Symbol L = new("decl:l", "l");
    private static readonly Symbol N = new("decl:n", "n");

    private static LinearExpr V(Symbol s, long c = 1) => LinearExpr.Of(s, c);

    private static LinearExpr C(long c) => LinearExpr.Const(c);

    private static LinearExpr Product(params Symbol[] factors)
    {
        var r = LinearExpr.One;
        foreach (var f in factors) r = r.Multiply(V(f))!;
        return r;
    }

    // ---- add / subtract / scale ---------------------------------------------------------------------

    [Test]
    public void Add_merges_like_terms_and_constants()
    {
        var e = V(I).Add(C(1)).Add(V(I)).Add(V(J, 3)).Add(C(4));
        Assert.Multiple(() =>
        {
            Assert.That(e.Constant, Is.EqualTo(5));
            Assert.That(e.Terms, Has.Count.EqualTo(2));
            Assert.That(e.Split(I).Coefficient, Is.EqualTo(C(2)));
            Assert.That(e.Split(J).Coefficient, Is.EqualTo(C(3)));
            Assert.That(e.ToString(), Is.EqualTo("2 * i + 3 * j + 5"));
        });
    }

    [Test]
    public void Subtract_removes_terms_whose_coefficient_cancels()
    {
        var e = V(I).Add(V(J)).Add(C(7)).Subtract(V(I)).Subtract(C(7));
        Assert.Multiple(() =>
        {
            Assert.That(e.Terms.Keys.Single().Factors, Is.EqualTo(new[] { J }));
            Assert.That(e.Mentions(I), Is.False, "a zero coefficient must not leave a term behind");
            Assert.That(e, Is.EqualTo(V(J)));
        });
    }

    [Test]
    public void Subtracting_an_expression_from_itself_is_zero()
    {
        var e = V(I, 2).Add(Product(I, N)).Add(C(-3));
        var zero = e.Subtract(e);
        Assert.Multiple(() =>
        {
            Assert.That(zero.IsZero, Is.True);
            Assert.That(zero.IsConstant, Is.True);
            Assert.That(zero.Terms, Is.Empty);
            Assert.That(zero, Is.EqualTo(LinearExpr.Zero));
        });
    }

    [Test]
    public void Negate_flips_every_coefficient_and_the_constant()
    {
        var e = V(I, 2).Subtract(V(N)).Add(C(5)).Negate();
        Assert.That(e, Is.EqualTo(V(N).Subtract(V(I, 2)).Add(C(-5))));
        Assert.That(e.ToString(), Is.EqualTo("-2 * i + n - 5"));
    }

    [Test]
    public void Scale_multiplies_coefficients_and_constant()
    {
        var e = V(I).Subtract(V(J, 2)).Add(C(3)).Scale(-3);
        Assert.Multiple(() =>
        {
            Assert.That(e.Split(I).Coefficient, Is.EqualTo(C(-3)));
            Assert.That(e.Split(J).Coefficient, Is.EqualTo(C(6)));
            Assert.That(e.Constant, Is.EqualTo(-9));
        });
    }

    [Test]
    public void Scale_by_zero_is_zero()
    {
        Assert.That(V(I).Add(C(3)).Scale(0).IsZero, Is.True);
    }

    [Test]
    public void Scale_overflow_throws_instead_of_wrapping()
    {
        Assert.Throws<OverflowException>(() => V(I, 2).Scale(long.MaxValue));
    }

    // ---- multiply -----------------------------------------------------------------------------------

    [Test]
    public void Multiply_by_a_constant_scales()
    {
        var e = V(I).Add(C(1));
        Assert.That(e.Multiply(C(4)), Is.EqualTo(V(I, 4).Add(C(4))));
        Assert.That(C(4).Multiply(e), Is.EqualTo(V(I, 4).Add(C(4))));
    }

    [Test]
    public void Product_of_symbols_is_kept_as_one_monomial()
    {
        var e = V(I).Multiply(V(N))!;
        var m = e.Terms.Keys.Single();
        Assert.Multiple(() =>
        {
            Assert.That(m.Factors, Is.EquivalentTo(new[] { I, N }));
            Assert.That(e.Terms[m], Is.EqualTo(1));
            Assert.That(e.IsConstant, Is.False);
            Assert.That(e.Mentions(I) && e.Mentions(N), Is.True);
            Assert.That(e.ToString(), Is.EqualTo("i * n"));
        });
    }

    [Test]
    public void Multiplication_is_commutative_on_monomials()
    {
        Assert.That(V(N).Multiply(V(I)), Is.EqualTo(V(I).Multiply(V(N))));
        Assert.That(V(N).Multiply(V(I))!.Add(V(I).Multiply(V(N, -1))!).IsZero, Is.True, "n*i and i*n are the same monomial");
    }

    [Test]
    public void Multiply_distributes_over_sums()
    {
        // (i + 1)(n - 2) = i*n - 2i + n - 2
        var e = V(I).Add(C(1)).Multiply(V(N).Subtract(C(2)))!;
        var expected = Product(I, N).Subtract(V(I, 2)).Add(V(N)).Subtract(C(2));
        Assert.That(e, Is.EqualTo(expected));
        Assert.That(e.ToString(), Is.EqualTo("i * n - 2 * i + n - 2"));
    }

    [Test]
    public void Multiply_cancels_terms_that_sum_to_zero()
    {
        // (i + 1)(i - 1) = i*i - 1: the ±i terms cancel
        var e = V(I).Add(C(1)).Multiply(V(I).Subtract(C(1)))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Terms, Has.Count.EqualTo(1));
            Assert.That(e.Terms.Keys.Single().Factors, Is.EqualTo(new[] { I, I }));
            Assert.That(e.Constant, Is.EqualTo(-1));
            Assert.That(e.ToString(), Is.EqualTo("i * i - 1"));
        });
    }

    [Test]
    public void Multiply_up_to_degree_three_succeeds()
    {
        var e = Product(I, J).Multiply(V(K));
        Assert.That(e, Is.Not.Null);
        Assert.That(e!.Terms.Keys.Single().Factors, Has.Count.EqualTo(3));
    }

    [Test]
    public void Multiply_beyond_degree_three_returns_null()
    {
        Assert.That(Product(I, J).Multiply(Product(K, L)), Is.Null);
        Assert.That(Product(I, J, K).Multiply(V(L).Add(C(1))), Is.Null);
    }

    // ---- split --------------------------------------------------------------------------------------

    [Test]
    public void Split_separates_the_coefficient_of_a_symbol_from_the_rest()
    {
        // 3*i*n + 2*i + n + 5 = i*(3n + 2) + (n + 5)
        var e = Product(I, N).Scale(3).Add(V(I, 2)).Add(V(N)).Add(C(5));
        var (coef, rest) = e.Split(I);
        Assert.Multiple(() =>
        {
            Assert.That(coef, Is.EqualTo(V(N, 3).Add(C(2))));
            Assert.That(rest, Is.EqualTo(V(N).Add(C(5))));
            Assert.That(V(I).Multiply(coef)!.Add(rest), Is.EqualTo(e), "coefficient·i + remainder rebuilds the expression");
        });
    }

    [Test]
    public void Split_on_an_absent_symbol_gives_zero_coefficient()
    {
        var e = V(J, 4).Add(C(1));
        var (coef, rest) = e.Split(I);
        Assert.That(coef.IsZero, Is.True);
        Assert.That(rest, Is.EqualTo(e));
    }

    [Test]
    public void Split_of_a_square_leaves_the_symbol_in_the_coefficient()
    {
        var (coef, rest) = Product(I, I).Split(I);
        Assert.That(coef, Is.EqualTo(V(I)));
        Assert.That(rest.IsZero, Is.True);
    }

    // ---- substitute ---------------------------------------------------------------------------------

    [Test]
    public void Substitute_replaces_a_symbol_by_an_expression()
    {
        // 2i + 3 with i := j + 1 → 2j + 5
        var e = V(I, 2).Add(C(3)).Substitute(I, V(J).Add(C(1)));
        Assert.That(e, Is.EqualTo(V(J, 2).Add(C(5))));
    }

    [Test]
    public void Substitute_inside_a_product_multiplies_out()
    {
        // i*n + i with i := n - 1 → n*n - 1
        var e = Product(I, N).Add(V(I)).Substitute(I, V(N).Subtract(C(1)));
        Assert.That(e, Is.EqualTo(Product(N, N).Subtract(C(1))));
    }

    [Test]
    public void Substitute_of_an_unmentioned_symbol_returns_the_same_expression()
    {
        var e = V(J).Add(C(2));
        Assert.That(e.Substitute(I, V(K)), Is.SameAs(e));
    }

    [Test]
    public void Substitute_into_a_square_of_the_symbol_is_not_representable()
    {
        Assert.That(Product(I, I).Add(V(J)).Substitute(I, V(K)), Is.Null);
    }

    [Test]
    public void Substitute_that_exceeds_degree_three_is_not_representable()
    {
        Assert.That(Product(I, J, K).Substitute(I, Product(L, N)), Is.Null);
    }

    // ---- equality -----------------------------------------------------------------------------------

    [Test]
    public void Equal_expressions_built_in_different_orders_are_equal_with_equal_hashes()
    {
        var a = V(I).Add(Product(J, N)).Add(C(-1));
        var b = C(-1).Add(V(N).Multiply(V(J))!).Add(V(I));
        Assert.Multiple(() =>
        {
            Assert.That(a.Equals(b), Is.True);
            Assert.That(a.Equals((object)b), Is.True);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
        });
    }

    [Test]
    public void Expressions_differing_in_constant_coefficient_or_symbol_are_not_equal()
    {
        var e = V(I, 2).Add(C(1));
        Assert.Multiple(() =>
        {
            Assert.That(e, Is.Not.EqualTo(V(I, 2).Add(C(2))), "constant");
            Assert.That(e, Is.Not.EqualTo(V(I, 3).Add(C(1))), "coefficient");
            Assert.That(e, Is.Not.EqualTo(V(J, 2).Add(C(1))), "symbol");
            Assert.That(e, Is.Not.EqualTo(V(I, 2).Add(V(J)).Add(C(1))), "extra term");
            Assert.That(e.Equals("2 * i + 1"), Is.False);
            Assert.That(e.Equals(null), Is.False);
        });
    }

    [Test]
    public void Symbols_are_identified_by_key_not_text()
    {
        var sameKey = new Symbol("decl:i", "other_text");
        var sameText = new Symbol("decl:other", "i");
        Assert.That(V(sameKey), Is.EqualTo(V(I)));
        Assert.That(V(sameText), Is.Not.EqualTo(V(I)));
    }

    [Test]
    public void Symbols_lists_each_symbol_once()
    {
        var e = Product(I, N).Add(V(N)).Add(V(I, 3));
        Assert.That(e.Symbols, Is.EquivalentTo(new[] { I, N }));
        Assert.That(e.MentionsAny([K, N]), Is.True);
        Assert.That(e.MentionsAny([K, J]), Is.False);
    }

    // ---- C text -------------------------------------------------------------------------------------

    [TestCase(0, "0")]
    [TestCase(7, "7")]
    [TestCase(-5, "-5")]
    public void A_constant_prints_as_a_number(long c, string text)
    {
        Assert.That(C(c).ToString(), Is.EqualTo(text));
    }

    [Test]
    public void ToString_writes_unit_coefficients_without_a_factor()
    {
        Assert.Multiple(() =>
        {
            Assert.That(V(I).ToString(), Is.EqualTo("i"));
            Assert.That(V(I, -1).ToString(), Is.EqualTo("-i"));
            Assert.That(V(I).Subtract(C(1)).ToString(), Is.EqualTo("i - 1"));
            Assert.That(V(I, -2).Add(C(3)).ToString(), Is.EqualTo("-2 * i + 3"));
            Assert.That(V(N).Subtract(V(I)).Subtract(C(1)).ToString(), Is.EqualTo("-i + n - 1"));
        });
    }

    [Test]
    public void ToString_of_a_flattened_index_is_the_c_expression()
    {
        var e = Product(I, N).Add(V(J)).Subtract(C(1));
        Assert.That(e.ToString(), Is.EqualTo("i * n + j - 1"));
    }

    [Test]
    public void ToString_uses_the_symbols_source_text()
    {
        var size = new Symbol("call:v.size", "v.size()");
        Assert.That(V(size).Subtract(V(I)).Subtract(C(1)).ToString(), Is.EqualTo("-i + v.size() - 1"));
    }
}
