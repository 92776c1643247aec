using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Tests.Planning;

/// <summary>The default model budget grows with the loop nests and with the calls a strategy makes per nest.</summary>
[Category("Unit")]
public sealed class ModelBudgetTests
{
    private static ModelPlannerOptions Options(string strategy) => new(strategy, new StrategyOptions("m"), null);

    [TestCase("zero-shot", 1)]
    [TestCase("few-shot", 1)]
    [TestCase("cot", 2)]
    [TestCase("step-by-step", 3)]
    [TestCase("react", 5)]
    [TestCase("tot", 3)]
    public void The_budget_per_nest_is_the_strategys_calls_times_the_per_call_allowance(string strategy, int calls)
    {
        var o = Options(strategy);
        Assert.That(o.CallsPerNest(strategy), Is.EqualTo(calls));
        Assert.That(o.ScaledBudget(strategy, 10) - o.ScaledBudget(strategy, 9), Is.EqualTo(ModelPlannerOptions.PerCallBudget * calls));
    }

    [Test]
    public void Tree_of_thoughts_over_the_48_nests_of_the_kernel_suite_is_not_cut_off_at_ten_minutes()
    {
        // Measured on 2 cores: 5–7 s per call; tot makes 3 per nest, so 48 nests need ~15–20 minutes.
        var budget = Options("tot").ScaledBudget("tot", 48);
        Assert.That(budget, Is.GreaterThan(TimeSpan.FromSeconds(48 * 3 * 7)));
        Assert.That(Options("tot").ScaledBudget("tot", 0), Is.EqualTo(ModelPlannerOptions.BaseBudget));
    }
}
