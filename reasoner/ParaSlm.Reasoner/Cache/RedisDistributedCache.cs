using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// Set operations a shared store needs beyond <see cref="IDistributedCache"/>: listing, statistics, export and clear
/// have to know which keys exist, which the cache contract cannot enumerate.
/// </summary>
public interface IDistributedKeySet
{
    Task AddToSetAsync(string set, string member, CancellationToken cancellationToken = default);

    Task RemoveFromSetAsync(string set, string member, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> SetMembersAsync(string set, CancellationToken cancellationToken = default);

    Task DeleteSetAsync(string set, CancellationToken cancellationToken = default);
}

/// <summary>
/// <see cref="IDistributedCache"/> over Redis, storing values the way Microsoft.Extensions.Caching.StackExchangeRedis
/// does (a hash with fields `absexp`, `sldexp`, `data`; key = prefix + key), so a deployment that can use that package
/// reads and writes the same records. ParaSlm ships this one because the package's StackExchange.Redis dependency
/// cannot be restored from every mirror.
/// </summary>
public sealed class RedisDistributedCache : IDistributedCache, IDistributedKeySet, IAsyncDisposable, IDisposable
{
    private const long NotPresent = -1;
    private readonly RespConnection _connection;

    private RedisDistributedCache(RespConnection connection) => _connection = connection;

    public RedisEndpoint Endpoint => _connection.Endpoint;

    /// <summary>Connects within the endpoint's connect timeout.</summary>
    /// <exception cref="RedisCacheException">Unreachable, refused, or not a Redis server.</exception>
    public static async Task<RedisDistributedCache> ConnectAsync(RedisEndpoint endpoint, CancellationToken cancellationToken = default) =>
        new(await RespConnection.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false));

    private string Key(string key) => Endpoint.Prefix + key;

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        var reply = await _connection.ExecuteAsync(token, "HMGET", Key(key), "absexp", "sldexp", "data").ConfigureAwait(false);
        if (reply.Items is not { Count: 3 } items || items[2].Bulk is null) return null;
        await SlideAsync(key, items[0], items[1], token).ConfigureAwait(false);
        return items[2].Bulk;
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset? absolute = options.AbsoluteExpiration ?? (options.AbsoluteExpirationRelativeToNow is { } rel ? now + rel : null);
        var sliding = options.SlidingExpiration;
        await _connection.ExecuteAsync(token, "HSET", Key(key),
            "absexp", absolute?.Ticks ?? NotPresent,
            "sldexp", sliding?.Ticks ?? NotPresent,
            "data", value).ConfigureAwait(false);
        if (Ttl(absolute, sliding, now) is { } ttl)
            await _connection.ExecuteAsync(token, "PEXPIRE", Key(key), (long)Math.Max(1, ttl.TotalMilliseconds)).ConfigureAwait(false);
        else
            await _connection.ExecuteAsync(token, "PERSIST", Key(key)).ConfigureAwait(false);
    }

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        var reply = await _connection.ExecuteAsync(token, "HMGET", Key(key), "absexp", "sldexp").ConfigureAwait(false);
        if (reply.Items is { Count: 2 } items) await SlideAsync(key, items[0], items[1], token).ConfigureAwait(false);
    }

    public async Task RemoveAsync(string key, CancellationToken token = default) =>
        await _connection.ExecuteAsync(token, "DEL", Key(key)).ConfigureAwait(false);

    /// <summary>Extends a sliding expiration on access, bounded by the absolute one (as the StackExchangeRedis cache does).</summary>
    private async Task SlideAsync(string key, RespValue absexp, RespValue sldexp, CancellationToken token)
    {
        var sliding = Ticks(sldexp);
        if (sliding is not { } s || s == NotPresent) return;
        var absolute = Ticks(absexp) is { } a && a != NotPresent ? new DateTimeOffset(a, TimeSpan.Zero) : (DateTimeOffset?)null;
        if (Ttl(absolute, TimeSpan.FromTicks(s), DateTimeOffset.UtcNow) is { } ttl)
            await _connection.ExecuteAsync(token, "PEXPIRE", Key(key), (long)Math.Max(1, ttl.TotalMilliseconds)).ConfigureAwait(false);
    }

    private static long? Ticks(RespValue v) => v.AsString() is { } s && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t) ? t : null;

    private static TimeSpan? Ttl(DateTimeOffset? absolute, TimeSpan? sliding, DateTimeOffset now)
    {
        TimeSpan? untilAbsolute = absolute is { } a ? a - now : null;
        if (sliding is { } s) return untilAbsolute is { } u && u < s ? u : s;
        return untilAbsolute;
    }

    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public async Task AddToSetAsync(string set, string member, CancellationToken cancellationToken = default) =>
        await _connection.ExecuteAsync(cancellationToken, "SADD", Key(set), member).ConfigureAwait(false);

    public async Task RemoveFromSetAsync(string set, string member, CancellationToken cancellationToken = default) =>
        await _connection.ExecuteAsync(cancellationToken, "SREM", Key(set), member).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> SetMembersAsync(string set, CancellationToken cancellationToken = default)
    {
        var reply = await _connection.ExecuteAsync(cancellationToken, "SMEMBERS", Key(set)).ConfigureAwait(false);
        return reply.Items?.Select(i => i.Bulk is null ? string.Empty : Encoding.UTF8.GetString(i.Bulk)).Where(s => s.Length > 0).ToList() ?? [];
    }

    public async Task DeleteSetAsync(string set, CancellationToken cancellationToken = default) =>
        await _connection.ExecuteAsync(cancellationToken, "DEL", Key(set)).ConfigureAwait(false);

    public void Dispose() => _connection.Dispose();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
