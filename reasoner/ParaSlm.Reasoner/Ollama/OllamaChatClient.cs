using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OllamaSharp.Models;
using ChatResponseStream = OllamaSharp.Models.Chat.ChatResponseStream;

namespace ParaSlm.Reasoner.Ollama;

/// <summary>
/// ParaSlm's <see cref="IChatClient"/> for Ollama: OllamaSharp's client (request mapping, wire models) behind a thin
/// adapter that keeps ParaSlm's contract — every request streams and carries <c>num_ctx</c> and <c>keep_alive</c>,
/// failures are <see cref="OllamaException"/>s with a PSLM31xx code, a stream that breaks off or never says "done" is
/// an error rather than a short answer, and the caller's cancellation stays an <see cref="OperationCanceledException"/>.
/// Strategies depend on <see cref="IChatClient"/> only.
/// </summary>
/// <remarks>Thread-safe: no per-request state lives on the instance.</remarks>
public sealed class OllamaChatClient : DelegatingChatClient
{
    private readonly OllamaTransport _api;
    private readonly OllamaFailures _failures;
    private readonly HttpClient _http;
    private readonly ChatClientMetadata _metadata;

    /// <summary>A client with a connection pool of its own (disposed with this client).</summary>
    public OllamaChatClient(OllamaClientOptions options)
        : this(Validate(options), CreateHandler(), disposeHandler: true)
    {
    }

    /// <summary>A client sending through the caller's handler, which stays the caller's to dispose.</summary>
    public OllamaChatClient(HttpMessageHandler handler, OllamaClientOptions options)
        : this(Validate(options), handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: false)
    {
    }

    private OllamaChatClient(OllamaClientOptions options, HttpMessageHandler handler, bool disposeHandler)
        : this(options, Transport(options, handler, disposeHandler))
    {
    }

    private OllamaChatClient(OllamaClientOptions options, (OllamaTransport Api, OllamaFailures Failures, HttpClient Http) parts)
        : base(parts.Api)
    {
        Options = options;
        (_api, _failures, _http) = parts;
        _metadata = new ChatClientMetadata("ollama", Endpoint, options.Model);
    }

    /// <summary>The options this client was created with.</summary>
    public OllamaClientOptions Options { get; }

    /// <summary>The server's base address (always ending in '/', so a reverse proxy's path prefix is kept).</summary>
    public Uri Endpoint => _failures.Endpoint;

