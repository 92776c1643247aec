using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with a scalar-expanded loop (issue 14 item 1): the copy carries the expanded form, the report names the
/// transform on the parallel loop, and the applied loop's record (read back from the state file) rebuilds the same copy,
/// which is how validation's variants and the per-loop diffs make theirs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ScalarExpansionEngineTests : EngineFixture
{
    private const string Source = """
        enum { C = 64, H = 40, W = 300 };
        static double in[H + 2][W + 2], wt[C][3][3], out[C][H][W];

        void conv(void)
        {
            for (int c = 0; c < C; c++)
                for (int i = 0; i < H; i++)
                    for (int j = 0; j < W; j++) {
                        double sum = 0.0;
                        for (int kh = 0; kh < 3; kh++)
                            for (int kw = 0; kw < 3; kw++)
                                sum += in[i + kh][j + kw] * wt[c][kh][kw];
                        out[c][i][j] = sum;
                    }
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_expanded_loop()
    {
        var file = Ws.Write("src/conv.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("double paraslm_x_sum[256];").And.Contain("#pragma omp simd\n"));
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[6].GetProperty("reason").GetString(), Does.Contain("scalar-expand(sum,j)"));

        var applied = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.Expansions.Select(e => (e.Name, e.Line)), Is.EqualTo(new[] { ("scalar-expand(sum,j)", 8) }));
        var again = SourceRewriter.Rewrite(file, Source, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
