using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with a distributed loop (issue 14 items 1–2): the copy carries the distributed form under the pointers'
/// overlap check (the loop as written in the else branch), the report's decision names the transform, and the applied loop's
/// record (read back from the state file) rebuilds the same copy, which is how validation's variants and the per-loop diffs
/// make theirs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class LoopDistributionEngineTests : EngineFixture
{
    // bicg's shape over two matrices: distributed (one matrix swept by both groups is pipelined instead, below).
    private const string Source = """
        void bicg(int n, int m, double (*A)[4000], double (*B)[4000], double *s, double *q, double *p, double *r)
        {
            int i, j;
            for (i = 0; i < n; i++) {
                q[i] = 0.0;
                for (j = 0; j < m; j++) {
                    s[j] = s[j] + r[i] * B[i][j];
                    q[i] = q[i] + A[i][j] * p[j];
                }
            }
        }
        """;

    private const string OneMatrix = """
        void bicg(int n, int m, double (*A)[4000], double *s, double *q, double *p, double *r)
        {
            int i, j;
            for (i = 0; i < n; i++) {
                q[i] = 0.0;
                for (j = 0; j < m; j++) {
                    s[j] = s[j] + r[i] * A[i][j];
                    q[i] = q[i] + A[i][j] * p[j];
                }
            }
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_distributed_loop()
    {
        var file = Ws.Write("src/bicg.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("/* ParaSlm distribute(i:p,w)").And.Contain("#pragma omp parallel private(i, j)")
            .And.Contain("#pragma omp for schedule(static) nowait"));
        // The overlap check of every pair of pointers selects the distributed form; the loop as written otherwise.
        Assert.That(copy, Does.Contain("(q + n <= s || s + m <= q)").And.Contain("} else {"));
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[4].GetProperty("transform").GetString(), Is.EqualTo("distribute(i:p,w)"));
        Assert.That(plans[4].GetProperty("reason").GetString(), Does.Contain("every dependence between groups goes forward"));

        var applied = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.Distributed?.Name, Is.EqualTo("distribute(i:p,w)"));
        var again = SourceRewriter.Rewrite(file, Source, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_pipelined_loop()
    {
        var file = Ws.Write("src/bicg1.c", OneMatrix);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("/* ParaSlm pipeline(i,j)").And.Contain("#pragma omp for schedule(static)")
            .And.Contain("#pragma omp atomic read seq_cst").And.Contain("#pragma omp atomic write seq_cst"));
        // The floating-point gate and the overlap check select the pipeline; the loop as written otherwise.
        Assert.That(copy, Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION && ").And.Contain("(q + n <= s || s + m <= q)").And.Contain("} else {"));
        Assert.That(copy, Does.Contain("#define PARASLM_SAME_CONTRACTION"), "the copy defines the gate's macros");
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[4].GetProperty("transform").GetString(), Is.EqualTo("pipeline(i,j)"));
        Assert.That(plans[4].GetProperty("reason").GetString(), Does.Contain("one pass over the rows instead of two"));
        var applied = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.Distributed?.Pipeline?.Name, Is.EqualTo("pipeline(i,j)"));
        var again = SourceRewriter.Rewrite(file, OneMatrix, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
