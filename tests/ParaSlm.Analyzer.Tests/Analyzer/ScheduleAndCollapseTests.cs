using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The right way to share a parallel loop (issue 14): `schedule(dynamic, 1)` for triangular nests, `schedule(guided)`
/// for irregular ones (CSR rows), `collapse(n)` over a perfect rectangular nest when the outer loop has too few
/// iterations. From the facts, through the planner and the verifier, to the generated text and a 4-thread run.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ScheduleAndCollapseTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>

        enum { N = 1500, CH = 3, LEN = 200000 };
        static long tri[N];
        static long y[CH][LEN];
        static long z[CH][LEN];

        /* Triangular: row i sums i elements. */
        static void lower(const long *a) {
            for (int i = 0; i < N; i++) {
                long s = 0;
                for (int j = 0; j <= i; j++)
                    s += a[i * N + j];
                tri[i] = s;
            }
        }

        /* Irregular: CSR rows whose bounds are read at the counter. */
        static void spmv(int rows, const int *restrict ptr, const int *restrict col, const long *restrict v,
                         const long *restrict x, long *restrict out) {
            for (int r = 0; r < rows; r++) {
                long s = 0;
                for (int k = ptr[r]; k < ptr[r + 1]; k++)
                    s += v[k] * x[col[k]];
                out[r] = s;
            }
        }

        /* Three channels: too few to share, so the channel and position loops are collapsed. */
        static void channels(void) {
            for (int c = 0; c < CH; c++)
                for (int i = 0; i < LEN; i++)
                    y[c][i] = z[c][i] * 3 + c;
        }

        /* Not collapsible: each channel is a running sum (the inner loop carries a dependence). */
        static void running(void) {
            for (int c = 0; c < CH; c++)
                for (int i = 1; i < LEN; i++)
                    z[c][i] = z[c][i - 1] + y[c][i];
        }

        /* Triangular but not parallel: row i reads rows before it. */
        static void solve(long *a) {
            for (int i = 1; i < N; i++)
                for (int j = 0; j < i; j++)
                    a[i * N + j] += a[(i - 1) * N + j] % 7;
        }

        int main(void) {
            long *a = malloc(sizeof *a * N * N);
            int rows = 100000;
            int *ptr = malloc(sizeof *ptr * (rows + 1));
            int *col = malloc(sizeof *col * rows * 8);
            long *v = malloc(sizeof *v * rows * 8);
            long *x = malloc(sizeof *x * rows);
            long *out = malloc(sizeof *out * rows);
            if (!a || !ptr || !col || !v || !x || !out) return 1;
            for (int i = 0; i < N * N; i++) a[i] = i % 11;
            ptr[0] = 0;
            for (int r = 0; r < rows; r++) ptr[r + 1] = ptr[r] + r % 8;
            for (int k = 0; k < rows * 8; k++) { col[k] = (int)((k * 7919LL) % rows); v[k] = k % 5; }
            for (int r = 0; r < rows; r++) x[r] = r % 3;
            for (int c = 0; c < CH; c++)
                for (int i = 0; i < LEN; i++) z[c][i] = i % 9;
            lower(a);
            spmv(rows, ptr, col, v, x, out);
            channels();
            running();
            solve(a);
            long s = 0;
            for (int i = 0; i < N; i++) s += tri[i] * (i + 1);
            for (int r = 0; r < rows; r++) s += out[r] * (r % 13);
            for (int c = 0; c < CH; c++)
                for (int i = 0; i < LEN; i += 97) s += z[c][i] + y[c][i];
            for (int i = 0; i < N * N; i += 31) s += a[i];
            printf("%ld\n", s);
            return 0;
        }

        """;

    private (FileAnalysis Analysis, IReadOnlyList<LoopPlan> Plans) Plan(string name)
    {
        var analysis = Ws.Analyze(Ws.WriteSource(name, Program));
        return (analysis, FilePlanner.AnalyzerPlan(analysis));
    }

    private static LoopPlan Outer(FileAnalysis analysis, IReadOnlyList<LoopPlan> plans, string function) =>
        plans.First(p => analysis.Loops.Single(l => l.Id == p.Id).Function == function);

    [Test]
    public void The_facts_name_the_shape_of_the_work_per_iteration()
    {
        var loops = Ws.Analyze(Ws.WriteSource("facts.c", Program)).Loops;
        Assert.That(loops.First(l => l.Function == "lower").InnerBounds, Is.EqualTo("triangular"));
        Assert.That(loops.First(l => l.Function == "spmv").InnerBounds, Is.EqualTo("irregular"));
        Assert.That(loops.First(l => l.Function == "channels").InnerBounds, Is.EqualTo("rectangular"));
        Assert.That(loops.First(l => l.Function == "channels").CollapsibleDepth, Is.EqualTo(2));
    }

    [Test]
    public void Triangular_and_irregular_nests_get_a_balancing_schedule_and_a_small_channel_loop_is_collapsed()
    {
        var (analysis, plans) = Plan("plans.c");
        var lower = Outer(analysis, plans, "lower");
        // 1,500 rows of 750 accesses on average: chunks of 4 rows carry the 2,000 a draw of the shared counter needs.
        Assert.That(lower.Clauses, Is.EqualTo("schedule(dynamic, 4)"), lower.Reason);
        Assert.That(lower.Reason, Does.Contain("triangular"));
        var spmv = Outer(analysis, plans, "spmv");
        Assert.That(spmv.Clauses, Is.EqualTo("schedule(guided)"), spmv.Reason);
        var channels = Outer(analysis, plans, "channels");
        Assert.That(channels.IsParallel, Is.True, "3 iterations alone would not pay; collapsed they are 600,000: " + channels.Reason);
        Assert.That(channels.Clauses, Is.EqualTo("collapse(2)"), channels.Reason);
        Assert.That(channels.Verdict, Is.EqualTo(ParaSlm.Analyzer.Verification.VerdictKind.Accepted), "the verifier accepts the collapse");
    }

    [Test]
    public void A_nest_whose_inner_loop_carries_a_dependence_is_not_collapsed_and_an_unsafe_triangle_stays_serial()
    {
        var (analysis, plans) = Plan("illegal.c");
        var running = plans.Where(p => analysis.Loops.Single(l => l.Id == p.Id).Function == "running").ToList();
        Assert.That(running.Any(p => p.IsParallel), Is.False, "3 channels alone do not pay, and the inner loop cannot be collapsed: " +
                                                             string.Join("; ", running.Select(p => p.Reason)));
        var solve = plans.Where(p => analysis.Loops.Single(l => l.Id == p.Id).Function == "solve").ToList();
        Assert.That(solve[0].IsParallel, Is.False, solve[0].Reason);
        Assert.That(solve.All(p => p.Clauses.Length == 0 || !p.Clauses.Contains("schedule", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void The_verifier_drops_a_collapse_over_a_nest_whose_inner_loop_is_not_parallel()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var running = analysis.Loops.First(l => l.Function == "running");
        var proposal = new ParaSlm.Analyzer.Verification.PlanProposal(true, ParaSlm.Analyzer.Verification.ParallelTarget.CpuOpenMP, [], [], [], Collapse: 2);
        var verdict = ParaSlm.Analyzer.Verification.PlanVerifier.Verify(running, proposal, byId, insideParallel: false);
        Assert.That(verdict.Plan.Collapse, Is.EqualTo(1));
        Assert.That(verdict.Code, Is.EqualTo("PSLM2003"));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_planned_program_prints_on_4_threads_what_it_prints_serially_and_the_pragmas_keep_the_lines(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_run.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        string Line(string text) => (Program.Split('\n').Select((l, k) => (l, k)).First(x => x.l.Contains(text, StringComparison.Ordinal)).k + 1).ToString();
        Assert.That(result.Text, Does.Contain($"#pragma omp parallel for schedule(dynamic, 4) firstprivate(a)\n#line {Line("for (int i = 0; i < N; i++) {")} \""));
        Assert.That(result.Text, Does.Contain($"#pragma omp parallel for collapse(2)\n#line {Line("for (int c = 0; c < CH; c++)")} \""), "the first channel loop is `channels`");
        Assert.That(result.Text, Does.Contain("schedule(guided)"));

        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result);
    }
}
