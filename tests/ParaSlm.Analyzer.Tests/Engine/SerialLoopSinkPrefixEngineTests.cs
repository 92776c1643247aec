using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with a sunk repeat loop whose nest starts with an invariant prefix (issue 14, pooling vs Polly): the copy
/// runs the window max once per element into a row buffer, the report names `sink-serial-loop(hoist m)` on the nest, and
/// the applied loop's record (read back from the state file) rebuilds the same copy, as validation's variants do.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SerialLoopSinkPrefixEngineTests : EngineFixture
{
    private const string Source = """
        #define C 16
        #define H 130
        #define W 130
        #define REPS 8
        static double x[C][H][W], y[C][H / 2 - 1][W / 2 - 1];

        void pool(void)
        {
            for (int r = 0; r < REPS; r++) {
                for (int c = 0; c < C; c++)
                    for (int i = 0; i < H / 2 - 1; i++)
                        for (int j = 0; j < W / 2 - 1; j++) {
                            double m = x[c][2 * i][2 * j];
                            for (int d = 1; d < 9; d++)
                                if (x[c][2 * i + d / 3][2 * j + d % 3] > m) m = x[c][2 * i + d / 3][2 * j + d % 3];
                            y[c][i][j] = 0.5 * y[c][i][j] + m;
                        }
            }
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_hoisted_prefix()
    {
        var file = Ws.Write("src/pool.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("{ double paraslm_m[64]; for (int j = 0; j < W / 2 - 1; j++) {"));
        Assert.That(copy, Does.Contain("for (int r = 0; r < REPS; r++) for (int j = 0; j < W / 2 - 1; j++) { double m = paraslm_m[j]; y[c][i][j] = 0.5 * y[c][i][j] + m;"));
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[10].GetProperty("reason").GetString(), Does.Contain("invariant prefix hoisted: `m`"));

        var applied = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.SinkPrefixes.Select(p => p?.Name), Is.EqualTo(new[] { "sink-serial-loop(hoist m; row 0..64)" }));
        Assert.That(applied.SinkRows, Is.EqualTo(new[] { true }));
        var again = SourceRewriter.Rewrite(file, Source, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
