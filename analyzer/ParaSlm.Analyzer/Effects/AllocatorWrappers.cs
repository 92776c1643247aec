using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Effects;

/// <summary>
/// Allocations a pointer may be defined from to count as fresh memory: `malloc`/`calloc`/`aligned_alloc`/`new[]` and
/// the like, and calls of a function of the translation unit (a template's instantiation included) that only wraps
/// them, as LULESH's `template &lt;typename T&gt; T *Allocate(size_t size) { return static_cast&lt;T *&gt;(malloc(sizeof(T)*size)); }`.
/// </summary>
/// <remarks>
/// A wrapper returns fresh memory when its body is visible, it has at least one `return`, and every `return` yields
/// (through casts and parentheses) an allocation, a call of another such wrapper, or a local defined once from one of
/// these that the wrapper hands nowhere else (<see cref="PointerRetention"/>: not stored in a global or a member, not
/// given to a callee that may keep it). A wrapper that returns a slice of a pool, one of two pointers one of which
/// is not fresh, or a pointer it also records somewhere is not one; nor is a function whose body is not visible. A
/// wrapper in a cycle of wrappers is not one either (no base case allocates). The caller's own conditions on the
/// variable the result is assigned to (defined once, not copied, not kept by a callee) are checked where the
/// allocation is used, exactly as for a direct `malloc`.
/// </remarks>
public sealed class AllocatorWrappers(FunctionEffects effects)
{
    private readonly Dictionary<string, bool> _memo = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="value"/> is an allocation or a call of a wrapper that returns one.</summary>
    public bool IsFreshAllocation(SyntaxNode value)
    {
        var s = value.StripParensAndCasts();
        if (s.Kind == NodeKind.New) return true;
        if (s.Kind != NodeKind.Call || s.Decl is not { } callee) return false;
        if (IsAllocator(callee.Name)) return true;
        return ReturnsFresh(callee);
    }

    /// <summary>The C and POSIX allocation functions: each call returns memory no other pointer reaches.</summary>
    public static bool IsAllocator(string name) => name is "malloc" or "calloc" or "aligned_alloc" or "_mm_malloc" or "memalign";

    private bool ReturnsFresh(DeclInfo callee)
    {
        if (!callee.IsFunction || callee.InSystemHeader) return false;
        if (_memo.TryGetValue(callee.Key, out var known)) return known;
        if (!_inProgress.Add(callee.Key)) return false;
        try
        {
            var fresh = effects.DefinitionOf(callee) is { } definition && WrapsAllocation(definition);
            _memo[callee.Key] = fresh;
            return fresh;
        }
        finally
        {
            _inProgress.Remove(callee.Key);
        }
    }

    private bool WrapsAllocation(SyntaxNode definition)
    {
        var body = definition.Children.LastOrDefault(c => c.Kind == NodeKind.Compound);
        if (body is null) return false;
        var scope = new Loops.FunctionScope(definition);
        // A `return` inside a lambda belongs to the lambda, not to the wrapper.
        var returns = body.DescendantsAndSelf()
            .Where(n => n.Kind == NodeKind.Return && !n.Ancestors().TakeWhile(a => !ReferenceEquals(a, body)).Any(a => a.Kind == NodeKind.Lambda))
            .ToList();
        if (returns.Count == 0) return false;
        foreach (var r in returns)
        {
            if (r.Children.Count != 1) return false;
            var value = r.Children[0].StripParensAndCasts();
            if (IsFreshAllocation(value)) continue;
            // `T *p = malloc(...); fill(p); return p;`: a local defined once from an allocation that goes nowhere else.
            if (value.Kind == NodeKind.DeclRef && value.Decl is { } local && local.Kind == DeclKind.Variable && !local.IsGlobalStorage &&
                !local.IsStatic && !local.Type.IsReference && scope.SingleDefinition(local.Key) is { } init && IsFreshAllocation(init) &&
                !effects.Retention.MayBeKept(local, scope, inWrapper: true))
                continue;
            return false;
        }
        return true;
    }
}
