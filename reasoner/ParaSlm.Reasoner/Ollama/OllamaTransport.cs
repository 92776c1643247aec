using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;
using Polly;
using Polly.Retry;

namespace ParaSlm.Reasoner.Ollama;

/// <summary>
/// OllamaSharp's client with ParaSlm's transport rules in its one extension point, <see cref="SendToOllamaAsync"/>:
/// a timeout per attempt that also bounds the streamed body, retries (Polly) of what a retry can fix — connection
/// failures, 5xx, 429; never a 4xx, a timeout or the caller's cancellation — and every failure as a PSLM31xx
/// <see cref="OllamaException"/> carrying the server's own error text, which OllamaSharp's status check drops.
/// </summary>
internal sealed class OllamaTransport : OllamaApiClient
{
    private readonly HttpClient _http;
    private readonly OllamaClientOptions _options;
    private readonly OllamaFailures _failures;
    private readonly ResiliencePipeline<Attempt> _retry;

    // A body read for an error message only; a proxy's HTML page must not fill the user's terminal.
    private const int MaxErrorBodyChars = 2000;

    public OllamaTransport(HttpClient http, OllamaClientOptions options, OllamaFailures failures)
        : base(http, options.Model)
    {
        _http = http;
        _options = options;
        _failures = failures;
        _retry = options.MaxRetries == 0
            ? ResiliencePipeline<Attempt>.Empty
            : new ResiliencePipelineBuilder<Attempt>().AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryBackoff,
                MaxDelay = options.MaxRetryDelay,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<Attempt>()
                    // A name that does not resolve will not resolve a moment later either.
                    .Handle<HttpRequestException>(e => e.HttpRequestError != HttpRequestError.NameResolutionError)
                    .HandleResult(a => a.Retryable),
            }).Build();

        // OllamaSharp's chat line has no "error" member, so an {"error": …} line inside a 200 stream (the runner died
        // half-way) would read as an empty chunk; adding the member makes it raise what the server said.
        IncomingJsonSerializerOptions.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { ChatLineContract } };
    }

    /// <summary>One attempt's result: a success response (its body bound to the attempt), or the failure it makes.</summary>
    private sealed record Attempt(HttpResponseMessage? Response, OllamaException? Failure, bool Retryable);

    protected override async Task<HttpResponseMessage> SendToOllamaAsync(HttpRequestMessage requestMessage, OllamaRequest? ollamaRequest,
        HttpCompletionOption completionOption, CancellationToken cancellationToken)
    {
        var model = ollamaRequest switch
        {
            ChatRequest c => c.Model,
            ShowModelRequest s => s.Model,
            _ => null,
        };
        var method = requestMessage.Method;
        var path = requestMessage.RequestUri!.OriginalString.TrimStart('/');
        var uri = new Uri(_failures.Endpoint, path);
        var body = requestMessage.Content is null ? null : await requestMessage.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var contentType = requestMessage.Content?.Headers.ContentType;
        var attempts = 0;

        async ValueTask<Attempt> SendOnceAsync(CancellationToken token)
        {
            var attempt = ++attempts;
            var scope = new AttemptScope(_options.RequestTimeout, token);
            var keep = false;
            try
            {
                // A request message can be sent once; each attempt gets its own copy of the serialized body.
                using var request = new HttpRequestMessage(method, uri);
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = contentType;
                }
                var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, scope.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    response.Content = await BindAsync(response.Content, scope, model, attempt).ConfigureAwait(false);
                    keep = true;
                    return new Attempt(response, null, false);
                }
                using (response)
                {
                    var (serverError, fromOllama) = await ReadErrorBodyAsync(response, scope.Token).ConfigureAwait(false);
                    var failure = _failures.Status(method, path, response.StatusCode, response.ReasonPhrase, serverError, fromOllama, model, attempt);
                    return new Attempt(null, failure, (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests);
                }
            }
            catch (OperationCanceledException e) when (scope.TimedOut)
            {
                throw _failures.Timeout(model, attempt, e, _options.RequestTimeout);
            }
            catch (OperationCanceledException e) when (!token.IsCancellationRequested)
            {
                // Neither the caller nor the request timeout: the handler's connect timeout, i.e. the host exists but
                // nothing accepts the connection. A connection failure, so it is retried like one.
                throw new HttpRequestException(HttpRequestError.ConnectionError,
                    $"the connection attempt timed out after {OllamaFailures.ConnectTimeout.TotalSeconds:0} s", e);
            }
            finally
            {
                if (!keep) scope.Dispose();
            }
        }

        Attempt outcome;
        try
        {
            outcome = await _retry.ExecuteAsync(SendOnceAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw _failures.Unreachable(OllamaFailures.Clause(e.Message), model, attempts, e);
        }
        return outcome.Response ?? throw outcome.Failure!;
    }

    /// <summary>The success body, read under the attempt's bound; a failure while reading becomes PSLM3106 or PSLM3105.</summary>
    private async Task<HttpContent> BindAsync(HttpContent content, AttemptScope scope, string? model, int attempt)
    {
        var stream = await content.ReadAsStreamAsync(scope.Token).ConfigureAwait(false);
        var bound = new StreamContent(new BoundedStream(stream, scope, e =>
            scope.Caller.IsCancellationRequested ? new OperationCanceledException("The request to Ollama was canceled.", e, scope.Caller)
            : scope.TimedOut ? _failures.Timeout(model, attempt, e, _options.RequestTimeout)
            : _failures.Truncated("the connection closed in the middle of the answer", e, model, attempt)));
        foreach (var header in content.Headers) bound.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return bound;
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
            using var doc = JsonDocument.Parse(raw);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String && error.GetString() is { Length: > 0 } text)
                return (text, true);
        }
        catch (JsonException)
        {
            // Not Ollama's {"error": …}: a proxy or another server answered; show its text.
        }
        return (OllamaFailures.Excerpt(raw.Trim(), MaxErrorBodyChars), false);
    }

    private static void ChatLineContract(JsonTypeInfo type)
    {
        if (!typeof(ChatResponseStream).IsAssignableFrom(type.Type)) return;
        var error = type.CreateJsonPropertyInfo(typeof(string), "error");
        error.Set = (_, value) =>
        {
            if (value is string { Length: > 0 } text) throw new OllamaServerError(text);
        };
        type.Properties.Add(error);
        // Servers of other versions may omit a done line's "message"; OllamaSharp's mapping dereferences it.
        type.OnDeserialized = line =>
        {
            if (line is ChatResponseStream { Message: null } chunk) chunk.Message = new Message();
        };
    }
}

/// <summary>The server's {"error": …} line inside a 200 stream; the adapter turns it into PSLM3104 (or PSLM3102).</summary>
internal sealed class OllamaServerError(string message) : Exception(message);
