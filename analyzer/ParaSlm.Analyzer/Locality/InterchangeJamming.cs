using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Proves the interchanged, unrolled-and-jammed form of a two-deep nest `for (k) for (j) X op= E;` that sits inside a
/// parallel loop (PolyBench syrk/syr2k: `for (k) for (j &lt;= i) C[i][j] += alpha * A[i][k] * A[j][k];`, whose `A[j][k]`
/// walks a column): for each group of U consecutive `j`, the U elements are loaded into accumulators, `k` runs once with U
/// independent chains whose references walk rows (stride 1 in `k`), and the accumulators are stored back; the last
/// (trips mod U) iterations of `j` run interchanged as written (`for (j) for (k) X op= E;`). The fact is an
/// <see cref="UnrollJam"/> on the `k` loop (<see cref="UnrollJam.InterchangedWith"/> set), so the plan element, the chooser,
/// the verifier's re-proof (<see cref="UnrollJamming.Sites"/>), the generator and validation are unroll-and-jam's.
/// <para>
/// Theorem. Let the `k` loop's body be exactly the `j` loop and the `j` loop's body exactly one statement `X op= E` (a compound
/// assignment). If (1) the analyzer proves `j` parallel at its own level (the enclosing counters, `k` included, fixed) without
/// reductions, lastprivate or array reductions — so for distinct `j` the elements X are distinct, and every base the
/// statement reads is separated from X's over j's whole range (by declaration, type or j's run-time check, which must be a
/// conjunct of the parallel loop's); (2) X names neither `k` nor anything the nest writes but `j`, so X(j) is one element
/// for every `k`; (3) every access the analyzer resolves to X's base in the nest is X itself, and E has no assignment,
/// increment, call, comma, statement expression or volatile — so the only memory the nest writes is X(j), each read and
/// written only by the iterations (·, j); (4) the headers are canonical (`&lt;`/`&lt;=`, step +1), `k`'s reads neither `j`
/// nor memory, `j`'s bounds read neither `k`, nor memory, nor anything the nest writes (both are invariant in the nest: the
/// nest is rectangular there, even when `j`'s bound reads the enclosing counter, `j &lt;= i`); (5) both counters are dead
/// after the nest (or declared in their headers), `j` is an integer at least as wide as `int`, never written in the body nor
/// address-taken; (6) no preprocessor line, and every replaced identifier is one of the AST's references — then every
/// dependence of the nest is between (k1, j) and (k2, j) (direction `=` at `j`), so running `j` outside `k` keeps each X's
/// operations in ascending `k`, and running U values of `j` in one pass of `k` only interleaves operations of different
/// elements. Keeping X in an accumulator of X's own type between its operations rounds the same where the compiler evaluates
/// floating point in the type itself (`__FLT_EVAL_METHOD__ == 0`: the generated code tests `PARASLM_EXACT_FP` and runs the
/// nest as written otherwise); no other access can see X in between by (3). The results are the same, bit for bit.
/// </para>
/// Profitable when `k` walks more of the statement's references with stride 1 than `j` does, `k` is not short
/// (<see cref="UnrollJamming.MinimumInnerTrips"/>) and `j` is not known to run fewer than 2·U times.
/// </summary>
public static class InterchangeJamming
{
    /// <summary>The facts with <see cref="LoopFacts.UnrollJam"/> set on each `k` loop it applies to (never over another
    /// unroll-and-jam fact).</summary>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, int factor = UnrollJam.DefaultFactor)
    =>
        LoopAnnotation.AnnotateFromText<UnrollJam>(loops, facts, Candidate,
            (loop, f, byId, root, doc) => Recognize(loop, f, byId, levelTester, root, doc, factor),
            (f, jam) => f.UnrollJam is null ? f with { UnrollJam = jam } : f);

