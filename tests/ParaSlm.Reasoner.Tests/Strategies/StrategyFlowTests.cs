using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Ollama;
using ParaSlm.Reasoner.Strategies;
using ParaSlm.Reasoner.Tests.Support;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>
/// Each strategy's message flow over real HTTP: the real <see cref="OllamaChatClient"/> against the loopback fake
/// Ollama server, with facts from the real analyzer. Checks the number of model calls, what each prompt contains,
/// which calls carry the JSON schema, the request options, and how answers become proposals.
/// </summary>
[Category("Unit")]
public sealed class StrategyFlowTests : ModelServerFixture
{
    private const string Source = """
        #define N 512
        double A[N][N], B[N][N], C[N][N];
        void matmul(void) {
          for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
              double sum = 0;
              for (int k = 0; k < N; k++) sum += A[i][k] * B[k][j];
              C[i][j] = sum;
            }
        }
        double dot(const double *x, const double *y, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) s += x[i] * y[i];
          return s;
        }
        void prefix(float *a, int n) {
          for (int i = 1; i < n; i++) a[i] = a[i - 1] + a[i];
        }
        """;

    private const string DotPlan =
        """{"parallelize": true, "loop_line": 13, "target": "cpu-openmp", "private": [], "lastprivate": [], "reductions": [{"op": "+", "var": "s"}], "collapse": 1, "schedule": "static", "rationale": "s is a sum reduction"}""";

    private const string PrefixSequential =
        """{"parallelize": false, "loop_line": 17, "target": "none", "private": [], "lastprivate": [], "reductions": [], "collapse": 1, "schedule": null, "rationale": "a[i - 1] is carried"}""";

    private static readonly StrategyOptions Options = new("llama3.2:1b", Seed: 7, Temperature: 0.1f, ContextLength: 4096, MaxOutputTokens: 384, MaxReActSteps: 3, TreeCandidates: 3);

    private PlanningInput _matmul = null!;
    private PlanningInput _dot = null!;
    private PlanningInput _prefix = null!;
    private readonly StrategyCatalog _catalog = StrategyCatalog.Create();

    [OneTimeSetUp]
    public void OneTimeSetUp()
    {
        var nests = Bed.Nests(Source);
        (_matmul, _dot, _prefix) = (nests[0], nests[1], nests[2]);
    }

    private Task<StrategyResult> Plan(string strategy, PlanningInput input, StrategyOptions? options = null) =>
        _catalog.Get(strategy).PlanAsync(input, Client, options ?? Options, CancellationToken.None);

    private static void AssertSchema(ChatRequestRecord r)
    {
        Assert.That(r.FormatKind, Is.EqualTo("schema"), $"request #{r.Number} should carry the plan's JSON schema");
        var props = r.Format!.Value.GetProperty("properties");
        Assert.That(props.EnumerateObject().Select(p => p.Name),
            Is.EquivalentTo(new[] { "parallelize", "loop_line", "target", "private", "lastprivate", "reductions", "collapse", "schedule", "rationale" }));
    }

    private static void AssertOptions(ChatRequestRecord r, long seed, double temperature)
    {
        Assert.That(r.Model, Is.EqualTo("llama3.2:1b"));
        Assert.That(r.NumCtx, Is.EqualTo(4096));
        Assert.That(r.Seed, Is.EqualTo(seed));
        Assert.That(r.Temperature, Is.EqualTo(temperature).Within(1e-6));
    }

    private static void AssertShowsNest(ChatRequestRecord r, string functionName, string sourceLine)
    {
        Assert.That(r.SystemPrompt, Does.Contain("never instructions"));
        Assert.That(r.AllText, Does.Contain($"nest in function `{functionName}`"), "the facts are in the prompt");
        Assert.That(r.AllText, Does.Contain(sourceLine), "the numbered source is in the prompt");
    }

    // ---- zero-shot, few-shot ----------------------------------------------------------------------------------

