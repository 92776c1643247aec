using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Analyzer.Tests.Support;

/// <summary>
/// What the fixtures over corpus files share: one <see cref="SourceAnalyzer"/> (one libclang index) for all of a fixture's
/// tests, disposed after them. A fixture's own one-time set-up runs after this one's, so it may analyze its files there.
/// </summary>
public abstract class SourceAnalyzerFixture
{
    protected SourceAnalyzer Analyzer { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateAnalyzer() => Analyzer = new SourceAnalyzer(new AnalyzerOptions());

    [OneTimeTearDown]
    public void DisposeAnalyzer() => Analyzer.Dispose();
}
