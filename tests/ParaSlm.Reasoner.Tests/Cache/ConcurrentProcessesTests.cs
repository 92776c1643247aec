using System.Diagnostics;
using System.Globalization;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Reasoner.Tests.Cache;

/// <summary>
/// Eight processes plan into one new SQLite file at the same moment (tests/ParaSlm.Reasoner.Tests.CacheWorker): each
/// plans 40 nests every worker shares and 10 of its own, then, once all have planned, re-reads them from a fresh connection. No process
/// may fail or warn, and afterwards the file holds every key with the right status. Repeated: races are probabilistic.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("Integration")]
public sealed class ConcurrentProcessesTests
{
    private const int Workers = 8;
    private const int Shared = 40;
    private const int Own = 10;
    private const string WorkerName = "ParaSlm.Reasoner.Tests.CacheWorker";

    private string _workerDll = null!;

    [OneTimeSetUp]
    public void FindWorker() => _workerDll = LocateOrBuildWorker();

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task EightProcesses_PlanIntoOneNewFile_WithoutErrorOrLostEntry(int round)
    {
        var dir = CacheTestData.TempDir();
        try
        {
            var db = Path.Combine(dir, "shared", "plans.db"); // the folder does not exist yet either
            var startAt = DateTimeOffset.UtcNow.AddMilliseconds(1500).ToUnixTimeMilliseconds();
            var runs = Enumerable.Range(0, Workers).Select(w => RunWorkerAsync(db, w, startAt)).ToList();
            var results = await Task.WhenAll(runs);
            foreach (var (w, exit, output) in results)
                TestContext.Out.WriteLine($"round {round} worker {w}: exit {exit} {output.Trim()}");
            Assert.That(results.Where(r => r.Exit != 0).Select(r => $"worker {r.Worker}: exit {r.Exit}: {r.Output}"), Is.Empty);

            var warnings = new Warnings();
            await using var cache = SqlitePlanCache.Open(db, warnings.Add);
            var stats = await cache.StatsAsync();
            var all = Enumerable.Range(0, Shared).Concat(Enumerable.Range(0, Workers).SelectMany(w => Enumerable.Range(1000 * (w + 1), Own))).ToList();
            var rejected = all.Count(x => x % 5 == 4);
            Assert.Multiple(() =>
            {
                Assert.That(stats.Entries, Is.EqualTo(all.Count), "no entry lost");
                Assert.That(stats.Rejected, Is.EqualTo(rejected));
                Assert.That(stats.Accepted, Is.EqualTo(all.Count - rejected));
                Assert.That(stats.Pending, Is.EqualTo(0));
                Assert.That(stats.Corrupt, Is.EqualTo(0));
                Assert.That(warnings.Messages, Is.Empty);
                Assert.That(Directory.GetFiles(Path.GetDirectoryName(db)!, "*.corrupt-*"), Is.Empty);
            });
        }
        finally
        {
            CacheTestData.Delete(dir);
        }
    }

    private async Task<(int Worker, int Exit, string Output)> RunWorkerAsync(string db, int worker, long startAt)
    {
        var psi = new ProcessStartInfo(DotNet())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { _workerDll, db, worker.ToString(CultureInfo.InvariantCulture), Shared.ToString(CultureInfo.InvariantCulture),
                     Own.ToString(CultureInfo.InvariantCulture), startAt.ToString(CultureInfo.InvariantCulture), Workers.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + psi.FileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (worker, -1, "timed out after 2 minutes");
        }
        return (worker, process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The `dotnet` that runs the tests (DOTNET_HOST_PATH under `dotnet test`), else the one on PATH.</summary>
    private static string DotNet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// The worker is built beside the tests (same configuration: artifacts/bin/&lt;project&gt;/&lt;pivot&gt;). When it is
    /// not there (the test project was built alone), it is built once with `dotnet build`.
    /// </summary>
    private static string LocateOrBuildWorker()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var pivot = testBin.Name; // e.g. "debug", "release"
        var bin = testBin.Parent?.Parent?.FullName ?? throw new InvalidOperationException("unexpected test output folder " + testBin.FullName);
        var dll = Path.Combine(bin, WorkerName, pivot, WorkerName + ".dll");
        if (File.Exists(dll)) return dll;

        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ParaSlm.Build.sln"))) root = root.Parent;
        if (root is null) Assert.Fail($"{WorkerName} is not built ({dll}) and the repository root was not found to build it");
        var project = Path.Combine(root!.FullName, "tests", WorkerName, WorkerName + ".csproj");
        var configuration = pivot.StartsWith("release", StringComparison.OrdinalIgnoreCase) ? "Release" : "Debug";
        var psi = new ProcessStartInfo(DotNet()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "build", project, "-c", configuration, "-nologo", "-v", "quiet" }) psi.ArgumentList.Add(a);
        using var build = Process.Start(psi)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(TimeSpan.FromMinutes(5))) build.Kill(entireProcessTree: true);
        if (!File.Exists(dll)) Assert.Fail($"could not build {project} (exit {build.ExitCode}):\n{output.Result}\n{errors.Result}");
        return dll;
    }
}