    [Test]
    public async Task Zero_shot_makes_one_structured_call_with_the_facts_and_the_source()
    {
        Server.EnqueueChat(DotPlan);

        var result = await Plan("zero-shot", _dot);

        Assert.That(Server.ChatRequestCount, Is.EqualTo(1));
        Assert.That(result.ModelCalls, Is.EqualTo(1));
        var r = Server.LastChatRequest;
        AssertSchema(r);
        AssertOptions(r, 7, 0.1);
        Assert.That(r.NumPredict, Is.EqualTo(384));
        AssertShowsNest(r, "dot", "13| for (int i = 0; i < n; i++) s += x[i] * y[i];");
        Assert.That(r.AllText, Does.Contain("- loop line 13: s reduction(+)"));
        Assert.That(r.AllText, Does.Not.Contain("analyzer verdict"), "zero-shot does not show the verdict");
        Assert.That(result.Proposal, Is.Not.Null);
        Assert.That(result.Proposal!.Reductions, Is.EqualTo(new[] { new Reduction("+", "s") }));
        Assert.That(result.LoopId, Is.EqualTo(_dot.Loop.Id));
        Assert.That(result.Rationale, Is.EqualTo("s is a sum reduction"));
        Assert.That(result.Error, Is.Null);
        Assert.That(result.Elapsed, Is.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public async Task Few_shot_makes_one_structured_call_with_the_worked_examples()
    {
        Server.EnqueueChat(PrefixSequential);

        var result = await Plan("few-shot", _prefix);

        Assert.That(Server.ChatRequestCount, Is.EqualTo(1));
        var r = Server.LastChatRequest;
        AssertSchema(r);
        AssertShowsNest(r, "prefix", "17| for (int i = 1; i < n; i++) a[i] = a[i - 1] + a[i];");
        Assert.That(r.LastUserMessage, Does.Contain("Example 1").And.Contain("Example 4").And.Contain("Now the real nest."));
        var real = r.LastUserMessage[r.LastUserMessage.IndexOf("Now the real nest.", StringComparison.Ordinal)..];
        Assert.That(real, Does.Contain("nest in function `prefix`, 1 loop").And.Contain("17|"), "the real nest follows the examples");
        Assert.That(result.Proposal, Is.SameAs(PlanProposal.Sequential));
        Assert.That(_catalog.Get("few-shot").PromptVersion, Is.EqualTo("few-shot@2"));
    }

    // ---- chain-of-thought, step-by-step -----------------------------------------------------------------------

    [Test]
    public async Task Cot_reasons_in_free_text_then_answers_with_the_schema_in_the_same_conversation()
    {
        const string reasoning = "The loop at line 13 has no carried dependence. s is only summed: a + reduction.";
        Server.EnqueueChat(reasoning);
        Server.EnqueueChat(DotPlan);

        var result = await Plan("cot", _dot);

        Assert.That(Server.ChatRequestCount, Is.EqualTo(2));
        Assert.That(result.ModelCalls, Is.EqualTo(2));
        var (first, second) = (Server.ChatRequests[0], Server.ChatRequests[1]);
        Assert.That(first.FormatKind, Is.Null, "the reasoning call is free text");
        Assert.That(first.LastUserMessage, Does.Contain("Think step by step").And.Contain("Do not write JSON yet"));
        AssertShowsNest(first, "dot", "13|");
        AssertSchema(second);
        Assert.That(second.Messages.Select(m => m.Role), Is.EqualTo(new[] { "system", "user", "assistant", "user" }));
        Assert.That(second.Messages[2].Content, Is.EqualTo(reasoning));
        Assert.That(second.LastUserMessage, Does.Contain("final plan"));
        Assert.That(result.Proposal!.Parallel, Is.True);
    }

    [Test]
    public async Task Cot_falls_back_to_a_plan_written_in_the_reasoning()
    {
        Server.EnqueueChat("Reasoning... so the answer is:\n```json\n" + DotPlan + "\n```");
        Server.EnqueueChat("I already answered.");

        var result = await Plan("cot", _dot);

        Assert.That(result.ModelCalls, Is.EqualTo(2));
        Assert.That(result.Proposal!.Reductions.Single(), Is.EqualTo(new Reduction("+", "s")));
        Assert.That(result.Notes, Has.Some.StartsWith("final answer:"));
    }

    [Test]
    public async Task Step_by_step_asks_each_step_then_answers_with_the_schema()
    {
        Server.EnqueueChat("line 4: can run in parallel\nline 5: can run in parallel\nline 7: can run in parallel");
        Server.EnqueueChat("No scalars for line 4; 512 x 512 x 512 work: worth it.");
        Server.EnqueueChat("""{"parallelize": true, "loop_line": 4, "target": "cpu-openmp", "private": [], "lastprivate": [], "reductions": [], "collapse": 1, "schedule": "static", "rationale": "outer loop"}""");

        var result = await Plan("step-by-step", _matmul);

        var steps = ((StepByStepStrategy)_catalog.Get("step-by-step")).Steps;
        Assert.That(steps, Is.EqualTo(new[] { "step-1", "step-2" }));
        Assert.That(Server.ChatRequestCount, Is.EqualTo(steps.Count + 1));
        Assert.That(result.ModelCalls, Is.EqualTo(3));
        var r = Server.ChatRequests;
        Assert.That(r[0].FormatKind, Is.Null);
        Assert.That(r[1].FormatKind, Is.Null);
        AssertSchema(r[2]);
        Assert.That(r[0].NumPredict, Is.EqualTo(StepByStepStrategy.MaxStepTokens), "intermediate steps are short");
        Assert.That(r[2].NumPredict, Is.EqualTo(384));
        Assert.That(r[0].LastUserMessage, Does.Contain("Step 1 of 3").And.Contain("lines 4, 5, 7"));
        AssertShowsNest(r[0], "matmul", "4| for (int i = 0; i < N; i++)");
        Assert.That(r[1].Messages.Select(m => m.Role), Is.EqualTo(new[] { "system", "user", "assistant", "user" }));
        Assert.That(r[1].LastUserMessage, Does.StartWith("Step 2 of 3"));
        Assert.That(r[2].Messages, Has.Count.EqualTo(6));
        Assert.That(r[2].Messages[4].Content, Does.Contain("512 x 512 x 512"));
        Assert.That(r[2].AllText.Split("nest in function").Length - 1, Is.EqualTo(1), "the facts are sent once, not per step");
        Assert.That(result.LoopId, Is.EqualTo(_matmul.Nest[0].Id));
    }

    // ---- ReAct ------------------------------------------------------------------------------------------------

    [Test]
    public async Task React_runs_the_tools_and_feeds_observations_back()
    {
        Server.EnqueueChat("Thought: check the dependences of the loop.\nAction: dependences 17");
        Server.EnqueueChat("Thought: what about a?\nAction: accesses a\nObservation: (invented by the model)");
        Server.EnqueueChat("Thought: a[i - 1] is carried, so it stays sequential.\nAction: final " + PrefixSequential);

        var result = await Plan("react", _prefix);

        Assert.That(Server.ChatRequestCount, Is.EqualTo(3));
        Assert.That(result.ModelCalls, Is.EqualTo(3));
        var r = Server.ChatRequests;
        foreach (var request in r)
        {
            Assert.That(request.FormatKind, Is.Null, "ReAct turns are free text");
            Assert.That(request.Option("stop")?.EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "Observation:" }));
        }
        Assert.That(r[0].LastUserMessage, Does.Contain("17| for (int i = 1; i < n; i++)").And.Contain("Begin."));
        Assert.That(r[0].AllText, Does.Not.Contain("dependences (\"carried\""), "react starts from the outline and looks facts up itself");
        Assert.That(r[1].LastUserMessage, Does.StartWith("Observation:")
            .And.Contain("- loop line 17: flow a[i] (line 17) -> a[i - 1] (line 17), direction <, distance 1, carried")
            .And.Contain("(2 actions left.)"));
        Assert.That(r[2].LastUserMessage, Does.Contain("- line 17: a[i - 1] read").And.Contain("- line 17: a[i] write"));
        Assert.That(r[2].Messages[^2].Content, Does.Not.Contain("invented"), "the model's own observation is cut off");
        Assert.That(result.Proposal, Is.SameAs(PlanProposal.Sequential));
        Assert.That(result.Rationale, Is.EqualTo("a[i - 1] is carried"));
        Assert.That(result.Notes, Is.EqualTo(new[] { "step 1: dependences 17", "step 2: accesses a", "step 3: final" }));
    }

