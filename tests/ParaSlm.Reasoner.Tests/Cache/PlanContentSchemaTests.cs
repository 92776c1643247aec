using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Reasoner.Tests.Cache;

/// <summary>
/// The cached plan's content keeps every clause of the plan (content schema 2 adds `simd`, which schema 1 dropped, so a
/// plan served from the cache lost `parallel for simd`; schema 3 adds `innerSimd`, the nest's inner `omp simd`), and
/// entries written by schemas 1 and 2 are still served under the same keys: an upgrade neither forgets stored plans nor
/// recorded rejections.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class PlanContentSchemaTests
{
    private string _dir = null!;
    private string _db = null!;
    private Warnings _warnings = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = CacheTestData.TempDir();
        _db = Path.Combine(_dir, "plans.db");
        _warnings = new Warnings();
    }

    [TearDown]
    public void TearDown() => CacheTestData.Delete(_dir);

    private static CachedPlan SimdPlan(PlanCacheKey key) =>
        CachedPlan.Create(key, new PlanProposal(true, ParallelTarget.CpuOpenMP, ["t"], [], [], Collapse: 1, Schedule: "static") { Simd = true },
            0, "stride-1 innermost", "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(10));

    [Test]
    public async Task A_cached_plan_comes_back_with_its_simd_schedule_and_collapse()
    {
        var key = CacheTestData.Key("simd");
        var plan = SimdPlan(key);
        await using (var cache = SqlitePlanCache.Open(_db, _warnings.Add))
            Assert.That(await cache.PutAsync(plan), Is.True);

        await using var again = SqlitePlanCache.Open(_db, _warnings.Add);
        var hit = await again.TryGetAsync(key);
        Assert.That(hit, Is.Not.Null);
        Assert.That(hit!.Proposal.Simd, Is.True, "simd is stored");
        Assert.That(hit.Proposal.Schedule, Is.EqualTo("static"));
        Assert.That(hit.Proposal.ClauseText, Is.EqualTo(plan.Proposal.ClauseText));
        Assert.That(hit.Proposal.ClauseText, Does.StartWith("simd"));
        Assert.That(hit.IsIntact, Is.True);
    }

    [Test]
    public async Task An_entry_written_with_content_schema_1_is_still_served_under_its_key()
    {
        var key = CacheTestData.Key("schema-1");
        var plan = CacheTestData.Plan(key);
        Assert.That(JsonNode.Parse(plan.CanonicalContent())!["simd"], Is.Not.Null, "schema 2 on writes simd");
        // What the first version wrote: the same content with `"schema": 1` and no `simd`, hashed as stored.
        var integrity = await StoreAsWrittenBy(1, key, plan, "simd", "innerSimd", "scalarExpansion", "unrollJam");

        await using var again = SqlitePlanCache.Open(_db, _warnings.Add);
        var lookup = await again.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Hit), lookup.Evidence);
        Assert.That(lookup.Plan!.Proposal.Simd, Is.False, "schema 1 had no simd");
        Assert.That(lookup.Plan.Proposal.ClauseText, Is.EqualTo(plan.Proposal.ClauseText));
        Assert.That(lookup.Plan.Integrity, Is.EqualTo(integrity), "the stored bytes' hash, not a re-serialization");
    }

    [Test]
    public async Task A_cached_plan_comes_back_with_its_inner_simd()
    {
        var key = CacheTestData.Key("inner-simd");
        var plan = CachedPlan.Create(key, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { InnerSimd = true },
            0, "stride-1 inner loop", "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(10));
        Assert.That(JsonNode.Parse(plan.CanonicalContent())!["schema"]!.GetValue<int>(), Is.EqualTo(5));
        await using (var cache = SqlitePlanCache.Open(_db, _warnings.Add))
            Assert.That(await cache.PutAsync(plan), Is.True);

        await using var again = SqlitePlanCache.Open(_db, _warnings.Add);
        var hit = await again.TryGetAsync(key);
        Assert.That(hit!.Proposal.InnerSimd, Is.True, "innerSimd is stored");
        Assert.That(hit.IsIntact, Is.True);
    }

    [Test]
    public async Task An_entry_written_with_content_schema_2_is_still_served_without_inner_simd()
    {
        var key = CacheTestData.Key("schema-2");
        var plan = SimdPlan(key);
        await StoreAsWrittenBy(2, key, plan, "innerSimd", "scalarExpansion", "unrollJam");

        await using var again = SqlitePlanCache.Open(_db, _warnings.Add);
        var lookup = await again.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Hit), lookup.Evidence);
        Assert.That(lookup.Plan!.Proposal.Simd, Is.True, "schema 2 kept simd");
        Assert.That(lookup.Plan.Proposal.InnerSimd, Is.False, "schema 2 had no innerSimd");
    }

    [Test]
    public async Task A_cached_plan_comes_back_with_its_scalar_expansion()
    {
        var key = CacheTestData.Key("scalar-expansion");
        var plan = CachedPlan.Create(key, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { ScalarExpansion = true },
            0, "reduction loops outside j", "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(10));
        await using (var cache = SqlitePlanCache.Open(_db, _warnings.Add))
            Assert.That(await cache.PutAsync(plan), Is.True);

        await using var again = SqlitePlanCache.Open(_db, _warnings.Add);
        var hit = await again.TryGetAsync(key);
        Assert.That(hit!.Proposal.ScalarExpansion, Is.True, "scalarExpansion is stored");
        Assert.That(hit.IsIntact, Is.True);
    }

    [Test]
    public async Task An_entry_written_with_content_schema_3_is_still_served_without_scalar_expansion()
    {
        var key = CacheTestData.Key("schema-3");
        var plan = CachedPlan.Create(key, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { InnerSimd = true, ScalarExpansion = true },
            0, "inner simd", "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(10));
        await StoreAsWrittenBy(3, key, plan, "scalarExpansion", "unrollJam");

        await using var again = SqlitePlanCache.Open(_db, _warnings.Add);
        var lookup = await again.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Hit), lookup.Evidence);
        Assert.That(lookup.Plan!.Proposal.InnerSimd, Is.True, "schema 3 kept innerSimd");
        Assert.That(lookup.Plan.Proposal.ScalarExpansion, Is.False, "schema 3 had no scalarExpansion");
    }

    [Test]
    public async Task A_cached_plan_comes_back_with_its_unroll_and_jam()
    {
        var key = CacheTestData.Key("unroll-jam");
        var plan = CachedPlan.Create(key, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { UnrollJam = true },
            0, "four chains", "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(10));
        await using (var cache = SqlitePlanCache.Open(_db, _warnings.Add))
            Assert.That(await cache.PutAsync(plan), Is.True);

        await using var again = SqlitePlanCache.Open(_db, _warnings.Add);
        var hit = await again.TryGetAsync(key);
        Assert.That(hit!.Proposal.UnrollJam, Is.True, "unrollJam is stored");
        Assert.That(hit.IsIntact, Is.True);
    }

    [Test]
    public async Task An_entry_written_with_content_schema_4_is_still_served_without_unroll_and_jam()
    {
        var key = CacheTestData.Key("schema-4");
        var plan = CachedPlan.Create(key, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { ScalarExpansion = true, UnrollJam = true },
            0, "scalar expansion", "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(10));
        await StoreAsWrittenBy(4, key, plan, "unrollJam");

        await using var again = SqlitePlanCache.Open(_db, _warnings.Add);
        var lookup = await again.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Hit), lookup.Evidence);
        Assert.That(lookup.Plan!.Proposal.ScalarExpansion, Is.True, "schema 4 kept scalarExpansion");
        Assert.That(lookup.Plan.Proposal.UnrollJam, Is.False, "schema 4 had no unrollJam");
    }

    [Test]
    public void A_content_schema_newer_than_this_version_is_not_read_as_a_plan()
    {
        var plan = CacheTestData.Plan(CacheTestData.Key("future"));
        var json = JsonNode.Parse(plan.CanonicalContent())!.AsObject();
        json["schema"] = PlanCacheKeys.ContentSchemaVersion + 1;
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        Assert.That(CachedPlan.TryDecode(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), plan.Key.Hash), Is.Null);
    }

    /// <summary>Stores what an older version wrote: the plan's content under an older schema number, without the fields
    /// that version did not know, hashed as stored. Returns the integrity hash.</summary>
    private async Task<string> StoreAsWrittenBy(int schema, PlanCacheKey key, CachedPlan plan, params string[] unknown)
    {
        var json = JsonNode.Parse(plan.CanonicalContent())!.AsObject();
        json["schema"] = schema;
        foreach (var field in unknown) json.Remove(field);
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        var integrity = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using (var cache = SqlitePlanCache.Open(_db, _warnings.Add))
            Assert.That(await cache.TryGetAsync(key), Is.Null);
        Sql("INSERT INTO plans (key, description, entry, integrity, model, model_digest, strategy, prompt_version, target, created, latency_ms) " +
            "VALUES ($k, 'old', $e, $i, 'qwen2.5:1.5b', '', 'zero-shot', 'zero-shot@1', 'cpu', '2025-01-01T00:00:00.0000000Z', 1)",
            ("$k", key.Hash), ("$e", Encoding.UTF8.GetString(bytes)), ("$i", integrity));
        return integrity;
    }

    private void Sql(string sql, params (string, object?)[] parameters)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db, Pooling = false }.ToString());
        db.Open();
        using var c = db.CreateCommand();
        c.CommandText = sql;
        foreach (var (name, value) in parameters) c.Parameters.AddWithValue(name, value ?? DBNull.Value);
        c.ExecuteNonQuery();
    }
}
