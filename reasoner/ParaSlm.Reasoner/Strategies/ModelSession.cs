using System.Diagnostics;
using Microsoft.Extensions.AI;
using ParaSlm.Reasoner.Ollama;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>How one model call of a strategy differs from the strategy's defaults.</summary>
/// <param name="Structured">Constrain the answer to the plan's JSON Schema (structured output).</param>
internal sealed record Turn(bool Structured, int? Seed = null, float? Temperature = null, int? MaxOutputTokens = null, IReadOnlyList<string>? Stop = null)
{
    public static Turn Text { get; } = new(false);

    public static Turn Plan { get; } = new(true);
}

/// <summary>
/// One <see cref="IPlanningStrategy.PlanAsync"/> run: the model calls it makes (counted), the time it takes, notes for
/// the report. A new session per run keeps the strategies themselves stateless and shareable.
/// </summary>
internal sealed class ModelSession(IChatClient chat, StrategyOptions options, PlanningInput input, CancellationToken cancellationToken)
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public PlanningInput Input => input;

    public StrategyOptions Options => options;

    public CancellationToken CancellationToken => cancellationToken;

    public int Calls { get; private set; }

    public List<string> Notes { get; } = [];

    /// <summary>Sends the conversation so far; returns the answer's text (empty when the model said nothing).</summary>
    public async Task<string> AskAsync(IEnumerable<ChatMessage> messages, Turn turn)
    {
        var chatOptions = ChatOptionsFor(options, input.TargetPreference, turn);
        Calls++;
        // A snapshot: the strategy keeps appending to its conversation, and a client may hold on to what it was sent.
        List<ChatMessage> sent = [.. messages];
        var response = await chat.GetResponseAsync(sent, chatOptions, cancellationToken).ConfigureAwait(false);
        return response.Text ?? string.Empty;
    }

    /// <summary>The request options of one call: model, seed, temperature, output limit, context length, format.</summary>
    public static ChatOptions ChatOptionsFor(StrategyOptions options, string targetPreference, Turn turn) => new()
    {
        ModelId = string.IsNullOrWhiteSpace(options.Model) ? null : options.Model,
        Seed = turn.Seed ?? options.Seed,
        Temperature = turn.Temperature ?? options.Temperature,
        MaxOutputTokens = turn.MaxOutputTokens ?? (turn.Structured ? options.MaxOutputTokens : options.MaxReasoningTokens),
        // Reasoning turns stay free text: a grammar would force JSON before the model has thought.
        ResponseFormat = turn.Structured ? ModelPlanSchema.ResponseFormatFor(targetPreference) : null,
        StopSequences = turn.Stop is { Count: > 0 } stop ? [.. stop] : null,
        AdditionalProperties = AdditionalProperties(options),
    };

    private static AdditionalPropertiesDictionary AdditionalProperties(StrategyOptions options)
    {
        var extra = new AdditionalPropertiesDictionary { [OllamaPropertyNames.NumCtx] = options.ContextLength };
        if (options.Threads is > 0) extra[OllamaPropertyNames.NumThread] = options.Threads.Value;
        return extra;
    }

    /// <summary>The result for a plan the model gave.</summary>
    public StrategyResult Success(ParsedPlan plan, string? fallbackRationale = null)
    {
        var rationale = plan.Rationale.Length > 0 ? plan.Rationale : Summarize(fallbackRationale);
        return new StrategyResult(plan.Proposal, rationale, Calls, _watch.Elapsed, null) { LoopId = plan.LoopId, Notes = [.. Notes] };
    }

    /// <summary>The result when the model gave nothing usable; the code is that of the first unusable answer.</summary>
    public StrategyResult Failure(string error) =>
        new(null, string.Empty, Calls, _watch.Elapsed, error) { Notes = [.. Notes], ErrorCode = FirstCode };

    /// <summary>The <see cref="ModelAnswerCodes"/> code of the first answer that was not a usable plan.</summary>
    public string? FirstCode { get; private set; }

    /// <summary>Parses an answer; a failure is noted (with <paramref name="what"/>, its code and evidence) and returns null.</summary>
    public ParsedPlan? TryParse(string answer, string what)
    {
        var parsed = PlanParser.Parse(answer, input);
        if (parsed.Plan is { } plan) return plan;
        FirstCode ??= parsed.Code;
        Notes.Add($"{what}: {parsed.Code}: {parsed.Error}");
        return null;
    }

    private static string Summarize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return string.Empty;
        var t = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (!Prose.IsProse(t)) return string.Empty;
        return t.Length <= 300 ? t : t[..300].TrimEnd() + "…";
    }
}
