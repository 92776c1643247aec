using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Planning;

/// <summary>How the model is used for one build or one CLI run.</summary>
/// <param name="Strategy">auto | analyzer | zero-shot | few-shot | cot | step-by-step | react | tot.</param>
/// <param name="TotalBudget">Wall-clock budget for all model calls of the run; past it the analyzer plans the rest.</param>
/// <param name="BreakerThreshold">Consecutive failed nests after which the model is not asked again in this run.</param>
public sealed record ModelPlannerOptions(
    string Strategy,
    StrategyOptions Inference,
    TimeSpan TotalBudget,
    int BreakerThreshold = 3,
    string Target = "cpu")
{
    /// <summary>The strategy `auto` uses when the model is reachable (the paper's best).</summary>
    public const string AutoStrategy = "tot";

    public static readonly TimeSpan DefaultBudget = TimeSpan.FromMinutes(10);
}