    /// <summary>A cheap first look: a loop inside another loop, holding exactly one innermost loop, that no other transform
    /// rewrites. `k` may be proven parallel itself (an array reduction over the elements); the fact is used only inside a
    /// planned parallel loop around it (<see cref="UnrollJamming.Sites"/>), never as `k`'s own form (<see cref="UnrollJamming.Self"/>).</summary>
    private static bool Candidate(LoopInfo k, LoopFacts f, IReadOnlyDictionary<string, LoopFacts> byId) =>
        !f.HasOpenMPDirective && f.ParentId is not null && k.Children is [{ Children.Count: 0 } j] &&
        f.UnrollJam is null && f.ScalarExpansion is null && f.Matmul is null && f.Interchange is null && f.SerialSink is null &&
        f.SerialHoist is null && f.Append is null && f.GuardedReduction is null && f.Privatization is null && f.NotDuplicable is null &&
        byId.TryGetValue(j.Id, out var jf) && NestSyntax.PlainParallel(jf) && jf.ArrayReductions.Count == 0 &&
        // j's own final value is the only one j may hand on: the counters' values after the nest are judged below.
        jf.LastPrivate.All(v => v == j.CanonicalHeader?.Variable?.Name) &&
        jf.NotDuplicable is null && jf.Privatization is null;

