using ParaSlm.Analyzer.Facts;
using ParaSlm.Tests.Shared;

namespace ParaSlm.Analyzer.Tests.Support;

/// <summary>What the fixtures over corpus files share: one <see cref="SourceAnalyzer"/> (one libclang index) for all of a
/// fixture's tests; a fixture's own one-time set-up may analyze its files with it.</summary>
public abstract class SourceAnalyzerFixture : OneTimeResourceFixture<SourceAnalyzer>
{
    protected SourceAnalyzer Analyzer => Resource;

    protected override SourceAnalyzer Create() => new(new AnalyzerOptions());
}
