using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Cli.Inputs;
using ParaSlm.Cli.Output;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm plan FILE|compile_commands.json [...]`: the final, verified plan for every `for` loop.
/// This version plans with the analyzer (strategy `analyzer`; `auto` uses it too).
/// </summary>
public static class PlanCommand
{
    private static readonly HashSet<string> Flags = ["--json"];
    private static readonly HashSet<string> Options = ["--endpoint", "--model", "--strategy", "--cache", "--assume-pure", "--timeout", "--libclang"];
    private static readonly HashSet<string> Strategies = ["auto", "analyzer", "zero-shot", "few-shot", "cot", "step-by-step", "react", "tot"];

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, Flags, Options);
        if (p.Positionals.Count != 1) throw new UsageException("plan takes exactly one FILE or compile_commands.json");
        var strategy = p.Value("--strategy") ?? "auto";
        if (!Strategies.Contains(strategy)) throw new UsageException($"unknown strategy '{strategy}' (one of: {string.Join(", ", Strategies)})");
        if (p.Value("--timeout") is { } t && (!double.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var secs) || secs <= 0))
            throw new UsageException("--timeout needs a positive number of seconds");
        if (strategy is not ("auto" or "analyzer"))
            throw new UsageException($"strategy '{strategy}' needs the model reasoner, which this version of paraslm does not include; use --strategy analyzer");
        if (strategy == "auto")
            stderr.WriteLine("paraslm: PSLM3001: info: no model strategy is available in this version; using the analyzer's plan");

        var input = p.Positionals[0];
        var options = new AnalyzerOptions { LibClangPath = p.Value("--libclang"), AssumePure = AnalyzeCommand.SplitNames(p.Values("--assume-pure")) };
        try
        {
            IReadOnlyList<CompileCommand> units = input.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? CompileCommandsReader.Read(input)
                : [new CompileCommand(input, p.Passthrough, Environment.CurrentDirectory)];
            using var analyzer = new SourceAnalyzer(options);
            var plans = new List<LoopPlan>();
            foreach (var unit in units)
            {
                cancel.ThrowIfCancellationRequested();
                var analysis = analyzer.Analyze(unit.File, unit.Arguments, units.Count == 1 && unit.File == input ? input : unit.File);
                plans.AddRange(FilePlanner.AnalyzerPlan(analysis));
            }
            if (p.Has("--json")) PlanJson.Write(stdout, plans);
            else PlanText.Write(stdout, plans);
            return Task.FromResult(CommandLine.Ok);
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException or InvalidDataException or IOException)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return Task.FromResult(CommandLine.InputError);
        }
    }
}