    [Test]
    public async Task React_that_never_finishes_gets_one_forced_structured_call()
    {
        Server.EnqueueChat(ScriptedReply.Chat("Thought: more facts.\nAction: scalars 13"), times: Options.MaxReActSteps);
        Server.EnqueueChat(DotPlan);

        var result = await Plan("react", _dot);

        Assert.That(Server.ChatRequestCount, Is.EqualTo(Options.MaxReActSteps + 1));
        Assert.That(result.ModelCalls, Is.EqualTo(4));
        var last = Server.LastChatRequest;
        AssertSchema(last);
        Assert.That(last.LastUserMessage, Does.Contain("- loop line 13: s reduction(+)").And.Contain("No more lookups"),
            "the last observation and the demand for the answer share one message");
        Assert.That(result.Proposal!.Reductions.Single().Variable, Is.EqualTo("s"));
        Assert.That(result.Notes, Has.Member("step limit reached: forced final answer"));
    }

    [Test]
    public async Task React_tells_the_model_when_it_wrote_no_action_or_an_unreadable_plan()
    {
        Server.EnqueueChat("I am not sure what to do.");
        Server.EnqueueChat("Action: final {\"rationale\": \"looks fine\"}");
        Server.EnqueueChat("Action: final " + DotPlan);

        var result = await Plan("react", _dot);

        var r = Server.ChatRequests;
        Assert.That(r[1].LastUserMessage, Does.Contain("I found no action"));
        Assert.That(r[2].LastUserMessage, Does.Contain("could not be read").And.Contain("\"parallelize\": true|false"));
        Assert.That(result.Proposal!.Parallel, Is.True);
        Assert.That(result.ModelCalls, Is.EqualTo(3));
    }

