using System.Text.Json;

namespace ParaSlm.Reasoner.Tests.Support;

/// <summary>How a scripted streamed answer ends after its lines.</summary>
public enum StreamEnd
{
    /// <summary>The chunked body is terminated properly and the connection closed.</summary>
    Complete,

    /// <summary>The connection is reset (TCP RST) without terminating the body: a crashed server or a cut proxy.</summary>
    Abort,

    /// <summary>The server keeps the connection open and sends nothing more.</summary>
    Hang,
}

/// <summary>
/// One line of a scripted NDJSON stream. The server renders it when it answers, so lines carry the model the
/// request asked for without the script having to know it.
/// </summary>
public abstract record ScriptedLine
{
    /// <summary>A chunk of assistant text: {"model", "created_at", "message": {"role": "assistant", "content"}, "done": false}.</summary>
    public static ScriptedLine Content(string text) => new ContentLine(text);

    /// <summary>The final line: "done": true with done_reason, token counts and durations (nanoseconds, like Ollama).</summary>
    public static ScriptedLine Done(string doneReason = "stop", int promptEvalCount = 42, int evalCount = 7, long totalDurationNs = 1_234_567_800) =>
        new DoneLine(doneReason, promptEvalCount, evalCount, totalDurationNs);

    /// <summary>An {"error": "…"} line, which Ollama writes when generation fails after the 200 was sent.</summary>
    public static ScriptedLine Error(string message) => new ErrorLine(message);

    /// <summary>A line written exactly as given (malformed JSON, an unexpected shape).</summary>
    public static ScriptedLine Raw(string text) => new RawLine(text);
}

public sealed record ContentLine(string Text) : ScriptedLine;

public sealed record DoneLine(string DoneReason, int PromptEvalCount, int EvalCount, long TotalDurationNs) : ScriptedLine;

public sealed record ErrorLine(string Message) : ScriptedLine;

public sealed record RawLine(string Text) : ScriptedLine;

/// <summary>
/// One scripted HTTP answer of <see cref="FakeOllamaServer"/>: either a whole body (<see cref="Body"/>) or a stream of
/// NDJSON lines (<see cref="Lines"/>, sent with chunked encoding, one line per chunk), or no answer at all.
/// Build them with the static factories and adjust with <c>with</c>.
/// </summary>
public sealed record ScriptedReply
{
    public int StatusCode { get; init; } = 200;

    public string ContentType { get; init; } = "application/x-ndjson";

    /// <summary>A whole body, sent with Content-Length.</summary>
    public string? Body { get; init; }

    /// <summary>Streamed lines; when set, <see cref="Body"/> is ignored.</summary>
    public IReadOnlyList<ScriptedLine>? Lines { get; init; }

    /// <summary>How the stream ends (only for <see cref="Lines"/>).</summary>
    public StreamEnd End { get; init; } = StreamEnd.Complete;

    /// <summary>Read the request, then never send a byte (until the server is disposed or the client gives up).</summary>
    public bool NeverAnswers { get; init; }

    /// <summary>Wait before sending the status line.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Wait before each streamed line (a slow model).</summary>
    public TimeSpan LineDelay { get; init; }

    /// <summary>A complete streamed chat answer: <paramref name="content"/> split into a few chunks, then the done line.</summary>
    public static ScriptedReply Chat(string content, string doneReason = "stop") =>
        Stream([.. SplitIntoChunks(content).Select(ScriptedLine.Content), ScriptedLine.Done(doneReason, evalCount: Math.Max(1, content.Length / 4))]);

    /// <summary>A complete streamed chat answer with exactly these chunks, then the done line.</summary>
    public static ScriptedReply Chunks(params string[] chunks) =>
        Stream([.. chunks.Select(ScriptedLine.Content), ScriptedLine.Done(evalCount: Math.Max(1, chunks.Length))]);

