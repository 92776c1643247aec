namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// Diagnostic codes of the plan cache (PSLM4001–4099). None of them is an error: the cache only saves model time,
/// so whatever goes wrong with it, the build goes on (with the model, or the analyzer's plan).
/// </summary>
public static class PlanCacheCodes
{
    /// <summary>The cache store could not be opened or written (permissions, disk full, a path that is a folder…); caching is off for this run.</summary>
    public const string Unavailable = "PSLM4001";

    /// <summary>The shared Redis store is unreachable or its address is invalid; the local SQLite store is used instead.</summary>
    public const string RedisFallback = "PSLM4002";

    /// <summary>The SQLite file was not a usable database; it was moved aside and a new one created.</summary>
    public const string CorruptDatabase = "PSLM4003";

    /// <summary>An entry's integrity hash does not match its content; it is ignored (and the plan asked again).</summary>
    public const string CorruptEntry = "PSLM4004";

    /// <summary>The database was written by a newer ParaSlm (higher schema version); it is left untouched and caching is off.</summary>
    public const string NewerSchema = "PSLM4005";

    /// <summary>The database was migrated from an older schema version (some entries may have been dropped).</summary>
    public const string Migrated = "PSLM4006";

    /// <summary>An operation failed while the store was in use (Redis connection lost, I/O error); it counts as a miss.</summary>
    public const string OperationFailed = "PSLM4007";

    /// <summary>An import skipped lines that were not valid entries or failed their integrity check.</summary>
    public const string ImportSkipped = "PSLM4008";
}