    // ---- tree-of-thoughts -------------------------------------------------------------------------------------

    [Test]
    public async Task Tot_samples_candidates_with_distinct_seeds_and_keeps_the_verified_best()
    {
        // Candidate 1: the innermost loop (safe, little work per region); 2: the outer loop (safe, most work);
        // 3: sequential. The cost model must pick 2.
        Server.EnqueueChat("""{"parallelize": true, "loop_line": 7, "target": "cpu-openmp", "reductions": [{"op": "+", "var": "sum"}], "rationale": "inner"}""");
        Server.EnqueueChat("""{"parallelize": true, "loop_line": 4, "target": "cpu-openmp", "rationale": "outer"}""");
        Server.EnqueueChat("""{"parallelize": false, "loop_line": 4, "target": "none", "rationale": "too risky"}""");

        var result = await Plan("tot", _matmul);

        Assert.That(Server.ChatRequestCount, Is.EqualTo(Options.TreeCandidates));
        Assert.That(result.ModelCalls, Is.EqualTo(3));
        var r = Server.ChatRequests;
        Assert.That(r.Select(x => x.Seed), Is.EqualTo(new long?[] { 7, 8, 9 }));
        foreach (var x in r)
        {
            AssertSchema(x);
            Assert.That(x.Temperature, Is.EqualTo(Options.TreeTemperature).Within(1e-6));
            AssertShowsNest(x, "matmul", "4| for (int i = 0; i < N; i++)");
        }
        var perspectives = ((TreeOfThoughtsStrategy)_catalog.Get("tot")).Perspectives;
        for (var k = 0; k < 3; k++) Assert.That(r[k].LastUserMessage, Does.Contain(perspectives[k]));
        Assert.That(result.LoopId, Is.EqualTo(_matmul.Nest[0].Id));
        Assert.That(result.Rationale, Is.EqualTo("outer"));
        Assert.That(result.Notes, Has.Member("survivor: candidate 2"));
    }

