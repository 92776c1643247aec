using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Reasoner.Tests.Cache;

/// <summary>
/// The cached plan's content keeps every element of the plan (content schema 2 added `simd`, which schema 1 dropped, so a
/// plan served from the cache lost `parallel for simd`; each later schema added one plan element, listed in <see cref="Fields"/>),
/// and entries written by every older schema are still served under the same keys: an upgrade neither forgets stored plans
/// nor recorded rejections.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class PlanContentSchemaTests : CacheFolderFixture
{
    private static CachedPlan SimdPlan(PlanCacheKey key) =>
        CachedPlan.Create(key, new PlanProposal(true, ParallelTarget.CpuOpenMP, ["t"], [], [], Collapse: 1, Schedule: "static") { Simd = true },
            0, "stride-1 innermost", "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(10));

    [Test]
    public async Task A_cached_plan_comes_back_with_its_simd_schedule_and_collapse()
    {
        var key = CacheTestData.Key("simd");
        var plan = SimdPlan(key);
        await using (var cache = SqlitePlanCache.Open(Db, Warnings.Add))
            Assert.That(await cache.PutAsync(plan), Is.True);

        await using var again = SqlitePlanCache.Open(Db, Warnings.Add);
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
        var integrity = await StoreAsWrittenBy(1, key, plan, Fields.Select(f => f.Field).ToArray());

        await using var again = SqlitePlanCache.Open(Db, Warnings.Add);
        var lookup = await again.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Hit), lookup.Evidence);
        Assert.That(lookup.Plan!.Proposal.Simd, Is.False, "schema 1 had no simd");
        Assert.That(lookup.Plan.Proposal.ClauseText, Is.EqualTo(plan.Proposal.ClauseText));
        Assert.That(lookup.Plan.Integrity, Is.EqualTo(integrity), "the stored bytes' hash, not a re-serialization");
    }

    /// <summary>Each field a content schema added after the first, with the schema that added it: one row per field, so a new
    /// plan element is one more row.</summary>
    private static readonly IReadOnlyList<(string Field, int AddedIn, Func<PlanProposal, PlanProposal> Set, Func<PlanProposal, bool> Has)> Fields =
    [
        ("simd", 2, p => p with { Simd = true }, p => p.Simd),
        ("innerSimd", 3, p => p with { InnerSimd = true }, p => p.InnerSimd),
        ("scalarExpansion", 4, p => p with { ScalarExpansion = true }, p => p.ScalarExpansion),
        ("unrollJam", 5, p => p with { UnrollJam = true }, p => p.UnrollJam),
    ];

    private static IEnumerable<string> FieldNames() => Fields.Select(f => f.Field);

    private static CachedPlan PlanWith(PlanCacheKey key, params string[] fields) =>
        CachedPlan.Create(key, Fields.Where(f => fields.Contains(f.Field)).Aggregate(new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []), (p, f) => f.Set(p)),
            0, string.Join(", ", fields), "qwen2.5:1.5b", "sha256:65ec06548149", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(10));

    [Test]
    public void The_content_schema_written_is_the_one_that_added_the_newest_field() =>
        Assert.That(JsonNode.Parse(PlanWith(CacheTestData.Key("schema")).CanonicalContent())!["schema"]!.GetValue<int>(),
            Is.EqualTo(Fields.Max(f => f.AddedIn)).And.EqualTo(PlanCacheKeys.ContentSchemaVersion));

    [TestCaseSource(nameof(FieldNames))]
    public async Task A_cached_plan_comes_back_with_each_field(string field)
    {
        var key = CacheTestData.Key("field-" + field);
        await using (var cache = SqlitePlanCache.Open(Db, Warnings.Add))
            Assert.That(await cache.PutAsync(PlanWith(key, field)), Is.True);

        await using var again = SqlitePlanCache.Open(Db, Warnings.Add);
        var hit = await again.TryGetAsync(key);
        Assert.That(hit, Is.Not.Null);
        Assert.That(Fields.Single(f => f.Field == field).Has(hit!.Proposal), Is.True, $"{field} is stored");
        Assert.That(hit.IsIntact, Is.True);
    }

    [TestCaseSource(nameof(FieldNames))]
    public async Task An_entry_written_before_a_field_existed_is_served_without_it_keeping_the_older_fields(string field)
    {
        var added = Fields.Single(f => f.Field == field).AddedIn;
        var key = CacheTestData.Key("before-" + field);
        var plan = PlanWith(key, Fields.Where(f => f.AddedIn <= added).Select(f => f.Field).ToArray());
        await StoreAsWrittenBy(added - 1, key, plan, Fields.Where(f => f.AddedIn >= added).Select(f => f.Field).ToArray());

        await using var again = SqlitePlanCache.Open(Db, Warnings.Add);
        var lookup = await again.LookupAsync(key);
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Hit), lookup.Evidence);
        Assert.That(Fields.Single(f => f.Field == field).Has(lookup.Plan!.Proposal), Is.False, $"schema {added - 1} had no {field}");
        foreach (var older in Fields.Where(f => f.AddedIn < added))
            Assert.That(older.Has(lookup.Plan.Proposal), Is.True, $"schema {added - 1} kept {older.Field}");
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
        await using (var cache = SqlitePlanCache.Open(Db, Warnings.Add))
            Assert.That(await cache.TryGetAsync(key), Is.Null);
        Sql("INSERT INTO plans (key, description, entry, integrity, model, model_digest, strategy, prompt_version, target, created, latency_ms) " +
            "VALUES ($k, 'old', $e, $i, 'qwen2.5:1.5b', '', 'zero-shot', 'zero-shot@1', 'cpu', '2025-01-01T00:00:00.0000000Z', 1)",
            ("$k", key.Hash), ("$e", Encoding.UTF8.GetString(bytes)), ("$i", integrity));
        return integrity;
    }

    private void Sql(string sql, params (string, object?)[] parameters)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Db, Pooling = false }.ToString());
        db.Open();
        using var c = db.CreateCommand();
        c.CommandText = sql;
        foreach (var (name, value) in parameters) c.Parameters.AddWithValue(name, value ?? DBNull.Value);
        c.ExecuteNonQuery();
    }
}
