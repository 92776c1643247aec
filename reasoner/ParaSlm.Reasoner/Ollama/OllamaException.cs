using System.Net;

namespace ParaSlm.Reasoner.Ollama;

/// <summary>Stable diagnostic codes of the Ollama client (the PSLM31xx range). Scripts and docs rely on them.</summary>
public static class OllamaErrorCodes
{
    /// <summary>The server could not be reached (connection refused, unknown host, connection reset before an answer).</summary>
    public const string ServerUnreachable = "PSLM3101";

    /// <summary>The server does not have the model (404, or an error text "model … not found").</summary>
    public const string ModelNotFound = "PSLM3102";

    /// <summary>The server answered with an HTTP error status.</summary>
    public const string HttpError = "PSLM3103";

    /// <summary>The server reported an error inside a 200 streamed answer ({"error": "…"} line).</summary>
    public const string StreamError = "PSLM3104";

    /// <summary>The streamed answer was malformed or truncated (not JSON, or no final "done": true).</summary>
    public const string MalformedStream = "PSLM3105";

    /// <summary>The request took longer than the configured timeout.</summary>
    public const string Timeout = "PSLM3106";
}

/// <summary>
/// A failure talking to Ollama. <see cref="Exception.Message"/> starts with the stable <see cref="Code"/> and ends
/// with what the user can do, so a CLI can print it as is. The caller's own cancellation is never an
/// <see cref="OllamaException"/>: it stays an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class OllamaException : Exception
{
    public OllamaException(string code, string message, Exception? innerException = null)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
    }

    /// <summary>One of <see cref="OllamaErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The server's endpoint.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The model the request was for, when it was for one.</summary>
    public string? Model { get; init; }

    /// <summary>The HTTP status of the failed answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The server's own error text (its {"error": …} or raw body), when it gave one.</summary>
    public string? ServerError { get; init; }

    /// <summary>How many HTTP attempts were made, retries included.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>True for failures a later run may not see (unreachable server, 5xx, timeout); false for ones it will (missing model, bad request).</summary>
    public bool IsTransient => Code is OllamaErrorCodes.ServerUnreachable or OllamaErrorCodes.Timeout
        || (Code == OllamaErrorCodes.HttpError && StatusCode is { } s && ((int)s >= 500 || s == HttpStatusCode.TooManyRequests));
}
