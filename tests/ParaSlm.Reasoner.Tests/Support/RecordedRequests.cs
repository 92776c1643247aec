using System.Text.Json;

namespace ParaSlm.Reasoner.Tests.Support;

/// <summary>One HTTP request the fake server received, in arrival order (<see cref="Sequence"/> starts at 1).</summary>
/// <param name="Json">The body parsed as JSON, or null when it was empty or not JSON.</param>
public sealed record RecordedRequest(
    int Sequence,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    JsonElement? Json,
    DateTimeOffset ReceivedAt);

/// <summary>One message of a recorded /api/chat request.</summary>
public sealed record ChatMessageRecord(string Role, string Content);

/// <summary>
/// A recorded POST /api/chat, parsed. <see cref="Number"/> counts chat requests only (1 = the first model call).
/// </summary>
public sealed record ChatRequestRecord(
    int Number,
    RecordedRequest Request,
    string Model,
    IReadOnlyList<ChatMessageRecord> Messages,
    bool Stream,
    JsonElement? Format,
    JsonElement? Options,
    JsonElement? KeepAlive)
{
    /// <summary>The first system message, if any.</summary>
    public string? SystemPrompt => Messages.FirstOrDefault(m => m.Role == "system")?.Content;

    /// <summary>The last user message ("" when there is none).</summary>
    public string LastUserMessage => Messages.LastOrDefault(m => m.Role == "user")?.Content ?? string.Empty;

    /// <summary>All message contents joined, for "does the prompt mention X" checks.</summary>
    public string AllText => string.Join("\n", Messages.Select(m => m.Content));

    /// <summary>"json", "schema" (a JSON schema object), or null when no format was sent.</summary>
    public string? FormatKind => Format switch
    {
        { ValueKind: JsonValueKind.String } f => f.GetString(),
        { ValueKind: JsonValueKind.Object } => "schema",
        _ => null,
    };

    public long? Seed => Number64("seed");

    public double? Temperature => Double("temperature");

    public double? TopP => Double("top_p");

    public int? NumCtx => (int?)Number64("num_ctx");

    public int? NumPredict => (int?)Number64("num_predict");

    /// <summary>keep_alive as text (a string's value, or a number's JSON text).</summary>
    public string? KeepAliveText => KeepAlive switch
    {
        { ValueKind: JsonValueKind.String } k => k.GetString(),
        { } k => k.GetRawText(),
        null => null,
    };

    /// <summary>One entry of "options", when sent.</summary>
    public JsonElement? Option(string name) =>
        Options is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? v : null;

    private long? Number64(string name) => Option(name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : null;

    private double? Double(string name) => Option(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    internal static ChatRequestRecord From(int number, RecordedRequest request)
    {
        var messages = new List<ChatMessageRecord>();
        string model = string.Empty;
        var stream = true; // Ollama streams unless told not to
        JsonElement? format = null, options = null, keepAlive = null;
        if (request.Json is { ValueKind: JsonValueKind.Object } body)
        {
            if (body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String) model = m.GetString()!;
            if (body.TryGetProperty("messages", out var ms) && ms.ValueKind == JsonValueKind.Array)
            {
                foreach (var msg in ms.EnumerateArray())
                {
                    var role = msg.TryGetProperty("role", out var r) ? r.GetString() ?? string.Empty : string.Empty;
                    var content = msg.TryGetProperty("content", out var c) ? c.GetString() ?? string.Empty : string.Empty;
                    messages.Add(new ChatMessageRecord(role, content));
                }
            }
            if (body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.False) stream = false;
            if (body.TryGetProperty("format", out var f)) format = f;
            if (body.TryGetProperty("options", out var o)) options = o;
            if (body.TryGetProperty("keep_alive", out var k)) keepAlive = k;
        }
        return new ChatRequestRecord(number, request, model, messages, stream, format, options, keepAlive);
    }
}
