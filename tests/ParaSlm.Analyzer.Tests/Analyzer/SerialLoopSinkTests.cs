using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A serial repeat loop around parallel nests that each update only their own elements moves inside the nests' element
/// loops (issue 14, loop interchange): the proof and where it must not apply, the plan and the verifier, the generated
/// text with `#line`, and outputs bit-identical to serial on 4 threads with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class SerialLoopSinkTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #define C 4
        #define H 161
        #define W 157
        #define REPS 7

        static double x[C][H][W], ymax[C][H / 2][W / 2], yavg[C][H / 2][W / 2];

        static void pooling(void) {
            int r, c, i, j;
            for (r = 0; r < REPS; r++) {
                for (c = 0; c < C; c++) {
                    for (i = 0; i < H / 2; i++) {
                        for (j = 0; j < W / 2; j++) {
                            double m = x[c][2 * i][2 * j];
                            for (int di = 0; di < 2; di++)
                                for (int dj = 0; dj < 2; dj++)
                                    if (x[c][2 * i + di][2 * j + dj] > m) m = x[c][2 * i + di][2 * j + dj];
                            ymax[c][i][j] = 0.5 * ymax[c][i][j] + m + r;
                        }
                    }
                }
                for (int c2 = 0; c2 < C; c2++)
                    for (int i2 = 0; i2 < H / 2; i2++) {
                        for (int j2 = 0; j2 < W / 2; j2++) {
                            double s = 0.0;
                            for (int d = 0; d < 4; d++) s += x[c2][2 * i2 + d / 2][2 * j2 + d % 2];
                            yavg[c2][i2][j2] = 0.75 * yavg[c2][i2][j2] + 0.25 * s;
                        }
                    }
            }
        }

        int main(void) {
            for (int c = 0; c < C; c++) for (int i = 0; i < H; i++) for (int j = 0; j < W; j++) x[c][i][j] = ((c * 7 + i * 13 + j * 5) % 23) / 7.0;
            pooling();
            for (int c = 0; c < C; c++) for (int i = 0; i < H / 2; i++) for (int j = 0; j < W / 2; j++) printf("%a %a\n", ymax[c][i][j], yavg[c][i][j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NotSunk = """
        #define N 64
        double a[N][N], b[N][N], v[N];
        int last;

        void jacobi(void) {
            for (int t = 0; t < 10; t++) {
                for (int i = 1; i < N - 1; i++)
                    for (int j = 1; j < N - 1; j++) b[i][j] = 0.5 * (a[i][j - 1] + a[i][j + 1]);
                for (int i = 1; i < N - 1; i++)
                    for (int j = 1; j < N - 1; j++) a[i][j] = b[i][j];
            }
        }

        void shifted(void) {
            for (int t = 0; t < 10; t++)
                for (int i = 0; i < N - 1; i++)
                    for (int j = 0; j < N; j++) a[i + 1][j] = 0.5 * a[i + 1][j] + b[i][j];
        }

        void bound_reads_counter(void) {
            for (int t = 0; t < 10; t++)
                for (int i = 0; i < N - t; i++)
                    for (int j = 0; j < N; j++) a[i][j] = 0.5 * a[i][j] + 1.0;
        }

        void pointer(double (*p)[N]) {
            for (int t = 0; t < 10; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) p[i][j] = 0.5 * p[i][j] + a[i][j];
        }

        void counter_read_after(void) {
            int t;
            for (t = 0; t < 10; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) a[i][j] = 0.5 * a[i][j] + 1.0;
            last = t;
        }

        void writes_a_vector_from_a_matrix_nest(void) {
            for (int t = 0; t < 10; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) v[i] = a[i][j] + v[i];
        }

        void user_pragma(void) {
            for (int t = 0; t < 10; t++) {
                #pragma omp parallel for
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) a[i][j] = 0.5 * a[i][j] + 1.0;
            }
        }
        """;

    [Test]
    public void A_repeat_loop_around_nests_that_update_their_own_elements_moves_inside_them()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var nests = analysis.Loops.Where(l => l.SerialSink is not null).ToList();
        Assert.That(nests.Select(l => l.Line), Is.EqualTo(new[] { 12, 23 }), "both nests of the repeat loop");
        var sink = nests[0].SerialSink!;
        Assert.That(sink, Is.EqualTo(nests[1].SerialSink));
        Assert.That(sink.Header, Is.EqualTo("for (r = 0; r < REPS; r++)"));
        Assert.That(sink.CounterPrivate, Is.EqualTo("r"), "declared outside its loop");
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => SerialLoopSink.IsSink(p.Proposal.Transform)).Select(p => p.Line), Is.EqualTo(new[] { 12, 23 }));

        var verdict = PlanVerifier.Verify(analysis.Loops.First(l => l.Function == "main" && l.Parallelizable),
            new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = SerialLoopSink.TransformName },
            analysis.Loops.ToDictionary(l => l.Id), insideParallel: false);
        Assert.That(verdict.Plan.Transform, Is.Null, "a loop without the fact");
        Assert.That(verdict.Code, Is.EqualTo(PlanVerifier.WrongClauses));
    }

    [TestCase("jacobi", TestName = "A_time_loop_whose_nests_read_each_others_arrays_stays_outside")]
    [TestCase("shifted", TestName = "A_time_loop_over_a_nest_whose_write_is_not_the_element_of_its_counters_stays_outside")]
    [TestCase("bound_reads_counter", TestName = "A_time_loop_whose_counter_bounds_the_nest_stays_outside")]
    [TestCase("pointer", TestName = "A_time_loop_over_a_pointer_that_may_alias_stays_outside")]
    [TestCase("counter_read_after", TestName = "A_time_loop_whose_counter_is_read_after_it_stays_outside")]
    [TestCase("writes_a_vector_from_a_matrix_nest", TestName = "A_time_loop_over_a_nest_that_is_not_parallel_stays_outside")]
    [TestCase("user_pragma", TestName = "A_time_loop_over_the_users_own_OpenMP_loop_stays_outside")]
    public void Serial_loops_outside_the_proof_stay_where_they_are(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotSunk));
        Assert.That(analysis.Loops.Where(l => l.Function == function).Select(l => l.SerialSink), Is.All.Null);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var edits = plans.Where(p => p.IsParallel).Select(p => LoopEdit.ForProposal(analysis.Loops.Single(l => l.Id == p.Id), p.Proposal, p.RuntimeCheck)).ToList();
        Assert.That(SourceRewriter.Rewrite(analysis.File, NotSunk, edits).Text, Does.Not.Contain(SerialLoopSink.TransformName));
    }

    private RewriteResult Rewrite(string path)
    {
        var analysis = Ws.Analyze(path);
        var plans = FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel).ToList();
        var sink = analysis.Loops.First(l => l.SerialSink is not null).SerialSink!;
        var directives = sink.Nests.Select(n => plans.Single(p => p.Id == n.LoopId)).Select(p => LoopEdit.ForProposal(analysis.Loops.Single(l => l.Id == p.Id), p.Proposal, null, ownRegion: false).Directive).ToList();
        var edits = plans.Where(p => sink.Nests.All(n => n.LoopId != p.Id)).Select(p => LoopEdit.ForProposal(analysis.Loops.Single(l => l.Id == p.Id), p.Proposal, p.RuntimeCheck))
            .Append(LoopEdit.ForSink(sink, directives)).ToList();
        return SourceRewriter.Rewrite(path, File.ReadAllText(path), edits);
    }

    [Test]
    public void The_generated_text_puts_the_repeat_loop_in_front_of_each_element_body_on_its_own_line()
    {
        var result = Rewrite(Ws.WriteSource("text.c", Program));
        var text = result.Text;
        Assert.That(text, Does.Contain("#pragma omp parallel for private(i, j) collapse(2) private(r)"));
        Assert.That(text, Does.Contain("for (j = 0; j < W / 2; j++) for (r = 0; r < REPS; r++) {"), "the repeat loop just inside the element loops, same line");
        Assert.That(text, Does.Contain("for (int j2 = 0; j2 < W / 2; j2++) for (r = 0; r < REPS; r++) {"));
        Assert.That(text, Does.Contain("#line 12 \"").And.Contain("#line 23 \""));
        Assert.That(Applied(result, SerialLoopSink.TransformName), Is.EqualTo(1));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_sunk_nests_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + "_sink.c", Program, Rewrite,
            result => Assert.That(result.Text, Does.Contain(SerialLoopSink.TransformName)), "-O2");
}