    /// <summary>A structured-output answer: the JSON text is the assistant content (streamed in pieces like a real model).</summary>
    public static ScriptedReply Json(string json) => Chat(json);

    /// <summary>A structured-output answer serialized from <paramref name="value"/> (camelCase unless <paramref name="options"/> say otherwise).</summary>
    public static ScriptedReply Json<T>(T value, JsonSerializerOptions? options = null) =>
        Chat(JsonSerializer.Serialize(value, options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    /// <summary>Streamed lines exactly as given (add <see cref="ScriptedLine.Done"/> yourself for a complete answer).</summary>
    public static ScriptedReply Stream(params ScriptedLine[] lines) => new() { Lines = lines };

    /// <summary>Some chunks, then an {"error": …} line inside the 200 stream.</summary>
    public static ScriptedReply ErrorMidStream(string error, params string[] chunksBefore) =>
        Stream([.. chunksBefore.Select(ScriptedLine.Content), ScriptedLine.Error(error)]);

    /// <summary>Some chunks, then a line that is not JSON.</summary>
    public static ScriptedReply MalformedLine(string badLine = "{\"model\":\"x\",\"message\":{\"role\":\"assist", params string[] chunksBefore) =>
        Stream([.. chunksBefore.Select(ScriptedLine.Content), ScriptedLine.Raw(badLine), ScriptedLine.Done()]);

    /// <summary>Some chunks, then a properly terminated body without the "done": true line.</summary>
    public static ScriptedReply Truncated(params string[] chunks) => Stream([.. chunks.Select(ScriptedLine.Content)]);

    /// <summary>Some chunks, then the connection is reset.</summary>
    public static ScriptedReply DroppedMidStream(params string[] chunks) => Truncated(chunks) with { End = StreamEnd.Abort };

    /// <summary>An HTTP error with Ollama's {"error": "…"} body.</summary>
    public static ScriptedReply Error(int statusCode, string message) =>
        new() { StatusCode = statusCode, ContentType = "application/json; charset=utf-8", Body = JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }) };

    /// <summary>Ollama's answer for a model it does not have.</summary>
    public static ScriptedReply ModelNotFound(string model) => Error(404, $"model \"{model}\" not found, try pulling it first");

    /// <summary>A 500 like the one Ollama sends when the runner dies.</summary>
    public static ScriptedReply ServerError(string message = "llama runner process has terminated: exit status 2") => Error(500, message);

    /// <summary>Any status with any body (e.g. a proxy's HTML page).</summary>
    public static ScriptedReply Status(int statusCode, string body, string contentType = "text/plain; charset=utf-8") =>
        new() { StatusCode = statusCode, ContentType = contentType, Body = body };

    /// <summary>A 200 JSON body (for /api/tags, /api/show overrides).</summary>
    public static ScriptedReply JsonBody(string json, int statusCode = 200) =>
        new() { StatusCode = statusCode, ContentType = "application/json; charset=utf-8", Body = json };

    /// <summary>Accepts the request and never answers.</summary>
    public static ScriptedReply NeverAnswer() => new() { NeverAnswers = true };

    public ScriptedReply WithDelay(TimeSpan delay) => this with { Delay = delay };

    public ScriptedReply WithLineDelay(TimeSpan delay) => this with { LineDelay = delay };

    // At most 6 pieces of similar length, so an answer arrives as several lines the client has to join
    // (JSON answers get split mid-token, as real streams do). Surrogate pairs stay whole.
    private static List<string> SplitIntoChunks(string content)
    {
        if (content.Length == 0) return [string.Empty];
        var size = Math.Max(1, (int)Math.Ceiling(content.Length / 6.0));
        var pieces = new List<string>();
        var start = 0;
        while (start < content.Length)
        {
            var end = Math.Min(start + size, content.Length);
            if (end < content.Length && char.IsHighSurrogate(content[end - 1])) end++;
            pieces.Add(content[start..end]);
            start = end;
        }
        return pieces;
    }
}
