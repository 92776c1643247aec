using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A counter shared by the nests of a time-step loop (PolyBench heat-3d's `k`, jacobi-2d's `j`): the next nest's `for`
/// assigns it in its init before any read, so the value the first nest leaves is dead and the counter is private, not
/// lastprivate, and not a reason to keep the nest serial (heat-3d's both nests were sequential: "`k` is used after the
/// loop"). Where a later read can see that value (a `for` without init, a goto into a loop) it stays live.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class TimeLoopLivenessTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #define N 90

        static void steps(int tsteps, int n, double A[N][N][N], double B[N][N][N]) {
            int t, i, j, k;
            for (t = 0; t < tsteps; t++) {
                for (i = 1; i < n - 1; i++)
                    for (j = 1; j < n - 1; j++)
                        for (k = 1; k < n - 1; k++)
                            B[i][j][k] = 0.125 * (A[i+1][j][k] + A[i-1][j][k] + A[i][j+1][k] + A[i][j-1][k] + A[i][j][k+1] + A[i][j][k-1]) + 0.25 * A[i][j][k];
                for (i = 1; i < n - 1; i++)
                    for (j = 1; j < n - 1; j++)
                        for (k = 1; k < n - 1; k++)
                            A[i][j][k] = 0.125 * (B[i+1][j][k] + B[i-1][j][k] + B[i][j+1][k] + B[i][j-1][k] + B[i][j][k+1] + B[i][j][k-1]) + 0.25 * B[i][j][k];
            }
        }

        static double resumes(int tsteps, int n, double A[N][N][N]) {
            int t, i, j = 0;
            double s = 0;
            for (t = 0; t < tsteps; t++) {
                for (i = 0; i < n; i++)
                    for (j = 0; j < n; j++) A[0][i][j] += 1.0;
                for (; j < n + 2; j++) s += j;
            }
            return s;
        }

        static void jumps(int tsteps, int n, double A[N][N][N]) {
            int t, i, j;
            for (t = 0; t < tsteps; t++) {
                for (i = 0; i < n; i++)
                    for (j = 0; j < n; j++) A[1][i][j] += 1.0;
                if (t == 1) goto inside;
                for (j = 0; j < n; j++) {
                inside:
                    A[2][0][j % N] += 0.5;
                }
            }
        }

        static double rewinds(int n, double A[N][N][N]) {
            int i, j = 0, t = 0;
            double s = 0;
            while (t < 3) {
                s += j;
                for (i = 0; i < n; i++)
                    for (j = 0; j < n; j++) A[3][i][j] += 1.0;
                t++;
            }
            return s;
        }

        int main(void) {
            static double A[N][N][N], B[N][N][N];
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) for (int k = 0; k < N; k++) A[i][j][k] = ((i * 7 + j * 3 + k) % 17) / 17.0;
            steps(20, N, A, B);
            double s = resumes(3, N, A);
            jumps(3, N, A);
            printf("%a\n", rewinds(N, A));
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) for (int k = 0; k < N; k += 7) printf("%a\n", A[i][j][k]);
            printf("%a\n", s);
            return 0;
        }
        """;

    [Test]
    public void A_counter_the_next_nest_assigns_in_its_init_is_private_in_the_time_loops_nests()
    {
        var loops = Ws.Analyze(Ws.WriteSource("steps.c", Program)).Loops;
        var nests = loops.Where(l => l.Function == "steps" && l.Depth == 2).ToList();
        Assert.That(nests, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            foreach (var nest in nests)
            {
                Assert.That(nest.Parallelizable, Is.True, $"line {nest.Line}");
                Assert.That(nest.Private, Does.Contain("j").And.Contain("k"), $"line {nest.Line}");
                Assert.That(nest.LastPrivate, Is.Empty, $"line {nest.Line}");
            }
        });
    }

    [TestCase("resumes", 2, TestName = "A_counter_read_by_a_for_without_init_stays_live_after_the_nest")]
    [TestCase("jumps", 2, TestName = "A_counter_read_where_a_goto_enters_a_loop_stays_live_after_the_nest")]
    // A `while` is not a loop the analyzer plans, but its next trip reads what the nest left in `j`.
    [TestCase("rewinds", 1, TestName = "A_counter_the_next_trip_of_an_enclosing_while_reads_stays_live_after_the_nest")]
    public void A_counter_whose_value_a_later_read_can_see_is_not_private(string function, int depth)
    {
        var nest = Ws.Analyze(Ws.WriteSource("live.c", Program)).Loops.First(l => l.Function == function && l.Depth == depth);
        Assert.That(nest.Private, Does.Not.Contain("j"));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_time_loops_nests_print_on_4_threads_what_the_serial_program_prints(string compiler) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", $"{compiler}_steps.c", Program, path => Ws.RewritePlannedLoops(path),
            result => Assert.That(result.Text, Does.Contain("private(j, k)")), "-O2");
}
