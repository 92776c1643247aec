using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The tiled matrix product's invariant factor (`MatmulFactor`): the addend's left operand that j does not change
/// (`alpha * A[i][k]`) is computed once per (i, k) in a local before the `omp simd` j loop, where the compiler would
/// otherwise reload and multiply it per vector (it cannot tell that the store to `C[i][j]` leaves it alone). Where the
/// factor could change inside the j loop, or is no product prefix, the addend is copied as written; the outputs stay
/// bit-identical to the serial program on 4 threads with gcc and clang (every element in hexadecimal).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class MatmulFactorTests : GenerationFixture
{
    // Sizes that are not multiples of any tile. Factors: a scaled element (gemm/2mm), a parenthesized one, a float
    // element widened by a double scalar, a float product whose last factor is the scalar, integers; and the near misses:
    // a global scale (a store through C could change it, as far as the compiler knows), a local whose address escapes,
    // the j element first (no prefix without j), a bare scalar (a register anyway).
    private const string Program = """
        #include <stdio.h>
        #define NI 200
        #define NJ 270
        #define NK 150
        static double A[NI][NK], B[NK][NJ], C[NI][NJ];
        static float Af[NI][NK], Bf[NK][NJ], Cf[NI][NJ];
        static long Ai[NI][NK], Bi[NK][NJ], Ci[NI][NJ];
        double g_scale = 0.5;
        double *escaped;

        static void scaled_element(double alpha, double beta) {
            int i, j, k;
            for (i = 0; i < NI; i++) {
                for (j = 0; j < NJ; j++)
                    C[i][j] *= beta;
                for (k = 0; k < NK; k++)
                    for (j = 0; j < NJ; j++)
                        C[i][j] += alpha * A[i][k] * B[k][j];
            }
        }

        static void parenthesized(double alpha) {
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++)
                    for (int k = 0; k < NK; k++)
                        C[i][j] += (alpha * A[i][k] + 0.25) * B[k][j];
        }

        static void widened(double alpha) {
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++)
                    for (int k = 0; k < NK; k++)
                        Cf[i][j] += alpha * Af[i][k] * Bf[k][j];
        }

        static void scalar_last(float alpha) {
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++) {
                    float s = Cf[i][j];
                    for (int k = 0; k < NK; k++)
                        s += Af[i][k] * Bf[k][j] * alpha;
                    Cf[i][j] = s;
                }
        }

        static void integers(long m) {
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++)
                    for (int k = 0; k < NK; k++)
                        Ci[i][j] += m * Ai[i][k] * Bi[k][j];
        }

        static void global_scale(void) {
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++)
                    for (int k = 0; k < NK; k++)
                        C[i][j] += g_scale * A[i][k] * B[k][j];
        }

        static void escaped_scale(double alpha) {
            double a = alpha;
            escaped = &a;
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++)
                    for (int k = 0; k < NK; k++)
                        C[i][j] += a * A[i][k] * B[k][j];
        }

        static void j_first(void) {
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++)
                    for (int k = 0; k < NK; k++)
                        C[i][j] += B[k][j] * A[i][k];
        }

        static void bare_scalar(double alpha) {
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++)
                    for (int k = 0; k < NK; k++)
                        C[i][j] += alpha * B[k][j];
        }

        int main(void) {
            for (int i = 0; i < NI; i++) for (int k = 0; k < NK; k++) { A[i][k] = (i * 7 + k * 13) % 101 / 101.0 - 0.3; Af[i][k] = (float)A[i][k]; Ai[i][k] = (i * 7 + k) % 13 - 6; }
            for (int k = 0; k < NK; k++) for (int j = 0; j < NJ; j++) { B[k][j] = (k * 11 + j * 5) % 97 / 97.0 - 0.6; Bf[k][j] = (float)B[k][j]; Bi[k][j] = (k + 3 * j) % 11 - 5; }
            for (int i = 0; i < NI; i++) for (int j = 0; j < NJ; j++) { C[i][j] = (i + j) % 7 / 7.0; Cf[i][j] = (float)C[i][j]; }
            scaled_element(1.1, 0.7);
            parenthesized(0.3);
            widened(1.3);
            scalar_last(0.9f);
            integers(3);
            global_scale();
            escaped_scale(0.6);
            j_first();
            bare_scalar(0.2);
            for (int i = 0; i < NI; i++) for (int j = 0; j < NJ; j++)
                printf("%a %a %ld\n", C[i][j], (double)Cf[i][j], Ci[i][j]);
            return 0;
        }
        """;

    [Test]
    public void The_factor_that_j_does_not_change_is_found_with_the_type_the_product_uses()
    {
        var loops = Ws.Analyze(Ws.WriteSource("factor.c", Program)).Loops;
        MatmulNest Nest(string function) => loops.First(l => l.Function == function && l.Matmul is not null).Matmul!;
        Assert.Multiple(() =>
        {
            Assert.That(Nest("scaled_element").Factor, Is.EqualTo(new MatmulFactor("alpha * A[i][k]", "double", "paraslm_f * B[k][j]", true)));
            Assert.That(Nest("scaled_element").AlreadyIkj, Is.True, "gemm's own i-k-j form");
            Assert.That(Nest("scaled_element").NeedsExactFloatingPoint, Is.True, "a floating factor in a local needs evaluation in its type");
            Assert.That(Nest("parenthesized").Factor?.Text, Is.EqualTo("(alpha * A[i][k] + 0.25)"));
            Assert.That(Nest("parenthesized").Factor?.Addend, Is.EqualTo("paraslm_f * B[k][j]"));
            Assert.That(Nest("widened").Factor, Is.EqualTo(new MatmulFactor("alpha * Af[i][k]", "double", "paraslm_f * Bf[k][j]", true)), "a double product of a float element");
            Assert.That(Nest("scalar_last").Factor, Is.EqualTo(new MatmulFactor("Af[i][k]", "float", "paraslm_f * Bf[k][j] * alpha", true)), "inside the left operand that reads j");
            Assert.That(Nest("integers").Factor, Is.EqualTo(new MatmulFactor("m * Ai[i][k]", "long", "paraslm_f * Bi[k][j]", false)));
            Assert.That(Nest("integers").NeedsExactFloatingPoint, Is.False);
        });
    }

    [TestCase("global_scale", TestName = "A_factor_that_reads_a_global_scalar_is_not_held_in_a_local")]
    [TestCase("escaped_scale", TestName = "A_factor_that_reads_a_local_whose_address_escapes_is_not_held_in_a_local")]
    [TestCase("j_first", TestName = "An_addend_whose_left_operand_reads_j_has_no_factor")]
    [TestCase("bare_scalar", TestName = "A_bare_scalar_factor_is_left_as_written")]
    public void The_addend_is_copied_as_written_where_no_factor_may_be_held(string function)
    {
        var nest = Ws.Analyze(Ws.WriteSource("nofactor.c", Program)).Loops.First(l => l.Function == function && l.Matmul is not null).Matmul!;
        Assert.That(nest.Factor, Is.Null);
    }

    [Test]
    public void The_tiled_form_computes_the_factor_before_the_simd_loop_at_the_addends_line()
    {
        var path = Ws.WriteSource("factortext.c", Program);
        var text = Ws.RewritePlannedLoops(path).Text;
        var lines = Program.Split('\n');
        var addendLine = Array.FindIndex(lines, l => l.Contains("C[i][j] += (alpha * A[i][k] + 0.25) * B[k][j];", StringComparison.Ordinal)) + 1;
        Assert.That(text, Does.Match($@"#line {addendLine} ""[^""]*""\n\s*const double paraslm_f = \(alpha \* A\[i\]\[k\] \+ 0\.25\);\n#line \d+ ""[^""]*""\n\s*#pragma omp simd\n"));
        Assert.That(text, Does.Contain("C[i][j] += paraslm_f * B[k][j];"));
        Assert.That(text, Does.Contain("const double paraslm_f = alpha * Af[i][k];").And.Contain("Cf[i][j] += paraslm_f * Bf[k][j];"));
        Assert.That(text, Does.Contain("C[i][j] += g_scale * A[i][k] * B[k][j];"), "the global scale is read where the source reads it");
        Assert.That(text, Does.Contain("C[i][j] += alpha * B[k][j];"));
    }

    [TestCase("gcc", "-O1")]
    [TestCase("clang-19", "-O1")]
    [TestCase("gcc", "-O3", "-march=x86-64-v3")]
    [TestCase("clang-19", "-O3", "-march=x86-64-v3")]
    public void The_tiled_nests_with_factors_print_on_4_threads_exactly_what_the_serial_nests_print(string compiler, params string[] flags) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", $"{compiler}_{flags.Length}_factor.c", Program, path => Ws.RewritePlannedLoops(path),
            result => Assert.That(result.Text, Does.Contain(MatmulFactor.Local + " * B[k][j]")), flags);
}
