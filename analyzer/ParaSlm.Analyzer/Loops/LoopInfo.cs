using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>One `for` loop (ordinary or range-based) of the main file, placed in its nest.</summary>
public sealed class LoopInfo
{
    private readonly List<LoopInfo> _children = [];

    internal LoopInfo(SyntaxNode node, string file, FunctionScope function, LoopInfo? parent)
    {
        Node = node;
        File = file;
        Function = function;
        Parent = parent;
        Depth = parent is null ? 1 : parent.Depth + 1;
        parent?._children.Add(this);
    }

    public SyntaxNode Node { get; }
    public string File { get; }
    public FunctionScope Function { get; }
    public LoopInfo? Parent { get; }
    public IReadOnlyList<LoopInfo> Children => _children;

    /// <summary>1 for a loop not nested in another loop of its function.</summary>
    public int Depth { get; }

    public int Line => Node.Span.Line;
    public int Column => Node.Span.Column;
    public string Id => $"{File}:{Line}:{Column}";
    public bool IsRangeFor => Node.Kind == NodeKind.RangeFor;

    public SyntaxNode? Body => IsRangeFor ? (Node.Children.Count > 0 ? Node.Children[^1] : null) : Node.For?.Body;

    /// <summary>Canonical form, or null with <see cref="NonCanonicalReason"/> saying why not.</summary>
    public LoopHeader? Header { get; internal set; }

    public string? NonCanonicalReason { get; internal set; }

    /// <summary>
    /// The header when it is in OpenMP's canonical loop form as written (one counter): what every transform that moves,
    /// copies, collapses or vectorizes the loop by its header needs. A two-counter header (<see cref="LoopHeader.Second"/>)
    /// is read for the dependence analysis (<see cref="Header"/>) but is not canonical: no directive may name it as written.
    /// </summary>
    public LoopHeader? CanonicalHeader => Header is { Second: null } h ? h : null;

    /// <summary>For range-for: the container iterated and the element variable.</summary>
    public RangeForInfo? Range { get; internal set; }

    /// <summary>The loop already sits under an OpenMP directive of the user's (on it or on a statement around it).</summary>
    public bool HasOpenMPDirective => OpenMPDirective is not null;

    /// <summary>That directive's text (`#pragma omp …`), or null.</summary>
    public string? OpenMPDirective
    {
        get
        {
            if (!_directiveRead) (_directive, _directiveRead) = (SourcePragmas.UserDirective(Node), true);
            return _directive;
        }
    }

    private string? _directive;
    private bool _directiveRead;

    public bool Encloses(LoopInfo other)
    {
        for (var p = other.Parent; p is not null; p = p.Parent)
            if (ReferenceEquals(p, this)) return true;
        return false;
    }

    public override string ToString() => Id;
}

/// <summary>`for (T x : range)`: the element variable (by reference or by value) and what is iterated.</summary>
public sealed record RangeForInfo(DeclInfo Element, bool ElementIsReference, SyntaxNode RangeExpression, DeclInfo? Container);
