using ParaSlm.Engine.Reporting;
using ParaSlm.Evaluation;

namespace ParaSlm.Analyzer.Tests.Evaluation;

/// <summary>"Never slower" is read against the same compiler's serial build, not the faster of the two compilers'.</summary>
[TestFixture]
public sealed class NeverSlowerCheckTests
{
    private static Cell Ok(string variant, double median) => new(variant, CellStatus.Ok, null, [median], median, null, "1", true, 0, null);

    private static EvaluationReport Report(params KernelReport[] kernels)
    {
        var names = new[] { "serial-gcc", "serial-clang", "paraslm-gcc", "paraslm-clang" };
        var variants = names.Select(v => new VariantInfo(v, v, "cc", "1", "-O3", v.StartsWith("paraslm", StringComparison.Ordinal), null)).ToList();
        return new EvaluationReport("suite", DateTimeOffset.UtcNow, new MachineInfo("cpu", 2, "linux", null, null), 3, 2, "analyzer", null,
            variants, kernels, [.. names.Select(v => new GeoMean(v, 1.0, kernels.Length, kernels.Length, []))], new Calibration(2, 1.0, 0.5, 2.0, null), [], null, null, 1.0);
    }

    private static KernelReport Kernel(string name, double serialGcc, double serialClang, double paraslmGcc, double paraslmClang) =>
        new(name, name + ".c", null, "serial-clang", Math.Min(serialGcc, serialClang), "1",
            [Ok("serial-gcc", serialGcc), Ok("serial-clang", serialClang), Ok("paraslm-gcc", paraslmGcc), Ok("paraslm-clang", paraslmClang)]);

    [Test]
    public void A_gcc_build_as_fast_as_gccs_serial_build_is_not_slower_even_when_clangs_serial_code_is_faster()
    {
        // bfs-like: gcc's serial code is 0.7x of clang's; ParaSlm's gcc build runs at gcc's serial speed.
        var r = Report(Kernel("walk", serialGcc: 1.43, serialClang: 1.0, paraslmGcc: 1.44, paraslmClang: 0.99),
                       Kernel("grid", serialGcc: 1.0, serialClang: 1.0, paraslmGcc: 0.5, paraslmClang: 0.52));

        var results = NeverSlowerCheck.Of(r);

        Assert.That(results.Select(x => (x.ParaSlm, x.Serial)), Is.EqualTo(new[] { ("paraslm-gcc", "serial-gcc"), ("paraslm-clang", "serial-clang") }));
        Assert.That(results.All(x => x.Below.Count == 0), Is.True);
        Assert.That(results[0].Lowest, Is.EqualTo("walk"));
        Assert.That(results[0].LowestRatio, Is.EqualTo(1.43 / 1.44).Within(1e-12));
        Assert.That(NeverSlowerCheck.Lines(r).First(), Is.EqualTo("paraslm-gcc against serial-gcc: lowest 0.99x (walk); none below 0.95x (2 kernels)"));
    }

    [Test]
    public void A_parallel_build_slower_than_its_own_serial_build_is_named_with_its_ratio()
    {
        var r = Report(Kernel("sparse", serialGcc: 1.0, serialClang: 1.2, paraslmGcc: 1.25, paraslmClang: 0.6),
                       Kernel("dense", serialGcc: 1.0, serialClang: 1.0, paraslmGcc: 1.02, paraslmClang: 0.5));

        var gcc = NeverSlowerCheck.Of(r)[0];

        Assert.That(gcc.Below.Select(b => b.Kernel), Is.EqualTo(new[] { "sparse" }), "0.98x (dense) is within the floor, 0.80x (sparse) is not");
        Assert.That(NeverSlowerCheck.Lines(r).First(), Is.EqualTo("paraslm-gcc against serial-gcc: lowest 0.80x (sparse); below 0.95x: sparse 0.80x (of 2 kernels)"));
        Assert.That(EvaluationReportWriter.ConsoleText(r, "/tmp/out"), Does.Contain("never slower: paraslm-gcc against serial-gcc: lowest 0.80x (sparse); below 0.95x"));
    }

    [Test]
    public void A_ratio_just_below_the_floor_is_not_printed_as_the_floor()
    {
        var r = Report(Kernel("close", serialGcc: 0.948, serialClang: 1.0, paraslmGcc: 1.0, paraslmClang: 1.0));

        Assert.That(NeverSlowerCheck.Lines(r).First(), Is.EqualTo("paraslm-gcc against serial-gcc: lowest 0.948x (close); below 0.95x: close 0.948x (of 1 kernels)"));
    }

    [Test]
    public void A_kernel_whose_parallel_build_failed_or_disagreed_is_left_out()
    {
        var kernel = Kernel("broken", 1.0, 1.0, 9.0, 0.5);
        var failed = kernel with { Cells = [.. kernel.Cells.Select(c => c.Variant == "paraslm-gcc" ? c with { Status = CellStatus.ChecksumDiffers, ChecksumAgrees = false } : c)] };
        var r = Report(failed);

        Assert.That(NeverSlowerCheck.Of(r)[0].Kernels, Is.Zero);
        Assert.That(NeverSlowerCheck.Lines(r).First(), Is.EqualTo("paraslm-gcc against serial-gcc: no kernels where both ran and agreed"));
    }
}
