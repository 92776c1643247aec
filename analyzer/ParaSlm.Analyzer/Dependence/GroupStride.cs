using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>
/// Proofs that a symbolic expression is ≥ 0, for the group-stride rule of <see cref="DependenceTester"/>: a loop whose
/// counter moves by a step S (`i += len`) touches, in iteration i, only elements a·i + g with g in a range [lo, hi]
/// over the inner loops; when hi − lo &lt; |a|·S, two different iterations (i − i' a non-zero multiple of S) can never
/// meet. The FFT butterfly group loop is the case in point: `half = len / 2` and `k &lt; half` give
/// g ∈ [0, 2·half − 1], and 2·half ≤ len.
/// <para>
/// What the proofs use, each a theorem about C's integers:
/// the step of a loop that runs is ≥ 1 (`i &lt; n` with `i += S`: OpenMP requires the step to move towards the bound,
/// which every symbolic-step loop the analyzer accepts already assumes); a local defined once, before the loop in a
/// block that contains it, with nothing in that block writing what its definition reads, still holds its definition's
/// value (`half` is `len / 2`); for X ≥ 0 and c &gt; 0, truncating division and an arithmetic right shift agree and
/// satisfy X − (c − 1) ≤ c·(X / c) ≤ X; a variable with a known lower bound (a loop that runs: `k &lt; half` ⇒ half ≥ 1)
/// is at least that.
/// </para>
/// </summary>
internal sealed class GroupStride(LoopInfo loop, LoopHeader header, IReadOnlyDictionary<string, long> lowerBounds)
{
    private const int MaxExpansions = 4;
    private const long MaxScale = 1 << 20;

    private readonly FunctionScope _scope = loop.Function;
    private readonly Dictionary<string, LinearExpr?> _definitions = new(StringComparer.Ordinal);

    /// <summary>|a|·S, the smallest distance (in elements) between the accesses of two different iterations for a
    /// counter coefficient a; null when the step is not known to be positive.</summary>
    public LinearExpr? Stride(LinearExpr coefficient)
    {
        if (!coefficient.IsConstant || coefficient.Constant == 0 || (!header.StepKnown && header.Step <= 0)) return null;
        return header.StepExpr.StepMagnitude().Scale(Math.Abs(coefficient.Constant));
    }

