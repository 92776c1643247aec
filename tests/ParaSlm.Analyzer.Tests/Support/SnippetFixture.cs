namespace ParaSlm.Analyzer.Tests.Support;

/// <summary>
/// What the snippet fixtures share: one <see cref="SnippetAnalyzer"/> (one libclang index, one folder) for all of a
/// fixture's tests, disposed after them.
/// </summary>
public abstract class SnippetFixture
{
    protected SnippetAnalyzer Snippets { get; private set; } = null!;

    [OneTimeSetUp]
    public void CreateSnippetAnalyzer() => Snippets = new SnippetAnalyzer();

    [OneTimeTearDown]
    public void DisposeSnippetAnalyzer() => Snippets.Dispose();
}
