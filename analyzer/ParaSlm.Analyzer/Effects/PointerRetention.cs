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
    public bool MayBeKept(DeclInfo pointer, FunctionScope function, bool otherLocalCopies = false) =>
        Escapes(function.Node, [pointer.Key], callee: false, function, otherLocalCopies);

    /// <summary>True when the function whose definition is <paramref name="definition"/> may keep the value of its
    /// parameter number <paramref name="index"/> past its return.</summary>
    public bool KeepsParameter(string functionKey, SyntaxNode definition, int index)
    {
        var parameters = definition.Children.Where(c => c.Kind == NodeKind.ParmDecl && c.Decl is not null).ToList();
        if (index >= parameters.Count) return true; // a variadic argument: `va_arg` may fetch and keep it
        var key = (functionKey, index);
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
            var kept = parameter.Type.IsReference || Escapes(body, [parameter.Key], callee: true, null, otherLocalCopies: true);
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
    private bool Escapes(SyntaxNode scope, HashSet<string> tracked, bool callee, FunctionScope? function, bool otherLocalCopies)
    {
        // Copies into locals join the tracked set; walk again until it stops growing.
        var walked = 0;
        while (walked < tracked.Count)
        {
            walked = tracked.Count;
            foreach (var n in scope.DescendantsAndSelf())
            {
                if (n.Kind != NodeKind.DeclRef || n.Decl is not { } d || !tracked.Contains(d.Key)) continue;
                // A lambda that names the pointer may outlive the call and read through its capture.
                if (callee && n.Ancestors().TakeWhile(a => !ReferenceEquals(a, scope)).Any(a => a.Kind == NodeKind.Lambda)) return true;
                if (UseKeeps(n, tracked, callee, function, otherLocalCopies)) return true;
            }
        }
        return false;
    }

    /// <summary>Follows the value named at <paramref name="use"/> upward until it is consumed without being kept.</summary>
    private bool UseKeeps(SyntaxNode use, HashSet<string> tracked, bool callee, FunctionScope? function, bool otherLocalCopies)
    {
        var n = use;
        var element = false; // n designates an element of the pointed-to object rather than the pointer's value
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
                    n = parent;
                    continue;
                case NodeKind.Subscript:
                case NodeKind.MemberRef when parent.IsArrow || IsFirst(parent, n):
                case NodeKind.Unary when parent.UnaryOp == UnaryOp.Deref:
                    n = parent;
                    element = true;
                    continue;
                case NodeKind.Unary when parent.UnaryOp == UnaryOp.AddrOf:
                    // `&p`: the pointer variable itself may be written or read back through its address.
                    if (n.StripParensAndCasts().Kind == NodeKind.DeclRef) return true;
                    n = parent;
                    continue;
                case NodeKind.Unary when parent.UnaryOp.IsIncDec() || parent.UnaryOp is UnaryOp.LNot:
                    return false;
                case NodeKind.Unary when parent.UnaryOp is UnaryOp.Plus or UnaryOp.Minus or UnaryOp.Not or UnaryOp.Extension:
                    n = parent;
                    continue;
                case NodeKind.SizeOf:
                    return false;
                case NodeKind.Binary when parent.BinaryOp == BinaryOp.Assign:
                    if (IsFirst(parent, n)) return false; // a store into (or through) the tracked name itself
                    if (!StoreFollowed(parent.Children[0], tracked, function, otherLocalCopies)) return true;
                    n = parent; // `a = b = p`: the assignment's value flows on
                    continue;
                case NodeKind.CompoundAssign:
                    if (IsFirst(parent, n)) return false; // `p += k`
                    return true;
                case NodeKind.Binary when parent.BinaryOp.IsComparison() || parent.BinaryOp is BinaryOp.LAnd or BinaryOp.LOr or BinaryOp.Cmp:
                    return false;
                case NodeKind.Binary when parent.BinaryOp == BinaryOp.Comma:
                    if (IsFirst(parent, n)) return false;
                    n = parent;
                    continue;
                case NodeKind.Binary:
                    // Pointer arithmetic, or an integer made of the pointer that may be turned back into one.
                    n = parent;
                    continue;
                case NodeKind.Conditional:
                    if (IsFirst(parent, n)) return false;
                    n = parent;
                    continue;
                case NodeKind.If or NodeKind.While or NodeKind.Do or NodeKind.For or NodeKind.Switch or NodeKind.Compound
                    or NodeKind.Case or NodeKind.Default or NodeKind.Label:
                    return false; // a test, or an expression statement whose value is dropped
                case NodeKind.Return:
                    // The caller may keep what a callee returns; in the loop's own function the block ends there.
                    return callee;
                case NodeKind.VarDecl:
                    if (!ReferenceEquals(FunctionScope.InitializerOf(parent), n)) return true;
                    return !DeclarationFollowed(parent.Decl, tracked, function, otherLocalCopies);
                case NodeKind.Call:
                    return CallKeeps(parent, n);
                default:
                    return true;
            }
        }
        return true;
    }

    private static bool IsFirst(SyntaxNode parent, SyntaxNode child) => parent.Children.Count > 0 && ReferenceEquals(parent.Children[0], child);

    /// <summary>`q = p`: followed when `q` is a local (not static, not a reference) the walk can track.</summary>
    private static bool StoreFollowed(SyntaxNode target, HashSet<string> tracked, FunctionScope? function, bool otherLocalCopies)
    {
        var t = target.StripParensAndCasts();
        if (t.Kind != NodeKind.DeclRef || t.Decl is not { } d) return false;
        if (tracked.Contains(d.Key)) return true; // `p = p + 1`
        // In the loop's function an assigned local is a second name the dependence test cannot tie to the pointer.
        if (function is not null && !otherLocalCopies) return false;
        if (!Local(d)) return false;
        tracked.Add(d.Key);
        return true;
    }

    private static bool DeclarationFollowed(DeclInfo? d, HashSet<string> tracked, FunctionScope? function, bool otherLocalCopies)
    {
        if (d is null || !Local(d)) return false;
        // In the loop's function, a local defined once from the pointer is followed to it by the analyzer.
        if (function is not null && !otherLocalCopies && function.SingleDefinition(d.Key) is null) return false;
        tracked.Add(d.Key);
        return true;
    }

    private static bool Local(DeclInfo d) =>
        d.Kind is DeclKind.Variable or DeclKind.Parameter && !d.IsGlobalStorage && !d.IsStatic && !d.Type.IsReference && !d.IsThreadLocal;

    /// <summary>The value <paramref name="argument"/> is a direct child of <paramref name="call"/>.</summary>
    private bool CallKeeps(SyntaxNode call, SyntaxNode argument)
    {
        if (call.Decl is not { } callee) return true; // through a function pointer
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
        // The callee's own expression, or an object a method (or an operator) runs on: `this` may be kept.
        if (calleeIndex < 0 || kids.Take(calleeIndex + 1).Any(k => ReferenceEquals(k, argument))) return true;
        var index = kids.Skip(calleeIndex + 1).ToList().IndexOf(argument);
        if (KnownFunctions.KeepsNoPointer(callee.Name, callee.QualifiedName) && (callee.InSystemHeader || effects.DefinitionOf(callee) is null))
            return false;
        if (effects.DefinitionOf(callee) is not { } definition) return true;
        return KeepsParameter(callee.Key, definition, index);
    }
}
