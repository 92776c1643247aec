using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Engine;

/// <summary>
/// The plan cache's record of loops validation reverted (<see cref="RejectedLoops"/>), for the engine: opened on the first
/// question only (most runs have no parallel loop to ask about), and never failing the engine (a broken store warns and
/// answers "not rejected").
/// </summary>
public sealed class RecordedRejections(string? cacheSpec, Action<Diagnostic> report) : IAsyncDisposable
{
    private IPlanCache? _cache;

    /// <summary>The recorded evidence when validation rejected a loop with this content hash, on any machine sharing the cache.</summary>
    public async Task<string?> EvidenceForAsync(string loopHash, CancellationToken cancel)
    {
        _cache ??= await PlanCacheFactory.OpenAsync(cacheSpec, report, cancellationToken: cancel);
        return await RejectedLoops.LookupAsync(_cache, loopHash, cancel);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cache is not null) await _cache.DisposeAsync();
    }
}
