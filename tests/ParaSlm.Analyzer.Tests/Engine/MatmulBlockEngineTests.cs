using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with a matrix product (issue 14): the copy carries the tiled form with its register block, the report
/// names the block on the nest, and the applied loop's record (read back from the state file, the block included) rebuilds
/// the same copy, which is how validation's variants and the per-loop diffs make theirs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class MatmulBlockEngineTests : EngineFixture
{
    private const string Source = """
        #define N 130
        static double A[N][N], B[N][N], C[N][N];

        void product(void)
        {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double sum = 0.0;
                    for (int k = 0; k < N; k++)
                        sum += A[i][k] * B[k][j];
                    C[i][j] = sum;
                }
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_register_block()
    {
        var file = Ws.Write("src/product.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("register block 4x4").And.Contain("double paraslm_c0, paraslm_c1, paraslm_c2, paraslm_c3;"));
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[6].GetProperty("reason").GetString(), Does.Contain(MatmulNest.TransformName).And.Contain("register block 4x4"));

        var applied = Ws.State().Sources.Values.Single().Applied.Single(a => a.Matmul is not null);
        Assert.That(applied.Matmul!.Block, Is.EqualTo(new MatmulBlock(4, 4, "double")));
        var again = SourceRewriter.Rewrite(file, Source, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
