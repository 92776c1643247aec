using System.Globalization;
using Microsoft.Extensions.AI;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// react (Prompts/react.md): the model sees the nest's outline and source only, and looks facts up itself through
/// tools executed against the analyzer's facts (<see cref="ReActProtocol"/>): `dependences [line]`, `accesses
/// &lt;array&gt;`, `effects &lt;function&gt;`, `scalars [line]`, and `final &lt;json&gt;` to answer. Each turn is one
/// free-text call; the observation goes back as the next user message.
/// Cost: 1 to <see cref="StrategyOptions.MaxReActSteps"/> + 1 model calls per loop nest — one per step until
/// `final`, plus one forced structured call when the steps run out without a usable final answer.
/// </summary>
public sealed class ReActStrategy(PromptLibrary prompts) : PromptedStrategy(StrategyNames.ReAct, prompts)
{
    /// <summary>Stops generation where the model would start inventing its own observation.</summary>
    public static IReadOnlyList<string> StopSequences { get; } = ["Observation:"];

    private protected override async Task<StrategyResult> RunAsync(ModelSession session, Dictionary<string, string> values)
    {
        var maxSteps = Math.Max(0, session.Options.MaxReActSteps);
        List<ChatMessage> messages = [System(values), User("user", values)];
        var stepTurn = Turn.Text with { Stop = StopSequences };
        for (var step = 1; step <= maxSteps; step++)
        {
            var reply = await session.AskAsync(messages, stepTurn).ConfigureAwait(false);
            var action = ReActProtocol.Parse(reply);
            messages.Add(new ChatMessage(ChatRole.Assistant, ReActProtocol.Truncate(reply)));
            values["steps_left"] = (maxSteps - step).ToString(CultureInfo.InvariantCulture);

            if (action is null)
            {
                session.Notes.Add($"step {step}: no action");
                messages.Add(User("no-action", values));
                continue;
            }
            if (action.Tool == ReActTool.Final)
            {
                if (session.TryParse(action.Argument ?? string.Empty, $"step {step}: final") is { } plan)
                {
                    session.Notes.Add($"step {step}: final");
                    return session.Success(plan, action.Thought);
                }
                values["error"] = PlanParser.Parse(action.Argument).Error ?? "not a plan";
                messages.Add(User("bad-final", values));
                continue;
            }
            var observation = ReActProtocol.Execute(action, session.Input);
            session.Notes.Add($"step {step}: {action.Tool.ToString().ToLowerInvariant()}{(action.Argument is null ? "" : " " + action.Argument)}");
            values["observation"] = observation;
            messages.Add(User("observation", values));
        }

        // Out of steps: one structured call, so a model that kept looking still ends with a plan.
        // The last observation stays useful, so the demand for the answer joins it in one user message.
        session.Notes.Add("step limit reached: forced final answer");
        var force = Prompt.Render("force", values);
        if (messages[^1].Role == ChatRole.User) messages[^1] = new ChatMessage(ChatRole.User, messages[^1].Text + "\n\n" + force);
        else messages.Add(new ChatMessage(ChatRole.User, force));
        var answer = await session.AskAsync(messages, Turn.Plan).ConfigureAwait(false);
        return session.TryParse(answer, "forced final answer") is { } forced ? session.Success(forced) : session.Failure(session.Notes[^1]);
    }
}
