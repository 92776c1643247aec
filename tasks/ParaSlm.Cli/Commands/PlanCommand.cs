using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Engine.Inputs;
using ParaSlm.Engine.Output;
using ParaSlm.Engine.Diagnostics;
using ParaSlm.Engine.Planning;
using ParaSlm.Reasoner.Ollama;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm plan FILE|compile_commands.json [...]`: the final, verified plan for every `for` loop.
/// `auto` uses tree-of-thoughts with the model when the endpoint has it, else the analyzer's plan.
/// </summary>
public static class PlanCommand
{
    private static readonly HashSet<string> Flags = ["--json"];
    private static readonly HashSet<string> Options = ["--endpoint", "--model", "--strategy", "--cache", "--assume-pure", "--timeout", "--budget", "--threads", "--target", "--libclang"];
    private static readonly HashSet<string> Strategies = ["auto", "analyzer", "zero-shot", "few-shot", "cot", "step-by-step", "react", "tot"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, Flags, Options);
        if (p.Positionals.Count != 1) throw new UsageException("plan takes exactly one FILE or compile_commands.json");
        var settings = Settings(p);

        var input = p.Positionals[0];
        var options = new AnalyzerOptions { LibClangPath = p.Value("--libclang"), AssumePure = AnalyzeCommand.SplitNames(p.Values("--assume-pure")) };
        try
        {
            IReadOnlyList<CompileCommand> units = input.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? CompileCommandsReader.Read(input)
                : [new CompileCommand(input, p.Passthrough, Environment.CurrentDirectory)];
            using var analyzer = new SourceAnalyzer(options);
            using var session = new PlannerSession(settings, new PlannerLog(d => stderr.WriteLine(DiagnosticText.ForBuild(d, "paraslm")), line => stderr.WriteLine("paraslm: " + line)));
            var plans = await session.PlanUnitsAsync(analyzer, units, input, cancel);
            if (p.Has("--json")) PlanJson.Write(stdout, plans);
            else PlanText.Write(stdout, plans);
            if (session.Usage is { } u && (u.ModelCalls > 0 || u.CacheHits > 0))
                stderr.WriteLine($"paraslm: {session.StrategyName} with {settings.Model}: {u.Nests} loop nests, {u.ModelCalls} model calls, {u.CacheHits} cache hits, {u.ModelTime.TotalSeconds:F1} s in the model, {u.FallbackNests} planned by the analyzer");
            return CommandLine.Ok;
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException or EngineInputException or IOException)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return CommandLine.InputError;
        }
    }

    /// <summary>Strategy, model, endpoint, per-request timeout, total budget and target from the command line.</summary>
    public static PlannerSettings Settings(ParsedArguments p)
    {
        var strategy = p.Value("--strategy") ?? PlannerSettings.DefaultStrategy;
        if (!Strategies.Contains(strategy)) throw new UsageException($"unknown strategy '{strategy}' (one of: {string.Join(", ", Strategies)})");
        var timeout = Seconds(p.Value("--timeout"), "--timeout") ?? PlannerSettings.DefaultRequestTimeout;
        var budget = Seconds(p.Value("--budget"), "--budget");
        int? threads = p.Value("--threads") is { } th
            ? int.TryParse(th, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4096 ? n : throw new UsageException("--threads needs a positive number of inference threads")
            : null;
        var target = p.Value("--target") ?? "cpu";
        if (target is not ("cpu" or "gpu" or "auto")) throw new UsageException("--target is cpu, gpu or auto");
        return new PlannerSettings(strategy, p.Value("--model") ?? OllamaClientOptions.DefaultModel, p.Value("--endpoint"), timeout, budget, target, p.Value("--cache"), threads);
    }

    private static TimeSpan? Seconds(string? value, string option)
    {
        if (value is null) return null;
        if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) || s <= 0)
            throw new UsageException($"{option} needs a positive number of seconds");
        return TimeSpan.FromSeconds(s);
    }
}
