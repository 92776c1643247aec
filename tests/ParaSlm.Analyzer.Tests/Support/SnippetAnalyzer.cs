using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Analyzer.Tests.Support;

/// <summary>
/// Writes small C/C++ sources to a private temporary folder and runs the real analyzer on them in-process.
/// One instance per fixture: it holds one libclang index.
/// </summary>
public sealed class SnippetAnalyzer : IDisposable
{
    private readonly SourceAnalyzer _analyzer;
    private readonly string _dir;
    private int _count;

    public SnippetAnalyzer(AnalyzerOptions? options = null)
    {
        _analyzer = new SourceAnalyzer(options ?? new AnalyzerOptions());
        _dir = Path.Combine(Path.GetTempPath(), "paraslm-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    /// <summary>Analyzes a C file (`-std=c11`) or, with <paramref name="cpp"/>, a C++ file (`-std=c++17`).</summary>
    public FileAnalysis Analyze(string source, bool cpp = false, params string[] extraArguments)
    {
        var name = new string(TestContext.CurrentContext.Test.Name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
        if (name.Length > 80) name = name[..80];
        var file = Path.Combine(_dir, $"{Interlocked.Increment(ref _count):D3}_{name}{(cpp ? ".cpp" : ".c")}");
        File.WriteAllText(file, source);
        string[] args = [cpp ? "-std=c++17" : "-std=c11", .. extraArguments];
        var result = _analyzer.Analyze(file, args);
        foreach (var l in result.Loops) TestContext.Out.WriteLine(Describe(l));
        return result;
    }

    /// <summary>The loops of <paramref name="source"/> in source order (outer before inner).</summary>
    public IReadOnlyList<LoopFacts> Loops(string source, bool cpp = false, params string[] extraArguments) =>
        Analyze(source, cpp, extraArguments).Loops;

    /// <summary>The only loop of <paramref name="source"/>.</summary>
    public LoopFacts Single(string source, bool cpp = false, params string[] extraArguments)
    {
        var loops = Loops(source, cpp, extraArguments);
        Assert.That(loops, Has.Count.EqualTo(1), "the snippet has exactly one `for` loop");
        return loops[0];
    }

    /// <summary>A one-line summary used in assertion messages: line, verdict, clauses, reason and dependences.</summary>
    public static string Describe(LoopFacts l) =>
        $"line {l.Line}: {(l.Parallelizable ? "PARALLEL" : "SEQUENTIAL")} [{l.Clauses}] runtimeCheck={l.RuntimeCheck ?? "null"} reason: {l.Reason}" +
        string.Concat(l.Dependences.Select(d => $"{Environment.NewLine}    dep {d.Kind} {d.Source} -> {d.Sink} ({d.Direction}) distance={d.Distance?.ToString() ?? "?"} carried={d.Carried} [{d.Test}]"));

    public void Dispose()
    {
        _analyzer.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
