using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Effects;

/// <summary>
/// Whether a pointer's value can end up somewhere a loop may read it back under another name: stored in a global, a
/// struct member, an out-parameter or a lambda, returned, or handed to a function that may do any of these. A
/// `restrict` pointer or a fresh allocation proves "no other base reaches this memory" only while no such copy exists
/// (C11 6.7.3.1: a copy kept by a callee is <em>based on</em> the pointer and may name the same elements).
/// </summary>
/// <remarks>
/// The walk follows the pointer's value upward from every place it is named and accepts only uses that cannot keep
/// it: an access through it (`p[i]`, `*p`, `p->x` of a scalar), a comparison or a test, `sizeof`, arithmetic
/// whose result flows on and is followed in turn, a copy into a local pointer (followed too), and an argument of a
/// callee that cannot keep it: a function whose body is in the translation unit and passes this same walk for that
/// parameter (recursively; a function in a cycle is assumed not to keep it while its cycle is walked, and such answers
/// are not remembered), or a standard function known to keep no pointer (<see cref="KnownFunctions.KeepsNoPointer"/>).
/// Any other use (an unknown external callee, a function pointer, a method called on the object, a braced
/// initializer, a store anywhere but a local) counts as kept.
/// </remarks>
public sealed class PointerRetention(FunctionEffects effects)
{
    private readonly Dictionary<(string Function, int Parameter), bool> _memo = [];
    private readonly HashSet<(string Function, int Parameter)> _inProgress = [];
    private bool _assumed;

    /// <summary>
    /// True when the value of <paramref name="pointer"/> may be kept beyond the uses in <paramref name="function"/>
    /// that the caller's own analysis follows: handed to a callee that may keep it, or stored in a braced initializer
    /// or a place other than a local. Copies into locals defined once are followed (the analyzer ties them to the
    /// pointer); a copy into any other local counts as kept unless <paramref name="otherLocalCopies"/>.
    /// </summary>
    /// <param name="inWrapper">The pointer is the one an allocation wrapper returns (<see cref="AllocatorWrappers"/>): its
    /// `return` is what the wrapper promises, and a lambda naming it may outlive the call. Otherwise it is the loop's
    /// own function, whose block ends at a `return`.</param>
    public bool MayBeKept(DeclInfo pointer, FunctionScope function, bool otherLocalCopies = false, bool inWrapper = false) =>
        Escapes(function.Node, new() { [pointer.Key] = 1 }, new Walk(ReturnKeeps: false, LambdaKeeps: inWrapper, function, otherLocalCopies));

    /// <summary>How uses are judged: in a callee every `return` and lambda keeps the value; in the caller's function a
    /// copy into a local the analyzer does not follow (<see cref="FunctionScope.SingleDefinition"/>) keeps it too.</summary>
    private sealed record Walk(bool ReturnKeeps, bool LambdaKeeps, FunctionScope? Function, bool OtherLocalCopies)
    {
        /// <summary>In the loop's own function `f(&amp;p)` may hand the variable's address to a callee that keeps neither
        /// the address nor the pointer read through it (LULESH's `Release(&amp;p)`); what it writes is the caller's concern.</summary>
        public bool AddressToCallee => Function is not null && !OtherLocalCopies;
    }

    private const int MaxLevel = 2;

    /// <summary>True when the function whose definition is <paramref name="definition"/> may keep the value of its
    /// parameter number <paramref name="index"/> past its return.</summary>
    /// <param name="level">What the argument is: 1 the pointer (or a pointer based on it), 2 the address of a variable
    /// holding it (`&amp;p`: then neither that address nor the pointer read through it may be kept), 0 an element bound
    /// to a reference parameter (its address may not be kept).</param>
    public bool KeepsParameter(string functionKey, SyntaxNode definition, int index, int level = 1)
    {
        var parameters = definition.Children.Where(c => c.Kind == NodeKind.ParmDecl && c.Decl is not null).ToList();
        if (index >= parameters.Count || level > MaxLevel) return true; // a variadic argument: `va_arg` may fetch and keep it
        var key = (functionKey, index * (MaxLevel + 1) + level);
        if (_memo.TryGetValue(key, out var known)) return known;
        if (!_inProgress.Add(key))
        {
            // Assume not kept inside a cycle: every store the cycle makes is still found in the body that makes it.
            _assumed = true;
            return false;
        }
        var outer = _assumed;
        _assumed = false;
        try
        {
            var body = definition.Children.LastOrDefault(c => c.Kind == NodeKind.Compound);
            // A constructor's member initializers sit beside its body: anything but a plain body may store the pointer.
            if (body is null || definition.Children.Any(c => c.Kind == NodeKind.MemberRef)) return Remember(key, true);
            var parameter = parameters[index].Decl!;
            // A reference parameter is the caller's own variable: the callee may rebind it or take its address.
            // A reference parameter bound to a pointer variable may rebind it; one bound to an element names that element.
            if (parameter.Type.IsReference && level > 0) return Remember(key, true);
            if (!parameter.Type.IsReference && level == 0) return Remember(key, false); // an element copied by value
            var kept = Escapes(body, new() { [parameter.Key] = level }, new Walk(ReturnKeeps: true, LambdaKeeps: true, null, OtherLocalCopies: true));
            return Remember(key, kept);
        }
        finally
        {
            _inProgress.Remove(key);
            _assumed |= outer;
        }
    }

