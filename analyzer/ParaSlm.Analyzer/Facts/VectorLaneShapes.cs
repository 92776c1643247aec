using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Facts;

/// <summary>
/// Loop shapes beyond the plain stride-1 loop (<see cref="LoopFacts.Vectorizable"/>) that gcc and clang still run in vector
/// lanes, proven from the same walk: a constant step S &gt; 1 whose accesses to each array form a fully covered interleaved
/// group (`a[i]`, `a[i+1]`, … `a[i+S-1]`: every element of each S-wide block touched once, so the lanes load whole vectors
/// and shuffle, TSVC's `s351`), and calls to functions defined in this file whose body is one `return` of arithmetic on their
/// scalar parameters (inlined to a few operations, TSVC's `s4121`). In a loop of unit step also two strides both compilers
/// vectorize (gcc 12 and clang 19 at -O3, `-fopt-info-vec` / `-Rpass=loop-vectorize`, serial and in the OpenMP copy alike): a
/// run-time stride invariant in the loop (`a[i * inc]`, TSVC's `s171`: the loop is versioned for `inc == 1`, the version run
/// in lanes) and a constant stride of 2 (`a[2*i]` written from stride-1 reads, TSVC's `s1111`). Only the cost model reads these facts: the plan's `simd`
/// clause still follows <see cref="LoopFacts.Vectorizable"/> alone.
/// </summary>
internal static class VectorLaneShapes
{
    /// <summary>
    /// The calls of <paramref name="loop"/> (nested loops included, one entry per call, in source order) whose callee is
    /// defined in this file and is arithmetic on its arguments (<see cref="IsArithmetic"/>).
    /// </summary>
    public static IReadOnlyList<string> InlinedCalls(LoopInfo loop, FunctionEffects effects) =>
        loop.Node.DescendantsAndSelf()
            .Where(n => n.Kind == NodeKind.Call && n.Decl is { Kind: DeclKind.Function } d && effects.DefinitionOf(d) is { } def && IsArithmetic(def))
            .Select(n => n.Decl!.Name)
            .ToList();

