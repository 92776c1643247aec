using ParaSlm.Tests.Shared;

namespace ParaSlm.Analyzer.Tests.Support;

/// <summary>What the snippet fixtures share: one <see cref="SnippetAnalyzer"/> (one libclang index, one folder) for all of a
/// fixture's tests.</summary>
public abstract class SnippetFixture : OneTimeResourceFixture<SnippetAnalyzer>
{
    protected SnippetAnalyzer Snippets => Resource;

    protected override SnippetAnalyzer Create() => new();
}