    private bool Remember((string, int) key, bool kept)
    {
        if (kept || !_assumed) _memo[key] = kept;
        return kept;
    }

    /// <summary>Whether any value based on the <paramref name="tracked"/> names leaves <paramref name="scope"/>.</summary>
    private bool Escapes(SyntaxNode scope, Dictionary<string, int> tracked, Walk walk)
    {
        // Copies into locals join the tracked set; walk again until it stops growing.
        var walked = 0;
        while (walked < tracked.Count)
        {
            walked = tracked.Count;
            foreach (var n in scope.DescendantsAndSelf())
            {
                if (n.Kind != NodeKind.DeclRef || n.Decl is not { } d || !tracked.ContainsKey(d.Key)) continue;
                // A lambda that names the pointer may outlive the call and read through its capture.
                if (walk.LambdaKeeps && n.Ancestors().TakeWhile(a => !ReferenceEquals(a, scope)).Any(a => a.Kind == NodeKind.Lambda)) return true;
                if (UseKeeps(n, tracked, walk)) return true;
            }
        }
        return false;
    }

    /// <summary>Follows the value named at <paramref name="use"/> upward until it is consumed without being kept.</summary>
    private bool UseKeeps(SyntaxNode use, Dictionary<string, int> tracked, Walk walk)
    {
        var n = use;
        // How many dereferences reach the tracked object's elements: 1 for the pointer, 2 for its address, 0 for an element.
        var depth = tracked[use.Decl!.Key];
        var element = depth == 0; // n designates an element of the pointed-to object rather than the pointer's value
        var untied = false; // the value came back from a callee (`memcpy(p, …)`): the analyzer does not tie a copy of it to the pointer
        while (n.Parent is { } parent)
        {
            if (element)
            {
                // A scalar or pointer element is read or written: the value moved is the element, not the pointer. Its
                // address taken, a reference bound to it (a call's reference parameter, a reference variable), an
                // array element decaying, or a struct element used as a whole are the pointer again.
                var shape = n.Type.Shape;
                var bound = parent.Kind is NodeKind.Call or NodeKind.Return ||
                            (parent.Kind == NodeKind.Unary && parent.UnaryOp == UnaryOp.AddrOf) ||
                            (parent.Kind == NodeKind.VarDecl && parent.Decl?.Type.IsReference == true) ||
                            (parent.Kind == NodeKind.Paren);
                if (shape is TypeShape.Scalar or TypeShape.Pointer && !bound) return false;
                element = false;
                if (parent.Kind == NodeKind.Paren) { n = parent; element = true; continue; }
            }
            switch (parent.Kind)
            {
                case NodeKind.Paren or NodeKind.Cast:
                case NodeKind.Unexposed when parent.Children.Count == 1:
                    // A cast to another element type (`(char *)p`, `(uintptr_t)p`) counts in other units: a local defined
                    // from it is a name the dependence test does not tie to the pointer.
                    if (depth == 1 && parent.Kind == NodeKind.Cast && !TypeInfo.SameElement(parent.Type, n.Type)) untied = true;
                    n = parent;
                    continue;
                case NodeKind.Subscript:
                case NodeKind.MemberRef when parent.IsArrow || IsFirst(parent, n):
                case NodeKind.Unary when parent.UnaryOp == UnaryOp.Deref:
                    // `s.x` of an element is still an element; anything else reads through the value one level down.
                    if (!(parent.Kind == NodeKind.MemberRef && !parent.IsArrow && depth == 0)) depth--;
                    n = parent;
                    if (depth <= 0) { depth = 0; element = true; }
                    continue;
                case NodeKind.Unary when parent.UnaryOp == UnaryOp.AddrOf:
                    // `&p`: the pointer variable itself may be written or read back through its address, unless it goes
                    // straight to a callee (checked at the next level, see Walk.AddressToCallee).
                    if (n.StripParensAndCasts().Kind == NodeKind.DeclRef && !(walk.AddressToCallee && ArgumentOfCall(parent))) return true;
                    depth++;
                    n = parent;
                    continue;
                case NodeKind.Unary when parent.UnaryOp.IsIncDec() || parent.UnaryOp is UnaryOp.LNot:
                    return false;
                case NodeKind.Unary when parent.UnaryOp is UnaryOp.Plus or UnaryOp.Minus or UnaryOp.Not or UnaryOp.Extension:
                    n = parent;
                    continue;
                case NodeKind.SizeOf or NodeKind.Delete:
                    return false; // unevaluated, or the memory ends with it
                case NodeKind.Binary when parent.BinaryOp == BinaryOp.Assign:
                    if (IsFirst(parent, n)) return false; // a store into (or through) the tracked name itself
                    if (!StoreFollowed(parent.Children[0], tracked, walk, depth)) return true;
                    n = parent; // `a = b = p`: the assignment's value flows on
                    continue;
                case NodeKind.CompoundAssign:
                    if (IsFirst(parent, n)) return false; // `p += k`
                    return true;
                case NodeKind.Binary when parent.BinaryOp.IsComparison() || parent.BinaryOp is BinaryOp.LAnd or BinaryOp.LOr or BinaryOp.Cmp:
                    return false;
                case NodeKind.Binary when parent.BinaryOp == BinaryOp.Comma:
                    if (IsFirst(parent, n)) return false;
                    untied = true; // `q = (x, p)`: the analyzer follows no comma to the pointer
                    n = parent;
                    continue;
                case NodeKind.Binary:
                    // Pointer arithmetic, or an integer made of the pointer that may be turned back into one (`p & ~63`):
                    // the analyzer follows only `p + k` and `p - k` to the pointer.
                    if (parent.BinaryOp is not (BinaryOp.Add or BinaryOp.Sub)) untied = true;
                    n = parent;
                    continue;
                case NodeKind.Conditional:
                    if (IsFirst(parent, n)) return false;
                    untied = true; // `q = c ? p : r` may name either object: the analyzer ties `q` to neither
                    n = parent;
                    continue;
                case NodeKind.If or NodeKind.While or NodeKind.Do or NodeKind.For or NodeKind.Switch or NodeKind.Compound
                    or NodeKind.Case or NodeKind.Default or NodeKind.Label:
                    return false; // a test, or an expression statement whose value is dropped
                case NodeKind.Return:
                    // The caller may keep what a callee returns; in the loop's own function the block ends there.
                    return walk.ReturnKeeps;
                case NodeKind.VarDecl:
                    if (!ReferenceEquals(FunctionScope.InitializerOf(parent), n)) return true;
                    return !DeclarationFollowed(parent.Decl, tracked, walk, depth, untied);
                case NodeKind.Call:
                    if (CallKeeps(parent, n, depth)) return true;
                    // `q = memcpy(p, …)`: the call's value is the pointer again; follow it like `p` itself.
                    if (depth != 1 || !ReturnsArgument(parent, n)) return false;
                    untied = true;
                    n = parent;
                    continue;
                default:
                    return true;
            }
        }
        return true;
    }

