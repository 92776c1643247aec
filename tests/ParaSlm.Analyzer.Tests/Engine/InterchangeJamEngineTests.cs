using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with an interchanged unroll-and-jam (issue 14 item 1, PolyBench syrk's shape): the copy carries the form
/// inside the parallel loop, selected by the exact-rounding test, the report's decision names `interchange-jam(j,k,4)`, and
/// the applied loop's record (read back from the state file) rebuilds the same copy, as validation's variants and the per-loop
/// diffs do.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class InterchangeJamEngineTests : EngineFixture
{
    private const string Source = """
        void syrk(int n, int m, double alpha, double beta, double (*C)[1200], double (*A)[1000])
        {
            int i, j, k;
            for (i = 0; i < n; i++) {
                for (j = 0; j <= i; j++)
                    C[i][j] *= beta;
                for (k = 0; k < m; k++) {
                    for (j = 0; j <= i; j++)
                        C[i][j] += alpha * A[i][k] * A[j][k];
                }
            }
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_interchanged_nest()
    {
        var file = Ws.Write("src/syrk.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("/* ParaSlm interchange-jam(j,k,4)").And.Contain("double paraslm_acc_j0 = C[i][(paraslm_u_j + 0)];"));
        Assert.That(copy, Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION) {"), "accumulators only where floating point rounds in its own type and contracts alike");
        Assert.That(copy, Does.Contain("#pragma omp parallel for"));
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[4].GetProperty("transform").GetString(), Is.EqualTo("interchange-jam(j,k,4)"));
        Assert.That(plans[4].GetProperty("reason").GetString(), Does.Contain("every dependence of the `k`/`j` nest has `=` at `j`"));

        var applied = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.UnrollJams.Select(e => (e.Name, e.Line, e.InterchangedWith, e.FloatingPoint)), Is.EqualTo(new[] { ("interchange-jam(j,k,4)", 7, (string?)"k", true) }));
        var again = SourceRewriter.Rewrite(file, Source, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
