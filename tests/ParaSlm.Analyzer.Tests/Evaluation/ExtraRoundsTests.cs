using ParaSlm.Evaluation;

namespace ParaSlm.Analyzer.Tests.Evaluation;

/// <summary>
/// The extra-rounds rule of `paraslm evaluate`: a kernel whose runs spread widely in any variant runs again until
/// --max-runs; the choice reads each variant's own spread only, so it is the same whichever variant is faster.
/// </summary>
[TestFixture]
public sealed class ExtraRoundsTests
{
    private static IReadOnlyDictionary<string, IReadOnlyCollection<double>> Times(params (string Variant, double[] Runs)[] v) =>
        v.ToDictionary(x => x.Variant, x => (IReadOnlyCollection<double>)x.Runs);

    [Test]
    public void Spread_is_the_range_over_the_median_and_zero_for_one_run()
    {
        Assert.That(ExtraRounds.Spread([1.0, 1.2, 2.0]), Is.EqualTo(1.0 / 1.2).Within(1e-12));
        Assert.That(ExtraRounds.Spread([0.7]), Is.EqualTo(0));
        Assert.That(ExtraRounds.Spread([]), Is.EqualTo(0));
    }

    [Test]
    public void A_kernel_is_run_again_when_any_variant_spreads_past_the_limit_and_the_widest_variant_is_named()
    {
        var rounds = new ExtraRounds(5, 15);
        var noisy = rounds.Noisy(
        [
            ("quiet", Times(("serial-gcc", [1.00, 1.02, 0.99, 1.01, 1.03]), ("paraslm-gcc", [0.50, 0.51, 0.52, 0.50, 0.49]))),
            ("bfs", Times(("serial-gcc", [1.10, 1.15, 1.12, 1.11, 1.13]), ("paraslm-gcc", [1.2, 2.3, 1.2, 1.25, 2.2]))),
        ]);
        Assert.That(noisy.Select(n => n.Kernel), Is.EqualTo(new[] { "bfs" }));
        Assert.That(noisy[0].Variant, Is.EqualTo("paraslm-gcc"));
        Assert.That(noisy[0].Fastest, Is.EqualTo(1.2));
        Assert.That(noisy[0].Slowest, Is.EqualTo(2.3));
        Assert.That(rounds.Announce(noisy), Does.Contain("bfs (paraslm-gcc 1.200–2.300 s").And.Contain("10 more alternating rounds for it"));
    }

    [Test]
    public void The_choice_does_not_depend_on_which_variant_is_faster()
    {
        var rounds = new ExtraRounds(3, 9);
        double[] fast = [0.5, 0.9, 0.5], slow = [1.0, 1.01, 1.02];
        var a = rounds.Noisy([("k", Times(("serial", slow), ("parallel", fast)))]);
        var b = rounds.Noisy([("k", Times(("serial", fast), ("parallel", slow)))]);
        Assert.That(a.Select(n => n.Kernel), Is.EqualTo(b.Select(n => n.Kernel)).And.EqualTo(new[] { "k" }));
        Assert.That(rounds.Noisy([("k", Times(("serial", slow), ("parallel", [0.5, 0.52, 0.51])))]), Is.Empty, "both quiet");
    }

    [Test]
    public void No_extra_rounds_when_max_runs_equals_runs_and_the_words_say_nothing()
    {
        var rounds = new ExtraRounds(5, 5);
        Assert.That(rounds.Noisy([("bfs", Times(("serial-gcc", [1.0, 2.0, 1.0, 2.0, 1.0])))]), Is.Empty);
        Assert.That(rounds.Describe(["bfs"]), Is.Empty);
        Assert.That(new ExtraRounds(5, 15).Describe(["bfs", "dijkstra"]),
            Is.EqualTo("15 for bfs, dijkstra: their times spread more than 15% in the first 5"));
    }

    [Test]
    public void A_variant_without_usable_runs_is_left_out_of_the_spread()
    {
        // A failed run leaves its variant without times: the kernel is judged by the variants that ran.
        var rounds = new ExtraRounds(3, 9);
        var runs = new Dictionary<(string, string), double[]>
        {
            [("k", "serial")] = [1.0, 1.01, 1.02],
            [("k", "paraslm")] = [0.5, 0.9, 0.5],
            [("q", "serial")] = [1.0, 1.01, 1.02],
        };
        var noisy = rounds.Noisy(["k", "q"], ["serial", "paraslm", "failed"],
            (kernel, variant) => runs.TryGetValue((kernel, variant), out var t) ? t : null);
        Assert.That(noisy.Select(n => n.Kernel), Is.EqualTo(new[] { "k" }));
        Assert.That(noisy[0].Variant, Is.EqualTo("paraslm"));
    }
}
