using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Reasoner.Tests.Cache;

/// <summary>The shared store against a real redis-server on loopback: the same semantics as the SQLite store.</summary>
[TestFixture]
[NonParallelizable]
[Category("Integration")]
public sealed class RedisPlanCacheTests : CacheFolderFixture
{
    private RedisServer _server = null!;
    private string _spec = null!;

    [OneTimeSetUp]
    public void StartServer() => _server = RedisServer.Start();

    [OneTimeTearDown]
    public void StopServer() => _server?.Dispose();

    [SetUp]
    public void SetUp()
    {
        // Each test gets its own key prefix on the one server.
        _spec = $"{_server.Url}?prefix=t{Guid.NewGuid():N}:";
    }

    private async Task<IPlanCache> OpenAsync()
    {
        var cache = await PlanCacheFactory.OpenAsync(_spec, Warnings.Add, localPath: Path.Combine(Dir, "fallback.db"));
        Assert.That(cache.Kind, Is.EqualTo("redis"), Warnings.ToString());
        return cache;
    }

    [Test]
    public async Task Factory_OpensRedis_MissThenHit()
    {
        await using var cache = await OpenAsync();
        Assert.That(cache.Location, Is.EqualTo($"redis://127.0.0.1:{_server.Port}"));
        var key = CacheTestData.Key("ra");
        Assert.That(await cache.TryGetAsync(key), Is.Null);
        var plan = CacheTestData.Plan(key);
        Assert.That(await cache.PutAsync(plan), Is.True);
        var hit = await cache.TryGetAsync(key);
        Assert.That(hit, Is.Not.Null);
        Assert.That(hit!.Integrity, Is.EqualTo(plan.Integrity));
        Assert.That(hit.Proposal.ClauseText, Is.EqualTo(plan.Proposal.ClauseText));
        Assert.That(hit.Status, Is.EqualTo(PlanStatus.Pending));

        await cache.MarkAsync(key, PlanStatus.Accepted, "verified");
        await using var other = await OpenAsync();
        Assert.That((await other.TryGetAsync(key))?.Status, Is.EqualTo(PlanStatus.Accepted), "another client (another CI machine) sees it");
        Assert.That(Warnings.Messages, Is.Empty);
    }

