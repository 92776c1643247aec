using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// The default plan store: one SQLite file per user, shared by every build and process on the machine. WAL mode and a
/// busy timeout let concurrent builds read while one writes; every read-modify-write runs in `BEGIN IMMEDIATE`, so
/// parallel processes never lose an entry or un-reject a key. A file that is not a usable database is moved aside and
/// rebuilt (PSLM4003); anything else that goes wrong turns the cache off for the run (PSLM4001/4007), never the build.
/// </summary>
/// <remarks>Schema: see <see cref="SqliteSchema"/>. One connection per instance, used by one operation at a time.</remarks>
public sealed class SqlitePlanCache : PlanCacheStore
{
    /// <summary>How long a statement waits for another process's lock before it counts as a failure.</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _db;
    private SqliteCommand? _read;
    private string? _disabledReason;
    private int _schemaVersion;
    private bool _disposed;

    private SqlitePlanCache(string path, Action<Diagnostic> report)
        : base(report)
    {
        FilePath = path;
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    public override string Location => FilePath;

    public override string Kind => "sqlite";

    protected override int SchemaVersion => _schemaVersion;

    /// <summary>Why the cache is off for this instance (unusable file, newer schema), or null when it works.</summary>
    public string? DisabledReason => _disabledReason;

    /// <summary>
    /// Opens (creating when needed) the cache at <paramref name="path"/>. Never throws for a bad file or folder: a corrupt
    /// database is moved aside and rebuilt, an unusable one leaves the cache off; both are reported through <paramref name="report"/>.
    /// </summary>
    public static SqlitePlanCache Open(string path, Action<Diagnostic> report)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SQLitePCL.Batteries_V2.Init();
        var cache = new SqlitePlanCache(Path.GetFullPath(path), report);
        cache.Initialize();
        return cache;
    }

    private void Initialize()
    {
        try
        {
            var dir = Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            try
            {
                Connect();
            }
            catch (Exception e) when (IsCorruption(e))
            {
                Recover(e);
            }
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            Disable(PlanCacheCodes.Unavailable, $"the plan cache {FilePath} cannot be used ({Describe(e)}); caching is off for this run. " +
                "Check that the folder is writable, or choose another location with ParaSlmCache / --cache");
        }
    }

    private void Disable(string code, string message)
    {
        _read?.Dispose();
        _read = null;
        _db?.Dispose();
        _db = null;
        _disabledReason = message;
        Report(Diagnostic.Warning(code, message));
    }

