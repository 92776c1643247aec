using Microsoft.Extensions.AI;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// few-shot (Prompts/few-shot.md): zero-shot plus worked examples (facts → plan) from the prompt file's
/// `examples` section, in the same facts format the renderer produces. Cost: 1 model call per loop nest.
/// </summary>
public sealed class FewShotStrategy(PromptLibrary prompts) : PromptedStrategy(StrategyNames.FewShot, prompts)
{
    private protected override async Task<StrategyResult> RunAsync(ModelSession session, Dictionary<string, string> values)
    {
        values["examples"] = Prompt.Section("examples");
        List<ChatMessage> messages = [System(values), User("user", values)];
        var answer = await session.AskAsync(messages, Turn.Plan).ConfigureAwait(false);
        return session.TryParse(answer, "answer") is { } plan ? session.Success(plan) : session.Failure(session.Notes[^1]);
    }
}
