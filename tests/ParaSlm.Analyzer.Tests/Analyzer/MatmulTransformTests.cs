using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Matrix-product nests (issue 14, locality): the analyzer's proof (and where it must not apply), the plan element and
/// the verifier's check of it, the generated tiled i-k-j text with its `#line` mapping, and outputs bit-identical to the
/// serial program on 4 threads with gcc and clang (every element printed in hexadecimal floating point).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class MatmulTransformTests : GenerationFixture
{
    // Sizes that are not multiples of any tile (doubles: 32 x 256 x 64), a sum that starts from 1.5, gemm's
    // `C = beta * C` start, a float nest that accumulates into C itself (`<=` bound), a long nest that starts from the
    // element, and a pointer nest under a run-time aliasing check (called twice, the second time with other bounds).
    private const string Program = """
        #include <stdio.h>
        #define NI 300
        #define NJ 270
        #define NK 290
        #define SCALAR_VAL(x) x
        static double A[NI][NK], B[NK][NJ], C[NI][NJ];
        static float Af[NI][NK], Bf[NK][NJ], Cf[NI][NJ];
        static long Ai[NI][NK], Bi[NK][NJ], Ci[NI][NJ];

        static void scalar_sum(void) {
            for (int i = 0; i < NI; i++) {
                for (int j = 0; j < NJ; j++) {
                    double sum = SCALAR_VAL(1.5);
                    for (int k = 0; k < NK; k++) {
                        sum += A[i][k] * B[k][j];
                    }
                    C[i][j] = sum;
                }
            }
        }

        static void gemm_like(double alpha, double beta) {
            int i, j, k;
            for (i = 0; i < NI; i++)
                for (j = 0; j < NJ; j++) {
                    C[i][j] = beta * C[i][j];
                    for (k = 0; k < NK; ++k)
                        C[i][j] += alpha * A[i][k] * B[k][j];
                }
        }

        static void scaled(double beta) {
            int i, j, k;
            for (i = 0; i < NI; i++)
                for (j = 0; j < NJ; j++) {
                    C[i][j] *= beta;
                    for (k = 0; k < NK; ++k)
                        C[i][j] += A[i][k] * B[k][j];
                }
        }

        static void accumulate_only(void) {
            for (int i = 0; i <= NI - 1; i++)
                for (int j = 0; j < NJ; j++)
                    for (int k = 0; k < NK; k++)
                        Cf[i][j] = Cf[i][j] + Af[i][k] * Bf[k][j];
        }

        static void integers(void) {
            for (int i = 0; i < NI; i++)
                for (int j = 0; j < NJ; j++) {
                    long s = Ci[i][j];
                    for (int k = 0; k < NK; k++) s += Ai[i][k] * Bi[k][j];
                    Ci[i][j] = s;
                }
        }

        static void pointers(int n, int m, int p, double (*c)[NJ], const double (*a)[NK], const double (*b)[NJ]) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++) {
                    double acc = 0.0;
                    for (int k = 0; k < p; k++) acc += a[i][k] * b[k][j];
                    c[i][j] = acc;
                }
        }

        int main(void) {
            for (int i = 0; i < NI; i++) for (int k = 0; k < NK; k++) { A[i][k] = (i * 7 + k * 13) % 101 / 101.0 - 0.3; Af[i][k] = (float)A[i][k]; Ai[i][k] = (i * 7 + k) % 13 - 6; }
            for (int k = 0; k < NK; k++) for (int j = 0; j < NJ; j++) { B[k][j] = (k * 11 + j * 5) % 97 / 97.0 - 0.6; Bf[k][j] = (float)B[k][j]; Bi[k][j] = (k + 3 * j) % 11 - 5; }
            scalar_sum();
            gemm_like(1.25, 0.75);
            scaled(0.5);
            accumulate_only();
            integers();
            static double D[NI][NJ];
            pointers(NI, NJ, NK, D, (const double (*)[NK])A, (const double (*)[NJ])B);
            pointers(NI / 2, NJ, NK / 3, D, (const double (*)[NK])C, (const double (*)[NJ])B);
            unsigned long h = 0;
            for (int i = 0; i < NI; i++) for (int j = 0; j < NJ; j++) {
                printf("%a %a %ld %a\n", C[i][j], (double)Cf[i][j], Ci[i][j], D[i][j]);
            }
            printf("line %d\n", __LINE__);
            return (int)h;
        }
        """;

    private const string NotTransformed = """
        #define N 64
        double A[N][N], B[N][N], C[N][N], *P[N];
        float F[N][N];
        int idx[N];
        double f(double);
        int seen;

        void reads_target(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0.0;
                    for (int k = 0; k < N; k++) s += A[i][k] * C[k][j];
                    C[i][j] = s;
                }
        }

        void rows_of_pointers(double **c) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) c[i][j] += A[i][k] * B[k][j];
        }

        void step_two(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k += 2) C[i][j] += A[i][k] * B[k][j];
        }

        void calls(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) C[i][j] += f(A[i][k]) * B[k][j];
        }

        void early_exit(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) { if (A[i][k] < 0) break; C[i][j] += A[i][k] * B[k][j]; }
        }

        void user_pragma(void) {
            #pragma omp parallel for
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] * B[k][j];
        }

        void inner_pragma(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
        #pragma GCC unroll 4
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] * B[k][j];
        }

        void narrower_accumulator(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    float s = 0.0f;
                    for (int k = 0; k < N; k++) s += A[i][k] * B[k][j];
                    C[i][j] = s;
                }
        }

        void indirect_column(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) C[i][idx[j]] += A[i][k] * B[k][j];
        }

        void triangular(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j <= i; j++)
                    for (int k = 0; k < N; k++) C[i][j] += A[i][k] * B[k][j];
        }

        void counter_read_after(void) {
            int i, j, k;
            for (i = 0; i < N; i++)
                for (j = 0; j < N; j++)
                    for (k = 0; k < N; k++) C[i][j] += A[i][k] * B[k][j];
            seen = j;
        }

        void aliasing(double (*c)[N], double (*a)[N], double (*b)[N], int n) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < n; k++) c[i][j] += a[i][k] * b[(k * k) % N][j];
        }

        void transposed_target(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++) C[j][i] += A[i][k] * B[k][j];
        }
        """;

    [Test]
    public void Matrix_product_nests_are_recognized_in_every_form_the_proof_covers()
    {
        var loops = Ws.Analyze(Ws.WriteSource("forms.c", Program)).Loops;
        MatmulNest? Nest(string function) => loops.First(l => l.Function == function).Matmul;
        Assert.Multiple(() =>
        {
            Assert.That(Nest("scalar_sum"), Is.Not.Null.And.Property(nameof(MatmulNest.Init)).EqualTo("SCALAR_VAL(1.5)"), "a macro call is copied whole");
            Assert.That(Nest("scalar_sum")!.NeedsExactFloatingPoint, Is.True, "a double accumulator sums in the element");
            Assert.That(Nest("gemm_like")?.Init, Is.EqualTo("beta * C[i][j]"), "the start value may read the element itself");
            Assert.That(Nest("scaled")?.InitOperator, Is.EqualTo("*="), "2mm's `D[i][j] *= beta` start");
            Assert.That(Nest("accumulate_only"), Is.Not.Null.And.Property(nameof(MatmulNest.Init)).Null);
            Assert.That(Nest("accumulate_only")!.Highs[0], Is.EqualTo("(NI - 1) + 1"));
            Assert.That(Nest("integers")?.Init, Is.Null, "`s = Ci[i][j]` starts from the element");
            Assert.That(Nest("integers")!.NeedsExactFloatingPoint, Is.False);
            Assert.That(Nest("pointers")?.Addend, Is.EqualTo("a[i][k] * b[k][j]"));
            Assert.That(loops.Where(l => l.Function == "main").Select(l => l.Matmul), Is.All.Null);
        });
    }

    [TestCase("reads_target", MatmulRejection.OuterNotParallel, TestName = "A_nest_whose_addend_reads_the_target_array_is_not_reordered")]
    [TestCase("rows_of_pointers", MatmulRejection.OuterNotParallel, TestName = "A_target_of_row_pointers_is_not_reordered")]
    [TestCase("step_two", MatmulRejection.NonCanonicalHeader, TestName = "A_nest_with_a_non_unit_step_is_not_reordered")]
    [TestCase("calls", MatmulRejection.OuterNotParallel, TestName = "A_nest_that_calls_a_function_is_not_reordered")]
    [TestCase("early_exit", MatmulRejection.BodyShape, TestName = "A_nest_with_an_early_exit_is_not_reordered")]
    [TestCase("user_pragma", MatmulRejection.OuterNotParallel, TestName = "A_nest_under_the_users_OpenMP_directive_is_not_reordered")]
    [TestCase("inner_pragma", MatmulRejection.PreprocessorLine, TestName = "A_nest_with_a_pragma_inside_is_not_reordered")]
    [TestCase("narrower_accumulator", MatmulRejection.AccumulatorType, TestName = "A_nest_whose_accumulator_type_differs_from_the_element_is_not_reordered")]
    [TestCase("indirect_column", MatmulRejection.OuterNotParallel, TestName = "A_nest_with_a_non_affine_target_subscript_is_not_reordered")]
    [TestCase("triangular", MatmulRejection.VariantBound, TestName = "A_triangular_nest_is_not_reordered")]
    [TestCase("counter_read_after", MatmulRejection.ReadAfterTheNest, TestName = "A_nest_whose_counter_is_read_after_it_is_not_reordered")]
    [TestCase("aliasing", MatmulRejection.OuterNotParallel, TestName = "A_nest_over_pointers_that_may_alias_without_a_check_is_not_reordered")]
    [TestCase("transposed_target", MatmulRejection.TargetShape, TestName = "A_nest_whose_target_is_not_indexed_i_then_j_is_not_reordered")]
    public void Nests_outside_the_proof_keep_their_form(string function, MatmulRejection rule)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotTransformed));
        var outer = analysis.Loops.First(l => l.Function == function && l.ParentId is null);
        Assert.That(outer.Matmul, Is.Null);
        Assert.That(outer.MatmulRejection, Is.EqualTo(rule), "the named rule of the theorem the nest misses");
        var plans = FilePlanner.AnalyzerPlan(analysis);
        // (step_two may still be interchanged to i-k-j by direction vectors: every element keeps its ascending k.)
        Assert.That(plans.Where(p => analysis.Loops.Single(l => l.Id == p.Id).Function == function).Select(p => p.Proposal.Transform), Has.None.EqualTo(MatmulNest.TransformName));
        var text = SourceRewriter.Rewrite(analysis.File, NotTransformed, plans.Where(p => p.IsParallel)
            .Select(p => LoopEdit.ForProposal(analysis.Loops.Single(l => l.Id == p.Id), p.Proposal, p.RuntimeCheck)).ToList()).Text;
        Assert.That(text, Does.Not.Contain(MatmulNest.TransformName));
    }

    [Test]
    public void The_plan_names_the_transform_and_the_verifier_drops_it_where_the_facts_do_not_prove_it()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("plan.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var scalar = analysis.Loops.First(l => l.Function == "scalar_sum");
        var plan = plans.Single(p => p.Id == scalar.Id);
        Assert.That(plan.Proposal.Transform, Is.EqualTo(MatmulNest.TransformName));
        Assert.That(plan.Reason, Does.Contain("summed in ascending `k`"));

        // A loop the analyzer did not recognize: the transform is dropped with the verifier's repair code.
        var other = analysis.Loops.First(l => l.Function == "main" && l.Parallelizable);
        var proposal = new PlanProposal(true, ParallelTarget.CpuOpenMP, other.Private, other.LastPrivate, other.Reductions) { Transform = MatmulNest.TransformName };
        var verdict = PlanVerifier.Verify(other, proposal, byId, insideParallel: false);
        Assert.That(verdict.Plan.Transform, Is.Null);
        Assert.That(verdict.Code, Is.EqualTo(PlanVerifier.WrongClauses));
        // A transform ParaSlm does not know, and one on a GPU plan, are dropped too.
        Assert.That(PlanVerifier.Verify(scalar, proposal with { Transform = "fuse-everything" }, byId, false).Plan.Transform, Is.Null);
        Assert.That(PlanVerifier.TransformBlocker(scalar, MatmulNest.TransformName, ParallelTarget.GpuOpenMPOffload), Is.Not.Null);
        Assert.That(PlanVerifier.Verify(scalar, proposal, byId, false).Kind, Is.EqualTo(VerdictKind.Accepted));
    }

    [Test]
    public void The_generated_nest_is_tiled_i_k_j_with_simd_inside_and_keeps_every_line_number()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var lines = Program.Split('\n');
        int LineOf(string s) => Array.FindIndex(lines, l => l.Contains(s, StringComparison.Ordinal)) + 1;
        var text = result.Text;
        Assert.That(text, Does.Contain("#pragma omp parallel for schedule(static)"));
        Assert.That(text, Does.Contain("#pragma omp simd\n"));
        // The accumulation is the user's statement, at its own line; the element starts from the scalar's start value.
        // Its factor that j does not change is read once per (i, k), before the simd loop (MatmulFactorTests).
        Assert.That(text, Does.Match($@"#line {LineOf("sum += A[i][k] * B[k][j];")} ""[^""]*""\n\s*const double paraslm_f = A\[i\]\[k\];\n#line \d+ ""[^""]*""\n\s*#pragma omp simd\n"));
        Assert.That(text, Does.Contain("C[i][j] += paraslm_f * B[k][j];"));
        Assert.That(text, Does.Contain("const double paraslm_f = alpha * A[i][k];"), "gemm_like's scaled element");
        Assert.That(text, Does.Contain($"#line {LineOf("double sum = SCALAR_VAL(1.5);")} \"").And.Contain("C[i][j] = SCALAR_VAL(1.5);"));
        Assert.That(text, Does.Contain("C[i][j] *= beta;"));
        Assert.That(text, Does.Contain("Cf[i][j] = Cf[i][j] + paraslm_f * Bf[k][j];"), "the source's own way of adding");
        Assert.That(text, Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION) {"), "a scalar accumulator needs evaluation in the type itself, and the same contraction");
        Assert.That(text, Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION && (((const double *)(a)"), "the pointer nest runs tiled only under its aliasing check");
        Assert.That(text, Does.Contain("for (int k = 0; k < p; k++) acc += a[i][k] * b[k][j];"), "and the original nest otherwise");
        Assert.That(Applied(result, MatmulNest.TransformName), Is.EqualTo(6));
        Assert.That(result.ReviewText, Does.Not.Contain("#line"));
    }

    [TestCase("gcc", "-O1")]
    [TestCase("clang-19", "-O1")]
    [TestCase("gcc", "-O3", "-march=x86-64-v3")]
    [TestCase("clang-19", "-O3", "-march=x86-64-v3")]
    public void The_tiled_nests_print_on_4_threads_exactly_what_the_serial_nests_print(string compiler, params string[] flags) =>
        // `line N` printed after the nests: `#line` keeps the original numbering through the replaced text.
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", $"{compiler}_{flags.Length}_matmul.c", Program, path => Ws.RewritePlannedLoops(path),
            result => Assert.That(result.Text, Does.Contain(MatmulNest.TransformName)), flags);
}
