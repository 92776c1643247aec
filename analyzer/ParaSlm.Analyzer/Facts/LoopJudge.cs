using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Facts;

/// <summary>
/// Decides one loop: canonical header, blockers, scalar classes, dependences between memory accesses,
/// and aliasing between bases. Parallel only when every check passes; the first failure is the reason.
/// <paramref name="strictAliasing"/>: whether the file's build lets types rule out aliasing (-fno-strict-aliasing does not).
/// </summary>
internal sealed class LoopJudge(IReadOnlyDictionary<SyntaxNode, LoopInfo> loopsByNode, FunctionEffects effects, bool strictAliasing = true)
{
    private sealed record LoopDetails(IReadOnlyList<AccessFact> Accesses, IReadOnlyList<CallFact> Calls, IReadOnlyList<ScalarFact> Scalars)
    {
        public IReadOnlyList<string> FloatingPointReductions { get; init; } = [];
    }

    private static readonly LoopDetails NoDetails = new([], [], []);
    private LoopDetails _details = NoDetails;
    private const int MaxDependencesReported = 12;

    /// <summary>Judges one loop; an internal failure on one loop makes that loop sequential, never the run fail.</summary>
    public LoopFacts Judge(LoopInfo loop)
    {
        _details = NoDetails;
        try
        {
            return JudgeUnsafe(loop);
        }
        catch (Exception e) when (e is OverflowException or InvalidOperationException or ArgumentException or NullReferenceException or IndexOutOfRangeException)
        {
            return Make(loop, false, [], [], [], null, $"sequential: the analyzer could not complete its analysis of this loop ({e.GetType().Name}: {e.Message})", [], []);
        }
    }