    /// <inheritdoc />
    /// <remarks>Aggregates the stream: Ollama's non-streamed mode would hide a server that fails half-way.</remarks>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false)) updates.Add(update);
        var response = updates.ToChatResponse();
        // The server's timings ride on the done line; the aggregation keeps usage but not these.
        response.AdditionalProperties ??= updates[^1].AdditionalProperties;
        return response;
    }

    /// <inheritdoc />
    /// <remarks>One update per NDJSON line; the last one carries <see cref="ChatResponseUpdate.FinishReason"/>, a
    /// <see cref="UsageContent"/> and the server's timings (<see cref="OllamaPropertyNames"/>).</remarks>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? Options.Model : options.ModelId;
        if (string.IsNullOrWhiteSpace(model))
            throw new ArgumentException("No model: set OllamaClientOptions.Model or ChatOptions.ModelId.", nameof(options));
        var list = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var request = Request(list, options, model);

        await using var lines = base.GetStreamingResponseAsync(list, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var count = 0;
        while (true)
        {
            // yield cannot sit in a try with catch, so each line is read (and its failures translated) first.
            ChatResponseUpdate update;
            try
            {
                if (!await lines.MoveNextAsync().ConfigureAwait(false)) break;
                update = lines.Current;
            }
            catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested && e.CancellationToken != cancellationToken)
            {
                throw new OperationCanceledException("The request to Ollama was canceled.", e, cancellationToken);
            }
            catch (OllamaServerError e)
            {
                throw _failures.StreamError(model, e.Message, attempts: 1);
            }
            catch (JsonException e)
            {
                throw _failures.NotOllama($"line {count + 1} of the streamed answer from {Endpoint}", e, model, attempts: 1);
            }

            count++;
            var done = update.RawRepresentation is ChatResponseStream { Done: true };
            yield return Complete(update, model, done);
            if (done) yield break;
        }

        // OllamaSharp stops reading quietly when the token is cancelled between two lines.
        cancellationToken.ThrowIfCancellationRequested();
        throw _failures.Failure(OllamaErrorCodes.MalformedStream,
            $"the streamed answer from {Endpoint} for model '{model}' ended after {count} lines without the final \"done\": true line. "
            + "The server may have crashed or a proxy cut the connection; check the Ollama server log and retry.",
            model, attempts: 1);
    }

    /// <summary>The installed models (GET /api/tags), with the digests that identify their exact weights.</summary>
    public async Task<IReadOnlyList<OllamaModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        IEnumerable<Model>? models;
        try
        {
            models = await _api.ListLocalModelsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw _failures.NotOllama($"the answer of {Endpoint} to /api/tags", e, null, attempts: 1);
        }
        return (models ?? [])
            .Select(m => new OllamaModelInfo(
                m.Name ?? m.ModelName ?? string.Empty,
                m.Digest ?? string.Empty,
                m.Size,
                m.ModifiedAt == default ? null : new DateTimeOffset(m.ModifiedAt),
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
        ShowModelResponse show;
        try
        {
            show = await _api.ShowModelAsync(new ShowModelRequest { Model = model }, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw _failures.NotOllama($"the answer of {Endpoint} to /api/show", e, model, attempts: 1);
        }
        return new OllamaModelDescription(
            model,
            ToDetails(show.Details) ?? new OllamaModelDetails(null, null, null, null),
            string.IsNullOrEmpty(show.Template) ? null : show.Template,
            string.IsNullOrEmpty(show.Parameters) ? null : show.Parameters,
            ContextLengthOf(show.Info),
            show.Capabilities ?? [],
            show.ModifiedAt);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(ChatClientMetadata)) return _metadata;
        if (serviceKey is null && serviceType == typeof(OllamaClientOptions)) return Options;
        return base.GetService(serviceType, serviceKey);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _http.Dispose();
        base.Dispose(disposing);
    }

    // ---- requests -------------------------------------------------------------------------------------------

    /// <summary>
    /// The caller's options with ParaSlm's defaults (model, num_ctx, keep_alive) filled in and the Ollama-specific
    /// values checked, in the shapes OllamaSharp's mapping reads from <see cref="ChatOptions.AdditionalProperties"/>.
    /// </summary>
    private ChatOptions Request(IEnumerable<ChatMessage> messages, ChatOptions? options, string model)
    {
        // Strategies drive ReAct steps through plain text; a tool silently dropped would change what the model is asked.
        if (options?.Tools is { Count: > 0 })
            throw new NotSupportedException("OllamaChatClient does not implement tool calling; strategies drive ReAct steps through plain text.");
        if (messages.Any(m => m.Contents.Any(c => c is FunctionCallContent or FunctionResultContent)))
            throw new NotSupportedException("OllamaChatClient does not implement tool calling; send tool results as text.");

        var request = options?.Clone() ?? new ChatOptions();
        request.ModelId = model;
        var extra = request.AdditionalProperties = options?.AdditionalProperties is { } given ? new AdditionalPropertiesDictionary(given) : [];

        // num_ctx always: Ollama's default context (2048 tokens in many versions) silently truncates a long prompt.
        var numCtx = extra.TryGetValue(OllamaPropertyNames.NumCtx, out var n) && n is not null
            ? ToInt(n) ?? throw new ArgumentException($"ChatOptions.AdditionalProperties[\"num_ctx\"] must be a positive integer, not '{n}'.", nameof(options))
            : Options.ContextLength;
        if (numCtx <= 0) throw new ArgumentException($"num_ctx must be positive, not {numCtx}.", nameof(options));
        extra[OllamaPropertyNames.NumCtx] = numCtx;

        if (extra.TryGetValue(OllamaPropertyNames.NumThread, out var th) && th is not null)
            extra[OllamaPropertyNames.NumThread] = ToInt(th) is > 0 and var t
                ? t
                : throw new ArgumentException($"ChatOptions.AdditionalProperties[\"num_thread\"] must be a positive integer, not '{th}'.", nameof(options));

        extra[OllamaPropertyNames.KeepAlive] = KeepAlive(extra.TryGetValue(OllamaPropertyNames.KeepAlive, out var k) && k is not null ? k : Options.KeepAlive);
        return request;
    }

    // Ollama reads keep_alive as a duration ("5m", "-1s": forever) or a number of seconds; OllamaSharp sends a string,
    // so seconds get their unit.
    private static string KeepAlive(object value) => value switch
    {
        string s => s,
        TimeSpan t => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        _ when ToInt(value) is { } seconds => seconds.ToString(CultureInfo.InvariantCulture) + "s",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static int? ToInt(object value) => value switch
    {
        int i => i,
        long l and >= int.MinValue and <= int.MaxValue => (int)l,
        short s => s,
        JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var j) => j,
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) => k,
        _ => null,
    };

    // ---- responses ------------------------------------------------------------------------------------------

    /// <summary>What OllamaSharp's mapping leaves open: the role and model of a bare line, "stop" when the done line
    /// gives no reason, and Ollama's nanosecond timestamps.</summary>
    private static ChatResponseUpdate Complete(ChatResponseUpdate update, string model, bool done)
    {
        if (update.Role is not { } role || role.Value == "unknown") update.Role = ChatRole.Assistant;
        if (string.IsNullOrEmpty(update.ModelId)) update.ModelId = model;
        if (done) update.FinishReason ??= ChatFinishReason.Stop;
        if (update.CreatedAt is null && update.RawRepresentation is ChatResponseStream { CreatedAtString: { } text }
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created))
            update.CreatedAt = created;
        return update;
    }

    private static OllamaModelDetails? ToDetails(Details? d) =>
        d is null ? null : new OllamaModelDetails(d.Family, d.ParameterSize, d.QuantizationLevel, d.Format);

    private static int? ContextLengthOf(ModelInfo? info)
    {
        if (info?.ExtraInfo is not { } extra) return null;
        // "<architecture>.context_length", e.g. "qwen2.context_length"; the architecture key says which one.
        if (info.Architecture is { } arch && extra.TryGetValue(arch + ".context_length", out var exact) && ToInt(exact) is { } n)
            return n;
        foreach (var (key, value) in extra)
        {
            if (key.EndsWith(".context_length", StringComparison.Ordinal) && ToInt(value) is { } m) return m;
        }
        return null;
    }

    // ---- setup ----------------------------------------------------------------------------------------------

    private static (OllamaTransport, OllamaFailures, HttpClient) Transport(OllamaClientOptions options, HttpMessageHandler handler, bool disposeHandler)
    {
        // Relative "api/chat" must append to the endpoint's path, which needs a trailing slash.
        var endpoint = options.Endpoint.AbsoluteUri.EndsWith('/') ? options.Endpoint : new Uri(options.Endpoint.AbsoluteUri + "/");
        // The request timeout is ours (per attempt, bounding the streamed body too), so HttpClient's own is off.
        var http = new HttpClient(handler, disposeHandler) { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan };
        var failures = new OllamaFailures(endpoint);
        return (new OllamaTransport(http, options, failures), failures, http);
    }

    private static SocketsHttpHandler CreateHandler() =>
        new() { ConnectTimeout = OllamaFailures.ConnectTimeout, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };

    private static OllamaClientOptions Validate(OllamaClientOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (!o.Endpoint.IsAbsoluteUri || (o.Endpoint.Scheme != Uri.UriSchemeHttp && o.Endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The Ollama endpoint must be an absolute http(s) URI, not '{o.Endpoint}'.", nameof(o));
        if (o.RequestTimeout <= TimeSpan.Zero && o.RequestTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentException("RequestTimeout must be positive (or Timeout.InfiniteTimeSpan).", nameof(o));
        if (o.MaxRetries < 0) throw new ArgumentException("MaxRetries must not be negative.", nameof(o));
        if (o.ContextLength <= 0) throw new ArgumentException("ContextLength (num_ctx) must be positive.", nameof(o));
        if (o.RetryBackoff < TimeSpan.Zero || o.MaxRetryDelay < TimeSpan.Zero) throw new ArgumentException("Retry delays must not be negative.", nameof(o));
        return o;
    }
}
