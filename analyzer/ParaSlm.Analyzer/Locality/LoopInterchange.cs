using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A perfect, rectangular nest of 2 or 3 loops whose levels may run in another order (fact on the outer loop): the
/// headers are swapped in place, so the innermost loop walks memory with stride 1. The nest's parallel loop is either the
/// new outer loop (`omp parallel for` on it) or, where the outer level must stay serial after the interchange (mvt's
/// `x2[i] += A[j][i] * y[j]`: `j` outside carries the sum into `x2[i]`), the original outer loop at its new position under
/// `omp for schedule(static) nowait`, inside one `omp parallel` region on the new outer loop: every thread runs the outer
/// loop and owns the same chunk of the parallel level at each of its iterations (OpenMP's static schedule gives the
/// same assignment to loops of the same trip count in one region), so each element's updates stay on one thread, in order.
/// </summary>
/// <param name="Counters">The counters of the nest's levels, outermost first, as written.</param>
/// <param name="Order">The new order: Order[p] is the original level that runs at position p (outermost first).</param>
/// <param name="Headers">Each original level's header (`for (j = 0; j &lt; n; j++)`), where it is, and its text.</param>
/// <param name="ParallelLevel">The original level that runs in parallel.</param>
/// <param name="Worksharing">True when <paramref name="ParallelLevel"/> is not the new outer loop: the region opens on the
/// new outer loop and the parallel level gets `omp for schedule(static) nowait`.</param>
/// <param name="Private">Counters declared outside their headers that the region must make private (every thread runs them).</param>
/// <param name="Vectors">The direction vectors the proof used, for the report (`x2[i] -> x2[i] (=, &lt;)`).</param>
public sealed record InterchangeNest(
    IReadOnlyList<string> Counters,
    IReadOnlyList<int> Order,
    IReadOnlyList<NestHeader> Headers,
    int ParallelLevel,
    bool Worksharing,
    IReadOnlyList<string> Private,
    IReadOnlyList<string> Vectors)
{
    /// <summary>The transform's name prefix in plans, reports and the `paraslm plan --json` contract: `interchange(j,i)`.</summary>
    public const string TransformName = "interchange";

    /// <summary>The plan element: `interchange(j,i)`, the counters in their new order; the strip form adds its width
    /// (`interchange(k,j; strips 256)`), so a plan that claims the other form is rejected.</summary>
    public string Name => $"{TransformName}({string.Join(",", Order.Select(l => Counters[l]))}{(Strips is { } s ? $"; strips {s.Width}" : string.Empty)})";

    /// <summary>Inside a serial loop: the parallel level runs in strips, the strips are the parallel loop and each runs the
    /// nest in the new order with the strip's counter in place of the parallel level (<see cref="InterchangeStrips"/>); null
    /// for the in-place forms.</summary>
    public InterchangeStrips? Strips { get; init; }

    /// <summary>Why it is legal and why it pays, in words.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>
    /// In the new order the innermost loop runs in vector lanes as a single stride-1 loop would: every access moves by one
    /// element in its last subscript along the new innermost counter or stays put, with no branch (the nest has no call by
    /// its legality rule). The planner then prices the nest's work as lane work (<c>LoopCost.RunsInVectorLanes</c>), like
    /// the single loop: TSVC's s231 (256×256 floats, interchanged) took 5.7 µs a pass serially, since gcc interchanges and
    /// vectorizes it itself, and ran 0.67x of that on 2 threads.
    /// </summary>
    public bool InnermostInLanes { get; init; }

    /// <summary>
    /// The nest computes in floating point. The new order turns a chain of updates to one element (`x2[i] += …` along `j`)
    /// into independent updates, and gcc tuned for Zen (`-march=znver3`, a GNU mode: -ffp-contract=fast) forms FMAs in
    /// independent updates but not in a loop-carried chain: the same expression then rounds differently (found on
    /// PolyBench lu's right half). A wider evaluation type (x87) likewise keeps a chain in a register that the new order
    /// stores every step. So the form runs under `PARASLM_EXACT_FP &amp;&amp; PARASLM_SAME_CONTRACTION`; the loop as written runs otherwise.
    /// </summary>
    public bool FloatingPoint { get; init; }

    /// <summary>The directive on the new outer loop (before the cost guard): `omp parallel for private(i)` or `omp parallel private(j)`.</summary>
    public string Directive => string.Join(' ', new[] { Worksharing ? "omp parallel" : "omp parallel for", Private.Count == 0 ? null : $"private({string.Join(", ", Private)})" }.OfType<string>());

    /// <summary>The directive on the parallel level inside the region (only with <see cref="Worksharing"/>).</summary>
    public const string WorksharingDirective = "omp for schedule(static) nowait";
}

