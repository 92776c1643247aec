using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Reasoner.Cache;

/// <summary>Opens the store a ParaSlmCache / --cache value names. Never throws for a store that does not work.</summary>
public static class PlanCacheFactory
{
    /// <summary>Values of the spec that turn caching off.</summary>
    public static bool IsOff(string? spec) =>
        spec is not null && spec.Trim().ToLowerInvariant() is "off" or "none" or "false" or "disabled";

    /// <summary>Synchronous <see cref="OpenAsync"/>, for callers without an async context.</summary>
    public static IPlanCache Open(string? spec, Action<Diagnostic> report, string? localPath = null) =>
        OpenAsync(spec, report, localPath).GetAwaiter().GetResult();

    /// <summary>
    /// null/empty → the per-user SQLite file; a path (or folder) → SQLite there; `redis://host:port` → the shared
    /// store, falling back to the per-user SQLite file with PSLM4002 when it cannot be reached within its connect
    /// timeout (2 s unless `?connectTimeout=ms`); `off` → no cache.
    /// </summary>
    /// <param name="localPath">The SQLite file used for an empty spec and as the Redis fallback; null: the per-user default.</param>
    public static async Task<IPlanCache> OpenAsync(string? spec, Action<Diagnostic> report, string? localPath = null, CancellationToken cancellationToken = default)
    {
        report ??= _ => { };
        if (IsOff(spec)) return new DisabledPlanCache("caching is turned off (ParaSlmCache / --cache off)");
        if (RedisEndpoint.IsRedis(spec?.Trim()))
        {
            var trimmed = spec!.Trim();
            string problem;
            try
            {
                var endpoint = RedisEndpoint.Parse(trimmed);
                return await RedisPlanCache.ConnectAsync(endpoint, report, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                problem = e.Message;
            }
            catch (RedisCacheException e)
            {
                problem = e.Message;
            }
            var fallback = SqlitePlanCache.Open(localPath ?? PlanCacheLocation.DefaultPath(), report);
            Report(report, Diagnostic.Warning(PlanCacheCodes.RedisFallback,
                $"the shared plan cache {RedisEndpoint.Redact(trimmed)} cannot be used ({problem}); plans are cached locally in {fallback.Location} for this run. " +
                "Check the address and that the server is up and reachable"));
            return fallback;
        }
        return SqlitePlanCache.Open(string.IsNullOrWhiteSpace(spec) && localPath is not null ? localPath : PlanCacheLocation.ResolveSqlitePath(spec), report);
    }

    private static void Report(Action<Diagnostic> report, Diagnostic diagnostic)
    {
        try
        {
            report(diagnostic);
        }
        catch (Exception)
        {
            // the cache never fails a build, not even through its logger
        }
    }
}
