using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Loop interchange by direction vectors (issue 14 item 1): a perfect rectangular nest whose innermost loop strides
/// through memory runs with a stride-1 innermost loop where every dependence keeps its direction. The proof and where
/// it must not apply, the plan and the verifier, the generated text with `#line`, and outputs bit-identical to serial on
/// 4 threads with gcc, clang, g++ and clang++.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class LoopInterchangeTests : GenerationFixture
{
    // mvt's two products (the second reads A by columns; a statement between them, on the first nest's line, keeps them from
    // being fused into one pipeline, SiblingFusionTests, so the second is interchanged on its own), atax's transposed product over a pointer (run-time check),
    // a column-order copy whose new outer loop is parallel, a 3-deep nest whose middle loop moves inside, and a
    // matrix product (left to the matmul form). Sizes where the parallel nests pay: each interchanged nest's new innermost
    // loop is stride-1 and branch-free, so its work is priced as lane work (a quarter), and an eighth where its arrays fit in
    // 1 MiB (LoopCost.InterchangedInLanes); at 400 × 311 doubles (2 MiB a pair) every nest stays above 50,000 after that.
    private const string Program = """
        #include <stdio.h>
        #define N 400
        #define M 311
        #define C 3

        static double A[N][N], x1[N], x2[N], y1[N], y2[N];
        static double a[N][M], b[N][M], w[N][M];
        static double s3[C][N][M], t3[C][N][M], u[C][M];
        static double P[N][N], Q[N][N], R[N][N];

        static void mvt(void) {
            int i, j;
            for (i = 0; i < N; i++)
                for (j = 0; j < N; j++)
                    x1[i] = x1[i] + A[i][j] * y1[j]; x2[0] += 0.0;
            for (i = 0; i < N; i++)
                for (j = 0; j < N; j++)
                    x2[i] = x2[i] + A[j][i] * y2[j];
        }

        static void atax_t(int m, int n, double (*T)[N], double *y, const double *t) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    y[j] += T[i][j] * t[i];
                }
            }
        }

        static void column_copy(void) {
            for (int j = 0; j < M; j++)
                for (int i = 0; i < N; i++)
                    b[i][j] = 2.0 * a[i][j] + b[i][j];
        }

        static void three_deep(void) {
            for (int c = 0; c < C; c++)
                for (int j = 0; j < M; j++)
                    for (int i = 0; i < N; i++)
                        t3[c][i][j] = s3[c][i][j] * 0.5 + u[c][j] - t3[c][i][j];
        }

        static void product(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++)
                        R[i][j] += P[i][k] * Q[k][j];
        }

        static void column_walk(void) {
            for (int j = 0; j < M; j++)
                for (int i = 1; i < N; i++)
                    w[i][j] = w[i - 1][j] * 0.5 + a[i][j];
        }

        int main(void) {
            for (int i = 0; i < N; i++) {
                x1[i] = (i % 7) / 3.0; x2[i] = (i % 5) / 7.0; y1[i] = (i % 11) / 13.0; y2[i] = (i % 3) / 17.0;
                for (int j = 0; j < N; j++) { A[i][j] = ((i * 13 + j * 7) % 19) / 23.0; P[i][j] = (i + j) % 5 / 3.0; Q[i][j] = (i * j) % 7 / 9.0; R[i][j] = 0.0; }
                for (int j = 0; j < M; j++) { a[i][j] = ((i * 3 + j) % 29) / 31.0; b[i][j] = (j % 4) / 3.0; }
            }
            for (int c = 0; c < C; c++) for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) { s3[c][i][j] = (c + i * j % 13) / 11.0; t3[c][i][j] = j / 7.0; u[c][j] = c / 3.0; }
            mvt();
            atax_t(N, N, A, y1, x2);
            column_copy();
            three_deep();
            product();
            for (int j = 0; j < M; j++) w[0][j] = j / 5.0;
            column_walk();
            for (int i = 0; i < N; i++) printf("%a %a %a\n", x1[i], x2[i], y1[i]);
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) printf("%a %a %a %a\n", b[i][j], t3[i % C][i][j], R[i][j % N], w[i][j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NotInterchanged = """
        #define N 64
        double a[N][N], b[N][N], x[4 * N], a3[N][N][N], A3[N][N][N];
        double f(double);
        int last;

        void skew(void) {
            for (int i = 1; i < N; i++)
                for (int j = 0; j < N - 1; j++)
                    a[i][j] = a[i - 1][j + 1];
        }

        void direction_forbids(void) {
            for (int i = 0; i < N; i++)
                for (int j = 1; j < N; j++)
                    for (int k = 0; k < N - 1; k++)
                        a3[i][k][j] = a3[i][k + 1][j - 1] + 1.0;
        }

        void triangular(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < i; j++)
                    x[i] = x[i] + a[j][i];
        }

        void call(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    x[i] = x[i] + f(a[j][i]);
        }

        void counter_read_after(void) {
            int i, j;
            for (i = 0; i < N; i++)
                for (j = 0; j < N; j++)
                    x[i] = x[i] + a[j][i];
            last = j;
        }

        void order_of_a_sum_would_change(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    for (int k = 0; k < N; k++)
                        x[4 * i] += A3[i][k][j];
        }

        double scalar_sum(void) {
            double s = 0.0;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    s += a[j][i];
            return s;
        }

        #define EACH(v) for (int v = 0; v < N; v++)
        void macro_headers(void) {
            EACH(i)
                EACH(j)
                    x[i] = x[i] + a[j][i];
        }

        void already_stride_1(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    b[i][j] = 2.0 * a[i][j];
        }
        """;

    [Test]
    public void A_nest_with_a_column_order_inner_loop_is_interchanged_so_the_innermost_loop_is_stride_1()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var byLine = analysis.Loops.Where(l => l.Interchange is not null).ToDictionary(l => l.Line, l => l.Interchange!);
        Assert.That(byLine.Keys, Is.EquivalentTo(new[] { 16, 22, 30, 36, 50 }), "mvt's second product, atax's transposed one, the column copy, the 3-deep nest, the column walk");
        var mvt = byLine[16];
        Assert.That(mvt.Name, Is.EqualTo("interchange(j,i)"));
        Assert.That(mvt.Worksharing, Is.True, "the new outer `j` carries the sum into x2[i]: `i` stays the parallel level");
        Assert.That(mvt.ParallelLevel, Is.EqualTo(0));
        Assert.That(mvt.Private, Is.EqualTo(new[] { "i", "j" }), "every thread runs both headers");
        Assert.That(mvt.Directive, Is.EqualTo("omp parallel private(i, j)"));
        Assert.That(byLine[22].Worksharing, Is.True);
        var copy = byLine[30];
        Assert.That((copy.Name, copy.Worksharing, copy.ParallelLevel), Is.EqualTo(("interchange(i,j)", false, 1)), "the new outer `i` has no dependence: it is the parallel loop");
        Assert.That(copy.Directive, Is.EqualTo("omp parallel for"));
        Assert.That((byLine[36].Name, byLine[36].Worksharing), Is.EqualTo(("interchange(c,i,j)", false)), "`c` stays the parallel outer loop");
        Assert.That(analysis.Loops.Single(l => l.Line == 43).Matmul, Is.Not.Null, "the product keeps the matmul form");
        var walk = byLine[50];
        Assert.That((walk.Name, walk.Worksharing), Is.EqualTo(("interchange(i,j)", true)), "`i` carries the recurrence: `j` stays the parallel level, each thread owning its columns");
        Assert.That(walk.Vectors.Single(), Does.Contain("(=, "));

        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => p.Proposal.Transform?.StartsWith(InterchangeNest.TransformName, StringComparison.Ordinal) == true).Select(p => p.Line),
            Is.EquivalentTo(new[] { 16, 22, 30, 36, 50 }));
        Assert.That(plans.Single(p => p.Line == 16).Reason, Does.Contain("interchange(j,i): ").And.Contain("(=, *)"), "the report shows the direction vectors");
    }

    [TestCase("skew", TestName = "A_nest_with_a_less_greater_dependence_stays_untouched")]
    [TestCase("direction_forbids", TestName = "A_nest_whose_direction_vectors_forbid_the_profitable_order_stays_untouched")]
    [TestCase("triangular", TestName = "A_nest_with_non_rectangular_bounds_stays_untouched")]
    [TestCase("call", TestName = "A_nest_with_a_call_stays_untouched")]
    [TestCase("counter_read_after", TestName = "A_nest_whose_counter_is_read_after_it_stays_untouched")]
    [TestCase("order_of_a_sum_would_change", TestName = "A_nest_whose_interchange_would_reorder_a_sum_into_an_element_stays_untouched")]
    [TestCase("scalar_sum", TestName = "A_nest_that_reduces_into_a_scalar_stays_untouched")]
    [TestCase("macro_headers", TestName = "A_nest_whose_headers_come_from_a_macro_stays_untouched")]
    [TestCase("already_stride_1", TestName = "A_nest_whose_innermost_loop_is_already_stride_1_stays_untouched")]
    public void Nests_outside_the_proof_are_not_interchanged(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotInterchanged));
        Assert.That(analysis.Loops.Where(l => l.Function == function).Select(l => l.Interchange), Is.All.Null);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => analysis.Loops.Single(l => l.Id == p.Id).Function == function).Select(p => p.Proposal.Transform), Is.All.Null);
        var edits = plans.Where(p => p.IsParallel).Select(p => LoopEdit.ForProposal(analysis.Loops.Single(l => l.Id == p.Id), p.Proposal, p.RuntimeCheck)).ToList();
        Assert.That(SourceRewriter.Rewrite(analysis.File, NotInterchanged, edits).Text, Does.Not.Contain("omp for schedule(static) nowait"));
    }

    [Test]
    public void The_verifier_keeps_only_the_order_the_direction_vectors_prove()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var mvt = analysis.Loops.Single(l => l.Line == 16);
        PlanProposal Naming(string transform) => new(true, ParallelTarget.CpuOpenMP, mvt.Private, [], []) { Transform = transform };

        Assert.That(PlanVerifier.Verify(mvt, Naming("interchange(j,i)"), byId, insideParallel: false).Plan.Transform, Is.EqualTo("interchange(j,i)"));
        var wrongOrder = PlanVerifier.Verify(mvt, Naming("interchange(i,j)"), byId, insideParallel: false);
        Assert.That((wrongOrder.Plan.Transform, wrongOrder.Code), Is.EqualTo(((string?)null, PlanVerifier.WrongClauses)));
        Assert.That(wrongOrder.Reason, Does.Contain("prove `interchange(j,i)`"));
        var first = analysis.Loops.Single(l => l.Line == 13);
        var noFact = PlanVerifier.Verify(first, Naming("interchange(j,i)") with { Private = first.Private }, byId, insideParallel: false);
        Assert.That((noFact.Plan.Transform, noFact.Code), Is.EqualTo(((string?)null, PlanVerifier.WrongClauses)), "the first product is already stride-1");
        var onGpu = PlanVerifier.Verify(mvt, Naming("interchange(j,i)") with { Target = ParallelTarget.GpuOpenMPOffload }, byId, insideParallel: false);
        Assert.That(onGpu.Plan.Transform, Is.Null);
    }

    [Test]
    public void A_permutation_is_legal_only_when_every_direction_vector_keeps_its_sign()
    {
        IReadOnlyList<char>[] accumulate = [['=', '<']];
        Assert.That(DirectionVectors.Preserves(accumulate, [1, 0]), Is.True, "(=, <) becomes (<, =)");
        IReadOnlyList<char>[] skewed = [['<', '>']];
        Assert.That(DirectionVectors.Preserves(skewed, [1, 0]), Is.False, "(<, >) would become (>, <)");
        IReadOnlyList<char>[] unknown = [['=', '*', '*']];
        Assert.That(DirectionVectors.Preserves(unknown, [0, 2, 1]), Is.False, "(=, <, >) is one of the vectors `*` stands for");
        Assert.That(DirectionVectors.Preserves(unknown, [1, 0, 2]), Is.True, "the equal level may move anywhere");
        Assert.That(DirectionVectors.Of(2, k => new(k == 0 ? DependenceKind.LoopIndependent : DependenceKind.Carried, null)).Select(v => new string(v)),
            Is.EqualTo(new[] { "=*", "==" }));
        Assert.That(DirectionVectors.Of(2, _ => new(DependenceKind.Carried, 1)).Select(v => new string(v)), Is.EqualTo(new[] { "<*" }), "a constant distance excludes `=`");
        Assert.That(DirectionVectors.Of(3, k => new(k == 1 ? DependenceKind.Independent : DependenceKind.LoopIndependent, null)), Is.Empty);
    }

    private RewriteResult Rewrite(string path) => Ws.RewritePlannedLoops(path);

    [Test]
    public void The_generated_text_swaps_the_headers_in_place_and_keeps_every_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Rewrite(path);
        var text = result.Text;
        Assert.That(text, Does.Contain("#pragma omp parallel private(i, j)\n#line 16 \"").And.Contain("    for (j = 0; j < N; j++)\n"));
        Assert.That(text, Does.Contain("#pragma omp for schedule(static) nowait\n#line 17 \""));
        Assert.That(text, Does.Contain("        for (i = 0; i < N; i++)\n            x2[i] = x2[i] + A[j][i] * y2[j];"), "the body keeps its line (18)");
        Assert.That(text, Does.Contain("#pragma omp parallel for\n#line 30 \"").And.Contain("for (int i = 0; i < N; i++)\n        for (int j = 0; j < M; j++)\n            b[i][j] ="));
        Assert.That(text, Does.Contain("for (int c = 0; c < C; c++)\n        for (int i = 0; i < N; i++)\n            for (int j = 0; j < M; j++)\n                t3[c][i][j]"));
        Assert.That(Applied(result, "(interchange("), Is.EqualTo(5));
        // atax's pointers may overlap: the interchanged nest runs under the outer loop's check, the original one otherwise.
        Assert.That(text, Does.Contain("    for (int i = 0; i < m; i++) {\n        #pragma omp for schedule(static) nowait\n#line 23 \""));
        Assert.That(text, Does.Contain("        for (int j = 0; j < n; j++) {\n            y[j] += T[i][j] * t[i];"));
        Assert.That(text, Does.Contain("} else {\n#line 22 \"").And.Contain("    for (int j = 0; j < n; j++) {\n        for (int i = 0; i < m; i++) {\n"));
        // What the compiler believes each body line is: its line in the user's file.
        Assert.That(GenerationWorkspace.PresumedLine(text, "x2[i] = x2[i] + A[j][i] * y2[j];"), Is.EqualTo(18));
        Assert.That(GenerationWorkspace.PresumedLine(text, "b[i][j] = 2.0 * a[i][j] + b[i][j];"), Is.EqualTo(32));
        Assert.That(GenerationWorkspace.PresumedLine(text, "t3[c][i][j] = s3[c][i][j] * 0.5"), Is.EqualTo(39));
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(71));
        Assert.That(GenerationWorkspace.PresumedLine(text, "w[i][j] = w[i - 1][j] * 0.5 + a[i][j];"), Is.EqualTo(52));
    }


    [TestCase("gcc", "-std=c11", ".c")]
    [TestCase("clang-19", "-std=c11", ".c")]
    [TestCase("g++", "-std=c++17", ".cpp")]
    [TestCase("clang++-19", "-std=c++17", ".cpp")]
    public void The_interchanged_nests_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string std, string extension) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, std, compiler.Replace("+", "p") + "_interchange" + extension, Program, Rewrite,
            result => Assert.That(Applied(result, "(interchange("), Is.EqualTo(5), result.Text), "-O2");
}
