using System.Globalization;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Engine.Planning;
using ParaSlm.Evaluation;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm eval`: models × strategies over the sample kernel suite, printing the paper's two tables (per model,
/// per strategy); the sweep itself is <see cref="ModelSweep"/>. With `--speedup`, the suite is also built from
/// each strategy's plans and from the analyzer's alone and run alternately: the last column is the geometric-mean
/// speedup of the strategy's build over the analyzer-only build, in that same run.
/// </summary>
public static class EvalCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string> { "--json", "--speedup" },
            new HashSet<string> { "--models", "--strategies", "--endpoint", "--suite", "--timeout", "--budget", "--threads", "--libclang", "--runs", "--out" });
        if (p.Positionals.Count > 0) throw new UsageException("eval takes no positional arguments (use --suite DIR)");
        var models = List(p.Value("--models")) ?? ModelSweep.DefaultModels;
        var catalog = StrategyCatalog.Create();
        var strategies = List(p.Value("--strategies")) ?? catalog.Names;
        foreach (var s in strategies)
            if (!catalog.ByName.ContainsKey(s)) throw new UsageException($"unknown strategy '{s}' (one of: {string.Join(", ", catalog.Names)})");
        var suite = p.Value("--suite") ?? Path.Combine("samples", "kernels");
        if (!Directory.Exists(suite)) { stderr.WriteLine($"paraslm: PSLM0003: {suite}: no such folder (give the kernel suite with --suite)"); return CommandLine.InputError; }
        var timeout = Seconds(p, "--timeout") ?? PlannerSettings.DefaultRequestTimeout;
        var budget = Seconds(p, "--budget");
        var threads = Count(p, "--threads");

        var options = new ModelSweepOptions(models, strategies, suite, p.Value("--endpoint"), timeout, budget, threads, p.Value("--libclang"),
            p.Has("--speedup"), p.Value("--out"), p.Has("--speedup") ? Count(p, "--runs") ?? 3 : 3);
        ModelSweepResult result;
        try
        {
            result = await ModelSweep.RunAsync(options, stderr, cancel);
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return CommandLine.InputError;
        }

        if (p.Has("--json")) stdout.WriteLine(ModelSweep.ToJson(result));
        else ModelSweep.WriteTables(stdout, result);
        return CommandLine.Ok;
    }

    private static TimeSpan? Seconds(ParsedArguments p, string option)
    {
        if (p.Value(option) is not { } value) return null;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s <= 0)
            throw new UsageException($"{option} needs a positive number");
        return TimeSpan.FromSeconds(s);
    }

    private static int? Count(ParsedArguments p, string option)
    {
        if (p.Value(option) is not { } value) return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4096
            ? n
            : throw new UsageException($"{option} needs a positive whole number");
    }

    private static IReadOnlyList<string>? List(string? csv) =>
        csv is null ? null : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
