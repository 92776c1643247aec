using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>One <see cref="SourceDocument"/> per translation unit, made when a pass first needs it: the recognizers that copy
/// statement text (scalar expansion, unroll-and-jam, distribution) read it out of the unit's document.</summary>
internal sealed class SourceDocuments
{
    private readonly Dictionary<SyntaxNode, SourceDocument?> _byRoot = new(ReferenceEqualityComparer.Instance);

    /// <summary>The loop's translation unit and its document; null when the unit's text is not available.</summary>
    public (SyntaxNode Root, SourceDocument? Document) For(LoopInfo loop)
    {
        var root = NestSyntax.Root(loop.Node);
        if (!_byRoot.TryGetValue(root, out var doc))
            _byRoot[root] = doc = root.SourceText is { } text ? new SourceDocument(loop.File, text) : null;
        return (root, doc);
    }
}
