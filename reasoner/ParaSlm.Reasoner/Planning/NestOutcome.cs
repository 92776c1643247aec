using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Planning;

/// <summary>What became of one loop nest in a model run: each nest has exactly one fate (the unit of `paraslm eval`'s rates).</summary>
public enum NestFate
{
    /// <summary>The model's plan, verified and at least as good as the analyzer's, is the nest's final plan.</summary>
    ModelUsed,

    /// <summary>The verifier rejected the model's plan (unsafe); the analyzer's plan was used.</summary>
    Unsafe,

    /// <summary>The model's plan was safe but the cost model estimates it slower than the analyzer's; the analyzer's was used.</summary>
    NotBetter,

    /// <summary>The model answered, but not with a usable plan (a PSLM301x code); the analyzer's plan was used.</summary>
    Invalid,

    /// <summary>Tree-of-thoughts weighed the analyzer's plan against the model's candidates and kept it.</summary>
    AnalyzerChosen,

    /// <summary>The model did not answer (timeout, server error); the analyzer's plan was used.</summary>
    Failed,

    /// <summary>Not asked: the run's model budget was spent.</summary>
    OverBudget,

    /// <summary>Not asked: the circuit breaker had opened after repeated failures.</summary>
    BreakerOpen,

    /// <summary>Not asked: the cache holds a rejected plan for this nest.</summary>
    CachedRejection,
}

/// <summary>One nest's fate, with the model's verdict and the cost model's gains (work units) behind the choice.</summary>
/// <param name="Verdict">The verifier's verdict on the model's plan for the loop it chose; null when there was no usable plan.</param>
/// <param name="MatchesAnalyzer">The model's verified plan equals the analyzer's plan on every loop of the nest.</param>
public sealed record NestOutcome(
    string RootId,
    int Line,
    NestFate Fate,
    VerdictKind? Verdict,
    string? Code,
    bool MatchesAnalyzer,
    double ModelGain,
    double AnalyzerGain,
    int ModelCalls,
    TimeSpan Elapsed);
