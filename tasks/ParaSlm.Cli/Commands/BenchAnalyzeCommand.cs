using ParaSlm.Analyzer.Facts;
using ParaSlm.Engine.Output;

namespace ParaSlm.Cli.Commands;

/// <summary>`paraslm bench-analyze PATH... [--repeat N]`: <see cref="AnalysisBenchmark"/>, printed as it goes.</summary>
public static class BenchAnalyzeCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "--repeat", "--libclang" });
        if (p.Positionals.Count == 0) throw new UsageException("bench-analyze takes one or more files or folders");
        var repeat = int.TryParse(p.Value("--repeat") ?? "5", out var r) && r > 0 ? r : throw new UsageException("--repeat needs a positive number");
        var files = AnalysisBenchmark.FilesUnder(p.Positionals);
        if (files.Count == 0) { stderr.WriteLine("paraslm: no C/C++ files found"); return Task.FromResult(CommandLine.InputError); }

        using var analyzer = new SourceAnalyzer(new AnalyzerOptions { LibClangPath = p.Value("--libclang") });
        AnalysisBenchmarkText.WriteHeader(stdout);
        var result = AnalysisBenchmark.Run(analyzer, files, p.Passthrough, repeat, f => AnalysisBenchmarkText.WriteFile(stdout, f), cancel);
        AnalysisBenchmarkText.WriteSummary(stdout, result);
        return Task.FromResult(CommandLine.Ok);
    }
}
