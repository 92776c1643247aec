namespace ParaSlm.Analyzer.Syntax;

/// <summary>A managed copy of one libclang cursor with its children, in source order.</summary>
public sealed class SyntaxNode
{
    private readonly List<SyntaxNode> _children = [];

    internal SyntaxNode(NodeKind kind, int rawKind, string spelling, SourceSpan span, bool inMainFile)
    {
        Kind = kind;
        RawKind = rawKind;
        Spelling = spelling;
        Span = span;
        InMainFile = inMainFile;
    }

    public NodeKind Kind { get; }
    public int RawKind { get; }
    public string Spelling { get; }
    public SourceSpan Span { get; }
    public bool InMainFile { get; }
    public TypeInfo Type { get; internal set; } = TypeInfo.Unknown;
    public BinaryOp BinaryOp { get; internal set; }
    public UnaryOp UnaryOp { get; internal set; }

    /// <summary>The declaration this node declares or refers to.</summary>
    public DeclInfo? Decl { get; internal set; }

    /// <summary>The value of an integer constant expression (literals, enumerators, const variables, sizeof).</summary>
    public long? IntValue { get; internal set; }

    /// <summary>For `for` statements: which child is the init, condition, increment and body (any may be absent).</summary>
    public ForParts? For { get; internal set; }

    /// <summary>For member references: `->` rather than `.`.</summary>
    public bool IsArrow { get; internal set; }

    public SyntaxNode? Parent { get; private set; }

    /// <summary>Set on the root only: the main file's text, for quoting source in explanations.</summary>
    public string? SourceText { get; internal set; }

    /// <summary>On a root whose file is not plain ASCII: the index into <see cref="SourceText"/> of each byte offset
    /// (libclang's offsets count bytes). Null: offsets are indices.</summary>
    public int[]? CharIndexOfByte { get; internal set; }
    public IReadOnlyList<SyntaxNode> Children => _children;

    internal void Add(SyntaxNode child)
    {
        child.Parent = this;
        _children.Add(child);
    }

    public IEnumerable<SyntaxNode> DescendantsAndSelf()
    {
        var stack = new Stack<SyntaxNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            yield return n;
            for (var i = n._children.Count - 1; i >= 0; i--) stack.Push(n._children[i]);
        }
    }

    public IEnumerable<SyntaxNode> Ancestors()
    {
        for (var p = Parent; p is not null; p = p.Parent) yield return p;
    }

    /// <summary>Skips parentheses, implicit conversions and casts that do not change what is referenced.</summary>
    public SyntaxNode StripParensAndCasts()
    {
        var n = this;
        while ((n.Kind is NodeKind.Paren or NodeKind.Unexposed or NodeKind.Cast) && n._children.Count >= 1)
        {
            // An unexposed node with several children is a construct we do not model; stop there.
            if (n.Kind == NodeKind.Unexposed && n._children.Count != 1) break;
            n = n._children[^1];
        }
        return n;
    }

    public override string ToString() => $"{Kind} '{Spelling}' @{Span}";
}

/// <summary>The parts of a `for` header, identified by position relative to its two semicolons.</summary>
public sealed record ForParts(SyntaxNode? Init, SyntaxNode? Condition, SyntaxNode? Increment, SyntaxNode? Body);
