using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Analyzer.Tests.Corpus;

/// <summary>Locates tests/corpus from the test binaries and lists its files.</summary>
public static class CorpusFiles
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ParaSlm.Build.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    public static string Root => Path.Combine(RepositoryRoot, "tests", "corpus");

    public static IEnumerable<string> Sources(bool includeBad = false) =>
        Directory.EnumerateFiles(Root, "*.*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".c" or ".cpp")
            .Where(f => includeBad || !Path.GetFileName(f).StartsWith("bad_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>The compile arguments a corpus file is analyzed with.</summary>
    public static IReadOnlyList<string> ArgumentsFor(string file) =>
        Path.GetExtension(file) == ".cpp"
            ? ["-std=c++17", "-I" + Path.Combine(Root, "include")]
            : ["-std=c11", "-I" + Path.Combine(Root, "include")];

    /// <summary>Analyzes a corpus file with its arguments and writes every loop's facts to the test log.</summary>
    public static FileAnalysis AnalyzeLogged(SourceAnalyzer analyzer, string file)
    {
        var analysis = analyzer.Analyze(file, ArgumentsFor(file));
        foreach (var l in analysis.Loops) TestContext.Out.WriteLine(Support.SnippetAnalyzer.Describe(l));
        return analysis;
    }
}
