using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Evaluation;

/// <summary>
/// `paraslm evaluate --suite DIR` on a CMake project of ours with two timed programs (Fixtures/EvalSuiteApp) and its
/// paraslm-suite.json, end to end: the real `paraslm` CLI, the ParaSlm builds through the SDK package this repository
/// built (`dotnet build app.proj`), the peers through CMake with their flags, real gcc and clang, one round.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("E2E")]
public sealed class EvaluateProjectSuiteTests
{
    private static readonly string[] Variants = ["serial-gcc", "serial-clang", "paraslm-gcc", "paraslm-clang", "gcc-autopar", "clang-polly"];

    private static string Cli(SdkWorkspace ws)
    {
        var configuration = typeof(EvaluateProjectSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ParaSlmConfiguration").Value!.ToLowerInvariant();
        var cli = Path.Combine(ws.RepositoryRoot, "artifacts", "bin", "ParaSlm.Cli", configuration, "paraslm.dll");
        Assert.That(cli, Does.Exist, "the CLI is built with the solution (bash .ci/build)");
        return cli;
    }

    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static JsonElement Cell(JsonElement report, string program, string variant) =>
        report.GetProperty("kernels").EnumerateArray().Single(k => k.GetProperty("name").GetString() == program)
            .GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("variant").GetString() == variant);

    [Test]
    public void Evaluate_builds_a_CMake_project_as_a_user_would_times_both_programs_and_reports_a_differing_output()
    {
        var ws = SdkWorkspace.Shared;
        var dir = ws.Copy(Path.Combine(ws.Fixtures, "EvalSuiteApp"), "evaluate");
        var before = Hashes(dir);
        var outDir = dir + "-out";
        var run = ProcessRunner.Run("dotnet", [Cli(ws), "evaluate", "--suite", dir, "--out", outDir, "--runs", "1", "--threads", "2", "--json",
            "--calibration-iterations", "2000000"], dir, ws.Environment, TimeSpan.FromMinutes(20)).ShouldSucceed();

        using var doc = JsonDocument.Parse(run.StandardOutput);
        var report = doc.RootElement;
        Assert.That(report.GetProperty("kind").GetString(), Is.EqualTo("project"));
        Assert.That(report.GetProperty("kernels").EnumerateArray().Select(k => k.GetProperty("name").GetString()), Is.EqualTo(new[] { "scale", "prefix" }));
        Assert.That(report.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("name").GetString()), Is.EqualTo(Variants));
        Assert.That(report.GetProperty("timeRule").GetString(), Does.Contain("/kernel: (?<time>[0-9.]+) ms/ in stdout (ms)").And.Contain("wall time"));

        // scale: every build ran and printed the same numbers at their precision.
        foreach (var v in Variants)
        {
            var c = Cell(report, "scale", v);
            Assert.That(c.GetProperty("status").GetString(), Is.EqualTo("ok"), $"scale × {v}: {c.GetProperty("reason")}");
            Assert.That(c.GetProperty("times").GetArrayLength(), Is.EqualTo(1));
            Assert.That(c.GetProperty("speedup").GetDouble(), Is.GreaterThan(0));
        }
        Assert.That(Cell(report, "scale", "paraslm-gcc").GetProperty("note").GetString(), Does.Match(@"^[1-9]\d* of \d+ loops parallel in scale\.c$"),
            "the engine, run by the SDK, parallelized scale's loops");
        foreach (var v in new[] { "paraslm-gcc", "paraslm-clang" })
            Assert.That(report.GetProperty("variants").EnumerateArray().Single(x => x.GetProperty("name").GetString() == v).GetProperty("description").GetString(),
                Does.Contain("ParaSlm (analyzer) rewrote"));

        // prefix prints 2.47 with gcc and 2.50 with clang: every clang build differs from the gcc reference, and says where
        // (number 3: "x[N-1] = …" holds two numbers, -1 and the value).
        foreach (var v in Variants)
        {
            var c = Cell(report, "prefix", v);
            if (v.Contains("clang", StringComparison.Ordinal))
            {
                Assert.That(c.GetProperty("status").GetString(), Is.EqualTo("checksum-differs"), $"prefix × {v}");
                Assert.That(c.GetProperty("reason").GetString(), Does.Contain("stdout differs from serial-gcc's: number 3 (line 2) is 2.50, the reference has 2.47 (printed precision 0.01)"));
            }
            else
            {
                Assert.That(c.GetProperty("status").GetString(), Is.EqualTo("ok"), $"prefix × {v}: {c.GetProperty("reason")}");
            }
        }

        // Each build got the suite's -D setting and only its own flags, with its own compiler.
        string Cache(string v) => File.ReadAllText(Path.Combine(outDir, "build", v, "CMakeCache.txt"));
        Assert.That(Cache("gcc-autopar"), Does.Contain("CMAKE_C_FLAGS:STRING=-ftree-parallelize-loops=2").And.Contain("SCALE_N:STRING=2000000"));
        Assert.That(Cache("clang-polly"), Does.Contain("-mllvm -polly -mllvm -polly-parallel -fopenmp"));
        Assert.That(Cache("paraslm-clang"), Does.Match(@"CMAKE_C_COMPILER:\w+=\S*clang").And.Contain("SCALE_N:STRING=2000000"));
        Assert.That(Cache("serial-gcc"), Does.Contain("CMAKE_C_FLAGS:STRING=\n").And.Contain("CMAKE_BUILD_TYPE:STRING=Release"));

        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.That(md, Does.Contain("| scale").And.Contain("Fastest build per program").And.Contain("machine ceiling"));
        Assert.That(Hashes(dir).Where(h => before.ContainsKey(h.Key)), Is.EquivalentTo(before), "the project's files are untouched");
    }
}
