using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// What every store shares: the never-fail wrapper (a store error becomes one PSLM4007 warning and an empty answer),
/// the integrity check on read, session counters, statistics, and the JSON-lines export/import format. A store
/// implements only the primitive operations.
/// </summary>
public abstract class PlanCacheStore : IPlanCache
{
    /// <summary>The `format` of an export's header line.</summary>
    public const string ExportFormat = "paraslm-plan-cache";

    public const int ExportVersion = 1;

    private readonly Action<Diagnostic> _report;
    private readonly ConcurrentDictionary<string, bool> _reportedCorrupt = new(StringComparer.Ordinal);
    private long _hits, _misses, _rejected, _corrupt;
    private int _failureReported;
    private volatile bool _broken;

    protected PlanCacheStore(Action<Diagnostic> report) => _report = report ?? (_ => { });

    public abstract string Location { get; }

    public abstract string Kind { get; }

    /// <summary>Schema version of the store's layout (for stats).</summary>
    protected abstract int SchemaVersion { get; }

    /// <summary>The stored entry and status for a key; integrity is checked by the caller.</summary>
    protected abstract Task<StoredRecord?> ReadCoreAsync(string key, CancellationToken cancel);

    protected abstract Task<bool> PutCoreAsync(CachedPlan plan, CancellationToken cancel);

    protected abstract Task MarkCoreAsync(string key, PlanStatus status, string? evidence, CancellationToken cancel);

    protected abstract Task<bool> RemoveCoreAsync(string key, CancellationToken cancel);

    protected abstract Task<IReadOnlyList<StoredRecord>> ReadAllCoreAsync(CancellationToken cancel);

    protected abstract Task<int> ClearCoreAsync(CancellationToken cancel);

    protected abstract Task<long> SizeCoreAsync(CancellationToken cancel);

    /// <summary>Sends a diagnostic (a PSLM40xx warning, or the migration's info) to the callback the store was opened with.</summary>
    protected void Report(Diagnostic diagnostic)
    {
        try
        {
            _report(diagnostic);
        }
        catch (Exception)
        {
            // A throwing logger must not turn a cache warning into a build failure.
        }
    }

    /// <summary>
    /// Reports a failed operation once per instance and turns the store off for the rest of the run: a dead server or
    /// a locked-up file would otherwise cost a timeout and a warning for every loop.
    /// </summary>
    protected void ReportFailure(string operation, Exception e)
    {
        _broken = true;
        if (Interlocked.Exchange(ref _failureReported, 1) == 0)
            Report(Diagnostic.Warning(PlanCacheCodes.OperationFailed,
                $"the plan cache {Location} failed to {operation} ({Describe(e)}); it is treated as empty for the rest of this run, plans are asked again"));
    }

    protected static string Describe(Exception e) => e.Message;

    /// <summary>The store failed earlier in this run and now answers as an empty cache.</summary>
    protected bool IsBroken => _broken;

    public async Task<CachedPlan?> TryGetAsync(PlanCacheKey key, CancellationToken cancellationToken = default)
    {
        var lookup = await LookupAsync(key, cancellationToken).ConfigureAwait(false);
        return lookup.Kind == PlanLookupKind.Hit ? lookup.Plan : null;
    }

