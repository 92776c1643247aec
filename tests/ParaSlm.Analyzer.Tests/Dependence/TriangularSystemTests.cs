using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Dependence;

/// <summary>
/// Pairs whose subscripts only meet when all dimensions and the loop bounds are taken together (`cov[i][j]` and
/// `cov[j][i]` over a triangle): the dimension-wise tests leave a dependence, the integer system of both instances
/// (Fourier–Motzkin) removes it. Each proven nest has near twins whose bounds let two iterations meet and which must stay
/// sequential.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Unit")]
public sealed class TriangularSystemTests : SnippetFixture
{
    private const string Prelude = """
        #define N 512
        static double c[N][N], a[N][N], d[N][N];

        """;

    private const string SystemTest = "Fourier–Motzkin";

    /// <summary>The loops of `void kernel(int n, int q) { body }`, outer before inner.</summary>
    private IReadOnlyList<LoopFacts> Loops(string body) =>
        Snippets.Loops(Prelude + "void kernel(int n, int q)\n{\n  int i, j, k;\n  double t;\n" + body + "\n}\n");

    private static void AssertParallel(LoopFacts l) =>
        Assert.That(l.Parallelizable, Is.True, "expected parallel: " + SnippetAnalyzer.Describe(l));

    private static void AssertSequential(LoopFacts l) =>
        Assert.That(l.Parallelizable, Is.False, "expected sequential: " + SnippetAnalyzer.Describe(l));

    /// <summary>PolyBench covariance's nest: j from i, the diagonal element written twice by one iteration.</summary>
    private const string Covariance = """
          for (i = 0; i < n; i++)
            for (j = i; j < n; j++) {
              c[i][j] = 0.0;
              for (k = 0; k < n; k++) c[i][j] += a[k][i] * a[k][j];
              c[i][j] /= (n - 1.0);
              c[j][i] = c[i][j];
            }
        """;

    [Test]
    public void A_symmetric_write_over_a_non_strict_triangle_is_proven_to_meet_only_within_one_iteration()
    {
        var loops = Loops(Covariance);
        AssertParallel(loops[0]);
        AssertParallel(loops[1]);
        // The pair is not dropped: it is a dependence inside one iteration (the diagonal), found by the system.
        var pairs = loops[0].Dependences.Where(x => x.Source == "c[i][j]" && x.Sink == "c[j][i]" && x.Kind == "output").ToList();
        Assert.That(pairs, Is.Not.Empty, SnippetAnalyzer.Describe(loops[0]));
        Assert.Multiple(() =>
        {
            foreach (var pair in pairs)
            {
                Assert.That(pair.Carried, Is.False, SnippetAnalyzer.Describe(loops[0]));
                Assert.That(pair.Direction, Is.EqualTo("="));
                Assert.That(pair.Test, Does.Contain(SystemTest));
            }
        });
    }

    [Test]
    public void A_symmetric_write_over_a_strict_triangle_never_meets()
    {
        var loops = Loops(Covariance.Replace("j = i;", "j = i + 1;", StringComparison.Ordinal));
        AssertParallel(loops[0]);
        Assert.That(loops[0].Dependences.Where(x => x.Source == "c[i][j]" && x.Sink == "c[j][i]"), Is.Empty,
            "no element is written by both: " + SnippetAnalyzer.Describe(loops[0]));
    }

    [TestCase("j = i - 1", Description = "(1,0) and (0,1) both run")]
    [TestCase("j = 0", Description = "the whole square")]
    public void A_symmetric_write_whose_rows_reach_below_the_diagonal_stays_sequential(string start)
    {
        var loops = Loops(Covariance.Replace("j = i", start, StringComparison.Ordinal).Replace("i = 0;", "i = 1;", StringComparison.Ordinal));
        AssertSequential(loops[0]);
        Assert.That(loops[0].Reason, Does.Contain("`c[i][j]`").And.Contain("`c[j][i]`"));
    }

