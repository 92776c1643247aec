namespace ParaSlm.Analyzer.Facts;

/// <summary>How the analyzer is set up: where libclang is and which functions the user asserts are pure.</summary>
public sealed record AnalyzerOptions
{
    /// <summary>An explicit libclang path; null means PARASLM_LIBCLANG, then the installed LLVM versions.</summary>
    public string? LibClangPath { get; init; }

    /// <summary>Functions the user asserts have no side effects (unqualified or qualified names).</summary>
    public IReadOnlyList<string> AssumePure { get; init; } = [];
}
