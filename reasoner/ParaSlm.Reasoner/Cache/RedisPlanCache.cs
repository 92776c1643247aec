using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// The shared plan store for CI fleets and teams, over any <see cref="IDistributedCache"/> (Redis in practice) with the
/// same keys and semantics as the SQLite store. Without transactions, the semantics rest on record layout:
/// <list type="bullet">
/// <item>`plans:v1:entry:{key}` — integrity hash, newline, the entry's canonical JSON (immutable content);</item>
/// <item>`plans:v1:rejected:{key}` — a rejection, written only by a reject and never overwritten by anything else, so
/// a key once rejected stays rejected however writers interleave;</item>
/// <item>`plans:v1:accepted:{key}:{integrity}` — an acceptance of exactly that entry (a later, different entry is
/// pending again). Named by the integrity, not only the key, because a mark reads the entry and then writes: two
/// writers racing on one key would otherwise leave the last entry with the other entry's acceptance. Stores written
/// before kept it at `plans:v1:accepted:{key}` (integrity inside), which is still read;</item>
/// <item>`plans:v1:keys` — the set of keys, for list, stats, export and clear.</item>
/// </list>
/// After the first failed operation (connection lost) the store answers as an empty cache for the rest of the run
/// and says so once (PSLM4007), so a dead server costs one timeout, not one per loop (see <see cref="PlanCacheStore"/>).
/// </summary>
public sealed class RedisPlanCache : PlanCacheStore
{
    /// <summary>Layout version of the records; part of every record's name.</summary>
    public const int LayoutVersion = 1;

    private const string Root = "plans:v1:";
    private const string KeySet = Root + "keys";
    private static readonly DistributedCacheEntryOptions Forever = new();

    private readonly IDistributedCache _cache;
    private readonly IDistributedKeySet _keys;
    private readonly IDisposable? _owned;