    [Test]
    public async Task Rejected_IsNeverServedAgain()
    {
        await using var cache = await OpenAsync();
        var key = CacheTestData.Key("rb");
        await cache.PutAsync(CacheTestData.Plan(key));
        await cache.MarkAsync(key, PlanStatus.Rejected, "PSLM2001: unsafe");
        Assert.That(await cache.TryGetAsync(key), Is.Null);
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key, "again")), Is.False);
        await cache.MarkAsync(key, PlanStatus.Accepted, "no");
        await using var other = await OpenAsync();
        var lookup = await other.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That(lookup.Evidence, Is.EqualTo("PSLM2001: unsafe"));

        var bare = CacheTestData.Key("rb-bare");
        await cache.MarkAsync(bare, PlanStatus.Rejected, "tsan");
        Assert.That(await cache.PutAsync(CacheTestData.Plan(bare)), Is.False);
        Assert.That((await cache.LookupAsync(bare)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
    }

    [Test]
    public async Task AcceptedEntry_IsNotReplacedByALaterPendingOne()
    {
        await using var cache = await OpenAsync();
        var key = CacheTestData.Key("rc");
        await cache.PutAsync(CacheTestData.Plan(key, "first"));
        await cache.MarkAsync(key, PlanStatus.Accepted, null);
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key, "second")), Is.False);
        Assert.That((await cache.TryGetAsync(key))?.Rationale, Is.EqualTo("first"));
    }

    [Test]
    public async Task TamperedEntry_IsIgnoredAndReported()
    {
        await using var cache = await OpenAsync();
        var key = CacheTestData.Key("rd");
        await cache.PutAsync(CacheTestData.Plan(key));

        var endpoint = RedisEndpoint.Parse(_spec);
        await using (var raw = await RedisDistributedCache.ConnectAsync(endpoint))
        {
            var name = "plans:v1:entry:" + key.Hash;
            var record = Encoding.UTF8.GetString((await raw.GetAsync(name))!);
            await raw.SetAsync(name, Encoding.UTF8.GetBytes(record.Replace("\"cpu-openmp\"", "\"gpu-cuda\"", StringComparison.Ordinal)), new DistributedCacheEntryOptions());
        }
        var lookup = await cache.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Corrupt));
        Assert.That(Warnings.Any(PlanCacheCodes.CorruptEntry), Is.True, Warnings.ToString());
        Assert.That((await cache.StatsAsync()).Corrupt, Is.EqualTo(1));
    }

    [Test]
    public async Task StatsListClear()
    {
        await using var cache = await OpenAsync();
        var a = CacheTestData.Key("re-a");
        var b = CacheTestData.Key("re-b");
        var c = CacheTestData.Key("re-c");
        await cache.PutAsync(CacheTestData.Plan(a));
        await cache.MarkAsync(a, PlanStatus.Accepted, null);
        await cache.PutAsync(CacheTestData.Plan(b));
        await cache.MarkAsync(c, PlanStatus.Rejected, "unsafe");
        var stats = await cache.StatsAsync();
        Assert.That((stats.Kind, stats.Entries, stats.Accepted, stats.Pending, stats.Rejected), Is.EqualTo(("redis", 2, 1, 1, 1)));
        Assert.That((await cache.ListAsync()).Select(e => e.Key.Hash), Is.EquivalentTo(new[] { a.Hash, b.Hash, c.Hash }));
        Assert.That(await cache.ClearAsync(), Is.EqualTo(3));
        Assert.That((await cache.StatsAsync()).Entries, Is.EqualTo(0));
        Assert.That((await cache.LookupAsync(c)).Kind, Is.EqualTo(PlanLookupKind.Miss));
    }

    [Test]
    public async Task SqliteExport_ImportsIntoRedis_AndBack_WithTheSameKeysAndSemantics()
    {
        var accepted = CacheTestData.Key("rf-accepted");
        var rejected = CacheTestData.Key("rf-rejected");
        var fromSqlite = new MemoryStream();
        await using (var sqlite = SqlitePlanCache.Open(Path.Combine(Dir, "a.db"), Warnings.Add))
        {
            await sqlite.PutAsync(CacheTestData.Plan(accepted));
            await sqlite.MarkAsync(accepted, PlanStatus.Accepted, "ok");
            await sqlite.PutAsync(CacheTestData.Plan(rejected));
            await sqlite.MarkAsync(rejected, PlanStatus.Rejected, "unsafe");
            await sqlite.ExportAsync(fromSqlite);
        }
        fromSqlite.Position = 0;
        var fromRedis = new MemoryStream();
        await using (var redis = await OpenAsync())
        {
            Assert.That(await redis.ImportAsync(fromSqlite), Is.EqualTo(new PlanImportResult(1, 1, 0)));
            Assert.That((await redis.TryGetAsync(accepted))?.Status, Is.EqualTo(PlanStatus.Accepted));
            Assert.That((await redis.LookupAsync(rejected)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
            Assert.That(await redis.ExportAsync(fromRedis), Is.EqualTo(2));
        }
        fromRedis.Position = 0;
        await using var back = SqlitePlanCache.Open(Path.Combine(Dir, "b.db"), Warnings.Add);
        await back.ImportAsync(fromRedis);
        Assert.That((await back.TryGetAsync(accepted))?.Status, Is.EqualTo(PlanStatus.Accepted));
        Assert.That((await back.LookupAsync(rejected)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That(Warnings.Messages, Is.Empty);
    }

    [Test]
    public async Task ManyClients_PlanTheSameKeysConcurrently_LoseNothing()
    {
        var caches = new List<IPlanCache>();
        for (var i = 0; i < 8; i++) caches.Add(await OpenAsync());
        try
        {
            var keys = Enumerable.Range(0, 60).Select(i => CacheTestData.Key("rg" + i)).ToList();
            await Task.WhenAll(caches.Select((cache, w) => Task.Run(async () =>
            {
                foreach (var (k, i) in keys.Select((k, i) => (k, i)).OrderBy(_ => Random.Shared.Next()))
                {
                    if (await cache.TryGetAsync(k) is not null) continue;
                    await cache.PutAsync(CacheTestData.Plan(k, $"client {w}"));
                    await cache.MarkAsync(k, i % 5 == 4 ? PlanStatus.Rejected : PlanStatus.Accepted, null);
                }
            })));
            var stats = await caches[0].StatsAsync();
            Assert.That((stats.Entries, stats.Rejected, stats.Accepted, stats.Pending), Is.EqualTo((60, 12, 48, 0)));
            Assert.That(Warnings.Messages, Is.Empty);
        }
        finally
        {
            foreach (var c in caches) await c.DisposeAsync();
        }
    }

    [Test]
    public async Task AcceptanceOfAReplacedEntry_DoesNotLeaveTheNewEntryPending()
    {
        // The interleaving that used to lose an acceptance, forced: Y reads its entry to accept it, X replaces the
        // entry and accepts its own, then Y's acceptance lands last. X's entry must still read as accepted.
        var endpoint = RedisEndpoint.Parse(_spec);
        await using var xConnection = await RedisDistributedCache.ConnectAsync(endpoint);
        await using var yConnection = await RedisDistributedCache.ConnectAsync(endpoint);
        var gated = new GatedEntryReads(yConnection);
        await using var x = new RedisPlanCache(xConnection, xConnection, "x", Warnings.Add);
        await using var y = new RedisPlanCache(gated, gated, "y", Warnings.Add);
        var key = CacheTestData.Key("race");

        Assert.That(await y.PutAsync(CacheTestData.Plan(key, "client y")), Is.True);
        var yMark = gated.HoldNextEntryRead();
        var yAccepts = y.MarkAsync(key, PlanStatus.Accepted, "y verified");
        await yMark.Reached;
        var xPlan = CacheTestData.Plan(key, "client x");
        Assert.That(await x.PutAsync(xPlan), Is.True, "a pending entry with another answer is replaced");
        await x.MarkAsync(key, PlanStatus.Accepted, "x verified");
        yMark.Release();
        await yAccepts;

        var read = await x.TryGetAsync(key);
        Assert.That(read?.Integrity, Is.EqualTo(xPlan.Integrity));
        Assert.That(read?.Status, Is.EqualTo(PlanStatus.Accepted));
        Assert.That(Warnings.Messages, Is.Empty);
    }

    /// <summary>Holds one read of an entry record after it has read it, until released (the reader's view is then stale).</summary>
    private sealed class GatedEntryReads(RedisDistributedCache inner) : IDistributedCache, IDistributedKeySet
    {
        private Gate? _armed;

        public Gate HoldNextEntryRead() => _armed = new Gate();

        public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
        {
            var value = await inner.GetAsync(key, token);
            if (key.Contains(":entry:", StringComparison.Ordinal) && Interlocked.Exchange(ref _armed, null) is { } gate)
                await gate.PassAsync();
            return value;
        }

        public byte[]? Get(string key) => inner.Get(key);
        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => inner.Set(key, value, options);
        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => inner.SetAsync(key, value, options, token);
        public void Refresh(string key) => inner.Refresh(key);
        public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);
        public void Remove(string key) => inner.Remove(key);
        public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);
        public Task AddToSetAsync(string set, string member, CancellationToken cancellationToken = default) => inner.AddToSetAsync(set, member, cancellationToken);
        public Task RemoveFromSetAsync(string set, string member, CancellationToken cancellationToken = default) => inner.RemoveFromSetAsync(set, member, cancellationToken);
        public Task<IReadOnlyList<string>> SetMembersAsync(string set, CancellationToken cancellationToken = default) => inner.SetMembersAsync(set, cancellationToken);
        public Task DeleteSetAsync(string set, CancellationToken cancellationToken = default) => inner.DeleteSetAsync(set, cancellationToken);
    }

    private sealed class Gate
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public void Release() => _released.TrySetResult();

        public async Task PassAsync()
        {
            _reached.TrySetResult();
            await _released.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Test]
    public async Task UnreachableRedis_FallsBackToSqlite_WithAWarning()
    {
        var port = RedisServer.FreePort(); // nobody listens there
        var local = Path.Combine(Dir, "local.db");
        await using var cache = await PlanCacheFactory.OpenAsync($"redis://127.0.0.1:{port}?connectTimeout=500", Warnings.Add, localPath: local);
        Assert.That(cache.Kind, Is.EqualTo("sqlite"));
        Assert.That(cache.Location, Is.EqualTo(local));
        Assert.That(Warnings.Any(PlanCacheCodes.RedisFallback), Is.True, Warnings.ToString());
        var key = CacheTestData.Key("rh");
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key)), Is.True);
        Assert.That(await cache.TryGetAsync(key), Is.Not.Null);
    }

    [Test]
    public async Task InvalidRedisAddress_FallsBackToSqlite_WithAWarning_WithoutThePassword()
    {
        await using var cache = await PlanCacheFactory.OpenAsync("redis://:s3cret@127.0.0.1:6379/notanumber", Warnings.Add, localPath: Path.Combine(Dir, "l.db"));
        Assert.That(cache.Kind, Is.EqualTo("sqlite"));
        Assert.That(Warnings.Any(PlanCacheCodes.RedisFallback), Is.True);
        Assert.That(Warnings.ToString(), Does.Not.Contain("s3cret"));
    }

    [Test]
    public async Task ServerLostMidRun_LookupsMiss_WithOneWarning_AndNoException()
    {
        using var own = RedisServer.Start();
        var cache = await PlanCacheFactory.OpenAsync($"{own.Url}?timeout=1000&connectTimeout=500", Warnings.Add, localPath: Path.Combine(Dir, "f.db"));
        await using (cache)
        {
            Assert.That(cache.Kind, Is.EqualTo("redis"));
            var key = CacheTestData.Key("ri");
            await cache.PutAsync(CacheTestData.Plan(key));
            own.Dispose();
            Assert.That(await cache.TryGetAsync(key), Is.Null);
            Assert.That(await cache.PutAsync(CacheTestData.Plan(CacheTestData.Key("rj"))), Is.False);
            await cache.MarkAsync(key, PlanStatus.Accepted, null);
            Assert.That(await cache.TryGetAsync(key), Is.Null);
            Assert.That(Warnings.Messages.Count(m => m.Code == PlanCacheCodes.OperationFailed), Is.EqualTo(1), Warnings.ToString());
        }
    }

    [Test]
    public async Task DistributedCacheContract_SetGetRefreshRemove()
    {
        await using var redis = await RedisDistributedCache.ConnectAsync(RedisEndpoint.Parse(_spec));
        IDistributedCache cache = redis;
        await cache.SetAsync("k", [1, 2, 3], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5) });
        Assert.That(await cache.GetAsync("k"), Is.EqualTo(new byte[] { 1, 2, 3 }));
        await cache.RefreshAsync("k");
        cache.Set("s", Encoding.UTF8.GetBytes("sync"), new DistributedCacheEntryOptions());
        Assert.That(Encoding.UTF8.GetString(cache.Get("s")!), Is.EqualTo("sync"));
        await cache.SetAsync("gone", [9], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMilliseconds(50) });
        await Task.Delay(300);
        Assert.That(await cache.GetAsync("gone"), Is.Null, "absolute expiration is honoured");
        await cache.RemoveAsync("k");
        Assert.That(await cache.GetAsync("k"), Is.Null);
    }

    [Test]
    public async Task Benchmark_OnRedis_PrintsHitLatency()
    {
        var output = new StringWriter();
        var result = await PlanCacheBenchmark.RunAsync(_spec, output, iterations: 300);
        TestContext.Out.WriteLine(output.ToString());
        Assert.That(result.Kind, Is.EqualTo("redis"));
        await using var cache = await OpenAsync();
        Assert.That((await cache.StatsAsync()).Entries, Is.EqualTo(0), "the benchmark removes its entry");
    }
}