    private static bool ArgumentOfCall(SyntaxNode n)
    {
        var p = n.Parent;
        while (p is not null && (p.Kind is NodeKind.Paren or NodeKind.Cast || (p.Kind == NodeKind.Unexposed && p.Children.Count == 1))) p = p.Parent;
        return p?.Kind == NodeKind.Call;
    }

    private static bool IsFirst(SyntaxNode parent, SyntaxNode child) => parent.Children.Count > 0 && ReferenceEquals(parent.Children[0], child);

    /// <summary>`q = p`: followed when `q` is a local (not static, not a reference) the walk can track.</summary>
    private static bool StoreFollowed(SyntaxNode target, Dictionary<string, int> tracked, Walk walk, int depth)
    {
        var t = target.StripParensAndCasts();
        if (t.Kind != NodeKind.DeclRef || t.Decl is not { } d) return false;
        if (tracked.TryGetValue(d.Key, out var level)) return level == depth; // `p = p + 1`
        // In the loop's function an assigned local is a second name the dependence test cannot tie to the pointer.
        if (!walk.OtherLocalCopies) return false;
        if (!Local(d) || depth == 0) return false;
        tracked[d.Key] = depth;
        return true;
    }

    private static bool DeclarationFollowed(DeclInfo? d, Dictionary<string, int> tracked, Walk walk, int depth, bool untied)
    {
        if (d is null || !Local(d)) return false;
        // In the loop's function, a local defined once from the pointer is followed to it by the analyzer: not through a call.
        if (!walk.OtherLocalCopies && (untied || walk.Function?.SingleDefinition(d.Key) is null)) return false;
        if (depth == 0 || (tracked.TryGetValue(d.Key, out var level) && level != depth)) return false;
        tracked[d.Key] = depth;
        return true;
    }

