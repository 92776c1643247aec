using ParaSlm.Engine.Reporting;

namespace ParaSlm.Evaluation;

/// <summary>
/// The rules both evaluations (the kernel suite and `--suite` projects) share for one program × variant cell: which
/// serial build is the baseline, and which cells never reach an output comparison.
/// </summary>
internal static class CellJudgement
{
    /// <summary>The baseline: the faster serial build by median time, among those that ran without failing.</summary>
    /// <param name="times">A serial variant's times, or null when it did not run or failed.</param>
    public static (string? Name, double? Seconds) FasterSerial(Func<string, IReadOnlyCollection<double>?> times)
    {
        var fastest = new[] { Variants.SerialGcc, Variants.SerialClang }
            .Select(n => (Name: n, Times: times(n)))
            .Where(x => x.Times is { Count: > 0 })
            .Select(x => (x.Name, Median: Stats.Median(x.Times!)))
            .OrderBy(x => x.Median)
            .FirstOrDefault();
        return fastest.Name is null ? (null, null) : (fastest.Name, fastest.Median);
    }

    /// <summary>
    /// The cell of a variant that was not built, failed, never ran, or has no baseline to compare with; null when its
    /// outputs are to be judged against the baseline (the caller then builds the cell).
    /// </summary>
    /// <param name="subject">"kernel" or "program", as the report's reason names it.</param>
    public static Cell? Unjudged(string variant, (string Status, string Reason)? notBuilt, string? runFailure, IReadOnlyList<double> times,
        string? checksum, bool hasBaseline, string subject, string? note)
    {
        if (notBuilt is { } nb) return new Cell(variant, nb.Status, nb.Reason, [], null, null, null, null, null, note);
        if (runFailure is not null) return new Cell(variant, CellStatus.RunFailed, runFailure, times, null, null, checksum, null, null, note);
        if (times.Count == 0) return new Cell(variant, CellStatus.RunFailed, "not run", [], null, null, null, null, null, note);
        if (!hasBaseline)
            return new Cell(variant, CellStatus.NoBaseline, $"no serial build of this {subject} ran", times, Stats.Median(times), null, checksum, null, null, note);
        return null;
    }
}
