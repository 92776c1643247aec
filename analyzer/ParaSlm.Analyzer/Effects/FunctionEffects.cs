using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Effects;

/// <summary>
/// Decides whether calls are safe inside a parallel loop: known library functions by name, functions
/// defined in this translation unit by analyzing their bodies (transitively), and functions the user
/// asserted pure. Everything else is assumed to have side effects.
/// </summary>
public sealed class FunctionEffects
{
    private readonly TranslationUnitSyntax _tu;
    private readonly IReadOnlySet<string> _assumedPure;
    private readonly Dictionary<string, CallEffect> _memo = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SyntaxNode> _byName;

    public FunctionEffects(TranslationUnitSyntax tu, IEnumerable<string> assumedPure)
    {
        _tu = tu;
        _assumedPure = assumedPure.ToHashSet(StringComparer.Ordinal);
        // Template specializations are referenced under their own keys; fall back to a unique name.
        _byName = tu.FunctionDefinitions.Values
            .Where(f => f.Decl is not null)
            .GroupBy(f => f.Decl!.QualifiedName, StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    private Destructors? _destructors;

    private PointerRetention? _retention;

    /// <summary>Which callees may keep a pointer they are given (built on first use).</summary>
    public PointerRetention Retention => _retention ??= new PointerRetention(this);

    private AllocatorWrappers? _allocators;

    /// <summary>Which values are fresh allocations, through the user's allocation wrappers (built on first use).</summary>
    public AllocatorWrappers Allocators => _allocators ??= new AllocatorWrappers(this);

    /// <summary>What destroying an object runs (built on first use: most files create no object in a loop).</summary>
    public Destructors Destructors => _destructors ??= new Destructors(_tu, this);

    public bool IsAssumedPure(DeclInfo callee) =>
        _assumedPure.Contains(callee.Name) || _assumedPure.Contains(callee.QualifiedName);

    public SyntaxNode? DefinitionOf(DeclInfo callee) =>
        _tu.FunctionDefinitions.GetValueOrDefault(callee.Key) ?? _byName.GetValueOrDefault(callee.QualifiedName);

    /// <summary>The effect of calling <paramref name="callee"/>.</summary>
    public CallEffect Of(DeclInfo callee)
    {
        // A call through a variable, parameter or field (a function pointer, a functor of template type): the function
        // that runs is chosen by whoever set it, per call site. No name identifies it, so neither the user's assertion of
        // a function name nor a library function's name (a parameter called `exp`) can vouch for it.
        if (callee.Kind is DeclKind.Variable or DeclKind.Parameter or DeclKind.Field)
            return CallEffect.Impure($"calls through `{callee.Name}`, a {KindWord(callee.Kind)} holding a function pointer or callable object: " +
                                     "the function it runs is chosen by the caller, so its effects are unknown");
        if (IsAssumedPure(callee)) return CallEffect.PureBy($"`{callee.Name}` is asserted pure by the user");
        if (KnownFunctions.IsPure(callee.Name, callee.QualifiedName) &&
            (callee.InSystemHeader || DefinitionOf(callee) is null && KnownFunctions.IsValueSignature(callee.Type.CanonicalSpelling)))
            return CallEffect.PureBy($"`{callee.Name}` is a pure library function");
        var def = DefinitionOf(callee);
        if (def is null)
            // A library function without a visible body (fprintf, malloc, rand, exit, atoi…) is never worth asserting
            // pure: only a function of the user's own, defined in another file, gets that suggestion.
            return CallEffect.Impure(callee.InSystemHeader
                ? $"calls the library function `{callee.Name}`, which may have side effects (I/O, memory, hidden state) and is not known to be safe in parallel"
                : $"calls `{callee.Name}`, which is not known to be free of side effects (assert it with --assume-pure {callee.Name} if it is)");
        return OfBody(callee.Key, callee.Name, def);
    }

    private static string KindWord(DeclKind kind) => kind switch
    {
        DeclKind.Parameter => "parameter",
        DeclKind.Field => "member",
        _ => "variable",
    };

    /// <summary>The effect of running a lambda body or function body in place.</summary>
    public CallEffect OfBody(string key, string name, SyntaxNode body)
    {
        if (_memo.TryGetValue(key, out var known)) return known;
        // Recursion: assume pure while inside; any real side effect is still found where it happens.
        if (!_inProgress.Add(key)) return CallEffect.PureBy("recursive");
        try
        {
            var effect = Analyze(name, body);
            _memo[key] = effect;
            return effect;
        }
        finally
        {
            _inProgress.Remove(key);
        }
    }

    private CallEffect Analyze(string name, SyntaxNode body)
    {
        var locals = body.DescendantsAndSelf()
            .Where(n => n.Kind is NodeKind.VarDecl or NodeKind.ParmDecl && n.Decl is not null)
            .Select(n => n.Decl!)
            .Where(d => !d.IsGlobalStorage)
            .ToDictionary(d => d.Key, d => d, StringComparer.Ordinal);
        var globalsRead = new Dictionary<string, DeclInfo>(StringComparer.Ordinal);
        var indirect = false;

        foreach (var n in body.DescendantsAndSelf())
        {
            if (LoadsThroughLoadedPointer(n)) indirect = true;
            if (CreatesObject(n) is { } created && Destructors.OfDestroying(created) is { IsPure: false } dtor)
                return CallEffect.Impure($"calls `{name}`, which {dtor.Reason}");
            if (UnresolvedOperatorOperand(n) is { } operand)
                return CallEffect.Impure($"calls `{name}`, which applies an unresolved overloaded operator to `{SourceText.Of(operand)}`");
            if (DependentShiftOperators.SharedOperand(n, d => locals.ContainsKey(d.Key)) is { } shared)
                return CallEffect.Impure($"calls `{name}`, in which {DependentShiftOperators.Describe(n, shared)}");
            switch (n.Kind)
            {
                case NodeKind.Binary when n.BinaryOp == BinaryOp.Assign && n.Children.Count == 2:
                case NodeKind.CompoundAssign when n.Children.Count == 2:
                case NodeKind.Unary when n.UnaryOp.IsIncDec() && n.Children.Count == 1:
                    if (WriteEscapes(n.Children[0], locals) is { } what)
                        return CallEffect.Impure($"calls `{name}`, which writes {what}");
                    break;
                case NodeKind.Call when n.Decl is { } callee:
                    // Element access and size queries of std::vector/std::array only: `m[k]` of a std::map inserts, and a user
                    // class's `operator[]` may refill a cache; those are calls like any other.
                    if ((KnownFunctions.IsElementAccess(callee.Name) || KnownFunctions.IsContainerRead(callee.Name)) &&
                        ObjectOf(n, callee)?.Type.IsStdIndexedContainer == true) break;
                    // A lambda's body is part of this body and walked in place; any other functor's `operator()` is a call.
                    if (callee.Kind == DeclKind.Method && callee.Name == "operator()" && CallsLocalLambda(n, body)) break;
                    var e = Of(callee);
                    if (!e.IsPure) return CallEffect.Impure(e.Reason.StartsWith("calls ", StringComparison.Ordinal)
                        ? $"calls `{name}`, which {e.Reason}" : e.Reason);
                    foreach (var g in e.GlobalsRead) globalsRead.TryAdd(g.Key, g);
                    indirect |= e.ReadsIndirectMemory;
                    break;
                case NodeKind.Call:
                    return CallEffect.Impure($"calls `{name}`, which calls through a function pointer");
                case NodeKind.DeclRef when n.Decl is { } d:
                    if (d.Type.IsAnyVolatile || d.Type.IsAnyAtomic)
                        return CallEffect.Impure($"calls `{name}`, which accesses volatile or atomic `{d.Name}`");
                    // One object per thread: called from a parallel loop, it would see the worker's copy, not the caller's.
                    if (d.IsThreadLocal)
                        return CallEffect.Impure($"calls `{name}`, which uses the thread-local variable `{d.Name}` (each thread of a parallel loop has its own copy)");
                    if (d.Kind == DeclKind.Variable && d.IsGlobalStorage) globalsRead.TryAdd(d.Key, d);
                    break;
                case NodeKind.Asm:
                    return CallEffect.Impure($"calls `{name}`, which contains inline assembly");
                case NodeKind.New or NodeKind.Delete:
                    return CallEffect.Impure($"calls `{name}`, which allocates or frees memory");
                case NodeKind.Throw:
                    return CallEffect.Impure($"calls `{name}`, which may throw");
            }
        }
        return new CallEffect(true, $"`{name}` is defined in this file and has no side effects", globalsRead.Values.ToList())
        {
            ReadsIndirectMemory = indirect,
        };
    }

    /// <summary>
    /// The type of the object <paramref name="n"/> creates and destroys before its scope ends: a local (not static)
    /// variable of class type, or a class-type temporary (a call returning by value, a functional cast, `T{…}`).
    /// </summary>
    public static TypeInfo? CreatesObject(SyntaxNode n)
    {
        var t = n.Type;
        if (t.IsReference || t.IsPointer) return null;
        var record = t.Shape == TypeShape.Record || (t.IsArray && t.Element?.Shape == TypeShape.Record);
        if (!record) return null;
        return n.Kind switch
        {
            NodeKind.VarDecl when n.Decl is { IsGlobalStorage: false } => t,
            NodeKind.Call or NodeKind.Cast or NodeKind.InitList => t,
            _ => null,
        };
    }

    /// <summary>
    /// An operator expression (`ofs << x`, `a = b`, `++it`) with an operand of class type. A resolved overloaded
    /// operator is a call node; an operator node on a class object only appears in a template, where the operator
    /// depends on a template argument and no body is known: the operand it returns is the object it acts on.
    /// </summary>
    public static SyntaxNode? UnresolvedOperatorOperand(SyntaxNode n)
    {
        if (n.Kind is not (NodeKind.Binary or NodeKind.CompoundAssign or NodeKind.Unary)) return null;
        if (n.Kind == NodeKind.Unary && n.UnaryOp is UnaryOp.AddrOf) return null;
        if (n.Kind == NodeKind.Binary && n.BinaryOp == BinaryOp.Comma) return null; // built in for every type
        // C's struct assignment (and a C++ copy between objects of one type) is the built-in copy of the bytes.
        if (n.Kind == NodeKind.Binary && n.BinaryOp == BinaryOp.Assign && n.Children.Count == 2 &&
            n.Children[0].StripParensAndCasts().Type.CanonicalSpelling.Replace("const ", "", StringComparison.Ordinal) ==
            n.Children[1].StripParensAndCasts().Type.CanonicalSpelling.Replace("const ", "", StringComparison.Ordinal)) return null;
        foreach (var c in n.Children)
        {
            var o = c.StripParensAndCasts();
            if (o.Type.Shape == TypeShape.Record && !o.Type.IsPointer) return o;
        }
        return null;
    }

    /// <summary>The object a member or operator call is made on (`v` in `v.size()`, `v[i]`), if it is written.</summary>
    private static SyntaxNode? ObjectOf(SyntaxNode call, DeclInfo callee)
    {
        foreach (var c in call.Children)
        {
            var s = c.StripParensAndCasts();
            while (s.Kind == NodeKind.Unexposed && s.Children.Count == 1) s = s.Children[0].StripParensAndCasts();
            if (s.Kind == NodeKind.MemberRef && s.Decl?.Key == callee.Key) return s.Children.Count > 0 ? s.Children[0].StripParensAndCasts() : null;
            if (s.Decl?.Key == callee.Key) continue; // the callee itself (`operator[]`)
            return s; // an operator call: the object comes first
        }
        return null;
    }

    /// <summary>`f()` where `f` is a lambda written inside <paramref name="body"/> (or `[&]{…}()` itself).</summary>
    private static bool CallsLocalLambda(SyntaxNode call, SyntaxNode body)
    {
        foreach (var c in call.Children)
        {
            var o = c.StripParensAndCasts();
            while (o.Kind == NodeKind.Unexposed && o.Children.Count == 1) o = o.Children[0].StripParensAndCasts();
            if (o.Kind == NodeKind.Lambda) return true;
            if (o.Kind != NodeKind.DeclRef || o.Decl is not { Kind: DeclKind.Variable } v) continue;
            var decl = body.DescendantsAndSelf().FirstOrDefault(x => x.Kind == NodeKind.VarDecl && x.Decl?.Key == v.Key);
            return decl is not null && decl.DescendantsAndSelf().Any(x => x.Kind == NodeKind.Lambda);
        }
        return false;
    }

    /// <summary>`p->q[k]`, `m[i][j]` of a `T**`, `*s.ptr`: memory reached through a pointer that was itself loaded.</summary>
    private static bool LoadsThroughLoadedPointer(SyntaxNode n)
    {
        SyntaxNode? pointer = n.Kind switch
        {
            NodeKind.Subscript when n.Children.Count == 2 => n.Children[0].StripParensAndCasts(),
            NodeKind.Unary when n.UnaryOp == UnaryOp.Deref && n.Children.Count == 1 => n.Children[0].StripParensAndCasts(),
            NodeKind.MemberRef when n.IsArrow && n.Children.Count == 1 => n.Children[0].StripParensAndCasts(),
            _ => null,
        };
        if (pointer is null || !pointer.Type.IsPointer) return false;
        return pointer.Kind is NodeKind.Subscript or NodeKind.MemberRef ||
               (pointer.Kind == NodeKind.Unary && pointer.UnaryOp == UnaryOp.Deref);
    }

    /// <summary>Describes the write if it reaches memory outside the function's own locals; null if it stays local.</summary>
    private static string? WriteEscapes(SyntaxNode target, IReadOnlyDictionary<string, DeclInfo> locals)
    {
        var n = target.StripParensAndCasts();
        var throughPointer = false;
        var indexed = false;
        while (true)
        {
            switch (n.Kind)
            {
                case NodeKind.DeclRef when n.Decl is { } d:
                    if (!locals.TryGetValue(d.Key, out var local)) return $"`{d.Name}`, which lives outside it";
                    if (local.Type.IsReference) return $"through the reference `{d.Name}`";
                    // `double dr[3]` (or a `vnd_t dr` typedef) as a parameter is a pointer to the caller's array.
                    if (indexed && local.Kind == DeclKind.Parameter && local.Type.IsArray) return $"through the array parameter `{d.Name}`";
                    if (throughPointer && !local.Type.IsArray) return $"through the pointer `{d.Name}`";
                    return null;
                case NodeKind.Subscript when n.Children.Count == 2:
                    var b = n.Children[0].StripParensAndCasts();
                    indexed = true;
                    if (b.Type.IsPointer) throughPointer = true;
                    n = b;
                    break;
                case NodeKind.MemberRef when n.Children.Count > 0:
                    if (n.IsArrow) throughPointer = true;
                    n = n.Children[0].StripParensAndCasts();
                    break;
                case NodeKind.MemberRef:
                    return throughPointer ? $"through the member pointer `{n.Spelling}` of its object" : $"the member `{n.Spelling}` of its object";
                case NodeKind.Unary when n.UnaryOp == UnaryOp.Deref && n.Children.Count == 1:
                    throughPointer = true;
                    n = n.Children[0].StripParensAndCasts();
                    if (n.Kind == NodeKind.Binary && n.Children.Count == 2)
                        n = n.Children[0].StripParensAndCasts().Type.IsPointer ? n.Children[0].StripParensAndCasts() : n.Children[1].StripParensAndCasts();
                    break;
                case NodeKind.Call when n.Decl is { } c && KnownFunctions.IsElementAccess(c.Name) && n.Children.Count > 0:
                    n = n.Children[0].StripParensAndCasts();
                    if (n.Kind == NodeKind.MemberRef && n.Children.Count > 0) n = n.Children[0].StripParensAndCasts();
                    break;
                default:
                    return "memory the analyzer cannot track";
            }
        }
    }
}
