using System.Globalization;
using System.Text.Json;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Reasoner.Tests.CacheWorker;

/// <summary>
/// Plans synthetic loop nests into one plan cache the way a build process does (look up; on a miss "ask the model",
/// store, record the verdict), then checks that every key it planned reads back as expected. Several of these run at
/// once against one new SQLite file. Exit 0: no error and no warning; 1: something was wrong (details on stdout).
/// </summary>
/// <remarks>Usage: CacheWorker DB WORKER SHARED OWN START_UNIX_MS WORKERS. Keys 0..SHARED-1 are planned by every
/// worker, OWN more only by this one; every fifth key is rejected by the "verifier". The check waits until all WORKERS
/// have finished planning: before that, another worker may be between storing a plan and recording its verdict, and
/// the entry is (rightly) still pending.</remarks>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 6)
        {
            Console.Error.WriteLine("usage: CacheWorker DB WORKER SHARED OWN START_UNIX_MS WORKERS");
            return 2;
        }
        var db = args[0];
        var worker = int.Parse(args[1], CultureInfo.InvariantCulture);
        var shared = int.Parse(args[2], CultureInfo.InvariantCulture);
        var own = int.Parse(args[3], CultureInfo.InvariantCulture);
        var startAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[4], CultureInfo.InvariantCulture));
        var workers = int.Parse(args[5], CultureInfo.InvariantCulture);
        var errors = new List<string>();
        var warnings = new List<Diagnostic>();
        int hits = 0, misses = 0, rejectedSeen = 0;

        var indexes = Enumerable.Range(0, shared).Concat(Enumerable.Range(1000 * (worker + 1), own)).ToList();
        var random = new Random(worker);
        // Shuffled so that the processes meet on the same keys in different orders.
        indexes = indexes.OrderBy(_ => random.Next()).ToList();

        // Start together: process start-up times differ by more than the work takes.
        var wait = startAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);

        try
        {
            await using (var cache = PlanCacheFactory.Open(db, m => { lock (warnings) warnings.Add(m); }))
            {
                foreach (var x in indexes)
                {
                    var key = KeyOf(x);
                    var lookup = await cache.LookupAsync(key);
                    switch (lookup.Kind)
                    {
                        case PlanLookupKind.Hit:
                            hits++;
                            break;
                        case PlanLookupKind.Rejected:
                            rejectedSeen++;
                            break;
                        case PlanLookupKind.Corrupt:
                            errors.Add($"key {x}: corrupt entry");
                            break;
                        default:
                            misses++;
                            await Task.Delay(random.Next(0, 3)); // the "model"
                            var plan = CachedPlan.Create(key, PlanProposal.Sequential with { Parallel = true, Target = ParallelTarget.CpuOpenMP }, 0,
                                $"worker {worker}", "worker-model", "sha256:worker", "zero-shot", "zero-shot@1", "cpu", TimeSpan.FromMilliseconds(1500));
                            await cache.PutAsync(plan);
                            await cache.MarkAsync(key, x % 5 == 4 ? PlanStatus.Rejected : PlanStatus.Accepted, $"verdict of worker {worker}");
                            break;
                    }
                }
            }

            if (!await AllDoneAsync(db, worker, workers)) errors.Add("the other workers did not finish planning within 2 minutes");

            // A fresh instance: what another process sees afterwards.
            await using (var check = PlanCacheFactory.Open(db, m => { lock (warnings) warnings.Add(m); }))
            {
                foreach (var x in indexes)
                {
                    var lookup = await check.LookupAsync(KeyOf(x));
                    var expected = x % 5 == 4 ? PlanLookupKind.Rejected : PlanLookupKind.Hit;
                    if (lookup.Kind != expected) errors.Add($"key {x}: {lookup.Kind}, expected {expected}");
                }
            }
        }
        catch (Exception e)
        {
            errors.Add("exception: " + e);
        }
        errors.AddRange(warnings.Select(w => $"{w.Severity}: {w}"));
        Console.WriteLine(JsonSerializer.Serialize(new { worker, hits, misses, rejectedSeen, errors }));
        return errors.Count == 0 ? 0 : 1;
    }

    /// <summary>Marks this worker done planning and waits for the others (a file per worker beside the database).</summary>
    private static async Task<bool> AllDoneAsync(string db, int worker, int workers)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(db))!;
        await File.WriteAllTextAsync(Path.Combine(dir, $"worker-{worker}.done"), string.Empty);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (Directory.GetFiles(dir, "worker-*.done").Length < workers)
        {
            if (DateTimeOffset.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary>The key of synthetic nest <paramref name="x"/>: one loop whose subscript differs per nest.</summary>
    public static PlanCacheKey KeyOf(int x)
    {
        var loop = new LoopFacts($"w{x}.c:1:1", $"w{x}.c", 1, 1, "f", 0, true, [], [], [], null, "parallel: no loop-carried dependence")
        {
            Accesses = [new AccessFact("a", $"a[i + {x}]", 2, false, true, [$"i + {x}"])],
        };
        return PlanCacheKeys.Compute(loop, [loop], $"for (int i = 0; i < n; i++) a[i + {x}] = 0;", ["-std=c11"],
            "worker-model", "sha256:worker", "zero-shot", "zero-shot@1", "cpu");
    }
}
