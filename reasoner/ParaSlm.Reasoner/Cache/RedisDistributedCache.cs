using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;
using StackExchange.Redis.KeyspaceIsolation;

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

/// <summary>The shared store could not be reached or used (the factory falls back to SQLite with PSLM4002).</summary>
public sealed class RedisCacheException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// One connection to the shared Redis store: records through Microsoft.Extensions.Caching.StackExchangeRedis's
/// <see cref="RedisCache"/> (its hash layout `absexp`/`sldexp`/`data`, key = prefix + key), the key index through
/// StackExchange.Redis sets under the same prefix. Both share one multiplexer, connected once.
/// </summary>
public sealed class RedisDistributedCache : IDistributedCache, IDistributedKeySet, IAsyncDisposable, IDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly RedisCache _cache;
    private readonly IDatabase _sets;

    private RedisDistributedCache(RedisEndpoint endpoint, ConnectionMultiplexer connection)
    {
        Endpoint = endpoint;
        _connection = connection;
        _cache = new RedisCache(new RedisCacheOptions
        {
            InstanceName = endpoint.Prefix,
            ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(connection),
        });
        _sets = connection.GetDatabase(endpoint.Database).WithKeyPrefix(endpoint.Prefix);
    }

    public RedisEndpoint Endpoint { get; }

    /// <summary>Connects within the endpoint's connect timeout.</summary>
    /// <exception cref="RedisCacheException">Unreachable, refused, or not a Redis server.</exception>
    public static async Task<RedisDistributedCache> ConnectAsync(RedisEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { endpoint.Host, endpoint.Port } },
            User = endpoint.User,
            Password = endpoint.Password,
            Ssl = endpoint.Tls,
            DefaultDatabase = endpoint.Database,
            ConnectTimeout = Milliseconds(endpoint.ConnectTimeout),
            SyncTimeout = Milliseconds(endpoint.CommandTimeout),
            AsyncTimeout = Milliseconds(endpoint.CommandTimeout),
            // One try when opening: an unreachable store must cost the build one connect timeout, then SQLite.
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            ClientName = "paraslm",
        };
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken).ConfigureAwait(false);
            return new RedisDistributedCache(endpoint, connection);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            throw new RedisCacheException($"cannot connect to {endpoint}: {e.Message.Split('\n')[0].TrimEnd('.')}", e);
        }
    }

    private static int Milliseconds(TimeSpan t) => (int)Math.Clamp(t.TotalMilliseconds, 1, int.MaxValue);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => _cache.GetAsync(key, token);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        _cache.SetAsync(key, value, options, token);

    public Task RefreshAsync(string key, CancellationToken token = default) => _cache.RefreshAsync(key, token);

    public Task RemoveAsync(string key, CancellationToken token = default) => _cache.RemoveAsync(key, token);

    public byte[]? Get(string key) => _cache.Get(key);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => _cache.Set(key, value, options);

    public void Refresh(string key) => _cache.Refresh(key);

    public void Remove(string key) => _cache.Remove(key);

    public Task AddToSetAsync(string set, string member, CancellationToken cancellationToken = default) =>
        _sets.SetAddAsync(set, member).WaitAsync(cancellationToken);

    public Task RemoveFromSetAsync(string set, string member, CancellationToken cancellationToken = default) =>
        _sets.SetRemoveAsync(set, member).WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> SetMembersAsync(string set, CancellationToken cancellationToken = default)
    {
        var members = await _sets.SetMembersAsync(set).WaitAsync(cancellationToken).ConfigureAwait(false);
        return members.Where(m => !m.IsNullOrEmpty).Select(m => m.ToString()).ToList();
    }

    public Task DeleteSetAsync(string set, CancellationToken cancellationToken = default) =>
        _sets.KeyDeleteAsync(set).WaitAsync(cancellationToken);

    public void Dispose()
    {
        _cache.Dispose();
        _connection.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _cache.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
