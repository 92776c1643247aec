using Microsoft.Extensions.AI;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// cot (Prompts/cot.md): one free-text call in which the model reasons about the facts ("think step by step"),
/// then, in the same conversation, one structured call for the plan. Cost: 2 model calls per loop nest.
/// </summary>
/// <remarks>
/// The reasoning call is not constrained by the schema (a grammar would force JSON before any thought). When the
/// structured answer cannot be read, a plan written inside the reasoning is used instead.
/// </remarks>
public sealed class ChainOfThoughtStrategy(PromptLibrary prompts) : PromptedStrategy(StrategyNames.ChainOfThought, prompts)
{
    private protected override async Task<StrategyResult> RunAsync(ModelSession session, Dictionary<string, string> values)
    {
        List<ChatMessage> messages = [System(values), User("user", values)];
        var reasoning = await session.AskAsync(messages, Turn.Text).ConfigureAwait(false);
        messages.Add(new ChatMessage(ChatRole.Assistant, reasoning));
        messages.Add(User("answer", values));
        var answer = await session.AskAsync(messages, Turn.Plan).ConfigureAwait(false);
        if (session.TryParse(answer, "final answer") is { } plan) return session.Success(plan, reasoning);
        if (session.TryParse(reasoning, "reasoning") is { } fromReasoning) return session.Success(fromReasoning, reasoning);
        return session.Failure(session.Notes[0]);
    }
}