    /// <summary>e ≥ 0 for every execution of the loop (false: not proven).</summary>
    public bool ProvesNonNegative(LinearExpr e)
    {
        var bounds = new Dictionary<string, long>(lowerBounds, StringComparer.Ordinal);
        // A symbolic step moves towards a `<`/`<=` bound: it is at least 1.
        if (!header.StepKnown && header.Step > 0 && header.StepExpr.Terms.Count == 1 && header.StepExpr.Constant == 0 &&
            header.StepExpr.Terms.First() is { Value: 1, Key.Factors: [var stepSymbol] })
            bounds[stepSymbol.Key] = Math.Max(bounds.GetValueOrDefault(stepSymbol.Key), 1);
        var expanded = Expand(e);
        if (expanded is null) return false;
        try
        {
            return LowerBoundScaled(expanded, bounds) is var (low, scale) && low > -scale;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Replaces locals by their single definitions where that is sound (see the class comment).</summary>
    private LinearExpr? Expand(LinearExpr e)
    {
        for (var round = 0; round < MaxExpansions; round++)
        {
            var changed = false;
            foreach (var s in e.Symbols.ToList())
            {
                if (s.IsOpaque || Definition(s.Key) is not { } value) continue;
                e = e.Substitute(s, value)!;
                if (e is null) return null;
                changed = true;
            }
            if (!changed) break;
        }
        return e;
    }

    /// <summary>L·e ≥ low for the returned (low, L): every quotient X / c replaced by the bound that X ≥ 0 gives.</summary>
    private static (long Low, long Scale)? LowerBoundScaled(LinearExpr e, Dictionary<string, long> bounds)
    {
        var quotients = e.Terms.Keys.Where(m => m.Factors.Count == 1 && m.Factors[0].Quotient is not null).Select(m => m.Factors[0]).ToList();
        long scale = 1;
        foreach (var q in quotients)
        {
            scale = checked(scale * q.Quotient!.Value.Divisor);
            if (scale > MaxScale) return null;
        }
        var r = e.Scale(scale);
        foreach (var q in quotients)
        {
            var (x, c) = q.Quotient!.Value;
            if (LowerBound(x, bounds) is not >= 0) return null;
            var (k, rest) = r.Split(q);
            if (!k.IsConstant) return null;
            // k < 0: k·Q ≥ (k/c)·X (c·Q ≤ X); k > 0: k·Q ≥ (k/c)·(X − (c − 1)) (c·Q ≥ X − c + 1).
            var replacement = k.Constant < 0 ? x.Scale(k.Constant / c) : x.Subtract(LinearExpr.Const(c - 1)).Scale(k.Constant / c);
            r = rest.Add(replacement);
        }
        return LowerBound(r, bounds) is { } low ? (low, scale) : null;
    }

    /// <summary>A lower bound from symbols' lower bounds (only positive coefficients on non-negative symbols qualify).</summary>
    private static long? LowerBound(LinearExpr e, Dictionary<string, long> bounds)
    {
        var low = e.Constant;
        foreach (var (m, k) in e.Terms)
        {
            if (k < 0) return null;
            long p = 1;
            foreach (var f in m.Factors)
            {
                if (!bounds.TryGetValue(f.Key, out var b) || b < 0) return null;
                p = checked(p * b);
            }
            low = checked(low + k * p);
        }
        return low;
    }

    /// <summary>The value a local holds at the loop: its single definition, when nothing can have changed it or what it
    /// reads between the definition and the loop (or while the loop runs).</summary>
    private LinearExpr? Definition(string key)
    {
        if (_definitions.TryGetValue(key, out var cached)) return cached;
        _definitions[key] = null; // a definition that refers to itself stays unexpanded
        var value = Compute(key);
        _definitions[key] = value;
        return value;
    }

    private LinearExpr? Compute(string key)
    {
        if (_scope.SingleDefinition(key) is not { } init || _scope.DeclarationOf(key) is not { Decl: { } decl } declNode) return null;
        if (decl.IsGlobalStorage || decl.Type.IsReference || !decl.Type.IsIntegral) return null;
        // The declaration is a statement of a block that also holds the loop, before it: it ran before the loop.
        if (declNode.Parent is not { Kind: NodeKind.DeclStmt } stmt || stmt.Parent is not { Kind: NodeKind.Compound } block) return null;
        if (!block.Span.Contains(loop.Node.Span) || declNode.Span.EndOffset > loop.Node.Span.Offset) return null;
        var value = new AffineConverter(_scope, _ => false).Convert(init);
        if (value is null) return null;
        foreach (var dep in value.Symbols.SelectMany(s => s.Dependencies).Distinct(StringComparer.Ordinal))
            if (!Stable(dep, declNode.Span.Offset, block.Span.EndOffset)) return null;
        return value;
    }

    /// <summary>A local or parameter, never written through an address, with no write between the two offsets.</summary>
    private bool Stable(string key, int from, int to)
    {
        if (_scope.IsAddressTaken(key)) return false;
        var local = _scope.DeclarationOf(key)?.Decl;
        var parameter = local is null ? _scope.Node.DescendantsAndSelf().FirstOrDefault(n => n.Kind == NodeKind.ParmDecl && n.Decl?.Key == key)?.Decl : null;
        if ((local ?? parameter) is not { } d || d.IsGlobalStorage || d.Type.IsReference) return false;
        return _scope.WritesOf(key).All(w => w.Span.EndOffset <= from || w.Span.Offset >= to);
    }
}

internal static class StepExtensions
{
    /// <summary>|S| for a constant step; the step itself when symbolic (its sign is then known positive by the caller).</summary>
    public static LinearExpr StepMagnitude(this LinearExpr step) => step.IsConstant ? LinearExpr.Const(Math.Abs(step.Constant)) : step;
}
