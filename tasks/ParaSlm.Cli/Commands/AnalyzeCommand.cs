using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Engine.Output;

namespace ParaSlm.Cli.Commands;

/// <summary>`paraslm analyze FILE [--json] [-- ARGS]`: the analyzer's verdict for every `for` loop.</summary>
public static class AnalyzeCommand
{
    private static readonly HashSet<string> Flags = ["--json"];
    private static readonly HashSet<string> Options = ["--assume-pure", "--libclang"];

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, Flags, Options);
        if (p.Positionals.Count != 1) throw new UsageException("analyze takes exactly one FILE");
        var file = p.Positionals[0];
        var options = new AnalyzerOptions { LibClangPath = p.Value("--libclang"), AssumePure = SplitNames(p.Values("--assume-pure")) };
        try
        {
            using var analyzer = new SourceAnalyzer(options);
            var result = analyzer.Analyze(file, p.Passthrough);
            if (p.Has("--json")) AnalysisJson.Write(stdout, result);
            else AnalysisText.Write(stdout, result);
            return Task.FromResult(CommandLine.Ok);
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return Task.FromResult(CommandLine.InputError);
        }
    }

    /// <summary>`--assume-pure a,b --assume-pure c` → [a, b, c].</summary>
    public static IReadOnlyList<string> SplitNames(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
