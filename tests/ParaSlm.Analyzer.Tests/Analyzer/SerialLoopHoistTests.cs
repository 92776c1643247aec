using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A serial time-step loop whose nests cannot take it inside runs in one parallel region, its nests work-shared by
/// `omp for` (issue 14 item 2): the proof and where it must not apply, the plan and the verifier, the generated text with
/// `#line`, and outputs equal to serial on 4 threads with gcc and clang, as C and as C++.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class SerialLoopHoistTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #define N 400
        #define M 200000

        static double A[N][N], B[N][N];
        static long v[M], u[M];
        static double x[M], y[M];

        static void stencil(int steps) {
            int t, i, j;
            for (t = 0; t < steps; t++) {
                for (i = 1; i < N - 1; i++)
                    for (j = 1; j < N - 1; j++)
                        B[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][j + 1] + A[i + 1][j] + A[i - 1][j]);
                for (i = 1; i < N - 1; i++)
                    for (j = 1; j < N - 1; j++)
                        A[i][j] = 0.2 * (B[i][j] + B[i][j - 1] + B[i][j + 1] + B[i + 1][j] + B[i - 1][j]);
            }
        }

        static long normalize(int steps) {
            long s = 0, total = 0;
            for (int t = 0; t < steps; t++) {
                s = 0;
                for (int i = 0; i < M; i++)
                    s += v[i] % 1000;
                long m = s % 7 + t;
                for (int i = 0; i < M; i++)
                    u[i] = v[i] + m;
                for (int i = 0; i < M; i++)
                    v[i] = (u[i] * 3 + 1) % 100003;
                total = total + s;
            }
            return total;
        }

        static void damped(int steps) {
            for (int t = 0; t < steps; t++) {
                double w = 0.5 + 0.125 * (t % 3);
                for (int i = 0; i < M; i++)
                    x[i] = w * y[i] + 1.0;
                for (int i = 1; i < M - 1; i++)
                    y[i] = (x[i - 1] + x[i] + x[i + 1]) / 3.0;
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) A[i][j] = ((i * 7 + j * 13) % 23) / 7.0;
            for (int i = 0; i < M; i++) { v[i] = (i * 31) % 977; y[i] = (i % 17) / 3.0; }
            stencil(12);
            long total = normalize(9);
            damped(11);
            double a = 0, b = 0;
            /* carried sums (not reductions): the checksums themselves are summed in the serial order */
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) a = 0.75 * a + A[i][j] * (i + 1) + B[i][j];
            for (int i = 0; i < M; i++) b = 0.75 * b + y[i] * (i % 5) + x[i];
            printf("%a %ld %a %ld\n", a, total, b, v[M / 2]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NotHoisted = """
        #include <stdio.h>
        #define N 512
        double a[N][N], b[N][N];

        void not_parallel(void) {
            for (int t = 0; t < 10; t++) {
                for (int i = 1; i < N; i++)
                    for (int j = 0; j < N; j++) a[i][j] = a[i - 1][j] + b[i][j];
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) b[i][j] = a[i][j] * 0.5;
            }
        }

        void prints(void) {
            for (int t = 0; t < 10; t++) {
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) b[i][j] = a[i][j] + 1.0;
                printf("step %d\n", t);
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) a[i][j] = b[i][j] * 0.5;
            }
        }

        double converge(double tol) {
            double err = 0.0;
            for (int t = 0; t < 100; t++) {
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) b[i][j] = a[i][j] * 0.5;
                err = 0.0;
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) err += b[i][j] - a[i][j];
                if (err < tol) break;
            }
            return err;
        }

        void bound_written(void) {
            int steps = 10;
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) b[i][j] = a[i][j] + 1.0;
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) a[i][j] = b[i][j] * 0.5;
                steps = steps - 1;
            }
        }

        void user_pragma(void) {
            for (int t = 0; t < 10; t++) {
                #pragma omp parallel for
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) b[i][j] = a[i][j] + 1.0;
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) a[i][j] = b[i][j] * 0.5;
            }
        }

        void read_too_early(void) {
            double s = 0.0;
            for (int t = 0; t < 10; t++) {
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) b[i][j] = a[i][j] + s;
                double k = s * 0.5;
                s = k + 1.0;
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) a[i][j] = b[i][j] * k;
            }
        }
        """;

    /// <summary>PolyBench's shape: array parameters (pointers that may overlap), run-time sizes, counters declared at the
    /// top, `#pragma scop` around the time loop; called once with distinct arrays and once with the same array twice.</summary>
    private const string PointerProgram = """
        #include <stdio.h>
        #include <stdlib.h>
        #define N 300

        static void kernel_jacobi_2d(int tsteps, int n, double A[N][N], double B[N][N]) {
            int t, i, j;
        #pragma scop
            for (t = 0; t < tsteps; t++)
            {
                for (i = 1; i < n - 1; i++)
                    for (j = 1; j < n - 1; j++)
                        B[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][1 + j] + A[1 + i][j] + A[i - 1][j]);
                for (i = 1; i < n - 1; i++)
                    for (j = 1; j < n - 1; j++)
                        A[i][j] = 0.2 * (B[i][j] + B[i][j - 1] + B[i][1 + j] + B[1 + i][j] + B[i - 1][j]);
            }
        #pragma endscop
        }

        static void kernel_jacobi_1d(int tsteps, int n, double *A, double *B) {
            int t, i;
            for (t = 0; t < tsteps; t++)
            {
                for (i = 1; i < n - 1; i++)
                    B[i] = 0.33333 * (A[i - 1] + A[i] + A[i + 1]);
                for (i = 1; i < n - 1; i++)
                    A[i] = 0.33333 * (B[i - 1] + B[i] + B[i + 1]);
            }
        }

        static void kernel_rows(int tmax, int n, double A[N][N], double B[N][N], double *fict) {
            int t, i, j;
            for (t = 0; t < tmax; t++)
            {
                for (j = 0; j < n; j++)
                    A[0][j] = fict[t];
                for (i = 1; i < n; i++)
                    for (j = 0; j < n; j++)
                        A[i][j] = A[i][j] - 0.5 * (B[i][j] - B[i - 1][j]);
                for (i = 0; i < n; i++)
                    for (j = 1; j < n; j++)
                        B[i][j] = B[i][j] - 0.7 * (A[i][j] - A[i][j - 1]);
            }
        }

        int main(void) {
            double (*A)[N] = malloc(sizeof(double[N][N])), (*B)[N] = malloc(sizeof(double[N][N]));
            double fict[10];
            for (int i = 0; i < 10; i++) fict[i] = i * 0.25;
            double *a = malloc(sizeof(double) * 100000), *b = malloc(sizeof(double) * 100000);
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { A[i][j] = ((i * 7 + j * 13) % 23) / 7.0; B[i][j] = 0; }
            for (int i = 0; i < 100000; i++) { a[i] = (i % 29) / 3.0; b[i] = 0; }
            kernel_jacobi_2d(15, N, A, B);
            kernel_jacobi_2d(3, N, A, A);
            kernel_jacobi_1d(40, 100000, a, b);
            kernel_jacobi_1d(5, 100000, a, a);
            kernel_rows(10, N, A, B, fict);
            double x = 0;
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) x = 0.75 * x + A[i][j] * (i + 1) + B[i][j];
            for (int i = 0; i < 100000; i++) x = 0.75 * x + a[i] + b[i];
            printf("%a\n", x);
            free(A); free(B); free(a); free(b);
            return 0;
        }

        """;

    [Test]
    public void A_time_loop_over_pointers_runs_in_one_region_only_where_they_do_not_overlap()
    {
        var path = Ws.WriteSource("pointers.c", PointerProgram);
        var result = Rewrite(path);
        var text = result.ReviewText;
        Assert.That(Applied(result, SerialLoopHoist.TransformName), Is.EqualTo(3), text);
        Assert.That(text, Does.Contain("#pragma scop\n    if ("), "the overlap checks are tested once, before the time loop (after PolyBench's region marker)");
        Assert.That(text, Does.Contain("    if ((!PARASLM_COST_GUARD || (n - 2 >= 50000)) && ((A + n <= B + 1 ||"),
            "the region's cost guard comes from its nests' (4 accesses a step in vector lanes: 50,000 / (4 / 4)) and versions the time loop, tested before the overlap checks");
        Assert.That(text, Does.Contain("#pragma omp parallel private(t)\n").And.Not.Contain("#pragma omp parallel private(t) if("),
            "a region too small to share runs the original loop, not every step's `omp for` on a team of one");
        Assert.That(text, Does.Contain("} else {\n    for (t = 0; t < tsteps; t++)"), "the original time loop runs where the arrays overlap");
        Assert.That(text, Does.Contain("#pragma omp for private(j)\n").And.Contain("#pragma omp for\n").And.Not.Contain("lastprivate"),
            "the counters are dead after the time loop (every step assigns them before reading): private, not lastprivate");
        Assert.That(text, Does.Contain("        #pragma omp single\n        for (j = 0; j < n; j++)\n            A[0][j] = fict[t];"),
            "a nest whose overlap check reads the step counter cannot be tested before the time loop: one thread runs it");
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void A_time_loop_over_pointers_prints_on_4_threads_what_the_serial_program_prints(string compiler) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + "_pointers.c", PointerProgram, Rewrite,
            result => Assert.That(Applied(result, SerialLoopHoist.TransformName), Is.EqualTo(3), result.Text), "-O2");

    [Test]
    public void A_time_loop_around_nests_that_read_each_others_arrays_runs_in_one_region()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var nests = analysis.Loops.Where(l => l.SerialHoist is not null).ToList();
        Assert.That(nests.Select(l => l.Line), Is.EqualTo(new[] { 12, 15, 25, 28, 30, 40, 42 }), "every nest of the three time loops");
        Assert.That(nests.All(l => l.SerialSink is null), "the stencil's nests read each other's arrays: sinking does not apply");
        var stencil = nests[0].SerialHoist!;
        Assert.That(stencil, Is.EqualTo(nests[1].SerialHoist));
        Assert.That(stencil.CounterPrivate, Is.EqualTo("t"), "declared outside its loop");
        var normalize = nests[2].SerialHoist!;
        Assert.That(normalize.Parts.Select(p => p.LoopId is null), Is.EqualTo(new[] { true, false, false, false, true }), "`s = 0` and `total = total + s` run in `omp single`");
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => p.Proposal.Transform == SerialLoopHoist.TransformName).Select(p => p.Line), Is.EqualTo(new[] { 12, 15, 25, 28, 30, 40, 42 }));

        var verdict = PlanVerifier.Verify(analysis.Loops.First(l => l.Function == "main" && l.Parallelizable),
            new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = SerialLoopHoist.TransformName },
            analysis.Loops.ToDictionary(l => l.Id), insideParallel: false);
        Assert.That(verdict.Plan.Transform, Is.Null, "a loop without the fact");
        Assert.That(verdict.Code, Is.EqualTo(PlanVerifier.WrongClauses));
    }

    [Test]
    public void A_repeat_loop_that_may_move_inside_its_nests_is_sunk_not_hoisted()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("sinkable.c", """
            #define N 256
            static double x[N][N], y[N][N];
            void smooth(void) {
                for (int r = 0; r < 5; r++) {
                    for (int i = 0; i < N; i++)
                        for (int j = 0; j < N; j++) {
                            y[i][j] = 0.5 * y[i][j] + x[i][j];
                        }
                }
            }
            """));
        var nest = analysis.Loops.Single(l => l.Line == 5);
        Assert.That(nest.SerialSink, Is.Not.Null, "sinking applies (each element is updated on its own)");
        Assert.That(nest.SerialHoist, Is.Null, "so the region is not hoisted");
    }

    [Test]
    public void A_directive_may_follow_a_polyhedral_region_marker_but_not_a_loop_pragma()
    {
        foreach (var (marker, applied) in new[] { ("#pragma scop", true), ("#pragma endscop", true), ("#pragma GCC unroll 4", false) })
        {
            var text = $"void f(double *a, int n) {{\n{marker}\n  for (int i = 0; i < n; i++) a[i] = 0.0;\n}}\n";
            var start = text.IndexOf("for (", StringComparison.Ordinal);
            var edit = new LoopEdit(3, 3, start, text.IndexOf(";\n}", StringComparison.Ordinal), "omp parallel for", null, "f.c:3:3");
            var result = SourceRewriter.Rewrite("/src/f.c", text, [edit]);
            Assert.That(result.Changed, Is.EqualTo(applied), marker);
            if (applied) Assert.That(result.ReviewText, Does.Contain($"{marker}\n  #pragma omp parallel for\n  for ("), marker);
        }
    }

    [TestCase("not_parallel", TestName = "A_time_loop_with_a_nest_that_is_not_parallel_stays_as_it_is")]
    [TestCase("prints", TestName = "A_time_loop_that_prints_between_its_nests_stays_as_it_is")]
    [TestCase("converge", TestName = "A_time_loop_that_breaks_on_a_scalar_updated_across_steps_stays_as_it_is")]
    [TestCase("bound_written", TestName = "A_time_loop_whose_bound_its_body_writes_stays_as_it_is")]
    [TestCase("user_pragma", TestName = "A_time_loop_around_the_users_own_OpenMP_loop_stays_as_it_is")]
    [TestCase("read_too_early", TestName = "A_time_loop_whose_threads_would_read_a_scalar_while_one_of_them_writes_it_stays_as_it_is")]
    public void Time_loops_outside_the_proof_are_not_hoisted(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotHoisted));
        Assert.That(analysis.Loops.Where(l => l.Function == function).Select(l => l.SerialHoist), Is.All.Null);
        var result = Rewrite(analysis.File);
        Assert.That(result.Text, Does.Not.Contain(SerialLoopHoist.TransformName).And.Not.Contain("omp for"));
    }

    /// <summary>The edits as the engine makes them: one per hoisted region, plain ones for the other parallel loops.</summary>
    private RewriteResult Rewrite(string path)
    {
        var analysis = Ws.Analyze(path);
        var plans = FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel).ToList();
        var facts = analysis.Loops.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var (regions, carried) = HoistedRegions.Build(plans, facts, analysis.Loops);
        var edits = plans.Where(p => !carried.Contains(p.Id))
            .Select(p => regions.TryGetValue(p.Id, out var region) ? region : LoopEdit.ForProposal(facts[p.Id], p.Proposal with { Transform = null }, p.RuntimeCheck))
            .ToList();
        return SourceRewriter.Rewrite(path, File.ReadAllText(path), edits);
    }

    [Test]
    public void The_generated_text_opens_the_region_on_the_time_loop_and_work_shares_each_nest_on_its_own_line()
    {
        var result = Rewrite(Ws.WriteSource("text.c", Program));
        var text = result.ReviewText;
        Assert.That(text, Does.Contain("    #pragma omp parallel private(t)\n    for (t = 0; t < steps; t++) {\n        #pragma omp for private(j)\n        for (i = 1; i < N - 1; i++)"));
        Assert.That(text, Does.Contain("        #pragma omp single\n        s = 0;\n        #pragma omp for simd reduction(+:s)\n        for (int i = 0; i < M; i++)"));
        Assert.That(text, Does.Contain("        long m = s % 7 + t;\n        #pragma omp for simd\n"), "a scalar of the step is computed in every thread");
        Assert.That(text, Does.Contain("        #pragma omp single\n        total = total + s;"));
        Assert.That(text, Does.Contain("    #pragma omp parallel\n    for (int t = 0; t < steps; t++) {\n        double w"));
        Assert.That(text[..text.IndexOf("int main", StringComparison.Ordinal)], Does.Not.Contain("nowait").And.Not.Contain("parallel for"), "the time loops' nests fork no region of their own");
        Assert.That(result.Text, Does.Contain("#line 12 \"").And.Contain("#line 15 \"").And.Contain("#line 40 \""));
        Assert.That(Applied(result, SerialLoopHoist.TransformName), Is.EqualTo(3));
    }

    [TestCase("gcc", "c")]
    [TestCase("clang-19", "c")]
    [TestCase("g++", "cpp")]
    [TestCase("clang++-19", "cpp")]
    public void The_hoisted_regions_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string language) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, language == "c" ? "-std=c11" : "-std=c++17", $"{compiler}_hoist.{language}", Program, Rewrite,
            result => Assert.That(Applied(result, SerialLoopHoist.TransformName), Is.EqualTo(3), result.Text), "-O2");
}
