using System.Globalization;

namespace ParaSlm.Evaluation;

/// <summary>
/// Which kernels (or suite programs) get more alternating rounds after the first <see cref="Runs"/>: those whose times
/// spread widely, in any variant, run until <see cref="MaxRuns"/>. On a shared VM a memory-bound kernel's run can take
/// twice as long at random (bfs: 1.1–2.4 s for the same binary), and the median of five such runs lands either side of a
/// 5% margin by chance. The rule reads only each variant's own spread, never which variant is faster, so the extra
/// rounds cannot favour one; every variant of a noisy kernel runs them, alternating as before.
/// </summary>
/// <param name="Runs">Rounds every kernel runs.</param>
/// <param name="MaxRuns">Rounds in all for a noisy kernel (equal to <paramref name="Runs"/>: never more).</param>
/// <param name="SpreadLimit">A variant is noisy when (slowest − fastest) / median of its runs exceeds this.</param>
public sealed record ExtraRounds(int Runs, int MaxRuns, double SpreadLimit = ExtraRounds.DefaultSpreadLimit)
{
    /// <summary>15%: a quiet kernel's five runs stay within a few percent here; a bimodal one spreads 50–100%.</summary>
    public const double DefaultSpreadLimit = 0.15;

    /// <summary>Three times the rounds: the median of 15 needs 8 slow runs to move, against 3 of 5.</summary>
    public static int DefaultMaxRuns(int runs) => 3 * runs;

    /// <summary>(slowest − fastest) / median; 0 for fewer than two runs.</summary>
    public static double Spread(IReadOnlyCollection<double> times)
    {
        if (times.Count < 2) return 0;
        var median = Stats.Median(times);
        return median > 0 ? (times.Max() - times.Min()) / median : 0;
    }

    /// <summary>
    /// The kernels to run again, in the order given, each with the variant whose spread was largest (for the progress
    /// line). <paramref name="times"/> gives a kernel's runs per variant so far.
    /// </summary>
    public IReadOnlyList<NoisyKernel> Noisy(IEnumerable<(string Kernel, IReadOnlyDictionary<string, IReadOnlyCollection<double>> Times)> times)
    {
        if (MaxRuns <= Runs) return [];
        var noisy = new List<NoisyKernel>();
        foreach (var (kernel, byVariant) in times)
        {
            var widest = byVariant.Select(v => (Variant: v.Key, Times: v.Value, Spread: Spread(v.Value)))
                .OrderByDescending(v => v.Spread).ThenBy(v => v.Variant, StringComparer.Ordinal).FirstOrDefault();
            if (widest.Times is not null && widest.Spread > SpreadLimit)
                noisy.Add(new NoisyKernel(kernel, widest.Variant, widest.Times.Min(), widest.Times.Max(), widest.Spread));
        }
        return noisy;
    }

    /// <summary>
    /// The same, for runners that keep runs per (kernel, variant): <paramref name="times"/> gives a kernel's runs in one
    /// variant so far, or null where that variant has none to read (not run yet, or a run failed).
    /// </summary>
    public IReadOnlyList<NoisyKernel> Noisy(IEnumerable<string> kernels, IReadOnlyList<string> variants,
        Func<string, string, IReadOnlyCollection<double>?> times) =>
        Noisy(kernels.Select(kernel => (kernel, (IReadOnlyDictionary<string, IReadOnlyCollection<double>>)variants
            .Select(variant => (Variant: variant, Times: times(kernel, variant)))
            .Where(v => v.Times is not null)
            .ToDictionary(v => v.Variant, v => v.Times!, StringComparer.Ordinal))));

    /// <summary>The progress line before the extra rounds.</summary>
    public string Announce(IReadOnlyList<NoisyKernel> noisy) => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(", ", noisy)}: times spread more than {SpreadLimit * 100:F0}%, {MaxRuns - Runs} more alternating rounds for {(noisy.Count == 1 ? "it" : "them")}");

    /// <summary>The report's words for the rule and what it did, e.g. "15 for bfs, dijkstra: their times spread more than 15% in the first 5".</summary>
    public string Describe(IReadOnlyList<string> noisy) =>
        noisy.Count == 0 || MaxRuns <= Runs
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture,
                $"{MaxRuns} for {string.Join(", ", noisy)}: their times spread more than {SpreadLimit * 100:F0}% in the first {Runs}");
}

/// <summary>A kernel whose times spread past the limit: the widest variant and its fastest and slowest run so far.</summary>
public sealed record NoisyKernel(string Kernel, string Variant, double Fastest, double Slowest, double Spread)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Kernel} ({Variant} {Fastest:F3}–{Slowest:F3} s, spread {Spread * 100:F0}%)");
}
