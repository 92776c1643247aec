using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Engine;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>`paraslm apply` on a time-step loop: one region edit for the whole loop, the report's transform on each
/// nest, and the state that validation's probes rebuild the same copy from.</summary>
[TestFixture]
[Category("Integration")]
public sealed class HoistedRegionEngineTests
{
    private const string Source = """
        #define N 1000
        static double a[N][N], b[N][N];
        void jacobi(int steps)
        {
            for (int t = 0; t < steps; t++) {
                for (int i = 1; i < N - 1; i++)
                    for (int j = 1; j < N - 1; j++)
                        b[i][j] = 0.25 * (a[i - 1][j] + a[i + 1][j] + a[i][j - 1] + a[i][j + 1]);
                for (int i = 1; i < N - 1; i++)
                    for (int j = 1; j < N - 1; j++)
                        a[i][j] = b[i][j];
            }
        }
        """;

    [Test]
    public void A_time_loop_becomes_one_region_edit_that_the_state_rebuilds_byte_for_byte()
    {
        using var ws = new EngineWorkspace();
        var file = ws.Write("src/jacobi.c", Source);
        var (code, _, err) = EngineWorkspace.Run("apply", "--request", ws.Request("Apply", (file, ["-std=c11"])));
        Assert.That(code, Is.EqualTo(0), err);
        var output = ws.Outputs().Single(r => r[0] == file)[1];
        var rewritten = File.ReadAllText(output);
        Assert.That(rewritten, Does.Contain("    #pragma omp parallel\n#line 5 ").And.Contain("        #pragma omp for\n#line 6 ").And.Contain("        #pragma omp for\n#line 9 "));

        var state = EngineState.Load(Path.Combine(ws.Obj, "paraslm.state.json"));
        var record = state.Sources[file];
        Assert.That(record.Plans.Where(p => p.Transform == SerialLoopHoist.TransformName).Select(p => p.Line), Is.EqualTo(new[] { 6, 9 }));
        var applied = record.Applied.Single();
        Assert.That(applied.Hoist?.Parts.Count, Is.EqualTo(2));
        Assert.That(record.Parallel, Is.EqualTo(2), "the build's \"N parallel\" counts both work-shared nests of the one region edit");
        var edit = applied.ToEdit();
        Assert.That(SourceRewriter.Rewrite(file, File.ReadAllText(file), [edit], applied.RewriteOptions).Text, Is.EqualTo(rewritten),
            "validation's probes rebuild the same copy from the state");
    }
}
