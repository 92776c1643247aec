using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ParaSlm.Reasoner.Ollama;

/// <summary>
/// The PSLM31xx taxonomy in words: each failure of one Ollama endpoint becomes an <see cref="OllamaException"/> that
/// says what happened and what the user can do. OllamaSharp reports failures as plain HTTP or JSON exceptions (or not
/// at all: an {"error": …} line in a 200 stream); the transport and the adapter translate them here, in one place.
/// </summary>
internal sealed partial class OllamaFailures(Uri endpoint)
{
    /// <summary>Short enough that a host which swallows SYNs reads as "unreachable", not as a model that is slow.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public Uri Endpoint => endpoint;

    public static bool IsModelNotFound(string error) => ModelNotFoundText().IsMatch(error);

    // Ollama's texts: `model "x" not found, try pulling it first`, `model 'x' not found`.
    [GeneratedRegex(@"\bmodel\b.*\bnot found\b", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ModelNotFoundText();

    public OllamaException Status(HttpMethod method, string path, HttpStatusCode status, string? reason, string serverError, bool fromOllama,
        string? model, int attempts)
    {
        if (model is not null && (IsModelNotFound(serverError) || (status == HttpStatusCode.NotFound && fromOllama)))
            return ModelNotFound(model, serverError, status, attempts);

        var code = (int)status;
        var hint = code switch
        {
            404 => $"Is {endpoint} an Ollama server (an OpenAI-compatible server needs another IChatClient)? Check ParaSlmEndpoint / OLLAMA_HOST.",
            429 or 503 => "The server is busy; retry later, or raise OLLAMA_MAX_QUEUE / OLLAMA_NUM_PARALLEL on the server.",
            >= 500 => "The server failed while handling the request; see the Ollama server log (e.g. `journalctl -u ollama`, ~/.ollama/logs/server.log).",
            400 => "The server rejected the request; an Ollama older than 0.5 does not support JSON-schema output: update Ollama.",
            _ => "Check the endpoint and the server's configuration.",
        };
        return new OllamaException(OllamaErrorCodes.HttpError,
            $"Ollama at {endpoint} answered HTTP {code}{(string.IsNullOrEmpty(reason) ? string.Empty : " " + reason)} to {method} /{path}{Tries(attempts)}: {Clause(serverError)}. {hint}")
        {
            Endpoint = endpoint,
            Model = model,
            StatusCode = status,
            ServerError = serverError,
            Attempts = attempts,
        };
    }

    public OllamaException ModelNotFound(string model, string serverError, HttpStatusCode? status, int attempts) =>
        new(OllamaErrorCodes.ModelNotFound,
            $"the Ollama server at {endpoint} does not have the model '{model}' ({serverError}). "
            + $"Run `ollama pull {model}`, or choose an installed model (`ollama list`) with ParaSlmModel / --model.")
        {
            Endpoint = endpoint,
            Model = model,
            StatusCode = status,
            ServerError = serverError,
            Attempts = attempts,
        };

    public OllamaException Unreachable(string detail, string? model, int attempts, Exception inner) =>
        new(OllamaErrorCodes.ServerUnreachable,
            $"cannot reach Ollama at {endpoint}{Tries(attempts)}: {detail}. Is Ollama running? Start it with `ollama serve`, "
            + "or set ParaSlmEndpoint / OLLAMA_HOST to the address it listens on.", inner)
        {
            Endpoint = endpoint,
            Model = model,
            Attempts = attempts,
        };

    public OllamaException Timeout(string? model, int attempts, Exception inner, TimeSpan limit) =>
        new(OllamaErrorCodes.Timeout,
            $"the request to Ollama at {endpoint}{(model is null ? string.Empty : $" for model '{model}'")} timed out after "
            + $"{limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s. "
            + "The model may still be loading, or generates too slowly on this machine: raise the timeout (ParaSlmModelTimeout in a build, --timeout on the command line), "
            + "lower the output length, or use a smaller model.", inner)
        {
            Endpoint = endpoint,
            Model = model,
            Attempts = attempts,
        };

    /// <summary>An {"error": …} line inside a 200 stream: the runner failed after the answer started.</summary>
    public OllamaException StreamError(string model, string error, int attempts) =>
        IsModelNotFound(error)
            ? ModelNotFound(model, error, null, attempts)
            : Failure(OllamaErrorCodes.StreamError,
                $"Ollama reported an error in the middle of its answer from model '{model}': {Clause(error)}. "
                + "If it ran out of memory, lower the context length (num_ctx) or use a smaller model; otherwise see the Ollama server log.",
                model, attempts, serverError: error);

    /// <summary>The body broke off (reset, proxy cut) after a success status.</summary>
    public OllamaException Truncated(string what, Exception inner, string? model, int attempts) =>
        Failure(OllamaErrorCodes.MalformedStream,
            $"{what}: {Clause(inner.Message)}. The server may have crashed or a proxy cut the connection; check the Ollama server log and retry.",
            model, attempts, inner);

    /// <summary>A line or body that is not what Ollama sends.</summary>
    public OllamaException NotOllama(string what, JsonException inner, string? model, int attempts) =>
        Failure(OllamaErrorCodes.MalformedStream,
            $"{what} is not what Ollama sends ({JsonProblem(inner)}). Is the endpoint an Ollama server (not an OpenAI-compatible one, which needs another client)?",
            model, attempts, inner);

    public OllamaException Failure(string code, string message, string? model, int attempts, Exception? inner = null, string? serverError = null) =>
        new(code, message, inner)
        {
            Endpoint = endpoint,
            Model = model,
            Attempts = attempts,
            ServerError = serverError,
        };

    private static string Tries(int attempts) => attempts > 1 ? $" (after {attempts} attempts)" : string.Empty;

    // Exception texts end with a period; ours continue the sentence.
    public static string Clause(string message) => message.TrimEnd().TrimEnd('.');

    // System.Text.Json appends "Path: $ | LineNumber: … | BytePositionInLine: …", noise for a one-line answer.
    private static string JsonProblem(JsonException e)
    {
        var text = e.Message;
        var path = text.IndexOf(" Path:", StringComparison.Ordinal);
        return Clause(path > 0 ? text[..path] : text);
    }

    public static string Excerpt(string text, int max = 200) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
