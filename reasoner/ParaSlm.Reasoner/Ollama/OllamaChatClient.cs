using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace ParaSlm.Reasoner.Ollama;

/// <summary>
/// <see cref="IChatClient"/> over Ollama's native HTTP API (/api/chat, /api/tags, /api/show), on HttpClient and
/// System.Text.Json only. Strategies depend on <see cref="IChatClient"/>, so an OpenAI-compatible backend can replace
/// this one without touching them.
/// </summary>
/// <remarks>
/// Every chat request streams (Ollama's default), so a long generation keeps the connection visibly alive and a server
/// that fails half-way is reported as such; <see cref="GetResponseAsync"/> aggregates the stream. <c>num_ctx</c> is
/// always sent. Thread-safe: no per-request state lives on the instance.
/// </remarks>
public sealed partial class OllamaChatClient : IChatClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    // A body read for an error message only; a proxy's HTML page must not fill the user's terminal.
    private const int MaxErrorBodyChars = 2000;

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly Uri _baseUri;
    private readonly ChatClientMetadata _metadata;

    /// <summary>A client with an HttpClient of its own (disposed with this client).</summary>
    public OllamaChatClient(OllamaClientOptions options)
        : this(CreateHttpClient(), options, ownsHttpClient: true)
    {
    }

    /// <summary>A client on the caller's HttpClient, which stays the caller's to dispose. Its BaseAddress is ignored: <see cref="OllamaClientOptions.Endpoint"/> decides.</summary>
    public OllamaChatClient(HttpClient httpClient, OllamaClientOptions options)
        : this(httpClient, options, ownsHttpClient: false)
    {
    }

    private OllamaChatClient(HttpClient httpClient, OllamaClientOptions options, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _http = httpClient;
        _ownsHttpClient = ownsHttpClient;
        Options = options;
        // Relative "api/chat" must append to the endpoint's path, which needs a trailing slash.
        _baseUri = options.Endpoint.AbsoluteUri.EndsWith('/') ? options.Endpoint : new Uri(options.Endpoint.AbsoluteUri + "/");
        _metadata = new ChatClientMetadata("ollama", _baseUri, options.Model);
    }

    /// <summary>The options this client was created with.</summary>
    public OllamaClientOptions Options { get; }

    /// <summary>The server's base address.</summary>
    public Uri Endpoint => _baseUri;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        var thinking = new StringBuilder();
        ChatResponseUpdate? final = null;
        string? modelId = null;
        DateTimeOffset? createdAt = null;
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var content in update.Contents)
            {
                if (content is TextContent t) text.Append(t.Text);
                else if (content is TextReasoningContent r) thinking.Append(r.Text);
            }
            modelId ??= update.ModelId;
            createdAt ??= update.CreatedAt;
            if (update.FinishReason is not null || update.Contents.OfType<UsageContent>().Any()) final = update;
        }

        var contents = new List<AIContent>();
        if (thinking.Length > 0) contents.Add(new TextReasoningContent(thinking.ToString()));
        contents.Add(new TextContent(text.ToString()));
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = final?.ModelId ?? modelId,
            CreatedAt = createdAt,
            FinishReason = final?.FinishReason,
            Usage = final?.Contents.OfType<UsageContent>().FirstOrDefault()?.Details,
            AdditionalProperties = final?.AdditionalProperties,
        };
    }

    /// <inheritdoc />
    /// <remarks>One update per NDJSON line; the last one carries <see cref="ChatResponseUpdate.FinishReason"/>, a
    /// <see cref="UsageContent"/> and the server's timings (<see cref="OllamaPropertyNames"/>).</remarks>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = ResolveModel(options);
        var body = BuildChatRequestBody(model, messages, options);

        using var call = await SendAsync(HttpMethod.Post, "api/chat", body, model, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(
            await ReadStreamAsync(call, model, cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        var lineNumber = 0;
        while (true)
        {
            // yield cannot sit in a try with catch, so each line is read (and its failures translated) first.
            string? line;
            try
            {
                line = await reader.ReadLineAsync(call.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
                throw TranslateBodyFailure(e, call, model, cancellationToken,
                    $"the connection closed in the middle of the streamed answer (after {lineNumber} lines): {Clause(e.Message)}");
            }

            if (line is null)
            {
                throw Failure(OllamaErrorCodes.MalformedStream,
                    $"the streamed answer from {_baseUri} for model '{model}' ended after {lineNumber} lines without the final \"done\": true line. "
                    + "The server may have crashed or a proxy cut the connection; check the Ollama server log and retry.",
                    model, call.Attempts);
            }

            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;

            OllamaChatChunk chunk;
            try
            {
                chunk = JsonSerializer.Deserialize(line, OllamaJsonContext.Default.OllamaChatChunk)
                    ?? throw new JsonException("the line is JSON null");
            }
            catch (JsonException e)
            {
                throw Failure(OllamaErrorCodes.MalformedStream,
                    $"line {lineNumber} of the streamed answer from {_baseUri} is not a valid Ollama chat message ({JsonProblem(e)}): {Excerpt(line)}. "
                    + "Is the endpoint an Ollama server (not an OpenAI-compatible one, which needs another client)?",
                    model, call.Attempts, e);
            }

            if (chunk.Error is { } error)
            {
                throw IsModelNotFound(error)
                    ? ModelNotFound(model, error, null, call.Attempts)
                    : Failure(OllamaErrorCodes.StreamError,
                        $"Ollama reported an error in the middle of its answer from model '{model}': {Clause(error)}. "
                        + "If it ran out of memory, lower the context length (num_ctx) or use a smaller model; otherwise see the Ollama server log.",
                        model, call.Attempts, serverError: error);
            }

            yield return ToUpdate(chunk, model);
            if (chunk.Done) yield break;
        }
    }

    /// <summary>The installed models (GET /api/tags), with the digests that identify their exact weights.</summary>
    public async Task<IReadOnlyList<OllamaModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        using var call = await SendAsync(HttpMethod.Get, "api/tags", body: null, model: null, cancellationToken).ConfigureAwait(false);
        var json = await ReadAllAsync(call, model: null, cancellationToken).ConfigureAwait(false);
        var tags = Parse(json, OllamaJsonContext.Default.OllamaTagsResponse, "/api/tags", model: null, call.Attempts);
        return (tags.Models ?? [])
            .Select(m => new OllamaModelInfo(
                m.Name ?? m.Model ?? string.Empty,
                m.Digest ?? string.Empty,
                m.Size,
                ParseTime(m.ModifiedAt),
                ToDetails(m.Details)))
            .ToList();
    }

    /// <summary>
    /// The installed model that `ollama run <paramref name="model"/>` would use (a name without a tag means ":latest"),
    /// or null when it is not installed.
    /// </summary>
    public async Task<OllamaModelInfo?> FindModelAsync(string model, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        var wanted = model.Contains(':', StringComparison.Ordinal) ? model : model + ":latest";
        var models = await ListModelsAsync(cancellationToken).ConfigureAwait(false);
        return models.FirstOrDefault(m => string.Equals(m.Name, wanted, StringComparison.OrdinalIgnoreCase))
            ?? models.FirstOrDefault(m => string.Equals(m.Name, model, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>One model's description (POST /api/show); <paramref name="model"/> defaults to the options' model.</summary>
    /// <exception cref="OllamaException">PSLM3102 when the server does not have the model.</exception>
    public async Task<OllamaModelDescription> ShowModelAsync(string? model = null, CancellationToken cancellationToken = default)
    {
        model = string.IsNullOrWhiteSpace(model) ? Options.Model : model;
        var body = WriteJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteEndObject();
        });
        using var call = await SendAsync(HttpMethod.Post, "api/show", body, model, cancellationToken).ConfigureAwait(false);
        var json = await ReadAllAsync(call, model, cancellationToken).ConfigureAwait(false);
        var show = Parse(json, OllamaJsonContext.Default.OllamaShowResponse, "/api/show", model, call.Attempts);
        return new OllamaModelDescription(
            model,
            ToDetails(show.Details) ?? new OllamaModelDetails(null, null, null, null),
            string.IsNullOrEmpty(show.Template) ? null : show.Template,
            string.IsNullOrEmpty(show.Parameters) ? null : show.Parameters,
            ContextLengthOf(show.ModelInfo),
            show.Capabilities ?? [],
            ParseTime(show.ModifiedAt));
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return _metadata;
        if (serviceType == typeof(OllamaClientOptions)) return Options;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttpClient) _http.Dispose();
    }

    // ---- requests -------------------------------------------------------------------------------------------

    private string ResolveModel(ChatOptions? options)
    {
        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? Options.Model : options.ModelId;
        if (string.IsNullOrWhiteSpace(model))
            throw new ArgumentException("No model: set OllamaClientOptions.Model or ChatOptions.ModelId.", nameof(options));
        return model;
    }

    /// <summary>The JSON body of POST /api/chat; internal so tests can check the wire shape without a server.</summary>
    internal byte[] BuildChatRequestBody(string model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options?.Tools is { Count: > 0 })
            throw new NotSupportedException("OllamaChatClient does not implement tool calling; strategies drive ReAct steps through plain text.");

        var numCtx = Options.ContextLength;
        object? keepAlive = Options.KeepAlive;
        int? numThread = null;
        if (options?.AdditionalProperties is { } extra)
        {
            if (extra.TryGetValue(OllamaPropertyNames.NumThread, out var th) && th is not null)
                numThread = ToInt(th) is > 0 and var t ? t : throw new ArgumentException($"ChatOptions.AdditionalProperties[\"num_thread\"] must be a positive integer, not '{th}'.", nameof(options));
            if (extra.TryGetValue(OllamaPropertyNames.NumCtx, out var n) && n is not null)
                numCtx = ToInt(n) ?? throw new ArgumentException($"ChatOptions.AdditionalProperties[\"num_ctx\"] must be a positive integer, not '{n}'.", nameof(options));
            if (numCtx <= 0)
                throw new ArgumentException($"num_ctx must be positive, not {numCtx}.", nameof(options));
            if (extra.TryGetValue(OllamaPropertyNames.KeepAlive, out var k) && k is not null) keepAlive = k;
        }

        return WriteJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("model", model);

            w.WriteStartArray("messages");
            if (!string.IsNullOrEmpty(options?.Instructions))
                WriteMessage(w, "system", options.Instructions, images: []);
            foreach (var message in messages)
            {
                if (message.Contents.Any(c => c is FunctionCallContent or FunctionResultContent))
                    throw new NotSupportedException("OllamaChatClient does not implement tool calling; send tool results as text.");
                var images = message.Contents.OfType<DataContent>().Where(d => d.HasTopLevelMediaType("image")).ToList();
                WriteMessage(w, message.Role.Value, message.Text, images);
            }
            w.WriteEndArray();

            w.WriteBoolean("stream", true);

            switch (options?.ResponseFormat)
            {
                case ChatResponseFormatJson { Schema: { } schema }:
                    // Ollama's structured outputs: the schema itself goes in "format" and constrains decoding.
                    w.WritePropertyName("format");
                    schema.WriteTo(w);
                    break;
                case ChatResponseFormatJson:
                    w.WriteString("format", "json");
                    break;
            }

            w.WriteStartObject("options");
            if (options?.Seed is { } seed) w.WriteNumber("seed", seed);
            if (options?.Temperature is { } temperature) w.WriteNumber("temperature", temperature);
            if (options?.TopP is { } topP) w.WriteNumber("top_p", topP);
            if (options?.TopK is { } topK) w.WriteNumber("top_k", topK);
            if (options?.MaxOutputTokens is { } maxTokens) w.WriteNumber("num_predict", maxTokens);
            if (options?.FrequencyPenalty is { } fp) w.WriteNumber("frequency_penalty", fp);
            if (options?.PresencePenalty is { } pp) w.WriteNumber("presence_penalty", pp);
            if (options?.StopSequences is { Count: > 0 } stops)
            {
                w.WriteStartArray("stop");
                foreach (var s in stops) w.WriteStringValue(s);
                w.WriteEndArray();
            }
            w.WriteNumber("num_ctx", numCtx);
            if (numThread is { } threads) w.WriteNumber("num_thread", threads);
            w.WriteEndObject();

            WriteKeepAlive(w, keepAlive);
            w.WriteEndObject();
        });
    }

    private static void WriteMessage(Utf8JsonWriter w, string role, string content, IReadOnlyList<DataContent> images)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        if (images.Count > 0)
        {
            w.WriteStartArray("images");
            foreach (var image in images) w.WriteBase64StringValue(image.Data.Span);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    // Ollama takes a duration string ("5m") or a number of seconds (negative: keep loaded forever).
    private static void WriteKeepAlive(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string s:
                w.WriteString("keep_alive", s);
                break;
            case TimeSpan t:
                w.WriteNumber("keep_alive", (long)t.TotalSeconds);
                break;
            case JsonElement e:
                w.WritePropertyName("keep_alive");
                e.WriteTo(w);
                break;
            default:
                if (ToInt(value) is { } seconds) w.WriteNumber("keep_alive", seconds);
                else w.WriteString("keep_alive", Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static int? ToInt(object value) => value switch
    {
        int i => i,
        long l and >= int.MinValue and <= int.MaxValue => (int)l,
        short s => s,
        JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var j) => j,
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) => k,
        _ => null,
    };

    private static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Sends one request, retrying what a retry can fix, and returns the call with a success status and headers read.
    /// The call owns the per-attempt timeout, which keeps running while the body streams.
    /// </summary>
    private async Task<OllamaCall> SendAsync(HttpMethod method, string path, byte[]? body, string? model, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseUri, path);
        for (var attempt = 1; ; attempt++)
        {
            var call = new OllamaCall(Options.RequestTimeout, attempt, cancellationToken);
            var keep = false;
            OllamaException failure;
            var retryable = false;
            try
            {
                using var request = new HttpRequestMessage(method, uri);
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = JsonMediaType;
                }

                var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, call.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    call.Response = response;
                    keep = true;
                    return call;
                }

                using (response)
                {
                    var (serverError, fromOllama) = await ReadErrorBodyAsync(response, call.Token).ConfigureAwait(false);
                    failure = StatusFailure(method, path, response.StatusCode, response.ReasonPhrase, serverError, fromOllama, model, attempt);
                    retryable = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
            catch (OperationCanceledException e) when (call.TimedOut || (!_ownsHttpClient && _http.Timeout != Timeout.InfiniteTimeSpan))
            {
                // Ours, or (on a caller's HttpClient) its own Timeout: either way the caller did not cancel.
                throw TimeoutFailure(model, attempt, e, call.TimedOut ? Options.RequestTimeout : _http.Timeout);
            }
            catch (OperationCanceledException e)
            {
                // Neither the caller nor a request timeout: the handler's ConnectTimeout, i.e. the host exists but
                // nothing accepts the connection.
                var after = _ownsHttpClient ? $" after {ConnectTimeout.TotalSeconds:0} s" : string.Empty;
                failure = Unreachable($"the connection attempt timed out{after}", model, attempt, e);
                retryable = true;
            }
            catch (HttpRequestException e)
            {
                failure = Unreachable(Clause(e.Message), model, attempt, e);
                // A name that does not resolve will not resolve a moment later either.
                retryable = e.HttpRequestError != HttpRequestError.NameResolutionError;
            }
            finally
            {
                if (!keep) call.Dispose();
            }

            if (!retryable || attempt > Options.MaxRetries) throw failure;
            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = Options.RetryBackoff * Math.Pow(2, attempt - 1);
        return delay < Options.MaxRetryDelay ? delay : Options.MaxRetryDelay;
    }

    private async Task<Stream> ReadStreamAsync(OllamaCall call, string? model, CancellationToken cancellationToken)
    {
        try
        {
            return await call.Response!.Content.ReadAsStreamAsync(call.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            throw TranslateBodyFailure(e, call, model, cancellationToken, $"the connection closed before the answer started: {Clause(e.Message)}");
        }
    }

    private async Task<string> ReadAllAsync(OllamaCall call, string? model, CancellationToken cancellationToken)
    {
        try
        {
            return await call.Response!.Content.ReadAsStringAsync(call.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            throw TranslateBodyFailure(e, call, model, cancellationToken, $"the connection closed in the middle of the answer: {Clause(e.Message)}");
        }
    }

    /// <summary>A failure while reading a 200 body: the caller's cancellation stays cancellation, then timeout, then truncation.</summary>
    private Exception TranslateBodyFailure(Exception e, OllamaCall call, string? model, CancellationToken cancellationToken, string truncatedText)
    {
        if (cancellationToken.IsCancellationRequested) return new OperationCanceledException("The request to Ollama was canceled.", e, cancellationToken);
        if (call.TimedOut || e is OperationCanceledException) return TimeoutFailure(model, call.Attempts, e, Options.RequestTimeout);
        return Failure(OllamaErrorCodes.MalformedStream,
            $"{truncatedText}. The server may have crashed or a proxy cut the connection; check the Ollama server log and retry.",
            model, call.Attempts, e);
    }

    private static async Task<(string Text, bool FromOllama)> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken token)
    {
        string raw;
        try
        {
            raw = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return ($"(the error body could not be read: {e.Message})", false);
        }

        if (string.IsNullOrWhiteSpace(raw)) return ("(empty body)", false);
        try
        {
            if (JsonSerializer.Deserialize(raw, OllamaJsonContext.Default.OllamaErrorBody)?.Error is { Length: > 0 } error)
                return (error, true);
        }
        catch (JsonException)
        {
            // Not Ollama's {"error": …}: a proxy or another server answered; show its text.
        }
        return (Excerpt(raw.Trim(), MaxErrorBodyChars), false);
    }

    private T Parse<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what, string? model, int attempts)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new JsonException("the body is JSON null");
        }
        catch (JsonException e)
        {
            throw Failure(OllamaErrorCodes.MalformedStream,
                $"the answer of {_baseUri} to {what} is not what Ollama sends ({JsonProblem(e)}): {Excerpt(json)}. Is the endpoint an Ollama server?",
                model, attempts, e);
        }
    }

    // ---- responses ------------------------------------------------------------------------------------------

    private static ChatResponseUpdate ToUpdate(OllamaChatChunk chunk, string requestedModel)
    {
        var contents = new List<AIContent>();
        if (chunk.Message?.Thinking is { Length: > 0 } thinking) contents.Add(new TextReasoningContent(thinking));
        if (chunk.Message?.Content is { Length: > 0 } text) contents.Add(new TextContent(text));

        var update = new ChatResponseUpdate(
            chunk.Message?.Role is { Length: > 0 } role ? new ChatRole(role) : ChatRole.Assistant,
            contents)
        {
            ModelId = chunk.Model ?? requestedModel,
            CreatedAt = ParseTime(chunk.CreatedAt),
        };

        if (chunk.Done)
        {
            update.FinishReason = chunk.DoneReason switch
            {
                null or "" or "stop" => ChatFinishReason.Stop,
                "length" => ChatFinishReason.Length,
                var other => new ChatFinishReason(other),
            };
            if (chunk.PromptEvalCount is not null || chunk.EvalCount is not null)
            {
                contents.Add(new UsageContent(new UsageDetails
                {
                    InputTokenCount = chunk.PromptEvalCount,
                    OutputTokenCount = chunk.EvalCount,
                    TotalTokenCount = (chunk.PromptEvalCount ?? 0) + (chunk.EvalCount ?? 0),
                }));
            }

            var timings = new AdditionalPropertiesDictionary();
            AddDuration(timings, OllamaPropertyNames.TotalDuration, chunk.TotalDuration);
            AddDuration(timings, OllamaPropertyNames.LoadDuration, chunk.LoadDuration);
            AddDuration(timings, OllamaPropertyNames.PromptEvalDuration, chunk.PromptEvalDuration);
            AddDuration(timings, OllamaPropertyNames.EvalDuration, chunk.EvalDuration);
            if (timings.Count > 0) update.AdditionalProperties = timings;
        }
        return update;
    }

    // Ollama reports durations in nanoseconds.
    private static void AddDuration(AdditionalPropertiesDictionary into, string key, long? nanoseconds)
    {
        if (nanoseconds is { } ns) into[key] = TimeSpan.FromTicks(ns / 100);
    }

    private static OllamaModelDetails? ToDetails(OllamaWireDetails? d) =>
        d is null ? null : new OllamaModelDetails(d.Family, d.ParameterSize, d.QuantizationLevel, d.Format);

    private static int? ContextLengthOf(Dictionary<string, JsonElement>? info)
    {
        if (info is null) return null;
        // "<architecture>.context_length", e.g. "qwen2.context_length"; the architecture key says which one.
        if (info.TryGetValue("general.architecture", out var arch) && arch.ValueKind == JsonValueKind.String
            && info.TryGetValue(arch.GetString() + ".context_length", out var exact) && exact.TryGetInt32(out var n))
            return n;
        foreach (var (key, value) in info)
        {
            if (key.EndsWith(".context_length", StringComparison.Ordinal) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var m))
                return m;
        }
        return null;
    }

    // Ollama writes nanosecond fractions (9 digits), which DateTimeOffset parsing accepts only up to 7.
    private static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t)) return t;
        var trimmed = NanoFraction().Replace(text, "$1");
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out t) ? t : null;
    }

    [GeneratedRegex(@"(\.\d{7})\d+")]
    private static partial Regex NanoFraction();

    // ---- errors ---------------------------------------------------------------------------------------------

    // Ollama's texts: `model "x" not found, try pulling it first`, `model 'x' not found`.
    [GeneratedRegex(@"\bmodel\b.*\bnot found\b", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ModelNotFoundText();

    private static bool IsModelNotFound(string error) => ModelNotFoundText().IsMatch(error);

    private OllamaException StatusFailure(HttpMethod method, string path, HttpStatusCode status, string? reason, string serverError, bool fromOllama,
        string? model, int attempts)
    {
        if (model is not null && (IsModelNotFound(serverError) || (status == HttpStatusCode.NotFound && fromOllama)))
            return ModelNotFound(model, serverError, status, attempts);

        var code = (int)status;
        var hint = code switch
        {
            404 => $"Is {_baseUri} an Ollama server (an OpenAI-compatible server needs another IChatClient)? Check ParaSlmEndpoint / OLLAMA_HOST.",
            429 or 503 => "The server is busy; retry later, or raise OLLAMA_MAX_QUEUE / OLLAMA_NUM_PARALLEL on the server.",
            >= 500 => "The server failed while handling the request; see the Ollama server log (e.g. `journalctl -u ollama`, ~/.ollama/logs/server.log).",
            400 => "The server rejected the request; an Ollama older than 0.5 does not support JSON-schema output: update Ollama.",
            _ => "Check the endpoint and the server's configuration.",
        };
        var tries = attempts > 1 ? $" (after {attempts} attempts)" : string.Empty;
        return new OllamaException(OllamaErrorCodes.HttpError,
            $"Ollama at {_baseUri} answered HTTP {code}{(string.IsNullOrEmpty(reason) ? string.Empty : " " + reason)} to {method} /{path}{tries}: {Clause(serverError)}. {hint}")
        {
            Endpoint = _baseUri,
            Model = model,
            StatusCode = status,
            ServerError = serverError,
            Attempts = attempts,
        };
    }

    private OllamaException ModelNotFound(string model, string serverError, HttpStatusCode? status, int attempts) =>
        new(OllamaErrorCodes.ModelNotFound,
            $"the Ollama server at {_baseUri} does not have the model '{model}' ({serverError}). "
            + $"Run `ollama pull {model}`, or choose an installed model (`ollama list`) with ParaSlmModel / --model.")
        {
            Endpoint = _baseUri,
            Model = model,
            StatusCode = status,
            ServerError = serverError,
            Attempts = attempts,
        };

    private OllamaException Unreachable(string detail, string? model, int attempts, Exception inner)
    {
        var tries = attempts > 1 ? $" (after {attempts} attempts)" : string.Empty;
        return new OllamaException(OllamaErrorCodes.ServerUnreachable,
            $"cannot reach Ollama at {_baseUri}{tries}: {detail}. Is Ollama running? Start it with `ollama serve`, "
            + "or set ParaSlmEndpoint / OLLAMA_HOST to the address it listens on.", inner)
        {
            Endpoint = _baseUri,
            Model = model,
            Attempts = attempts,
        };
    }

    private OllamaException TimeoutFailure(string? model, int attempts, Exception inner, TimeSpan limit)
    {
        var what = model is null ? string.Empty : $" for model '{model}'";
        return new OllamaException(OllamaErrorCodes.Timeout,
            $"the request to Ollama at {_baseUri}{what} timed out after {limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s. "
            + "The model may still be loading, or generates too slowly on this machine: raise the timeout (--timeout), "
            + "lower the output length, or use a smaller model.", inner)
        {
            Endpoint = _baseUri,
            Model = model,
            Attempts = attempts,
        };
    }

    private OllamaException Failure(string code, string message, string? model, int attempts, Exception? inner = null, string? serverError = null) =>
        new(code, message, inner)
        {
            Endpoint = _baseUri,
            Model = model,
            Attempts = attempts,
            ServerError = serverError,
        };

    // Exception texts end with a period; ours continue the sentence.
    private static string Clause(string message) => message.TrimEnd().TrimEnd('.');

    // System.Text.Json appends "Path: $ | LineNumber: … | BytePositionInLine: …", noise for a one-line answer.
    private static string JsonProblem(JsonException e)
    {
        var text = e.Message;
        var path = text.IndexOf(" Path:", StringComparison.Ordinal);
        return Clause(path > 0 ? text[..path] : text);
    }

    private static string Excerpt(string text, int max = 200) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    // ---- setup ----------------------------------------------------------------------------------------------

    // Short enough that a host which swallows SYNs reads as "unreachable", not as a model that is slow.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            // The per-request timeout is ours (OllamaClientOptions.RequestTimeout), so it can also bound the streamed body.
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static void Validate(OllamaClientOptions o)
    {
        if (!o.Endpoint.IsAbsoluteUri || (o.Endpoint.Scheme != Uri.UriSchemeHttp && o.Endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The Ollama endpoint must be an absolute http(s) URI, not '{o.Endpoint}'.", nameof(o));
        if (o.RequestTimeout <= TimeSpan.Zero && o.RequestTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentException("RequestTimeout must be positive (or Timeout.InfiniteTimeSpan).", nameof(o));
        if (o.MaxRetries < 0) throw new ArgumentException("MaxRetries must not be negative.", nameof(o));
        if (o.ContextLength <= 0) throw new ArgumentException("ContextLength (num_ctx) must be positive.", nameof(o));
        if (o.RetryBackoff < TimeSpan.Zero || o.MaxRetryDelay < TimeSpan.Zero) throw new ArgumentException("Retry delays must not be negative.", nameof(o));
    }

    /// <summary>One HTTP attempt: its timeout (linked to the caller's token) and, once successful, its response.</summary>
    private sealed class OllamaCall : IDisposable
    {
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;

        public OllamaCall(TimeSpan timeout, int attempts, CancellationToken callerToken)
        {
            Attempts = attempts;
            _timeout = new CancellationTokenSource(timeout);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _timeout.Token);
        }

        public int Attempts { get; }

        public CancellationToken Token => _linked.Token;

        public bool TimedOut => _timeout.IsCancellationRequested;

        public HttpResponseMessage? Response { get; set; }

        public void Dispose()
        {
            Response?.Dispose();
            _linked.Dispose();
            _timeout.Dispose();
        }
    }
}
