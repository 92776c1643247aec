using ParaSlm.Analyzer.Clang;

namespace ParaSlm.Analyzer.Facts;

/// <summary>One file's medians over the repeats; <see cref="Skipped"/> holds why a file that did not parse was left out.</summary>
public sealed record AnalysisBenchmarkFile(string File, int Loops, double ParseMs, double AnalysisMs, string? Skipped = null);

/// <summary>What `paraslm bench-analyze` measured: per file, and the medians over the files that parsed.</summary>
public sealed record AnalysisBenchmarkResult(IReadOnlyList<AnalysisBenchmarkFile> Files, int Repeats)
{
    /// <summary>The goal of the analysis beyond libclang's parse, per file.</summary>
    public const double GoalMs = 20;

    public IReadOnlyList<AnalysisBenchmarkFile> Measured => Files.Where(f => f.Skipped is null).ToList();
}

/// <summary>
/// The analyzer's own cost, apart from libclang's parse: every C/C++ file under the given paths (files named `bad_*`,
/// the corpus's deliberately broken inputs, are left out) is analyzed <c>repeats</c> times; the medians are kept.
/// A benchmark, not a test: it prints ratios and times on whatever machine runs it.
/// </summary>
public static class AnalysisBenchmark
{
    /// <summary>The C/C++ files a list of files and folders names, in ordinal order.</summary>
    public static IReadOnlyList<string> FilesUnder(IEnumerable<string> paths) =>
        paths.SelectMany(Expand).Where(f => !Path.GetFileName(f).StartsWith("bad_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    /// <param name="progress">Receives each file's result as soon as it is measured (the table is printed as it goes).</param>
    public static AnalysisBenchmarkResult Run(SourceAnalyzer analyzer, IReadOnlyList<string> files, IReadOnlyList<string> arguments, int repeats,
        Action<AnalysisBenchmarkFile>? progress = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        var results = new List<AnalysisBenchmarkFile>();
        foreach (var f in files)
        {
            cancel.ThrowIfCancellationRequested();
            var parse = new List<double>();
            var analysis = new List<double>();
            var loops = 0;
            AnalysisBenchmarkFile one;
            try
            {
                for (var i = 0; i < repeats; i++)
                {
                    var result = analyzer.Analyze(f, arguments);
                    parse.Add(result.ParseTime.TotalMilliseconds);
                    analysis.Add(result.AnalysisTime.TotalMilliseconds);
                    loops = result.Loops.Count;
                }
                one = new AnalysisBenchmarkFile(f, loops, Median(parse), Median(analysis));
            }
            catch (SourceParseException e)
            {
                one = new AnalysisBenchmarkFile(f, 0, 0, 0, e.Message);
            }
            results.Add(one);
            progress?.Invoke(one);
        }
        return new AnalysisBenchmarkResult(results, repeats);
    }

    /// <summary>The median (the mean of the middle two for an even count; 0 for none).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToList();
        return s.Count == 0 ? 0 : s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => Path.GetExtension(f) is ".c" or ".cpp" or ".cc" or ".cxx")
            : [path];
}
