namespace ParaSlm.Analyzer.Syntax;

/// <summary>Where a node sits: its file, 1-based line/column of the start, and byte offsets of start and end.</summary>
public readonly record struct SourceSpan(string File, int Line, int Column, int Offset, int EndLine, int EndColumn, int EndOffset)
{
    public bool Contains(SourceSpan other) =>
        string.Equals(File, other.File, StringComparison.Ordinal) && Offset <= other.Offset && other.EndOffset <= EndOffset;

    public override string ToString() => $"{File}:{Line}:{Column}";
}
