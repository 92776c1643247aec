namespace ParaSlm.Reasoner.Ollama;

/// <summary>What Ollama says about a model's build (the "details" object of /api/tags and /api/show).</summary>
/// <param name="Family">Architecture family, e.g. "qwen2", "llama", "gemma3".</param>
/// <param name="ParameterSize">e.g. "1.5B".</param>
/// <param name="QuantizationLevel">e.g. "Q4_K_M".</param>
/// <param name="Format">File format, e.g. "gguf".</param>
public sealed record OllamaModelDetails(string? Family, string? ParameterSize, string? QuantizationLevel, string? Format);

/// <summary>
/// One installed model (GET /api/tags). <see cref="Digest"/> identifies the exact weights: a plan cache keys on it so
/// that `ollama pull` of a new revision under the same tag does not reuse plans of the old one.
/// </summary>
public sealed record OllamaModelInfo(string Name, string Digest, long Size, DateTimeOffset? ModifiedAt, OllamaModelDetails? Details);

/// <summary>One model's description (POST /api/show).</summary>
/// <param name="Model">The name that was asked for.</param>
/// <param name="Details">Family, parameter size, quantization.</param>
/// <param name="Template">The prompt template, when the server reports one.</param>
/// <param name="Parameters">The Modelfile's PARAMETER lines as text (e.g. stop tokens, a configured num_ctx), when present.</param>
/// <param name="ContextLength">The context length the model was trained for (model_info "&lt;arch&gt;.context_length"), when present.</param>
/// <param name="Capabilities">e.g. "completion", "tools", "thinking" (newer servers only; empty otherwise).</param>
/// <param name="ModifiedAt">When the model was pulled or created.</param>
public sealed record OllamaModelDescription(
    string Model,
    OllamaModelDetails Details,
    string? Template,
    string? Parameters,
    int? ContextLength,
    IReadOnlyList<string> Capabilities,
    DateTimeOffset? ModifiedAt)
{
    public string? Family => Details.Family;

    public string? ParameterSize => Details.ParameterSize;

    public string? QuantizationLevel => Details.QuantizationLevel;
}

/// <summary>
/// Keys of Ollama-specific values in <c>ChatOptions.AdditionalProperties</c> (request overrides) and in
/// <c>ChatResponse.AdditionalProperties</c> / the final <c>ChatResponseUpdate.AdditionalProperties</c> (timings, as <see cref="TimeSpan"/>).
/// </summary>
public static class OllamaPropertyNames
{
    /// <summary>Request override of <see cref="OllamaClientOptions.ContextLength"/> (an integer).</summary>
    public const string NumCtx = "num_ctx";

    /// <summary>Inference threads on the server for this request (an integer); absent, the server decides.</summary>
    public const string NumThread = "num_thread";

    /// <summary>Request override of <see cref="OllamaClientOptions.KeepAlive"/> (a duration string, or seconds as a number).</summary>
    public const string KeepAlive = "keep_alive";

    /// <summary>Whole request on the server: load + prompt evaluation + generation.</summary>
    public const string TotalDuration = "total_duration";

    /// <summary>Time spent loading the model (near zero when it was already loaded).</summary>
    public const string LoadDuration = "load_duration";

    /// <summary>Time spent evaluating the prompt.</summary>
    public const string PromptEvalDuration = "prompt_eval_duration";

    /// <summary>Time spent generating the answer.</summary>
    public const string EvalDuration = "eval_duration";
}