    /// <param name="cache">Where records live.</param>
    /// <param name="keys">The key index (usually the same object as <paramref name="cache"/>).</param>
    /// <param name="location">How the store is named in messages (no credentials).</param>
    /// <param name="report">Receives PSLM40xx warnings as <see cref="Diagnostic"/> records.</param>
    /// <param name="owned">Disposed with the cache (the connection, when the factory made it).</param>
    public RedisPlanCache(IDistributedCache cache, IDistributedKeySet keys, string location, Action<Diagnostic> report, IDisposable? owned = null)
        : base(report)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        Location = location;
        _owned = owned;
    }

    /// <summary>Connects to <paramref name="endpoint"/>.</summary>
    /// <exception cref="RedisCacheException">The server is unreachable (the factory turns this into PSLM4002 and SQLite).</exception>
    public static async Task<RedisPlanCache> ConnectAsync(RedisEndpoint endpoint, Action<Diagnostic> report, CancellationToken cancellationToken = default)
    {
        var redis = await RedisDistributedCache.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return new RedisPlanCache(redis, redis, endpoint.ToString(), report, redis);
    }

    public override string Location { get; }

    public override string Kind => "redis";

    protected override int SchemaVersion => LayoutVersion;

    private static string EntryName(string key) => Root + "entry:" + key;

    private static string AcceptedName(string key, string integrity) => Root + "accepted:" + key + ":" + integrity;

    private static string LegacyAcceptedName(string key) => Root + "accepted:" + key;

    private static string RejectedName(string key) => Root + "rejected:" + key;

    protected override async Task<StoredRecord?> ReadCoreAsync(string key, CancellationToken cancel)
    {
        var rejected = await _cache.GetAsync(RejectedName(key), cancel).ConfigureAwait(false);
        var entry = await _cache.GetAsync(EntryName(key), cancel).ConfigureAwait(false);
        var (content, integrity) = SplitEntry(entry);
        if (rejected is not null)
        {
            var r = ReadStatus(rejected);
            return new StoredRecord(key, content, integrity, PlanStatus.Rejected, r.Evidence, r.Updated);
        }
        if (entry is null) return null;
        var accepted = await _cache.GetAsync(AcceptedName(key, integrity!), cancel).ConfigureAwait(false)
                       ?? await _cache.GetAsync(LegacyAcceptedName(key), cancel).ConfigureAwait(false);
        if (accepted is not null && ReadStatus(accepted) is { } a && a.Integrity == integrity)
            return new StoredRecord(key, content, integrity, PlanStatus.Accepted, a.Evidence, a.Updated);
        return new StoredRecord(key, content, integrity, PlanStatus.Pending, null, null);
    }

    protected override async Task<bool> PutCoreAsync(CachedPlan plan, CancellationToken cancel)
    {
        var key = plan.Key.Hash;
        if (await _cache.GetAsync(RejectedName(key), cancel).ConfigureAwait(false) is not null) return false;
        var existing = await ReadCoreAsync(key, cancel).ConfigureAwait(false);
        if (existing is { Content: not null })
        {
            if (existing.Integrity == plan.Integrity) return true; // the same answer, already stored
            if (existing.Status == PlanStatus.Accepted && IsIntact(existing)) return false; // keep what was accepted
        }
        var content = plan.CanonicalContent();
        var record = new byte[plan.Integrity.Length + 1 + content.Length];
        Encoding.ASCII.GetBytes(plan.Integrity, record);
        record[plan.Integrity.Length] = (byte)'\n';
        content.CopyTo(record, plan.Integrity.Length + 1);
        await _cache.SetAsync(EntryName(key), record, Forever, cancel).ConfigureAwait(false);
        await _keys.AddToSetAsync(KeySet, key, cancel).ConfigureAwait(false);
        return true;
    }

    protected override async Task MarkCoreAsync(string key, PlanStatus status, string? evidence, CancellationToken cancel)
    {
        if (await _cache.GetAsync(RejectedName(key), cancel).ConfigureAwait(false) is not null) return; // final
        var entry = await _cache.GetAsync(EntryName(key), cancel).ConfigureAwait(false);
        var (_, integrity) = SplitEntry(entry);
        if (status == PlanStatus.Accepted)
        {
            if (integrity is null) return; // nothing to accept
            await _cache.SetAsync(AcceptedName(key, integrity), WriteStatus(evidence, integrity), Forever, cancel).ConfigureAwait(false);
        }
        else
        {
            await _cache.SetAsync(RejectedName(key), WriteStatus(evidence, integrity), Forever, cancel).ConfigureAwait(false);
        }
        await _keys.AddToSetAsync(KeySet, key, cancel).ConfigureAwait(false);
    }

    protected override async Task<bool> RemoveCoreAsync(string key, CancellationToken cancel)
    {
        var existed = await ReadCoreAsync(key, cancel).ConfigureAwait(false) is not null;
        await RemoveRecordsAsync(key, cancel).ConfigureAwait(false);
        await _keys.RemoveFromSetAsync(KeySet, key, cancel).ConfigureAwait(false);
        return existed;
    }

    protected override async Task<IReadOnlyList<StoredRecord>> ReadAllCoreAsync(CancellationToken cancel)
    {
        var list = new List<StoredRecord>();
        foreach (var key in await _keys.SetMembersAsync(KeySet, cancel).ConfigureAwait(false))
        {
            if (!PlanCacheKeys.IsHash(key)) continue;
            if (await ReadCoreAsync(key, cancel).ConfigureAwait(false) is { } r) list.Add(r);
        }
        return list;
    }

    protected override async Task<int> ClearCoreAsync(CancellationToken cancel)
    {
        var members = await _keys.SetMembersAsync(KeySet, cancel).ConfigureAwait(false);
        foreach (var key in members) await RemoveRecordsAsync(key, cancel).ConfigureAwait(false);
        await _keys.DeleteSetAsync(KeySet, cancel).ConfigureAwait(false);
        return members.Count;
    }

    /// <summary>A key's records. An acceptance of an entry that a racing writer replaced stays behind: a few bytes,
    /// never read (it names an integrity no entry has), which a key-pattern scan could not remove without SCAN.</summary>
    private async Task RemoveRecordsAsync(string key, CancellationToken cancel)
    {
        var (_, integrity) = SplitEntry(await _cache.GetAsync(EntryName(key), cancel).ConfigureAwait(false));
        await _cache.RemoveAsync(RejectedName(key), cancel).ConfigureAwait(false);
        if (integrity is not null) await _cache.RemoveAsync(AcceptedName(key, integrity), cancel).ConfigureAwait(false);
        await _cache.RemoveAsync(LegacyAcceptedName(key), cancel).ConfigureAwait(false);
        await _cache.RemoveAsync(EntryName(key), cancel).ConfigureAwait(false);
    }

    protected override async Task<long> SizeCoreAsync(CancellationToken cancel) =>
        (await ReadAllCoreAsync(cancel).ConfigureAwait(false)).Sum(r => (long)(r.Content?.Length ?? 0));

    private static (byte[]? Content, string? Integrity) SplitEntry(byte[]? record)
    {
        if (record is null) return (null, null);
        var nl = Array.IndexOf(record, (byte)'\n');
        // A record that does not even split is damaged: empty content fails the integrity check and is reported.
        if (nl < 0) return ([], string.Empty);
        return (record[(nl + 1)..], Encoding.ASCII.GetString(record, 0, nl));
    }

    private static bool IsIntact(StoredRecord r) => CachedPlan.TryDecode(r.Content, r.Integrity, r.Key) is not null;

    private sealed record StatusRecord(string? Evidence, string? Integrity, DateTimeOffset? Updated);

    private static byte[] WriteStatus(string? evidence, string? integrity)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("evidence", evidence);
            w.WriteString("integrity", integrity);
            w.WriteString("updated", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static StatusRecord ReadStatus(byte[] record)
    {
        try
        {
            using var doc = JsonDocument.Parse(record);
            var root = doc.RootElement;
            string? S(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var updated = S("updated") is { } u && DateTimeOffset.TryParse(u, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
            return new StatusRecord(S("evidence"), S("integrity"), updated);
        }
        catch (JsonException)
        {
            // A damaged status record still means what its name says (a rejection stays a rejection); the details are lost.
            return new StatusRecord(null, null, null);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _owned?.Dispose();
    }
}