    internal static UnrollJam? Recognize(LoopInfo k, LoopFacts kFacts, IReadOnlyDictionary<string, LoopFacts> byId,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, SyntaxNode root, SourceDocument doc, int factor)
    {
        if (factor < 2) return null;
        var j = k.Children[0];
        var jFacts = byId[j.Id];
        if (MatmulRecognizer.Header(k) is not { } hk || MatmulRecognizer.Header(j) is not { } hj || k.CanonicalHeader is not { } kh || j.CanonicalHeader is not { } jh) return null;
        if (!NestSyntax.SingleStatement(k.Body, j.Node) || NestSyntax.Statements(j.Body) is not [var stmt]) return null;
        if (!NestSyntax.FreeOfPreprocessorLines(root, k.Node) || NestSyntax.Text(root, k.Node.Span.Offset, k.Node.Span.EndOffset) is not { } text ||
            text.Contains("paraslm_", StringComparison.Ordinal)) return null;

        // The statement: `X op= E`, X an element of arithmetic type.
        if (stmt.StripParensAndCasts() is not { Kind: NodeKind.CompoundAssign, Children: [var x, var e] } update || !update.BinaryOp.IsCompoundAssignment()) return null;
        var target = x.StripParensAndCasts();
        if (target.Kind != NodeKind.Subscript) return null;
        var type = target.Type;
        if (!type.IsScalarValue || !(type.IsFloatingPoint || type.IsIntegral) || type.IsVolatile || type.IsAtomic || type.IsReference ||
            type.CanonicalSpelling.Contains("_Complex", StringComparison.Ordinal) || type.CanonicalSpelling.IndexOfAny(['(', '[', '&', '<']) >= 0) return null;

        // (3) No effects besides the update itself, no opaque reads.
        if (k.Node.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Call or NodeKind.StmtExpr or NodeKind.Lambda or NodeKind.New or NodeKind.Delete or
                NodeKind.Break or NodeKind.Continue or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or NodeKind.Label or NodeKind.Asm or
                NodeKind.Throw or NodeKind.Try or NodeKind.While or NodeKind.Do or NodeKind.Switch or NodeKind.OpenMPDirective or NodeKind.RangeFor or
                NodeKind.MemberRef)) return null;
        if (NestSyntax.Writes(stmt).Count() != 1 || e.DescendantsAndSelf().Any(d => d is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Comma })) return null;
        if (stmt.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl is { } v && (v.Type.IsAnyVolatile || v.Type.IsAnyAtomic))) return null;

        // (5) The counters: j an integer at least as wide as int, only read in the body; both dead after the nest.
        var (jc, kc) = (hj.Counter, hk.Counter);
        var ct = jc.Type;
        if (jc.Key == kc.Key || !ct.IsIntegral || ct.Shape != TypeShape.Scalar || ct.IsReference || ct.IsAnyVolatile || ct.IsAnyAtomic ||
            MatmulRecognizer.ElementSize(ct) < 4 || ct.Spelling.IndexOfAny(['(', '[', '&']) >= 0 || ct.Spelling.Contains("auto", StringComparison.Ordinal) ||
            ct.Spelling.Contains("decltype", StringComparison.Ordinal)) return null;
        if (stmt.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && (d.Decl?.Key == jc.Key || d.Decl?.Key == kc.Key) && NestSyntax.AddressOrCall(d))) return null;
        if (!hj.LoopScoped && !DeadAfter(k, jc, byId) || !hk.LoopScoped && !DeadAfter(k, kc, byId)) return null;

        // (2) X: one element for every k (names neither k nor anything the nest writes but j).
        var counters = new HashSet<string>(StringComparer.Ordinal) { jc.Key, kc.Key };
        if (!SyntaxEquality.Mentions(target, jc.Key) || SyntaxEquality.Mentions(target, kc.Key)) return null;
        if (target.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl is { } v && v.Key != jc.Key && counters.Contains(v.Key))) return null;

        // (3) Every access to X's base in the nest is X; E never names it.
        if (levelTester(j) is not var (jBody, _)) return null;
        var accesses = jBody.Accesses.Where(a => stmt.Span.Contains(a.Node.Span)).ToList();
        if (accesses.FirstOrDefault(a => ReferenceEquals(a.Node, target) || a.Node.Span.Equals(target.Span)) is not { IsWrite: true } own) return null;
        if (accesses.Any(a => a.Base.Key == own.Base.Key && !(ReferenceEquals(a.Node, target) || a.Node.Span.Equals(target.Span)))) return null;
        if (accesses.Any(a => a.UnknownExtent)) return null;
        if (own.Base.Root is { } xRoot && e.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == xRoot.Key)) return null;

        // (4) Headers: k's reads neither j nor memory nor what the nest writes; j's bounds read neither k nor memory.
        var kChain = new List<LoopInfo> { k };
        if (NestSyntax.ChainHeaders(root, kChain, k.Node, jc, [kc.Key]) is not { } headers) return null;
        if (!NestSyntax.InvariantBound(hj.Low, counters) || !NestSyntax.InvariantBound(hj.Bound, counters)) return null;
        var low = NestSyntax.Expression(root, hj.Low);
        var bound = NestSyntax.Expression(root, hj.Bound) ?? NestSyntax.AfterOperator(root, hj.Left.Span.EndOffset, hj.Inclusive ? "<=" : "<");
        if (low is null || bound is null) return null;

        // Profitability: k the stride-1 loop of the statement, a long chain, enough j for a group.
        if (jFacts.TripCount is { } jTrips && jTrips < 2L * factor) return null;
        if (kFacts.TripCount is { } kTrips && kTrips < UnrollJamming.MinimumInnerTrips) return null;
        var (kScore, jScore) = (LoopInterchanging.Score(accesses, kh.Symbol), LoopInterchanging.Score(accesses, jh.Symbol));
        if (kScore <= 0 || kScore <= jScore) return null;

        // (6) The texts: the statement per copy with j replaced, split at its operator into X and E.
        var op = update.BinaryOp.Text();
        var none = new Dictionary<string, (DeclInfo, string)>(StringComparer.Ordinal);
        if (NestSyntax.CopyReplacing(doc, root, stmt, none) is not { } asWritten) return null;
        var accumulator = $"paraslm_acc_{jc.Name}";
        var (pre, body, post) = (new List<IReadOnlyList<CopiedLine>>(), new List<IReadOnlyList<CopiedLine>>(), new List<IReadOnlyList<CopiedLine>>());
        for (var u = 0; u < factor; u++)
        {
            var map = new Dictionary<string, (DeclInfo, string)>(StringComparer.Ordinal) { [jc.Key] = (jc, UnrollJam.CounterOf(jc.Name, u)) };
            if (NestSyntax.CopyReplacing(doc, root, stmt, map) is not { } copy || Split(copy, op) is not var (xu, eu)) return null;
            var acc = $"{accumulator}{u}";
            pre.Add([new CopiedLine(stmt.Span.Line, $"{type.CanonicalSpelling} {acc} = {xu};")]);
            body.Add([new CopiedLine(stmt.Span.Line, $"{acc} {op} {eu};")]);
            post.Add([new CopiedLine(stmt.Span.Line, $"{xu} = {acc};")]);
        }

        var xText = Split(asWritten, op) is var (xw, _) ? xw : "?";
        var evidence = $"`{jc.Name}` carries no dependence{(jFacts.RuntimeCheck is null ? string.Empty : " (under its run-time check)")} and `{xText}` is one element " +
                       $"for every `{kc.Name}`, read and written only by `{asWritten}`: every dependence of the `{kc.Name}`/`{jc.Name}` nest has `=` at `{jc.Name}`, " +
                       $"so `{jc.Name}` runs outside `{kc.Name}` (its references walk rows in `{kc.Name}`) and {factor} iterations of `{jc.Name}` share one pass of `{kc.Name}` " +
                       $"in {factor} accumulators of type `{type.CanonicalSpelling}`, each element receiving its operations in the same order" +
                       (type.IsFloatingPoint ? " (where `__FLT_EVAL_METHOD__` is 0; the nest as written elsewhere)" : string.Empty);
        return new UnrollJam(k.Id, k.Line, k.Column, k.Node.Span.Offset, k.Node.Span.EndOffset, jc.Name, ct.Spelling, hj.LoopScoped,
            low, hj.Inclusive ? $"({bound}) + 1" : bound, [kc.Name], pre, headers, body, post,
            new UnrollJamCopy([], [new CopiedLine(stmt.Span.Line, asWritten)], []), jFacts.RuntimeCheck)
        { Evidence = evidence, InterchangedWith = kc.Name, FloatingPoint = type.IsFloatingPoint, CheckOf = j.Id };
    }

    /// <summary>`X op= E;` split at its operator (the first at bracket depth 0): X's and E's texts; null when not found.</summary>
    internal static (string X, string E)? Split(string statement, string op)
    {
        var depth = 0;
        for (var n = 0; n + op.Length <= statement.Length; n++)
        {
            var c = statement[n];
            if (c is '(' or '[') depth++;
            else if (c is ')' or ']') depth--;
            else if (depth == 0 && string.CompareOrdinal(statement, n, op, 0, op.Length) == 0 &&
                     (op.Length > 2 || n == 0 || statement[n - 1] is not ('<' or '>' or '=' or '!')))
            {
                var rhs = statement[(n + op.Length)..].Trim();
                if (!rhs.EndsWith(';')) return null;
                return (statement[..n].Trim(), rhs[..^1].Trim());
            }
        }
        return null;
    }

    /// <summary>
    /// The form leaves a counter declared outside the nest with another value than the nest as written only in corner cases
    /// (`k` untouched when `j` runs no iteration, `j` assigned when `k` runs none), so it must be dead after the nest: by
    /// <see cref="Liveness"/>, or where that is conservative (the loop around reads it again in its next iteration, as syrk's
    /// `for (j = 0; j &lt;= i; j++) C[i][j] *= beta;` does), because the loop directly around the nest is proven to
    /// privatize it (each of its iterations writes it before reading it, and nothing reads it after that loop) and no
    /// statement after the nest in that loop's body names it.
    /// </summary>
    private static bool DeadAfter(LoopInfo k, DeclInfo counter, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (!Liveness.IsLiveAfter(k, counter)) return true;
        if (k.Parent is not { } p || !byId.TryGetValue(p.Id, out var pf) || !pf.Parallelizable || !pf.Private.Contains(counter.Name) ||
            pf.LastPrivate.Contains(counter.Name) || p.Body is not { } pBody) return false;
        for (var node = k.Node; !ReferenceEquals(node, pBody); node = node.Parent!)
        {
            if (node.Parent is not { Kind: NodeKind.Compound } parent) return false;
            var after = false;
            foreach (var stmt in parent.Children)
            {
                if (ReferenceEquals(stmt, node)) { after = true; continue; }
                if (after && SyntaxEquality.Mentions(stmt, counter.Key)) return false;
            }
        }
        return true;
    }
}
