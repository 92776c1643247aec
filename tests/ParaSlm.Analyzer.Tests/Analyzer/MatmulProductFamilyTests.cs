using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The matrix-product family as PolyBench/C writes it (issue 14, item 1): 2mm's first product (`tmp[i][j] =
/// SCALAR_VAL(0.0)` then `+= alpha * A[i][k] * B[k][j]`), 3mm's three chained products, gemm's i-k-j nest with its
/// `C[i][j] *= beta` start loop, array parameters declared through a macro and bounds behind `_PB_` macros. Each form is
/// recognized, each near miss is rejected by its named rule, and the tiled programs print on 4 threads, with gcc and
/// clang, exactly what the serial ones print (every element in hexadecimal floating point).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class MatmulProductFamilyTests : GenerationFixture
{
    // Our own kernels in PolyBench's style: sizes that are not multiples of any tile, the array parameters and bounds
    // behind macros, a start value behind a macro call (whose statement's extent in libclang stops before the call),
    // `#pragma scop` region markers right before the first nests (they bind to no loop).
    private const string Program = """
        #include <stdio.h>
        #define NI 70
        #define NJ 290
        #define NK 83
        #define NL 261
        #define NM 75
        #define PAD 0
        #define SCALAR_VAL(x) x
        #define ARRAY_2D(var, d1, d2) var[d1 + PAD][d2 + PAD]
        #define _PB_NI ni
        #define _PB_NJ nj
        #define _PB_NK nk
        #define _PB_NL nl
        #define _PB_NM nm

        static void kernel_2mm(int ni, int nj, int nk, int nl, double alpha, double beta,
                               double ARRAY_2D(tmp, NI, NJ), double ARRAY_2D(A, NI, NK), double ARRAY_2D(B, NK, NJ),
                               double ARRAY_2D(C, NJ, NL), double ARRAY_2D(D, NI, NL)) {
            int i, j, k;
        #pragma scop
            for (i = 0; i < _PB_NI; i++)
                for (j = 0; j < _PB_NJ; j++) {
                    tmp[i][j] = SCALAR_VAL(0.0);
                    for (k = 0; k < _PB_NK; ++k)
                        tmp[i][j] += alpha * A[i][k] * B[k][j];
                }
            for (i = 0; i < _PB_NI; i++)
                for (j = 0; j < _PB_NL; j++) {
                    D[i][j] *= beta;
                    for (k = 0; k < _PB_NJ; ++k)
                        D[i][j] += tmp[i][k] * C[k][j];
                }
        #pragma endscop
        }

        static void kernel_3mm(int ni, int nj, int nk, int nl, int nm,
                               double ARRAY_2D(E, NI, NJ), double ARRAY_2D(A, NI, NK), double ARRAY_2D(B, NK, NJ),
                               double ARRAY_2D(F, NJ, NL), double ARRAY_2D(C, NJ, NM), double ARRAY_2D(D, NM, NL),
                               double ARRAY_2D(G, NI, NL)) {
            int i, j, k;
            for (i = 0; i < _PB_NI; i++)
                for (j = 0; j < _PB_NJ; j++) {
                    E[i][j] = SCALAR_VAL(0.0);
                    for (k = 0; k < _PB_NK; ++k)
                        E[i][j] += A[i][k] * B[k][j];
                }
            for (i = 0; i < _PB_NJ; i++)
                for (j = 0; j < _PB_NL; j++) {
                    F[i][j] = SCALAR_VAL(0.0);
                    for (k = 0; k < _PB_NM; ++k)
                        F[i][j] += C[i][k] * D[k][j];
                }
            for (i = 0; i < _PB_NI; i++)
                for (j = 0; j < _PB_NL; j++) {
                    G[i][j] = SCALAR_VAL(0.0);
                    for (k = 0; k < _PB_NJ; ++k)
                        G[i][j] += E[i][k] * F[k][j];
                }
        }

        static void kernel_gemm(int ni, int nj, int nk, double alpha, double beta,
                                double ARRAY_2D(C, NI, NJ), double ARRAY_2D(A, NI, NK), double ARRAY_2D(B, NK, NJ)) {
            int i, j, k;
        #pragma scop
            for (i = 0; i < _PB_NI; i++) {
                for (j = 0; j < _PB_NJ; j++)
                    C[i][j] *= beta;
                for (k = 0; k < _PB_NK; k++) {
                    for (j = 0; j < _PB_NJ; j++)
                        C[i][j] += alpha * A[i][k] * B[k][j];
                }
            }
        }

        static double Ag[NI][NK], Bg[NK][NJ], Cg[NI][NJ];
        static float Af[NI][NK], Bf[NK][NJ], Cf[NI][NJ];

        static void ikj_scaled_in_the_middle(double alpha) {
            for (int i = 0; i < NI; i++)
                for (int k = 0; k < NK; k++)
                    for (int j = 0; j < NJ; j++)
                        Cg[i][j] += Ag[i][k] * alpha * Bg[k][j];
        }

        static void ikj_float_start(float beta) {
            for (int i = 0; i < NI; i++) {
                for (int j = 0; j <= NJ - 1; j++)
                    Cf[i][j] = beta * Cf[i][j] + 0.5f;
                for (int k = 0; k < NK; k++)
                    for (int j = 0; j <= NJ - 1; j++)
                        Cf[i][j] = Cf[i][j] + Af[i][k] * Bf[k][j];
            }
        }

        static double A[NI][NK], B[NK][NJ], C[NJ][NL], D[NI][NL], T[NI][NJ];
        static double A3[NI][NK], B3[NK][NJ], C3[NJ][NM], D3[NM][NL], E3[NI][NJ], F3[NJ][NL], G3[NI][NL];
        static double Cm[NI][NJ];

        int main(void) {
            for (int i = 0; i < NI; i++) for (int k = 0; k < NK; k++) { A[i][k] = A3[i][k] = Ag[i][k] = (i * 7 + k * 13) % 101 / 101.0 - 0.3; Af[i][k] = (float)A[i][k]; }
            for (int k = 0; k < NK; k++) for (int j = 0; j < NJ; j++) { B[k][j] = B3[k][j] = Bg[k][j] = (k * 11 + j * 5) % 97 / 97.0 - 0.6; Bf[k][j] = (float)B[k][j]; }
            for (int j = 0; j < NJ; j++) for (int l = 0; l < NL; l++) C[j][l] = (j * 3 + l * 17) % 89 / 89.0 - 0.4;
            for (int j = 0; j < NJ; j++) for (int m = 0; m < NM; m++) C3[j][m] = (j * 5 + m) % 83 / 83.0 - 0.5;
            for (int m = 0; m < NM; m++) for (int l = 0; l < NL; l++) D3[m][l] = (m * 19 + l * 2) % 79 / 79.0 - 0.45;
            for (int i = 0; i < NI; i++) for (int l = 0; l < NL; l++) D[i][l] = (i + l * 3) % 71 / 71.0;
            for (int i = 0; i < NI; i++) for (int j = 0; j < NJ; j++) { Cm[i][j] = Cg[i][j] = (i * 2 + j) % 67 / 67.0; Cf[i][j] = (float)Cg[i][j]; }
            kernel_2mm(NI, NJ, NK, NL, 1.5, 1.2, T, A, B, C, D);
            kernel_3mm(NI, NJ, NK, NL, NM, E3, A3, B3, F3, C3, D3, G3);
            kernel_gemm(NI, NJ, NK, 1.25, 0.75, Cm, A, B);
            ikj_scaled_in_the_middle(0.5);
            ikj_float_start(0.25f);
            for (int i = 0; i < NI; i++) for (int l = 0; l < NL; l++) printf("%a %a\n", D[i][l], G3[i][l]);
            for (int i = 0; i < NI; i++) for (int j = 0; j < NJ; j++) printf("%a %a %a %a %a\n", T[i][j], E3[i][j], Cm[i][j], Cg[i][j], (double)Cf[i][j]);
            printf("line %d\n", __LINE__);
            return 0;
        }
        """;

    private const string NearMisses = """
        #include <math.h>
        #define N 64
        #define SCALAR_VAL(x) x
        double A[N][N], B[N][N], C[N][N], D[N][N];

        void start_loop_shorter(double beta) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N - 1; j++) C[i][j] *= beta;
                for (int k = 0; k < N; k++)
                    for (int j = 0; j < N; j++) C[i][j] += A[i][k] * B[k][j];
            }
        }

        void start_loop_other_counter(double beta) {
            int j, jj;
            for (int i = 0; i < N; i++) {
                for (jj = 0; jj < N; jj++) C[i][jj] *= beta;
                for (int k = 0; k < N; k++)
                    for (j = 0; j < N; j++) C[i][j] += A[i][k] * B[k][j];
            }
        }

        void start_other_array(void) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++) D[i][j] = 0.0;
                for (int k = 0; k < N; k++)
                    for (int j = 0; j < N; j++) C[i][j] += A[i][k] * B[k][j];
            }
        }

        void ikj_step_two(void) {
            for (int i = 0; i < N; i++)
                for (int k = 0; k < N; k++)
                    for (int j = 0; j < N; j += 2) C[i][j] += A[i][k] * B[k][j];
        }

        void ikj_reads_target(void) {
            for (int i = 0; i < N; i++)
                for (int k = 0; k < N; k++)
                    for (int j = 0; j < N; j++) C[i][j] += A[i][k] * C[k][j];
        }

        void ikj_aliasing(double (*c)[N], double (*a)[N], double (*b)[N], int n) {
            for (int i = 0; i < n; i++)
                for (int k = 0; k < n; k++)
                    for (int j = 0; j < N; j++) c[i][j] += a[i][k] * b[(k * k) % N][j];
        }

        void macro_start_calls(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    C[i][j] = SCALAR_VAL(sqrt(2.0));
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] * B[k][j];
                }
        }

        void addend_calls(double alpha) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    C[i][j] = SCALAR_VAL(0.0);
                    for (int k = 0; k < N; k++) C[i][j] += alpha * sqrt(A[i][k]) * B[k][j];
                }
        }

        void addend_writes_an_operand(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    C[i][j] = SCALAR_VAL(0.0);
                    for (int k = 0; k < N; k++) C[i][j] += (A[i][k] *= 2.0) * B[k][j];
                }
        }

        void addend_reads_target_in_its_row(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    C[i][j] = SCALAR_VAL(0.0);
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] * C[i][0];
                }
        }

        void addend_reads_target_through_an_alias(void) {
            double (*alias)[N] = C;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    C[i][j] = SCALAR_VAL(0.0);
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] * alias[i][k];
                }
        }

        void macro_start_then_step_two(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    C[i][j] = SCALAR_VAL(0.0);
                    for (int k = 0; k < N; k += 2) C[i][j] += A[i][k] * B[k][j];
                }
        }

        double X[N];
        char *P[N][N];
        int I[N][N];

        void inner_directive(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    C[i][j] = 0.0;
        #pragma omp simd
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] * B[k][j];
                }
        }

        void statement_beside_the_j_loop(void) {
            for (int i = 0; i < N; i++) {
                X[i] = 0.0;
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] * B[k][j];
            }
        }

        void subtracts(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) C[i][j] -= A[i][k] * B[k][j];
        }

        void bound_reads_accumulator(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    int s = 0;
                    for (int k = 0; k < N + s * 0; k++) s += I[i][k];
                    I[i][j] = s;
                }
        }

        void comment_in_addend(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] /* row */ * B[k][j];
        }

        void pointer_elements(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) P[i][j] += I[i][k];
        }

        void triangular_syrk(double alpha, double beta) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j <= i; j++) C[i][j] *= beta;
                for (int k = 0; k < N; k++)
                    for (int j = 0; j <= i; j++) C[i][j] += alpha * A[i][k] * A[j][k];
            }
        }
        """;

    [Test]
    public void PolyBench_style_products_are_recognized_with_their_macro_start_values_and_the_i_k_j_forms()
    {
        var loops = Ws.Analyze(Ws.WriteSource("family.c", Program)).Loops;
        MatmulNest?[] Nests(string function) => loops.Where(l => l.Function == function && l.ParentId is null).Select(l => l.Matmul).ToArray();
        Assert.Multiple(() =>
        {
            var twoMm = Nests("kernel_2mm");
            Assert.That(twoMm, Has.Length.EqualTo(2).And.All.Not.Null, "both of 2mm's products");
            Assert.That(twoMm[0]!.Init, Is.EqualTo("SCALAR_VAL(0.0)"), "the start value behind a macro call is copied whole");
            Assert.That(twoMm[0]!.Addend, Is.EqualTo("alpha * A[i][k] * B[k][j]"), "the scalar factor stays in the addend, evaluated per (i, k, j)");
            Assert.That(twoMm[0]!.Highs, Is.EqualTo(new[] { "_PB_NI", "_PB_NJ", "_PB_NK" }));
            Assert.That(Nests("kernel_3mm"), Has.Length.EqualTo(3).And.All.Not.Null, "3mm's three chained products");
            Assert.That(Nests("kernel_3mm").Select(n => n!.Target), Is.EqualTo(new[] { "E[i][j]", "F[i][j]", "G[i][j]" }));
            var gemm = Nests("kernel_gemm").Single();
            Assert.That(gemm, Is.Not.Null, "gemm's i-k-j nest with its start loop");
            Assert.That(gemm!.Counters, Is.EqualTo(new[] { "i", "j", "k" }), "j is the loop that subscripts the columns, k the summed one");
            Assert.That(gemm.AlreadyIkj, Is.True);
            Assert.That(twoMm[0]!.AlreadyIkj, Is.False);
            Assert.That((gemm.Init, gemm.InitOperator), Is.EqualTo(("beta", "*=")));
            Assert.That(Nests("ikj_scaled_in_the_middle").Single()?.Addend, Is.EqualTo("Ag[i][k] * alpha * Bg[k][j]"));
            Assert.That(Nests("ikj_scaled_in_the_middle").Single()!.Init, Is.Null);
            Assert.That(Nests("ikj_float_start").Single()?.Init, Is.EqualTo("beta * Cf[i][j] + 0.5f"));
            Assert.That(Nests("ikj_float_start").Single()!.Accumulate, Is.EqualTo("=+"));
        });
    }

    [TestCase("start_loop_shorter", MatmulRejection.InitLoopDiffers, TestName = "A_gemm_start_loop_over_other_columns_than_the_product_is_not_reordered")]
    [TestCase("start_loop_other_counter", MatmulRejection.InitLoopDiffers, TestName = "A_gemm_start_loop_with_another_counter_is_not_reordered")]
    [TestCase("start_other_array", MatmulRejection.InitShape, TestName = "A_gemm_start_loop_that_sets_another_array_is_not_reordered")]
    [TestCase("ikj_step_two", MatmulRejection.NonCanonicalHeader, TestName = "An_i_k_j_nest_with_a_non_unit_step_is_not_reordered")]
    [TestCase("ikj_reads_target", MatmulRejection.OuterNotParallel, TestName = "An_i_k_j_nest_whose_addend_reads_the_target_is_not_reordered")]
    [TestCase("ikj_aliasing", MatmulRejection.OuterNotParallel, TestName = "An_i_k_j_nest_over_pointers_that_may_alias_without_a_check_is_not_reordered")]
    [TestCase("macro_start_calls", MatmulRejection.InitNotPure, TestName = "A_start_value_behind_a_macro_that_calls_a_function_is_not_reordered")]
    [TestCase("addend_calls", MatmulRejection.AddendNotPure, TestName = "An_addend_that_calls_even_a_pure_function_is_not_reordered")]
    [TestCase("addend_writes_an_operand", MatmulRejection.AddendNotPure, TestName = "An_addend_that_writes_an_operand_matrix_is_not_reordered")]
    [TestCase("addend_reads_target_in_its_row", MatmulRejection.AddendNotPure, TestName = "An_addend_that_reads_the_target_at_another_index_is_not_reordered")]
    [TestCase("addend_reads_target_through_an_alias", MatmulRejection.TargetReadElsewhere, TestName = "An_addend_that_reads_the_target_through_an_alias_is_not_reordered")]
    [TestCase("macro_start_then_step_two", MatmulRejection.NonCanonicalHeader, TestName = "A_macro_start_product_with_a_non_unit_step_is_not_reordered")]
    // The analyzer itself keeps a loop serial above a user's directive (InnerDirective stays as a defensive rule).
    [TestCase("inner_directive", MatmulRejection.OuterNotParallel, TestName = "A_product_with_the_users_directive_on_its_k_loop_is_not_reordered")]
    [TestCase("statement_beside_the_j_loop", MatmulRejection.OuterBodyNotOnlyTheJLoop, TestName = "A_product_with_a_statement_beside_its_j_loop_is_not_reordered")]
    [TestCase("subtracts", MatmulRejection.NotAnAccumulation, TestName = "A_nest_that_subtracts_is_not_reordered")]
    [TestCase("bound_reads_accumulator", MatmulRejection.BoundReadsAccumulator, TestName = "A_product_whose_k_bound_reads_the_accumulator_is_not_reordered")]
    [TestCase("comment_in_addend", MatmulRejection.TextNotCopyable, TestName = "A_product_whose_addend_holds_a_comment_is_not_reordered")]
    [TestCase("pointer_elements", MatmulRejection.TargetType, TestName = "A_product_into_pointer_elements_is_not_reordered")]
    [TestCase("triangular_syrk", MatmulRejection.VariantBound, TestName = "A_triangular_syrk_nest_is_not_reordered")]
    public void Near_misses_of_the_new_forms_keep_their_form_and_name_the_rule_they_miss(string function, MatmulRejection rule)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("near.c", NearMisses));
        var outer = analysis.Loops.First(l => l.Function == function && l.ParentId is null);
        Assert.That((outer.Matmul, outer.MatmulRejection), Is.EqualTo(((MatmulNest?)null, rule)));
        var plans = FilePlanner.AnalyzerPlan(analysis);
        // Another transform may still apply (loop interchange reorders `subtracts` to i-k-j, keeping each element's k order).
        Assert.That(plans.Where(p => analysis.Loops.Single(l => l.Id == p.Id).Function == function).Select(p => p.Proposal.Transform),
            Has.None.EqualTo(MatmulNest.TransformName));
    }

    [Test]
    public void The_generated_family_is_tiled_and_keeps_the_start_statements_and_their_lines()
    {
        var path = Ws.WriteSource("family_text.c", Program);
        var planned = Ws.RewritePlannedLoops(path);
        Assert.That(Applied(planned, MatmulNest.TransformName), Is.EqualTo(8),
            "the analyzer's plan tiles 2mm's two, 3mm's three, and the i-k-j nests (gemm's) too: each has the register block");
        Assert.That(Applied(planned, MatmulNest.TransformName + ", register block 4x4"), Is.EqualTo(8));
        var result = RewriteNamingTheTransform(path);
        var lines = Program.Split('\n');
        int LineOf(string s) => Array.FindIndex(lines, l => l.Contains(s, StringComparison.Ordinal)) + 1;
        var text = result.Text;
        Assert.Multiple(() =>
        {
            Assert.That(Applied(result, MatmulNest.TransformName), Is.EqualTo(8),
                "2mm's two, 3mm's three, gemm, and the two i-k-j nests, when a plan names the transform");
            Assert.That(text, Does.Contain($"#line {LineOf("tmp[i][j] = SCALAR_VAL(0.0);")} \"").And.Contain("tmp[i][j] = SCALAR_VAL(0.0);"));
            Assert.That(text, Does.Contain($"#line {LineOf("tmp[i][j] += alpha * A[i][k] * B[k][j];")} \"").And.Contain("tmp[i][j] += alpha * A[i][k] * B[k][j];"));
            Assert.That(text, Does.Contain("G[i][j] = SCALAR_VAL(0.0);"));
            Assert.That(text, Does.Contain($"#line {LineOf("C[i][j] *= beta;")} \""), "gemm's start loop statement keeps its line");
            Assert.That(text, Does.Contain("paraslm_hi_i = _PB_NI").And.Contain("paraslm_hi_k = _PB_NK"), "bounds behind macros");
            Assert.That(text, Does.Contain("Cf[i][j] = beta * Cf[i][j] + 0.5f;").And.Contain("Cf[i][j] = Cf[i][j] + Af[i][k] * Bf[k][j];"));
            Assert.That(text.Split('\n').Count(l => l.Contains("#pragma omp simd", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(8));
        });
    }

    [TestCase("gcc", "-O1")]
    [TestCase("clang-19", "-O1")]
    [TestCase("gcc", "-O3", "-march=x86-64-v3")]
    [TestCase("clang-19", "-O3", "-march=x86-64-v3")]
    public void The_tiled_family_prints_on_4_threads_exactly_what_the_serial_program_prints(string compiler, params string[] flags) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", $"{compiler}_{flags.Length}_family.c", Program, RewriteNamingTheTransform,
            result => Assert.That(Applied(result, MatmulNest.TransformName), Is.EqualTo(8)), flags);

    /// <summary>The analyzer's plans, with the transform named on every nest the facts prove (as a model's plan may name
    /// it, and the verifier accepts it): the i-k-j nests the analyzer's own plan leaves plain are tiled too.</summary>
    private RewriteResult RewriteNamingTheTransform(string path)
    {
        var analysis = Ws.Analyze(path);
        var edits = FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel).Select(p =>
        {
            var loop = analysis.Loops.Single(l => l.Id == p.Id);
            var proposal = loop.Matmul is null ? p.Proposal : p.Proposal with { Transform = MatmulNest.TransformName, Collapse = 1, Simd = false, Schedule = null };
            if (proposal.Transform is { } named) Assert.That(PlanVerifier.TransformBlocker(loop, named, proposal.Target), Is.Null);
            return LoopEdit.ForProposal(loop, proposal, p.RuntimeCheck);
        }).ToList();
        return SourceRewriter.Rewrite(path, File.ReadAllText(path), edits);
    }
}
