using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Facts;

/// <summary>
/// Where an access's element lies in memory relative to the next iteration's: its size and how far the last subscript moves
/// per iteration (<see cref="AccessFact.ElementBytes"/>, <see cref="AccessFact.CounterStride"/>). The planner reads them to
/// tell a nest whose neighbouring iterations write neighbouring elements (the same cache line) from one whose iterations
/// write rows apart.
/// </summary>
public static class AccessElements
{
    /// <summary>Bytes of the scalar element at the end of the access's path; null for a field step last or a type whose
    /// size is not one of C's fixed scalar sizes on the x86-64 and AArch64 ABIs the tool targets.</summary>
    public static int? Bytes(MemoryAccess a)
    {
        if (a.Path.Count == 0 || a.Path[^1] is not IndexStep) return null;
        var t = a.Node.Type;
        if (t.Shape != TypeShape.Scalar) return null;
        return TypeInfo.FixedScalarBytes(t.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal)
            .Replace("volatile ", string.Empty, StringComparison.Ordinal).Trim());
    }

    /// <summary>Bytes of the whole array the access reads or writes, where its base is a declared array (`float aa[256][256]`,
    /// local or global, not a pointer, not a field) of constant extents down to a scalar of one of C's fixed sizes: the
    /// region's working set, for the cost model's cache-resident rule; null otherwise.</summary>
    public static long? ArrayBytes(MemoryAccess a)
    {
        if (a.Base.Kind != BaseKind.NamedArray || a.Base.Root?.Type is not { IsArray: true } t || a.Path.Any(p => p is not IndexStep)) return null;
        long n = 1;
        while (t.IsArray)
        {
            if (t.ArrayLength <= 0 || t.Element is null || n > long.MaxValue / t.ArrayLength) return null;
            n *= t.ArrayLength;
            t = t.Element;
        }
        if (!t.IsScalarValue || TypeInfo.FixedScalarBytes(t.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal)
                .Replace("volatile ", string.Empty, StringComparison.Ordinal).Trim()) is not { } bytes) return null;
        return n > long.MaxValue / bytes ? null : n * bytes;
    }

    /// <summary>Elements between the last subscript of this access in iterations k and k+1 of the loop with this header:
    /// the counter's constant coefficient in it × the step; null when the counter also moves another subscript, the
    /// subscripts the base pointer was loaded with, or has a coefficient that is not a constant (see <see cref="AccessFact.CounterStride"/>).</summary>
    public static long? CounterStride(MemoryAccess a, LoopHeader header)
    {
        var subscripts = a.Subscripts.ToList();
        if (subscripts.Count == 0 || a.Path[^1] is not IndexStep || subscripts.Any(s => s is null)) return null;
        var counter = header.Symbol;
        if (subscripts.Take(subscripts.Count - 1).Any(s => s!.Mentions(counter))) return null;
        if (a.Base.LoadSubscripts.Any(s => s is null || s.Mentions(counter))) return null;
        var (coefficient, _) = subscripts[^1]!.Split(counter);
        if (!coefficient.IsConstant) return null;
        // A symbolic step (`j += len`) only carries its sign in Step: the distance is not a constant.
        if (!header.StepExpr.IsConstant) return null;
        return coefficient.Constant * header.Step;
    }
}
