using System.Text;
using Microsoft.Data.Sqlite;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Reasoner.Tests.Cache;

[TestFixture]
[Category("Unit")]
public sealed class SqlitePlanCacheTests : CacheFolderFixture
{
    private SqlitePlanCache Open() => SqlitePlanCache.Open(Db, Warnings.Add);

    /// <summary>Runs SQL on the cache file behind the cache's back (tampering, old layouts).</summary>
    private void Sql(string sql, params (string, object?)[] parameters)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Db, Pooling = false }.ToString());
        db.Open();
        using var c = db.CreateCommand();
        c.CommandText = sql;
        foreach (var (name, value) in parameters) c.Parameters.AddWithValue(name, value ?? DBNull.Value);
        c.ExecuteNonQuery();
    }

    [Test]
    public async Task Miss_ThenPut_ThenHit_WithEveryField()
    {
        await using var cache = Open();
        var key = CacheTestData.Key("a");
        Assert.That(await cache.TryGetAsync(key), Is.Null);
        var plan = CacheTestData.Plan(key);
        Assert.That(await cache.PutAsync(plan), Is.True);

        var hit = await cache.TryGetAsync(key);
        Assert.That(hit, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(hit!.Key, Is.EqualTo(key));
            Assert.That(hit.Status, Is.EqualTo(PlanStatus.Pending));
            Assert.That(hit.Proposal.ClauseText, Is.EqualTo(plan.Proposal.ClauseText));
            Assert.That(hit.Proposal.Target, Is.EqualTo(ParallelTarget.CpuOpenMP));
            Assert.That(hit.LoopIndex, Is.EqualTo(0));
            Assert.That(hit.Rationale, Is.EqualTo(plan.Rationale));
            Assert.That(hit.Model, Is.EqualTo("qwen2.5:1.5b"));
            Assert.That(hit.ModelDigest, Is.EqualTo("sha256:65ec06548149"));
            Assert.That(hit.Strategy, Is.EqualTo("zero-shot"));
            Assert.That(hit.PromptVersion, Is.EqualTo("zero-shot@1"));
            Assert.That(hit.Target, Is.EqualTo("cpu"));
            Assert.That(hit.Created, Is.EqualTo(plan.Created));
            Assert.That(hit.Latency, Is.EqualTo(plan.Latency));
            Assert.That(hit.Integrity, Is.EqualTo(plan.Integrity));
            Assert.That(hit.IsIntact, Is.True);
        });
        Assert.That(cache.Counters, Is.EqualTo(new PlanCacheCounters(1, 1, 0, 0)));
        Assert.That(Warnings.Messages, Is.Empty);
    }

    [Test]
    public async Task Accepted_IsServedAcrossInstances()
    {
        var key = CacheTestData.Key("b");
        await using (var cache = Open())
        {
            await cache.PutAsync(CacheTestData.Plan(key));
            await cache.MarkAsync(key, PlanStatus.Accepted, "verifier: accepted");
        }
        await using var again = Open();
        var hit = await again.TryGetAsync(key);
        Assert.That(hit?.Status, Is.EqualTo(PlanStatus.Accepted));
        Assert.That(hit?.Evidence, Is.EqualTo("verifier: accepted"));
        Assert.That(File.Exists(Db));
    }

    [Test]
    public async Task Rejected_IsNeverServedAgain()
    {
        await using var cache = Open();
        var key = CacheTestData.Key("c");
        await cache.PutAsync(CacheTestData.Plan(key));
        await cache.MarkAsync(key, PlanStatus.Rejected, "PSLM2001: the analyzer found a carried dependence on a[i-1]");

        Assert.That(await cache.TryGetAsync(key), Is.Null);
        var lookup = await cache.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That(lookup.Evidence, Does.Contain("PSLM2001"));

        // Nothing brings it back: not a new write, not an acceptance, not another instance.
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key, "try again")), Is.False);
        await cache.MarkAsync(key, PlanStatus.Accepted, "accepted after all?");
        Assert.That(await cache.TryGetAsync(key), Is.Null);
        await using var other = Open();
        Assert.That((await other.LookupAsync(key)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That((await other.StatsAsync()).Rejected, Is.EqualTo(1));
    }

    [Test]
    public async Task Rejection_WithoutEntry_IsRememberedAndBlocksLaterWrites()
    {
        await using var cache = Open();
        var key = CacheTestData.Key("d");
        await cache.MarkAsync(key, PlanStatus.Rejected, "TSan: data race on c[i]");
        Assert.That((await cache.LookupAsync(key)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key)), Is.False);
        Assert.That(await cache.TryGetAsync(key), Is.Null);
    }

    [Test]
    public async Task AcceptedEntry_IsNotReplacedByALaterPendingOne()
    {
        await using var cache = Open();
        var key = CacheTestData.Key("e");
        var first = CacheTestData.Plan(key, "first");
        await cache.PutAsync(first);
        await cache.MarkAsync(key, PlanStatus.Accepted, "ok");
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key, "second")), Is.False);
        var hit = await cache.TryGetAsync(key);
        Assert.That(hit?.Rationale, Is.EqualTo("first"));
        Assert.That(hit?.Status, Is.EqualTo(PlanStatus.Accepted));
    }

    [Test]
    public async Task PendingEntry_IsReplacedByANewerAnswer()
    {
        await using var cache = Open();
        var key = CacheTestData.Key("f");
        await cache.PutAsync(CacheTestData.Plan(key, "first"));
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key, "second")), Is.True);
        Assert.That((await cache.TryGetAsync(key))?.Rationale, Is.EqualTo("second"));
    }

    [Test]
    public async Task TamperedEntry_IsIgnoredAndReported()
    {
        var key = CacheTestData.Key("g");
        await using (var cache = Open()) await cache.PutAsync(CacheTestData.Plan(key));
        // Poison: turn the proposal into a GPU plan without updating the integrity hash.
        Sql("UPDATE plans SET entry = replace(entry, '\"cpu-openmp\"', '\"gpu-cuda\"')");

        await using var reopened = Open();
        var lookup = await reopened.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Corrupt));
        Assert.That(await reopened.TryGetAsync(key), Is.Null);
        Assert.That(Warnings.Any(PlanCacheCodes.CorruptEntry), Is.True, Warnings.ToString());
        var stats = await reopened.StatsAsync();
        Assert.That(stats.Corrupt, Is.EqualTo(1));
        var listed = await reopened.ListAsync();
        Assert.That(listed.Single().Intact, Is.False);

        // A fresh answer repairs the key.
        Assert.That(await reopened.PutAsync(CacheTestData.Plan(key, "fresh")), Is.True);
        Assert.That((await reopened.TryGetAsync(key))?.Rationale, Is.EqualTo("fresh"));
    }

    [Test]
    public async Task TamperedIntegrityColumn_IsIgnored()
    {
        var key = CacheTestData.Key("h");
        await using (var cache = Open()) await cache.PutAsync(CacheTestData.Plan(key));
        Sql("UPDATE plans SET integrity = $i", ("$i", new string('0', 64)));
        await using var reopened = Open();
        Assert.That(await reopened.TryGetAsync(key), Is.Null);
        Assert.That(Warnings.Any(PlanCacheCodes.CorruptEntry), Is.True);
    }

    [Test]
    public async Task GarbageFile_IsMovedAsideAndRebuilt_WithAWarning()
    {
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(Db, garbage);

        await using var cache = Open();
        Assert.That(Warnings.Any(PlanCacheCodes.CorruptDatabase), Is.True, Warnings.ToString());
        var aside = Directory.GetFiles(Dir, "plans.db.corrupt-*").Where(f => !f.EndsWith("-wal") && !f.EndsWith("-shm")).ToList();
        Assert.That(aside, Has.Count.EqualTo(1));
        Assert.That(File.ReadAllBytes(aside[0]), Is.EqualTo(garbage), "the damaged file is kept, not deleted");

        var key = CacheTestData.Key("i");
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key)), Is.True);
        Assert.That(await cache.TryGetAsync(key), Is.Not.Null);
        Assert.That(cache.DisabledReason, Is.Null);
    }

    [Test]
    public async Task TruncatedDatabase_IsRecovered()
    {
        await using (var cache = Open())
            for (var i = 0; i < 50; i++) await cache.PutAsync(CacheTestData.Plan(CacheTestData.Key("t" + i)));
        // Keep the header page only and scribble over the rest of the file.
        var bytes = File.ReadAllBytes(Db);
        for (var i = 100; i < bytes.Length; i++) bytes[i] = 0xA5;
        File.WriteAllBytes(Db, bytes);

        await using var reopened = Open();
        var result = await reopened.TryGetAsync(CacheTestData.Key("t1"));
        Assert.That(result, Is.Null);
        Assert.That(Warnings.Any(PlanCacheCodes.CorruptDatabase), Is.True, Warnings.ToString());
        Assert.That(await reopened.PutAsync(CacheTestData.Plan(CacheTestData.Key("new"))), Is.True);
        Assert.That(await reopened.TryGetAsync(CacheTestData.Key("new")), Is.Not.Null);
    }

    [Test]
    public async Task ForeignSqliteDatabase_IsMovedAside()
    {
        Sql("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        await using var cache = Open();
        Assert.That(Warnings.Any(PlanCacheCodes.CorruptDatabase), Is.True, Warnings.ToString());
        Assert.That(Directory.GetFiles(Dir, "plans.db.corrupt-*"), Is.Not.Empty);
        Assert.That(await cache.PutAsync(CacheTestData.Plan(CacheTestData.Key("j"))), Is.True);
    }

    [Test]
    public async Task UnusableLocation_TurnsCachingOff_WithoutThrowing()
    {
        var blocker = Path.Combine(Dir, "not-a-folder");
        File.WriteAllText(blocker, "a file where the cache folder should be");
        await using var cache = SqlitePlanCache.Open(Path.Combine(blocker, "plans.db"), Warnings.Add);
        Assert.That(Warnings.Any(PlanCacheCodes.Unavailable), Is.True, Warnings.ToString());
        var key = CacheTestData.Key("k");
        Assert.That(await cache.PutAsync(CacheTestData.Plan(key)), Is.False);
        Assert.That(await cache.TryGetAsync(key), Is.Null);
        Assert.That((await cache.StatsAsync()).Entries, Is.EqualTo(0));
    }

    [Test]
    public async Task Version1Database_IsMigrated_KeepingPlansAndRejections()
    {
        var accepted = CacheTestData.Plan(CacheTestData.Key("v1-accepted"));
        var pending = CacheTestData.Plan(CacheTestData.Key("v1-pending"));
        var rejected = CacheTestData.Plan(CacheTestData.Key("v1-rejected"));
        var broken = CacheTestData.Key("v1-broken");
        Sql(SqliteSchema.Version1);
        void Row(CachedPlan p, string status, string? evidence) =>
            Sql("INSERT INTO plans (key, entry, integrity, status, evidence, created) VALUES ($k, $e, $i, $s, $v, $c)",
                ("$k", p.Key.Hash), ("$e", Encoding.UTF8.GetString(p.CanonicalContent())), ("$i", p.Integrity), ("$s", status), ("$v", evidence),
                ("$c", "2025-01-01T00:00:00.0000000Z"));
        Row(accepted, "accepted", "verified");
        Row(pending, "pending", null);
        Row(rejected, "rejected", "unsafe");
        Sql("INSERT INTO plans (key, entry, integrity, status, evidence, created) VALUES ($k, 'not json', 'x', 'rejected', 'race', '2025-01-01')",
            ("$k", broken.Hash));

        await using var cache = Open();
        Assert.That(Warnings.Any(PlanCacheCodes.Migrated), Is.True, Warnings.ToString());
        var migrated = Warnings.Messages.Single(m => m.Code == PlanCacheCodes.Migrated);
        Assert.That(migrated.Message, Does.Contain("from schema version 1 to 2").And.Contain("1 unreadable entry"));
        Assert.That(migrated.Severity, Is.EqualTo(Severity.Info), "a migration is news, not a warning: it reaches the engine as an info record");
        Assert.That((await cache.TryGetAsync(accepted.Key))?.Status, Is.EqualTo(PlanStatus.Accepted));
        Assert.That((await cache.TryGetAsync(pending.Key))?.Status, Is.EqualTo(PlanStatus.Pending));
        Assert.That((await cache.LookupAsync(rejected.Key)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That((await cache.LookupAsync(broken)).Kind, Is.EqualTo(PlanLookupKind.Rejected), "a rejection outlives its unreadable entry");
        var stats = await cache.StatsAsync();
        Assert.That(stats.SchemaVersion, Is.EqualTo(SqliteSchema.CurrentVersion));

        await using var again = SqlitePlanCache.Open(Db, Warnings.Add);
        Assert.That(Warnings.Messages.Count(m => m.Code == PlanCacheCodes.Migrated), Is.EqualTo(1), "migrated once");
    }

    [Test]
    public async Task NewerSchema_IsLeftUntouched_AndCachingIsOff()
    {
        await using (var cache = Open()) await cache.PutAsync(CacheTestData.Plan(CacheTestData.Key("l")));
        Sql("UPDATE schema_version SET version = 99");
        await using var newer = Open();
        Assert.That(Warnings.Any(PlanCacheCodes.NewerSchema), Is.True, Warnings.ToString());
        Assert.That(await newer.TryGetAsync(CacheTestData.Key("l")), Is.Null);
        Assert.That(await newer.PutAsync(CacheTestData.Plan(CacheTestData.Key("m"))), Is.False);
        Assert.That(Directory.GetFiles(Dir, "plans.db.corrupt-*"), Is.Empty);
    }

    [Test]
    public async Task Stats_List_Remove_Clear()
    {
        await using var cache = Open();
        var a = CacheTestData.Key("sa");
        var b = CacheTestData.Key("sb");
        var c = CacheTestData.Key("sc");
        await cache.PutAsync(CacheTestData.Plan(a));
        await cache.MarkAsync(a, PlanStatus.Accepted, null);
        await cache.PutAsync(CacheTestData.Plan(b));
        await cache.MarkAsync(c, PlanStatus.Rejected, "unsafe");

        var stats = await cache.StatsAsync();
        Assert.Multiple(() =>
        {
            Assert.That(stats.Kind, Is.EqualTo("sqlite"));
            Assert.That(stats.Location, Is.EqualTo(Path.GetFullPath(Db)));
            Assert.That(stats.Entries, Is.EqualTo(2));
            Assert.That(stats.Accepted, Is.EqualTo(1));
            Assert.That(stats.Pending, Is.EqualTo(1));
            Assert.That(stats.Rejected, Is.EqualTo(1));
            Assert.That(stats.Corrupt, Is.EqualTo(0));
            Assert.That(stats.SizeBytes, Is.GreaterThan(0));
            Assert.That(stats.SavedModelTime, Is.EqualTo(TimeSpan.FromMilliseconds(2 * 2345)));
            Assert.That(stats.ByModel["qwen2.5:1.5b"], Is.EqualTo(2));
        });
        Assert.That((await cache.ListAsync()).Select(e => e.Key.Hash), Is.EquivalentTo(new[] { a.Hash, b.Hash, c.Hash }));

        Assert.That(await cache.RemoveAsync(c), Is.True);
        Assert.That((await cache.LookupAsync(c)).Kind, Is.EqualTo(PlanLookupKind.Miss), "removing forgets a rejection");
        Assert.That(await cache.ClearAsync(), Is.EqualTo(2));
        Assert.That((await cache.StatsAsync()).Entries, Is.EqualTo(0));
        Assert.That(await cache.TryGetAsync(a), Is.Null);
    }

    [Test]
    public async Task ExportImport_RoundTrip_KeepsStatusesAndRejections()
    {
        var accepted = CacheTestData.Key("x-accepted");
        var pending = CacheTestData.Key("x-pending");
        var rejected = CacheTestData.Key("x-rejected");
        var rejectionOnly = CacheTestData.Key("x-rejection-only");
        var buffer = new MemoryStream();
        await using (var source = Open())
        {
            await source.PutAsync(CacheTestData.Plan(accepted));
            await source.MarkAsync(accepted, PlanStatus.Accepted, "verified");
            await source.PutAsync(CacheTestData.Plan(pending));
            await source.PutAsync(CacheTestData.Plan(rejected));
            await source.MarkAsync(rejected, PlanStatus.Rejected, "unsafe");
            await source.MarkAsync(rejectionOnly, PlanStatus.Rejected, "tsan");
            Assert.That(await source.ExportAsync(buffer), Is.EqualTo(4));
        }
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        TestContext.Out.WriteLine(text);
        Assert.That(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(5), "a header and one line per key");

        buffer.Position = 0;
        await using var target = SqlitePlanCache.Open(Path.Combine(Dir, "imported.db"), Warnings.Add);
        var result = await target.ImportAsync(buffer);
        Assert.That(result, Is.EqualTo(new PlanImportResult(2, 2, 0)));
        Assert.That((await target.TryGetAsync(accepted))?.Status, Is.EqualTo(PlanStatus.Accepted));
        Assert.That((await target.TryGetAsync(pending))?.Status, Is.EqualTo(PlanStatus.Pending));
        Assert.That((await target.LookupAsync(rejected)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That((await target.LookupAsync(rejectionOnly)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That(Warnings.Messages, Is.Empty);
    }

    [Test]
    public async Task Import_SkipsTamperedAndInvalidLines_WithAWarning()
    {
        var key = CacheTestData.Key("y");
        var other = CacheTestData.Key("z");
        var buffer = new MemoryStream();
        await using (var source = Open())
        {
            await source.PutAsync(CacheTestData.Plan(key));
            await source.PutAsync(CacheTestData.Plan(other));
            await source.ExportAsync(buffer);
        }
        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var poisoned = lines.FindIndex(l => l.Contains(key.Hash, StringComparison.Ordinal));
        lines[poisoned] = lines[poisoned].Replace("\"parallel\":true", "\"parallel\":false", StringComparison.Ordinal);
        lines.Add("{ not json");
        var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        await using var target = SqlitePlanCache.Open(Path.Combine(Dir, "imported.db"), Warnings.Add);
        var result = await target.ImportAsync(input);
        Assert.That(result.Imported, Is.EqualTo(1));
        Assert.That(result.Skipped, Is.EqualTo(2));
        Assert.That(Warnings.Any(PlanCacheCodes.ImportSkipped), Is.True);
        Assert.That(await target.TryGetAsync(key), Is.Null);
        Assert.That(await target.TryGetAsync(other), Is.Not.Null);
    }

    [Test]
    public async Task Import_DoesNotRevive_ALocallyRejectedKey()
    {
        var key = CacheTestData.Key("revive");
        var buffer = new MemoryStream();
        await using (var source = SqlitePlanCache.Open(Path.Combine(Dir, "other.db"), Warnings.Add))
        {
            await source.PutAsync(CacheTestData.Plan(key));
            await source.MarkAsync(key, PlanStatus.Accepted, "elsewhere it passed");
            await source.ExportAsync(buffer);
        }
        await using var cache = Open();
        await cache.MarkAsync(key, PlanStatus.Rejected, "here TSan found a race");
        buffer.Position = 0;
        await cache.ImportAsync(buffer);
        Assert.That((await cache.LookupAsync(key)).Kind, Is.EqualTo(PlanLookupKind.Rejected));
    }

    [Test]
    public async Task ManyConcurrentTasks_OnTwoInstances_LoseNothing()
    {
        await using var one = Open();
        await using var two = Open();
        var keys = Enumerable.Range(0, 200).Select(i => CacheTestData.Key("p" + i)).ToList();
        await Task.WhenAll(keys.Select((k, i) => Task.Run(async () =>
        {
            var cache = i % 2 == 0 ? one : two;
            await cache.PutAsync(CacheTestData.Plan(k));
            await cache.MarkAsync(k, PlanStatus.Accepted, null);
        })));
        foreach (var k in keys) Assert.That(await one.TryGetAsync(k), Is.Not.Null);
        Assert.That((await two.StatsAsync()).Accepted, Is.EqualTo(200));
        Assert.That(Warnings.Messages, Is.Empty);
    }

    [Test]
    public void ReadFromAnotherFolder_DefaultPathFollowsXdgConventions()
    {
        Assert.That(PlanCacheLocation.DefaultPath(), Does.EndWith(Path.Combine("paraslm", "plans.db")).Or.EndWith(Path.Combine("ParaSlm", "plans.db")));
        Assert.That(PlanCacheLocation.ResolveSqlitePath(Dir), Is.EqualTo(Path.Combine(Dir, "plans.db")), "a folder gets plans.db inside");
        Assert.That(PlanCacheLocation.ResolveSqlitePath(Path.Combine(Dir, "x.sqlite")), Is.EqualTo(Path.Combine(Dir, "x.sqlite")));
        Assert.That(PlanCacheLocation.ResolveSqlitePath(null), Is.EqualTo(PlanCacheLocation.DefaultPath()));
    }

    [Test]
    public async Task Factory_OpensSqliteForAPath_AndNothingForOff()
    {
        await using var sqlite = await PlanCacheFactory.OpenAsync(Db, Warnings.Add);
        Assert.That(sqlite.Kind, Is.EqualTo("sqlite"));
        Assert.That(sqlite.Location, Is.EqualTo(Path.GetFullPath(Db)));
        await using var off = await PlanCacheFactory.OpenAsync("off", Warnings.Add);
        Assert.That(off.Kind, Is.EqualTo("disabled"));
        Assert.That(await off.PutAsync(CacheTestData.Plan(CacheTestData.Key("o"))), Is.False);
        await using var local = await PlanCacheFactory.OpenAsync(null, Warnings.Add, localPath: Path.Combine(Dir, "local.db"));
        Assert.That(local.Location, Is.EqualTo(Path.Combine(Dir, "local.db")));
    }

    [Test]
    public async Task Benchmark_MeasuresHitLatency()
    {
        var output = new StringWriter();
        var result = await PlanCacheBenchmark.RunAsync(Db, output, iterations: 1000);
        TestContext.Out.WriteLine(output.ToString());
        Assert.That(output.ToString(), Does.Contain("hit").And.Contain("median"));
        Assert.That(result.Kind, Is.EqualTo("sqlite"));
        Assert.That(result.HitMedian, Is.GreaterThan(TimeSpan.Zero));
        // Timing goals are not asserted on shared 2-core CI machines; the number is printed for the report.
        await using var cache = Open();
        Assert.That((await cache.StatsAsync()).Entries, Is.EqualTo(0), "the benchmark removes its entry");
    }
}

/// <summary>A cached plan is checked against the facts of now, like any model answer.</summary>
[TestFixture]
[Category("Unit")]
public sealed class CachedPlanReverifyTests
{
    [Test]
    public void PoisonedParallelPlan_ForAnUnsafeLoop_IsRejectedByTheVerifier()
    {
        var unsafeLoop = CacheTestData.Loop() with { Parallelizable = false, Reason = "sequential: a[i] depends on a[i-1]" };
        var plan = CacheTestData.Plan(CacheTestData.Key("r"));
        var check = plan.Reverify(unsafeLoop, [unsafeLoop], new Dictionary<string, LoopFacts> { [unsafeLoop.Id] = unsafeLoop });
        Assert.That(check, Is.Not.Null);
        Assert.That(check!.Value.Verdict.Kind, Is.EqualTo(VerdictKind.Rejected));
        Assert.That(check.Value.Verdict.Code, Is.EqualTo(PlanVerifier.UnsafeParallel));
    }

    [Test]
    public void LoopIndexOutsideTheNest_GivesNoPlan()
    {
        var loop = CacheTestData.Loop();
        var plan = CacheTestData.Plan(CacheTestData.Key("s"), loopIndex: 3);
        Assert.That(plan.Reverify(loop, [loop], new Dictionary<string, LoopFacts> { [loop.Id] = loop }), Is.Null);
    }

    [Test]
    public void SafePlan_IsAcceptedOrRepaired_ForTheLoopItNames()
    {
        var loop = CacheTestData.Loop();
        var plan = CacheTestData.Plan(CacheTestData.Key("u"));
        var check = plan.Reverify(loop, [loop], new Dictionary<string, LoopFacts> { [loop.Id] = loop });
        Assert.That(check!.Value.Loop, Is.SameAs(loop));
        Assert.That(check.Value.Verdict.Kind, Is.Not.EqualTo(VerdictKind.Rejected));
    }

    [Test]
    public void EditedEntry_FailsItsIntegrity()
    {
        var plan = CacheTestData.Plan(CacheTestData.Key("w"));
        Assert.That(plan.IsIntact, Is.True);
        Assert.That((plan with { LoopIndex = 1 }).IsIntact, Is.False);
        Assert.That((plan with { Proposal = plan.Proposal with { Collapse = 2 } }).IsIntact, Is.False);
        Assert.That((plan with { Status = PlanStatus.Accepted, Evidence = "x" }).IsIntact, Is.True, "status is not content");
    }
}
