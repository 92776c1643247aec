namespace ParaSlm.Analyzer.Syntax;

/// <summary>The parsed file: its tree, its declarations, function bodies by key, and compiler diagnostics.</summary>
public sealed class TranslationUnitSyntax(
    string mainFile,
    SyntaxNode root,
    IReadOnlyDictionary<string, SyntaxNode> functionDefinitions,
    IReadOnlyList<ClangDiagnostic> diagnostics,
    string sourceText)
{
    public string MainFile { get; } = mainFile;
    public SyntaxNode Root { get; } = root;

    /// <summary>Bodies of functions defined in the main file or user headers, keyed by declaration key.</summary>
    public IReadOnlyDictionary<string, SyntaxNode> FunctionDefinitions { get; } = functionDefinitions;

    public IReadOnlyList<ClangDiagnostic> Diagnostics { get; } = diagnostics;
    public string SourceText { get; } = sourceText;

    /// <summary>User headers the file includes (not system headers), absolute paths.</summary>
    public IReadOnlyList<string> IncludedFiles { get; init; } = [];

    /// <summary>Time spent inside clang_parseTranslationUnit2 alone (not copying the tree).</summary>
    public TimeSpan LibClangParseTime { get; init; }

    public bool HasErrors => Diagnostics.Any(d => d.Severity >= DiagnosticSeverity.Error);
}

public enum DiagnosticSeverity
{
    Ignored = 0,
    Note = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}

public sealed record ClangDiagnostic(DiagnosticSeverity Severity, string File, int Line, int Column, string Message, string Formatted);
