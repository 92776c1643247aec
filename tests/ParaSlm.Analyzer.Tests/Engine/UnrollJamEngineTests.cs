using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with an unrolled-and-jammed loop (issue 14 item 1): the copy carries the jammed form under the loop's cost
/// guard and overlap check, the report's decision names the transform, and the applied loop's record (read back from the
/// state file) rebuilds the same copy, which is how validation's variants and the per-loop diffs make theirs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class UnrollJamEngineTests : EngineFixture
{
    private const string Source = """
        void gesummv(int n, double alpha, double beta, double (*A)[4000], double (*B)[4000], double *tmp, double *x, double *y)
        {
            int i, j;
            for (i = 0; i < n; i++) {
                tmp[i] = 0.0;
                y[i] = 0.0;
                for (j = 0; j < n; j++) {
                    tmp[i] = A[i][j] * x[j] + tmp[i];
                    y[i] = B[i][j] * x[j] + y[i];
                }
                y[i] = alpha * tmp[i] + beta * y[i];
            }
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_jammed_loop()
    {
        var file = Ws.Write("src/gesummv.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("/* ParaSlm unroll-jam(i,4,acc)").And.Contain("for (long long paraslm_ug_i = 0;"));
        // The run-time profitability guard (the nest's n × n inner iterations: the rows are cleared before their inner loop)
        // and the pointers' overlap check select the jammed form; the loop as written otherwise.
        Assert.That(copy, Does.Contain("if (((!PARASLM_COST_GUARD || (long long)(n) * (n) >= 6250) && ((tmp + n <= y").And.Contain("} else {"));
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[4].GetProperty("transform").GetString(), Is.EqualTo("unroll-jam(i,4,acc)"));
        Assert.That(plans[4].GetProperty("reason").GetString(), Does.Contain("4 independent chains"));

        var applied = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.UnrollJams.Select(e => (e.Name, e.Line)), Is.EqualTo(new[] { ("unroll-jam(i,4,acc)", 4) }));
        var again = SourceRewriter.Rewrite(file, Source, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
