using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// The register form of an unroll-and-jam's chains (<see cref="UnrollJam.Accumulators"/>): each element the inner loop M
/// updates (mvt's `x1[i]`, gemver's `w[i]`) is loaded into an accumulator of its own type before M, updated there, and stored
/// after M, per copy. As written, the jammed body reads and writes the element in memory at every iteration of M — a
/// store-to-load round trip on every chain link, since the compiler cannot prove the element is not one of the arrays M reads
/// (PolyBench mvt LARGE+, one thread, gcc: 23.2 ms jammed in memory, 14.5 ms in accumulators).
/// </summary>
/// <param name="Load">Per copy u: `T paraslm_acc_j{u}_{s} = X;` for each element s.</param>
/// <param name="Body">Per copy u: M's innermost statements with every occurrence of each element replaced by its accumulator.</param>
/// <param name="Store">Per copy u: `X = paraslm_acc_j{u}_{s};`.</param>
/// <param name="Elements">Each element as written (for the report).</param>
/// <param name="FloatingPoint">An element is floating point: the form runs only where the compiler rounds in the type itself and
/// contracts `x + a*b` the same way in both shapes (`PARASLM_EXACT_FP &amp;&amp; PARASLM_SAME_CONTRACTION`), the jam in memory elsewhere.</param>
public sealed record JamAccumulators(
    IReadOnlyList<IReadOnlyList<CopiedLine>> Load,
    IReadOnlyList<IReadOnlyList<CopiedLine>> Body,
    IReadOnlyList<IReadOnlyList<CopiedLine>> Store,
    IReadOnlyList<string> Elements,
    bool FloatingPoint)
{
    /// <summary>The suffix of the plan element's name: `unroll-jam(i,4,acc)`.</summary>
    public const string NameSuffix = "acc";

    /// <summary>What the register form runs under in the generated text (null: always, integers).</summary>
    public string? Condition => FloatingPoint ? SourceRewriter.ExactAndSameContraction : null;
}

/// <summary>
/// Proves <see cref="JamAccumulators"/> for an unroll-and-jam <see cref="UnrollJamming"/> has proven. Theorem: let M's
/// innermost body be statements `X_s = E_s` or `X_s op= E_s`. If (1) each X_s is a subscript of arithmetic, non-volatile,
/// non-atomic scalar type that names `j` and otherwise only variables nothing in j's body writes (so, for one `j`, X_s is one
/// element during the whole of M, and distinct for distinct `j`, since `j` carries no dependence); (2) every access the
/// analyzer resolves, inside M, to X_s's base is an occurrence of X_s itself in M's innermost statements, every reference to
/// X_s's root variable in M is inside such an occurrence, and no access of j's body has an unknown extent — j's parallel proof
/// separates every other base of the body from X_s's over j's whole range, and gives X_s(j) to iteration `j` alone, so nothing
/// else reads or writes the element while M runs (the statements before M, gesummv's `tmp[i] = 0.0`, run before every copy's
/// load; those after it after every copy's store); (3) there is no call in M; (4) two targets are either the same element (one accumulator)
/// or have different bases; (5) every occurrence of X_s in the copied text is one of the AST's (the counts match, at
/// identifier boundaries) — then loading X_s once before M, performing each of its reads and writes on the accumulator, and
/// storing it once after M gives every element the same sequence of operations on the same values; an accumulator of the
/// element's own type rounds as the element does where floating point is evaluated in its type (`__FLT_EVAL_METHOD__ == 0`)
/// and gcc does not contract differently per code shape (<see cref="JamAccumulators.Condition"/>). M's headers read no memory
/// (<see cref="UnrollJamming"/>'s condition 3), so they cannot see the element either. Results are bit-identical.
/// </summary>
public static class JamAccumulating
{
    /// <param name="j">The jammed loop.</param>
    /// <param name="statements">M's innermost statements.</param>
    /// <param name="accesses">Every access of j's body (the walker's, at j's level).</param>
    /// <param name="copy">Copies a statement with `j` replaced for copy u (null: not copyable).</param>
    internal static JamAccumulators? Prove(LoopInfo j, DeclInfo counter, SyntaxNode m, IReadOnlyList<SyntaxNode> statements, IReadOnlyList<MemoryAccess> bodyAccesses,
        Func<SyntaxNode, int, string?> copy, int factor)
    {
        if (j.Body is not { } body || statements.Count == 0) return null;
        // (3) No call in M: a callee could read or write the element behind the accumulator's back.
        if (m.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Call or NodeKind.MemberRef)) return null;
        if (bodyAccesses.Any(a => a.UnknownExtent)) return null;
        var accesses = bodyAccesses.Where(a => m.Span.Contains(a.Node.Span)).ToList();
        var written = NestSyntax.Writes(body).Select(w => w.StripParensAndCasts()).Where(w => w.Kind == NodeKind.DeclRef && w.Decl is not null)
            .Select(w => w.Decl!.Key).ToHashSet(StringComparer.Ordinal);

