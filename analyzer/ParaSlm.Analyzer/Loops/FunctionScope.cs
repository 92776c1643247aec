using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// Per-function facts the loop analysis consults: which variables are written or have their address
/// taken anywhere in the function, and single-definition locals (for substituting `int idx = i*n+j;`).
/// </summary>
public sealed class FunctionScope
{
    private readonly Dictionary<string, List<SyntaxNode>> _writes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _addressTaken = new(StringComparer.Ordinal);
    private readonly HashSet<string> _boundToReference = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SyntaxNode> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SyntaxNode> _declarations = new(StringComparer.Ordinal);

    public FunctionScope(SyntaxNode function)
    {
        Node = function;
        Name = function.Decl?.QualifiedName ?? function.Spelling;
        foreach (var n in function.DescendantsAndSelf())
        {
            switch (n.Kind)
            {
                case NodeKind.VarDecl when n.Decl is { } d:
                    _declarations.TryAdd(d.Key, n);
                    var init = InitializerOf(n);
                    if (init is not null) _initializers.TryAdd(d.Key, init);
                    break;
                case NodeKind.Binary when n.BinaryOp == BinaryOp.Assign:
                case NodeKind.CompoundAssign:
                    if (n.Children.Count > 0) NoteWrite(n.Children[0], n);
                    break;
                case NodeKind.Unary when n.UnaryOp.IsIncDec():
                    if (n.Children.Count > 0) NoteWrite(n.Children[0], n);
                    break;
                case NodeKind.Unary when n.UnaryOp == UnaryOp.AddrOf:
                    if (n.Children.Count > 0 && RootDecl(n.Children[0]) is { } a) _addressTaken.Add(a.Key);
                    break;
                case NodeKind.DeclRef when n.Decl is { } r && BindsItself(n):
                    _boundToReference.Add(r.Key);
                    break;
                case NodeKind.Lambda:
                    HasLambda = true;
                    break;
            }
        }
    }

    public SyntaxNode Node { get; }
    public string Name { get; }

    public bool IsWritten(string key) => _writes.ContainsKey(key);

    public IReadOnlyList<SyntaxNode> WritesOf(string key) => _writes.TryGetValue(key, out var l) ? l : [];

    public bool IsAddressTaken(string key) => _addressTaken.Contains(key);

    /// <summary>Some use binds the variable itself, not its value (<see cref="BindsItself"/>).</summary>
    public bool IsBoundToReference(string key) => _boundToReference.Contains(key);

    /// <summary>The function holds a lambda, which may keep a reference to any of its locals.</summary>
    public bool HasLambda { get; }

    /// <summary>A use that binds the variable itself, not its value: a call argument or a reference's initializer with no
    /// conversion between but an added `const` (C++ `int&` and `const int&` parameters, `std::min(n, m)`, `auto& r = n`);
    /// through such a reference (or an address taken from it) the variable may be written.</summary>
    private static bool BindsItself(SyntaxNode use)
    {
        var child = use;
        var parent = use.Parent;
        // An lvalue-to-rvalue conversion yields the unqualified type; a binding to `const T&` only adds the qualifier.
        while (parent is { Kind: NodeKind.Paren } or { Kind: NodeKind.Unexposed, Type.IsConst: true }) (child, parent) = (parent, parent.Parent);
        return parent is { Kind: NodeKind.Call } && parent.Children.Count > 0 && !ReferenceEquals(parent.Children[0], child) ||
               parent is { Kind: NodeKind.VarDecl, Decl.Type.IsReference: true };
    }

    /// <summary>The initializer of a local that is never assigned again (and whose address never escapes).</summary>
    public SyntaxNode? SingleDefinition(string key) =>
        !_writes.ContainsKey(key) && !_addressTaken.Contains(key) && _initializers.TryGetValue(key, out var init) ? init : null;

    public SyntaxNode? DeclarationOf(string key) => _declarations.GetValueOrDefault(key);

    public bool DeclaresLocally(string key) => _declarations.ContainsKey(key);

    private void NoteWrite(SyntaxNode target, SyntaxNode write)
    {
        var t = target.StripParensAndCasts();
        if (t.Kind == NodeKind.DeclRef && t.Decl is { } d)
        {
            if (!_writes.TryGetValue(d.Key, out var list)) _writes[d.Key] = list = [];
            list.Add(write);
        }
    }

    /// <summary>The variable at the root of an lvalue (`a` in `a[i].x`), if any.</summary>
    public static DeclInfo? RootDecl(SyntaxNode expr)
    {
        var n = expr.StripParensAndCasts();
        while (true)
        {
            switch (n.Kind)
            {
                case NodeKind.DeclRef: return n.Decl;
                case NodeKind.Subscript or NodeKind.MemberRef when n.Children.Count > 0:
                    n = n.Children[0].StripParensAndCasts();
                    break;
                default: return null;
            }
        }
    }

    /// <summary>A VarDecl's initializer expression (its last child that is an expression).</summary>
    public static SyntaxNode? InitializerOf(SyntaxNode varDecl)
    {
        // An array's size expression is a child too; only a braced list initializes an array.
        var isArray = varDecl.Decl?.Type.IsArray ?? false;
        foreach (var c in varDecl.Children.Reverse())
        {
            if (c.Kind is NodeKind.TypeRef or NodeKind.TemplateRef or NodeKind.Other) continue;
            if (c.RawKind is >= 100 and < 200 && (!isArray || c.Kind == NodeKind.InitList)) return c;
            break;
        }
        return null;
    }
}
