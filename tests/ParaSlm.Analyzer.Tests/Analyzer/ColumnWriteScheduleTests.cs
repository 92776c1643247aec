using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A triangular nest that writes a column (TSVC s1232: `aa[i][j]` in a parallel `j` loop) shares its iterations a cache
/// line's worth at a time, `schedule(dynamic, 64 / element size)`, so neighbouring threads do not write the same lines; one
/// that writes rows keeps `schedule(dynamic, 1)`. From the access facts (element size, how far the last subscript moves
/// per iteration), through the planner and the verifier, to the generated text and a 4-thread run.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ColumnWriteScheduleTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>

        enum { LEN_2D = 256, M = 300, N = 40 };
        static float aa[LEN_2D][LEN_2D], bb[LEN_2D][LEN_2D], cc[LEN_2D][LEN_2D];
        static double da[LEN_2D][LEN_2D], db[LEN_2D][LEN_2D], dc[LEN_2D][LEN_2D];
        static float ra[LEN_2D][LEN_2D];
        static double cov[M][M], data[N][M];

        /* TSVC s1232: each j writes column j below the diagonal. */
        static void s1232(void) {
            for (int j = 0; j < LEN_2D; j++)
                for (int i = j; i < LEN_2D; i++)
                    aa[i][j] = bb[i][j] + cc[i][j];
        }

        /* The same shape over doubles. */
        static void s1232d(void) {
            for (int j = 0; j < LEN_2D; j++)
                for (int i = j; i < LEN_2D; i++)
                    da[i][j] = db[i][j] + dc[i][j];
        }

        /* Each j writes row j from the diagonal on. */
        static void rows(void) {
            for (int j = 0; j < LEN_2D; j++)
                for (int i = j; i < LEN_2D; i++)
                    ra[j][i] = bb[i][j] * 2.0f + cc[j][i];
        }

        /* PolyBench covariance: row i of the upper triangle, mirrored into column i. */
        static void covariance(double float_n) {
            for (int i = 0; i < M; i++)
                for (int j = i; j < M; j++) {
                    cov[i][j] = 0.0;
                    for (int k = 0; k < N; k++)
                        cov[i][j] += data[k][i] * data[k][j];
                    cov[i][j] /= (float_n - 1.0);
                    cov[j][i] = cov[i][j];
                }
        }

        int main(void) {
            for (int i = 0; i < LEN_2D; i++)
                for (int j = 0; j < LEN_2D; j++) {
                    bb[i][j] = (float)((i * 7 + j) % 13); cc[i][j] = (float)((i + j * 3) % 11);
                    db[i][j] = (i * 5 + j) % 17; dc[i][j] = (i + j * 5) % 19;
                }
            for (int k = 0; k < N; k++)
                for (int j = 0; j < M; j++) data[k][j] = (k * 3 + j) % 23;
            s1232();
            s1232d();
            rows();
            covariance(N);
            /* An integer checksum: a floating-point sum could be reassociated when run in parallel. */
            long s = 0;
            for (int i = 0; i < LEN_2D; i++)
                for (int j = 0; j < LEN_2D; j++) s += (long)aa[i][j] * (i + 1) + (long)da[i][j] * (j + 1) + (long)ra[i][j] * (i + 2 * j + 1);
            for (int i = 0; i < M; i++)
                for (int j = 0; j < M; j++) s += (long)(cov[i][j] * 1000.0) * ((i * M + j) % 7 + 1);
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
    public void The_access_facts_give_the_element_size_and_how_far_the_last_subscript_moves_per_iteration()
    {
        var loops = Ws.Analyze(Ws.WriteSource("facts.c", Program)).Loops;
        var column = loops.First(l => l.Function == "s1232").Accesses.Single(a => a.Write);
        Assert.That((column.Array, column.ElementBytes, column.CounterStride, column.InnerDepth), Is.EqualTo(("aa", (int?)4, (long?)1, 1)));
        var doubles = loops.First(l => l.Function == "s1232d").Accesses.Single(a => a.Write);
        Assert.That((doubles.ElementBytes, doubles.CounterStride), Is.EqualTo(((int?)8, (long?)1)));
        // `ra[j][i]` in the j loop: the counter moves the row, not the last subscript, so the stride cannot be said simply.
        var row = loops.First(l => l.Function == "rows").Accesses.Single(a => a.Write);
        Assert.That(row.CounterStride, Is.Null);
        // In the inner i loop the same write moves one element per iteration.
        var inner = loops.Where(l => l.Function == "rows").Single(l => l.Depth == loops.First(o => o.Function == "rows").Depth + 1);
        Assert.That(inner.Accesses.Single(a => a.Write).CounterStride, Is.EqualTo(1));
    }

    [Test]
    public void A_triangular_nest_writing_a_float_column_shares_16_iterations_a_chunk_and_says_why()
    {
        var (analysis, plans) = Plan("floats.c");
        var s1232 = Outer(analysis, plans, "s1232");
        Assert.That(s1232.IsParallel, Is.True, s1232.Reason);
        Assert.That(s1232.Clauses, Is.EqualTo("schedule(dynamic, 16)"), s1232.Reason);
        Assert.That(s1232.Reason, Does.Contain("schedule(dynamic, 16)").And.Contain("adjacent columns share cache lines").And.Contain("`aa`"));
    }

    [Test]
    public void A_triangular_nest_writing_a_double_column_shares_8_iterations_a_chunk()
    {
        var (analysis, plans) = Plan("doubles.c");
        var s1232d = Outer(analysis, plans, "s1232d");
        Assert.That(s1232d.Clauses, Is.EqualTo("schedule(dynamic, 8)"), s1232d.Reason);
    }

    [Test]
    public void A_triangular_nest_writing_rows_takes_no_column_chunk_only_the_chunk_of_its_light_rows()
    {
        // 256 rows of 3 accesses an inner iteration (about 386 a row): no column is written, so no line-sized chunk; the
        // rows are light, so chunks of 8 rows carry the 2,000 accesses a draw of the shared counter needs (CacheResidentCostTests).
        var (analysis, plans) = Plan("rows.c");
        var rows = Outer(analysis, plans, "rows");
        Assert.That(rows.IsParallel, Is.True, rows.Reason);
        Assert.That(rows.Clauses, Is.EqualTo("schedule(dynamic, 8)"), rows.Reason);
        Assert.That(rows.Reason, Does.Not.Contain("cache lines").And.Contain("memory accesses on average"));
    }

    /// <summary>Covariance writes row i (`cov[i][j]`) and column i (`cov[j][i]`): the column's writes still share lines
    /// between neighbouring iterations, so the column decides.</summary>
    [Test]
    public void A_triangular_nest_writing_both_a_row_and_a_column_takes_the_column_chunk()
    {
        var (analysis, plans) = Plan("covariance.c");
        var covariance = Outer(analysis, plans, "covariance");
        Assert.That(covariance.IsParallel, Is.True, covariance.Reason);
        Assert.That(covariance.Clauses, Is.EqualTo("schedule(dynamic, 8)"), covariance.Reason);
        Assert.That(covariance.Reason, Does.Contain("`cov`"));
    }

    [Test]
    public void The_verifier_keeps_a_dynamic_schedule_with_a_cache_line_chunk()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var s1232 = analysis.Loops.First(l => l.Function == "s1232");
        var proposal = new ParaSlm.Analyzer.Verification.PlanProposal(true, ParaSlm.Analyzer.Verification.ParallelTarget.CpuOpenMP, [], [], [], Schedule: "dynamic, 16");
        var verdict = ParaSlm.Analyzer.Verification.PlanVerifier.Verify(s1232, proposal, byId, insideParallel: false);
        Assert.That(verdict.Plan.Schedule, Is.EqualTo("dynamic, 16"));
        Assert.That(verdict.Plan.Parallel, Is.True);
    }

    [Test]
    public void The_gcc_built_program_prints_on_4_threads_what_it_prints_serially()
    {
        var cc = GenerationWorkspace.RequireTool("gcc");
        var path = Ws.WriteSource("gcc_run.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Text, Does.Contain("#pragma omp parallel for schedule(dynamic, 16)\n"));
        Assert.That(result.Text, Does.Contain("#pragma omp parallel for schedule(dynamic, 8)\n"));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result);
    }
}
