using ParaSlm.Analyzer.Facts;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>
/// Analyzes small C sources with the real analyzer (libclang) and cuts them into loop nests the way the planner
/// does: one <see cref="PlanningInput"/> per outermost loop, with its inner loops and its source lines.
/// One instance per fixture: it holds one libclang index.
/// </summary>
public sealed class NestBed : IDisposable
{
    private readonly SourceAnalyzer _analyzer = new(new AnalyzerOptions());
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "paraslm-strategy-tests-" + Guid.NewGuid().ToString("N"));
    private int _count;

    public NestBed() => Directory.CreateDirectory(_dir);

    /// <summary>The analysis of a C11 source.</summary>
    public FileAnalysis Analyze(string source)
    {
        var file = Path.Combine(_dir, $"s{Interlocked.Increment(ref _count):D3}.c");
        File.WriteAllText(file, source);
        return _analyzer.Analyze(file, ["-std=c11"], Path.GetFileName(file));
    }

    /// <summary>The analysis of a file in place (so its includes resolve), C or C++ by extension.</summary>
    public FileAnalysis AnalyzeFile(string path, params string[] extraArguments)
    {
        string[] args = [path.EndsWith(".c", StringComparison.Ordinal) ? "-std=c11" : "-std=c++17", .. extraArguments];
        return _analyzer.Analyze(path, args, Path.GetFileName(path));
    }

    /// <summary>Every nest of the source, in source order.</summary>
    public IReadOnlyList<PlanningInput> Nests(string source, string target = "cpu") => Nests(Analyze(source), source, target);

    /// <summary>The nest rooted at the <paramref name="index"/>-th outermost loop.</summary>
    public PlanningInput Nest(string source, int index = 0, string target = "cpu") => Nests(source, target)[index];

    public static IReadOnlyList<PlanningInput> Nests(FileAnalysis analysis, string source, string target = "cpu")
    {
        var byId = analysis.Loops.ToDictionary(l => l.Id, StringComparer.Ordinal);
        return analysis.Loops.Where(l => l.ParentId is null)
            .Select(root => new PlanningInput(root, analysis.Loops.Where(l => l.Id == root.Id || Inside(l, root, byId)).ToList(), Lines(source, root), target))
            .ToList();
    }

    private static bool Inside(LoopFacts l, LoopFacts root, Dictionary<string, LoopFacts> byId)
    {
        for (var p = l.ParentId; p is not null && byId.TryGetValue(p, out var parent); p = parent.ParentId)
            if (p == root.Id) return true;
        return false;
    }

    /// <summary>Whole lines from the root `for` to the end of its statement (the sources here are ASCII: offsets are chars).</summary>
    private static string Lines(string source, LoopFacts root)
    {
        var start = source.LastIndexOf('\n', Math.Max(0, root.StartOffset - 1)) + 1;
        var end = source.IndexOf('\n', Math.Min(source.Length - 1, root.EndOffset));
        return source[start..(end < 0 ? source.Length : end)];
    }

    /// <summary>The repository's root (the folder with ParaSlm.Build.sln above the test assembly).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ParaSlm.Build.sln"))) return dir.FullName;
        throw new InvalidOperationException("ParaSlm.Build.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        _analyzer.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
