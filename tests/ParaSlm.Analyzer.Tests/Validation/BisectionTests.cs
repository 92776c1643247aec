using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>Reverting subsets of the changed loops to find the ones responsible for a failure.</summary>
[TestFixture]
[Category("Unit")]
public sealed class BisectionTests
{
    private static async Task<(List<int> Culprits, int Probes)> Find(int n, Func<IReadOnlyList<int>, bool> passes)
    {
        var probes = 0;
        var all = Enumerable.Range(0, n).ToList();
        var found = await Bisection.CulpritsAsync<int>([], all, set => { probes++; return Task.FromResult(passes(set)); });
        return (found.Select(c => c.Item).Order().ToList(), probes);
    }

    [Test]
    public async Task One_culprit_among_eight_takes_about_log2_probes_and_the_rest_passes()
    {
        var (culprits, probes) = await Find(8, set => !set.Contains(5));
        Assert.That(culprits, Is.EqualTo(new[] { 5 }));
        Assert.That(probes, Is.LessThanOrEqualTo(4));
    }

    [Test]
    public async Task Independent_culprits_are_all_found()
    {
        var (culprits, _) = await Find(7, set => !set.Contains(1) && !set.Contains(6));
        Assert.That(culprits, Is.EqualTo(new[] { 1, 6 }));
    }

    [Test]
    public async Task A_failure_that_needs_two_loops_together_reverts_one_of_them()
    {
        var (culprits, _) = await Find(6, set => !(set.Contains(0) && set.Contains(4)));
        Assert.That(culprits, Has.Count.EqualTo(1));
        Assert.That(culprits[0], Is.AnyOf(0, 4));
    }

    [Test]
    public async Task The_evidence_comes_from_a_probe_that_failed_with_the_culprit_parallel()
    {
        var failing = new List<IReadOnlyList<int>>();
        var found = await Bisection.CulpritsAsync<int>([], [0, 1, 2, 3], set =>
        {
            var ok = !set.Contains(2);
            if (!ok) failing.Add(set);
            return Task.FromResult(ok);
        });
        var c = found.Single();
        Assert.That(c.Item, Is.EqualTo(2));
        Assert.That(c.FailingSet, Does.Contain(2));
        Assert.That(failing.Any(s => s.Order().SequenceEqual(c.FailingSet.Order())) || c.FailingSet.Count == 4, Is.True,
            "the failing set was probed (or is the whole set, whose failure started the bisection)");
    }
}
