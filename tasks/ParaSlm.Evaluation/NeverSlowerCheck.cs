using System.Globalization;

namespace ParaSlm.Evaluation;

/// <summary>One ParaSlm build against the serial build of its own compiler: the kernel where it gains least, and every
/// kernel below <see cref="NeverSlowerCheck.Floor"/> of that serial build.</summary>
public sealed record NeverSlowerResult(string ParaSlm, string Serial, int Kernels, string? Lowest, double? LowestRatio,
    IReadOnlyList<(string Kernel, double Ratio)> Below);

/// <summary>
/// "Never slower" as a user reads it: their program built with ParaSlm against the same program built serially with the
/// same compiler (README's main job compares the same way). The table's speedups are over the faster of the two serial
/// builds, which also carries the gap between gcc's and clang's serial code that no parallelization changes; this check
/// leaves that gap out and reads only what parallelizing did.
/// </summary>
public static class NeverSlowerCheck
{
    /// <summary>Below this ratio (serial median / ParaSlm median) a kernel counts as slower than serial.</summary>
    public const double Floor = 0.95;

    /// <summary>Each pair of builds both present in the report, over the kernels where both ran and agreed.</summary>
    public static IReadOnlyList<NeverSlowerResult> Of(EvaluationReport r)
    {
        var results = new List<NeverSlowerResult>();
        foreach (var (p, s) in PairedMedians.SameCompilerSerial)
        {
            if (r.Variants.All(v => v.Name != p) || r.Variants.All(v => v.Name != s)) continue;
            var ratios = PairedMedians.Of(r.Kernels, p, s).Select(x => (Kernel: x.Kernel.Name, x.Ratio)).ToList();
            var lowest = ratios.OrderBy(x => x.Ratio).FirstOrDefault();
            results.Add(new NeverSlowerResult(p, s, ratios.Count, ratios.Count == 0 ? null : lowest.Kernel, ratios.Count == 0 ? null : lowest.Ratio,
                ratios.Where(x => x.Ratio < Floor).OrderBy(x => x.Ratio).ToList()));
        }
        return results;
    }

    /// <summary>One line per ParaSlm build, e.g. `paraslm-gcc against serial-gcc: lowest 0.99x (bfs); none below 0.95x (11 kernels)`.</summary>
    public static IEnumerable<string> Lines(EvaluationReport r) => Of(r).Select(x => x.Lowest is null
        ? $"{x.ParaSlm} against {x.Serial}: no {Unit(r)} where both ran and agreed"
        : string.Create(CultureInfo.InvariantCulture,
            $"{x.ParaSlm} against {x.Serial}: lowest {Ratio(x.LowestRatio!.Value)} ({x.Lowest}); ") +
          (x.Below.Count == 0
              ? string.Create(CultureInfo.InvariantCulture, $"none below {Floor:F2}x ({x.Kernels} {Unit(r)})")
              : string.Create(CultureInfo.InvariantCulture, $"below {Floor:F2}x: ") +
                string.Join(", ", x.Below.Select(b => $"{b.Kernel} {Ratio(b.Ratio)}")) +
                string.Create(CultureInfo.InvariantCulture, $" (of {x.Kernels} {Unit(r)})")));

    /// <summary>Two decimals, or three where two would round a ratio below the floor up to it (0.947 is not "0.95").</summary>
    private static string Ratio(double x) =>
        x.ToString(x < Floor && Math.Round(x, 2) >= Floor ? "F3" : "F2", CultureInfo.InvariantCulture) + "x";

    private static string Unit(EvaluationReport r) => r.Kind == EvaluationReport.ProjectSuite ? "programs" : "kernels";
}
