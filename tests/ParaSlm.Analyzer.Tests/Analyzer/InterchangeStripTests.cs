using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The strip form of loop interchange inside a serial loop (issue 14): where the parallel level must stay inside the new
/// order, the nest runs as `omp parallel for` over strips of the parallel level, each strip running the nest in the new
/// order with the strip's counter innermost; strips start at multiples of a cache line's worth of the written elements
/// (16 floats here). Nests outside the proof, and nests whose new outer loop is itself parallel (not built inside a serial
/// loop), stay as they are; outputs are bit-identical to serial on 4 threads with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class InterchangeStripTests : GenerationFixture
{
    // Column sweeps of floats repeated by a serial `t` loop: `i` carries the recurrence down each column, so `j` is the
    // parallel level and stays inside the interchanged order (`i` outside, `j` stride-1); an inclusive bound from a parameter.
    private const string Program = """
        #include <stdio.h>
        #define N 157
        #define M 700
        #define T 3

        static float w[N][M], a[N][M];

        static void sweeps(int lo, int hi) {
            for (int t = 0; t < T; t++)
                for (int j = lo; j <= hi; j++)
                    for (int i = 1; i < N; i++)
                        w[i][j] = w[i - 1][j] * 0.5f + a[i][j] * (float)(t + 1);
        }

        int main(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < M; j++) { a[i][j] = ((i * 3 + j) % 29) / 31.0f; w[i][j] = (j % 4) / 3.0f; }
            sweeps(3, 650);
            sweeps(640, 650);
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) printf("%a\n", w[i][j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NotStripped = """
        #define N 64
        double a[N][N], b[N][N], x[N];
        double f(double);
        int last;

        void triangular_in_serial(void) {
            for (int t = 0; t < 4; t++)
                for (int j = 0; j < N; j++)
                    for (int i = 1; i < j; i++)
                        b[i][j] = b[i - 1][j] * 0.5 + a[i][j];
        }

        void call_in_serial(void) {
            for (int t = 0; t < 4; t++)
                for (int j = 0; j < N; j++)
                    for (int i = 1; i < N; i++)
                        b[i][j] = f(b[i - 1][j]) + a[i][j];
        }

        void counter_read_after_in_serial(void) {
            int i, j;
            for (int t = 0; t < 4; t++) {
                for (j = 0; j < N; j++)
                    for (i = 1; i < N; i++)
                        b[i][j] = b[i - 1][j] * 0.5 + a[i][j];
                last += i;
            }
        }

        void new_outer_parallel_in_serial(void) {
            for (int t = 0; t < 4; t++)
                for (int j = 0; j < N; j++)
                    for (int i = 0; i < N; i++)
                        b[i][j] = 2.0 * a[i][j] + b[i][j];
        }
        """;

    private static int LineOf(string source, string text) =>
        source.Split('\n').ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Test]
    public void A_column_sweep_inside_a_serial_loop_runs_in_strips_aligned_to_a_line_of_floats()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var nest = analysis.Loops.Single(l => l.Line == LineOf(Program, "for (int j = lo; j <= hi; j++)"));
        var swap = nest.Interchange;
        Assert.That(swap, Is.Not.Null);
        Assert.That((swap!.Name, swap.Worksharing, swap.ParallelLevel), Is.EqualTo(("interchange(i,j; strips 512)", false, 0)));
        Assert.That((swap.Strips!.Width, swap.Strips.Align, swap.Strips.Low, swap.Strips.High), Is.EqualTo((512, 16, "lo", "(hi) + 1")), "2 KiB and 64 bytes of floats");
        Assert.That(swap.Directive, Is.EqualTo("omp parallel for"), "both counters are declared in their headers");
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == nest.Id);
        Assert.That(plan.Proposal.Transform, Is.EqualTo("interchange(i,j; strips 512)"));
        Assert.That(plan.Reason, Does.Contain("strips of 512 (starting at multiples of 16)"));
    }

    [TestCase("triangular_in_serial", TestName = "A_triangular_nest_inside_a_serial_loop_is_not_interchanged")]
    [TestCase("call_in_serial", TestName = "A_nest_with_a_call_inside_a_serial_loop_is_not_interchanged")]
    [TestCase("counter_read_after_in_serial", TestName = "A_nest_whose_counter_is_read_after_it_inside_a_serial_loop_is_not_interchanged")]
    [TestCase("new_outer_parallel_in_serial", TestName = "A_nest_whose_new_outer_loop_is_parallel_inside_a_serial_loop_keeps_its_order")]
    public void Nests_inside_a_serial_loop_outside_the_strip_proof_keep_their_order(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotStripped));
        var loops = analysis.Loops.Where(l => l.Function == function).ToList();
        Assert.That(loops, Is.Not.Empty);
        Assert.That(loops.Select(l => l.Interchange), Is.All.Null);
        var plans = FilePlanner.AnalyzerPlan(analysis).Where(p => loops.Any(l => l.Id == p.Id)).ToList();
        Assert.That(plans.Select(p => p.Proposal.Transform), Is.All.Null);
        var path = Ws.WriteSource(function + ".c", NotStripped);
        Assert.That(Ws.RewritePlannedLoops(path).Text, Does.Not.Contain("paraslm_sa_"));
    }

    [Test]
    public void The_generated_text_opens_the_strip_loop_before_the_nest_and_keeps_every_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        Assert.That(Applied(result, "(interchange(i,j; strips 512))"), Is.EqualTo(1), text);
        var at = LineOf(Program, "for (int j = lo; j <= hi; j++)");
        Assert.That(text, Does.Contain($"#pragma omp parallel for\n#line {at} \""));
        Assert.That(text, Does.Contain("for (long long paraslm_sa_j = ((lo) & ~15LL); paraslm_sa_j < ((hi) + 1); paraslm_sa_j += 512) { " +
                                       "const long long paraslm_s0_j = paraslm_sa_j > (lo) ? paraslm_sa_j : (lo); " +
                                       "const long long paraslm_s1_j = paraslm_sa_j + 512 < ((hi) + 1) ? paraslm_sa_j + 512 : ((hi) + 1); /* ParaSlm interchange(i,j; strips 512) */\n"));
        Assert.That(text, Does.Contain("        for (int i = 1; i < N; i++)\n            for (int j = (int)paraslm_s0_j; j < (int)paraslm_s1_j; j++)\n" +
                                       "                w[i][j] = w[i - 1][j] * 0.5f + a[i][j] * (float)(t + 1); }"));
        Assert.That(GenerationWorkspace.PresumedLine(text, "for (int i = 1; i < N; i++)"), Is.EqualTo(at));
        Assert.That(GenerationWorkspace.PresumedLine(text, "w[i][j] = w[i - 1][j] * 0.5f"), Is.EqualTo(at + 2));
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(LineOf(Program, "printf(\"line %d")));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_strip_interchanged_sweeps_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + "_strips.c", Program, path => Ws.RewritePlannedLoops(path),
            result => Assert.That(Applied(result, "(interchange(i,j; strips 512))"), Is.EqualTo(1), result.Text), "-O2");

    // A column sum of doubles: `x[i]` sums along `j` (a loop-carried chain) as written, and independent updates across `i`
    // once interchanged; under a serial `t` loop (the strip form) and at the top level (the worksharing form). 1,201 columns:
    // at least two strips of 256 doubles (narrower strips would be cut below that), and 11 MiB of arrays, so the lane pricing
    // of an interchanged nest (a quarter of its accesses, an eighth within 1 MiB) keeps both nests parallel.
    private const string ColumnSums = """
        #include <stdio.h>
        #define N 1201
        static double A[N][N], x[N], y[N];

        static void in_serial(int reps) {
            for (int t = 0; t < reps; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++)
                        x[i] = x[i] - A[j][i] * y[j];
        }

        static void top_level(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    x[i] = x[i] + A[j][i] * y[j];
        }

        int main(void) {
            for (int i = 0; i < N; i++) {
                y[i] = 1.0 / (i + 3);
                x[i] = (i % 5) / 7.0;
                for (int j = 0; j < N; j++) A[i][j] = ((i * 7 + j * 3) % 31) / 29.0 + 1.0 / (j + 1);
            }
            in_serial(3);
            top_level();
            for (int i = 0; i < N; i++) printf("%a\n", x[i]);
            return 0;
        }

        """;

    [TestCase("-march=znver3", TestName = "Under_gcc_tuned_for_zen_in_a_gnu_mode_interchanged_column_sums_run_as_written_and_print_what_the_serial_program_prints")]
    [TestCase("-march=x86-64-v3", TestName = "Under_gcc_with_fma_in_a_gnu_mode_interchanged_column_sums_run_as_written_and_print_what_the_serial_program_prints")]
    public void Interchanged_floating_point_chains_run_as_written_where_gcc_may_contract_per_code_shape(string march) =>
        // gcc tuned for Zen forms FMAs in independent updates but not in a loop-carried chain, so the interchanged order
        // rounds differently; in a GNU mode with FMA, PARASLM_SAME_CONTRACTION is 0 and the nest runs as written.
        AssertRewrittenRunPrintsWhatSerialPrints("gcc", "-std=gnu11", "gcc_fma_sums" + march.Replace('=', '_').Replace('-', '_') + ".c", ColumnSums,
            path => Ws.RewritePlannedLoops(path),
            result =>
            {
                Assert.That(Applied(result, "(interchange(j,i; strips 256))"), Is.EqualTo(1), result.Text);
                Assert.That(Applied(result, "(interchange(j,i))"), Is.EqualTo(1), result.Text);
                Assert.That(result.Text, Does.Contain("PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION").And.Contain("#define PARASLM_SAME_CONTRACTION 0"));
            },
            "-O3", march);
}