    private LoopFacts JudgeUnsafe(LoopInfo loop)
    {
        var evidence = new List<string>();
        var deps = new List<DependenceFact>();
        LoopBody? walked = null;
        LoopFacts Sequential(string reason)
        {
            // A loop serial only because it appends may still run in two phases, in parallel and then in order.
            var append = walked is null ? null : AppendOf(loop, walked);
            if (append is not null) evidence.Add(append.Evidence);
            return Make(loop, false, [], [], [], null, "sequential: " + reason, evidence, deps) with { Append = append };
        }

        if (loop.Header is not { } header) return Sequential(loop.NonCanonicalReason ?? "the loop is not in canonical form");
        evidence.Add("header: " + header.Describe());
        // A second counter declared before the loop is one shared variable: a parallel loop would need its value per
        // iteration and its last value after the loop; the one-counter rewrite (TwoCounterForm) declares it in the body.
        if (header.Second is { DeclaredInHeader: false } outside)
            return Sequential($"the header advances a second counter, `{outside.Variable.Name}`, declared before the loop: OpenMP's loop form has one counter, " +
                              $"and ParaSlm rewrites a header to one counter only where the header declares both");
        if (header.Second is { } declared && TwoCounterForm.Of(loop) is null)
            return Sequential($"the header advances two counters (`{header.Symbol.Text}`, `{declared.Variable.Name}`) and its text cannot be rewritten to one counter " +
                              "on one line (a `//` comment or a preprocessor line in it)");

        if (SourcePragmas.PragmaInside(loop.Node) is { } inner)
            return Sequential($"the loop body already contains an OpenMP directive (`{inner}`)");
        var body = new LoopBodyWalker(loop, loopsByNode, effects).Run();
        walked = body;
        _details = Details(body, header);
        if (body.Blockers.Count > 0)
        {
            var b = body.Blockers[0];
            foreach (var x in body.Blockers.Take(5)) evidence.Add($"line {x.Node.Span.Line}: {x.Reason}");
            return Sequential($"{b.Reason} (line {b.Node.Span.Line})");
        }

        var boundChange = header.Bound.Symbols.Concat(header.StepExpr.Symbols)
            .FirstOrDefault(s => s.Dependencies.Any(d => body.Written.Contains(d) || FieldWritten(body, d)));
        if (boundChange is not null) return Sequential($"the loop bound or step `{boundChange.Text}` changes inside the loop");
        if (OpaqueBoundChanges(loop, body) is { } opaque) return Sequential(opaque);
        // The one-counter form computes the second counter in every iteration from both start values: they must not change.
        if (header.Second is { } two && two.Start.Symbols.Concat(header.Init.Symbols)
                .FirstOrDefault(s => s.Dependencies.Any(d => body.Written.Contains(d) || FieldWritten(body, d))) is { } moved)
            return Sequential($"the start value `{moved.Text}` of the counters `{header.Symbol.Text}` and `{two.Variable.Name}` changes inside the loop");

        var scalars = ScalarClassifier.Classify(loop, body, strictAliasing);
        _details = _details with
        {
            Scalars = ScalarFacts(scalars),
            // A parallel + or * over floating point (or a type not known to be integral, e.g. a template parameter) adds in
            // another order: the result may change in the last digits. A max/min too: `if (v > m) m = v` in another order
            // (threads' partial results, vector lanes) may keep another of two NaNs, or -0.0 for 0.0.
            FloatingPointReductions = scalars.Reductions
                .Where(r => r.Operator is "+" or "-" or "*" or "max" or "min" && body.Events.Any(e => e.Variable.Name == r.Variable && !e.Variable.Type.IsIntegral))
                .Select(r => r.Variable).Distinct().ToList(),
        };
        foreach (var r in scalars.Reductions) evidence.Add($"`{r.Variable}` is a {r.Operator} reduction");
        foreach (var p in scalars.Private) evidence.Add($"`{p}` is written before it is read in every iteration: private");
        foreach (var p in scalars.LastPrivate) evidence.Add($"`{p}` is written in every iteration and used after the loop: lastprivate");
        if (scalars.Carried.Count > 0) return Sequential(scalars.Carried[0].Reason);

        var variant = Variant(body);
        var tester = new DependenceTester(loop, header, variant, new StoreProofValues(loop, body, variant, effects, strictAliasing).Unchanged);

        // Same base: dependence tests between every pair with a write.
        var arrayReductions = new List<ArrayReduction>();
        Locality.GuardedReductionRecognizer.Candidate? guarded = null;
        string? guardedCarried = null;
        Locality.Privatization? privatized = null;
        string? privatizedCarried = null;
        var wholeArrays = new Dictionary<string, ArrayReduction>(StringComparer.Ordinal);
        var byBase = body.Accesses.GroupBy(a => a.Base.Key, StringComparer.Ordinal).ToList();
        foreach (var group in byBase)
        {
            var list = group.ToList();
            if (!list.Any(a => a.IsWrite)) continue;
            var b0 = list[0].Base;
            if (b0.Kind == BaseKind.LoadedPointer && !LoadIsInvariant(b0, variant, header, body))
            {
                var w = list.First(a => a.IsWrite);
                return Sequential($"`{w.Text}` at line {w.Line} writes through a pointer loaded from memory; the rows of `{RootName(b0)}` may overlap across iterations");
            }
            string? carried = null;
            for (var i = 0; i < list.Count && carried is null; i++)
            {
                for (var j = i; j < list.Count; j++)
                {
                    var (x, y) = (list[i], list[j]);
                    if (!x.IsWrite && !y.IsWrite) continue;
                    if (!x.IsWrite) (x, y) = (y, x);
                    var r = tester.Test(x, y);
                    if (r.Kind == DependenceKind.Independent) continue;
                    var fact = Fact(x, y, r);
                    if (deps.Count < MaxDependencesReported) deps.Add(fact);
                    if (r.Kind == DependenceKind.Carried)
                    {
                        carried = Explain(x, y, r);
                        break;
                    }
                }
            }
            if (carried is null) continue;
            // A scratch array every iteration writes before it reads: private per thread, its carried pairs left out; the
            // rest of the loop is judged as usual (its section still meets the other bases in the overlap checks).
            if (privatized is null)
            {
                var (form, notPrivate) = loop.CanonicalHeader is null ? (null, null) : Locality.PrivatizationRecognizer.Of(loop, header, list, variant, loopsByNode);
                if (notPrivate is not null) evidence.Add(notPrivate);
                if (form is not null)
                {
                    (privatized, privatizedCarried) = (form, carried);
                    continue;
                }
            }
            // Iterations that only add into the array's elements: a reduction over the array, when its section is known.
            var (arrayReduction, why) = ArrayReductions.Of(loop, header, list, variant);
            if (why is not null) evidence.Add(why);
            if (arrayReduction is null)
            {
                // A pointer scatter with no known section may still run as a guarded reduction: the rest of the loop is
                // judged with the pointer's elements taken to lie in [0, K), and the loop stays sequential as written.
                var (candidate, unguarded) = guarded is null && loop.CanonicalHeader is not null ? Locality.GuardedReductionRecognizer.Of(loop, list, FunctionLoops(loop)) : (null, null);
                if (unguarded is not null) evidence.Add(unguarded);
                if (candidate is null) return Sequential(carried);
                (guarded, guardedCarried) = (candidate, carried);
                continue;
            }
            arrayReductions.Add(arrayReduction);
            wholeArrays[b0.Key] = arrayReduction;
            evidence.Add($"`{RootName(b0)}` is only updated with `+` ({carried}): an array reduction over `{arrayReduction.Reduction.Variable}`" +
                         (arrayReduction.Elements is { } n ? $", {n} elements" : string.Empty));
        }

        // The private copies of all of them live on each thread's stack together: one limit for their sum.
        if (arrayReductions.Count > 1 && arrayReductions.Sum(r => r.Elements ?? ArrayReduction.MaximumElements) > ArrayReduction.MaximumElements)
            return Sequential($"the arrays {string.Join(", ", arrayReductions.Select(r => $"`{r.Reduction.Variable}`"))} are only updated with `+`, " +
                              $"but together they have more than the {ArrayReduction.MaximumElements} elements an array reduction privatizes per thread");

        // Different bases: may they be the same memory?
        var checks = new List<string>();
        var aliasChecks = new List<AliasCheck>();
        foreach (var (gx, gy) in PairsThatMayOverlap(byBase))
        {
            var (bx, by) = (gx[0].Base, gy[0].Base);
            var check = RuntimeCheck(loop, header, bx, gx, by, gy, variant, wholeArrays, guarded, new StoreProofValues(loop, body, variant, effects, strictAliasing));
            if (check is null)
            {
                var w = gx.Any(a => a.IsWrite) ? gx.First(a => a.IsWrite) : gy.First(a => a.IsWrite);
                var (nx, ny) = AliasNames(bx, by);
                return Sequential($"`{nx}` and `{ny}` may point to the same memory, and `{w.Text}` is written at line {w.Line}");
            }
            checks.Add(check);
            aliasChecks.Add(new AliasCheck(RootName(bx), RootName(by), check, bx.Text == RootName(bx) && by.Text == RootName(by)));
            var (ex, ey) = AliasNames(bx, by);
            evidence.Add($"`{ex}` and `{ey}` may alias: parallel only if {check}");
        }

        var rowChecks = tester.DelinearizationChecks;
        foreach (var a in tester.Assumptions)
        {
            checks.Add(a);
            evidence.Add(rowChecks.Contains(a)
                ? $"flattened subscripts `q * s + r` are split into rows (q, r), which meet only where both do, only if the remainders span less than a row: {a}"
                : $"subscripts stay inside their declared dimensions only if {a}");
        }
        foreach (var r in arrayReductions.Where(r => r.SizeCheck is not null))
        {
            checks.Add(r.SizeCheck!);
            evidence.Add($"the section `{r.Reduction.Variable}` is privatized per thread only if {r.SizeCheck}");
        }
        var reductions = scalars.Reductions.Concat(arrayReductions.Select(r => r.Reduction)).ToList();

        var lastPrivate = scalars.LastPrivate.ToList();
        if (!header.DeclaredInHeader && header.Variable is { } iv && Liveness.IsLiveAfter(loop, iv)) lastPrivate.Add(iv.Name);
        var runtime = checks.Count == 0 ? null : string.Join(" && ", checks.Select(c => checks.Count > 1 ? "(" + c + ")" : c));
        if (privatized is not null)
        {
            // The loop as written stays sequential; the privatized form is a transform the plan may name.
            var form = Privatized(loop, scalars, lastPrivate, arrayReductions, guarded, privatized, runtime);
            if (form is not null) evidence.Add(form.Evidence);
            return Sequential(privatizedCarried!) with { Privatization = form };
        }
        if (guarded is not null)
        {
            // The loop as written stays sequential; the guarded form is a transform the plan may name.
            var form = Guarded(loop, header, body, scalars, lastPrivate, guarded, runtime);
            if (form is not null) evidence.Add(form.Evidence);
            return Sequential(guardedCarried!) with { GuardedReduction = form };
        }
        var clauseText = ClauseSummary(reductions, scalars.Private, lastPrivate);
        var sizeChecks = arrayReductions.Count(r => r.SizeCheck is not null);
        var reason = runtime is null
            ? "parallel: " + (clauseText.Length > 0 ? clauseText : "iterations are independent")
            : (tester.Assumptions.Count == checks.Count && rowChecks.Count == checks.Count ? "parallel if every flattened subscript stays within its row: "
                : tester.Assumptions.Count == checks.Count ? "parallel if every subscript stays inside its dimension: "
                : sizeChecks == checks.Count ? "parallel if the reduced array sections are small enough: "
                : "parallel if the pointers do not overlap: ") +
              (clauseText.Length > 0 ? clauseText + "; " : string.Empty) + "check " + runtime;
        _details = _details with
        {
            FloatingPointReductions = _details.FloatingPointReductions.Concat(arrayReductions.Where(r => r.FloatingPoint).Select(r => r.Reduction.Variable)).ToList(),
        };
        // A two-counter header takes no `simd` and no lanes form: both would name the header as written.
        var stride1 = arrayReductions.Count == 0 && header.Second is null && Stride1Innermost(loop, header, body);
        var branches = HasBranches(loop);
        return Make(loop, true, reductions, scalars.Private, lastPrivate, runtime, reason, evidence, deps) with
        {
            // An array reduction is a CPU plan: offload would need the section mapped and reduced on the device.
            Offload = arrayReductions.Count > 0
                ? Offload.OffloadFacts.No("array reductions run on the CPU only")
                : header.Second is not null ? Offload.OffloadFacts.No("a two-counter header runs on the CPU only")
                : Offload.OffloadAnalysis.Of(loop, header, body, variant, runtime, lastPrivate),
            ArrayReductions = arrayReductions,
            AliasChecks = aliasChecks,
            SubscriptAssumptions = tester.Assumptions.ToList(),
            Vectorizable = runtime is null && stride1,
            VectorizableIf = runtime is not null && stride1 ? runtime : null,
            Branchless = stride1 && !branches,
            VectorLanes = arrayReductions.Count == 0 && header.Second is null ? VectorLaneShapes.Prove(loop, header, body, effects, branches) : null,
            ByValue = ByValueCaptures.Of(loop, body, strictAliasing,
                reductions.Select(r => r.Variable).Concat(scalars.Private).Concat(lastPrivate).Concat(arrayReductions.Select(r => r.Reduction.Variable))),
        };
    }

