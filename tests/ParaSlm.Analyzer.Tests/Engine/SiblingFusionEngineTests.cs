using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with two sibling nests fused (issue 14): the copy replaces both nests by one pipeline under the overlap
/// check and the floating-point gate (the nests as written in the else branch), the report names `fuse(next^T)+pipeline(i,j)`
/// on the first nest and says the second was fused into it, and the applied loop's record (read back from the state file)
/// rebuilds the same copy, which is how validation's variants and the per-loop diffs make theirs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SiblingFusionEngineTests
{
    // PolyBench mvt's kernel shape (our own text): pointer parameters, counters declared at the top.
    private const string Mvt = """
        void mvt(int n, double *x1, double *x2, double *y_1, double *y_2, double (*A)[4000])
        {
            int i, j;
            for (i = 0; i < n; i++)
                for (j = 0; j < n; j++)
                    x1[i] = x1[i] + A[i][j] * y_1[j];
            for (i = 0; i < n; i++)
                for (j = 0; j < n; j++)
                    x2[i] = x2[i] + A[j][i] * y_2[j];
        }
        """;

    private EngineWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new EngineWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_fused_nests()
    {
        var file = _ws.Write("src/mvt.c", Mvt);
        var (code, _, err) = _ws.Apply(_ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(_ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("/* ParaSlm pipeline(i,j)").And.Contain("x2[j] = x2[j] + A[(paraslm_p_i + 0)][j] * y_2[(paraslm_p_i + 0)];")
            .And.Contain("#pragma omp atomic write seq_cst"));
        Assert.That(copy, Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION && ").And.Contain("x1 + n <= x2 || x2 + n <= x1").And.Contain("} else {"));
        Assert.That(copy.IndexOf("x2[i] = x2[i] + A[j][i] * y_2[j];", StringComparison.Ordinal), Is.GreaterThan(copy.IndexOf("} else {", StringComparison.Ordinal)),
            "the second nest as written runs in the else branch only");
        var plans = _ws.ReportPlansByLine();
        Assert.That(plans[4].GetProperty("transform").GetString(), Is.EqualTo("fuse(next^T)+pipeline(i,j)"));
        Assert.That(plans[4].GetProperty("reason").GetString(), Does.Contain("runs fused into this one"));
        Assert.That(plans[7].GetProperty("reason").GetString(), Does.Contain("fused into the loop at line 4"));
        var applied = _ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.Fused?.Name, Is.EqualTo("fuse(next^T)+pipeline(i,j)"));
        var again = SourceRewriter.Rewrite(file, Mvt, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
