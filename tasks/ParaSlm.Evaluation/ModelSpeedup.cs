namespace ParaSlm.Evaluation;

/// <summary>
/// What a model × strategy is worth to the user: its build's speed against the analyzer-only build (`paraslm-gcc`,
/// strategy `analyzer`) of the same evaluation run — same compiler, same flags, runs alternated.
/// </summary>
public static class ModelSpeedup
{
    /// <summary>The analyzer-only ParaSlm build the sweep variants are compared with.</summary>
    public const string AnalyzerVariant = "paraslm-gcc";

    /// <summary>
    /// Geometric mean over the kernels where both builds ran with agreeing checksums of analyzer-only median /
    /// <paramref name="variant"/>'s median (above 1: the model's plans made the program faster); null when none did.
    /// </summary>
    public static double? VsAnalyzer(IReadOnlyList<KernelReport> kernels, string variant)
    {
        var ratios = new List<double>();
        foreach (var k in kernels)
        {
            var a = k.Cells.FirstOrDefault(c => c.Variant == AnalyzerVariant);
            var m = k.Cells.FirstOrDefault(c => c.Variant == variant);
            if (a is not { Status: CellStatus.Ok, Median: > 0 } || m is not { Status: CellStatus.Ok, Median: > 0 }) continue;
            ratios.Add(a.Median.Value / m.Median.Value);
        }
        return ratios.Count == 0 ? null : Stats.GeoMean(ratios);
    }
}
