namespace ParaSlm.Validation;

/// <summary>A culprit and the set whose probe showed it: <c>fixed ∪ {culprit}</c>, the evidence's source.</summary>
public sealed record Culprit<T>(T Item, IReadOnlyList<T> FailingSet);

/// <summary>
/// Finds the loops responsible for a failure by reverting subsets of them (delta debugging: halves, then singles).
/// </summary>
/// <remarks>
/// <para><c>CulpritsAsync(fixed, candidates)</c> requires that <c>fixed ∪ candidates</c> fails and <c>fixed</c> passes, and
/// returns culprits C ⊆ candidates such that <c>fixed ∪ (candidates − C)</c> passed a probe. Split the candidates in halves
/// A, B. If <c>fixed ∪ A</c> fails, the culprits of A are found with <c>fixed</c> held; then, if
/// <c>fixed ∪ (A − culprits) ∪ B</c> still fails, B's culprits are found with <c>fixed ∪ (A − culprits)</c> held. If
/// <c>fixed ∪ A</c> passes, the culprits are in B, found with <c>fixed ∪ A</c> held.</para>
/// <para>One culprit among n loops costs about log₂ n + 1 probes; k independent culprits about k·log₂ n. A failure that
/// needs two loops together (one alone passes) is still resolved: the second is found with the first held parallel,
/// and reverted.</para>
/// </remarks>
public static class Bisection
{
    public static async Task<List<Culprit<T>>> CulpritsAsync<T>(IReadOnlyList<T> fixedItems, IReadOnlyList<T> candidates,
        Func<IReadOnlyList<T>, Task<bool>> passes)
    {
        if (candidates.Count == 0) return [];
        if (candidates.Count == 1) return [new Culprit<T>(candidates[0], [.. fixedItems, candidates[0]])];
        var half = candidates.Count / 2;
        var a = candidates.Take(half).ToList();
        var b = candidates.Skip(half).ToList();
        if (!await passes([.. fixedItems, .. a]))
        {
            var inA = await CulpritsAsync(fixedItems, a, passes);
            var keptA = a.Where(x => !inA.Any(c => EqualityComparer<T>.Default.Equals(c.Item, x))).ToList();
            if (await passes([.. fixedItems, .. keptA, .. b])) return inA;
            return [.. inA, .. await CulpritsAsync([.. fixedItems, .. keptA], b, passes)];
        }
        return await CulpritsAsync([.. fixedItems, .. a], b, passes);
    }
}