    /// <summary>Variables whose value changes between iterations of the loop (written or declared in it), counters of inner loops excepted.</summary>
    private static HashSet<string> Variant(LoopBody body)
    {
        var variant = new HashSet<string>(body.Written, StringComparer.Ordinal);
        variant.UnionWith(body.Locals);
        variant.UnionWith(WrittenFields(body));
        foreach (var k in body.InnerCounters.Keys) variant.Remove(k);
        return variant;
    }

    /// <summary>
    /// The walker's view of one loop and a dependence tester for its level built exactly as the verdict builds it (its
    /// own counter differs, enclosing counters are equal, inner ones free): the nest-level tests of the locality
    /// transforms ask it one level at a time. Null when the loop is not canonical or its body has a blocker.
    /// </summary>
    /// <summary>
    /// The run-time condition under which no two bases of the loop (one of them written) overlap over every access of the
    /// whole loop, as the verdict of a parallel loop writes it (null: none needed), or why it cannot be written. Used by a
    /// transform of a loop that is serial as written (<see cref="Locality.LoopDistributing"/>), whose verdict stops at the
    /// first carried dependence and so has no check of its own.
    /// </summary>
    internal (string? Check, string? Blocker) OverlapCheck(LoopInfo loop)
    {
        if (loop.CanonicalHeader is not { } header) return (null, "its header is not canonical");
        var body = new LoopBodyWalker(loop, loopsByNode, effects).Run();
        if (body.Blockers.Count > 0) return (null, body.Blockers[0].Reason);
        var variant = Variant(body);
        var byBase = body.Accesses.GroupBy(a => a.Base.Key, StringComparer.Ordinal).ToList();
        var checks = new List<string>();
        var none = new Dictionary<string, ArrayReduction>(StringComparer.Ordinal);
        foreach (var (gx, gy) in PairsThatMayOverlap(byBase))
        {
            var (bx, by) = (gx[0].Base, gy[0].Base);
            if (RuntimeCheck(loop, header, bx, gx, by, gy, variant, none, null, new StoreProofValues(loop, body, variant, effects, strictAliasing)) is not { } check)
                return (null, $"`{RootName(bx)}` and `{RootName(by)}` may point to the same memory, and no run-time check covers every access of the loop");
            if (!checks.Contains(check)) checks.Add(check);
        }
        return (checks.Count == 0 ? null : string.Join(" && ", checks.Select(c => checks.Count > 1 ? "(" + c + ")" : c)), null);
    }

