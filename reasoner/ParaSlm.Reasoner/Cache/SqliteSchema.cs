using System.Text;
using Microsoft.Data.Sqlite;

namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// The plan cache's SQLite layout and its migrations. The version lives in table `schema_version`; a database is
/// created or migrated inside `BEGIN IMMEDIATE` after re-reading the version, so when eight processes open a new or
/// old file at once exactly one of them does the work and the others find it done.
/// </summary>
/// <remarks>
/// Version 1 kept status in the entry's row. Version 2 (current) keeps it in `plan_status`, apart from the immutable
/// entry, so that a rejection can be recorded without an entry and is never overwritten by a new write of the entry,
/// and adds provenance columns (model, digest, strategy, prompt version, target, latency) for listing and statistics.
/// </remarks>
internal static class SqliteSchema
{
    public const int CurrentVersion = 2;

    public enum Outcome
    {
        Ready,
        Created,
        Migrated,
        Newer,
    }

    /// <summary>The file is an SQLite database, but not a plan cache (tables of another program, no version).</summary>
    public sealed class ForeignDatabaseException(string message) : Exception(message);

    /// <summary>The version-1 layout: only used to migrate from, and by tests that need an old database.</summary>
    internal const string Version1 = """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version (version) VALUES (1);
        CREATE TABLE plans (
            key TEXT NOT NULL PRIMARY KEY,
            entry TEXT NOT NULL,
            integrity TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            evidence TEXT,
            created TEXT NOT NULL
        );
        """;