    public async Task<PlanLookup> LookupAsync(PlanCacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        StoredRecord? record;
        if (_broken)
        {
            Interlocked.Increment(ref _misses);
            return PlanLookup.Miss;
        }
        try
        {
            record = await ReadCoreAsync(key.Hash, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportFailure("read", e);
            Interlocked.Increment(ref _misses);
            return PlanLookup.Miss;
        }
        if (record is null)
        {
            Interlocked.Increment(ref _misses);
            return PlanLookup.Miss;
        }
        if (record.Status == PlanStatus.Rejected)
        {
            Interlocked.Increment(ref _rejected);
            return new PlanLookup(PlanLookupKind.Rejected, null, record.Evidence);
        }
        if (record.Content is null)
        {
            Interlocked.Increment(ref _misses);
            return PlanLookup.Miss;
        }
        var plan = Decode(record);
        if (plan is null || !string.Equals(plan.Key.Hash, key.Hash, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _corrupt);
            if (_reportedCorrupt.TryAdd(key.Hash, true))
                Report(Diagnostic.Warning(PlanCacheCodes.CorruptEntry,
                    $"the cached plan {key.Hash[..12]} in {Location} fails its integrity check (damaged or edited); it is ignored and the plan is asked again"));
            return new PlanLookup(PlanLookupKind.Corrupt, null, "integrity check failed");
        }
        Interlocked.Increment(ref _hits);
        return new PlanLookup(PlanLookupKind.Hit, plan, plan.Evidence);
    }

    public async Task<bool> PutAsync(CachedPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        // Entries are sealed by whoever made them; sealing here too means a caller's `with` edit cannot store a
        // plan that every later read would discard as corrupt.
        var sealedPlan = plan.IsIntact ? plan : plan.Seal();
        if (_broken) return false;
        try
        {
            return await PutCoreAsync(sealedPlan with { Status = PlanStatus.Pending, Evidence = null }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportFailure("store a plan", e);
            return false;
        }
    }

    public async Task MarkAsync(PlanCacheKey key, PlanStatus status, string? evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (status == PlanStatus.Pending) throw new ArgumentException("a plan can be marked accepted or rejected, not pending", nameof(status));
        if (_broken) return;
        try
        {
            await MarkCoreAsync(key.Hash, status, evidence, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportFailure("record a verdict", e);
        }
    }

    public async Task<bool> RemoveAsync(PlanCacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_broken) return false;
        try
        {
            return await RemoveCoreAsync(key.Hash, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportFailure("remove a plan", e);
            return false;
        }
    }

    public async Task<IReadOnlyList<PlanCacheEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StoredRecord> records;
        if (_broken) return [];
        try
        {
            records = await ReadAllCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportFailure("list its plans", e);
            return [];
        }
        return records.Select(ToEntry)
            .OrderByDescending(e => e.Plan?.Created ?? e.Updated ?? DateTimeOffset.MinValue)
            .ThenBy(e => e.Key.Hash, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<PlanCacheStats> StatsAsync(CancellationToken cancellationToken = default)
    {
        var entries = await ListAsync(cancellationToken).ConfigureAwait(false);
        long size;
        try
        {
            size = _broken ? -1 : await SizeCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportFailure("measure its size", e);
            size = -1;
        }
        var servable = entries.Where(e => e.Intact && e.Plan is not null && e.Status != PlanStatus.Rejected).Select(e => e.Plan!).ToList();
        var withPlan = entries.Where(e => e.Plan is not null).Select(e => e.Plan!).ToList();
        return new PlanCacheStats(
            Location,
            Kind,
            SchemaVersion,
            Entries: entries.Count(e => e.Plan is not null || !e.Intact),
            Pending: entries.Count(e => e.Status == PlanStatus.Pending && e.Intact),
            Accepted: entries.Count(e => e.Status == PlanStatus.Accepted && e.Intact),
            Rejected: entries.Count(e => e.Status == PlanStatus.Rejected),
            Corrupt: entries.Count(e => !e.Intact && e.Status != PlanStatus.Rejected),
            SizeBytes: size,
            Oldest: withPlan.Count == 0 ? null : withPlan.Min(p => p.Created),
            Newest: withPlan.Count == 0 ? null : withPlan.Max(p => p.Created),
            SavedModelTime: TimeSpan.FromTicks(servable.Sum(p => p.Latency.Ticks)),
            ByModel: servable.GroupBy(p => p.Model, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            ByStrategy: servable.GroupBy(p => p.Strategy, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal))
        {
            Session = Counters,
        };
    }

    /// <summary>Lookups made through this instance so far.</summary>
    public PlanCacheCounters Counters => new(Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _rejected), Interlocked.Read(ref _corrupt));

    public async Task<int> ClearAsync(CancellationToken cancellationToken = default)
    {
        if (_broken) return 0;
        try
        {
            return await ClearCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReportFailure("clear", e);
            return 0;
        }
    }

    public async Task<int> ExportAsync(Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var entries = await ListAsync(cancellationToken).ConfigureAwait(false);
        var count = 0;
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 65536, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync(Header()).ConfigureAwait(false);
        foreach (var e in entries.OrderBy(e => e.Key.Hash, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A damaged entry is not worth carrying to another machine; a rejection is, with or without its entry.
            if (!e.Intact && e.Status != PlanStatus.Rejected) continue;
            await writer.WriteLineAsync(ExportLine(e)).ConfigureAwait(false);
            count++;
        }
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    public async Task<PlanImportResult> ImportAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        int imported = 0, rejections = 0, skipped = 0, lineNumber = 0;
        string? firstProblem = null;
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 65536, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            ImportLine parsed;
            try
            {
                parsed = ParseLine(line);
            }
            catch (FormatException e)
            {
                skipped++;
                firstProblem ??= $"line {lineNumber}: {e.Message}";
                continue;
            }
            if (parsed.IsHeader) continue;
            if (parsed.Plan is { } plan)
            {
                if (parsed.Status == PlanStatus.Rejected)
                {
                    await PutAsync(plan, cancellationToken).ConfigureAwait(false);
                }
                else if (await PutAsync(plan, cancellationToken).ConfigureAwait(false) && parsed.Status == PlanStatus.Accepted)
                {
                    await MarkAsync(plan.Key, PlanStatus.Accepted, parsed.Evidence, cancellationToken).ConfigureAwait(false);
                }
            }
            if (parsed.Status == PlanStatus.Rejected)
            {
                await MarkAsync(PlanCacheKey.FromHash(parsed.Key), PlanStatus.Rejected, parsed.Evidence, cancellationToken).ConfigureAwait(false);
                rejections++;
            }
            else
            {
                imported++;
            }
        }
        if (skipped > 0)
            Report(Diagnostic.Warning(PlanCacheCodes.ImportSkipped,
                $"{skipped} line{(skipped == 1 ? string.Empty : "s")} of the import into {Location} were skipped ({firstProblem}); the rest was imported"));
        return new PlanImportResult(imported, rejections, skipped);
    }

    private static string Header()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("format", ExportFormat);
            w.WriteNumber("version", ExportVersion);
            w.WriteString("keyForm", PlanCacheKeys.CanonicalVersion);
            w.WriteNumber("planSchema", PlanCacheKeys.PlanSchemaVersion);
            w.WriteString("exported", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string ExportLine(PlanCacheEntry e)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("key", e.Key.Hash);
            w.WriteString("status", StatusName(e.Status));
            w.WriteString("evidence", e.Evidence);
            if (e.Updated is { } u) w.WriteString("updated", u.ToString("O", CultureInfo.InvariantCulture));
            if (e.Plan is { } p)
            {
                w.WriteString("integrity", p.Integrity);
                w.WriteStartObject("entry");
                p.WriteContent(w);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed record ImportLine(bool IsHeader, string Key, PlanStatus Status, string? Evidence, CachedPlan? Plan);

    private static ImportLine ParseLine(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
            if (root.TryGetProperty("format", out var format))
            {
                if (format.GetString() != ExportFormat) throw new FormatException($"not a ParaSlm plan cache export ('{format.GetString()}')");
                if (root.TryGetProperty("version", out var v) && v.GetInt32() > ExportVersion)
                    throw new FormatException($"export version {v.GetInt32()} is newer than this ParaSlm reads ({ExportVersion})");
                return new ImportLine(true, string.Empty, PlanStatus.Pending, null, null);
            }
            var key = root.GetProperty("key").GetString() ?? string.Empty;
            if (!PlanCacheKeys.IsHash(key)) throw new FormatException("the key is not a SHA-256");
            var status = ParseStatus(root.GetProperty("status").GetString());
            var evidence = root.TryGetProperty("evidence", out var ev) && ev.ValueKind == JsonValueKind.String ? ev.GetString() : null;
            CachedPlan? plan = null;
            if (root.TryGetProperty("entry", out var entry) && entry.ValueKind == JsonValueKind.Object)
            {
                plan = CachedPlan.ReadContent(entry, root.GetProperty("integrity").GetString() ?? string.Empty);
                if (!plan.IsIntact) throw new FormatException("the entry fails its integrity check");
                if (plan.Key.Hash != key) throw new FormatException("the entry belongs to another key");
            }
            else if (status != PlanStatus.Rejected)
            {
                throw new FormatException("an entry that is not rejected needs its content");
            }
            return new ImportLine(false, key, status, evidence, plan);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>Turns a stored record into a plan with its status, or null when the content is unreadable or fails its hash.</summary>
    private static CachedPlan? Decode(StoredRecord record) =>
        CachedPlan.TryDecode(record.Content, record.Integrity, record.Key) is { } plan ? plan with { Status = record.Status, Evidence = record.Evidence } : null;

    private static PlanCacheEntry ToEntry(StoredRecord r)
    {
        var plan = Decode(r);
        var intact = r.Content is null || plan is not null;
        var description = plan?.Key.Description ?? string.Empty;
        return new PlanCacheEntry(new PlanCacheKey(r.Key, description), r.Status, r.Evidence, plan, intact, r.Updated);
    }

    public static string StatusName(PlanStatus s) => s switch
    {
        PlanStatus.Accepted => "accepted",
        PlanStatus.Rejected => "rejected",
        _ => "pending",
    };

    public static PlanStatus ParseStatus(string? s) => s switch
    {
        "pending" => PlanStatus.Pending,
        "accepted" => PlanStatus.Accepted,
        "rejected" => PlanStatus.Rejected,
        _ => throw new FormatException($"unknown status '{s}'"),
    };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        Dispose(false);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    protected virtual ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A key as a store holds it: the entry's content bytes and stored integrity hash (null for a rejection recorded
/// without entry) and the effective status (an acceptance of another content counts as pending).
/// </summary>
public sealed record StoredRecord(string Key, byte[]? Content, string? Integrity, PlanStatus Status, string? Evidence, DateTimeOffset? Updated);