    private static bool Local(DeclInfo d) =>
        d.Kind is DeclKind.Variable or DeclKind.Parameter && !d.IsGlobalStorage && !d.IsStatic && !d.Type.IsReference && !d.IsThreadLocal;

    /// <summary>A standard function that returns <paramref name="argument"/>, its first argument (<see cref="KnownFunctions.ReturnsFirstArgument"/>).</summary>
    private bool ReturnsArgument(SyntaxNode call, SyntaxNode argument) =>
        call.Decl is { } callee && (callee.InSystemHeader || effects.DefinitionOf(callee) is null) &&
        KnownFunctions.ReturnsFirstArgument(callee.Name, callee.QualifiedName) && ArgumentIndex(call, callee, argument) == 0;

    /// <summary>The position of <paramref name="argument"/> among the call's arguments; -1 for the callee's own expression or
    /// the object a method (or an operator) runs on.</summary>
    private static int ArgumentIndex(SyntaxNode call, DeclInfo callee, SyntaxNode argument)
    {
        var kids = call.Children;
        var calleeIndex = -1;
        for (var i = 0; i < kids.Count; i++)
        {
            var s = kids[i].StripParensAndCasts();
            if (s.Kind is NodeKind.DeclRef or NodeKind.MemberRef or NodeKind.OverloadedDeclRef && s.Decl?.Key == callee.Key)
            {
                calleeIndex = i;
                break;
            }
        }
        if (calleeIndex < 0 || kids.Take(calleeIndex + 1).Any(k => ReferenceEquals(k, argument))) return -1;
        return kids.Skip(calleeIndex + 1).ToList().IndexOf(argument);
    }

    /// <summary>Whether the callee of <paramref name="call"/> may keep <paramref name="argument"/>, one of its direct children.</summary>
    /// <remarks>The value <paramref name="argument"/> is a direct child of <paramref name="call"/>.</remarks>
    private bool CallKeeps(SyntaxNode call, SyntaxNode argument, int depth)
    {
        if (call.Decl is not { } callee)
        {
            // In a template, `free(*ptr)` with a dependent argument stays an unresolved name until instantiation: a
            // standard function that keeps nothing is trusted by that name; anything else (a function pointer) may keep it.
            return !(depth == 1 && !ReferenceEquals(call.Children.FirstOrDefault(), argument) &&
                     Loops.LoopBodyWalker.UnresolvedCallee(call) is { } name && KnownFunctions.KeepsNoPointer(name, name));
        }
        // The callee's own expression, or an object a method (or an operator) runs on: `this` may be kept.
        var index = ArgumentIndex(call, callee, argument);
        if (index < 0) return true;
        var library = callee.InSystemHeader || effects.DefinitionOf(callee) is null;
        if (library && depth == 1 && KnownFunctions.KeepsNoPointer(callee.Name, callee.QualifiedName)) return false;
        // An element bound to a pure function's reference parameter (`std::max(m, p[i])`) is only read.
        if (library && depth == 0 && KnownFunctions.IsPure(callee.Name, callee.QualifiedName)) return false;
        if (effects.DefinitionOf(callee) is not { } definition) return true;
        return KeepsParameter(callee.Key, definition, index, depth);
    }
}