/// <summary>
/// The strip form of an interchange inside a serial loop (PolyBench lu's `for i { for (j = i; j &lt; N; j++) for (k = 0;
/// k &lt; i; k++) A[i][j] -= A[i][k] * A[k][j]; }`): the parallel level `j` is cut into strips of <paramref name="Width"/>
/// starting at multiples of <paramref name="Align"/> (<see cref="StripAlignment"/>), `omp parallel for` runs the strips (one
/// region per iteration of the serial loop, as the plain parallel loop), and each strip runs the nest in the new order with
/// `j` limited to the strip: `for strip { for k { for (j in strip) BODY } }`, `j` innermost and stride 1. Where the
/// worksharing form instead entered one `omp for` per iteration of the new outer loop (lu: about 2 million), which clang's
/// runtime paid for (0.56x of serial).
/// </summary>
/// <param name="Low">The parallel level's first value, C text invariant in the nest (its header reads nothing the nest writes).</param>
/// <param name="High">Its end (exclusive), C text invariant in the nest.</param>
/// <param name="CounterType">Its counter's type as spelled.</param>
/// <param name="Declared">Its counter is declared in its header (the strip's loop declares it too).</param>
public sealed record InterchangeStrips(int Width, int Align, string Low, string High, string CounterType, bool Declared)
{
    /// <summary>The parallel level's trip count where it is a constant (null: known only at run time).</summary>
    public long? Trips { get; init; }

    /// <summary>How many strips the level makes where its trip count is a constant (null otherwise): fewer than 2 means one
    /// thread would run the whole nest, and the planner keeps it serial.</summary>
    public long? Count => Trips is { } t ? StripAlignment.Count(t, Width) : null;

    /// <summary>The strip's bounds, per strip.</summary>
    public static string First(string counter) => $"paraslm_s0_{counter}";

    public static string End(string counter) => $"paraslm_s1_{counter}";

    /// <summary>The strip loop (with its bounds), the text that goes in front of the nest's outer `for`; `{` left open.</summary>
    public string Opening(string counter)
    {
        var (a, lo, hi) = ($"paraslm_sa_{counter}", $"({Low})", $"({High})");
        return $"for (long long {a} = {StripAlignment.AlignedDown(Low, Align)}; {a} < {hi}; {a} += {Width}) {{ " +
               $"const long long {First(counter)} = {a} > {lo} ? {a} : {lo}; const long long {End(counter)} = {a} + {Width} < {hi} ? {a} + {Width} : {hi};";
    }

    /// <summary>The parallel level's header inside a strip.</summary>
    public string Header(string counter) =>
        $"for ({(Declared ? CounterType + " " : string.Empty)}{counter} = ({CounterType}){First(counter)}; {counter} < ({CounterType}){End(counter)}; {counter}++)";
}

/// <param name="StartOffset">Byte offset of the `for` keyword.</param>
/// <param name="EndOffset">Byte offset just after the header's closing `)`.</param>
/// <param name="Line">The header's line (it is on one line).</param>
/// <param name="Text">The header as written.</param>
public sealed record NestHeader(int StartOffset, int EndOffset, int Line, string Text);

