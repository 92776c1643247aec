using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Facts;

/// <summary>The analysis of one source file: one <see cref="LoopFacts"/> per `for` loop of the main file, in source order.</summary>
/// <param name="ParseTime">Time inside libclang's parser.</param>
/// <param name="AnalysisTime">Everything beyond it: copying the tree, finding loops, judging them.</param>
public sealed record FileAnalysis(
    string File,
    IReadOnlyList<LoopFacts> Loops,
    IReadOnlyList<ClangDiagnostic> Diagnostics,
    TimeSpan ParseTime,
    TimeSpan AnalysisTime)
{
    /// <summary>User headers the analysis read (their changes must invalidate cached results).</summary>
    public IReadOnlyList<string> IncludedFiles { get; init; } = [];
}
