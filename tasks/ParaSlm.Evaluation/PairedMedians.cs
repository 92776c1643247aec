namespace ParaSlm.Evaluation;

/// <summary>
/// Two variants side by side, kernel by kernel: where both ran and agreed, the peer's median over the ParaSlm build's
/// (above 1: ParaSlm faster). The peer table and the "never slower" check read the same pairs the same way.
/// </summary>
public static class PairedMedians
{
    /// <summary>Each ParaSlm build with the serial build of its own compiler: what parallelizing alone changed.</summary>
    public static readonly IReadOnlyList<(string ParaSlm, string Peer)> SameCompilerSerial =
        [("paraslm-gcc", Variants.SerialGcc), ("paraslm-clang", Variants.SerialClang)];

    /// <summary>Whether both variants are in the report (built or not).</summary>
    public static bool BothListed(IReadOnlyList<KernelReport> kernels, string paraSlm, string peer) =>
        kernels.Count > 0 && kernels[0].Cells.Any(c => c.Variant == paraSlm) && kernels[0].Cells.Any(c => c.Variant == peer);

    /// <summary>The kernels where both ran and agreed, in report order, with peer median / ParaSlm median.</summary>
    public static IEnumerable<(KernelReport Kernel, Cell ParaSlm, Cell Peer, double Ratio)> Of(IReadOnlyList<KernelReport> kernels, string paraSlm, string peer)
    {
        foreach (var k in kernels)
        {
            var a = k.Cells.FirstOrDefault(c => c.Variant == paraSlm);
            var b = k.Cells.FirstOrDefault(c => c.Variant == peer);
            if (a is not { Status: CellStatus.Ok, Median: > 0 } || b is not { Status: CellStatus.Ok, Median: > 0 }) continue;
            yield return (k, a, b, b.Median!.Value / a.Median!.Value);
        }
    }
}
