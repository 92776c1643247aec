using System.Text.Json;
using System.Text.Json.Serialization;

namespace ParaSlm.Reasoner.Ollama;

// Ollama's response shapes, only the fields the client reads. Everything is optional on purpose: servers of
// different versions omit fields, and a missing field must not turn a good answer into PSLM3105.

/// <summary>One NDJSON line of a streamed /api/chat answer (also the shape of an {"error": …} line).</summary>
internal sealed record OllamaChatChunk(
    string? Model,
    string? CreatedAt,
    OllamaWireMessage? Message,
    bool Done,
    string? DoneReason,
    long? TotalDuration,
    long? LoadDuration,
    int? PromptEvalCount,
    long? PromptEvalDuration,
    int? EvalCount,
    long? EvalDuration,
    string? Error);

internal sealed record OllamaWireMessage(string? Role, string? Content, string? Thinking);

internal sealed record OllamaWireDetails(string? Format, string? Family, string? ParameterSize, string? QuantizationLevel);

internal sealed record OllamaTagModel(string? Name, string? Model, string? ModifiedAt, long Size, string? Digest, OllamaWireDetails? Details);

internal sealed record OllamaTagsResponse(List<OllamaTagModel>? Models);

internal sealed record OllamaShowResponse(
    string? Template,
    string? Parameters,
    OllamaWireDetails? Details,
    Dictionary<string, JsonElement>? ModelInfo,
    List<string>? Capabilities,
    string? ModifiedAt);

internal sealed record OllamaErrorBody(string? Error);

// Source-generated: no reflection at run time, and the snake_case mapping is stated once.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OllamaChatChunk))]
[JsonSerializable(typeof(OllamaTagsResponse))]
[JsonSerializable(typeof(OllamaShowResponse))]
[JsonSerializable(typeof(OllamaErrorBody))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