    /// <summary>Opens the connection, sets WAL and the busy timeout, and brings the schema to the current version.</summary>
    private void Connect()
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // Our one connection lives as long as the instance; pooling would only keep the file open after Dispose,
            // which stops a corrupt file from being moved aside on Windows.
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        };
        var db = new SqliteConnection(builder.ToString());
        try
        {
            db.Open();
            Exec(db, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
            // WAL: readers never block the writer and vice versa; NORMAL sync is safe from corruption in WAL mode (a
            // power loss may only drop the last plans, which are asked again).
            Exec(db, "PRAGMA journal_mode = WAL");
            Exec(db, "PRAGMA synchronous = NORMAL");
            var outcome = SqliteSchema.Ensure(db, out var found, out var dropped);
            if (outcome == SqliteSchema.Outcome.Newer)
            {
                db.Dispose();
                Disable(PlanCacheCodes.NewerSchema,
                    $"the plan cache {FilePath} has schema version {found}, newer than this ParaSlm knows ({SqliteSchema.CurrentVersion}); " +
                    "it is left untouched and caching is off. Update ParaSlm, or use another cache file with ParaSlmCache / --cache");
                return;
            }
            if (outcome == SqliteSchema.Outcome.Migrated)
                Report(Diagnostic.Info(PlanCacheCodes.Migrated,
                    $"the plan cache {FilePath} was migrated from schema version {found} to {SqliteSchema.CurrentVersion}" +
                    (dropped > 0 ? $"; {dropped} unreadable entr{(dropped == 1 ? "y was" : "ies were")} dropped" : string.Empty)));
            _schemaVersion = SqliteSchema.CurrentVersion;
            _db = db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Moves a corrupt database (with its WAL and shared-memory files) aside and creates a new one. A lock file keeps
    /// concurrent processes from moving aside each other's fresh database: whoever gets the lock second finds a
    /// working file and just uses it.
    /// </summary>
    private void Recover(Exception cause)
    {
        _read?.Dispose();
        _read = null;
        _db?.Dispose();
        _db = null;
        using (AcquireRecoveryLock())
        {
            try
            {
                Connect();
                return; // another process already rebuilt it
            }
            catch (Exception e) when (IsCorruption(e))
            {
                // still corrupt: ours to move aside
            }
            var aside = $"{FilePath}.corrupt-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)}";
            for (var n = 1; File.Exists(aside); n++) aside = $"{FilePath}.corrupt-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)}-{n}";
            File.Move(FilePath, aside);
            foreach (var suffix in (string[])["-wal", "-shm", "-journal"])
            {
                // A WAL that belonged to the corrupt file must never be applied to the new one.
                if (File.Exists(FilePath + suffix)) File.Move(FilePath + suffix, aside + suffix, overwrite: true);
            }
            Connect();
            Report(Diagnostic.Warning(PlanCacheCodes.CorruptDatabase,
                $"the plan cache {FilePath} was not a usable database ({Describe(cause)}); it was moved to {aside} and a new cache was created. " +
                "Plans are asked from the model again; the old file can be deleted"));
        }
    }

    private FileStream AcquireRecoveryLock()
    {
        var deadline = DateTime.UtcNow + BusyTimeout;
        while (true)
        {
            try
            {
                return new FileStream(FilePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(25);
            }
        }
    }

    internal static bool IsCorruption(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode is 11 or 26, // SQLITE_CORRUPT, SQLITE_NOTADB
        SqliteSchema.ForeignDatabaseException => true,
        _ => false,
    };

    /// <summary>Runs one operation under the gate; a corruption found mid-run is recovered once and the operation retried.</summary>
    private async Task<T> RunAsync<T>(Func<SqliteConnection, T> operation, T whenDisabled, CancellationToken cancel)
    {
        await _gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_db is null) return whenDisabled;
            try
            {
                return operation(_db);
            }
            catch (Exception e) when (IsCorruption(e))
            {
                try
                {
                    Recover(e);
                }
                catch (Exception failure) when (failure is SqliteException or IOException or UnauthorizedAccessException)
                {
                    Disable(PlanCacheCodes.Unavailable, $"the plan cache {FilePath} is damaged and could not be rebuilt ({Describe(failure)}); caching is off for this run");
                    return whenDisabled;
                }
                return _db is null ? whenDisabled : operation(_db);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override Task<StoredRecord?> ReadCoreAsync(string key, CancellationToken cancel) =>
        RunAsync(db =>
        {
            if (_read is null)
            {
                _read = db.CreateCommand();
                _read.CommandText =
                    "SELECT p.entry, p.integrity, s.status, s.evidence, s.entry_integrity, s.updated " +
                    "FROM (SELECT $key AS key) AS k " +
                    "LEFT JOIN plans AS p ON p.key = k.key " +
                    "LEFT JOIN plan_status AS s ON s.key = k.key";
                _read.Parameters.Add("$key", SqliteType.Text);
                _read.Prepare();
            }
            _read.Parameters[0].Value = key;
            using var r = _read.ExecuteReader();
            return r.Read() ? Record(key, r, 0) : null;
        }, (StoredRecord?)null, cancel);

    /// <summary>Builds a record from columns entry, integrity, status, evidence, entry_integrity, updated starting at <paramref name="at"/>.</summary>
    private static StoredRecord? Record(string key, SqliteDataReader r, int at)
    {
        var hasEntry = !r.IsDBNull(at);
        var status = r.IsDBNull(at + 2) ? null : r.GetString(at + 2);
        if (!hasEntry && status is null) return null;
        var integrity = r.IsDBNull(at + 1) ? null : r.GetString(at + 1);
        var effective = status switch
        {
            "rejected" => PlanStatus.Rejected,
            // An acceptance is of one content; if the entry was replaced since, the new one is pending.
            "accepted" when hasEntry && !r.IsDBNull(at + 4) && r.GetString(at + 4) == integrity => PlanStatus.Accepted,
            _ => PlanStatus.Pending,
        };
        DateTimeOffset? updated = r.IsDBNull(at + 5) ? null
            : DateTimeOffset.Parse(r.GetString(at + 5), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new StoredRecord(key, hasEntry ? Encoding.UTF8.GetBytes(r.GetString(at)) : null, integrity, effective,
            status is null || effective == PlanStatus.Pending ? null : (r.IsDBNull(at + 3) ? null : r.GetString(at + 3)), updated);
    }

    protected override Task<bool> PutCoreAsync(CachedPlan plan, CancellationToken cancel) =>
        RunAsync(db => Immediate(db, () =>
        {
            var status = Scalar(db, "SELECT status FROM plan_status WHERE key = $key", ("$key", plan.Key.Hash)) as string;
            if (status == "rejected") return false;
            using (var existing = Command(db, "SELECT entry, integrity FROM plans WHERE key = $key", ("$key", plan.Key.Hash)))
            using (var r = existing.ExecuteReader())
            {
                if (r.Read())
                {
                    var integrity = r.GetString(1);
                    if (integrity == plan.Integrity) return true; // the same answer, already stored
                    if (status == "accepted" && IsIntact(plan.Key.Hash, r.GetString(0), integrity)) return false; // keep what was accepted
                }
            }
            Exec(db,
                "INSERT OR REPLACE INTO plans (key, description, entry, integrity, model, model_digest, strategy, prompt_version, target, created, latency_ms) " +
                "VALUES ($key, $description, $entry, $integrity, $model, $digest, $strategy, $prompt, $target, $created, $latency)",
                ("$key", plan.Key.Hash), ("$description", plan.Key.Description), ("$entry", Encoding.UTF8.GetString(plan.CanonicalContent())),
                ("$integrity", plan.Integrity), ("$model", plan.Model), ("$digest", plan.ModelDigest), ("$strategy", plan.Strategy),
                ("$prompt", plan.PromptVersion), ("$target", plan.Target), ("$created", Timestamp(plan.Created)),
                ("$latency", plan.Latency.TotalMilliseconds));
            // Only an acceptance of the replaced content can be left here (a rejection returned above): it does not carry over.
            Exec(db, "DELETE FROM plan_status WHERE key = $key", ("$key", plan.Key.Hash));
            return true;
        }), false, cancel);

    private static bool IsIntact(string key, string entry, string integrity) =>
        CachedPlan.TryDecode(Encoding.UTF8.GetBytes(entry), integrity, key) is not null;

    protected override Task MarkCoreAsync(string key, PlanStatus status, string? evidence, CancellationToken cancel) =>
        RunAsync(db => Immediate(db, () =>
        {
            if (Scalar(db, "SELECT status FROM plan_status WHERE key = $key", ("$key", key)) as string == "rejected") return true; // final
            var integrity = Scalar(db, "SELECT integrity FROM plans WHERE key = $key", ("$key", key)) as string;
            if (status == PlanStatus.Accepted && integrity is null) return true; // nothing to accept
            Exec(db,
                "INSERT OR REPLACE INTO plan_status (key, status, evidence, entry_integrity, updated) VALUES ($key, $status, $evidence, $integrity, $updated)",
                ("$key", key), ("$status", StatusName(status)), ("$evidence", evidence), ("$integrity", integrity),
                ("$updated", Timestamp(DateTimeOffset.UtcNow)));
            return true;
        }), false, cancel);

    protected override Task<bool> RemoveCoreAsync(string key, CancellationToken cancel) =>
        RunAsync(db => Immediate(db, () =>
        {
            var removed = Exec(db, "DELETE FROM plans WHERE key = $key", ("$key", key));
            removed += Exec(db, "DELETE FROM plan_status WHERE key = $key", ("$key", key));
            return removed > 0;
        }), false, cancel);

    protected override Task<IReadOnlyList<StoredRecord>> ReadAllCoreAsync(CancellationToken cancel) =>
        RunAsync<IReadOnlyList<StoredRecord>>(db =>
        {
            using var c = Command(db,
                "SELECT k.key, p.entry, p.integrity, s.status, s.evidence, s.entry_integrity, s.updated " +
                "FROM (SELECT key FROM plans UNION SELECT key FROM plan_status) AS k " +
                "LEFT JOIN plans AS p ON p.key = k.key " +
                "LEFT JOIN plan_status AS s ON s.key = k.key");
            using var r = c.ExecuteReader();
            var list = new List<StoredRecord>();
            while (r.Read())
                if (Record(r.GetString(0), r, 1) is { } record) list.Add(record);
            return list;
        }, [], cancel);

    protected override Task<int> ClearCoreAsync(CancellationToken cancel) =>
        RunAsync(db => Immediate(db, () =>
        {
            var keys = Convert.ToInt32(Scalar(db, "SELECT COUNT(*) FROM (SELECT key FROM plans UNION SELECT key FROM plan_status)"), CultureInfo.InvariantCulture);
            Exec(db, "DELETE FROM plans");
            Exec(db, "DELETE FROM plan_status");
            return keys;
        }), 0, cancel);

    protected override Task<long> SizeCoreAsync(CancellationToken cancel)
    {
        long Size(string p) => File.Exists(p) ? new FileInfo(p).Length : 0;
        return Task.FromResult(Size(FilePath) + Size(FilePath + "-wal"));
    }

    /// <summary>Runs <paramref name="body"/> in a write transaction taken up front, so a read-then-write never races another process.</summary>
    private static T Immediate<T>(SqliteConnection db, Func<T> body)
    {
        Exec(db, "BEGIN IMMEDIATE");
        try
        {
            var result = body();
            Exec(db, "COMMIT");
            return result;
        }
        catch
        {
            try
            {
                Exec(db, "ROLLBACK");
            }
            catch (SqliteException)
            {
                // The transaction may already be gone (SQLite rolls back on some errors); the original error matters.
            }
            throw;
        }
    }

    internal static SqliteCommand Command(SqliteConnection db, string sql, params (string Name, object? Value)[] parameters)
    {
        var c = db.CreateCommand();
        c.CommandText = sql;
        foreach (var (name, value) in parameters) c.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return c;
    }

    internal static int Exec(SqliteConnection db, string sql, params (string Name, object? Value)[] parameters)
    {
        using var c = Command(db, sql, parameters);
        return c.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection db, string sql, params (string Name, object? Value)[] parameters)
    {
        using var c = Command(db, sql, parameters);
        var v = c.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    internal static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    protected override void Dispose(bool disposing)
    {
        if (!disposing || _disposed) return;
        _gate.Wait();
        try
        {
            _disposed = true;
            _read?.Dispose();
            _read = null;
            _db?.Dispose();
            _db = null;
        }
        finally
        {
            _gate.Release();
        }
    }
}
