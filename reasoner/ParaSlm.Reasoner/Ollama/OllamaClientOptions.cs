using System.Globalization;
using System.Net;

namespace ParaSlm.Reasoner.Ollama;

/// <summary>
/// How <see cref="OllamaChatClient"/> reaches and drives an Ollama server. Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record OllamaClientOptions
{
    /// <summary>Ollama's own default address (what `ollama serve` listens on without OLLAMA_HOST).</summary>
    public static readonly Uri DefaultEndpoint = new("http://localhost:11434/");

    /// <summary>The port Ollama listens on when OLLAMA_HOST names only a host.</summary>
    public const int DefaultPort = 11434;

    /// <summary>The model ParaSlm asks when nobody chose one: the smallest of the recommended models that follows JSON schemas well.</summary>
    public const string DefaultModel = "qwen2.5:1.5b";

    /// <summary>Base address of the Ollama server; the client appends <c>api/…</c> to it, so a path prefix (reverse proxy) is kept.</summary>
    public Uri Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Model name as Ollama knows it (`ollama list`); <c>ChatOptions.ModelId</c> overrides it per request.</summary>
    public string Model { get; init; } = DefaultModel;

    /// <summary>
    /// Bound on one HTTP attempt, from sending the request to the final streamed line. A small model on a 2-core CI
    /// machine takes seconds per plan; a minute means something is wrong (model loading from a slow disk, a stuck server).
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Extra attempts after the first, only for failures that a second try can fix: connection failures, 5xx
    /// (Ollama answers 503 when its queue is full), 429. Never for 4xx, a timeout, or the caller's cancellation.
    /// </summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Delay before the first retry; doubled for each further one (capped at <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Cap on one backoff delay, so retries stay short next to a build.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>num_ctx</c>, sent with every request: Ollama's default context (2048 tokens in many versions) silently
    /// truncates a few-shot prompt from the front, and a truncated prompt still produces a confident, wrong answer.
    /// </summary>
    public int ContextLength { get; init; } = 4096;

    /// <summary>
    /// <c>keep_alive</c>: how long Ollama keeps the model loaded after a request (Ollama's duration syntax: "5m",
    /// "30s", "-1" forever, "0" unload now). Loading a model costs seconds; a build plans many loops in a row.
    /// </summary>
    public string KeepAlive { get; init; } = "5m";

    /// <summary>Options with the endpoint resolved from the OLLAMA_HOST environment variable (Ollama's own default when unset).</summary>
    public static OllamaClientOptions FromEnvironment(string? model = null) => new()
    {
        Endpoint = DefaultEndpointFromEnvironment(),
        Model = string.IsNullOrWhiteSpace(model) ? DefaultModel : model,
    };

    /// <summary>The endpoint the `ollama` CLI itself would use: OLLAMA_HOST when set, otherwise http://localhost:11434.</summary>
    public static Uri DefaultEndpointFromEnvironment() => ResolveEndpoint(Environment.GetEnvironmentVariable("OLLAMA_HOST"));

    /// <summary>
    /// Turns an OLLAMA_HOST-style value into a base URI the way the `ollama` CLI reads that variable: no scheme means
    /// http; no port means 11434 when no scheme was given (the server's default), and the scheme's own port (80/443)
    /// when one was; a path is kept. The wildcard bind addresses users set so the server listens on every interface
    /// (0.0.0.0, ::) become loopback, because connecting to them fails on Windows.
    /// </summary>
    /// <exception cref="ArgumentException">The value cannot be a host address (for example a scheme other than http/https).</exception>
    public static Uri ResolveEndpoint(string? ollamaHost)
    {
        var s = ollamaHost?.Trim();
        if (string.IsNullOrEmpty(s)) return DefaultEndpoint;

        string scheme = "http";
        int defaultPort = DefaultPort;
        var sep = s.IndexOf("://", StringComparison.Ordinal);
        if (sep >= 0)
        {
            scheme = s[..sep].ToLowerInvariant();
            s = s[(sep + 3)..];
            defaultPort = scheme switch
            {
                "http" => 80,
                "https" => 443,
                _ => throw new ArgumentException($"OLLAMA_HOST '{ollamaHost}' uses the scheme '{scheme}'; only http and https reach Ollama.", nameof(ollamaHost)),
            };
        }

        var slash = s.IndexOf('/');
        var path = slash >= 0 ? s[slash..] : "/";
        var hostPort = slash >= 0 ? s[..slash] : s;

        string host;
        int port = defaultPort;
        if (hostPort.StartsWith('['))
        {
            // [v6] or [v6]:port
            var close = hostPort.IndexOf(']');
            if (close < 0) throw new ArgumentException($"OLLAMA_HOST '{ollamaHost}' has an unterminated IPv6 address.", nameof(ollamaHost));
            host = hostPort[1..close];
            var rest = hostPort[(close + 1)..];
            if (rest.StartsWith(':')) port = ParsePort(rest[1..], defaultPort);
        }
        else if (hostPort.Count(c => c == ':') == 1)
        {
            var colon = hostPort.IndexOf(':');
            host = hostPort[..colon];
            port = ParsePort(hostPort[(colon + 1)..], defaultPort);
        }
        else
        {
            host = hostPort; // a bare host, or a bare IPv6 address without brackets
        }

        if (host.Length == 0) host = "localhost";
        if (IPAddress.TryParse(host, out var ip))
        {
            if (ip.Equals(IPAddress.Any)) host = "127.0.0.1";
            else if (ip.Equals(IPAddress.IPv6Any)) host = "::1";
        }

        var builder = new UriBuilder(scheme, host, port, path.EndsWith('/') ? path : path + "/");
        return builder.Uri;
    }

    // Like Ollama: a port that is not a number in range falls back to the default rather than failing the build.
    private static int ParsePort(string text, int fallback) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535 ? p : fallback;
}
