using System.Diagnostics;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm bench-analyze PATH...`: per file, libclang's parse time and the analysis time beyond it
/// (median of --repeat runs). The goal is under 20 ms of analysis per file.
/// </summary>
public static class BenchAnalyzeCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "--repeat", "--libclang" });
        if (p.Positionals.Count == 0) throw new UsageException("bench-analyze takes one or more files or folders");
        var repeat = int.TryParse(p.Value("--repeat") ?? "5", out var r) && r > 0 ? r : throw new UsageException("--repeat needs a positive number");
        var files = p.Positionals.SelectMany(Expand).Where(f => !Path.GetFileName(f).StartsWith("bad_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) { stderr.WriteLine("paraslm: no C/C++ files found"); return Task.FromResult(CommandLine.InputError); }

        using var analyzer = new SourceAnalyzer(new AnalyzerOptions { LibClangPath = p.Value("--libclang") });
        stdout.WriteLine($"{"file",-48} {"loops",5} {"parse ms",9} {"analysis ms",12}");
        var analysisMedians = new List<double>();
        var parseMedians = new List<double>();
        var loops = 0;
        foreach (var f in files)
        {
            cancel.ThrowIfCancellationRequested();
            var parse = new List<double>();
            var analysis = new List<double>();
            var n = 0;
            try
            {
                for (var i = 0; i < repeat; i++)
                {
                    var result = analyzer.Analyze(f, p.Passthrough);
                    parse.Add(result.ParseTime.TotalMilliseconds);
                    analysis.Add(result.AnalysisTime.TotalMilliseconds);
                    n = result.Loops.Count;
                }
            }
            catch (SourceParseException e)
            {
                stdout.WriteLine($"{Trim(f),-48} skipped: {e.Message}");
                continue;
            }
            loops += n;
            parseMedians.Add(Median(parse));
            analysisMedians.Add(Median(analysis));
            stdout.WriteLine($"{Trim(f),-48} {n,5} {Median(parse),9:F2} {Median(analysis),12:F2}");
        }
        stdout.WriteLine();
        stdout.WriteLine($"files: {analysisMedians.Count}, loops: {loops}, repeats: {repeat}");
        stdout.WriteLine($"analysis beyond parse per file: median {Median(analysisMedians):F2} ms, mean {analysisMedians.Average():F2} ms, max {analysisMedians.Max():F2} ms (goal < 20 ms)");
        stdout.WriteLine($"libclang parse per file: median {Median(parseMedians):F2} ms");
        return Task.FromResult(CommandLine.Ok);
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => Path.GetExtension(f) is ".c" or ".cpp" or ".cc" or ".cxx")
            : [path];

    private static string Trim(string f) => f.Length <= 48 ? f : "…" + f[^47..];

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count == 0 ? 0 : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
