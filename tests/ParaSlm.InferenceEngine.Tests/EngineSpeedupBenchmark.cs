using System.Text.Json;
using ParaSlm.Cli;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.InferenceEngine.Tests;

/// <summary>
/// A benchmark, run by hand (`--filter Category=EngineBenchmark`): `paraslm eval --speedup` with the real engine over
/// the two kernels — the planning table, then the suite built from each strategy's plans and from the analyzer's
/// alone, run alternately in one evaluation. It prints the ratios; the checks are that every strategy's build ran with
/// agreeing checksums and is not slower than the analyzer-only build beyond the evaluation's ±10% tie band.
/// </summary>
[TestFixture]
[Explicit("a benchmark: builds and times the kernels (a few minutes on 2 cores)")]
[Category("EngineBenchmark")]
[NonParallelizable]
[Category("E2E")]
public sealed class EngineSpeedupBenchmark
{
    [Test]
    public async Task Each_strategys_build_is_as_fast_as_the_analyzer_only_build()
    {
        var dir = Path.Combine(Path.GetTempPath(), "paraslm-engine-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var suite = Path.Combine(dir, "suite");
        Directory.CreateDirectory(suite);
        var kernels = Path.Combine(SdkWorkspace.Shared.RepositoryRoot, "samples", "kernels");
        // PARASLM_BENCH_SMALL=1: the kernels' small inputs (same code), for a machine too busy for the real sizes.
        var small = Environment.GetEnvironmentVariable("PARASLM_BENCH_SMALL") == "1" ? "#define PARASLM_KERNELS_SMALL\n" : "";
        foreach (var f in new[] { "jacobi2d.c", "spmv.c" }) File.WriteAllText(Path.Combine(suite, f), small + File.ReadAllText(Path.Combine(kernels, f)));
        File.Copy(Path.Combine(kernels, "common.h"), Path.Combine(suite, "common.h"));
        var model = Path.Combine(dir, "standin.gguf");
        StandInModel.Write(model);
        await using var host = new LlamaOllamaHost(model, StandInModel.Name, threads: 1);
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await CommandLine.RunAsync(["eval", "--suite", suite, "--models", StandInModel.Name, "--strategies", "zero-shot,cot,tot", "--endpoint", host.Endpoint.ToString(),
            "--threads", "1", "--speedup", "--runs", Environment.GetEnvironmentVariable("PARASLM_BENCH_RUNS") ?? "5", "--out", Path.Combine(dir, "out"), "--json"], o, e);
        TestContext.Out.WriteLine(o.ToString());
        Assert.That(code, Is.EqualTo(0), e.ToString());
        foreach (var cell in JsonDocument.Parse(o.ToString()).RootElement.GetProperty("cells").EnumerateArray())
        {
            var vs = cell.GetProperty("speedupVsAnalyzer");
            TestContext.Out.WriteLine($"{cell.GetProperty("strategy").GetString()}: vs analyzer {vs}");
            Assert.That(vs.ValueKind, Is.EqualTo(JsonValueKind.Number), "both builds ran with agreeing checksums");
            Assert.That(vs.GetDouble(), Is.GreaterThanOrEqualTo(1 / 1.10));
        }
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }
}
