using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// Proves <see cref="RightLooking"/> for a loop `j` the analyzer keeps serial.
/// <para>Shape: `for (j = lo; j &lt; hi; j++) { for (k = lo; k &lt; j; k++) S; T1; … Tm; }`: steps +1, `lo` the same text in
/// both headers, `lo` and `hi` integer arithmetic over variables the nest does not write (no memory read, call or
/// division); S one assignment, each T an assignment that does not name `k`; no other statement, declaration, call the
/// dependence walker does not accept, exit, label, user pragma or preprocessor line; the only scalars written are `j` and
/// `k` (same integer type), each declared in its header or dead after `j`.</para>
/// <para>Instances: S(j, k) for lo ≤ k &lt; j &lt; hi and T(j) for lo ≤ j &lt; hi, in both forms (the right-looking form
/// enumerates k in [lo, hi), then j in (k, hi): the same pairs).</para>
/// <para>Theorem. Let (a) every pair of accesses to one base, one of them a write, meet only within one iteration of `j`
/// (`j`'s dependence test: independent or `=`, inner counters free), except (b) the reads in S that are S's written access
/// with `j` replaced by `k` (subscript by subscript, every other symbol of its subscripts independent of `j` and `k`): such
/// a read R in S(j, k) touches exactly what S's write touched in iteration k; and (c) different bases do not overlap (the
/// run-time check). Then every written element is owned by one iteration j (a), whose instances run S(j, lo), …, S(j, j-1),
/// T(j) in that order in both forms (the right-looking form runs S(j, k) at its step k &lt; j, ascending, and T(j) at step j);
/// the only accesses that meet across iterations are R in S(j, k) reading iteration k's element, which both forms run
/// after all of iteration k (the original: k &lt; j; the right-looking form: S(k, ·) at steps below k, T(k) first at step k,
/// S(j, k) after it). Every dependent pair keeps its order, every operation gets the same operands: the results are bit
/// for bit the serial ones: each statement is copied unchanged. (The code shape around it changes, and gcc in a GNU mode
/// with FMA contracted lu's update differently in the two shapes, so a floating-point form runs under
/// `PARASLM_EXACT_FP &amp;&amp; PARASLM_SAME_CONTRACTION`, <see cref="RightLooking.FloatingPoint"/>.) At one step k, the
/// instances S(j, k) for j &gt; k are independent: by (a) each touches its own E(j) and memory no iteration writes, and it
/// reads E(k), which no S(j, k) with j &gt; k writes; so the new inner loop is `omp simd` (<see cref="RightLooking.InnerDirective"/>).</para>
/// <para>Profitable (<see cref="CostPrefix"/> otherwise) when some access of S walks `j` stride-1 in its last subscript and
/// names `k` in an earlier one (the old inner loop `k` strided it by rows, the new inner `j` walks it along a row: lu's
/// `A[k][j]`), and no access of S does the reverse (its last subscript names `k`, an earlier one `j`: cholesky's `A[j][k]`,
/// which the new order would stride).</para>
/// </summary>
public static class RightLookingRecognizer
{
    /// <summary>Starts a <see cref="LoopFacts.RightLookingBlocker"/> that is a cost rule: legal, but it would not pay.</summary>
    public const string CostPrefix = "cost: ";

    /// <summary>The facts with <see cref="LoopFacts.RightLooking"/> set on each loop it applies to, and
    /// <see cref="LoopFacts.RightLookingBlocker"/> on each serial loop of the outline (a body starting with its only inner loop) it does not.</summary>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester, Func<LoopInfo, (string? Check, string? Blocker)> overlapCheck)
    {
        var documents = new SourceDocuments();
        var result = facts.ToList();
        foreach (var loop in loops)
        {
            var at = result.FindIndex(f => f.Id == loop.Id);
            if (at < 0 || !Candidate(loop, result[at])) continue;
            var (root, doc) = documents.For(loop);
            var (form, why) = doc is null ? (null, "the source text is not available") : Recognize(loop, levelTester, overlapCheck, root, doc);
            result[at] = form is not null ? result[at] with { RightLooking = form } : result[at] with { RightLookingBlocker = why };
        }
        return result;
    }

