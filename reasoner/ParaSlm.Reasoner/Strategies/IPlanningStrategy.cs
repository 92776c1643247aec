using Microsoft.Extensions.AI;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>What a strategy plans for: one candidate loop nest, its facts and its source.</summary>
/// <param name="Loop">Facts of the outermost loop of the nest (the one a plan would parallelize by default).</param>
/// <param name="Nest">Facts of every loop in the nest, outermost first (Loop included).</param>
/// <param name="SourceText">The nest's source text as written, whole lines, starting with the line of the outer `for`.</param>
/// <param name="TargetPreference">cpu | gpu | auto (ParaSlmTarget).</param>
public sealed record PlanningInput(LoopFacts Loop, IReadOnlyList<LoopFacts> Nest, string SourceText, string TargetPreference = "cpu")
{
    /// <summary>
    /// Line number of the first line of <see cref="SourceText"/>; 0 means <see cref="LoopFacts.Line"/> of <see cref="Loop"/>.
    /// Prompts number the source lines so the model can name a loop by the line the facts use.
    /// </summary>
    public int SourceLine { get; init; }

    /// <summary>The line number the first line of <see cref="SourceText"/> has in the file.</summary>
    public int FirstSourceLine => SourceLine > 0 ? SourceLine : Loop.Line;
}

/// <summary>Inference settings every strategy honours.</summary>
/// <param name="MaxOutputTokens">num_predict of a plan answer: the JSON plan takes ~90 tokens, so 256 leaves room for a
/// rationale and cuts off a model that rambles (on a 2-core machine every token is ~0.1–0.3 s).</param>
/// <param name="MaxReasoningTokens">num_predict of a free-text reasoning turn (cot, step-by-step's last step, ReAct).</param>
/// <param name="Threads">num_thread per request (ParaSlmModelThreads); null lets the server decide.</param>
/// <param name="TreeTemperature">Sampling temperature of tree-of-thoughts candidates: with the usual low temperature,
/// differently seeded candidates come out identical and the search has nothing to choose from.</param>
public sealed record StrategyOptions(
    string Model,
    int Seed = 42,
    float Temperature = 0.2f,
    int ContextLength = 4096,
    int MaxOutputTokens = 256,
    int MaxReasoningTokens = 384,
    int MaxReActSteps = 4,
    int TreeCandidates = 3,
    float TreeTemperature = 0.7f,
    int? Threads = null);

/// <summary>A strategy's answer: a proposal (null when the model gave nothing usable), how many model calls it took.</summary>
public sealed record StrategyResult(PlanProposal? Proposal, string Rationale, int ModelCalls, TimeSpan Elapsed, string? Error)
{
    /// <summary>The loop the proposal applies to (the nest's outer loop unless the model chose an inner one).</summary>
    public string? LoopId { get; init; }

    /// <summary>The PSLM code of <see cref="Error"/> when the model answered but not with a usable plan (<see cref="ModelAnswerCodes"/>).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The survivor is the analyzer's own plan (tree-of-thoughts always weighs it as one of its candidates).</summary>
    public bool FromAnalyzer { get; init; }

    /// <summary>What happened along the way, one line each (ReAct actions, tree-of-thoughts scores, parse failures): for reports and debugging.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// One inference strategy (zero-shot, few-shot, cot, step-by-step, react, tot). Strategies only propose:
/// every proposal still goes through <see cref="PlanVerifier"/>, so nothing a model says, and nothing written in
/// the source it reads (comments, strings), can make an unsafe loop parallel.
/// </summary>
/// <remarks>
/// Implementations are stateless and safe to share. A model answer that is not a usable plan comes back as a
/// result with <see cref="StrategyResult.Error"/>; failures of the chat client itself (server unreachable,
/// timeout) propagate as its exceptions, and the caller's cancellation as <see cref="OperationCanceledException"/>.
/// </remarks>
public interface IPlanningStrategy
{
    /// <summary>zero-shot | few-shot | cot | step-by-step | react | tot.</summary>
    string Name { get; }

    /// <summary>The version of the prompt files in use, e.g. `zero-shot@1`; part of a plan's identity (cache keys).</summary>
    string PromptVersion { get; }

    Task<StrategyResult> PlanAsync(PlanningInput input, IChatClient chat, StrategyOptions options, CancellationToken cancellationToken);
}
