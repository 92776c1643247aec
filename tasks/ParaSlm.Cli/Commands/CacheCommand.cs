using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Engine.Diagnostics;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Cli.Commands;

/// <summary>`paraslm cache stats|list|clear|export|import|bench [--cache C]`: look after the plan cache.</summary>
public static class CacheCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string> { "--json" }, new HashSet<string> { "--cache", "--file" });
        if (p.Positionals.Count != 1) throw new UsageException("cache takes one of: stats, list, clear, export, import, bench");
        var verb = p.Positionals[0];
        var spec = p.Value("--cache");
        if (verb == "bench")
        {
            await PlanCacheBenchmark.RunAsync(spec, stdout, Report(stderr), cancellationToken: cancel);
            return CommandLine.Ok;
        }
        using var cache = PlanCacheFactory.Open(spec, Report(stderr));
        switch (verb)
        {
            case "stats":
                var s = await cache.StatsAsync(cancel);
                stdout.WriteLine($"cache: {s.Kind} {s.Location} (schema {s.SchemaVersion}, {s.SizeBytes / 1024.0:F1} KiB)");
                stdout.WriteLine($"entries: {s.Entries} (pending {s.Pending}, accepted {s.Accepted}, rejected {s.Rejected}, corrupt {s.Corrupt})");
                if (s.Oldest is { } o && s.Newest is { } nw) stdout.WriteLine($"created: {o:u} … {nw:u}");
                stdout.WriteLine($"model time saved per full re-plan: {s.SavedModelTime.TotalSeconds:F1} s");
                foreach (var (model, count) in s.ByModel) stdout.WriteLine($"  model {model}: {count}");
                foreach (var (strategy, count) in s.ByStrategy) stdout.WriteLine($"  strategy {strategy}: {count}");
                return CommandLine.Ok;
            case "list":
                foreach (var e in await cache.ListAsync(cancel))
                {
                    var plan = e.Plan;
                    var what = plan is null ? "(no entry)" : plan.Proposal.Parallel ? $"parallel {plan.Proposal.ClauseText}".TrimEnd() : "sequential";
                    stdout.WriteLine($"{e.Key.Hash[..16]}  {e.Status.ToString().ToLowerInvariant(),-8} {(e.Intact ? "" : "CORRUPT ")}{plan?.Model} {plan?.Strategy} {what}  {e.Key.Description}{(e.Evidence is null ? "" : "  — " + e.Evidence)}");
                }
                return CommandLine.Ok;
            case "clear":
                await cache.ClearAsync(cancel);
                stdout.WriteLine($"cleared {cache.Location}");
                return CommandLine.Ok;
            case "export":
            {
                var file = p.Value("--file") ?? throw new UsageException("export needs --file PATH");
                await using var stream = File.Create(file);
                var n = await cache.ExportAsync(stream, cancel);
                stdout.WriteLine($"exported {n} entries from {cache.Location} to {file}");
                return CommandLine.Ok;
            }
            case "import":
            {
                var file = p.Value("--file") ?? throw new UsageException("import needs --file PATH");
                if (!File.Exists(file)) { stderr.WriteLine($"paraslm: PSLM0003: {file}: no such file"); return CommandLine.InputError; }
                await using var stream = File.OpenRead(file);
                var r = await cache.ImportAsync(stream, cancel);
                stdout.WriteLine($"imported {r.Imported} entries and {r.Rejections} rejections from {file} into {cache.Location} ({r.Skipped} lines skipped)");
                return CommandLine.Ok;
            }
            default:
                throw new UsageException($"unknown cache command '{verb}' (stats, list, clear, export, import, bench)");
        }
    }

    /// <summary>The store's diagnostics, in the engine's one text form.</summary>
    private static Action<Diagnostic> Report(TextWriter stderr) => d => stderr.WriteLine(DiagnosticText.ForBuild(d, "paraslm"));
}
