using System.Text;
using System.Text.Json;
using ParaSlm.Cli;
using ParaSlm.Reasoner.Tests.Support;
using ParaSlm.Tests.Shared;

namespace ParaSlm.Reasoner.Tests.Cli;

/// <summary>
/// `paraslm eval` counts loop nests, one fate each: every rate has the nests as its denominator (never above 100%),
/// and nests the model was never asked about (budget, circuit breaker) are in the table, not hidden.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("Integration")]
public sealed class EvalRatesTests : TempFolderFixture
{
    [SetUp]
    public void WriteSuite()
    {
        // 20 one-loop nests: 10 independent, 10 with a carried dependence.
        var sb = new StringBuilder("void twenty(double *restrict a, double *restrict b, int n)\n{\n");
        for (var k = 0; k < 10; k++)
        {
            sb.Append($"    for (int i = 0; i < n; i++) a[i] = b[i] * {k + 1}.0;\n");
            sb.Append($"    for (int i = 1; i < n; i++) b[i] = b[i - 1] + {k + 1}.0;\n");
        }
        sb.Append("}\n");
        File.WriteAllText(Path.Combine(Dir, "twenty.c"), sb.ToString());
    }

    private (JsonElement Cell, string Err) Eval(FakeOllamaServer server, params string[] extra)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        string[] args = ["eval", "--suite", Dir, "--models", "qwen2.5:1.5b", "--strategies", "zero-shot", "--timeout", "10", "--endpoint", server.Endpoint.ToString(), "--json", .. extra];
        var code = CommandLine.RunAsync(args, o, e).GetAwaiter().GetResult();
        Assert.That(code, Is.EqualTo(0), e.ToString());
        return (JsonDocument.Parse(o.ToString()).RootElement.GetProperty("cells")[0].Clone(), e.ToString());
    }

    private static int I(JsonElement cell, string name) => cell.GetProperty(name).GetInt32();

    private static void AssertOneFatePerNest(JsonElement c)
    {
        var nests = I(c, "nests");
        var fates = I(c, "used") + I(c, "rejected") + I(c, "notBetter") + I(c, "invalid") + I(c, "analyzerKept") + I(c, "failed") + I(c, "overBudget") + I(c, "breakerOpen");
        Assert.That(fates, Is.EqualTo(nests), "every nest has exactly one fate");
        foreach (var name in new[] { "proposals", "accepted", "repaired", "rejected", "matches", "used", "invalid", "overBudget", "breakerOpen" })
            Assert.That(I(c, name), Is.InRange(0, nests), $"{name} is a count of nests");
    }

    [Test]
    public void Every_rate_is_a_share_of_the_nests()
    {
        using var server = FakeOllamaServer.Start();
        // Always "parallel" for the nest's only loop: safe for half of the nests, unsafe for the other half.
        server.OnChat(_ => """{"parallelize": true, "loop_line": null, "target": "cpu-openmp", "private": [], "lastprivate": [], "reductions": [], "collapse": 1, "schedule": null, "rationale": "independent"}""");
        var (c, err) = Eval(server);
        Assert.Multiple(() =>
        {
            AssertOneFatePerNest(c);
            Assert.That(I(c, "nests"), Is.EqualTo(20));
            Assert.That(I(c, "proposals"), Is.EqualTo(20));
            Assert.That(I(c, "accepted"), Is.EqualTo(10));
            Assert.That(I(c, "rejected"), Is.EqualTo(10));
            Assert.That(I(c, "used"), Is.EqualTo(10));
            Assert.That(I(c, "matches"), Is.EqualTo(10), "the model's plan equals the analyzer's where it is safe");
            Assert.That(err, Does.Contain("model: nest 20/20"), "one progress line per nest");
        });
    }

    [Test]
    public void A_tripped_circuit_breaker_is_counted_per_nest_and_named_in_the_table()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(_ => "I am not sure.");
        var (c, _) = Eval(server);
        Assert.Multiple(() =>
        {
            AssertOneFatePerNest(c);
            Assert.That(c.GetProperty("breakerTripped").GetBoolean(), Is.True);
            Assert.That(I(c, "invalid"), Is.EqualTo(3), "three unusable answers open the breaker");
            Assert.That(I(c, "breakerOpen"), Is.EqualTo(17));
            Assert.That(I(c, "proposals"), Is.EqualTo(0));
        });

        var o = new StringWriter();
        CommandLine.RunAsync(["eval", "--suite", Dir, "--models", "qwen2.5:1.5b", "--strategies", "zero-shot", "--endpoint", server.Endpoint.ToString()], o, new StringWriter()).GetAwaiter().GetResult();
        Assert.That(o.ToString(), Does.Contain("the circuit breaker opened: 17 of 20 nests were not asked"));
        Assert.That(o.ToString(), Does.Contain("85%"), "17 of 20 nests in the breaker column");
    }

    [Test]
    public void A_spent_budget_is_counted_per_nest_and_named_in_the_table()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(_ => ScriptedReply.Chat("""{"parallelize": false, "loop_line": null, "rationale": "keep it serial"}""") with { Delay = TimeSpan.FromMilliseconds(300) });
        var (c, _) = Eval(server, "--budget", "0.2");
        Assert.Multiple(() =>
        {
            AssertOneFatePerNest(c);
            Assert.That(c.GetProperty("budgetExhausted").GetBoolean(), Is.True);
            Assert.That(I(c, "overBudget"), Is.EqualTo(19), "only the first nest fits a 0.2 s budget");
        });
    }
}
