using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Reasoner.Cache;

/// <summary>Where a cached plan stands: pending (stored, not yet judged), accepted, or rejected (never served again).</summary>
public enum PlanStatus
{
    Pending,
    Accepted,
    Rejected,
}

/// <summary>
/// One cached answer of a model for one loop nest: the proposal, which loop of the nest it applies to (an index, so a
/// moved nest still maps), and its provenance. <see cref="Integrity"/> is a SHA-256 over the canonical content; an
/// entry whose hash does not match is ignored. <see cref="Status"/> and <see cref="Evidence"/> are not part of the
/// content: they change after the entry is written (verifier, sanitizers), and a rejection is kept apart so it sticks.
/// </summary>
/// <param name="LoopIndex">Index of the planned loop in the nest as the key orders it: 0 is the root, then the nest's order.</param>
/// <param name="Target">The target preference the plan was made for (cpu | gpu | auto); the proposal says where it runs.</param>
/// <param name="Latency">How long the model took to produce it: what a hit saves.</param>
public sealed record CachedPlan(
    PlanCacheKey Key,
    PlanProposal Proposal,
    int LoopIndex,
    string Rationale,
    string Model,
    string ModelDigest,
    string Strategy,
    string PromptVersion,
    string Target,
    DateTimeOffset Created,
    TimeSpan Latency)
{
    public PlanStatus Status { get; init; } = PlanStatus.Pending;

    /// <summary>Why the status was set: the verifier's reason, a sanitizer's report.</summary>
    public string? Evidence { get; init; }

    /// <summary>SHA-256 (hex) of <see cref="CanonicalContent"/> as it was written.</summary>
    public string Integrity { get; init; } = string.Empty;

    /// <summary>A new, sealed entry (status pending, integrity computed).</summary>
    public static CachedPlan Create(
        PlanCacheKey key,
        PlanProposal proposal,
        int loopIndex,
        string rationale,
        string model,
        string modelDigest,
        string strategy,
        string promptVersion,
        string target,
        TimeSpan latency,
        DateTimeOffset? created = null)
    {
        // Millisecond UTC timestamps survive every store's round trip exactly, which the integrity hash needs.
        var when = created ?? DateTimeOffset.UtcNow;
        when = new DateTimeOffset(when.UtcTicks - when.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        return new CachedPlan(key, proposal, loopIndex, rationale ?? string.Empty, model ?? string.Empty, modelDigest ?? string.Empty,
            strategy ?? string.Empty, promptVersion ?? string.Empty, target ?? string.Empty, when, latency).Seal();
    }

    /// <summary>This entry with <see cref="Integrity"/> computed from its content.</summary>
    public CachedPlan Seal() => this with { Integrity = ComputeIntegrity() };

    /// <summary>The content matches its integrity hash (it was not altered or damaged since it was sealed).</summary>
    public bool IsIntact => Integrity.Length == 64 && string.Equals(Integrity, ComputeIntegrity(), StringComparison.Ordinal);

    public string ComputeIntegrity() => Convert.ToHexStringLower(SHA256.HashData(CanonicalContent()));

    /// <summary>The entry's content as canonical JSON (fixed field order, no status): what is stored and hashed.</summary>
    public byte[] CanonicalContent()
    {
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteContent(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    internal void WriteContent(Utf8JsonWriter w)
    {
        w.WriteNumber("schema", PlanCacheKeys.ContentSchemaVersion);
        w.WriteString("key", Key.Hash);
        w.WriteString("description", Key.Description);
        w.WriteNumber("loopIndex", LoopIndex);
        w.WriteBoolean("parallel", Proposal.Parallel);
        w.WriteString("parallelTarget", LoopPlan.TargetName(Proposal.Target));
        w.WriteStartArray("private");
        foreach (var p in Proposal.Private) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteStartArray("lastPrivate");
        foreach (var p in Proposal.LastPrivate) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteStartArray("reductions");
        foreach (var r in Proposal.Reductions)
        {
            w.WriteStartObject();
            w.WriteString("op", r.Operator);
            w.WriteString("var", r.Variable);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("collapse", Proposal.Collapse);
        w.WriteString("schedule", Proposal.Schedule);
        w.WriteBoolean("simd", Proposal.Simd);
        w.WriteBoolean("innerSimd", Proposal.InnerSimd);
        w.WriteBoolean("scalarExpansion", Proposal.ScalarExpansion);
        w.WriteBoolean("unrollJam", Proposal.UnrollJam);
        w.WriteString("rationale", Rationale);
        w.WriteString("model", Model);
        w.WriteString("modelDigest", ModelDigest);
        w.WriteString("strategy", Strategy);
        w.WriteString("promptVersion", PromptVersion);
        w.WriteString("target", Target);
        w.WriteString("created", Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        w.WriteNumber("latencyTicks", Latency.Ticks);
    }

    /// <summary>Reads the content written by <see cref="WriteContent"/>; throws <see cref="FormatException"/> on anything else.</summary>
    internal static CachedPlan ReadContent(JsonElement e, string integrity)
    {
        try
        {
            var schema = e.GetProperty("schema").GetInt32();
            if (schema is < PlanCacheKeys.OldestContentSchemaVersion or > PlanCacheKeys.ContentSchemaVersion)
                throw new FormatException($"plan schema {schema} is not one of {PlanCacheKeys.OldestContentSchemaVersion}..{PlanCacheKeys.ContentSchemaVersion}");
            var key = e.GetProperty("key").GetString() ?? string.Empty;
            if (!PlanCacheKeys.IsHash(key)) throw new FormatException("the key is not a SHA-256");
            var proposal = new PlanProposal(
                e.GetProperty("parallel").GetBoolean(),
                ParseTarget(e.GetProperty("parallelTarget").GetString()),
                Strings(e.GetProperty("private")),
                Strings(e.GetProperty("lastPrivate")),
                e.GetProperty("reductions").EnumerateArray()
                    .Select(r => new Reduction(r.GetProperty("op").GetString() ?? string.Empty, r.GetProperty("var").GetString() ?? string.Empty))
                    .ToList(),
                e.GetProperty("collapse").GetInt32(),
                e.GetProperty("schedule").GetString())
            {
                // Schema 1 did not store simd: such a plan comes back without it, and planning re-derives it from the facts.
                Simd = schema >= 2 && e.GetProperty("simd").GetBoolean(),
                // Schema 2 did not store the inner loops' simd: it comes back without it, and planning re-derives it likewise.
                InnerSimd = schema >= 3 && e.GetProperty("innerSimd").GetBoolean(),
                // Schema 3 did not store scalar expansion: it comes back without it, and planning re-derives it likewise.
                ScalarExpansion = schema >= 4 && e.GetProperty("scalarExpansion").GetBoolean(),
                // Schema 4 did not store unroll-and-jam: it comes back without it, and planning re-derives it likewise.
                UnrollJam = schema >= 5 && e.GetProperty("unrollJam").GetBoolean(),
            };
            var created = DateTimeOffset.Parse(e.GetProperty("created").GetString() ?? string.Empty, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            return new CachedPlan(
                new PlanCacheKey(key, e.GetProperty("description").GetString() ?? string.Empty),
                proposal,
                e.GetProperty("loopIndex").GetInt32(),
                e.GetProperty("rationale").GetString() ?? string.Empty,
                e.GetProperty("model").GetString() ?? string.Empty,
                e.GetProperty("modelDigest").GetString() ?? string.Empty,
                e.GetProperty("strategy").GetString() ?? string.Empty,
                e.GetProperty("promptVersion").GetString() ?? string.Empty,
                e.GetProperty("target").GetString() ?? string.Empty,
                created,
                TimeSpan.FromTicks(e.GetProperty("latencyTicks").GetInt64()))
            {
                Integrity = integrity,
            };
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new FormatException($"not a cached plan entry: {ex.Message}", ex);
        }
    }

    /// <summary>Parses stored content (UTF-8 JSON); the stored integrity is attached, not checked (see <see cref="IsIntact"/>).</summary>
    internal static CachedPlan Parse(ReadOnlySpan<byte> content, string integrity)
    {
        try
        {
            var reader = new Utf8JsonReader(content);
            using var doc = JsonDocument.ParseValue(ref reader);
            return ReadContent(doc.RootElement, integrity);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a cached plan entry: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The stored entry for <paramref name="expectedKey"/>, or null when it is damaged: its bytes do not hash to
    /// <paramref name="integrity"/>, it does not parse, or it belongs to another key. The hash is checked on the stored
    /// bytes (not on a re-serialization), so a later runtime that escapes JSON differently cannot invalidate old entries.
    /// </summary>
    internal static CachedPlan? TryDecode(byte[]? content, string? integrity, string expectedKey)
    {
        if (content is null || integrity is null || integrity.Length != 64) return null;
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(content)), integrity, StringComparison.Ordinal)) return null;
        try
        {
            var plan = Parse(content, integrity);
            return string.Equals(plan.Key.Hash, expectedKey, StringComparison.Ordinal) ? plan : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList();

    private static ParallelTarget ParseTarget(string? name) => name switch
    {
        "cpu-openmp" => ParallelTarget.CpuOpenMP,
        "gpu-cuda" => ParallelTarget.GpuCuda,
        "gpu-openmp-offload" => ParallelTarget.GpuOpenMPOffload,
        "none" => ParallelTarget.None,
        _ => throw new FormatException($"unknown target '{name}'"),
    };

    /// <summary>
    /// Checks a cached plan against the analyzer's facts of now, exactly as a fresh model answer is checked: the loop
    /// it names must exist in the nest, and <see cref="PlanVerifier"/> decides. A stale or poisoned entry can at worst
    /// be rejected to sequential, never produce unsafe code.
    /// </summary>
    /// <param name="root">The nest's outer loop.</param>
    /// <param name="nest">The nest as passed to <see cref="PlanCacheKeys.Compute"/>.</param>
    /// <param name="fileLoops">Every loop of the file by id (collapse is checked against inner loops).</param>
    /// <param name="insideParallel">The nest sits inside a loop already planned parallel.</param>
    /// <returns>The loop the plan applies to and the verifier's verdict; null when the index names no loop of the nest.</returns>
    public (LoopFacts Loop, Verdict Verdict)? Reverify(LoopFacts root, IReadOnlyList<LoopFacts> nest, IReadOnlyDictionary<string, LoopFacts> fileLoops, bool insideParallel = false)
    {
        var loops = PlanCacheKeys.OrderedNest(root, nest);
        if (LoopIndex < 0 || LoopIndex >= loops.Count) return null;
        var loop = loops[LoopIndex];
        return (loop, PlanVerifier.Verify(loop, Proposal, fileLoops, insideParallel));
    }
}

/// <summary>What a lookup found: a servable plan (pending or accepted), nothing, a rejected key, or a damaged entry.</summary>
public enum PlanLookupKind
{
    Miss,
    Hit,
    Rejected,
    Corrupt,
}

/// <summary>
/// The full answer of <see cref="IPlanCache.LookupAsync"/>. A planner that sees <see cref="PlanLookupKind.Rejected"/>
/// can skip the model for that nest: the same question was already answered unsafely.
/// </summary>
public sealed record PlanLookup(PlanLookupKind Kind, CachedPlan? Plan, string? Evidence)
{
    public static PlanLookup Miss { get; } = new(PlanLookupKind.Miss, null, null);
}

/// <summary>One stored key as listed: its status, and the entry when there is one (a rejection can exist without an entry).</summary>
/// <param name="Plan">The entry (with status and evidence applied); null for a rejection recorded without an entry, or content that cannot be read.</param>
/// <param name="Intact">The entry is readable and its integrity hash matches.</param>
public sealed record PlanCacheEntry(PlanCacheKey Key, PlanStatus Status, string? Evidence, CachedPlan? Plan, bool Intact, DateTimeOffset? Updated);

/// <summary>What a store holds. Counts are keys; <see cref="Rejected"/> includes rejections without an entry.</summary>
/// <param name="Kind">sqlite | redis | disabled.</param>
/// <param name="SizeBytes">Database file size (SQLite, WAL included) or the stored entries' bytes (Redis).</param>
/// <param name="SavedModelTime">Sum of the model latency of servable entries: the model time one full re-plan would cost.</param>
public sealed record PlanCacheStats(
    string Location,
    string Kind,
    int SchemaVersion,
    int Entries,
    int Pending,
    int Accepted,
    int Rejected,
    int Corrupt,
    long SizeBytes,
    DateTimeOffset? Oldest,
    DateTimeOffset? Newest,
    TimeSpan SavedModelTime,
    IReadOnlyDictionary<string, int> ByModel,
    IReadOnlyDictionary<string, int> ByStrategy)
{
    /// <summary>Lookups of this process through this instance.</summary>
    public PlanCacheCounters Session { get; init; } = new(0, 0, 0, 0);
}

/// <summary>Lookups made through one cache instance: servable hits, misses, rejected keys and corrupt entries seen.</summary>
public sealed record PlanCacheCounters(long Hits, long Misses, long Rejected, long Corrupt);

/// <summary>Result of an import: entries taken, lines skipped as invalid or failing their integrity check.</summary>
public sealed record PlanImportResult(int Imported, int Rejections, int Skipped);
