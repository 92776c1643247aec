using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>How a 1–1.5B model's answers are read: every shape seen in practice, and garbage that must not throw.</summary>
[Category("Unit")]
public sealed class PlanParserTests
{
    private const string Canonical =
        """{"parallelize": true, "loop_line": 10, "target": "cpu-openmp", "private": ["t"], "lastprivate": [], "reductions": [{"op": "+", "var": "s"}], "collapse": 1, "schedule": "static", "rationale": "independent iterations"}""";

    private static ModelPlan Plan(string text)
    {
        var parsed = PlanParser.Parse(text);
        Assert.That(parsed.Error, Is.Null, $"should parse: {text}");
        return parsed.Plan!;
    }

    [Test]
    public void Canonical_answer_reads_every_field()
    {
        var p = Plan(Canonical);
        Assert.Multiple(() =>
        {
            Assert.That(p.Parallelize, Is.True);
            Assert.That(p.LoopLine, Is.EqualTo(10));
            Assert.That(p.Target, Is.EqualTo(ParallelTarget.CpuOpenMP));
            Assert.That(p.Private, Is.EqualTo(new[] { "t" }));
            Assert.That(p.LastPrivate, Is.Empty);
            Assert.That(p.Reductions, Is.EqualTo(new[] { new Reduction("+", "s") }));
            Assert.That(p.Collapse, Is.EqualTo(1));
            Assert.That(p.Schedule, Is.EqualTo("static"));
            Assert.That(p.Rationale, Is.EqualTo("independent iterations"));
        });
    }

    [Test]
    public void Serialized_plans_read_back_unchanged()
    {
        var plan = new ModelPlan(true, 12, ParallelTarget.GpuOpenMPOffload, ["t", "u"], ["x"], [new Reduction("max", "m"), new Reduction("&&", "ok")], 2, "dynamic, 4", "why");
        Assert.That(Plan(ModelPlanSchema.Serialize(plan)), Is.EqualTo(plan).Using<ModelPlan>(SamePlan));
    }

    [TestCase("```json\n" + Canonical + "\n```")]
    [TestCase("```\n" + Canonical + "\n```\nThis plan is safe.")]
    [TestCase("Here is the plan:\n" + Canonical + "\nLet me know if you need anything else.")]
    [TestCase("Sure! " + Canonical)]
    [TestCase("<think>the loop looks independent {maybe}</think>\n" + Canonical)]
    public void Json_inside_fences_or_prose_is_found(string text) =>
        Assert.That(Plan(text).Reductions, Is.EqualTo(new[] { new Reduction("+", "s") }));

    [TestCase("""{"parallelize": true, "private": ["t",], "reductions": [],}""")]
    [TestCase("""{'parallelize': True, 'private': ['t'], 'reductions': None}""")]
    [TestCase("""{parallelize: true, private: [t], target: cpu-openmp}""")]
    [TestCase("""{"parallelize": "yes", "private": "t"}""")]
    [TestCase("""{"parallelize": 1, "private": "t", }""")]
    [TestCase("""{"parallelize" = true, "private" = ["t"]} // done""")]
    [TestCase("""{"parallelize": true /* safe */, "private": ["int t"]}""")]
    [TestCase("""{"Parallelize": true, "Private": ["t"]}""")]
    [TestCase("""{"parallel": true, "private_vars": "t"}""")]
    [TestCase("""{"parallelize": true, "private": "private(t)"}""")]
    [TestCase("""{"parallelize": true "private": ["t"]}""")]
    public void Sloppy_json_is_forgiven(string text)
    {
        var p = Plan(text);
        Assert.That(p.Parallelize, Is.True);
        Assert.That(p.Private, Is.EqualTo(new[] { "t" }));
    }

    [TestCase("""{"parallelize": true, "reductions": [{"op": "+", "var": "s"}]}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": {"op": "+", "var": "s"}}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": "reduction(+:s)"}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": ["reduction(+:s)"]}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": ["+:s"]}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": ["s:+"]}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": [{"op": "sum", "var": "s"}]}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": [{"operator": "add", "variable": "s"}]}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": [{"op": "+=", "var": "s"}]}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reduction": {"s": "sum"}}""", "+", "s")]
    [TestCase("""{"parallelize": true, "reductions": {"max": ["m"]}}""", "max", "m")]
    [TestCase("""{"parallelize": true, "reductions": [{"op": "maximum", "var": "m"}]}""", "max", "m")]
    [TestCase("""{"parallelize": true, "reductions": ["max m"]}""", "max", "m")]
    [TestCase("""{"parallelize": true, "reductions": ["m (min)"]}""", "min", "m")]
    [TestCase("""{"parallelize": true, "reductions": [{"op": "product", "var": "p"}]}""", "*", "p")]
    [TestCase("""{"parallelize": true, "reductions": [{"op": "logical and", "var": "ok"}]}""", "&&", "ok")]
    [TestCase("""{"parallelize": true, "reductions": [{"op": "xor", "var": "h"}]}""", "^", "h")]
    [TestCase("""{"parallelize": true, "clauses": "private(t) reduction(+:s)"}""", "+", "s")]
    [TestCase("""{"parallelize": true, "pragma": "#pragma omp parallel for reduction(+: s) schedule(static)"}""", "+", "s")]
    public void Reductions_in_every_spelling(string text, string op, string variable) =>
        Assert.That(Plan(text).Reductions, Is.EqualTo(new[] { new Reduction(op, variable) }));