/// <summary>
/// Proves <see cref="InterchangeNest"/>. Legal when: the outer loop is proven parallel by the analyzer (its aliasing proof or
/// run-time check separates every pair of distinct bases, over the whole nest), without reductions, lastprivate or array
/// reductions; the nest is perfect (each outer body is exactly the next loop) with no call, preprocessor line or user
/// pragma inside; every header is canonical with a constant step and reads no other counter, no memory, nothing the nest
/// writes (rectangular: the iteration space is the same box in any order); the only scalars written are the counters and
/// locals declared in the innermost body; counters declared outside are dead after the nest; and for every pair of
/// accesses to one base with a write, every direction vector keeps its sign in the new order
/// (<see cref="DirectionVectors.Preserves"/>), so every pair of dependent iterations — each element's accumulation
/// included — runs in the original order. Profitable when the new innermost counter moves more references by one element
/// (minus those it strides) than the old one did.
/// </summary>
public static class LoopInterchanging
{
    /// <summary>The facts with <see cref="LoopFacts.Interchange"/> set on the outer loop of every nest it applies to.</summary>
    /// <param name="levelTester">The walker's accesses and a one-level dependence tester for a loop (null: no test).</param>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester) =>
        LoopAnnotation.Annotate<InterchangeNest>(loops, facts,
            (loop, f, byId) => Recognize(loop, f, byId, levelTester) is { } nest ? (nest, [loop.Id]) : null,
            (f, nest) => f with { Interchange = nest });

    public static InterchangeNest? Recognize(LoopInfo outer, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester)
    {
        // One edit per nest: the matrix-product form, the sunk serial loop and the hoisted region keep theirs.
        if (!NestSyntax.PlainParallel(facts) || facts.LastPrivate.Count > 0 ||
            facts.ArrayReductions.Count > 0 || facts.Matmul is not null || facts.SerialSink is not null || facts.SerialHoist is not null ||
            InsideParallelLoop(outer, byId))
            return null;
        // Cost: inside a serial loop the form enters a region per outer iteration and work-shares the new inner loop once per
        // iteration of the new outer one (lu's `for i { for k { omp for j } }`: about 2 million `omp for` at N = 2000), which
        // measured 0.56x of serial with clang's runtime (gcc 1.11x; the plain parallel loop 1.07x/1.19x) on PolyBench lu.
        // Inside a serial loop only the strip form is built (InterchangeStrips): one region per iteration of the serial loop.
        var insideSerial = outer.Parent is not null;
        var levels = new List<LoopInfo> { outer };
        while (levels.Count < 3 && levels[^1] is { Children: [var child] } last && NestSyntax.SingleStatement(last.Body, child.Node)) levels.Add(child);
        if (levels.Count < 2 || levels[^1].Children.Count > 0) return null;
        if (levels.Any(l => l.IsRangeFor || l.CanonicalHeader is not { StepKnown: true, Variable: not null } || l.Node.For is null || !byId.TryGetValue(l.Id, out var lf) || lf.HasOpenMPDirective)) return null;
        var root = NestSyntax.Root(outer.Node);
        if (!NestSyntax.FreeOfPreprocessorLines(root, outer.Node)) return null;
        // Statements only: no call, no exit from a level (a `break` ends the inner loop of one outer iteration), no other
        // loop or switch, nothing that allocates or throws.
        if (outer.Node.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Call or NodeKind.Break or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Return or
                NodeKind.Label or NodeKind.Asm or NodeKind.Throw or NodeKind.Try or NodeKind.While or NodeKind.Do or NodeKind.Switch or NodeKind.StmtExpr or
                NodeKind.Lambda or NodeKind.New or NodeKind.Delete or NodeKind.OpenMPDirective)) return null;