    private const string Version2Tables = """
        CREATE TABLE plans (
            key TEXT NOT NULL PRIMARY KEY,      -- PlanCacheKey.Hash: SHA-256 of the canonical question
            description TEXT NOT NULL,          -- PlanCacheKey.Description, for people
            entry TEXT NOT NULL,                -- CachedPlan.CanonicalContent(): the immutable answer, as JSON
            integrity TEXT NOT NULL,            -- SHA-256 of entry's content; a mismatch means damaged or edited
            model TEXT NOT NULL,
            model_digest TEXT NOT NULL,
            strategy TEXT NOT NULL,
            prompt_version TEXT NOT NULL,
            target TEXT NOT NULL,
            created TEXT NOT NULL,              -- ISO 8601 UTC
            latency_ms REAL NOT NULL            -- model time the entry saves on a hit
        ) WITHOUT ROWID;
        CREATE INDEX plans_by_model ON plans (model, strategy);
        CREATE TABLE plan_status (
            key TEXT NOT NULL PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),  -- no row: pending
            evidence TEXT,
            entry_integrity TEXT,               -- the entry an acceptance applies to; a replaced entry is pending again
            updated TEXT NOT NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>Brings the database to <see cref="CurrentVersion"/>.</summary>
    /// <param name="found">The version the database had (0: new).</param>
    /// <param name="dropped">Entries a migration could not carry over (unreadable content).</param>
    public static Outcome Ensure(SqliteConnection db, out int found, out int dropped)
    {
        dropped = 0;
        // Fast path without the write lock: every open of an up-to-date cache (the usual case) takes no lock at all.
        found = ReadVersion(db);
        if (found == CurrentVersion) return Outcome.Ready;
        if (found > CurrentVersion) return Outcome.Newer;
        SqlitePlanCache.Exec(db, "BEGIN IMMEDIATE");
        try
        {
            found = ReadVersion(db);
            Outcome outcome;
            if (found == CurrentVersion)
            {
                outcome = Outcome.Ready;
            }
            else if (found > CurrentVersion)
            {
                outcome = Outcome.Newer;
            }
            else if (found == 0)
            {
                SqlitePlanCache.Exec(db, $"CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version (version) VALUES ({CurrentVersion});");
                SqlitePlanCache.Exec(db, Version2Tables);
                outcome = Outcome.Created;
            }
            else
            {
                for (var v = found; v < CurrentVersion; v++) dropped += Migrate(db, v);
                SqlitePlanCache.Exec(db, $"UPDATE schema_version SET version = {CurrentVersion}");
                outcome = Outcome.Migrated;
            }
            SqlitePlanCache.Exec(db, "COMMIT");
            return outcome;
        }
        catch
        {
            try
            {
                SqlitePlanCache.Exec(db, "ROLLBACK");
            }
            catch (SqliteException)
            {
                // already rolled back by SQLite; the original error is what matters
            }
            throw;
        }
    }

    /// <summary>The schema version, 0 for an empty database; throws for a database that is not a plan cache.</summary>
    public static int ReadVersion(SqliteConnection db)
    {
        var tables = new List<string>();
        using (var c = SqlitePlanCache.Command(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        using (var r = c.ExecuteReader())
        {
            while (r.Read()) tables.Add(r.GetString(0));
        }
        if (tables.Count == 0) return 0;
        if (!tables.Contains("schema_version"))
            throw new ForeignDatabaseException($"an SQLite database without a plan cache schema (tables: {string.Join(", ", tables.Take(5))})");
        var version = SqlitePlanCache.Scalar(db, "SELECT MAX(version) FROM schema_version");
        if (version is null) throw new ForeignDatabaseException("the schema_version table is empty");
        return Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One migration step from <paramref name="from"/> to <paramref name="from"/> + 1; returns entries dropped.</summary>
    private static int Migrate(SqliteConnection db, int from) => from switch
    {
        1 => From1To2(db),
        _ => throw new InvalidOperationException($"no migration from plan cache schema {from}"),
    };

    private static int From1To2(SqliteConnection db)
    {
        SqlitePlanCache.Exec(db, "ALTER TABLE plans RENAME TO plans_v1");
        SqlitePlanCache.Exec(db, Version2Tables);
        var rows = new List<(string Key, string Entry, string Integrity, string Status, string? Evidence, string Created)>();
        using (var c = SqlitePlanCache.Command(db, "SELECT key, entry, integrity, status, evidence, created FROM plans_v1"))
        using (var r = c.ExecuteReader())
        {
            while (r.Read())
                rows.Add((r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5)));
        }
        var dropped = 0;
        foreach (var row in rows)
        {
            var plan = CachedPlan.TryDecode(Encoding.UTF8.GetBytes(row.Entry), row.Integrity, row.Key);
            if (plan is not null)
            {
                SqlitePlanCache.Exec(db,
                    "INSERT OR REPLACE INTO plans (key, description, entry, integrity, model, model_digest, strategy, prompt_version, target, created, latency_ms) " +
                    "VALUES ($key, $description, $entry, $integrity, $model, $digest, $strategy, $prompt, $target, $created, $latency)",
                    ("$key", plan.Key.Hash), ("$description", plan.Key.Description), ("$entry", row.Entry), ("$integrity", plan.Integrity),
                    ("$model", plan.Model), ("$digest", plan.ModelDigest), ("$strategy", plan.Strategy), ("$prompt", plan.PromptVersion),
                    ("$target", plan.Target), ("$created", SqlitePlanCache.Timestamp(plan.Created)), ("$latency", plan.Latency.TotalMilliseconds));
            }
            else
            {
                dropped++;
            }
            // A rejection survives even when its entry does not: the key must stay rejected.
            if (row.Status == "rejected" || (row.Status == "accepted" && plan is not null))
                SqlitePlanCache.Exec(db,
                    "INSERT OR REPLACE INTO plan_status (key, status, evidence, entry_integrity, updated) VALUES ($key, $status, $evidence, $integrity, $updated)",
                    ("$key", row.Key), ("$status", row.Status), ("$evidence", row.Evidence), ("$integrity", plan?.Integrity), ("$updated", row.Created));
        }
        SqlitePlanCache.Exec(db, "DROP TABLE plans_v1");
        return dropped;
    }
}