    [Test]
    public void Clause_text_gives_every_clause()
    {
        var p = Plan("""{"pragma": "#pragma omp parallel for private(t, u) lastprivate(x) reduction(max:m) collapse(2) schedule(dynamic, 8)"}""");
        Assert.Multiple(() =>
        {
            Assert.That(p.Parallelize, Is.True);
            Assert.That(p.Private, Is.EqualTo(new[] { "t", "u" }));
            Assert.That(p.LastPrivate, Is.EqualTo(new[] { "x" }));
            Assert.That(p.Reductions, Is.EqualTo(new[] { new Reduction("max", "m") }));
            Assert.That(p.Collapse, Is.EqualTo(2));
            Assert.That(p.Schedule, Is.EqualTo("dynamic, 8"));
        });
    }

    [TestCase("cpu-openmp", ParallelTarget.CpuOpenMP)]
    [TestCase("CPU_OpenMP", ParallelTarget.CpuOpenMP)]
    [TestCase("openmp", ParallelTarget.CpuOpenMP)]
    [TestCase("cpu", ParallelTarget.CpuOpenMP)]
    [TestCase("gpu-cuda", ParallelTarget.GpuCuda)]
    [TestCase("CUDA", ParallelTarget.GpuCuda)]
    [TestCase("gpu-openmp-offload", ParallelTarget.GpuOpenMPOffload)]
    [TestCase("gpu", ParallelTarget.GpuOpenMPOffload)]
    [TestCase("omp target offload", ParallelTarget.GpuOpenMPOffload)]
    public void Targets_in_every_spelling(string target, ParallelTarget expected) =>
        Assert.That(Plan($$"""{"parallelize": true, "target": "{{target}}"}""").Target, Is.EqualTo(expected));

    [TestCase("""{"parallelize": false, "target": "none"}""", false)]
    [TestCase("""{"parallelize": "no"}""", false)]
    [TestCase("""{"action": "sequential"}""", false)]
    [TestCase("""{"action": "parallel"}""", true)]
    [TestCase("""{"decision": "keep it serial"}""", false)]
    [TestCase("""{"target": "none", "rationale": "carried"}""", false)]
    [TestCase("""{"target": "cpu-openmp"}""", true)]
    public void The_decision_comes_from_any_field_that_states_it(string text, bool parallel) =>
        Assert.That(Plan(text).Parallelize, Is.EqualTo(parallel));

    [Test]
    public void A_sequential_plan_carries_no_clauses()
    {
        var p = Plan("""{"parallelize": false, "target": "cpu-openmp", "private": ["t"], "reductions": ["+:s"], "collapse": 3, "schedule": "static"}""");
        Assert.That(p, Is.EqualTo(new ModelPlan(false, null, ParallelTarget.None, [], [], [], 1, null, "")).Using<ModelPlan>(SamePlan));
    }

    [TestCase("""{"parallelize": true, "loop_line": 12}""", 12)]
    [TestCase("""{"parallelize": true, "loop_line": "12"}""", 12)]
    [TestCase("""{"parallelize": true, "line": "line 12"}""", 12)]
    [TestCase("""{"parallelize": true, "loop": "L12"}""", 12)]
    [TestCase("""{"parallelize": true, "loop_id": "kernels.c:12:5"}""", 12)]
    [TestCase("""{"parallelize": true, "loopLine": 12.0}""", 12)]
    [TestCase("""{"parallelize": true, "loop_line": null}""", null)]
    [TestCase("""{"parallelize": true}""", null)]
    public void Loop_line_in_every_spelling(string text, int? line) => Assert.That(Plan(text).LoopLine, Is.EqualTo(line));

