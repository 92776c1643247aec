using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// The functions of this translation unit that run at most once per run of the program: `main` (when it does not call
/// itself), and a `static` function (internal linkage, so every use of it is in this file) whose name appears exactly once,
/// as the callee of one call that sits in a run-once function outside every loop, in a function with no `goto`, label or
/// `setjmp`-like re-entry (none of `goto`, indirect goto or labels; a call named `setjmp`/`sigsetjmp`/`_setjmp` counts as one).
/// PolyBench's `init_array` and `kernel_*` are such functions (each called once from `main`). A function whose address is
/// taken, that another file may call (external linkage), or that is called twice or in a loop is not.
/// </summary>
public static class RunOnceFunctions
{
    /// <summary>The run-once functions by key: why each runs once, and (but for `main`) its one call.</summary>
    public sealed record Set(IReadOnlyDictionary<string, string> Why, IReadOnlyDictionary<string, SyntaxNode> CallOf)
    {
        public static Set Empty { get; } = new(new Dictionary<string, string>(), new Dictionary<string, SyntaxNode>());
    }

    private static readonly HashSet<string> ReEntry = new(StringComparer.Ordinal) { "setjmp", "_setjmp", "sigsetjmp", "__sigsetjmp" };

    /// <summary>Why each run-once function (by key) runs once.</summary>
    public static Set Of(TranslationUnitSyntax tu)
    {
        var why = new Dictionary<string, string>(StringComparer.Ordinal);
        var callOf = new Dictionary<string, SyntaxNode>(StringComparer.Ordinal);
        // Every mention of a function defined here: calls and plain references (an address taken is a reference outside a call's callee).
        var references = new Dictionary<string, List<SyntaxNode>>(StringComparer.Ordinal);
        foreach (var n in tu.Root.DescendantsAndSelf())
            if (n.Kind == NodeKind.DeclRef && n.Decl is { IsFunction: true } f && tu.FunctionDefinitions.ContainsKey(f.Key))
                (references.TryGetValue(f.Key, out var list) ? list : references[f.Key] = []).Add(n);
        var mains = tu.FunctionDefinitions.Where(d => d.Value.Decl is { Kind: DeclKind.Function, Name: "main" } m && m.QualifiedName == "main").ToList();
        if (mains.Count != 1) return Set.Empty;
        var (mainKey, mainNode) = (mains[0].Key, mains[0].Value);
        if (references.ContainsKey(mainKey) || Reenters(mainNode)) return Set.Empty;
        why[mainKey] = "`main` runs once";
        var pending = new Queue<SyntaxNode>([mainNode]);
        while (pending.Count > 0)
        {
            var caller = pending.Dequeue();
            var callerName = caller.Decl!.Name;
            foreach (var call in caller.DescendantsAndSelf().Where(n => n.Kind == NodeKind.Call))
            {
                if (call.Decl is not { IsFunction: true, IsInternalFunction: true } callee || why.ContainsKey(callee.Key) ||
                    !tu.FunctionDefinitions.TryGetValue(callee.Key, out var definition)) continue;
                // One mention in the whole file, and it is this call's callee (an argument naming the function is a second one).
                if (!references.TryGetValue(callee.Key, out var uses) || uses.Count != 1 || !IsCalleeOf(uses[0], call)) continue;
                if (call.Ancestors().TakeWhile(a => !ReferenceEquals(a, caller)).Any(IsLoop) || Reenters(definition)) continue;
                why[callee.Key] = $"`{callee.Name}` runs once (`static`, called only from `{callerName}` at line {call.Span.Line}, outside every loop; {why[caller.Decl.Key]})";
                callOf[callee.Key] = call;
                pending.Enqueue(definition);
            }
        }
        return new Set(why, callOf);
    }

    private static bool IsLoop(SyntaxNode n) => n.Kind is NodeKind.For or NodeKind.While or NodeKind.Do or NodeKind.RangeFor;

    /// <summary>A jump that may run a statement of the function again: `goto`, a label, or a `setjmp` the function calls.</summary>
    private static bool Reenters(SyntaxNode function) =>
        function.DescendantsAndSelf().Any(n => n.Kind is NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Label ||
                                               n.Kind == NodeKind.Call && n.Decl is { } d && ReEntry.Contains(d.Name));

    /// <summary>The reference is the callee of <paramref name="call"/> (under casts and parentheses only), not an argument.</summary>
    private static bool IsCalleeOf(SyntaxNode reference, SyntaxNode call)
    {
        if (call.Children.Count == 0) return false;
        var callee = call.Children[0];
        while (callee.Kind is NodeKind.Unexposed or NodeKind.Cast or NodeKind.Paren && callee.Children.Count == 1) callee = callee.Children[0];
        return ReferenceEquals(callee, reference);
    }
}