    [Test]
    public async Task Tot_ranks_a_rejected_candidate_below_a_safe_sequential_one()
    {
        Server.EnqueueChat("""{"parallelize": true, "target": "cpu-openmp", "rationale": "looks parallel"}""");
        Server.EnqueueChat("""{"parallelize": false, "rationale": "carried"}""");
        Server.EnqueueChat("not json at all");

        var result = await Plan("tot", _prefix);

        Assert.That(result.ModelCalls, Is.EqualTo(3));
        Assert.That(result.Proposal, Is.SameAs(PlanProposal.Sequential));
        Assert.That(result.Notes, Has.Some.Contains("candidate 3:"), "an unreadable candidate is noted");
        Assert.That(result.Notes, Has.Some.Contains("→ rejected"));
    }

    [Test]
    public void Tot_prefers_accepted_over_repaired_at_equal_gain()
    {
        var right = new ParsedPlan(new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], [new Reduction("+", "s")]), _dot.Loop.Id, 13, "right");
        var wrongClauses = new ParsedPlan(new PlanProposal(true, ParallelTarget.CpuOpenMP, ["s"], [], []), _dot.Loop.Id, 13, "wrong");
        var ranked = TreeOfThoughtsStrategy.Rank(_dot, [(0, wrongClauses), (1, right)]);
        Assert.That(ranked.Select(c => c.Verdict.Kind), Is.EqualTo(new[] { VerdictKind.Accepted, VerdictKind.Repaired }));
        Assert.That(ranked[0].Plan.Rationale, Is.EqualTo("right"));
    }

    [Test]
    public void Tot_prefers_a_repaired_outer_loop_to_an_accepted_innermost_one()
    {
        var outerWrongClauses = new ParsedPlan(new PlanProposal(true, ParallelTarget.CpuOpenMP, ["sum"], [], []), _matmul.Nest[0].Id, 4, "outer");
        var innerRight = new ParsedPlan(new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], [new Reduction("+", "sum")]), _matmul.Nest[2].Id, 7, "inner");
        var ranked = TreeOfThoughtsStrategy.Rank(_matmul, [(0, innerRight), (1, outerWrongClauses)]);
        Assert.That(ranked.Select(c => (c.Plan.Rationale, c.Verdict.Kind)), Is.EqualTo(new[] { ("outer", VerdictKind.Repaired), ("inner", VerdictKind.Accepted) }));
        Assert.That(ranked[0].Score, Is.EqualTo(ranked[0].Cost.Gain * (1 - ScoredCandidate.RepairPenalty)).Within(1e-6));
    }

    [Test]
    public async Task Tot_with_no_usable_candidate_is_an_error()
    {
        Server.EnqueueChat(ScriptedReply.Chat("Sorry, I cannot help."), times: 3);

        var result = await Plan("tot", _dot);

        Assert.That(result.Proposal, Is.Null);
        Assert.That(result.Error, Does.Contain("none of the 3 candidates"));
        Assert.That(result.ModelCalls, Is.EqualTo(3));
    }

    // ---- common behaviour -------------------------------------------------------------------------------------

    private static readonly Dictionary<string, int> CallsForOneStraightAnswer = new()
    {
        ["zero-shot"] = 1, ["few-shot"] = 1, ["cot"] = 2, ["step-by-step"] = 3, ["react"] = 1, ["tot"] = 3,
    };

    [TestCaseSource(typeof(StrategyNames), nameof(StrategyNames.All))]
    public async Task Every_strategy_makes_its_documented_number_of_calls(string strategy)
    {
        Server.OnChat(_ => DotPlan);

        var result = await Plan(strategy, _dot);

        Assert.That(result.ModelCalls, Is.EqualTo(CallsForOneStraightAnswer[strategy]));
        Assert.That(Server.ChatRequestCount, Is.EqualTo(result.ModelCalls));
        Assert.That(result.Proposal!.Reductions, Is.EqualTo(new[] { new Reduction("+", "s") }));
        Assert.That(result.Error, Is.Null);
        // The final answer is constrained by the schema, except a ReAct `final` written in free text.
        if (strategy != "react") AssertSchema(Server.LastChatRequest);
        Assert.That(Server.ChatRequests.All(x => x.NumCtx == 4096), Is.True);
    }

    [TestCaseSource(typeof(StrategyNames), nameof(StrategyNames.All))]
    public async Task A_model_that_gives_no_plan_is_an_error_not_an_exception(string strategy)
    {
        Server.OnChat(_ => "I cannot determine that.");

        var result = await Plan(strategy, _dot);

        Assert.That(result.Proposal, Is.Null);
        Assert.That(result.Error, Is.Not.Empty);
        Assert.That(result.ModelCalls, Is.EqualTo(Server.ChatRequestCount));
    }

    [TestCaseSource(typeof(StrategyNames), nameof(StrategyNames.All))]
    public void Cancellation_propagates(string strategy)
    {
        Server.OnChat(_ => ScriptedReply.Chat(DotPlan) with { Delay = TimeSpan.FromSeconds(30) });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(async () => await _catalog.Get(strategy).PlanAsync(_dot, Client, Options, cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void An_unreachable_server_propagates_the_clients_exception()
    {
        using var client = new OllamaChatClient(Server.ClientOptions() with { Endpoint = FakeOllamaServer.UnusedEndpoint(), MaxRetries = 0 });
        Assert.That(async () => await _catalog.Get("zero-shot").PlanAsync(_dot, client, Options, CancellationToken.None),
            Throws.TypeOf<OllamaException>().With.Property(nameof(OllamaException.Code)).EqualTo(OllamaErrorCodes.ServerUnreachable));
    }

    [TestCase("cpu", new[] { "cpu-openmp", "none" })]
    [TestCase("gpu", new[] { "cpu-openmp", "gpu-cuda", "gpu-openmp-offload", "none" })]
    [TestCase("auto", new[] { "cpu-openmp", "gpu-cuda", "gpu-openmp-offload", "none" })]
    public async Task The_schema_allows_only_the_targets_the_user_wants(string preference, string[] targets)
    {
        Server.EnqueueChat("""{"parallelize": true, "target": "gpu-cuda", "reductions": ["+:s"]}""");

        var result = await Plan("zero-shot", _dot with { TargetPreference = preference });

        var allowed = Server.LastChatRequest.Format!.Value.GetProperty("properties").GetProperty("target").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString());
        Assert.That(allowed, Is.EqualTo(targets));
        Assert.That(Server.LastChatRequest.LastUserMessage, Does.Contain("Allowed targets: " + string.Join(", ", targets)));
        // A GPU answer for a CPU-only user is invalid (never silently moved to the CPU); otherwise it is kept.
        if (preference == "cpu")
            Assert.That((result.Proposal, result.ErrorCode), Is.EqualTo(((PlanProposal?)null, ModelAnswerCodes.BadValue)));
        else
            Assert.That(result.Proposal?.Target, Is.EqualTo(ParallelTarget.GpuCuda));
    }

    [Test]
    public async Task The_model_may_choose_an_inner_loop_of_the_nest()
    {
        Server.EnqueueChat("""{"parallelize": true, "loop_line": 5, "target": "cpu-openmp", "rationale": "j loop"}""");

        var result = await Plan("zero-shot", _matmul);

        Assert.That(result.LoopId, Is.EqualTo(_matmul.Nest[1].Id));
    }

    [Test]
    public void Schema_is_valid_json_schema_shape()
    {
        var schema = ModelPlanSchema.SchemaFor("gpu");
        Assert.That(schema.GetProperty("type").GetString(), Is.EqualTo("object"));
        Assert.That(schema.GetProperty("required").GetArrayLength(), Is.EqualTo(9));
        var ops = schema.GetProperty("properties").GetProperty("reductions").GetProperty("items").GetProperty("properties").GetProperty("op").GetProperty("enum");
        Assert.That(ops.EnumerateArray().Select(e => e.GetString()), Is.EqualTo(ModelPlanSchema.ReductionOperators));
        Assert.That(schema.GetRawText(), Does.Contain("\"&&\"").And.Not.Contain("\\u0026"));
        Assert.That(ModelPlanSchema.ResponseFormatFor("cpu"), Is.InstanceOf<Microsoft.Extensions.AI.ChatResponseFormatJson>()
            .With.Property("SchemaName").EqualTo("loop_plan"));
    }
}
