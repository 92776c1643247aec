using System.Globalization;
using Microsoft.Extensions.AI;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// What the six strategies share: a prompt file named after the strategy, the placeholders every prompt may use,
/// and a fresh <see cref="ModelSession"/> per run. Strategies only propose; the verifier is the gate.
/// </summary>
/// <remarks>
/// Placeholders available to every prompt: <c>{{facts}}</c> (<see cref="FactsRenderer.Render"/>, without the verdict),
/// <c>{{outline}}</c> (the nest's loops only), <c>{{source}}</c> (numbered source lines), <c>{{schema}}</c> (the answer's
/// shape), <c>{{targets}}</c> (targets allowed by the user's preference), <c>{{outer_line}}</c>, <c>{{loop_lines}}</c>.
/// </remarks>
public abstract class PromptedStrategy : IPlanningStrategy
{
    private protected PromptedStrategy(string name, PromptLibrary prompts)
    {
        Name = name;
        Prompt = prompts.Get(name);
    }

    public string Name { get; }

    public string PromptVersion => Prompt.Id;

    /// <summary>The strategy's prompt file.</summary>
    public PromptTemplate Prompt { get; }

    /// <summary>How much of the facts the prompts show; the shipped strategies never show the verdict.</summary>
    public FactsRendering Facts { get; init; } = FactsRendering.Abstract;

    public async Task<StrategyResult> PlanAsync(PlanningInput input, IChatClient chat, StrategyOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        var session = new ModelSession(chat, options, input, cancellationToken);
        return await RunAsync(session, Values(input)).ConfigureAwait(false);
    }

    private protected abstract Task<StrategyResult> RunAsync(ModelSession session, Dictionary<string, string> values);

    private protected ChatMessage System(IReadOnlyDictionary<string, string> values) => new(ChatRole.System, Prompt.Render("system", values));

    private protected ChatMessage User(string section, IReadOnlyDictionary<string, string> values) => new(ChatRole.User, Prompt.Render(section, values));

    private Dictionary<string, string> Values(PlanningInput input) => new(StringComparer.Ordinal)
    {
        ["facts"] = FactsRenderer.Render(input, Facts),
        ["outline"] = FactsRenderer.Outline(input).TrimEnd('\n'),
        ["source"] = FactsRenderer.Source(input, Facts),
        ["schema"] = ModelPlanSchema.ShapeFor(input.TargetPreference),
        ["targets"] = string.Join(", ", ModelPlanSchema.TargetsFor(input.TargetPreference)),
        ["outer_line"] = input.Loop.Line.ToString(CultureInfo.InvariantCulture),
        ["loop_lines"] = string.Join(", ", input.Nest.Select(l => l.Line.ToString(CultureInfo.InvariantCulture))),
    };
}