    /// <summary>
    /// Why the compiler runs this innermost, branch-free loop in vector lanes although it is not a plain stride-1 loop
    /// without calls (null when it does not, or when it is one: that case is <see cref="LoopFacts.Vectorizable"/>'s).
    /// Every call must be inlined arithmetic; every access a scalar element whose subscripts move with the counter only in
    /// the last one, by ±1 element per unit of the counter (or not at all); with a step S &gt; 1 the accesses of each array
    /// row (same base, same other terms) must cover all S offsets modulo S. A gather (`a[ip[i]]`), a partial group (offsets
    /// 0..3 of a step of 5: the vectorizer pays for gaps, or stays scalar), a constant stride above 2 or any other call keeps
    /// the loop out; in a loop of unit step the last subscript may also move by 2 or by an invariant run-time stride.
    /// </summary>
    /// <param name="hasBranches">Whether the body branches (<see cref="LoopJudge.HasBranches"/>, which the judge computed for
    /// <see cref="LoopFacts.Branchless"/>).</param>
    public static string? Prove(LoopInfo loop, LoopHeader header, LoopBody body, FunctionEffects effects, bool hasBranches)
    {
        if (loop.Children.Count > 0 || loop.IsRangeFor || !header.StepKnown || header.Step == 0) return null;
        if (hasBranches || LoopJudge.HasControlFlowLanesCannotTake(loop)) return null;
        var calls = loop.Node.DescendantsAndSelf().Where(n => n.Kind == NodeKind.Call).ToList();
        var inlined = InlinedCalls(loop, effects);
        // (A callee the walker followed into is not in body.Calls; every call node must be inlined arithmetic either way.)
        if (inlined.Count != calls.Count) return null;
        var step = Math.Abs(header.Step);
        var groups = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        var versioned = new List<string>();
        var pairs = new List<string>();
        foreach (var a in body.Accesses)
        {
            if (a.UnknownExtent || a.Path.Count == 0 || a.Path.Any(p => p is not IndexStep) || !a.Node.Type.IsScalarValue) return null;
            var subscripts = a.Subscripts.ToList();
            for (var k = 0; k < subscripts.Count; k++)
            {
                if (subscripts[k] is not { } s) return null;
                // An opaque term that reads the counter (`x[i / 2]`) moves by no fixed stride: a gather.
                if (s.Symbols.Any(x => !x.Equals(header.Symbol) && x.Dependencies.Contains(header.Symbol.Key))) return null;
                var c = LoopJudge.ConstantCoefficient(s, header.Symbol);
                if (k == subscripts.Count - 1 && step == 1 && c is null && s.Split(header.Symbol).Coefficient is { IsConstant: false } symbolic &&
                    !symbolic.Mentions(header.Symbol))
                {
                    // `a[i * inc]`, `inc` invariant: gcc and clang version the loop for `inc == 1` and run that version in lanes.
                    versioned.Add(a.Text);
                    continue;
                }
                if (k == subscripts.Count - 1 && step == 1 && c is 2 or -2)
                {
                    // `a[2*i]`: loaded as pairs and shuffled, or stored element by element from the lanes' results.
                    pairs.Add(a.Text);
                    continue;
                }
                if (c is null || (k < subscripts.Count - 1 ? c != 0 : Math.Abs(c.Value) > 1)) return null;
                if (k == subscripts.Count - 1 && c != 0)
                {
                    var row = a.Base.Key + "|" + string.Join(",", subscripts.Take(k).Select(x => x!.ToString())) + "|" +
                              string.Join("+", s.Terms.Where(t => !t.Key.Contains(header.Symbol)).Select(t => $"{t.Value}*{t.Key}").Order(StringComparer.Ordinal));
                    if (!groups.TryGetValue(row, out var offsets)) groups[row] = offsets = [];
                    offsets.Add(((s.Constant % step) + step) % step);
                }
            }
        }
        if (step > 1 && (groups.Count == 0 || groups.Values.Any(g => g.Count != step))) return null;
        if (step == 1 && calls.Count == 0 && versioned.Count == 0 && pairs.Count == 0) return null;
        var parts = new List<string>();
        if (step > 1) parts.Add($"its step of {step} reads and writes each array as an interleaved group covering all {step} elements of every block");
        if (inlined.Count > 0)
            parts.Add($"it calls {string.Join(", ", inlined.Distinct(StringComparer.Ordinal).Select(n => $"`{n}`"))}, whose body returns arithmetic on its arguments (inlined)");
        if (versioned.Count > 0)
            parts.Add($"{Listed(versioned)} {(versioned.Count == 1 ? "moves" : "move")} by a run-time stride, for which the compilers keep a version of the loop in lanes when it is 1");
        if (pairs.Count > 0)
            parts.Add($"{Listed(pairs)} {(pairs.Count == 1 ? "moves" : "move")} by 2 elements, which the lanes load as pairs or store element by element");
        return string.Join("; ", parts);
    }

    private static string Listed(IEnumerable<string> texts) => string.Join(", ", texts.Distinct(StringComparer.Ordinal).Select(t => $"`{t}`"));

    /// <summary>
    /// A function definition whose body is a single `return` (or `return expr;`) of arithmetic on scalar parameters and
    /// constants: no memory access, no call, no branch, no assignment. Such a body is always inlined at -O2/-O3 and adds a
    /// few register operations to the caller's iteration, not a call.
    /// </summary>
    internal static bool IsArithmetic(SyntaxNode definition)
    {
        // The file's definitions map to the function's body (its compound statement), whose parent declares the parameters.
        var block = definition.Kind == NodeKind.Compound ? definition : definition.Children.LastOrDefault(n => n.Kind == NodeKind.Compound);
        if (block?.Parent is not { } function || function.Children.Any(p => p.Kind == NodeKind.ParmDecl && !p.Type.IsScalarValue)) return false;
        var statements = block.Children.ToList();
        if (statements.Count != 1 || statements[0].Kind != NodeKind.Return) return false;
        return statements[0].DescendantsAndSelf().Skip(1).All(n => n.Kind switch
        {
            NodeKind.IntLiteral or NodeKind.FloatLiteral or NodeKind.Paren or NodeKind.Cast or NodeKind.Unexposed => true,
            NodeKind.DeclRef => n.Decl is { Kind: DeclKind.Parameter or DeclKind.EnumConstant },
            NodeKind.Binary => !n.BinaryOp.IsAssignment() && n.BinaryOp is not (BinaryOp.Comma or BinaryOp.LAnd or BinaryOp.LOr or BinaryOp.PtrMemD or BinaryOp.PtrMemI),
            NodeKind.Unary => n.UnaryOp is UnaryOp.Plus or UnaryOp.Minus or UnaryOp.Not or UnaryOp.LNot,
            _ => false,
        });
    }
}
