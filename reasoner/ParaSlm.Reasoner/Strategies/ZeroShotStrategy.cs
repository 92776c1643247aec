using Microsoft.Extensions.AI;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// zero-shot (Prompts/zero-shot.md): the task, the facts and the source, and one structured answer.
/// Cost: 1 model call per loop nest.
/// </summary>
public sealed class ZeroShotStrategy(PromptLibrary prompts) : PromptedStrategy(StrategyNames.ZeroShot, prompts)
{
    private protected override async Task<StrategyResult> RunAsync(ModelSession session, Dictionary<string, string> values)
    {
        List<ChatMessage> messages = [System(values), User("user", values)];
        var answer = await session.AskAsync(messages, Turn.Plan).ConfigureAwait(false);
        return session.TryParse(answer, "answer") is { } plan ? session.Success(plan) : session.Failure(session.Notes[^1]);
    }
}
