using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The tiled matrix product's register-blocked micro-kernel (<see cref="MatmulBlock"/>, issue 14): the fact, the generated
/// text with its remainders (rows a block cannot fill, k steps after the last full block), and outputs bit-identical to the
/// serial program on 4 threads with gcc and clang, on sizes that are not multiples of the block (37, 130, and smaller
/// than one block), every element printed in hexadecimal floating point.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class MatmulRegisterBlockTests : GenerationFixture
{
    // Static arrays with bounds that are parameters (37 and 130 rows: a tile of 32 plus 5 rows, four tiles plus 2; 37 and
    // 130 k: 9 blocks and a step over, two k tiles plus 2), a float product with a scaled start and the source's
    // `x = x + …` addition, an addend without a factor (its left operand names j: every row's copy reads `A[i][k]` itself),
    // an integer product, pointers to rows under the run-time aliasing check, and nests the block does not take (long
    // double, short, a float element summing a double addend).
    private const string Program = """
        #include <stdio.h>
        #define M 130
        static double A[M][M], B[M][M], C[M][M], D[M][M];
        static float Af[M][M], Bf[M][M], Cf[M][M];
        static long Ai[M][M], Bi[M][M], Ci[M][M];
        static long double Al[M][M], Bl[M][M], Cl[M][M];
        static short As[M][M], Bs[M][M], Cs[M][M];
        static double E[M][M];

        static void product(int n, int m, int p) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++) {
                    double sum = 0.0;
                    for (int k = 0; k < p; k++)
                        sum += A[i][k] * B[k][j];
                    C[i][j] = sum;
                }
        }

        static void scaled_float(int n) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    Cf[i][j] = 0.5f * Cf[i][j];
                    for (int k = 0; k < n; k++)
                        Cf[i][j] = Cf[i][j] + 1.25f * Af[i][k] * Bf[k][j];
                }
        }

        static void no_factor(int n) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++)
                        C[i][j] += B[k][j] * A[i][k];
        }

        static void integers(int n) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++)
                        Ci[i][j] += Ai[i][k] * Bi[k][j];
        }

        static void pointers(int n, double (*c)[M], const double (*a)[M], const double (*b)[M]) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    double acc = c[i][j];
                    for (int k = 0; k < n; k++)
                        acc += a[i][k] * b[k][j];
                    c[i][j] = acc;
                }
        }

        static void unsigned_counters(unsigned n) {
            for (unsigned i = 0; i < n; i++)
                for (unsigned j = 0; j < n; j++) {
                    double s = 0.0;
                    for (unsigned k = 0; k < n; k++)
                        s += A[i][k] * B[k][j];
                    E[i][j] = s;
                }
        }

        static void long_doubles(int n) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++)
                        Cl[i][j] += Al[i][k] * Bl[k][j];
        }

        static void widened(int n, double alpha) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++)
                        Cf[i][j] += alpha * Af[i][k] * Bf[k][j];
        }

        static void shorts(int n) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    for (int k = 0; k < n; k++)
                        Cs[i][j] += As[i][k] * Bs[k][j];
        }

        int main(void) {
            const int sizes[] = { 37, 130, 3, 67 };
            for (int s = 0; s < 4; s++) {
                int n = sizes[s];
                for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) {
                    A[i][j] = (i * 7 + j * 13 + s) % 101 / 101.0 - 0.31; B[i][j] = (i * 11 + j * 5) % 97 / 97.0 - 0.47;
                    Af[i][j] = (float)A[i][j]; Bf[i][j] = (float)B[i][j]; Cf[i][j] = (float)(i - j) / 7.0f;
                    Ai[i][j] = (i * 7 + j) % 13 - 6; Bi[i][j] = (i + 3 * j) % 11 - 5;
                    Al[i][j] = A[i][j]; Bl[i][j] = B[i][j]; As[i][j] = (short)((i + j) % 5 - 2); Bs[i][j] = (short)((i * j) % 3 - 1);
                    D[i][j] = (i + 2 * j) % 17 / 17.0;
                }
                product(n, n - s, n + s < M ? n + s : M);
                scaled_float(n);
                no_factor(n);
                integers(n);
                pointers(n, D, (const double (*)[M])C, (const double (*)[M])B);
                unsigned_counters((unsigned)n);
                long_doubles(n);
                widened(n, 1.3);
                shorts(n);
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++)
                    printf("%a %a %a %ld %a %d %a\n", C[i][j], (double)Cf[i][j], D[i][j], Ci[i][j], (double)Cl[i][j], Cs[i][j], E[i][j]);
            }
            printf("line %d\n", __LINE__);
            return 0;
        }
        """;

    [Test]
    public void The_fact_carries_a_4x4_block_for_double_float_and_wide_integer_elements_only()
    {
        var loops = Ws.Analyze(Ws.WriteSource("fact.c", Program)).Loops;
        MatmulNest Nest(string function) => loops.First(l => l.Function == function && l.ParentId is null).Matmul ?? throw new AssertionException($"{function}: no matmul fact");
        Assert.Multiple(() =>
        {
            Assert.That(Nest("product").Block, Is.EqualTo(new MatmulBlock(4, 4, "double")));
            Assert.That(Nest("scaled_float").Block, Is.EqualTo(new MatmulBlock(4, 4, "float")));
            Assert.That(Nest("integers").Block, Is.EqualTo(new MatmulBlock(4, 4, "long")));
            Assert.That(Nest("pointers").Block?.ElementType, Is.EqualTo("double"));
            Assert.That(Nest("unsigned_counters").Block, Is.Not.Null);
            Assert.That(Nest("product").Evidence, Does.Contain("register block 4x4"));
            Assert.That(Nest("long_doubles").Block, Is.Null, "x87 long double: no vectors, no block");
            Assert.That(Nest("shorts").Block, Is.Null, "a narrower integer is promoted in the sum");
            Assert.That(Nest("widened").Block, Is.Null, "a float element plus a double addend: the addition is not in the element's type");
            Assert.That(Nest("integers").NeedsExactFloatingPoint || Nest("integers").NeedsSameContraction, Is.False, "integer sums are exact in any shape");
            Assert.That(Nest("product").NeedsExactFloatingPoint && Nest("product").NeedsSameContraction, Is.True);
        });
    }

    [Test]
    public void The_micro_kernel_holds_4_rows_over_4_k_steps_in_locals_and_runs_the_remainders_one_term_at_a_time()
    {
        var path = Ws.WriteSource("block.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        var lines = Program.Split('\n');
        int LineOf(string s) => Array.FindIndex(lines, l => l.Contains(s, StringComparison.Ordinal)) + 1;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("tiles 32x256x64, register block 4x4;"));
            // Full blocks only: rows while 4 fit in the tile, k steps while 4 fit in the k tile.
            Assert.That(text, Does.Contain("for (long long paraslm_b_i = paraslm_t_i; paraslm_b_i < paraslm_e_i; paraslm_b_i += 4) { long long paraslm_b_k = paraslm_t_k; " +
                                           "if (paraslm_b_i + 4 <= paraslm_e_i) for (; paraslm_b_k + 4 <= paraslm_e_k; paraslm_b_k += 4) {"));
            // The factors once per block, each with the counters set to its row and step.
            Assert.That(text, Does.Contain("i = (int)(paraslm_b_i + 3); k = (int)(paraslm_b_k + 2); paraslm_f3_2 = A[i][k];"));
            // Each element loaded once, its 4 terms added in ascending k with the source's operator, stored once.
            Assert.That(text, Does.Contain("double paraslm_c0, paraslm_c1, paraslm_c2, paraslm_c3; { const int i = (int)(paraslm_b_i + 0); paraslm_c0 = C[i][j]; }"));
            Assert.That(text, Does.Match($@"#line {LineOf("sum += A[i][k] * B[k][j];")} ""[^""]*""\n\s*\{{ const int k = \(int\)\(paraslm_b_k \+ 0\); \{{ "),
                "the terms map to the source's accumulating statement");
            Assert.That(text, Does.Contain("{ const int k = (int)(paraslm_b_k + 0); { const int i = (int)(paraslm_b_i + 0); const double paraslm_f = paraslm_f0_0; (void)i; paraslm_c0 += paraslm_f * B[k][j]; } " +
                                           "{ const int i = (int)(paraslm_b_i + 1); const double paraslm_f = paraslm_f1_0; (void)i; paraslm_c1 += paraslm_f * B[k][j]; }"));
            Assert.That(text, Does.Contain("{ const int k = (int)(paraslm_b_k + 3);"));
            Assert.That(text, Does.Contain("{ const int i = (int)(paraslm_b_i + 3); C[i][j] = paraslm_c3; }"));
            Assert.That(text, Does.Contain("paraslm_c1 = paraslm_c1 + paraslm_f * Bf[k][j];"), "the float product adds as the source does");
            Assert.That(text, Does.Contain("float paraslm_c0, paraslm_c1, paraslm_c2, paraslm_c3;"));
            Assert.That(text, Does.Contain("{ const int i = (int)(paraslm_b_i + 2); paraslm_c2 += B[k][j] * A[i][k]; }"), "no factor: the copy of i is read, not cast to void");
            Assert.That(text, Does.Contain("long paraslm_c0, paraslm_c1, paraslm_c2, paraslm_c3;"));
            Assert.That(text, Does.Contain("paraslm_c0 = c[i][j];"), "the pointer nest's element");
            Assert.That(text, Does.Contain("{ const unsigned int i = (unsigned int)(paraslm_b_i + 1); paraslm_c1 = E[i][j]; }").Or.Contain("{ const unsigned i = (unsigned)(paraslm_b_i + 1); paraslm_c1 = E[i][j]; }"),
                "unsigned counters: their copies have their type, the tile ends are converted to it (no -Wsign-compare)");
            // The rest of each tile: the rows a block did not take, from the first k step no block took, one term at a time.
            Assert.That(text, Does.Contain("for (i = (int)paraslm_b_i; i < (int)paraslm_e_i && i < (int)(paraslm_b_i + 4); i++) for (k = (int)paraslm_b_k; k < (int)paraslm_e_k; k++) {"));
            // Floating point runs the form where it rounds and contracts as the serial nest does; integers need no test.
            Assert.That(text.Split("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION && (").Length - 1, Is.EqualTo(7),
                "the five floating blocked nests, the long double and the widened ones, each also under its run-time check; not the integer ones");
            Assert.That(text, Does.Contain("#define PARASLM_SAME_CONTRACTION 0"));
            Assert.That(text, Does.Contain("&& (((const double *)(c) + "), "the pointer nest also under its aliasing check");
            Assert.That(text.Split('\n').Count(l => l.Contains("double paraslm_c0", StringComparison.Ordinal) || l.Contains("float paraslm_c0", StringComparison.Ordinal) || l.Contains("long paraslm_c0", StringComparison.Ordinal)),
                Is.EqualTo(6), "product, scaled_float, no_factor, integers, pointers, unsigned_counters; not long double, not short");
            Assert.That(Applied(result, MatmulNest.TransformName + ", register block 4x4"), Is.EqualTo(6), string.Join("\n", result.Outcomes.Select(o => o.Reason)));
            Assert.That(Applied(result, MatmulNest.TransformName), Is.EqualTo(9), "long double, widened and short nests are tiled without the block");
        });
    }

    [TestCase("gcc", "-std=c11", "-O2")]
    [TestCase("clang-19", "-std=c11", "-O2")]
    [TestCase("gcc", "-std=c11", "-O3")]
    [TestCase("clang-19", "-std=c11", "-O3")]
    [TestCase("gcc", "-std=c11", "-O3", "-march=x86-64-v3")]
    [TestCase("clang-19", "-std=c11", "-O3", "-march=x86-64-v3")]
    [TestCase("clang-19", "-std=gnu11", "-O3", "-march=x86-64-v3", "-ffp-contract=fast")]
    // gcc in a GNU mode with FMA tuned for Zen leaves the serial chain unfused and fuses the tiled form: there
    // PARASLM_SAME_CONTRACTION is 0 and the nest as written runs (without the test every element differed).
    [TestCase("gcc", "-std=gnu11", "-O3", "-march=znver2")]
    public void The_blocked_nests_print_on_4_threads_exactly_what_the_serial_nests_print(string compiler, string std, params string[] flags) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, std, $"{compiler}_{std}_{flags.Length}_{flags[0].TrimStart('-')}_block.c", Program, path => Ws.RewritePlannedLoops(path),
            result => Assert.That(result.Text, Does.Contain("register block 4x4")),
            // Warnings are errors: the copies of the counters the text does not name must not warn. (clang's note that an
            // `omp simd` loop over long double or conversions to it stays scalar is not about the block.)
            [.. flags, "-Wall", "-Wextra", "-Werror", .. compiler.StartsWith("clang", StringComparison.Ordinal) ? new[] { "-Wno-pass-failed" } : []]);
}
