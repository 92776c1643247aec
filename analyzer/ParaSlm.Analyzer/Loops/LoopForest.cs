using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>Every `for` loop of the main file, with its nest and its function, in source order.</summary>
public static class LoopForest
{
    public static IReadOnlyList<LoopInfo> Collect(TranslationUnitSyntax tu, string displayFile)
    {
        var loops = new List<LoopInfo>();
        var scopes = new Dictionary<SyntaxNode, FunctionScope>(ReferenceEqualityComparer.Instance);
        var byNode = new Dictionary<SyntaxNode, LoopInfo>(ReferenceEqualityComparer.Instance);
        foreach (var n in tu.Root.DescendantsAndSelf())
        {
            if (n.Kind is not (NodeKind.For or NodeKind.RangeFor) || !n.InMainFile) continue;
            var owner = n.Ancestors().FirstOrDefault(a => a.Kind is NodeKind.FunctionDecl or NodeKind.FunctionTemplate) ?? tu.Root;
            if (!scopes.TryGetValue(owner, out var scope)) scopes[owner] = scope = new FunctionScope(owner);
            var parentNode = n.Ancestors().TakeWhile(a => !ReferenceEquals(a, owner))
                .FirstOrDefault(a => a.Kind is NodeKind.For or NodeKind.RangeFor && byNode.ContainsKey(a));
            var parent = parentNode is null ? null : byNode[parentNode];
            var loop = new LoopInfo(n, displayFile, scope, parent);
            byNode[n] = loop;
            LoopHeaderReader.Read(loop);
            loops.Add(loop);
        }
        return loops;
    }
}