        // (1) The targets.
        var targets = new List<(SyntaxNode Node, MemoryBase Base)>();
        var shapes = new List<(SyntaxNode Stmt, SyntaxNode Target, string Op)>();
        foreach (var stmt in statements)
        {
            var s = stmt.StripParensAndCasts();
            string op;
            if (s is { Kind: NodeKind.CompoundAssign, Children: [_, _] } && s.BinaryOp.IsCompoundAssignment()) op = s.BinaryOp.Text();
            else if (s is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign, Children: [_, _] }) op = "=";
            else return null;
            var x = s.Children[0].StripParensAndCasts();
            if (x.Kind != NodeKind.Subscript || !Accumulable(x.Type)) return null;
            if (!SyntaxEquality.Mentions(x, counter.Key)) return null;
            if (x.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl is { } v && v.Key != counter.Key && written.Contains(v.Key))) return null;
            if (x.DescendantsAndSelf().Any(d => d.Kind is not (NodeKind.Subscript or NodeKind.DeclRef or NodeKind.IntLiteral or NodeKind.Binary or NodeKind.Paren or NodeKind.Cast or NodeKind.Unexposed))) return null;
            if (accesses.FirstOrDefault(a => a.Node.Span.Equals(x.Span)) is not { IsWrite: true } own || own.Base.Root is null) return null;
            // (4) One accumulator per element; two elements of one base could be the same memory.
            if (targets.FirstOrDefault(t => t.Base.Key == own.Base.Key) is { Node: { } seen } && !SyntaxEquality.Same(seen, x)) return null;
            if (!targets.Any(t => SyntaxEquality.Same(t.Node, x))) targets.Add((x, own.Base));
            shapes.Add((stmt, x, op));
        }

        // (2) Nothing but the element's own occurrences reaches its base or names its root.
        foreach (var (x, b) in targets)
        {
            var occurrences = statements.SelectMany(st => st.DescendantsAndSelf()).Where(d => d.Kind == NodeKind.Subscript && SyntaxEquality.Same(d, x)).ToList();
            if (accesses.Any(a => a.Base.Key == b.Key && !occurrences.Any(o => o.Span.Equals(a.Node.Span)))) return null;
            var rootRefs = m.DescendantsAndSelf().Count(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == b.Root!.Key);
            var inOccurrences = occurrences.Sum(o => o.DescendantsAndSelf().Count(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == b.Root!.Key));
            if (rootRefs != inOccurrences) return null;
        }

        // (5) The texts, per copy.
        var (load, stores, bodies) = (new List<IReadOnlyList<CopiedLine>>(), new List<IReadOnlyList<CopiedLine>>(), new List<IReadOnlyList<CopiedLine>>());
        for (var u = 0; u < factor; u++)
        {
            // Each target's text in this copy, from its own statement (the first that writes it).
            var split = new List<(string X, string E)>();
            foreach (var (stmt, _, op) in shapes)
            {
                if (copy(stmt, u) is not { } text || InterchangeJamming.Split(text, op) is not var (xu, eu)) return null;
                split.Add((xu, eu));
            }
            var names = new string[targets.Count];
            for (var n = 0; n < shapes.Count; n++)
            {
                var s = targets.FindIndex(t => SyntaxEquality.Same(t.Node, shapes[n].Target));
                if (names[s] is null) names[s] = split[n].X;
                else if (names[s] != split[n].X) return null;
            }
            string Acc(int s) => $"paraslm_acc_{counter.Name}{u}_{s}";
            var lines = new List<CopiedLine>();
            for (var n = 0; n < shapes.Count; n++)
            {
                var (stmt, x, op) = shapes[n];
                var rhs = stmt.StripParensAndCasts().Children[1];
                var expected = rhs.DescendantsAndSelf().Count(d => d.Kind == NodeKind.Subscript && targets.Any(t => SyntaxEquality.Same(d, t.Node)));
                var (eu, replaced) = (split[n].E, 0);
                for (var s = 0; s < targets.Count; s++) eu = ReplaceElement(eu, names[s], Acc(s), ref replaced);
                if (replaced != expected) return null;
                lines.Add(new CopiedLine(stmt.Span.Line, $"{Acc(targets.FindIndex(t => SyntaxEquality.Same(t.Node, x)))} {op} {eu};"));
            }
            load.Add(names.Select((x, s) => new CopiedLine(statements[0].Span.Line, $"{targets[s].Node.Type.CanonicalSpelling} {Acc(s)} = {x};")).ToList());
            stores.Add(names.Select((x, s) => new CopiedLine(statements[^1].Span.Line, $"{x} = {Acc(s)};")).ToList());
            bodies.Add(lines);
        }
        return new JamAccumulators(load, bodies, stores, targets.Select(t => SourceText.Of(t.Node)).ToList(),
            targets.Any(t => t.Node.Type.IsFloatingPoint));
    }

    /// <summary>An element an accumulator of its own type can stand for.</summary>
    private static bool Accumulable(TypeInfo type) =>
        type.IsScalarValue && (type.IsFloatingPoint || type.IsIntegral) && !type.IsVolatile && !type.IsAtomic && !type.IsReference &&
        !type.CanonicalSpelling.Contains("_Complex", StringComparison.Ordinal) && type.CanonicalSpelling.IndexOfAny(['(', '[', '&', '<']) < 0;

    /// <summary>Every occurrence of <paramref name="element"/> in <paramref name="text"/> that stands alone (no identifier character,
    /// member operator or subscript around it) replaced by <paramref name="accumulator"/>, counted in <paramref name="replaced"/>.</summary>
    internal static string ReplaceElement(string text, string element, string accumulator, ref int replaced)
    {
        var output = new System.Text.StringBuilder();
        var at = 0;
        while (true)
        {
            var found = text.IndexOf(element, at, StringComparison.Ordinal);
            if (found < 0) break;
            var before = found == 0 ? ' ' : text[found - 1];
            var after = found + element.Length < text.Length ? text[found + element.Length] : ' ';
            if (char.IsLetterOrDigit(before) || before is '_' or '.' or '>' || after is '[' || char.IsLetterOrDigit(after) || after is '_')
            {
                output.Append(text, at, found + 1 - at);
                at = found + 1;
                continue;
            }
            output.Append(text, at, found - at).Append(accumulator);
            at = found + element.Length;
            replaced++;
        }
        return output.Append(text, at, text.Length - at).ToString();
    }
}
