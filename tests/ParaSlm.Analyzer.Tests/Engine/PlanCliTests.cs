using System.Text.Json;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>`paraslm plan` with the analyzer strategy: the contract JSON and nest-aware decisions.</summary>
[TestFixture]
[Category("Unit")]
public sealed class PlanCliTests : EngineFixture
{
    [Test]
    public void Plan_json_has_exactly_the_contract_fields_and_one_plan_per_loop()
    {
        var f = Ws.Write("src/m.c", """
            void mm(double (*restrict c)[64], double (*restrict a)[64], double (*restrict b)[64])
            {
                for (int i = 0; i < 64; i++)
                    for (int j = 0; j < 64; j++) {
                        double s = 0;
                        for (int k = 0; k < 64; k++)
                            s += a[i][k] * b[k][j];
                        c[i][j] = s;
                    }
            }
            """);
        var (code, output, err) = EngineWorkspace.Run("plan", f, "--json", "--strategy", "analyzer", "--", "-std=c11");
        Assert.That(code, Is.EqualTo(0), err);
        var plans = JsonDocument.Parse(output).RootElement.GetProperty("plans").EnumerateArray().ToList();
        Assert.That(plans, Has.Count.EqualTo(3));
        string[] required = ["id", "file", "line", "action", "target", "clauses", "origin", "strategy", "model", "verdict", "reason"];
        foreach (var p in plans)
            Assert.That(p.EnumerateObject().Select(x => x.Name), Is.SupersetOf(required));
        Assert.Multiple(() =>
        {
            Assert.That(plans[0].GetProperty("action").GetString(), Is.EqualTo("parallel"));
            Assert.That(plans[0].GetProperty("target").GetString(), Is.EqualTo("cpu-openmp"));
            Assert.That(plans[0].GetProperty("origin").GetString(), Is.EqualTo("analyzer"));
            Assert.That(plans[0].GetProperty("verdict").GetString(), Is.EqualTo("accepted"));
            Assert.That(plans[0].GetProperty("id").GetString(), Is.EqualTo($"{f}:3:5"));
            Assert.That(plans[1].GetProperty("action").GetString(), Is.EqualTo("sequential"), "no nested parallel regions");
            Assert.That(plans[1].GetProperty("reason").GetString(), Does.Contain("inside the parallel loop at line 3"));
            Assert.That(plans[2].GetProperty("target").GetString(), Is.EqualTo("none"));
        });
    }

    [Test]
    public void A_loop_deep_inside_serial_loops_is_not_given_a_parallel_region()
    {
        // The groups overlap (each touches 2*s elements, the step is s), so the group loop is serial too.
        var f = Ws.Write("src/f.c", """
            void stages(double *restrict x, int n)
            {
                for (int s = 1; s < n; s *= 2)
                    for (int g = 0; g + 2 * s <= n; g += s)
                        for (int k = 0; k < 2 * s; k++)
                            x[g + k] = x[g + k] * 0.5;
            }
            """);
        var (_, output, _) = EngineWorkspace.Run("plan", f, "--json", "--", "-std=c11");
        var inner = JsonDocument.Parse(output).RootElement.GetProperty("plans").EnumerateArray().Last();
        Assert.That(inner.GetProperty("action").GetString(), Is.EqualTo("sequential"));
        Assert.That(inner.GetProperty("reason").GetString(), Does.Contain("inside 2 loops that stay serial"));
    }

    [Test]
    public void Unknown_strategy_is_a_usage_error_and_a_broken_file_is_an_input_error()
    {
        var f = Ws.Write("src/ok.c", "void f(void) {}\n");
        Assert.That(EngineWorkspace.Run("plan", f, "--strategy", "magic").Code, Is.EqualTo(2));
        var bad = Ws.Write("src/bad.c", "void f( {\n");
        var (code, output, err) = EngineWorkspace.Run("plan", bad, "--json");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(err, Does.Contain("PSLM0005"));
    }
}