        var counters = levels.Select(l => l.CanonicalHeader!.Variable!).ToList();
        var counterKeys = counters.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        if (counterKeys.Count != levels.Count) return null;
        var innermostBody = levels[^1].Body!;
        // Scalars: only the counters and locals of the innermost body (fresh in every iteration, whatever the order).
        foreach (var w in NestSyntax.Writes(outer.Node))
        {
            if (w.StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { } s }) continue;
            if (counterKeys.Contains(s.Key)) continue;
            // A local reference writes the element it is bound to, not a fresh scalar.
            if (s.IsGlobalStorage || s.Type.IsReference || !innermostBody.Span.Contains(s.Span)) return null;
        }
        // Rectangular headers: each level's bounds and step are the same whatever the other levels' counters are.
        var headers = new List<NestHeader>();
        foreach (var (level, n) in levels.Select((l, n) => (l, n)))
        {
            var parts = level.Node.For!;
            foreach (var part in new[] { parts.Init, parts.Condition, parts.Increment }.OfType<SyntaxNode>())
            {
                if (part.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Subscript or NodeKind.Call or NodeKind.MemberRef || d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Deref })) return null;
                if (counters.Where((_, m) => m != n).Any(c => SyntaxEquality.Mentions(part, c.Key))) return null;
                if (part.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl is { } x && (x.Type.IsAnyVolatile || innermostBody.Span.Contains(x.Span)))) return null;
            }
            if (parts.Init is null || parts.Condition is null || parts.Increment is null || level.Body is not { } body) return null;
            // The header as written, on one line, starting with the keyword itself (never a macro that expands to a header).
            if (NestSyntax.HeaderText(root, level.Node, body) is not { } header) return null;
            var headerBytes = System.Text.Encoding.UTF8.GetByteCount(header);
            headers.Add(new NestHeader(level.Node.Span.Offset, level.Node.Span.Offset + headerBytes, level.Line, header));
        }
        // The counters' final values differ in another order: none may be read after the nest.
        foreach (var (level, c) in levels.Zip(counters))
            if (!level.CanonicalHeader!.DeclaredInHeader && Liveness.IsLiveAfter(outer, c)) return null;

        if (Vectors(levels, facts, levelTester) is not var (vectors, described)) return null;
        var order = Choose(levels, vectors, levelTester(outer)!.Value.Body);
        if (order is null) return null;

        var parallelLevel = order[0] == 0 || DirectionVectors.Independent(vectors, order[0]) ? order[0] : 0;
        var worksharing = parallelLevel != order[0];
        InterchangeStrips? strips = null;
        if (insideSerial)
        {
            // Where the parallel level is the new outer loop the nest needs no strips (and nothing measured it inside a serial loop).
            if (!worksharing || StripsOf(levels[parallelLevel], root, outer.Node) is not { } s) return null;
            (strips, worksharing) = (s, false);
        }
        var privates = levels.Select((l, n) => (l, n))
            .Where(x => !x.l.CanonicalHeader!.DeclaredInHeader && (worksharing || strips is not null || x.n != order[0]))
            .Select(x => counters[x.n].Name).ToList();
        var names = order.Select(l => $"`{counters[l].Name}`");
        var innermost = counters[order[^1]].Name;
        var evidence = $"perfect rectangular nest; every dependence keeps its direction when the loops run as {string.Join(", ", names)} " +
                       (described.Count == 0 ? "(no two iterations touch the same element)" : $"({string.Join("; ", described.Take(6))})") +
                       $", so every element is updated in the original order; the innermost loop `{innermost}` then walks memory with stride 1; " +
                       (strips is not null
                           ? $"`{counters[parallelLevel].Name}` carries no dependence, so its strips of {strips.Width} (starting at multiples of {strips.Align}) run in parallel, each running the nest in that order"
                           : worksharing
                           ? $"`{counters[parallelLevel].Name}` stays parallel inside one region (`{InterchangeNest.WorksharingDirective}` under the serial `{counters[order[0]].Name}`)"
                           : $"`{counters[parallelLevel].Name}` is the parallel outer loop");
        return new InterchangeNest(counters.Select(c => c.Name).ToList(), order, headers, parallelLevel, worksharing, privates, described) {
            Evidence = evidence, Strips = strips,
            InnermostInLanes = !LoopJudge.HasBranches(outer) && InLanes(levelTester(outer)!.Value.Body.Accesses, levels[order[^1]].CanonicalHeader!.Symbol),
            FloatingPoint = outer.Node.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Binary or NodeKind.CompoundAssign && d.Type.IsFloatingPoint),
        };
    }

    /// <summary>
    /// The strip form's parallel level: canonical (`&lt;`/`&lt;=`, step +1) with an integral counter of at most 8 bytes and
    /// bounds free of side effects (the rectangular check already keeps them invariant in the nest, so the strip loop may
    /// evaluate them again); its strips are 2 KiB of the smallest written element, aligned to a line's worth of them, narrowed
    /// where a level of constant length would be fewer than 2 such strips (<see cref="StripAlignment.StripIterations(int, long?, int)"/>).
    /// </summary>
    private static InterchangeStrips? StripsOf(LoopInfo level, SyntaxNode root, SyntaxNode nest)
    {
        if (MatmulRecognizer.Header(level) is not { } h) return null;
        var t = h.Counter.Type;
        if (!t.IsIntegral || t.IsReference || t.IsAnyVolatile || t.IsAnyAtomic || MatmulRecognizer.ElementSize(t) > 8 || t.Spelling.IndexOfAny(['(', '[', '&']) >= 0 ||
            t.Spelling.Contains("auto", StringComparison.Ordinal)) return null;
        static bool Effects(SyntaxNode n) => n.DescendantsAndSelf().Any(d => d.Kind is NodeKind.CompoundAssign or NodeKind.Call or NodeKind.StmtExpr ||
            d is { Kind: NodeKind.Binary } && (d.BinaryOp.IsAssignment() || d.BinaryOp == BinaryOp.Comma) || d is { Kind: NodeKind.Unary } && d.UnaryOp.IsIncDec());
        if (Effects(h.Low) || Effects(h.Bound)) return null;
        var low = NestSyntax.Expression(root, h.Low);
        var bound = NestSyntax.Expression(root, h.Bound) ?? NestSyntax.AfterOperator(root, h.Left.Span.EndOffset, h.Inclusive ? "<=" : "<");
        if (low is null || bound is null || low.Contains('\n') || bound.Contains('\n')) return null;
        var align = StripAlignment.ElementsPerLine(nest);
        var trips = level.CanonicalHeader!.TripCount;
        var width = StripAlignment.StripIterations(StripAlignment.LineBytes / align, trips, align);
        return new InterchangeStrips(width, align, low, h.Inclusive ? $"({bound}) + 1" : bound, t.Spelling, h.LoopScoped) { Trips = trips };
    }

    /// <summary>A nest inside a loop the analyzer proved parallel is planned with it (its own plan would nest a region).</summary>
    private static bool InsideParallelLoop(LoopInfo loop, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        for (var p = loop.Parent; p is not null; p = p.Parent)
            if (byId.TryGetValue(p.Id, out var pf) && pf.Parallelizable) return true;
        return false;
    }

    /// <summary>Every pair of accesses to one base with a write, its direction vectors over the levels; null when an access
    /// cannot be followed through every level or a level's test needs an assumption the outer loop's check does not hold.</summary>
    private static (List<IReadOnlyList<char>> Vectors, List<string> Described)? Vectors(List<LoopInfo> levels, LoopFacts facts,
        Func<LoopInfo, (LoopBody Body, DependenceTester Tester)?> levelTester)
    {
        var perLevel = new List<(Dictionary<(SyntaxNode, bool, bool), MemoryAccess> Accesses, DependenceTester Tester)>();
        foreach (var level in levels)
        {
            if (levelTester(level) is not var (body, tester)) return null;
            var map = new Dictionary<(SyntaxNode, bool, bool), MemoryAccess>();
            foreach (var a in body.Accesses)
            {
                if (a.UnknownExtent) return null;
                if (!map.TryAdd((a.Node, a.IsRead, a.IsWrite), a)) return null;
            }
            perLevel.Add((map, tester));
        }
        var accesses = perLevel[0].Accesses.Values.ToList();
        if (accesses.Any(a => a.IsWrite && a.Base.Kind == BaseKind.LoadedPointer)) return null;
        var vectors = new List<IReadOnlyList<char>>();
        var described = new List<string>();
        foreach (var group in accesses.GroupBy(a => a.Base.Key, StringComparer.Ordinal))
        {
            var list = group.ToList();
            if (!list.Any(a => a.IsWrite)) continue;
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i; j < list.Count; j++)
                {
                    var (x, y) = (list[i], list[j]);
                    if (!x.IsWrite && !y.IsWrite) continue;
                    var keyX = (x.Node, x.IsRead, x.IsWrite);
                    var keyY = (y.Node, y.IsRead, y.IsWrite);
                    if (perLevel.Any(l => !l.Accesses.ContainsKey(keyX) || !l.Accesses.ContainsKey(keyY))) return null;
                    var found = DirectionVectors.Of(levels.Count, k =>
                    {
                        var r = perLevel[k].Tester.Test(perLevel[k].Accesses[keyX], perLevel[k].Accesses[keyY]);
                        return new DirectionVectors.LevelResult(r.Kind, r.Distance);
                    });
                    foreach (var v in found.Where(v => v.Any(d => d != '=')))
                    {
                        vectors.Add(v);
                        var text = $"`{x.Text}` and `{y.Text}`: {new DirectionVector(x.Text, y.Text, v).Text}";
                        if (!described.Contains(text)) described.Add(text);
                    }
                }
            }
        }
        // A level's test may prove subscripts inside their dimensions only under conditions: the outer loop's run-time
        // check must already hold each of them (it guards the transformed nest too).
        foreach (var (_, tester) in perLevel)
            if (tester.Assumptions.Any(a => facts.RuntimeCheck?.Contains(a, StringComparison.Ordinal) != true)) return null;
        return (vectors, described);
    }

    /// <summary>
    /// The best legal order: the innermost counter that moves the most references by one element (minus those it
    /// strides), better than the current innermost one; ties keep the original outer loop outside. Null: no better order.
    /// </summary>
    private static int[]? Choose(List<LoopInfo> levels, List<IReadOnlyList<char>> vectors, LoopBody outerBody)
    {
        var n = levels.Count;
        var scores = levels.Select(l => Score(outerBody.Accesses, l.CanonicalHeader!.Symbol)).ToList();
        var identity = Enumerable.Range(0, n).ToArray();
        int[]? best = null;
        foreach (var order in Permutations(identity))
        {
            if (order.SequenceEqual(identity) || scores[order[^1]] <= scores[n - 1] || !DirectionVectors.Preserves(vectors, order)) continue;
            if (best is null || scores[order[^1]] > scores[best[^1]] ||
                (scores[order[^1]] == scores[best[^1]] && Displacement(order) < Displacement(best))) best = order;
        }
        return best;
    }

    /// <summary>How far the levels move (0 for the original order): among equally good orders the least change wins.</summary>
    private static int Displacement(int[] order) => order.Select((l, p) => Math.Abs(l - p)).Sum() + (order[0] == 0 ? 0 : 1);

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, k) => k != i).ToArray()))
                yield return [items[i], .. rest];
    }

    /// <summary>Every reference moves by one element in its last dimension along <paramref name="counter"/> or does not move
    /// with it (a stride-1 loop in that counter); a subscript that cannot be followed answers false.</summary>
    internal static bool InLanes(IEnumerable<MemoryAccess> accesses, Affine.Symbol counter)
    {
        foreach (var a in accesses)
        {
            var subscripts = a.Subscripts.ToList();
            if (subscripts.Count == 0 || subscripts.Any(s => s is null)) return false;
            for (var k = 0; k < subscripts.Count - 1; k++)
                if (LoopJudge.ConstantCoefficient(subscripts[k]!, counter) is not 0) return false;
            if (LoopJudge.ConstantCoefficient(subscripts[^1]!, counter) is not (0 or 1)) return false;
        }
        return true;
    }

    /// <summary>References the counter moves by one element in the last dimension, minus those it strides (another
    /// dimension, a coefficient other than ±1, or one that is not a constant, as in `a[i * n + j]` for `i`).</summary>
    internal static int Score(IEnumerable<MemoryAccess> accesses, Affine.Symbol counter)
    {
        var score = 0;
        foreach (var a in accesses)
        {
            var subscripts = a.Subscripts.ToList();
            if (subscripts.Count == 0 || subscripts.Any(s => s is null)) continue;
            var strided = false;
            for (var k = 0; k < subscripts.Count - 1; k++)
                if (LoopJudge.ConstantCoefficient(subscripts[k]!, counter) is not 0) strided = true;
            var last = LoopJudge.ConstantCoefficient(subscripts[^1]!, counter);
            if (strided || last is null || Math.Abs(last.Value) > 1) score--;
            else if (last is 1 or -1) score++;
        }
        return score;
    }
}