    [Test]
    public void A_lower_triangle_up_to_the_diagonal_is_proven_and_one_column_past_it_is_not()
    {
        const string body = """
              for (i = 0; i < n - 2; i++)
                for (j = 0; j BOUND; j++) {
                  c[i][j] = a[i][j] + a[j][i];
                  c[j][i] = c[i][j];
                }
            """;
        AssertParallel(Loops(body.Replace("BOUND", "<= i", StringComparison.Ordinal))[0]);
        AssertSequential(Loops(body.Replace("BOUND", "< i + 2", StringComparison.Ordinal))[0]);
    }

    [Test]
    public void A_column_written_below_a_row_is_disjoint_only_when_it_starts_past_the_diagonal()
    {
        const string body = """
              for (i = 0; i < n; i++) {
                for (j = i; j < n; j++) c[i][j] = a[i][j];
                for (j = START; j < n; j++) c[j][i] = d[j][i];
              }
            """;
        AssertParallel(Loops(body.Replace("START", "i + 1", StringComparison.Ordinal))[0]);
        AssertParallel(Loops(body.Replace("START", "i", StringComparison.Ordinal))[0]);
        AssertSequential(Loops(body.Replace("START", "i - 1", StringComparison.Ordinal))[0]);
    }

    [Test]
    public void An_in_place_transposition_is_parallel_over_the_upper_triangle_and_only_by_columns_over_the_square()
    {
        const string body = """
              for (i = 0; i < n; i++)
                for (j = START; j < n; j++) {
                  t = a[i][j];
                  a[i][j] = a[j][i];
                  a[j][i] = t;
                }
            """;
        var upper = Loops(body.Replace("START", "i + 1", StringComparison.Ordinal));
        AssertParallel(upper[0]);
        AssertParallel(upper[1]);
        // Every row swapped with its column: iteration (i, j) reads what (j, i) writes.
        var square = Loops(body.Replace("START", "0", StringComparison.Ordinal));
        AssertSequential(square[0]);
        // Within one row i, though, iteration j touches a[i][j] and a[j][i] only, and two of them meet only at j = j' = i.
        AssertParallel(square[1]);
    }

    [Test]
    public void An_invariant_column_read_by_every_row_is_still_a_dependence()
    {
        // a[i][j] = a[j'][q]: i = j' >= i', j = q, so row q's iteration writes what earlier rows read.
        var loops = Loops("""
              for (i = 0; i < n; i++)
                for (j = i; j < n; j++)
                  a[i][j] = a[j][q] + 1.0;
            """);
        AssertSequential(loops[0]);
    }

    [Test]
    public void A_subscript_of_a_value_changed_in_the_loop_leaves_its_dimension_out_and_stays_a_dependence()
    {
        // `k` changes every iteration: the pair's second dimension says nothing, and the first alone lets (i, j) meet (j, i).
        var loops = Loops("""
              k = 0;
              for (i = 0; i < n; i++)
                for (j = i; j < n; j++) {
                  k = k + 1;
                  c[i][k % 8] = 1.0;
                  c[j][k % 8] = 2.0;
                }
            """);
        AssertSequential(loops[0]);
    }

    [Test]
    public void A_constant_step_is_part_of_the_system()
    {
        // (i, j) reads row j + 1, odd; every row written is even. Neither dimension alone shows it.
        const string body = """
              for (i = 0; i < n; i += 2)
                for (j = 0; j < n; j += 2)
                  d[i][j] = d[j + SHIFT][i] + 1.0;
            """;
        var odd = Loops(body.Replace("SHIFT", "1", StringComparison.Ordinal));
        AssertParallel(odd[0]);
        Assert.That(odd[0].Dependences.Where(x => x.Source == "d[i][j]" && x.Sink == "d[j + 1][i]"), Is.Empty, SnippetAnalyzer.Describe(odd[0]));
        // Row j + 2 is even: (0, 0) reads d[2][0], which (2, 0) writes.
        AssertSequential(Loops(body.Replace("SHIFT", "2", StringComparison.Ordinal))[0]);
    }
}
