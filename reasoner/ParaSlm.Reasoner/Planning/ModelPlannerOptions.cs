using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Planning;

/// <summary>How the model is used for one build or one CLI run.</summary>
/// <param name="Strategy">auto | analyzer | zero-shot | few-shot | cot | step-by-step | react | tot.</param>
/// <param name="TotalBudget">Wall-clock budget for all model calls of the run, as the user set it; past it the analyzer
/// plans the rest. Null: a budget that grows with the number of nests (<see cref="ScaledBudget"/>).</param>
/// <param name="BreakerThreshold">Consecutive failed nests after which the model is not asked again in this run.</param>
public sealed record ModelPlannerOptions(
    string Strategy,
    StrategyOptions Inference,
    TimeSpan? TotalBudget,
    int BreakerThreshold = 3,
    string Target = "cpu")
{
    /// <summary>The strategy `auto` uses when the model is reachable (the paper's best).</summary>
    public const string AutoStrategy = "tot";

    /// <summary>What the scaled budget starts with: the first load of a model's weights takes seconds on its own.</summary>
    public static readonly TimeSpan BaseBudget = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Allowance per model call in the scaled budget. Measured on 2 cores: a 1–1.5B model takes 5–7 s per call
    /// (500–1,200 prompt tokens, ~90 out); the margin covers a busy machine (1.6–7 tokens/s when another job holds a core).
    /// </summary>
    public static readonly TimeSpan PerCallBudget = TimeSpan.FromSeconds(20);

    /// <summary>Model calls a strategy makes per nest (the most it makes, for ReAct).</summary>
    public int CallsPerNest(string strategy) => strategy switch
    {
        StrategyNames.ChainOfThought => 2,
        StrategyNames.StepByStep => 3,
        StrategyNames.ReAct => Inference.MaxReActSteps + 1,
        StrategyNames.TreeOfThoughts or "auto" => Math.Max(1, Inference.TreeCandidates),
        _ => 1,
    };

    /// <summary>
    /// The budget after <paramref name="nests"/> nests when the user set none: <see cref="BaseBudget"/> plus each nest's
    /// calls × <see cref="PerCallBudget"/> — a large code base is not cut off after a fixed ten minutes, and a model
    /// that is much slower than expected still stops in time.
    /// </summary>
    public TimeSpan ScaledBudget(string strategy, int nests) =>
        BaseBudget + PerCallBudget * (CallsPerNest(strategy) * Math.Max(0, nests));
}