    [TestCase("static", "static")]
    [TestCase("Dynamic", "dynamic")]
    [TestCase("guided, 16", "guided, 16")]
    [TestCase("schedule(dynamic,4)", "dynamic, 4")]
    [TestCase("none", null)]
    public void Schedule_comes_only_from_a_closed_list_because_it_becomes_pragma_text(string schedule, string? expected)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(schedule);
        Assert.That(Plan($$"""{"parallelize": true, "schedule": {{json}}}""").Schedule, Is.EqualTo(expected));
    }

    [TestCase("auto")]
    [TestCase("static) num_threads(1")]
    [TestCase("static\n#pragma omp critical")]
    [TestCase("dynamic, -3")]
    public void A_schedule_outside_the_closed_list_makes_the_plan_invalid(string schedule)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(schedule);
        Invalid($$"""{"parallelize": true, "schedule": {{json}}}""", ModelAnswerCodes.BadValue, "schedule");
    }

    private static void Invalid(string text, string code, string evidence)
    {
        var parsed = PlanParser.Parse(text);
        Assert.That(parsed.Plan, Is.Null, $"must be invalid: {text}");
        Assert.That(parsed.Code, Is.EqualTo(code), parsed.Error);
        Assert.That(parsed.Error, Does.Contain(evidence));
    }

    [TestCase("""{"parallelize": true, "loop_line": -1}""", ModelAnswerCodes.BadLoopLine, "-1")]
    [TestCase("""{"parallelize": true, "loop_line": 0}""", ModelAnswerCodes.BadLoopLine, "0")]
    [TestCase("""{"parallelize": true, "loop_line": "outer"}""", ModelAnswerCodes.BadLoopLine, "outer")]
    [TestCase("""{"parallelize": true, "lastprivate": [""]}""", ModelAnswerCodes.UnknownVariable, "lastprivate")]
    [TestCase("""{"parallelize": true, "private": ["a[i]"]}""", ModelAnswerCodes.UnknownVariable, "a[i]")]
    [TestCase("""{"parallelize": true, "private": [3]}""", ModelAnswerCodes.UnknownVariable, "3")]
    [TestCase("""{"parallelize": true, "reductions": [{"op": "avg", "var": "s"}]}""", ModelAnswerCodes.UnknownClause, "avg")]
    [TestCase("""{"parallelize": true, "reductions": ["s"]}""", ModelAnswerCodes.UnknownClause, "s")]
    [TestCase("""{"parallelize": true, "reductions": [{"op": "+"}]}""", ModelAnswerCodes.UnknownVariable, "no variable")]
    [TestCase("""{"parallelize": true, "clauses": "firstprivate(x) private(t)"}""", ModelAnswerCodes.UnknownClause, "firstprivate")]
    [TestCase("""{"parallelize": true, "clauses": "num_threads(64)"}""", ModelAnswerCodes.UnknownClause, "num_threads")]
    [TestCase("""{"parallelize": true, "collapse": 0}""", ModelAnswerCodes.BadValue, "collapse")]
    [TestCase("""{"parallelize": true, "collapse": 99}""", ModelAnswerCodes.BadValue, "collapse")]
    [TestCase("""{"parallelize": true, "target": "tpu"}""", ModelAnswerCodes.BadValue, "tpu")]
    [TestCase("""{"parallelize": true, "target": "none"}""", ModelAnswerCodes.BadValue, "contradicts")]
    public void An_invalid_field_makes_the_plan_invalid_with_a_code_and_the_evidence(string text, string code, string evidence) =>
        Invalid(text, code, evidence);

    [TestCase(");")]
    [TestCase("{ a[i] = b[i]; }")]
    [TestCase("x")]
    [TestCase("")]
    public void A_rationale_that_is_not_prose_is_not_kept(string rationale)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(rationale);
        Assert.That(Plan($$"""{"parallelize": false, "rationale": {{json}}}""").Rationale, Is.Empty);
    }

    [Test]
    public void Schedule_as_an_object() =>
        Assert.That(Plan("""{"parallelize": true, "schedule": {"kind": "dynamic", "chunk": 2}}""").Schedule, Is.EqualTo("dynamic, 2"));

    [TestCase("""{"parallelize": true, "collapse": 2}""", 2)]
    [TestCase("""{"parallelize": true, "collapse": "2"}""", 2)]
    [TestCase("""{"parallelize": true, "collapse": "collapse(3)"}""", 3)]
    [TestCase("""{"parallelize": true, "collapse": null}""", 1)]
    public void Collapse_is_a_small_positive_integer(string text, int expected) => Assert.That(Plan(text).Collapse, Is.EqualTo(expected));

    [Test]
    public void Names_are_cleaned_of_types_and_placeholders()
    {
        var p = Plan("""{"parallelize": true, "private": ["double *p", "t, u", "none", "int k"], "lastprivate": "x"}""");
        Assert.That(p.Private, Is.EqualTo(new[] { "p", "t", "u", "k" }));
        Assert.That(p.LastPrivate, Is.EqualTo(new[] { "x" }));
    }

    [Test]
    public void A_wrapped_plan_is_unwrapped() =>
        Assert.That(Plan("""{"loop_plan": {"parallelize": true, "loop_line": 7}}""").LoopLine, Is.EqualTo(7));

    [Test]
    public void The_last_plan_wins_when_a_model_restates_an_example_first()
    {
        var text = """
            The format is {"parallelize": true, "loop_line": 3, "target": "cpu-openmp"}.
            For this loop:
            {"parallelize": false, "loop_line": 3, "target": "none", "rationale": "carried"}
            """;
        Assert.That(Plan(text).Parallelize, Is.False);
    }

    [Test]
    public void A_plan_per_loop_gives_the_first_that_parallelizes()
    {
        var text = """[{"loop_line": 4, "parallelize": false}, {"loop_line": 5, "parallelize": true, "private": ["t"]}, {"loop_line": 6, "parallelize": false}]""";
        var p = Plan(text);
        Assert.That((p.LoopLine, p.Parallelize), Is.EqualTo((5, true)));
    }

    [Test]
    public void An_answer_cut_off_by_the_token_limit_keeps_what_is_there()
    {
        var p = Plan("""{"parallelize": true, "loop_line": 9, "target": "cpu-openmp", "private": ["t"], "rationale": "the outer loop has no carr""");
        Assert.That((p.Parallelize, p.LoopLine, p.Private.Single()), Is.EqualTo((true, 9, "t")));
        Assert.That(p.Rationale, Does.StartWith("the outer loop"));
    }

    [Test]
    public void Rationale_is_one_line_and_bounded()
    {
        var long_ = new string('x', 2000);
        var p = Plan($$"""{"parallelize": false, "reason": "first\n\nsecond  {{long_}}"}""");
        Assert.That(p.Rationale, Does.StartWith("first second x"));
        Assert.That(p.Rationale, Does.Not.Contain("\n"));
        Assert.That(p.Rationale.Length, Is.LessThanOrEqualTo(401));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   \n ")]
    [TestCase("I think the loop can be parallelized.")]
    [TestCase("{}")]
    [TestCase("{\"op\": \"+\", \"var\": \"s\"}")]
    [TestCase("{\"rationale\": \"no idea\"}")]
    [TestCase("[1, 2, 3]")]
    [TestCase("{{{{{{{{")]
    [TestCase("}}}}]]]]")]
    [TestCase("{\"parallelize\": maybe}")]
    [TestCase("{\"parallelize\": }")]
    [TestCase("{\"\\u12")]
    [TestCase("'\"'\"'\"{'\"")]
    [TestCase("\0\u0001\u0002{\u0003")]
    public void Garbage_is_an_error_never_an_exception(string? text)
    {
        ModelPlanParse parsed = null!;
        Assert.DoesNotThrow(() => parsed = PlanParser.Parse(text));
        Assert.That(parsed.Success, Is.False);
        Assert.That(parsed.Error, Is.Not.Empty);
    }

    [Test]
    public void Deep_nesting_from_a_looping_model_does_not_overflow()
    {
        var text = "{\"parallelize\": true, \"private\": " + new string('[', 100_000) + "\"t\"";
        Assert.DoesNotThrow(() => PlanParser.Parse(text));
    }

    [Test]
    public void A_runaway_answer_is_read_without_failing()
    {
        // No time bound (a loaded machine makes one flaky): the answers must be read, not thrown on; a parser that
        // became pathologically slow on them shows in the suite's per-test durations.
        Assert.DoesNotThrow(() => PlanParser.Parse(new string('{', 1_000_000)));
        Assert.DoesNotThrow(() => PlanParser.Parse(string.Concat(Enumerable.Repeat("{\"a\": [", 100_000))));
        var plan = PlanParser.Parse(new string('{', 200_000) + "\n" + Canonical);
        Assert.That(plan.Plan?.LoopLine, Is.EqualTo(10), "the plan at the end of a long answer is still found");
    }

    [Test]
    public void Random_bytes_never_throw()
    {
        var random = new Random(1234);
        const string alphabet = "{}[]\":,'`tfnul0123456789.-+ eE\\/*#\nparallelizetargetprivate";
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            var text = new string(chars);
            Assert.DoesNotThrow(() => PlanParser.Parse(text), text);
        }
    }

    // ---- applied to a nest ------------------------------------------------------------------------------------

    private static readonly LoopFacts Outer = Facts("f.c:10:3", 10, null);
    private static readonly LoopFacts Inner = Facts("f.c:11:5", 11, "f.c:10:3");

    private static LoopFacts Facts(string id, int line, string? parent) =>
        new(id, "f.c", line, 3, "f", parent is null ? 1 : 2, true, [], [], [], null, "parallel: iterations are independent") { ParentId = parent };

    private static PlanningInput Input(string target = "cpu") => new(Outer, [Outer, Inner], "for (…)\n  for (…) a[i][j] = 0;", target);

    [Test]
    public void Resolve_applies_the_plan_to_the_loop_named_by_line()
    {
        var r = PlanParser.Parse("""{"parallelize": true, "loop_line": 11, "target": "cpu-openmp", "rationale": "inner"}""", Input());
        Assert.That(r.Plan!.LoopId, Is.EqualTo(Inner.Id));
        Assert.That(r.Plan.Proposal.Parallel, Is.True);
        Assert.That(r.Plan.Rationale, Is.EqualTo("inner"));
    }

    [TestCase("""{"parallelize": true}""", "without naming its loop")]
    [TestCase("""{"parallelize": true, "loop_line": 99}""", "99 is not the line")]
    public void Resolve_rejects_a_loop_line_that_names_no_loop_of_a_nest_of_several(string text, string evidence)
    {
        var r = PlanParser.Parse(text, Input());
        Assert.That(r.Plan, Is.Null);
        Assert.That(r.Code, Is.EqualTo(ModelAnswerCodes.BadLoopLine));
        Assert.That(r.Error, Does.Contain(evidence));
    }

    [Test]
    public void Resolve_applies_a_plan_without_loop_line_to_a_nest_of_one_loop() =>
        Assert.That(PlanParser.Parse("""{"parallelize": true}""", new PlanningInput(Outer, [Outer], "for (…) a[i] = 0;")).Plan!.LoopId, Is.EqualTo(Outer.Id));

    [Test]
    public void Resolve_rejects_a_name_that_is_not_a_variable_of_the_loop()
    {
        var r = PlanParser.Parse("""{"parallelize": true, "loop_line": 10, "private": ["tmp"]}""", Input());
        Assert.That((r.Plan, r.Code), Is.EqualTo(((ParsedPlan?)null, ModelAnswerCodes.UnknownVariable)));
        Assert.That(r.Error, Does.Contain("\"tmp\" is not a variable of the loop at line 10"));
        Assert.That(PlanParser.Parse("""{"parallelize": true, "loop_line": 10, "private": ["j"]}""", Input()).Plan!.Proposal.Private, Is.EqualTo(new[] { "j" }));
    }

    [Test]
    public void Resolve_refuses_a_gpu_target_to_a_cpu_only_user()
    {
        const string gpu = """{"parallelize": true, "loop_line": 10, "target": "gpu-cuda"}""";
        Assert.That(PlanParser.Parse(gpu, Input("cpu")).Code, Is.EqualTo(ModelAnswerCodes.BadValue));
        Assert.That(PlanParser.Parse(gpu, Input("gpu")).Plan!.Proposal.Target, Is.EqualTo(ParallelTarget.GpuCuda));
        Assert.That(PlanParser.Parse(gpu, Input("auto")).Plan!.Proposal.Target, Is.EqualTo(ParallelTarget.GpuCuda));
    }

    [Test]
    public void Resolve_gives_a_parallel_plan_without_target_the_cpu() =>
        Assert.That(PlanParser.Parse("""{"parallelize": true, "loop_line": 10}""", Input()).Plan!.Proposal.Target, Is.EqualTo(ParallelTarget.CpuOpenMP));

    [Test]
    public void Resolve_of_a_sequential_plan_is_the_sequential_proposal() =>
        Assert.That(PlanParser.Parse("""{"parallelize": false}""", Input()).Plan!.Proposal, Is.SameAs(PlanProposal.Sequential));

    [Test]
    public void Resolve_reports_parse_errors() =>
        Assert.That(PlanParser.Parse("no plan here", Input()).Error, Does.Contain("no JSON object"));

    private static bool SamePlan(ModelPlan a, ModelPlan b) =>
        a.Parallelize == b.Parallelize && a.LoopLine == b.LoopLine && a.Target == b.Target &&
        a.Private.SequenceEqual(b.Private) && a.LastPrivate.SequenceEqual(b.LastPrivate) && a.Reductions.SequenceEqual(b.Reductions) &&
        a.Collapse == b.Collapse && a.Schedule == b.Schedule && a.Rationale == b.Rationale;
}
