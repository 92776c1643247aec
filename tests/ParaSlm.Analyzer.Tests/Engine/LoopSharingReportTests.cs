namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// Issue 14's plan elements through `paraslm apply`, as the build runs it: the array reduction, the schedule, the
/// collapse and simd reach the compiled copy and the report (with the reason that chose them).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class LoopSharingReportTests
{
    private const string Source = """
        static long hist[256];
        static double tri[2000];
        static double y[3][100000];

        void count(const unsigned char *in) {
            for (int i = 0; i < 1000000; i++)
                hist[in[i]]++;
        }

        void lower(const double *restrict a) {
            for (int i = 0; i < 2000; i++) {
                double s = 0;
                for (int j = 0; j <= i; j++)
                    s += a[i * 2000 + j];
                tri[i] = s;
            }
        }

        void channels(void) {
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 100000; i++)
                    y[c][i] = y[c][i] * 0.5 + c;
        }
        """;

    [Test]
    public void Array_reduction_schedule_and_collapse_reach_the_copy_and_the_report()
    {
        using var ws = new EngineWorkspace();
        var path = ws.Write("src/share.c", Source);
        var (code, _, err) = EngineWorkspace.Run("apply", "--request", ws.Request("Apply", (path, ["-std=c11"])));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(ws.Outputs().Single(r => r[0] == path)[1]);
        Assert.That(copy, Does.Contain("#pragma omp parallel for reduction(+:hist)"));
        // 2,000 rows of 1,000 accesses on average: chunks of 2 rows carry the 2,000 a draw needs.
        Assert.That(copy, Does.Contain("#pragma omp parallel for schedule(dynamic, 2)"));
        Assert.That(copy, Does.Contain("#pragma omp parallel for collapse(2)"));
        var report = File.ReadAllText(Path.Combine(ws.Obj, "report", "paraslm-report.md"));
        Assert.That(report, Does.Contain("reduction(+:hist)").And.Contain("schedule(dynamic, 2)").And.Contain("collapse(2)"));
        Assert.That(report, Does.Contain("triangular"), "the report says why the schedule was chosen");
    }
}
