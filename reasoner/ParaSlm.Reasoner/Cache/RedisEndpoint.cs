using System.Globalization;

namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// A Redis address as ParaSlmCache gives it: `redis://[[user]:password@]host[:port][/db][?connectTimeout=ms&amp;timeout=ms&amp;prefix=p]`
/// (`rediss://` for TLS). <see cref="ToString"/> never shows the password, so the endpoint can go into messages.
/// </summary>
public sealed record RedisEndpoint(string Host, int Port, int Database, string? User, string? Password, bool Tls)
{
    public const int DefaultPort = 6379;

    /// <summary>How long connecting may take before the store counts as unreachable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one command may take.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Prefix of every key ParaSlm writes, so a Redis shared with other uses stays tidy.</summary>
    public string Prefix { get; init; } = "paraslm:";

    public static bool IsRedis(string? spec) =>
        spec is not null && (spec.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase));

    /// <exception cref="FormatException">Not a redis:// address.</exception>
    public static RedisEndpoint Parse(string spec)
    {
        if (!IsRedis(spec) || !Uri.TryCreate(spec, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException($"'{Redact(spec)}' is not a Redis address (expected redis://host:port)");
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                user = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
                password = Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                password = Uri.UnescapeDataString(parts[0]);
            }
        }
        var db = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && !int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out db))
            throw new FormatException($"'{Redact(spec)}': the database after the port must be a number");
        var endpoint = new RedisEndpoint(uri.Host.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, db, user, password,
            uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase));
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            endpoint = kv[0].ToLowerInvariant() switch
            {
                "connecttimeout" => endpoint with { ConnectTimeout = Milliseconds(value, spec) },
                "timeout" => endpoint with { CommandTimeout = Milliseconds(value, spec) },
                "prefix" => endpoint with { Prefix = value },
                _ => throw new FormatException($"'{Redact(spec)}': unknown option '{kv[0]}' (connectTimeout, timeout, prefix)"),
            };
        }
        return endpoint;
    }

    private static TimeSpan Milliseconds(string value, string spec) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : throw new FormatException($"'{Redact(spec)}': a timeout is a positive number of milliseconds");

    /// <summary>The address without credentials, for messages.</summary>
    public override string ToString() => $"{(Tls ? "rediss" : "redis")}://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}{(Database != 0 ? $"/{Database}" : string.Empty)}";

    /// <summary>A spec with any password replaced, for messages about specs that did not even parse.</summary>
    public static string Redact(string spec)
    {
        var at = spec.IndexOf('@');
        var scheme = spec.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? spec[..(scheme + 3)] + "***@" + spec[(at + 1)..] : spec;
    }
}