    /// <summary>
    /// The run-time condition under which no two bases of two sibling nests (one of them written anywhere in either nest)
    /// overlap, each base's extent taken over every access of each nest (<see cref="Locality.SiblingFusing"/>): the fused form
    /// interleaves the nests' instances, so a pair of bases that could be one array in the two nests, or in one, must be proven
    /// apart. Null check: none needed. Each piece is the same test <see cref="OverlapCheck"/> writes, per pair of nests.
    /// </summary>
    internal (string? Check, string? Blocker) FusionOverlapCheck(LoopInfo first, LoopInfo second)
    {
        if (first.CanonicalHeader is not { } h1 || second.CanonicalHeader is not { } h2) return (null, "a header is not canonical");
        var b1 = new LoopBodyWalker(first, loopsByNode, effects).Run();
        var b2 = new LoopBodyWalker(second, loopsByNode, effects).Run();
        if (b1.Blockers.Count > 0) return (null, b1.Blockers[0].Reason);
        if (b2.Blockers.Count > 0) return (null, b2.Blockers[0].Reason);
        var nests = new[] { (Loop: first, Header: h1, Variant: Variant(b1)), (Loop: second, Header: h2, Variant: Variant(b2)) };
        var all = b1.Accesses.Select(a => (Access: a, Nest: 0)).Concat(b2.Accesses.Select(a => (Access: a, Nest: 1))).ToList();
        var byBase = all.GroupBy(a => a.Access.Base.Key, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var checks = new List<string>();
        for (var x = 0; x < byBase.Count; x++)
        {
            for (var y = x + 1; y < byBase.Count; y++)
            {
                var (gx, gy) = (byBase[x], byBase[y]);
                if (!gx.Any(a => a.Access.IsWrite) && !gy.Any(a => a.Access.IsWrite)) continue;
                var (bx, by) = (gx[0].Access.Base, gy[0].Access.Base);
                if (!AliasAnalysis.MayAlias(bx, by)) continue;
                if (AliasAnalysis.TypesExcludeAliasing(gx.Select(a => AccessedType.Of(a.Access, effects)), gy.Select(a => AccessedType.Of(a.Access, effects)), strictAliasing)) continue;
                if (bx.Kind is not (BaseKind.Pointer or BaseKind.NamedArray) || by.Kind is not (BaseKind.Pointer or BaseKind.NamedArray))
                    return (null, $"`{RootName(bx)}` and `{RootName(by)}` may be the same memory, and no run-time check covers every access of the two nests");
                for (var nx = 0; nx < 2; nx++)
                {
                    for (var ny = 0; ny < 2; ny++)
                    {
                        var (sx, sy) = (gx.Where(a => a.Nest == nx).Select(a => a.Access).ToList(), gy.Where(a => a.Nest == ny).Select(a => a.Access).ToList());
                        if (sx.Count == 0 || sy.Count == 0) continue;
                        var assumed = new HashSet<Symbol>();
                        var rx = Extent(nests[nx].Loop, nests[nx].Header, sx, nests[nx].Variant, assumed);
                        var ry = Extent(nests[ny].Loop, nests[ny].Header, sy, nests[ny].Variant, assumed);
                        if (rx is null || ry is null)
                            return (null, $"`{RootName(bx)}` and `{RootName(by)}` may be the same memory, and no run-time check covers every access of the two nests");
                        var check = Disjoint(bx, rx.Value, by, ry.Value, assumed);
                        if (!checks.Contains(check)) checks.Add(check);
                    }
                }
            }
        }
        return (checks.Count == 0 ? null : string.Join(" && ", checks.Select(c => checks.Count > 1 ? "(" + c + ")" : c)), null);
    }

    /// <summary>Two extents apart: the overlap check of a loop (<see cref="RuntimeCheck"/>) and of two fused nests.</summary>
    private static string Disjoint(MemoryBase bx, (string Start, string End, string Type, bool Flat) rx, MemoryBase by, (string Start, string End, string Type, bool Flat) ry, HashSet<Symbol> assumed)
    {
        // A loaded pointer's element type may be a template's `T`: its addresses are compared as bytes.
        var sameType = rx.Type == ry.Type && rx.Type != "*" && bx.Kind != BaseKind.LoadedPointer && by.Kind != BaseKind.LoadedPointer;
        string Addr(MemoryBase b, string off, (string Start, string End, string Type, bool Flat) r)
        {
            var pointer = b.LoadText ?? b.Text;
            var start = r.Flat ? $"(const {r.Type} *)({pointer})" : pointer;
            // A negative offset reads `data - 1`, not `data + -1` (FLAC's residual loops showed the latter in the report).
            var text = off == "0" ? start : off.StartsWith('-') ? $"{start} - {off[1..]}" : $"{start} + {off}";
            return sameType ? text : $"(const char *)({text})";
        }
        var condition = $"{Addr(bx, rx.End, rx)} <= {Addr(by, ry.Start, ry)} || {Addr(by, ry.End, ry)} <= {Addr(bx, rx.Start, rx)}";
        if (assumed.Count == 0) return condition;
        var guards = string.Join(" && ", assumed.OrderBy(a => a.Text, StringComparer.Ordinal).Select(a => $"{a.Text} >= 0"));
        return $"{guards} && ({condition})";
    }

    /// <summary>The pairs of different bases of a loop, one of them written, that may be the same memory and whose types do
    /// not rule it out: each needs a run-time check (a parallel verdict's and <see cref="OverlapCheck"/>'s alike).</summary>
    private IEnumerable<(List<MemoryAccess> X, List<MemoryAccess> Y)> PairsThatMayOverlap(IReadOnlyList<IGrouping<string, MemoryAccess>> byBase)
    {
        for (var i = 0; i < byBase.Count; i++)
        {
            for (var j = i + 1; j < byBase.Count; j++)
            {
                var (gx, gy) = (byBase[i].ToList(), byBase[j].ToList());
                if (!gx.Any(a => a.IsWrite) && !gy.Any(a => a.IsWrite)) continue;
                if (!AliasAnalysis.MayAlias(gx[0].Base, gy[0].Base)) continue;
                if (AliasAnalysis.TypesExcludeAliasing(gx.Select(a => AccessedType.Of(a, effects)), gy.Select(a => AccessedType.Of(a, effects)), strictAliasing)) continue;
                yield return (gx, gy);
            }
        }
    }

    /// <summary>What the walker finds in a canonical loop's body, blockers or not (for cost facts, never for a verdict).</summary>
    internal LoopBody? Walk(LoopInfo loop) => loop.Header is null ? null : new LoopBodyWalker(loop, loopsByNode, effects).Run();

    internal (LoopBody Body, DependenceTester Tester)? LevelTester(LoopInfo loop)
    {
        if (loop.CanonicalHeader is not { } header) return null;
        var body = new LoopBodyWalker(loop, loopsByNode, effects).Run();
        if (body.Blockers.Count > 0) return null;
        var variant = Variant(body);
        return (body, new DependenceTester(loop, header, variant, new StoreProofValues(loop, body, variant, effects, strictAliasing).Unchanged));
    }

    private Locality.OrderedAppend? AppendOf(LoopInfo loop, LoopBody body)
    {
        if (loop.CanonicalHeader is not { } header) return null;
        return Locality.OrderedAppendRecognizer.Recognize(loop, header, body, (accesses, variant) =>
        {
            // An extent that holds only under an assumed sign of a symbol is not used: the check is all there is.
            var assumed = new HashSet<Symbol>();
            var e = Extent(loop, header, accesses, variant, assumed);
            return assumed.Count == 0 ? e : null;
        }, strictAliasing);
    }

    private static string ClauseSummary(IReadOnlyList<Reduction> reductions, IReadOnlyList<string> priv, IReadOnlyList<string> last)
    {
        var parts = new List<string>();
        foreach (var g in reductions.GroupBy(r => r.Operator)) parts.Add($"reduction({g.Key}:{string.Join(",", g.Select(r => r.Variable))})");
        if (priv.Count > 0) parts.Add($"private({string.Join(",", priv)})");
        if (last.Count > 0) parts.Add($"lastprivate({string.Join(",", last)})");
        return string.Join(", ", parts);
    }

    private LoopDetails Details(LoopBody body, LoopHeader header)
    {
        var accesses = body.Accesses.Where(a => !a.UnknownExtent)
            .Select(a => new AccessFact(a.Base.Root?.Name ?? a.Base.Text, a.Text, a.Line, a.IsRead, a.IsWrite,
                a.Subscripts.Select(s => s?.ToString() ?? "?").ToList())
            {
                ElementBytes = AccessElements.Bytes(a),
                CounterStride = AccessElements.CounterStride(a, header),
                InnerDepth = a.InnerLoops.Count,
                ArrayBytes = AccessElements.ArrayBytes(a),
            })
            .ToList();
        var calls = new List<CallFact>();
        foreach (var n in SafeAndUnsafeCalls(body)) calls.Add(n);
        return new LoopDetails(accesses, calls, []);
    }

    private IEnumerable<CallFact> SafeAndUnsafeCalls(LoopBody body)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in body.Blockers)
            if (b.Node.Kind == NodeKind.Call && seen.Add(b.Node.Spelling))
                yield return new CallFact(b.Node.Spelling, b.Node.Span.Line, false, b.Reason);
        foreach (var c in body.Calls)
            if (seen.Add(c.Name)) yield return c;
    }

    private static IReadOnlyList<ScalarFact> ScalarFacts(ScalarClasses s) =>
        s.Reductions.Select(r => new ScalarFact(r.Variable, $"reduction({r.Operator})", $"only combined with {r.Operator}"))
            .Concat(s.Private.Select(p => new ScalarFact(p, "private", "written before it is read in every iteration")))
            .Concat(s.LastPrivate.Select(p => new ScalarFact(p, "lastprivate", "written in every iteration and read after the loop")))
            .Concat(s.Carried.Select(c => new ScalarFact(c.Variable, "carried", c.Reason)))
            .ToList();

    private LoopFacts Make(LoopInfo loop, bool parallel, IReadOnlyList<Reduction> reductions, IReadOnlyList<string> priv,
        IReadOnlyList<string> last, string? runtime, string reason, List<string> evidence, List<DependenceFact> deps) =>
        new(loop.Id, loop.File, loop.Line, loop.Column, loop.Function.Name, loop.Depth, parallel, reductions, priv, last, runtime, reason)
        {
            Evidence = evidence,
            Dependences = deps,
            Header = loop.Header?.Describe() ?? loop.NonCanonicalReason ?? string.Empty,
            TripCount = loop.Header?.TripCount,
            TripCountText = TripCountText(loop),
            NestTripCountText = NestTripCountText(loop),
            NestIterationsText = NestIterations(loop).Text,
            NestIterations = NestIterations(loop).Value,
            HasOpenMPDirective = loop.HasOpenMPDirective,
            NotDuplicable = DuplicationBlocker.Of(loop.Node),
            TwoCounter = TwoCounterForm.Of(loop),
            OpenMPDirective = loop.OpenMPDirective,
            ParentId = loop.Parent?.Id,
            StartOffset = loop.Node.Span.Offset,
            EndOffset = loop.Node.Span.EndOffset,
            CollapsibleDepth = CollapsibleDepth(loop),
            InnerBounds = InnerBounds(loop),
            TiledNest = TiledNest.Of(loop),
            RuntimeStep = loop.Header is { StepKnown: false },
            Accesses = _details.Accesses,
            Calls = _details.Calls,
            Scalars = _details.Scalars,
            FloatingPointReductions = parallel ? _details.FloatingPointReductions : [],
        };

    /// <summary>The trip count as a C expression valid before the loop (for a runtime profitability test), or null.
    /// A run-time step (`i += len`, positive) counts (span) / (step) + 1.</summary>
    private static string? TripCountText(LoopInfo loop)
    {
        if (loop.IsRangeFor || loop.Header is not { } h || h.TripCount is not null) return null;
        return LoopTrips.Text(h);
    }

    /// <summary>
    /// Outer × inner iterations of a loop whose body is exactly one inner loop of run-time length, when the inner
    /// loop's bounds and step read nothing declared or written inside the outer loop (so the text means the same just
    /// before the outer loop as in every iteration); else null.
    /// </summary>
    private static string? NestTripCountText(LoopInfo loop)
    {
        if (loop.Children.Count != 1 || CollapsibleDepth(loop) < 2 || TripCountText(loop) is not { } outer) return null;
        var inner = loop.Children[0];
        if (inner.Header is not { } ih || ih.TripCount is not null || TripCountText(inner) is not { } innerText) return null;
        var keys = ih.Min.Symbols.Concat(ih.Max.Symbols).Concat(ih.StepExpr.Symbols).SelectMany(s => s.Dependencies).Distinct(StringComparer.Ordinal);
        if (!keys.All(key => LoopTrips.SameBefore(key, loop))) return null;
        return $"(long long)({outer}) * ({innerText})";
    }

    /// <summary>
    /// The iterations of the one inner loop of <paramref name="loop"/> summed over the loop, as a C expression valid before
    /// it: `outer * inner` when the inner bounds read nothing the loop declares or writes; when they also read the loop's
    /// own counter affinely (a triangle: `j = i + 1; j < n`), both steps 1, the inner length is affine in the counter, so the
    /// sum is exactly outer × (first length + last length) / 2. Null otherwise (bounds read from memory at the counter).
    /// Where the trip count and both lengths are constants (a 256-row triangle), the sum's value too.
    /// </summary>
    private static (string? Text, long? Value) NestIterations(LoopInfo loop)
    {
        if (loop.Children.Count != 1 || loop.Header is not { } h) return (null, null);
        // A constant trip count counts too: 13 bands of run-time length are as short as 13 rows can be.
        if ((h.TripCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? TripCountText(loop)) is not { } outer) return (null, null);
        var inner = loop.Children[0];
        if (inner.IsRangeFor || inner.Header is not { } ih || ih.TripCount is not null) return (null, null);
        var keys = ih.Min.Symbols.Concat(ih.Max.Symbols).Concat(ih.StepExpr.Symbols).Where(x => !x.Equals(h.Symbol))
            .SelectMany(x => x.Dependencies).Distinct(StringComparer.Ordinal);
        // An opaque term of the counter (`eBands[i]`) is not affine in it: no sum in closed form.
        if (keys.Any(key => key == h.Symbol.Key || !LoopTrips.SameBefore(key, loop))) return (null, null);
        var span = ih.Max.Subtract(ih.Min);
        if (!span.Mentions(h.Symbol))
            return (TripCountText(inner) is { } innerText ? $"(long long)({outer}) * ({innerText})" : null, null);
        if (!h.StepKnown || Math.Abs(h.Step) != 1 || !ih.StepKnown || Math.Abs(ih.Step) != 1) return (null, null);
        if (span.Substitute(h.Symbol, h.Min) is not { } first || span.Substitute(h.Symbol, h.Max) is not { } last) return (null, null);
        if (first.Mentions(h.Symbol) || last.Mentions(h.Symbol)) return (null, null);
        var text = $"(long long)({outer}) * (({first.Add(LinearExpr.One).ToWideString()}) + ({last.Add(LinearExpr.One).ToWideString()})) / 2";
        return (text, h.TripCount is { } trips && first.IsConstant && last.IsConstant ? trips * (first.Constant + 1 + last.Constant + 1) / 2 : null);
    }

    /// <summary>No inner loop, no call, and every access's subscripts move by 0 or ±1 element per iteration, in the last
    /// dimension only.</summary>
    private static bool Stride1Innermost(LoopInfo loop, LoopHeader header, LoopBody body)
    {
        if (loop.Children.Count > 0 || loop.IsRangeFor || body.Calls.Count > 0 || !header.StepKnown || Math.Abs(header.Step) != 1) return false;
        if (loop.Node.DescendantsAndSelf().Any(n => n.Kind == NodeKind.Call)) return false;
        if (HasControlFlowLanesCannotTake(loop)) return false;
        foreach (var a in body.Accesses)
        {
            if (a.UnknownExtent || a.Path.Count == 0 || a.Path.Any(p => p is not IndexStep)) return false;
            var subscripts = a.Subscripts.ToList();
            for (var k = 0; k < subscripts.Count; k++)
            {
                if (subscripts[k] is not { } s) return false;
                // An opaque term that reads the counter (`x[i / 2]`) moves by no fixed stride: a gather, not a lane load.
                if (s.Symbols.Any(x => !x.Equals(header.Symbol) && x.Dependencies.Contains(header.Symbol.Key))) return false;
                var c = ConstantCoefficient(s, header.Symbol);
                if (c is null) return false;
                if (k < subscripts.Count - 1 ? c != 0 : Math.Abs(c.Value) > 1) return false;
            }
            if (!a.Node.Type.IsScalarValue) return false;
        }
        return true;
    }

    /// <summary>
    /// Control flow a vectorizer cannot turn into masked lanes: a `switch` (a multi-way branch per element), a computed
    /// `goto`, or a `goto` back to an earlier label (a loop hidden in the body). `if`/`else`, `?:`, `continue` and forward
    /// `goto`s that join again are if-converted. `omp simd` on such a loop asks for a transformation clang cannot make: found
    /// on TSVC_2 through app.proj with clang-19 (s442's `switch (indx[i])` with four `goto`s got `parallel for simd`, and every
    /// build printed "loop not vectorized: the optimizer was unable to perform the requested transformation"
    /// [-Wpass-failed], an error under -Werror that the syntax-only compile check cannot see). The loop stays parallel,
    /// without `simd`. A `while` or `do` loop in the body is a loop of its own that lanes cannot run (its trip count differs
    /// per element: a Mandelbrot or Collatz iteration); clang printed the same warning for `parallel for simd` over one.
    /// </summary>
    internal static bool HasControlFlowLanesCannotTake(LoopInfo loop)
    {
        var nodes = loop.Node.DescendantsAndSelf().ToList();
        if (nodes.Any(n => n.Kind is NodeKind.Switch or NodeKind.IndirectGoto or NodeKind.While or NodeKind.Do)) return true;
        foreach (var g in nodes.Where(n => n.Kind == NodeKind.Goto))
        {
            var label = g.Children.FirstOrDefault()?.Spelling;
            var target = nodes.FirstOrDefault(n => n.Kind == NodeKind.Label && n.Spelling == label);
            if (target is null || target.Span.Offset <= g.Span.Offset) return true;
        }
        return false;
    }

    /// <summary>A branch in the body (`if`, `?:`, `continue`, `break`, `goto`, `return`): lanes then need masked or
    /// if-converted stores, which gcc at the baseline ISA often declines (TSVC's `s271`, `s2711`, `s276`, `vif`: 1.06–1.5x
    /// faster on 2 threads, so their serial loops were not running in lanes).</summary>
    internal static bool HasBranches(LoopInfo loop) =>
        loop.Node.DescendantsAndSelf().Any(n => n.Kind is NodeKind.If or NodeKind.Conditional or NodeKind.Continue or NodeKind.Break or NodeKind.Goto or NodeKind.Return);

    /// <summary>The constant coefficient of <paramref name="s"/> in <paramref name="e"/> (0 when absent); null when it
    /// is multiplied by another symbol (`n * i`: the stride is not known).</summary>
    internal static long? ConstantCoefficient(LinearExpr e, Symbol s)
    {
        long c = 0;
        foreach (var (m, k) in e.Terms)
        {
            if (!m.Contains(s)) continue;
            if (m.Factors.Count != 1) return null;
            c += k;
        }
        return c;
    }

    /// <summary>`triangular` when an inner loop's bound is affine in this loop's counter, `irregular` when it depends on it
    /// otherwise (a bound read from memory at the counter), `tiled` when the only inner loops whose length reads it run one tile
    /// of it (<see cref="TiledNest.TileOf"/>), else `rectangular`.</summary>
    private static string InnerBounds(LoopInfo loop)
    {
        if (loop.Header is not { } h) return "rectangular";
        var shape = "rectangular";
        var stack = new Stack<LoopInfo>(loop.Children);
        while (stack.Count > 0)
        {
            var inner = stack.Pop();
            foreach (var c in inner.Children) stack.Push(c);
            if (inner.Header is not { } ih) continue;
            var bounds = new[] { ih.Min, ih.Max };
            // `j < i` changes the inner trip count with i; `j = i; j < i + 4` only moves the inner loop.
            if (ih.Max.Subtract(ih.Min).Mentions(h.Symbol))
            {
                // One tile of this loop (`j = jt; j < MIN(n, jt + tile)`, tiles as long as the step): every iteration's inner
                // loop has the same length but the last ones, cut at n. Static blocks share that evenly.
                if (TiledNest.TileOf(ih, h) is null) return "triangular";
                if (shape == "rectangular") shape = "tiled";
                continue;
            }
            // A bound that is not affine (`ptr[r + 1]`) stands for itself; its text says whether it reads at the counter.
            var opaque = bounds.Any(b => b.Symbols.Any(s => s.Key != h.Symbol.Key && (s.Dependencies.Contains(h.Symbol.Key) || s.Key.StartsWith("lb:", StringComparison.Ordinal) || s.Key.StartsWith("ub:", StringComparison.Ordinal))));
            if (opaque && h.Variable is { } counter && new[] { inner.Node.For?.Init, inner.Node.For?.Condition }.Any(e => e is not null && SyntaxEquality.Mentions(e, counter.Key)))
                shape = "irregular";
        }
        return shape;
    }

    /// <summary>How many perfectly nested canonical loops start here (1 = just this one).</summary>
    private static int CollapsibleDepth(LoopInfo loop)
    {
        var depth = 1;
        var current = loop;
        // Only loops in OpenMP's canonical form as written collapse: a two-counter header cannot be named by `collapse`.
        while (current.CanonicalHeader is not null && current.Body is { } b)
        {
            var stmts = b.Kind == NodeKind.Compound ? b.Children : [b];
            if (stmts.Count != 1 || stmts[0].Kind != NodeKind.For) break;
            var inner = current.Children.FirstOrDefault(c => ReferenceEquals(c.Node, stmts[0]));
            if (inner?.CanonicalHeader is null || inner.Header!.Min.MentionsAny(Counters(loop, current)) || inner.Header.Max.MentionsAny(Counters(loop, current))) break;
            depth++;
            current = inner;
        }
        return depth;
    }

    private static IEnumerable<Symbol> Counters(LoopInfo from, LoopInfo to)
    {
        for (var l = to; l is not null; l = l.Parent)
        {
            if (l.Header is { } h) yield return h.Symbol;
            if (ReferenceEquals(l, from)) yield break;
        }
    }

    private string? OpaqueBoundChanges(LoopInfo loop, LoopBody body)
    {
        if (loop.Node.For?.Condition is not { } cond) return null;
        foreach (var n in cond.DescendantsAndSelf())
        {
            if (n.Kind == NodeKind.DeclRef && n.Decl is { } d && d.Key != loop.Header?.Variable?.Key && body.Written.Contains(d.Key))
                return $"the loop condition reads `{d.Name}`, which changes inside the loop";
            // A pure call (asserted, or proven from its body) gives the same value in every iteration unless the body
            // writes what it reads; the walker records those reads (the condition is walked as part of each iteration),
            // so the dependence tests see a write to them.
            if (n.Kind == NodeKind.Call && n.Decl is { } c && !KnownFunctions.IsContainerRead(c.Name) && !KnownFunctions.IsElementAccess(c.Name) &&
                !KnownFunctions.IsPure(c.Name, c.QualifiedName) && !effects.IsAssumedPure(c) && !effects.Of(c).IsPure)
                return $"the loop condition calls `{c.Name}` on every iteration (assert it with ParaSlmAssumePure if it is pure)";
        }
        return null;
    }

    /// <summary>Keys of struct fields the loop writes (`s.n`, `p->n`, `this->n`), which symbols may depend on.</summary>
    private static IEnumerable<string> WrittenFields(LoopBody body)
    {
        foreach (var a in body.Accesses.Where(a => a.IsWrite))
        {
            var field = a.Path.OfType<FieldStep>().FirstOrDefault();
            if (field is null) continue;
            yield return a.Base.Key + "." + field.Field;
            yield return a.Base.Key + "->" + field.Field;
            if (a.Base.Key == "this") yield return "this->" + field.Field;
        }
    }

    private static bool FieldWritten(LoopBody body, string key) => WrittenFields(body).Contains(key, StringComparer.Ordinal);

    private static bool LoadIsInvariant(MemoryBase b, HashSet<string> variant, LoopHeader header, LoopBody body) =>
        b.LoadSubscripts.All(s => s is not null && !s.Mentions(header.Symbol) &&
                                  !s.Symbols.Any(x => variant.Contains(x.Key) || body.InnerCounters.ContainsKey(x.Key) || x.Key.StartsWith("range:", StringComparison.Ordinal)));

    private static string RootName(MemoryBase b) => b.Root?.Name ?? b.Text;

    // Two pointers loaded from one struct (`s->x`, `s->xb`) share their root: naming the roots would read "`s` and `s`
    // may point to the same memory" (llama2.c's RunState), so such a pair is named by its own expressions.
    private static (string X, string Y) AliasNames(MemoryBase x, MemoryBase y) =>
        RootName(x) == RootName(y) ? (x.Text, y.Text) : (RootName(x), RootName(y));

    private static DependenceFact Fact(MemoryAccess w, MemoryAccess other, PairResult r)
    {
        var kind = other.IsWrite && !other.IsRead ? "output" : r.Distance is < 0 ? "anti" : "flow";
        return new DependenceFact(kind, w.Text, w.Line, other.Text, other.Line, r.Direction, r.Distance,
            r.Kind == DependenceKind.Carried, r.Test);
    }

    private static string Explain(MemoryAccess w, MemoryAccess other, PairResult r)
    {
        if (ReferenceEquals(w, other) || (w.Text == other.Text && w.Line == other.Line))
            return $"`{w.Text}` at line {w.Line} may write the same element in different iterations";
        if (other.IsWrite && !other.IsRead)
            return $"`{w.Text}` (line {w.Line}) and `{other.Text}` (line {other.Line}) may write the same element in different iterations";
        var when = r.Distance switch
        {
            1 => "in the next iteration",
            -1 => "in the previous iteration",
            > 1 => $"{r.Distance} iterations later",
            < -1 => $"{-r.Distance} iterations earlier",
            _ => "by another iteration",
        };
        return $"`{w.Text}` written at line {w.Line} is read as `{other.Text}` {when} (line {other.Line}, {r.Test})";
    }

    /// <summary>
    /// A non-overlap condition for two bases, or null when their extents cannot be bounded. Extents are
    /// element offsets over the whole iteration space; a symbolic coefficient of unknown sign is assumed
    /// non-negative and that assumption becomes part of the check (a failed assumption runs the serial loop).
    /// </summary>
    private static string? RuntimeCheck(LoopInfo loop, LoopHeader header, MemoryBase bx, List<MemoryAccess> gx, MemoryBase by, List<MemoryAccess> gy, HashSet<string> variant,
        IReadOnlyDictionary<string, ArrayReduction> wholeArrays, Locality.GuardedReductionRecognizer.Candidate? guarded, StoreProofValues stores)
    {
        if (bx.Kind == BaseKind.Container && by.Kind == BaseKind.Container && bx.IsReference && by.IsReference)
            return $"&{bx.Text} != &{by.Text}";
        // A pointer loaded from a member (`pressure.data` of the accessor call `pressure(i, j)`) is checked like a pointer
        // variable when its value, and every value its extent names, stays what it was before the loop.
        bool Loaded(MemoryBase b) => b.Kind == BaseKind.LoadedPointer && stores.PointerUnchanged(b);
        if (!(bx.Kind is BaseKind.Pointer or BaseKind.NamedArray || Loaded(bx)) || !(by.Kind is BaseKind.Pointer or BaseKind.NamedArray || Loaded(by))) return null;
        var assumed = new HashSet<Symbol>();
        Func<Symbol, bool>? Trusted(MemoryBase b) => b.Kind == BaseKind.LoadedPointer ? stores.Unchanged : null;
        var rx = WholeArray(bx, gx, wholeArrays) ?? GuardedExtent(bx, gx, guarded) ?? Extent(loop, header, gx, variant, assumed, Trusted(bx));
        var ry = WholeArray(by, gy, wholeArrays) ?? GuardedExtent(by, gy, guarded) ?? Extent(loop, header, gy, variant, assumed, Trusted(by));
        return rx is null || ry is null ? null : Disjoint(bx, rx.Value, by, ry.Value, assumed);
    }

    /// <summary>A declared array reduced as a whole: its extent is the whole object, whatever its subscripts.</summary>
    private static (string Start, string End, string Type, bool Flat)? WholeArray(MemoryBase b, List<MemoryAccess> accesses, IReadOnlyDictionary<string, ArrayReduction> wholeArrays)
    {
        if (b.Kind != BaseKind.NamedArray || !wholeArrays.TryGetValue(b.Key, out var r) || r.Elements is not { } n) return null;
        var type = accesses[0].Node.Type.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal);
        return ("0", n.ToString(System.Globalization.CultureInfo.InvariantCulture), type, accesses.Any(a => a.Path.Count > 1));
    }

    /// <summary>The scattered pointer of a guarded reduction: its updates touch [0, K) whenever the parallel copy's result is used.</summary>
    private static (string Start, string End, string Type, bool Flat)? GuardedExtent(MemoryBase b, List<MemoryAccess> accesses, Locality.GuardedReductionRecognizer.Candidate? guarded) =>
        guarded is not null && b.Key == guarded.Base.Key
            ? ("0", guarded.BoundConstant is null ? $"({guarded.Bound})" : guarded.Bound, accesses[0].Node.Type.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal), false)
            : null;

    /// <summary>The loops of the function <paramref name="loop"/> is in (the bound of a guarded reduction is read from one).</summary>
    private IEnumerable<LoopInfo> FunctionLoops(LoopInfo loop) => loopsByNode.Values.Where(l => ReferenceEquals(l.Function.Node, loop.Function.Node));

    /// <summary>
    /// The guarded reduction of a loop whose only obstacle is its scatter (<see cref="Locality.GuardedReductionRecognizer"/>),
    /// or null when the rest of the loop is not as strict as the theorem needs: no reduction or lastprivate, no memory write
    /// but the scatter's, no scalar written but the loop's own locals, counters and private scalars, a text that may be
    /// written twice (the parallel copy and the original loop).
    /// </summary>
    private static Locality.GuardedReduction? Guarded(LoopInfo loop, LoopHeader header, LoopBody body, ScalarClasses scalars, IReadOnlyList<string> lastPrivate,
        Locality.GuardedReductionRecognizer.Candidate c, string? runtime)
    {
        if (scalars.Reductions.Count > 0 || lastPrivate.Count > 0 || DuplicationBlocker.Of(loop.Node) is not null) return null;
        if (body.Accesses.Any(a => a.IsWrite && a.Base.Key != c.Base.Key)) return null;
        var privateKeys = body.Events.Where(e => scalars.Private.Contains(e.Variable.Name)).Select(e => e.Variable.Key).ToHashSet(StringComparer.Ordinal);
        if (body.Written.Any(w => !body.Locals.Contains(w) && !body.InnerCounters.ContainsKey(w) && w != header.Variable?.Key && !privateKeys.Contains(w))) return null;
        if (loop.Node.DescendantsAndSelf().Any(n => n.Kind is NodeKind.Label or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Asm or NodeKind.StmtExpr)) return null;
        var root = Locality.NestSyntax.Root(loop.Node);
        if (Locality.NestSyntax.Text(root, loop.Node.Span.Offset, loop.Node.Span.EndOffset) is not { } text || text.Contains('#')) return null;
        var max = ArrayReduction.MaximumElements;
        var size = c.BoundConstant is null ? $"(long long)({c.Bound}) > 0 && (long long)({c.Bound}) <= {max}" : null;
        var evidence = $"{Locality.GuardedReduction.TransformName}: `{c.Root.Name}` is only updated with `+` and read nowhere else in the loop, which writes nothing else; " +
                       $"per-thread copies of {(c.BoundConstant is { } k ? k.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"`{c.Bound}`")} elements (the bins of the loop at line {c.BoundLine}), " +
                       "each update tests its subscript first; if any falls outside, the original loop runs instead" +
                       (runtime is null ? string.Empty : $"; `{c.Root.Name}[0..{c.Bound})` is checked at run time not to overlap what the loop reads");
        return new Locality.GuardedReduction(c.Root.Name, c.ElementType, c.Bound, c.BoundConstant, c.BoundLine, c.Updates, scalars.Private.ToList(), runtime, size, c.FloatingPoint)
        {
            Evidence = evidence,
        };
    }

    /// <summary>
    /// The privatized form of a loop whose only carried dependence is on its scratch array
    /// (<see cref="Locality.PrivatizationRecognizer"/>), with the verdict's clauses and overlap check; null when the loop also
    /// reduces (a scalar or an array: its combine would have to move into the form) or scatters.
    /// </summary>
    private static Locality.Privatization? Privatized(LoopInfo loop, ScalarClasses scalars, IReadOnlyList<string> lastPrivate,
        IReadOnlyList<ArrayReduction> arrayReductions, Locality.GuardedReductionRecognizer.Candidate? guarded, Locality.Privatization form, string? runtime)
    {
        if (scalars.Reductions.Count > 0 || arrayReductions.Count > 0 || guarded is not null || loop.HasOpenMPDirective) return null;
        var result = form with { Private = scalars.Private.ToList(), LastPrivate = lastPrivate.ToList(), OverlapCheck = runtime };
        return result with
        {
            Evidence = $"{result.Name}: every iteration writes `{form.Array}[{form.Low}..{form.End})` (line {form.CoverLine}) before it reads `{form.Array}`, and reads " +
                       "only inside that section; each thread works on its own copy, and the thread that runs the last iteration copies it back" +
                       (runtime is null ? string.Empty : $"; the section is checked at run time not to overlap what the loop reads or writes ({runtime})"),
        };
    }

    /// <summary>First element offset touched and one past the last, as C expressions.</summary>
    /// <param name="trusted">When given, every symbol of the extent must satisfy it too (a value no store of the loop may change).</param>
    internal static (string Start, string End, string Type, bool Flat)? Extent(LoopInfo loop, LoopHeader header, List<MemoryAccess> accesses, HashSet<string> variant, HashSet<Symbol> assumed,
        Func<Symbol, bool>? trusted = null, bool wide = true) =>
        ExtentWithLength(loop, header, accesses, variant, assumed, trusted, wide) is { } e ? (e.Start, e.End, e.Type, e.Flat) : null;

    /// <summary><see cref="Extent"/>, plus the length End − Start as one simplified expression when both ends are single
    /// expressions (`n` for `[n*i, n*i + n)`), else null.</summary>
    /// <param name="wide">Texts for a run-time check (<see cref="LinearExpr.ToWideString"/>); false: as the user's own subscripts
    /// compute them, for a clause's array section (`c[n * i:n]`).</param>
    internal static (string Start, string End, string Type, bool Flat, string? Length)? ExtentWithLength(LoopInfo loop, LoopHeader header, List<MemoryAccess> accesses,
        HashSet<string> variant, HashSet<Symbol> assumed, Func<Symbol, bool>? trusted = null, bool wide = true)
    {
        var lows = new List<LinearExpr>();
        var ends = new List<LinearExpr>();
        string? type = null;
        var flat = false;
        Dictionary<string, long>? bounds = null;
        foreach (var a in accesses)
        {
            if (a.UnknownExtent || a.Linearized() is not { } s) return null;
            // A multi-dimensional base (`double A[][M]` parameter, `double g[N][M]`) is addressed in scalar elements.
            if (a.Path.Count > 1) flat = true;
            if (a.InnerLoops.Any(x => x.Header is null)) return null;
            var lower = RangeBounds.LowerBounds(RangeBounds.EnclosingHeaders(loop).Concat(a.InnerLoops.Select(x => x.Header!)));
            // Outermost first; a min/max bound of an inner loop that reads a counter of this list gets its hull over them
            // (NestHull: `j < MIN(n, jt + tile)` under the tile loop `jt` runs through [.., n − 1]).
            var nest = a.InnerLoops.Select(x => x.Header!).Prepend(header).ToList();
            var vars = new List<VarRange>();
            for (var k = nest.Count - 1; k >= 1; k--)
            {
                var (min, max) = NestHull.Of(nest[k], nest.Take(k).ToList(), lower);
                vars.Add(new VarRange(nest[k].Symbol, min, max));
            }
            vars.Add(new VarRange(header.Symbol, header.Min, header.Max));
            bounds = bounds is null ? lower : bounds.Where(kv => lower.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => Math.Min(kv.Value, lower[kv.Key]), StringComparer.Ordinal);
            if (RangeBounds.Of(s, vars, lower, assumed) is not { } b) return null;
            var (l, u) = b;
            if (l.Symbols.Concat(u.Symbols).Any(x => x.Dependencies.Any(variant.Contains) || x.Key.StartsWith("range:", StringComparison.Ordinal))) return null;
            // The extent is evaluated once, before the loop: a term that still reads a counter (an inner bound
            // `MIN(n - R, jt + tile)` of the tile loop `jt`, kept whole as one opaque term) would read the counter's value
            // from before the loop (stale or uninitialized), not its range. PRK's tiled stencil got a reduction section
            // and an overlap check sized by it: too short a private copy, a SEGV under clang.
            if (l.Symbols.Concat(u.Symbols).Any(x => x.Dependencies.Any(d => vars.Any(v => v.Symbol.Key == d)))) return null;
            if (trusted is not null && l.Symbols.Concat(u.Symbols).Any(x => !trusted(x))) return null;
            lows.Add(l);
            ends.Add(u.Add(LinearExpr.One));
            var t = a.Node.Type.IsScalarValue || a.Node.Type.IsPointer ? a.Node.Type.CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal) : a.Base.Text;
            type ??= t;
            if (type != t) type = "*";
        }
        if (lows.Count == 0) return null;
        var known = bounds ?? new Dictionary<string, long>();
        if (flat && (type is null or "*" || !accesses.All(a => a.Node.Type.IsScalarValue))) return null;
        var (starts, stops) = (Reduce(lows, known, -1), Reduce(ends, known, +1));
        var length = starts.Count == 1 && stops.Count == 1 ? (wide ? stops[0].Subtract(starts[0]).ToWideString() : stops[0].Subtract(starts[0]).ToString()) : null;
        return (Render(starts, "<", wide), Render(stops, ">", wide), type ?? "?", flat, length);
    }

    /// <summary>Drops every candidate that is provably beaten by another (-1: keep minima, +1: maxima).</summary>
    private static List<LinearExpr> Reduce(List<LinearExpr> xs, IReadOnlyDictionary<string, long> bounds, int direction)
    {
        var kept = new List<LinearExpr>();
        foreach (var x in xs.Distinct())
        {
            if (kept.Any(k => RangeBounds.SignOf(k.Subtract(x), bounds) * direction > 0 || k.Equals(x))) continue; // beaten or equal
            kept.RemoveAll(k => RangeBounds.SignOf(x.Subtract(k), bounds) * direction > 0);
            kept.Add(x);
        }
        return kept;
    }

    /// <summary>An extent's end in the check's text, computed in `long long` wherever the symbols' types could wrap
    /// (`p + ((long long)n - 1)`, not `p + (n - 1)`, which is `p + UINT_MAX` at an unsigned n = 0).</summary>
    private static string Paren(LinearExpr e, bool wide = true)
    {
        var s = wide ? e.ToWideString() : e.ToString();
        return e.Terms.Count + (e.Constant != 0 ? 1 : 0) > 1 ? "(" + s + ")" : s;
    }

    /// <summary>One expression, or a chain of C conditionals choosing the min (`&lt;`) or max (`&gt;`).</summary>
    private static string Render(List<LinearExpr> xs, string cmp, bool wide)
    {
        var text = Paren(xs[0], wide);
        foreach (var x in xs.Skip(1))
        {
            var y = Paren(x, wide);
            text = $"({text} {cmp} {y} ? {text} : {y})";
        }
        return text;
    }
}
