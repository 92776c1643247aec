using System.Diagnostics;
using System.Text.Json;
using ParaSlm.Cli;
using ParaSlm.Reasoner.Strategies;
using ParaSlm.Reasoner.Tests.Support;
using ParaSlm.Tests.Shared;

namespace ParaSlm.Reasoner.Tests.Cli;

/// <summary>
/// The model can only help, per nest: through the real CLI, the real Ollama client and the loopback server, a model
/// that proposes something unsafe, invalid or merely worse leaves the nest with the analyzer's plan, and says why.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("Integration")]
public sealed class ModelOnlyHelpsTests : TempFolderFixture
{
    /// <summary>A time loop (carried: the two sweeps feed each other) around two hot, independent sweeps, each big enough
    /// that the cost model makes it parallel.</summary>
    private const string Jacobi = """
        #define N 1048576
        static double a[N], b[N];
        void jacobi(int steps) {
          for (int t = 0; t < steps; t++) {
            for (int i = 1; i < N - 1; i++)
              b[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0;
            for (int i = 1; i < N - 1; i++)
              a[i] = b[i];
          }
        }
        """;

    private const int TimeLoop = 4, FirstSweep = 5, SecondSweep = 7;

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CommandLine.RunAsync(args, o, e).GetAwaiter().GetResult();
        return (code, o.ToString(), e.ToString());
    }

    private string Write(string name, string source)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, source);
        return path;
    }

    private static Dictionary<int, JsonElement> PlansByLine(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("plans").EnumerateArray().ToDictionary(p => p.GetProperty("line").GetInt32(), p => p.Clone());

    private static string Answer(int line, string extra = "", string rationale = "the loop is independent") =>
        $$"""{"parallelize": true, "loop_line": {{line}}, "target": "cpu-openmp", "private": [], "lastprivate": [], "reductions": [], "collapse": 1, "schedule": null{{extra}}, "rationale": "{{rationale}}"}""";

    private static string ReActAware(ChatRequestRecord request, string plan) =>
        request.FormatKind is null && request.AllText.Contains("Action", StringComparison.Ordinal) ? "Action: final " + plan : plan;

    private (int Code, Dictionary<int, JsonElement> Plans, string Err) Plan(FakeOllamaServer server, string strategy, string file)
    {
        var (code, output, err) = Run("plan", file, "--json", "--cache", "off", "--strategy", strategy, "--timeout", "20", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11");
        Assert.That(code, Is.EqualTo(0), err);
        return (code, PlansByLine(output), err);
    }

    private static void AssertAnalyzersJacobiPlan(Dictionary<int, JsonElement> plans)
    {
        Assert.That(plans[TimeLoop].GetProperty("action").GetString(), Is.EqualTo("sequential"));
        foreach (var hot in new[] { FirstSweep, SecondSweep })
        {
            Assert.That(plans[hot].GetProperty("action").GetString(), Is.EqualTo("parallel"), $"the hot loop at line {hot} stays parallel");
            Assert.That(plans[hot].GetProperty("origin").GetString(), Is.EqualTo("analyzer"));
            Assert.That(plans[hot].GetProperty("modelVerdict").GetString(), Is.EqualTo("rejected"));
        }
    }

    [Test]
    public void A_model_that_proposes_the_unsafe_time_loop_leaves_both_hot_loops_parallel()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(r => ReActAware(r, Answer(TimeLoop)));
        var (_, plans, err) = Plan(server, "zero-shot", Write("jacobi.c", Jacobi));
        Assert.Multiple(() =>
        {
            AssertAnalyzersJacobiPlan(plans);
            Assert.That(plans[FirstSweep].GetProperty("modelCode").GetString(), Is.EqualTo("PSLM2001"), "the verifier's reason is kept");
            Assert.That(plans[FirstSweep].GetProperty("reason").GetString(), Does.Contain($"the model's plan for line {TimeLoop} was rejected"));
            Assert.That(plans[TimeLoop].GetProperty("origin").GetString(), Is.EqualTo("analyzer"));
            Assert.That(err, Does.Contain("model: nest 1/1 jacobi.c:4 — zero-shot, 1 call"), "a progress line per nest");
            Assert.That(err, Does.Contain("the model's plan was unsafe (PSLM2001)"));
        });
    }

    [Test]
    public void A_safe_model_plan_that_parallelizes_less_than_the_analyzer_is_not_used()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(r => ReActAware(r, Answer(FirstSweep)));
        var (_, plans, _) = Plan(server, "zero-shot", Write("jacobi.c", Jacobi));
        Assert.Multiple(() =>
        {
            AssertAnalyzersJacobiPlan(plans);
            Assert.That(plans[SecondSweep].GetProperty("modelCode").GetString(), Is.EqualTo("PSLM3007"));
            Assert.That(plans[SecondSweep].GetProperty("reason").GetString(), Does.Contain("cost model rates it below the analyzer's plan"));
        });
    }

    [TestCase("cot")]
    [TestCase("tot")]
    public void Every_strategy_keeps_the_hot_loops_when_the_model_insists_on_the_time_loop(string strategy)
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(r => ReActAware(r, Answer(TimeLoop)));
        var (_, plans, _) = Plan(server, strategy, Write("jacobi.c", Jacobi));
        Assert.That(plans[FirstSweep].GetProperty("action").GetString(), Is.EqualTo("parallel"));
        Assert.That(plans[SecondSweep].GetProperty("action").GetString(), Is.EqualTo("parallel"));
    }

    [Test]
    public void Tree_of_thoughts_weighs_the_analyzers_plan_as_a_candidate_and_keeps_it_when_the_model_has_nothing_better()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(r => Answer(TimeLoop));
        var (_, plans, err) = Plan(server, "tot", Write("jacobi.c", Jacobi));
        Assert.Multiple(() =>
        {
            Assert.That(server.ChatRequestCount, Is.EqualTo(3), "three candidates from the model, the fourth is the analyzer's");
            Assert.That(plans[FirstSweep].GetProperty("reason").GetString(), Does.Contain("weighed the analyzer's plan against the model's candidates and kept it"));
            Assert.That(plans[FirstSweep].GetProperty("action").GetString(), Is.EqualTo("parallel"));
            Assert.That(err, Does.Contain("the analyzer's plan won among the candidates"));
        });
    }

    [Test]
    public void A_model_plan_at_least_as_good_as_the_analyzers_is_used_with_its_verdict()
    {
        const string Dot = """
            double dot(const double *x, const double *y, int n) {
              double s = 0;
              for (int i = 0; i < n; i++) s += x[i] * y[i];
              return s;
            }
            """;
        using var server = FakeOllamaServer.Start();
        server.OnChat(r => ReActAware(r, Answer(3).Replace("\"reductions\": []", "\"reductions\": [{\"op\": \"+\", \"var\": \"s\"}]", StringComparison.Ordinal)));
        var (_, plans, _) = Plan(server, "zero-shot", Write("dot.c", Dot));
        Assert.Multiple(() =>
        {
            Assert.That(plans[3].GetProperty("origin").GetString(), Is.EqualTo("model"));
            Assert.That(plans[3].GetProperty("modelVerdict").GetString(), Is.EqualTo("accepted"));
            Assert.That(plans[3].GetProperty("clauses").GetString(), Does.Contain("reduction(+:s)"));
            Assert.That(plans[3].GetProperty("reason").GetString(), Is.EqualTo("model: the loop is independent"));
        });
    }

    [Test]
    public void Invalid_fields_are_never_defaulted_the_nest_keeps_the_analyzers_plan_with_the_code_and_evidence()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(r => ReActAware(r, Answer(-1, ", \"lastprivate\": [\"\"]", rationale: ");").Replace("\"lastprivate\": [], ", "", StringComparison.Ordinal)));
        var (_, plans, _) = Plan(server, "zero-shot", Write("jacobi.c", Jacobi));
        Assert.Multiple(() =>
        {
            AssertAnalyzersJacobiPlan(plans);
            Assert.That(plans[FirstSweep].GetProperty("modelCode").GetString(), Is.AnyOf(ModelAnswerCodes.BadLoopLine, ModelAnswerCodes.UnknownVariable));
            Assert.That(plans[FirstSweep].GetProperty("reason").GetString(), Does.Contain("not a usable plan"));
            Assert.That(plans.Values.Select(p => p.GetProperty("reason").GetString()), Has.None.Contain(");"), "a rationale of code is never a reason");
        });
    }

    [Test]
    public void A_rationale_that_is_not_prose_is_not_the_reason_of_a_used_plan()
    {
        const string Scale = """
            void scale(double *restrict a, const double *restrict b, int n) {
              for (int i = 0; i < n; i++) a[i] = 2.0 * b[i];
            }
            """;
        using var server = FakeOllamaServer.Start();
        server.OnChat(r => ReActAware(r, Answer(2, rationale: ");")));
        var (_, plans, _) = Plan(server, "zero-shot", Write("scale.c", Scale));
        Assert.That(plans[2].GetProperty("origin").GetString(), Is.EqualTo("model"));
        Assert.That(plans[2].GetProperty("reason").GetString(), Is.EqualTo("the model's plan"));
    }

    [Test]
    public void The_thread_count_goes_to_every_request_as_num_thread_and_output_is_bounded_per_turn()
    {
        using var server = FakeOllamaServer.Start();
        server.OnChat(r => ReActAware(r, Answer(TimeLoop)));
        var (code, _, err) = Run("plan", Write("jacobi.c", Jacobi), "--json", "--cache", "off", "--strategy", "cot", "--threads", "1", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11");
        Assert.That(code, Is.EqualTo(0), err);
        var requests = server.ChatRequests;
        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.EqualTo(2));
            Assert.That(requests.Select(r => r.Option("num_thread")?.GetInt32()), Is.All.EqualTo(1));
            Assert.That(requests[0].NumPredict, Is.EqualTo(384), "the free-text reasoning turn");
            Assert.That(requests[1].NumPredict, Is.EqualTo(256), "the plan turn");
        });
        var (_, _, _) = Run("plan", Write("jacobi2.c", Jacobi), "--json", "--cache", "off", "--strategy", "zero-shot", "--endpoint", server.Endpoint.ToString(), "--", "-std=c11");
        Assert.That(server.LastChatRequest.Option("num_thread"), Is.Null, "without --threads the server decides");
    }
}
