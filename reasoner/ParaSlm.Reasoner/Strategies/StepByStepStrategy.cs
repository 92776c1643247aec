using Microsoft.Extensions.AI;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// step-by-step (Prompts/step-by-step.md): the decision broken into fixed sub-questions asked one call at a time in
/// one conversation — the prompt file's `step-1`, `step-2`, … sections (dependences per loop; scalars and calls) —
/// then one structured call for the plan. Unlike cot, the procedure is ours, not the model's: a 1B model answers a
/// narrow question far better than it plans its own reasoning.
/// Cost: (number of `step-N` sections) + 1 model calls per loop nest; 3 with the shipped prompt.
/// </summary>
public sealed class StepByStepStrategy(PromptLibrary prompts) : PromptedStrategy(StrategyNames.StepByStep, prompts)
{
    /// <summary>Intermediate answers are short by design; capping them keeps the growing conversation inside num_ctx.</summary>
    public const int MaxStepTokens = 256;

    /// <summary>The step sections of the prompt file, in file order.</summary>
    public IReadOnlyList<string> Steps => Prompt.Sections.Select(s => s.Key).Where(k => k.StartsWith("step-", StringComparison.Ordinal)).ToList();

    private protected override async Task<StrategyResult> RunAsync(ModelSession session, Dictionary<string, string> values)
    {
        var steps = Steps;
        var stepTurn = Turn.Text with { MaxOutputTokens = Math.Min(MaxStepTokens, session.Options.MaxReasoningTokens) };
        List<ChatMessage> messages = [System(values)];
        for (var i = 0; i < steps.Count; i++)
        {
            var question = Prompt.Render(steps[i], values);
            // The facts and source come once, with the first question; later steps refer back to them.
            messages.Add(new ChatMessage(ChatRole.User, i == 0 ? Prompt.Render("user", values) + "\n\n" + question : question));
            var reply = await session.AskAsync(messages, stepTurn).ConfigureAwait(false);
            messages.Add(new ChatMessage(ChatRole.Assistant, reply));
        }
        messages.Add(User("answer", values));
        var answer = await session.AskAsync(messages, Turn.Plan).ConfigureAwait(false);
        var reasoning = string.Join(" ", messages.Where(m => m.Role == ChatRole.Assistant).Select(m => m.Text));
        return session.TryParse(answer, "final answer") is { } plan ? session.Success(plan, reasoning) : session.Failure(session.Notes[^1]);
    }
}
