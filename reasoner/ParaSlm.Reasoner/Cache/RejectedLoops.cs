using System.Security.Cryptography;
using System.Text;

namespace ParaSlm.Reasoner.Cache;

/// <summary>
/// Validation's verdicts by content: a loop that validation reverted is recorded in the plan cache under a key made
/// from the loop's own content hash (its text and function, as the engine computes it), whoever planned it — the
/// analyzer, a model, a user assertion. The engine consults it before parallelizing a loop, so a rejection outlives
/// `dotnet clean`, a deleted obj/ folder, and reaches every machine that shares the cache; a changed loop has another
/// hash and is judged afresh.
/// </summary>
/// <remarks>
/// Stored as a rejected key without entry, which every store already keeps as final (<see cref="IPlanCache.MarkAsync"/>),
/// exports and imports; the key's canonical form has its own prefix, so it never meets a plan's key.
/// </remarks>
public static class RejectedLoops
{
    /// <summary>Version of the canonical form (bump it to forget every recorded rejection).</summary>
    public const string CanonicalVersion = "pslm-rejected-loop-v1";

    /// <param name="loopHash">The engine's hash of the loop (function and loop text).</param>
    public static PlanCacheKey KeyFor(string loopHash) =>
        new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalVersion + "\n" + loopHash))), $"rejected loop {loopHash}");

    public static Task RecordAsync(IPlanCache cache, string loopHash, string evidence, CancellationToken cancellationToken = default) =>
        cache.MarkAsync(KeyFor(loopHash), PlanStatus.Rejected, evidence, cancellationToken);

    /// <summary>The recorded evidence when the loop was rejected, else null.</summary>
    public static async Task<string?> LookupAsync(IPlanCache cache, string loopHash, CancellationToken cancellationToken = default)
    {
        var lookup = await cache.LookupAsync(KeyFor(loopHash), cancellationToken).ConfigureAwait(false);
        return lookup.Kind == PlanLookupKind.Rejected ? lookup.Evidence ?? "rejected by validation" : null;
    }
}