    /// <summary>A serial loop without another serial-loop form whose body starts with its only inner loop.</summary>
    private static bool Candidate(LoopInfo loop, LoopFacts f) =>
        !f.Parallelizable && !f.HasOpenMPDirective && f.Privatization is null && f.GuardedReduction is null && f.Append is null && f.Distribution is null &&
        !loop.IsRangeFor && loop.Children.Count == 1 && loop.Body is { Kind: NodeKind.Compound } &&
        NestSyntax.Statements(loop.Body)!.FirstOrDefault(s => s.Kind != NodeKind.Null) is { Kind: NodeKind.For };

    internal static (RightLooking? Form, string? Blocker) Recognize(LoopInfo loop, Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester,
        Func<LoopInfo, (string? Check, string? Blocker)> overlapCheck, SyntaxNode root, SourceDocument doc)
    {
        var inner = loop.Children[0];
        if (loop.CanonicalHeader is not { StepKnown: true, Step: 1, Comparison: "<", Variable: { } j } outer || loop.Node.For is not { } jParts)
            return (null, "its header is not `for (j = lo; j < hi; j++)`");
        if (inner.CanonicalHeader is not { StepKnown: true, Step: 1, Comparison: "<", Variable: { } k } innerHeader || inner.Node.For is not { } kParts || inner.IsRangeFor)
            return (null, $"the inner loop at line {inner.Line} is not `for (k = lo; k < j; k++)`");
        if (k.Key == j.Key || inner.Children.Count > 0 || inner.HasOpenMPDirective) return (null, $"the inner loop at line {inner.Line} holds a loop or a directive of its own");
        if (!NestSyntax.FreeOfPreprocessorLines(root, loop.Node)) return (null, "it holds a preprocessor line or pragma");
        var nodes = loop.Node.DescendantsAndSelf().ToList();
        if (nodes.FirstOrDefault(d => d.Kind is NodeKind.Break or NodeKind.Continue or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or
                NodeKind.Label or NodeKind.Throw or NodeKind.Try) is { } exit)
            return (null, $"it leaves or jumps inside its body (line {exit.Span.Line})");
        if (nodes.FirstOrDefault(d => d.Kind == NodeKind.DeclStmt && !(d.Parent is { Kind: NodeKind.For, For: { } f } && ReferenceEquals(f.Init, d))) is { } decl)
            return (null, $"it declares a variable (line {decl.Span.Line})");
        if (nodes.FirstOrDefault(d => d.Kind is NodeKind.Asm or NodeKind.While or NodeKind.Do or NodeKind.Switch or NodeKind.If or NodeKind.Conditional or
                NodeKind.StmtExpr or NodeKind.Lambda or NodeKind.New or NodeKind.Delete or NodeKind.OpenMPDirective or NodeKind.RangeFor) is { } other)
            return (null, $"its body holds a `{other.Kind}` (line {other.Span.Line})");

        // The body: the inner loop first, then T; the inner loop's body: S alone.
        var statements = NestSyntax.Statements(loop.Body)!.Where(s => s.Kind != NodeKind.Null).ToList();
        if (!ReferenceEquals(statements[0], inner.Node)) return (null, "its body does not start with its inner loop");
        var finish = statements.Skip(1).ToList();
        if (finish.FirstOrDefault(t => !IsAssignment(t)) is { } notAssignment) return (null, $"line {notAssignment.Span.Line} after the inner loop is not an assignment");
        if (NestSyntax.Statements(inner.Body)?.Where(s => s.Kind != NodeKind.Null).ToList() is not [var update] || !IsAssignment(update))
            return (null, $"the inner loop at line {inner.Line} does not hold exactly one assignment");
        if (finish.SelectMany(t => t.DescendantsAndSelf()).Any(d => d.Kind == NodeKind.DeclRef && d.Decl?.Key == k.Key))
            return (null, $"a statement after the inner loop reads `{k.Name}`");

        // Headers: j from lo while j < hi; k from the same lo while k < j.
        if (kParts.Condition?.StripParensAndCasts() is not { Kind: NodeKind.Binary, BinaryOp: BinaryOp.LT, Children: [var kl, var kr] } ||
            kl.StripParensAndCasts() is not { Kind: NodeKind.DeclRef } kRef || kRef.Decl?.Key != k.Key ||
            kr.StripParensAndCasts() is not { Kind: NodeKind.DeclRef } jRef || jRef.Decl?.Key != j.Key)
            return (null, $"the inner loop's condition is not `{k.Name} < {j.Name}`");
        if (jParts.Condition?.StripParensAndCasts() is not { Kind: NodeKind.Binary, BinaryOp: BinaryOp.LT, Children: [var jl, var highNode] } ||
            jl.StripParensAndCasts() is not { Kind: NodeKind.DeclRef } jl2 || jl2.Decl?.Key != j.Key)
            return (null, $"its condition is not `{j.Name} < hi`");
        if (InitValue(jParts.Init, j) is not { } lowNode || InitValue(kParts.Init, k) is not { } innerLowNode)
            return (null, "a header does not start its counter with `= lo`");
        var counterKeys = new HashSet<string>(StringComparer.Ordinal) { j.Key, k.Key };
        if (!NestSyntax.InvariantBound(lowNode, counterKeys) || !NestSyntax.InvariantBound(innerLowNode, counterKeys) || !NestSyntax.InvariantBound(highNode, counterKeys))
            return (null, "a bound is not integer arithmetic over values the nest does not change");
        if (NestSyntax.Expression(root, lowNode) is not { } low || NestSyntax.Expression(root, innerLowNode) is not { } innerLow || NestSyntax.Expression(root, highNode) is not { } high)
            return (null, "a bound's text cannot be copied (a macro hides where it ends, or a comment)");
        if (low != innerLow) return (null, $"the inner loop starts at `{innerLow}`, not at `{low}` like the outer one: the two orders would run different pairs");
        if (!j.Type.IsIntegral || j.Type.CanonicalSpelling != k.Type.CanonicalSpelling || j.Type.IsAnyVolatile || j.Type.IsReference || k.Type.IsReference)
            return (null, $"`{j.Name}` and `{k.Name}` are not plain counters of one integer type");

        // Scalars: only the counters are written, and only by their headers; one declared outside is dead after the nest.
        foreach (var w in NestSyntax.Writes(loop.Node))
            if (w.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } s } && !counterKeys.Contains(s.Key))
                return (null, $"the scalar `{s.Name}` is written (line {w.Span.Line})");
        foreach (var stmt in finish.Append(update))
            if (NestSyntax.Writes(stmt).Any(w => w.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } d } && counterKeys.Contains(d.Key)))
                return (null, $"line {stmt.Span.Line} writes a loop counter");
        var declarations = new List<string>();
        foreach (var (header, c) in new[] { (outer, j), (innerHeader, k) })
        {
            if (header.DeclaredInHeader)
            {
                declarations.Add($"{c.Type.Spelling} {c.Name};");
                continue;
            }
            if (c.IsGlobalStorage || c.IsStatic || Liveness.IsLiveAfter(loop, c)) return (null, $"the counter `{c.Name}` is read after the loop");
        }

        // Texts.
        if (NestSyntax.CopyReplacing(doc, root, update, new Dictionary<string, (DeclInfo, string)>()) is not { } updateText)
            return (null, $"the statement at line {update.Span.Line} cannot be copied as text (a macro hides where it ends, or a comment)");
        var finishTexts = new List<CopiedLine>();
        foreach (var t in finish)
        {
            if (NestSyntax.CopyReplacing(doc, root, t, new Dictionary<string, (DeclInfo, string)>()) is not { } code)
                return (null, $"the statement at line {t.Span.Line} cannot be copied as text (a macro hides where it ends, or a comment)");
            finishTexts.Add(new CopiedLine(t.Span.Line, code));
        }

        // The accesses at j's level (k free).
        if (levelTester(loop) is not var (body, tester)) return (null, "its body has an access or a call the dependence tests cannot follow");
        foreach (var a in body.Accesses)
        {
            if (a.UnknownExtent) return (null, $"`{a.Text}` has an extent the analysis cannot bound");
            if (a.IsWrite && a.Base.Kind == BaseKind.LoadedPointer) return (null, $"`{a.Text}` writes through a pointer loaded from memory");
        }
        bool In(MemoryAccess a, SyntaxNode s) => s.Span.Offset <= a.Node.Span.Offset && a.Node.Span.EndOffset <= s.Span.EndOffset;
        var updateWrites = body.Accesses.Where(a => a.IsWrite && In(a, update)).ToList();
        if (updateWrites is not [var own]) return (null, $"line {update.Span.Line} does not write exactly one element");
        // (b) The finished element: S's own access with j replaced by k.
        var finished = body.Accesses.Where(a => !a.IsWrite && In(a, update) && IsFinishedElement(a, own, outer.Symbol, innerHeader.Symbol)).ToHashSet();
        string Where(MemoryAccess a) => $"`{a.Text}` (line {a.Line})";
        // (a) Every other pair on one base, one a write, meets only within one iteration of j.
        foreach (var group in body.Accesses.GroupBy(a => a.Base.Key, StringComparer.Ordinal))
        {
            var list = group.ToList();
            if (!list.Any(a => a.IsWrite)) continue;
            foreach (var x in list)
                foreach (var y in list)
                {
                    if (!(x.IsWrite || y.IsWrite) || finished.Contains(x) || finished.Contains(y)) continue;
                    var r = tester.Test(x, y);
                    if (r.Kind is not (DependenceKind.Independent or DependenceKind.LoopIndependent))
                        return (null, $"{Where(x)} and {Where(y)} may meet in different iterations of `{j.Name}` (direction {r.Direction}, {r.Test}), " +
                                      $"and the read is not `{own.Text}`'s element of an earlier iteration");
                }
        }
        if (finished.Count == 0) return (null, $"line {update.Span.Line} reads no element of an earlier iteration: nothing to reorder");

        // Cost: the new inner loop j must walk something stride-1 that the old inner loop k strided, and stride nothing that k walked.
        var updateAccesses = body.Accesses.Where(a => In(a, update)).ToList();
        var gains = updateAccesses.Where(a => Walks(a, outer.Symbol, innerHeader.Symbol)).ToList();
        var losses = updateAccesses.Where(a => Walks(a, innerHeader.Symbol, outer.Symbol)).ToList();
        if (losses.Count > 0)
            return (null, $"{CostPrefix}{Where(losses[0])} walks `{k.Name}` along a row, and the right-looking order would stride it by `{j.Name}`");
        if (gains.Count == 0)
            return (null, $"{CostPrefix}no access of line {update.Span.Line} is strided by `{k.Name}` and walked along a row by `{j.Name}`: the right-looking order would not improve locality");

        // (c) Different bases, and the tests' assumptions on the subscripts (which must hold before the loop).
        var (check, noCheck) = overlapCheck(loop);
        if (noCheck is not null) return (null, noCheck);
        var conditions = new List<string>();
        if (check is not null) conditions.Add(check);
        foreach (var a in tester.Assumptions)
        {
            if (Regex.IsMatch(a, $@"\b({Regex.Escape(j.Name)}|{Regex.Escape(k.Name)})\b"))
                return (null, $"a dependence test assumes `{a}`, which names a counter of the nest");
            if (!conditions.Contains(a)) conditions.Add(a);
        }
        var condition = conditions.Count == 0 ? null : string.Join(" && ", conditions.Select(c => conditions.Count > 1 ? $"({c})" : c));

        var evidence = $"{RightLooking.TransformName}({j.Name},{k.Name}): every write meets another access only in one iteration of `{j.Name}` " +
                       $"except {string.Join(", ", finished.Select(Where).Distinct())}, which reads the element `{own.Text}` of iteration `{j.Name} = {k.Name}`; " +
                       $"with `{k.Name}` outside, each element still receives its updates (line {update.Span.Line}) in ascending `{k.Name}` and then " +
                       $"line{(finish.Count == 1 ? string.Empty : "s")} {string.Join(", ", finish.Select(t => t.Span.Line))}, and is read only once finished, so the " +
                       $"results are the serial ones bit for bit; the inner loop `{j.Name}` walks {string.Join(", ", gains.Select(a => $"`{a.Text}`").Distinct())} along a row " +
                       $"instead of striding it by `{k.Name}`, its iterations independent (`{RightLooking.InnerDirective}`)";
        return (new RightLooking(loop.Id, loop.Line, j.Name, k.Name, declarations, low, high, loop.Line, inner.Line,
            new CopiedLine(update.Span.Line, updateText), finishTexts, condition)
        {
            Evidence = evidence,
            FloatingPoint = body.Accesses.Any(a => a.Node.Type.IsFloatingPoint) ||
                            update.DescendantsAndSelf().Concat(finish.SelectMany(t => t.DescendantsAndSelf())).Any(d => d.Type.IsFloatingPoint),
        }, null);
    }

    /// <summary>The value a `for` header's init gives its counter: `c = lo` or `T c = lo`.</summary>
    private static SyntaxNode? InitValue(SyntaxNode? init, DeclInfo counter)
    {
        if (init?.StripParensAndCasts() is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign, Children: [var lhs, var rhs] } &&
            lhs.StripParensAndCasts() is { Kind: NodeKind.DeclRef, Decl: { } d } && d.Key == counter.Key)
            return rhs;
        if (init is { Kind: NodeKind.DeclStmt, Children: [{ Kind: NodeKind.VarDecl, Decl: { } v } declared] } && v.Key == counter.Key && declared.Children.Count > 0)
            return declared.Children[^1];
        return null;
    }

    /// <summary>The read is the written access with `j` replaced by `k`: same base, same steps, every subscript equal after the
    /// substitution, and no other symbol of the written subscripts depending on `j` or `k` (which the substitution would miss).</summary>
    private static bool IsFinishedElement(MemoryAccess read, MemoryAccess own, Symbol j, Symbol k)
    {
        if (read.Base.Key != own.Base.Key || read.Path.Count != own.Path.Count || own.Path.Count == 0) return false;
        var mentionsJ = false;
        for (var p = 0; p < own.Path.Count; p++)
        {
            if (own.Path[p] is not IndexStep { Subscript: { } w } ws || read.Path[p] is not IndexStep { Subscript: { } r } rs || ws.Extent != rs.Extent) return false;
            foreach (var s in w.Symbols)
            {
                if (s.Key == j.Key) { mentionsJ = true; continue; }
                if (s.Key == k.Key || s.Dependencies.Contains(j.Key) || s.Dependencies.Contains(k.Key)) return false;
            }
            if (w.Substitute(j, LinearExpr.Of(k)) is not { } expected || !expected.Equals(r)) return false;
        }
        return mentionsJ;
    }

    /// <summary>The access walks <paramref name="along"/> in its last subscript (coefficient 1, no <paramref name="across"/>) and
    /// names <paramref name="across"/> in an earlier one: stride 1 along <paramref name="along"/>, a row apart along <paramref name="across"/>.</summary>
    private static bool Walks(MemoryAccess a, Symbol along, Symbol across)
    {
        if (a.Path.Count < 2 || a.Path.Any(p => p is not IndexStep { Subscript: not null })) return false;
        var subs = a.Subscripts.Select(s => s!).ToList();
        var last = subs[^1];
        var (coefficient, _) = last.Split(along);
        if (!coefficient.Equals(LinearExpr.One) || last.Mentions(across)) return false;
        return subs.Take(subs.Count - 1).Any(s => s.Mentions(across));
    }

    /// <summary>`x = e` or `x op= e` only: unlike <see cref="NestSyntax.IsAssignment"/>, an `x++` is not taken (the recognizer's
    /// shapes are written as assignments, and widening it would change which loops it proves).</summary>
    private static bool IsAssignment(SyntaxNode s) =>
        s.StripParensAndCasts() is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign } or { Kind: NodeKind.CompoundAssign };
}
