using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>The ReAct text protocol as a 1B model writes it, and the tools run against real facts.</summary>
[Category("Unit")]
public sealed class ReActProtocolTests : NestBedFixture
{
    private const string Source = """
        #include <math.h>
        #include <stdio.h>
        void smooth(float *restrict a, const float *restrict b, float *restrict out, int n) {
          float t;
          for (int i = 1; i < n; i++) {
            t = sqrtf(b[i]);
            a[i] = a[i - 1] + t;
            out[i] = t;
          }
        }
        void show(const float *v, int n) {
          for (int i = 0; i < n; i++) printf("%f %f\n", v[i], sqrtf(v[i]));
        }
        """;

    private PlanningInput _nest = null!;
    private PlanningInput _show = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _nest = Bed.Nest(Source);
        _show = Bed.Nest(Source, 1);
    }

    [TestCase("Thought: I need the accesses of a.\nAction: accesses a", ReActTool.Accesses, "a")]
    [TestCase("**Thought:** check a\n**Action:** accesses(a)", ReActTool.Accesses, "a")]
    [TestCase("Action: `accesses a`", ReActTool.Accesses, "a")]
    [TestCase("Action: accesses\nAction Input: a", ReActTool.Accesses, "a")]
    [TestCase("Action 1: accesses[\"a\"]", ReActTool.Accesses, "a")]
    [TestCase("Thought: look at a\naccesses a", ReActTool.Accesses, "a")]
    [TestCase("Action: access of array a", ReActTool.Accesses, "a")]
    [TestCase("Action: dependences 5", ReActTool.Dependences, "5")]
    [TestCase("Action: dependencies of the loop at line 5", ReActTool.Dependences, "5")]
    [TestCase("Action: dependences", ReActTool.Dependences, null)]
    [TestCase("Action: effects printf", ReActTool.Effects, "printf")]
    [TestCase("Action: side_effects(printf)", ReActTool.Effects, "printf")]
    [TestCase("Action: side effects of printf", ReActTool.Effects, "printf")]
    [TestCase("Action: scalars 5", ReActTool.Scalars, "5")]
    [TestCase("  1. Action: scalars", ReActTool.Scalars, null)]
    public void Lookups_in_every_spelling(string text, ReActTool tool, string? argument)
    {
        var action = ReActProtocol.Parse(text);
        Assert.That(action, Is.Not.Null);
        Assert.That((action!.Tool, action.Argument), Is.EqualTo((tool, argument)));
    }

    [TestCase("Thought: done.\nAction: final {\"parallelize\": false, \"loop_line\": 5}")]
    [TestCase("Action: final\n```json\n{\"parallelize\": false, \"loop_line\": 5}\n```")]
    [TestCase("Action: final_answer({\"parallelize\": false, \"loop_line\": 5})")]
    [TestCase("Final Answer: {\"parallelize\": false, \"loop_line\": 5}")]
    [TestCase("{\"parallelize\": false, \"loop_line\": 5}")]
    [TestCase("Thought: the loop carries a dependence.\n```json\n{\"parallelize\": false, \"loop_line\": 5}\n```")]
    public void Final_answers_in_every_spelling(string text)
    {
        var action = ReActProtocol.Parse(text);
        Assert.That(action?.Tool, Is.EqualTo(ReActTool.Final));
        Assert.That(PlanParser.Parse(action!.Argument).Plan?.LoopLine, Is.EqualTo(5));
    }

    [Test]
    public void The_thought_is_kept()
    {
        var action = ReActProtocol.Parse("Thought: b is only read.\nAction: accesses a");
        Assert.That(action!.Thought, Is.EqualTo("b is only read."));
    }

    [Test]
    public void Only_the_first_action_counts_and_invented_observations_are_dropped()
    {
        const string text = "Thought: x\nAction: scalars 5\nObservation: t is private\nThought: y\nAction: final {\"parallelize\": true}";
        var action = ReActProtocol.Parse(text);
        Assert.That((action!.Tool, action.Argument), Is.EqualTo((ReActTool.Scalars, "5")));
        Assert.That(ReActProtocol.Truncate(text), Is.EqualTo("Thought: x\nAction: scalars 5"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("I think the loop is fine.")]
    [TestCase("Thought: hmm\nAction: think harder")]
    [TestCase("Action:")]
    public void No_action_is_null(string? text) => Assert.That(ReActProtocol.Parse(text), Is.Null);

    [Test]
    public void Dependences_tool_shows_the_carried_dependence()
    {
        var text = ReActProtocol.Execute(new ReActAction(ReActTool.Dependences, "5", ""), _nest);
        Assert.That(text, Does.Contain("loop line 5: flow a[i] (line 7) -> a[i - 1] (line 7), direction <, distance 1, carried"));
    }

    [Test]
    public void Dependences_of_an_unknown_line_show_every_loop() =>
        Assert.That(ReActProtocol.Execute(new ReActAction(ReActTool.Dependences, "99", ""), _nest), Does.Contain("loop line 5:"));

    [Test]
    public void Accesses_tool_shows_one_array_or_lists_the_real_ones()
    {
        Assert.That(ReActProtocol.Execute(new ReActAction(ReActTool.Accesses, "out", ""), _nest), Is.EqualTo("- line 8: out[i] write"));
        var unknown = ReActProtocol.Execute(new ReActAction(ReActTool.Accesses, "zz", ""), _nest);
        Assert.That(unknown, Does.Contain("no accesses to `zz`").And.Contain("arrays accessed: b, a, out"));
        Assert.That(ReActProtocol.Execute(new ReActAction(ReActTool.Accesses, null, ""), _nest), Does.Contain("arrays accessed:"));
    }

    [Test]
    public void Effects_tool_tells_pure_from_impure_and_lists_the_real_callees()
    {
        Assert.That(ReActProtocol.Execute(new ReActAction(ReActTool.Effects, "sqrtf", ""), _nest), Does.Contain("sqrtf (line 6): no side effects"));
        Assert.That(ReActProtocol.Execute(new ReActAction(ReActTool.Effects, "printf", ""), _show), Does.Contain("printf (line 12): HAS SIDE EFFECTS"));
        Assert.That(ReActProtocol.Execute(new ReActAction(ReActTool.Effects, "malloc", ""), _show),
            Does.Contain("`malloc` is not called").And.Contain("printf").And.Contain("sqrtf"));
    }

    [Test]
    public void Scalars_tool_shows_classes() =>
        Assert.That(ReActProtocol.Execute(new ReActAction(ReActTool.Scalars, null, ""), _nest), Does.Contain("- loop line 5: t private"));

    [Test]
    public void Observations_are_bounded()
    {
        var big = string.Join(" ", Enumerable.Range(0, 80).Select(k => $"v{k}[i] = w[i];"));
        var decls = string.Join(" ", Enumerable.Range(0, 80).Select(k => $"float v{k}[100];"));
        var nest = Bed.Nest($"float w[100]; {decls}\nvoid f(void) {{\n  for (int i = 0; i < 100; i++) {{ {big} }}\n}}\n");
        var text = ReActProtocol.Execute(new ReActAction(ReActTool.Dependences, null, ""), nest);
        Assert.That(text.Length, Is.LessThanOrEqualTo(ReActProtocol.MaxObservationChars + 10));
    }
}
