namespace ParaSlm.Reasoner.Cache;

/// <summary>A cache that holds nothing (`--cache off`): every lookup misses, every write is dropped.</summary>
public sealed class DisabledPlanCache(string reason) : PlanCacheStore(_ => { })
{
    /// <summary>Why there is no cache, for `paraslm cache stats`.</summary>
    public string Reason { get; } = reason;

    public override string Location => "off";

    public override string Kind => "disabled";

    protected override int SchemaVersion => 0;

    protected override Task<StoredRecord?> ReadCoreAsync(string key, CancellationToken cancel) => Task.FromResult<StoredRecord?>(null);

    protected override Task<bool> PutCoreAsync(CachedPlan plan, CancellationToken cancel) => Task.FromResult(false);

    protected override Task MarkCoreAsync(string key, PlanStatus status, string? evidence, CancellationToken cancel) => Task.CompletedTask;

    protected override Task<bool> RemoveCoreAsync(string key, CancellationToken cancel) => Task.FromResult(false);

    protected override Task<IReadOnlyList<StoredRecord>> ReadAllCoreAsync(CancellationToken cancel) => Task.FromResult<IReadOnlyList<StoredRecord>>([]);

    protected override Task<int> ClearCoreAsync(CancellationToken cancel) => Task.FromResult(0);

    protected override Task<long> SizeCoreAsync(CancellationToken cancel) => Task.FromResult(0L);
}
