using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Analyzer.Tests.Corpus;

/// <summary>
/// A fixture over one corpus file: analyzed once with its corpus arguments, its loops looked up by function name (the
/// verdict and reason written to the test output, so a failure shows what the analyzer said).
/// </summary>
public abstract class CorpusFileFixture
{
    private SourceAnalyzer _analyzer = null!;
    private IReadOnlyList<LoopFacts> _loops = null!;

    /// <summary>The file's path below the corpus root (`cpp/dependent_streams.cpp`).</summary>
    protected abstract string RelativePath { get; }

    protected string File => Path.Combine(CorpusFiles.Root, RelativePath);

    [OneTimeSetUp]
    public void AnalyzeCorpusFile()
    {
        _analyzer = new SourceAnalyzer(new AnalyzerOptions());
        _loops = _analyzer.Analyze(File, CorpusFiles.ArgumentsFor(File)).Loops;
    }

    [OneTimeTearDown]
    public void DisposeAnalyzer() => _analyzer.Dispose();

    protected LoopFacts Loop(string function) => Loop(_loops, function);

    protected static LoopFacts Loop(IReadOnlyList<LoopFacts> loops, string function)
    {
        var loop = loops.Single(l => l.Function == function);
        TestContext.Out.WriteLine($"{function}: parallel={loop.Parallelizable} check={loop.RuntimeCheck ?? "none"} {loop.Reason}");
        return loop;
    }

    /// <summary>The same file analyzed again under other options (an assertion the fixture makes).</summary>
    protected IReadOnlyList<LoopFacts> AnalyzeWith(AnalyzerOptions options)
    {
        using var analyzer = new SourceAnalyzer(options);
        return analyzer.Analyze(File, CorpusFiles.ArgumentsFor(File)).Loops;
    }
}
