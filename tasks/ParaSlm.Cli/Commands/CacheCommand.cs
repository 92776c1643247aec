using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Engine.Diagnostics;
using ParaSlm.Engine.Output;
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
                PlanCacheText.WriteStats(stdout, await cache.StatsAsync(cancel));
                return CommandLine.Ok;
            case "list":
                PlanCacheText.WriteList(stdout, await cache.ListAsync(cancel));
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
