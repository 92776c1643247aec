using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with a parallel loop whose every thread reads a column the serial loop around it just wrote (issue 14,
/// the cost model): the copy's directive carries the team condition, the report says why, and the applied loop's record
/// (read back from the state file) rebuilds the same copy, which is how validation's variants make theirs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BroadcastTeamEngineTests : EngineFixture
{
    private const string Source = """
        enum { ROWS = 48, COLS = 64 };
        static double a[ROWS][COLS], q[ROWS][COLS], r[COLS][COLS];

        void project(int m, int n)
        {
            for (int k = 0; k < n; k++) {
                double s = 0.0;
                for (int i = 0; i < m; i++)
                    s += a[i][k] * a[i][k];
                r[k][k] = s + 1.0;
                for (int i = 0; i < m; i++)
                    q[i][k] = a[i][k] / r[k][k];
                for (int j = k + 1; j < n; j++) {
                    r[k][j] = 0.0;
                    for (int i = 0; i < m; i++)
                        r[k][j] += q[i][k] * a[i][j];
                    for (int i = 0; i < m; i++)
                        a[i][j] = a[i][j] - q[i][k] * r[k][j];
                }
            }
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_team_condition()
    {
        var file = Ws.Write("src/project.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("#pragma omp parallel for if(!PARASLM_COST_GUARD || ((long long)(-(long long)k + n - 1) * (1 + 7LL * (m)) >= 10000LL * ((long long)(m))))"), copy);
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[13].GetProperty("reason").GetString(), Does.Contain("the region runs one thread unless an entry's work is at least 10000 memory accesses per cache line it reads of `q[i][k]`"));

        var applied = Ws.State().Sources.Values.Single().Applied.Single(a => a.Line == 13);
        Assert.That(applied.TeamCondition, Does.StartWith("(long long)(-(long long)k + n - 1)"));
        var again = SourceRewriter.Rewrite(file, Source, [.. Ws.State().Sources.Values.Single().Applied.Select(a => a.ToEdit())], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
