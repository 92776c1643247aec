using System.Text.Json;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Engine;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>`paraslm apply` on PolyBench doitgen's shape: the scratch row privatized with its cost guard and overlap check in
/// the copy, the report's transform, and the state that validation's probes rebuild the same copy from.</summary>
[TestFixture]
[Category("Integration")]
public sealed class PrivatizationEngineTests
{
    private const string Source = """
        void kernel_doitgen(int nr, int nq, int np, double A[150][140][160], double C4[160][160], double sum[160])
        {
            int r, q, p, s;
            for (r = 0; r < nr; r++)
                for (q = 0; q < nq; q++) {
                    for (p = 0; p < np; p++) {
                        sum[p] = 0.0;
                        for (s = 0; s < np; s++)
                            sum[p] += A[r][q][s] * C4[s][p];
                    }
                    for (p = 0; p < np; p++)
                        A[r][q][p] = sum[p];
                }
        }
        """;

    [Test]
    public void A_scratch_row_is_privatized_and_the_state_rebuilds_the_copy_byte_for_byte()
    {
        using var ws = new EngineWorkspace();
        var file = ws.Write("src/doitgen.c", Source);
        var request = ws.Write("request.json", JsonSerializer.Serialize(new
        {
            version = 1, mode = "Apply", intermediateDir = ws.Obj, projectDir = ws.Root, strategy = "analyzer", cache = "off",
            sources = new[] { new { file, arguments = new[] { "-std=c11" } } },
        }));
        var (code, _, err) = EngineWorkspace.Run("apply", "--request", request);
        Assert.That(code, Is.EqualTo(0), err);
        var rewritten = File.ReadAllText(ws.Outputs().Single(r => r[0] == file)[1]);
        // The cost guard (a run-time trip count) and the overlap check both select the form; the original loop otherwise.
        Assert.That(rewritten, Does.Contain("if ((!PARASLM_COST_GUARD || nr >= ").And.Contain("sum + np <= (const double *)(A)"));
        Assert.That(rewritten, Does.Contain("#pragma omp for private(q, p, s) lastprivate(paraslm_plast)"));
        Assert.That(rewritten, Does.Contain("paraslm_p_sum[p] += A[r][q][s] * C4[s][p];"));

        var state = EngineState.Load(Path.Combine(ws.Obj, "paraslm.state.json"));
        var record = state.Sources[file];
        var plan = record.Plans.Single(p => p.Line == 4);
        Assert.That(plan.Transform, Is.EqualTo("privatize(sum[0:np])"));
        Assert.That(plan.Action, Is.EqualTo("parallel"));
        Assert.That(record.Plans.Where(p => p.Line > 4).All(p => p.Action == "sequential"), Is.True, "nothing nested inside the privatized loop");
        Assert.That(record.Applied.Single().Privatized?.Name, Is.EqualTo("privatize(sum[0:np])"));
        var edits = record.Applied.Select(a => a.ToEdit()).ToList();
        Assert.That(SourceRewriter.Rewrite(file, File.ReadAllText(file), edits, record.Applied[0].RewriteOptions).Text, Is.EqualTo(rewritten),
            "validation's probes rebuild the same copy from the state");
    }
}
