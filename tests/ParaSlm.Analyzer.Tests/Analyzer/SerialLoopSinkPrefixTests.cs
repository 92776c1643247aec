using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A sunk serial loop whose nests' element bodies start with statements that read nothing the loop writes (issue 14,
/// pooling vs Polly): those run once per element (`sink-serial-loop(hoist …)`), in the row form where the plan leaves the
/// innermost element loop serial and its length is a small constant, else in front of the serial loop; the near misses
/// keep the plain sink; the verifier re-proves the claim; outputs bit-identical to serial on 4 threads with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class SerialLoopSinkPrefixTests : GenerationFixture
{
    // A 2-D float nest with two prefix scalars, a 2-D double nest with a max (both: the row form), and a 1-D int nest
    // (its element loop is the parallel loop: the simple form), under one repeat loop.
    private const string Program = """
        #include <stdio.h>
        #define N 96
        #define M 301
        #define ROWS 8
        #define M2 4000
        #define L 20000
        #define REPS 9

        static float in[N][M + 2], out[N][M];
        static double img[ROWS][M2 + 3], acc[ROWS][M2];
        static int bits[4 * L], count[L];

        static void layers(void) {
            for (int rep = 0; rep < REPS; rep++) {
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < M; j++) {
                        float s = 0.0f;
                        for (int k = 0; k < 3; k++)
                            s += in[i][j + k] * (k + 1);
                        const float half = 0.5f * in[i][j];
                        out[i][j] = 0.75f * out[i][j] + s - half;
                    }
                }
                for (int i2 = 0; i2 < ROWS; i2++)
                    for (int j2 = 0; j2 < M2; j2++) {
                        double hi = img[i2][j2];
                        for (int d = 1; d < 4; d++) if (img[i2][j2 + d] > hi) hi = img[i2][j2 + d];
                        acc[i2][j2] = 0.5 * acc[i2][j2] + hi;
                    }
                for (int e = 0; e < L; e++) {
                    int c = 0;
                    for (int b = 0; b < 4; b++) c += bits[4 * e + b] > 2;
                    count[e] = (count[e] * 3 + c + rep) % 10007;
                }
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < M + 2; j++) in[i][j] = ((i * 7 + j * 3) % 17) / 8.0f;
            for (int i = 0; i < ROWS; i++) for (int j = 0; j < M2 + 3; j++) img[i][j] = ((i * 11 + j * 5) % 23) / 7.0;
            for (int e = 0; e < 4 * L; e++) bits[e] = (e * 13) % 5;
            layers();
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) printf("%a\n", out[i][j]);
            for (int i = 0; i < ROWS; i++) for (int j = 0; j < M2; j++) printf("%a\n", acc[i][j]);
            for (int e = 0; e < L; e++) printf("%d\n", count[e]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NearMisses = """
        #define N 512
        double a[N][N], b[N][N], c[N][N];

        static double square(double v) { return v * v; }

        void reads_what_the_loop_writes(void) {
            for (int t = 0; t < 10; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) {
                        double m = a[i][j] + b[i][j];
                        a[i][j] = 0.5 * a[i][j] + m;
                    }
        }

        void calls_a_function_the_analyzer_does_not_know(void) {
            for (int t = 0; t < 10; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) {
                        double m = square(b[i][j]);
                        a[i][j] = 0.5 * a[i][j] + m;
                    }
        }

        void the_rest_writes_the_prefix_scalar(void) {
            for (int t = 0; t < 10; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) {
                        double m = b[i][j];
                        a[i][j] = 0.5 * a[i][j] + m;
                        m = a[i][j] * 2.0;
                        c[i][j] = m;
                    }
        }

        void reads_the_repeat_counter(void) {
            for (int t = 0; t < 10; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) {
                        double m = b[i][j] * t;
                        a[i][j] = 0.5 * a[i][j] + m;
                    }
        }
        """;

    // The inner trip count is a constant over the stack limit (a run-time one never reaches the sink: it refuses nests
    // that need a run-time check): no row buffer, the simple form.
    private const string NoRow = """
        #include <stdio.h>
        #define N 200
        #define WIDE 5000
        static double a[N][WIDE], b[N][WIDE + 1];

        static void run(void) {
            for (int t = 0; t < 6; t++)
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < WIDE; j++) {
                        double m = b[i][j] > b[i][j + 1] ? b[i][j] : b[i][j + 1];
                        a[i][j] = 0.5 * a[i][j] + m;
                    }
        }

        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j <= WIDE; j++) b[i][j] = ((i * 5 + j * 7) % 13) / 3.0;
            run();
            for (int i = 0; i < N; i++) for (int j = 0; j < WIDE; j += 17) printf("%a\n", a[i][j]);
            return 0;
        }

        """;

    [Test]
    public void The_leading_statements_that_read_only_what_the_repeat_loop_never_writes_are_proved_invariant()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var sink = analysis.Loops.First(l => l.SerialSink is not null).SerialSink!;
        Assert.That(sink.Nests, Has.Count.EqualTo(3));
        var (rows, few, flat) = (sink.Nests[0].Prefix, sink.Nests[1].Prefix, sink.Nests[2].Prefix);
        Assert.That(rows, Is.Not.Null, "the float window sum and the const half read only `in`");
        Assert.That(rows!.Scalars.Select(s => (s.Name, s.Type, s.BufferType)), Is.EqualTo(new[] { ("s", "float", "float"), ("half", "const float", "float") }));
        Assert.That(rows.Row, Is.EqualTo(new PrefixRow(rows.Row!.ForOffset, "j", 0, 301)), "M is 301, under the stack limit");
        Assert.That(rows.Line, Is.EqualTo(21), "the rest starts at the update");
        Assert.That(few!.Scalars.Select(s => s.Name), Is.EqualTo(new[] { "hi" }));
        Assert.That(flat!.Scalars.Select(s => (s.Name, s.Type)), Is.EqualTo(new[] { ("c", "int") }), "the int count reads `bits` only (the rest reads `rep`, the prefix does not)");
        Assert.That(flat.ElementLoops, Is.EqualTo(1));
        Assert.That(flat.Row, Is.Null, "its only element loop is the parallel loop");

        var plans = FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel).ToDictionary(p => p.Id);
        Assert.That(sink.Nests.Select(n => plans[n.LoopId].Proposal.Transform),
            Is.EqualTo(new[] { "sink-serial-loop(hoist s, half; row 0..301)", "sink-serial-loop(hoist hi; row 0..4000)", "sink-serial-loop(hoist c)" }));
        Assert.That(plans[sink.Nests[0].LoopId].Reason, Does.Contain("invariant prefix hoisted: `s`, `half`").And.Contain("kept for a row of 301 `j`"));
        Assert.That(plans[sink.Nests[2].LoopId].Reason, Does.Contain("invariant prefix hoisted: `c`").And.Contain("in front of the serial loop"));
        Assert.That(sink.Nests.Select(n => plans[n.LoopId].Proposal.Collapse), Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(sink.Nests.Select((n, k) => n.Prefix!.RowFormWith(plans[n.LoopId].Proposal.Collapse)), Is.EqualTo(new[] { true, true, false }),
            "the 1-D nest's element loop is its parallel loop");
        Assert.That(rows.RowFormWith(2), Is.False, "a plan that collapses j into the parallel loop leaves no serial row");
    }

    [TestCase("reads_what_the_loop_writes", TestName = "A_prefix_that_reads_an_array_the_repeat_loop_writes_is_not_hoisted")]
    [TestCase("calls_a_function_the_analyzer_does_not_know", TestName = "A_prefix_that_calls_a_function_outside_the_pure_list_is_not_hoisted")]
    [TestCase("the_rest_writes_the_prefix_scalar", TestName = "A_prefix_whose_scalar_the_rest_writes_is_not_hoisted")]
    [TestCase("reads_the_repeat_counter", TestName = "A_prefix_that_reads_the_repeat_counter_is_not_hoisted")]
    public void Near_misses_keep_the_plain_sink(string function)
    {
        var path = Ws.WriteSource("near.c", NearMisses);
        var analysis = Ws.Analyze(path);
        var nest = analysis.Loops.Single(l => l.Function == function && l.SerialSink is not null);
        Assert.That(nest.SerialSink!.Nests.Single().Prefix, Is.Null);
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == nest.Id);
        Assert.That(plan.Proposal.Transform, Is.EqualTo(SerialLoopSink.TransformName));

        // A plan that claims the hoist anyway loses it (PSLM2002): the verifier re-proves it from the facts.
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var claim = plan.Proposal with { Transform = "sink-serial-loop(hoist m)" };
        var verdict = PlanVerifier.Verify(nest, claim, byId, insideParallel: false);
        Assert.That(verdict.Code, Is.EqualTo(PlanVerifier.WrongClauses));
        Assert.That(verdict.Plan.Transform, Is.Null, "the claim is dropped");
        Assert.That(verdict.Reason, Does.Contain("read nothing the serial loop writes"));

        // Generated with the plan: the repeat loop in front of the whole element body, as before.
        var edit = LoopEdit.ForSink(nest.SerialSink!, [LoopEdit.ForProposal(nest, plan.Proposal, null, ownRegion: false).Directive], null, [plan.Proposal]);
        var text = SourceRewriter.Rewrite(path, NearMisses, [edit]).Text;
        Assert.That(text, Does.Contain("for (int j = 0; j < N; j++) for (int t = 0; t < 10; t++) {"));
        Assert.That(text, Does.Not.Contain("paraslm_m"));
    }

    [Test]
    public void A_plan_that_names_other_scalars_than_the_proved_prefix_loses_the_transform()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("claim.c", Program));
        var nest = analysis.Loops.First(l => l.SerialSink is not null);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == nest.Id).Proposal;
        Assert.That(PlanVerifier.Verify(nest, plan, byId, insideParallel: false).Kind, Is.EqualTo(VerdictKind.Accepted));
        var verdict = PlanVerifier.Verify(nest, plan with { Transform = "sink-serial-loop(hoist s)" }, byId, insideParallel: false);
        Assert.That(verdict.Code, Is.EqualTo(PlanVerifier.WrongClauses));
        Assert.That(verdict.Reason, Does.Contain("proves `sink-serial-loop(hoist s, half; row 0..301)`"));
    }

    [Test]
    public void A_nest_whose_row_is_longer_than_the_stack_limit_gets_the_prefix_in_front_of_the_repeat_loop()
    {
        var path = Ws.WriteSource("norow.c", NoRow);
        var analysis = Ws.Analyze(path);
        var nest = analysis.Loops.Single(l => l.SerialSink is not null);
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == nest.Id).Proposal;
        Assert.That(plan.Collapse, Is.EqualTo(1), "200 rows: the j loop stays serial, so only the row's length rules the row form out");
        Assert.That(nest.SerialSink!.Nests.Single().Prefix, Is.Not.Null);
        Assert.That(nest.SerialSink.Nests.Single().Prefix!.Row, Is.Null, "5000 > 4096");
        var text = Rewrite(path).Text;
        var prefix = text.IndexOf("double m = b[i][j] > b[i][j + 1] ? b[i][j] : b[i][j + 1];", StringComparison.Ordinal);
        var repeat = text.IndexOf("for (int t = 0; t < 6; t++) { a[i][j] = 0.5 * a[i][j] + m;", StringComparison.Ordinal);
        Assert.That(prefix, Is.GreaterThan(0));
        Assert.That(repeat, Is.GreaterThan(prefix), "the prefix, then the repeat loop around the rest: " + text);
        Assert.That(text, Does.Contain("for (int j = 0; j < WIDE; j++) {"), "the element loop keeps its body, the repeat loop is inside it");
        Assert.That(text, Does.Not.Contain("paraslm_m["));
    }

    private RewriteResult Rewrite(string path)
    {
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var plans = FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel).ToList();
        var sinks = analysis.Loops.Where(l => l.SerialSink is not null).Select(l => l.SerialSink!).Distinct().ToList();
        var grouped = sinks.SelectMany(s => s.Nests).Select(n => n.LoopId).ToHashSet();
        var edits = plans.Where(p => !grouped.Contains(p.Id)).Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck)).ToList();
        foreach (var sink in sinks)
        {
            var proposals = sink.Nests.Select(n => plans.Single(p => p.Id == n.LoopId).Proposal).ToList();
            edits.Add(LoopEdit.ForSink(sink, sink.Nests.Select((n, k) => LoopEdit.ForProposal(byId[n.LoopId], proposals[k], null, ownRegion: false).Directive).ToList(), null, proposals));
        }
        return SourceRewriter.Rewrite(path, File.ReadAllText(path), edits);
    }

    [Test]
    public void The_generated_text_runs_the_prefix_once_per_element_with_line_mapping()
    {
        var result = Rewrite(Ws.WriteSource("text.c", Program));
        var text = result.Text;
        // The row form: a buffer per scalar, the prefix once per j, the repeat loop over the row reading the buffer.
        Assert.That(text, Does.Contain("{ float paraslm_s[301]; float paraslm_half[301]; for (int j = 0; j < M; j++) {"));
        Assert.That(text, Does.Contain("paraslm_s[j] = s; paraslm_half[j] = half; }"));
        Assert.That(text, Does.Contain("for (int rep = 0; rep < REPS; rep++) for (int j = 0; j < M; j++) { float s = paraslm_s[j]; const float half = paraslm_half[j]; out[i][j] = 0.75f * out[i][j] + s - half;"));
        Assert.That(text, Does.Contain("#line 21 \""), "the update keeps its line");
        Assert.That(text, Does.Contain("{ double paraslm_hi[4000]; for (int j2 = 0; j2 < M2; j2++) {"));
        Assert.That(text, Does.Contain("for (int rep = 0; rep < REPS; rep++) for (int j2 = 0; j2 < M2; j2++) { double hi = paraslm_hi[j2]; acc[i2][j2] = 0.5 * acc[i2][j2] + hi;"));
        // The simple form: the 1-D nest.
        Assert.That(text, Does.Contain("for (int rep = 0; rep < REPS; rep++) { count[e] = (count[e] * 3 + c + rep) % 10007;"));
        Assert.That(Applied(result, "invariant prefix hoisted: `s`, `half`, once per element into a row buffer"), Is.EqualTo(1));
        Assert.That(Applied(result, "invariant prefix hoisted: `c`, once per element before the serial loop"), Is.EqualTo(1));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_hoisted_prefixes_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + "_prefix.c", Program, Rewrite,
            result => Assert.That(result.Text, Does.Contain("paraslm_s[j] = s;").And.Contain("for (int rep = 0; rep < REPS; rep++) { count[e]")), "-O2");

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_simple_form_prints_on_4_threads_exactly_what_the_serial_program_prints(string compiler) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + "_norow.c", NoRow, Rewrite,
            result => Assert.That(result.Text, Does.Contain("for (int t = 0; t < 6; t++) { a[i][j] = 0.5 * a[i][j] + m;")), "-O2");
}
