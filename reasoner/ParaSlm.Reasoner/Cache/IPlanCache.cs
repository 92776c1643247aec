namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// A store of model plans by <see cref="PlanCacheKey"/>. Implementations never fail the caller because of the store:
/// a store that breaks reports a PSLM40xx warning (a <c>Diagnostic</c>, never text) through the callback it was opened with and then behaves as an
/// empty cache (lookups miss, writes are dropped). Only cancellation propagates (<see cref="OperationCanceledException"/>).
/// </summary>
/// <remarks>
/// Semantics shared by every store: a rejected key is never served again, even when the entry is written again or
/// imported (only <see cref="RemoveAsync"/> / <see cref="ClearAsync"/> forget a rejection); an intact accepted entry is
/// not replaced by a later pending one; an entry whose integrity hash fails is ignored and reported.
/// </remarks>
public interface IPlanCache : IAsyncDisposable, IDisposable
{
    /// <summary>Where the store is, for messages: a file path or `redis://host:port` (no password).</summary>
    string Location { get; }

    /// <summary>sqlite | redis | disabled.</summary>
    string Kind { get; }

    /// <summary>The plan for <paramref name="key"/> if it may be served: pending or accepted, intact. Rejected or corrupt entries give null.</summary>
    Task<CachedPlan?> TryGetAsync(PlanCacheKey key, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="TryGetAsync"/>, but says why nothing is served (miss, rejected with its evidence, corrupt).</summary>
    Task<PlanLookup> LookupAsync(PlanCacheKey key, CancellationToken cancellationToken = default);

    /// <summary>Stores a (sealed) plan with status pending. False when it was not stored: the key is rejected, an intact
    /// accepted entry is already there, or the store is unusable.</summary>
    Task<bool> PutAsync(CachedPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Records the verdict on a key: <see cref="PlanStatus.Accepted"/> applies to the entry stored now (and is
    /// ignored for a rejected key or a key without entry); <see cref="PlanStatus.Rejected"/> is recorded even without an
    /// entry and is final.</summary>
    Task MarkAsync(PlanCacheKey key, PlanStatus status, string? evidence, CancellationToken cancellationToken = default);

    /// <summary>Forgets a key entirely (entry and status). True when something was removed.</summary>
    Task<bool> RemoveAsync(PlanCacheKey key, CancellationToken cancellationToken = default);

    Task<PlanCacheStats> StatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every stored key, newest first; corrupt entries are listed with <see cref="PlanCacheEntry.Intact"/> false.</summary>
    Task<IReadOnlyList<PlanCacheEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes every entry and status; returns how many keys were removed.</summary>
    Task<int> ClearAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes every key as JSON lines (a header line, then one line per key); returns the number of keys written.</summary>
    Task<int> ExportAsync(Stream output, CancellationToken cancellationToken = default);

    /// <summary>Merges JSON lines written by <see cref="ExportAsync"/> with the store's semantics (rejections stick).</summary>
    Task<PlanImportResult> ImportAsync(Stream input, CancellationToken cancellationToken = default);
}
