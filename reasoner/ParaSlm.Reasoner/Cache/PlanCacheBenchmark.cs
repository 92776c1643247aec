using System.Diagnostics;
using System.Globalization;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Cache;

/// <summary>Measured costs of the plan cache: what a hit costs compared with seconds of model time.</summary>
/// <param name="Open">Opening the store (per process: what every build step pays once).</param>
/// <param name="KeyMedian">Computing one key from facts and source (paid on every lookup).</param>
public sealed record PlanCacheBenchmarkResult(
    string Kind,
    string Location,
    int Iterations,
    TimeSpan Open,
    TimeSpan KeyMedian,
    TimeSpan HitMedian,
    TimeSpan HitP90,
    TimeSpan HitP99,
    TimeSpan MissMedian)
{
    /// <summary>The issue's goal: a hit under a millisecond (median).</summary>
    public bool MeetsHitGoal => HitMedian < TimeSpan.FromMilliseconds(1);
}

/// <summary>
/// Times the cache (for `paraslm cache bench` and the acceptance numbers): open, key computation, hits on a warm store
/// and misses. With no spec it runs on a temporary SQLite file, so the user's cache is untouched; with a spec it
/// uses that store, adding one synthetic entry and removing it afterwards.
/// </summary>
public static class PlanCacheBenchmark
{
    /// <param name="report">Receives the store's PSLM40xx diagnostics (the caller formats them); null: they are dropped.</param>
    public static async Task<PlanCacheBenchmarkResult> RunAsync(string? spec, TextWriter output, Action<Diagnostic>? report = null, int iterations = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations));
        string? tempDir = null;
        if (string.IsNullOrWhiteSpace(spec))
        {
            tempDir = Path.Combine(Path.GetTempPath(), "paraslm-bench-" + Guid.NewGuid().ToString("N"));
            spec = Path.Combine(tempDir, PlanCacheLocation.FileName);
        }
        try
        {
            var openWatch = Stopwatch.StartNew();
            await using var cache = await PlanCacheFactory.OpenAsync(spec, report ?? (_ => { }), null, cancellationToken).ConfigureAwait(false);
            openWatch.Stop();

            var (root, nest, source) = SampleNest();
            string[] args = ["-std=c11", "-O2", "-DN=1024", "-I/usr/include/bench"];
            var keyTimes = new double[iterations];
            PlanCacheKey key = null!;
            for (var i = 0; i < iterations; i++)
            {
                var t = Stopwatch.GetTimestamp();
                key = PlanCacheKeys.Compute(root, nest, source, args, "bench-model:1b", "sha256:" + new string('0', 64), "zero-shot", "zero-shot@bench", "cpu");
                keyTimes[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }
            // A key no real plan has: the benchmark's entry never shadows or removes a real one.
            key = new PlanCacheKey(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray())), "benchmark entry");
            var plan = CachedPlan.Create(key, new PlanProposal(true, ParallelTarget.CpuOpenMP, ["t"], [], [new Reduction("+", "s")]), 0,
                "benchmark", "bench-model:1b", "sha256:" + new string('0', 64), "zero-shot", "zero-shot@bench", "cpu", TimeSpan.FromSeconds(2));
            await cache.PutAsync(plan, cancellationToken).ConfigureAwait(false);
            await cache.MarkAsync(key, PlanStatus.Accepted, "benchmark", cancellationToken).ConfigureAwait(false);
            try
            {
                for (var i = 0; i < Math.Min(100, iterations); i++) await cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false); // warm up
                var hits = new double[iterations];
                var served = 0;
                for (var i = 0; i < iterations; i++)
                {
                    var t = Stopwatch.GetTimestamp();
                    if (await cache.TryGetAsync(key, cancellationToken).ConfigureAwait(false) is not null) served++;
                    hits[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }
                var misses = new double[iterations];
                for (var i = 0; i < iterations; i++)
                {
                    var other = new PlanCacheKey(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))), string.Empty);
                    var t = Stopwatch.GetTimestamp();
                    await cache.TryGetAsync(other, cancellationToken).ConfigureAwait(false);
                    misses[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                }
                var result = new PlanCacheBenchmarkResult(cache.Kind, cache.Location, iterations, openWatch.Elapsed,
                    Ms(Percentile(keyTimes, 0.5)), Ms(Percentile(hits, 0.5)), Ms(Percentile(hits, 0.9)), Ms(Percentile(hits, 0.99)), Ms(Percentile(misses, 0.5)));
                output.WriteLine($"plan cache benchmark: {cache.Kind} {cache.Location} ({iterations} lookups each)");
                output.WriteLine($"  open             {F(result.Open)} ms");
                output.WriteLine($"  key (compute)    median {F(result.KeyMedian)} ms");
                output.WriteLine($"  hit              median {F(result.HitMedian)} ms, p90 {F(result.HitP90)} ms, p99 {F(result.HitP99)} ms " +
                    $"(goal < 1 ms: {(result.MeetsHitGoal ? "met" : "NOT met")}){(served == iterations ? string.Empty : $"; only {served} lookups hit")}");
                output.WriteLine($"  miss             median {F(result.MissMedian)} ms");
                return result;
            }
            finally
            {
                await cache.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            if (tempDir is not null)
            {
                try
                {
                    Directory.Delete(tempDir, recursive: true);
                }
                catch (IOException)
                {
                    // a temp folder left behind is harmless
                }
            }
        }
    }

    private static TimeSpan Ms(double ms) => TimeSpan.FromTicks((long)(ms * TimeSpan.TicksPerMillisecond));

    private static string F(TimeSpan t) => t.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>A matrix-multiply nest with typical facts: the key cost is measured on realistic input.</summary>
    private static (LoopFacts Root, IReadOnlyList<LoopFacts> Nest, string Source) SampleNest()
    {
        const string source = """
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0.0; /* accumulate one element */
                    for (int k = 0; k < N; k++)
                        s += a[i * N + k] * b[k * N + j];
                    c[i * N + j] = s;
                }
            """;
        AccessFact[] accesses =
        [
            new("a", "a[i * N + k]", 4, true, false, ["i * N + k"]),
            new("b", "b[k * N + j]", 4, true, false, ["k * N + j"]),
            new("c", "c[i * N + j]", 5, false, true, ["i * N + j"]),
        ];
        LoopFacts Loop(string id, int line, int depth, string? parent, bool parallel, string[] priv, Reduction[] reductions) =>
            new LoopFacts(id, "bench.c", line, 5, "matmul", depth, parallel, reductions, priv, [], null,
                parallel ? "parallel: no loop-carried dependence" : "sequential: s is carried")
            {
                ParentId = parent,
                Accesses = accesses,
                Header = "i from 0 to N step 1",
                TripCount = 1024,
                Scalars = [new ScalarFact("s", parallel ? "private" : "reduction(+)", "written before read in every iteration")],
                Dependences = [new DependenceFact("output", "c[i * N + j]", 5, "c[i * N + j]", 5, "=", 0, false, "gcd")],
            };
        var root = Loop("bench.c:1:5", 1, 0, null, true, ["s"], []);
        var inner = Loop("bench.c:2:9", 2, 1, root.Id, true, ["s"], []);
        var k = Loop("bench.c:4:13", 4, 2, inner.Id, false, [], [new Reduction("+", "s")]);
        return (root, [root, inner, k], source);
    }
}
