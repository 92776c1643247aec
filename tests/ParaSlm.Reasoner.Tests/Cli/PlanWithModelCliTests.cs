using System.Text;
using System.Text.Json;
using ParaSlm.Cli;
using ParaSlm.Reasoner.Strategies;
using ParaSlm.Reasoner.Tests.Support;
using ParaSlm.Tests.Shared;

namespace ParaSlm.Reasoner.Tests.Cli;

/// <summary>
/// `paraslm plan` and `paraslm eval` through the real CLI, the real Ollama client and every strategy, against a
/// loopback server speaking Ollama's protocol: fallback, timeouts, the verifier gate, the cache, the tables.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("Integration")]
public sealed class PlanWithModelCliTests : TempFolderFixture
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CommandLine.RunAsync(args, o, e).GetAwaiter().GetResult();
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>A file with 50 `for` loops: 25 independent, 25 with a carried dependence.</summary>
    private string FiftyLoops()
    {
        var sb = new StringBuilder("void fifty(double *restrict a, double *restrict b, int n)\n{\n");
        for (var k = 0; k < 25; k++)
        {
            sb.Append($"    for (int i = 0; i < n; i++) a[i] = b[i] * {k + 1}.0;\n");
            sb.Append($"    for (int i = 1; i < n; i++) b[i] = b[i - 1] + {k + 1}.0;\n");
        }
        sb.Append("}\n");
        var path = Path.Combine(Dir, "fifty.c");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private static IReadOnlyList<JsonElement> Plans(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("plans").EnumerateArray().ToList();

    [Test]
    public void A_server_that_never_answers_costs_one_timeout_and_every_loop_gets_the_analyzers_plan()
    {
        using var server = FakeOllamaServer.Start();
        server.Enqueue("/api/tags", ScriptedReply.NeverAnswer(), times: 10);
        var file = FiftyLoops();
        var (code, output, err) = Run("plan", file, "--json", "--timeout", "3", "--cache", "off", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11");
        Assert.That(code, Is.EqualTo(0), err);
        var plans = Plans(output);
        Assert.Multiple(() =>
        {
            Assert.That(server.CountRequests("/api/tags"), Is.EqualTo(1), "one timeout for the run, not one per loop");
            Assert.That(server.ChatRequestCount, Is.EqualTo(0));
            Assert.That(plans, Has.Count.EqualTo(50), "a complete plan for every loop");
            Assert.That(plans.All(p => p.GetProperty("origin").GetString() == "analyzer"), Is.True);
            Assert.That(plans.Count(p => p.GetProperty("action").GetString() == "parallel"), Is.EqualTo(25));
            Assert.That(err, Does.Contain("PSLM3001"));
            Assert.That(err, Does.Contain("PSLM3106"), "the timeout is named");
        });
    }

    [Test]
    public void A_server_whose_chat_never_answers_trips_the_circuit_breaker_and_the_analyzer_plans_the_rest()
    {
        using var server = FakeOllamaServer.Start();
        server.EnqueueChat(ScriptedReply.NeverAnswer(), times: 200);
        var file = FiftyLoops();
        var (code, output, err) = Run("plan", file, "--json", "--timeout", "3", "--cache", "off", "--strategy", "zero-shot", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.Multiple(() =>
        {
            Assert.That(Plans(output), Has.Count.EqualTo(50));
            Assert.That(err, Does.Contain("PSLM3004"), "circuit breaker");
            Assert.That(server.ChatRequestCount, Is.LessThanOrEqualTo(4), "the model is not asked again once the breaker is open");
        });
    }

    /// <summary>A model that says "parallel, no clauses" for every loop it is asked about.</summary>
    private static string AlwaysParallel(ChatRequestRecord request)
    {
        var plan = "{\"parallelize\": true, \"loop_line\": null, \"target\": \"cpu-openmp\", \"private\": [], \"lastprivate\": [], \"reductions\": [], \"collapse\": 1, \"schedule\": null, \"rationale\": \"all loops are parallel\"}";
        // ReAct reasoning turns get an immediate final answer in its protocol; every other turn gets the plan.
        return request.FormatKind is null && request.AllText.Contains("Action", StringComparison.Ordinal) ? "Action: final " + plan : plan;
    }

    [TestCaseSource(typeof(StrategyNames), nameof(StrategyNames.All))]
    public void Every_strategy_asks_the_model_and_the_gate_stops_its_unsafe_answers(string strategy)
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(AlwaysParallel);
        var file = FiftyLoops();
        var (code, output, err) = Run("plan", file, "--json", "--cache", "off", "--strategy", strategy, "--timeout", "10", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11");
        Assert.That(code, Is.EqualTo(0), err);
        var plans = Plans(output);
        var carried = plans.Where(p => p.GetProperty("line").GetInt32() % 2 == 0).ToList(); // the b[i] = b[i-1] loops
        Assert.Multiple(() =>
        {
            Assert.That(server.ChatRequestCount, Is.GreaterThanOrEqualTo(50), $"{strategy} consults the model for every nest");
            Assert.That(carried, Has.Count.EqualTo(25));
            Assert.That(carried.All(p => p.GetProperty("action").GetString() == "sequential"), Is.True, "no carried dependence becomes parallel");
            Assert.That(carried.All(p => p.GetProperty("origin").GetString() == "analyzer"), Is.True, "the nest keeps the analyzer's plan");
            if (strategy == "tot") // its candidates are scored against the analyzer's plan, which wins here
                Assert.That(carried.All(p => p.GetProperty("reason").GetString()!.Contains("kept it", StringComparison.Ordinal)), Is.True);
            else
                Assert.That(carried.All(p => p.GetProperty("modelVerdict").GetString() == "rejected" && p.GetProperty("modelCode").GetString() == "PSLM2001"), Is.True);
            Assert.That(plans.Where(p => p.GetProperty("line").GetInt32() % 2 == 1).All(p => p.GetProperty("origin").GetString() == "model"), Is.True);
        });
    }

    [Test]
    public void Planning_the_same_input_twice_makes_no_model_request_the_second_time()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(AlwaysParallel);
        var file = FiftyLoops();
        var cache = Path.Combine(Dir, "cache", "plans.db");
        string[] args = ["plan", file, "--json", "--cache", cache, "--strategy", "zero-shot", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11"];
        var first = Run(args);
        var afterFirst = server.ChatRequestCount;
        var second = Run(args);
        Assert.Multiple(() =>
        {
            Assert.That(first.Code, Is.EqualTo(0), first.Err);
            Assert.That(afterFirst, Is.EqualTo(50));
            Assert.That(server.ChatRequestCount, Is.EqualTo(afterFirst), "every nest came from the cache");
            Assert.That(Plans(second.Out).Count(p => p.GetProperty("origin").GetString() == "cache"), Is.EqualTo(25), "the safe plans are served from the cache");
            Assert.That(Plans(second.Out).Count(p => p.GetProperty("action").GetString() == "parallel"), Is.EqualTo(25));
            Assert.That(Plans(second.Out).Where(p => p.GetProperty("line").GetInt32() % 2 == 0).All(p => p.GetProperty("action").GetString() == "sequential"), Is.True,
                "a rejected plan is never served again");
        });
        var stats = Run("cache", "stats", "--cache", cache);
        Assert.That(stats.Out, Does.Contain("entries: 50"));
        Assert.That(stats.Out, Does.Contain("rejected 25"));
    }

    [Test]
    public void A_damaged_cache_file_reaches_the_console_as_one_warning_with_its_own_code_and_planning_goes_on()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(AlwaysParallel);
        var file = FiftyLoops();
        var cache = Path.Combine(Dir, "cache", "plans.db");
        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        File.WriteAllBytes(cache, Enumerable.Range(0, 8192).Select(i => (byte)(i * 37 + 11)).ToArray());
        var (code, output, err) = Run("plan", file, "--json", "--cache", cache, "--strategy", "zero-shot", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(0), err);
            // The cache hands the engine a Diagnostic record; the engine's one formatter writes MSBuild's form. The old
            // text hand-over ("PSLM4003: warning: …", parsed back) is gone.
            Assert.That(err.Split('\n').Count(l => l.StartsWith("paraslm: warning PSLM4003: ", StringComparison.Ordinal)), Is.EqualTo(1), err);
            Assert.That(err, Does.Not.Contain("PSLM4003: warning:"));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(cache)!, "plans.db.corrupt-*"), Is.Not.Empty);
            Assert.That(Plans(output).Count(p => p.GetProperty("action").GetString() == "parallel"), Is.EqualTo(25));
        });
    }

    [Test]
    public void A_missing_model_falls_back_to_the_analyzer_with_the_pull_hint()
    {
        using var server = FakeOllamaServer.Start();
        var file = FiftyLoops();
        var (code, output, err) = Run("plan", file, "--json", "--model", "phi9:99b", "--cache", "off", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(err, Does.Contain("ollama pull phi9:99b"));
        Assert.That(server.ChatRequestCount, Is.EqualTo(0));
        Assert.That(Plans(output), Has.Count.EqualTo(50));
    }

    [Test]
    public void Eval_prints_the_per_model_and_per_strategy_tables()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(AlwaysParallel);
        var suite = Path.Combine(Dir, "suite");
        Directory.CreateDirectory(suite);
        File.Copy(FiftyLoops(), Path.Combine(suite, "fifty.c"));
        var (code, output, err) = Run("eval", "--suite", suite, "--models", "qwen2.5:1.5b,llama3.2:1b", "--strategies", "zero-shot,cot", "--endpoint", server.Endpoint.ToString());
        Assert.That(code, Is.EqualTo(0), err);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("per model"));
            Assert.That(output, Does.Contain("per strategy"));
            Assert.That(output, Does.Contain("qwen2.5:1.5b"));
            Assert.That(output, Does.Contain("llama3.2:1b"));
            Assert.That(output, Does.Contain("zero-shot"));
            Assert.That(output, Does.Contain("cot"));
            Assert.That(output, Does.Contain("50%"), "half of the always-parallel plans are accepted, half rejected");
        });
    }
}
