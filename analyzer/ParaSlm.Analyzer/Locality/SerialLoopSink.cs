using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A serial loop (a repeat or time loop) whose body is a sequence of parallel nests, each updating only its own
/// elements: distributed over the nests and interchanged inward, below each nest's element loops, so that every element
/// runs all its repetitions while it is in cache and each nest is one parallel region instead of one per repetition
/// (fact on every nest's outer loop, the same record for all of them). A nest whose element body starts with statements
/// that read nothing the serial loop writes carries them as <see cref="SunkNest.Prefix"/>: they run once per element
/// (<see cref="InvariantPrefix"/>, whose theorem extends this one), and its plan names `sink-serial-loop(hoist …)`.
/// </summary>
/// <param name="SerialLoopId">The serial loop's id; its whole statement is replaced.</param>
/// <param name="Line">Its `for` keyword's line and column, and its extent (as the analyzer's facts give them).</param>
/// <param name="Header">Its header as written, `for (int r = 0; r &lt; REPS; r++)`, copied inside each nest.</param>
/// <param name="Nests">The nests in source order: each one's outer loop id and where its element body starts.</param>
/// <param name="CounterPrivate">The serial counter when it is declared outside its loop (it must be private in each region).</param>
public sealed record SerialLoopSink(
    string SerialLoopId,
    int Line,
    int Column,
    int StartOffset,
    int EndOffset,
    string Header,
    IReadOnlyList<SunkNest> Nests,
    string? CounterPrivate)
{
    /// <summary>The transform's name in plans, reports and the `paraslm plan --json` contract.</summary>
    public const string TransformName = "sink-serial-loop";

    /// <summary>Why it is legal, in words.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>The transform a plan names for the nest headed by <paramref name="loopId"/>: with its invariant prefix
    /// hoisted (`sink-serial-loop(hoist m)`) where the facts prove one, else the plain sink.</summary>
    public string TransformFor(string loopId) => Nests.FirstOrDefault(n => n.LoopId == loopId)?.Prefix?.Name ?? TransformName;

    /// <summary>The plan's reason for one nest under a plan that collapses <paramref name="collapse"/> loops:
    /// <see cref="Evidence"/>, and the hoisted prefix and its form where there is one.</summary>
    public string EvidenceFor(string loopId, int collapse) =>
        Nests.FirstOrDefault(n => n.LoopId == loopId)?.Prefix is { } prefix
            ? $"{Evidence}; invariant prefix hoisted: {string.Join(", ", prefix.Scalars.Select(s => $"`{s.Name}`"))} (the statements before line {prefix.Line} read nothing the serial loop writes: " +
              "they run once per element, not once per repetition" +
              (prefix.RowFormWith(collapse) ? $", their values kept for a row of {prefix.Row!.Length} `{prefix.Row.Counter}` while `{Header}` runs over that row)" : ", in front of the serial loop)")
            : Evidence;

    /// <summary>The plan names the sink, with or without a hoisted prefix.</summary>
    public static bool IsSink(string? transform) =>
        transform is not null && (transform == TransformName || transform.StartsWith(TransformName + "(", StringComparison.Ordinal));
}

/// <param name="LoopId">The nest's outer (parallel) loop.</param>
/// <param name="ForOffset">Byte offset of its `for` keyword.</param>
/// <param name="BodyOffset">Byte offset where the body of its innermost element loop starts (the serial loop goes in front of it).</param>
/// <param name="EndOffset">Byte offset where the nest's statement ends (libclang's extent).</param>
/// <param name="Line">Line of its `for` keyword.</param>
/// <param name="Column">Its byte column.</param>
/// <remarks><see cref="Prefix"/>: the leading statements of the element body that read nothing the serial loop writes
/// (<see cref="InvariantPrefixes"/>), which may run once per element; null when there are none.</remarks>
public sealed record SunkNest(string LoopId, int ForOffset, int BodyOffset, int EndOffset, int Line, int Column)
{
    public InvariantPrefix? Prefix { get; init; }
}

/// <summary>
/// Proves <see cref="SerialLoopSink"/>. The theorem: let the serial loop R run the nests N1…Nm. If every array a nest
/// writes is a declared array (no pointer, so distinct names are distinct memory) that the nest reaches only at the
/// element `a[v1]…[vd]` of its d element loops (so each element belongs to one iteration of those loops), that no other
/// nest names, and every other array in R is only read, then the elements of different nests and different element
/// iterations never meet: the only order that matters is R's order for one element, which the interchanged form keeps
/// (R runs in order inside each element). The nests must be parallel by the analyzer's own test, without a run-time
/// check, reduction or lastprivate; R's and the element loops' bounds must not read R's counter, memory or anything R
/// writes; no preprocessor line inside R; R's counter must not be read after it.
/// </summary>
public static class SerialLoopSinking
{
    /// <summary>The facts with <see cref="LoopFacts.SerialSink"/> set on each nest of every serial loop it applies to.</summary>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts) =>
        LoopAnnotation.Annotate<SerialLoopSink>(loops, facts,
            (loop, f, byId) => Recognize(loop, f, byId) is { } sink ? (sink, sink.Nests.Select(n => n.LoopId)) : null,
            (f, sink) => f with { SerialSink = sink });

    public static SerialLoopSink? Recognize(LoopInfo serial, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (facts.Parallelizable || facts.HasOpenMPDirective || serial.IsRangeFor || serial.CanonicalHeader is not { Variable: { } r } header) return null;
        if (serial.Node.For is not { Init: { } init, Condition: { } cond, Increment: { } inc, Body: { } body }) return null;
        var root = NestSyntax.Root(serial.Node);
        if (!NestSyntax.FreeOfPreprocessorLines(root, serial.Node)) return null;
        if (NestSyntax.Statements(body) is not { Count: > 0 } statements || statements.Count != serial.Children.Count) return null;
        for (var n = 0; n < statements.Count; n++)
            if (!ReferenceEquals(statements[n], serial.Children[n].Node)) return null;
        foreach (var part in new[] { init, cond, inc })
            if (part.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Subscript or NodeKind.Call || d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Deref })) return null;
        if (!header.DeclaredInHeader && Liveness.IsLiveAfter(serial, r)) return null;

        // Every array in R is a declared array, named only at full elements.
        var arrays = new Dictionary<string, (DeclInfo Decl, int Rank)>(StringComparer.Ordinal);
        foreach (var d in body.DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef && d.Decl is { } x && (x.Type.IsArray || x.Type.IsPointer)))
        {
            var decl = d.Decl!;
            if (decl.Kind != DeclKind.Variable || !decl.Type.IsArray || decl.Type.IsAnyVolatile || decl.Type.IsAnyAtomic) return null;
            arrays[decl.Key] = (decl, Rank(decl.Type));
        }
        var written = new Dictionary<string, int>(StringComparer.Ordinal); // array → nest index
        var writtenScalars = new HashSet<string>(StringComparer.Ordinal);
        var nests = new List<SunkNest>();
        for (var n = 0; n < serial.Children.Count; n++)
        {
            var nest = serial.Children[n];
            if (!byId.TryGetValue(nest.Id, out var nf) || !NestSyntax.PlainParallel(nf) || nf.RuntimeCheck is not null ||
                nf.LastPrivate.Count > 0 || nf.ArrayReductions.Count > 0) return null;
            foreach (var w in NestSyntax.Writes(nest.Node))
            {
                var target = w.StripParensAndCasts();
                if (target is { Kind: NodeKind.DeclRef, Decl: { } s }) { writtenScalars.Add(s.Key); continue; }
                if (Element(target) is not var (array, _) || !arrays.ContainsKey(array.Key)) return null;
                if (written.TryGetValue(array.Key, out var owner) && owner != n) return null;
                written[array.Key] = n;
            }
        }
        if (written.Count == 0) return null;
        for (var n = 0; n < serial.Children.Count; n++)
        {
            var nest = serial.Children[n];
            var mine = written.Where(w => w.Value == n).Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
            // No other nest names this nest's arrays (distribution keeps their order only within a nest).
            foreach (var other in serial.Children.Where((_, m) => m != n))
                if (other.Node.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl is { } x && mine.Contains(x.Key))) return null;
            if (mine.Count == 0) return null;
            var rank = arrays[mine.First()].Rank;
            if (mine.Any(a => arrays[a].Rank != rank)) return null;
            // The element loops: `rank` perfectly nested loops whose counters index every access to the nest's arrays.
            var levels = new List<LoopInfo> { nest };
            while (levels.Count < rank)
            {
                var last = levels[^1];
                if (last.Children.Count == 0 || !NestSyntax.SingleStatement(last.Body, last.Children[0].Node)) return null;
                levels.Add(last.Children[0]);
            }
            if (levels.Any(l => l.IsRangeFor || l.CanonicalHeader?.Variable is null || l.Node.For is null)) return null;
            var counters = levels.Select(l => l.CanonicalHeader!.Variable!.Key).ToList();
            foreach (var d in nest.Node.DescendantsAndSelf())
            {
                if (d.Kind != NodeKind.DeclRef || d.Decl is not { } x || !mine.Contains(x.Key)) continue;
                if (Outermost(d) is not { } access || Element(access) is not var (_, indices) ||
                    !indices.Select(i => i.StripParensAndCasts()).Select(i => i.Kind == NodeKind.DeclRef ? i.Decl?.Key : null).SequenceEqual(counters)) return null;
            }
            // The element loops' headers run once per nest now, not once per repetition: nothing in them may change with R.
            foreach (var level in levels)
            {
                var parts = level.Node.For!;
                foreach (var part in new[] { parts.Init, parts.Condition, parts.Increment }.OfType<SyntaxNode>())
                {
                    if (SyntaxEquality.Mentions(part, r.Key)) return null;
                    if (part.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Subscript or NodeKind.Call || d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Deref })) return null;
                    if (part.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl is { } x && writtenScalars.Contains(x.Key) && !counters.Contains(x.Key))) return null;
                }
            }
            // The copy of the nest ends at libclang's extent: a compound statement, so nothing of it lies beyond.
            if (levels[^1].Body is not { } elementBody || NestSyntax.Text(root, nest.Node.Span.EndOffset - 1, nest.Node.Span.EndOffset) != "}") return null;
            nests.Add(new SunkNest(nest.Id, nest.Node.Span.Offset, elementBody.Span.Offset, nest.Node.Span.EndOffset, nest.Line, nest.Column) 
            {
                // Its leading statements that read nothing R writes run once per element (InvariantPrefixes' theorem).
                Prefix = InvariantPrefixes.Find(root, body, r, levels, written.Keys.ToHashSet(StringComparer.Ordinal), writtenScalars),
            });
        }
        // R's own bounds must not read what R writes.
        foreach (var part in new[] { init, cond, inc })
            if (part.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl is { } x && x.Key != r.Key && (writtenScalars.Contains(x.Key) || written.ContainsKey(x.Key)))) return null;
        if (writtenScalars.Contains(r.Key)) return null;

        var bodyStart = NestSyntax.Text(root, serial.Node.Span.Offset, body.Span.Offset);
        var headerText = bodyStart?.TrimEnd();
        if (headerText is null || !headerText.EndsWith(')') || headerText.Contains("//", StringComparison.Ordinal) || headerText.Contains("/*", StringComparison.Ordinal)) return null;
        headerText = NestSyntax.OneLine(headerText);
        var names = string.Join(", ", written.Keys.Select(k => $"`{arrays[k].Decl.Name}`"));
        return new SerialLoopSink(facts.Id, serial.Line, serial.Column, serial.Node.Span.Offset, serial.Node.Span.EndOffset, headerText, nests,
            header.DeclaredInHeader ? null : r.Name)
        {
            Evidence = $"the serial loop `{r.Name}` runs {nests.Count} parallel nest{(nests.Count == 1 ? string.Empty : "s")} that each update only their own elements " +
                       $"({names}, indexed by the element loops' counters, named by no other nest; every other array is read only): " +
                       $"it moves inside each nest's element loops, so every element runs its repetitions in order while it is in cache, and each nest is one parallel region",
        };
    }

    private static int Rank(TypeInfo t)
    {
        var rank = 0;
        for (var x = t; x is { IsArray: true }; x = x.Element) rank++;
        return rank;
    }

    /// <summary>The outermost subscript of the chain a DeclRef is the base of (through implicit casts), or null.</summary>
    private static SyntaxNode? Outermost(SyntaxNode declRef)
    {
        SyntaxNode? access = null;
        var n = declRef;
        while (n.Parent is { } p)
        {
            if (p.Kind is NodeKind.Unexposed or NodeKind.Paren or NodeKind.Cast && p.Children.Count == 1) { n = p; continue; }
            if (p.Kind == NodeKind.Subscript && p.Children.Count == 2 && ReferenceEquals(p.Children[0], n)) { access = p; n = p; continue; }
            break;
        }
        return access;
    }

    /// <summary>`a[x]…[z]` on a declared array: the array and the indices, outermost dimension first; null when not a full element.</summary>
    private static (DeclInfo Array, List<SyntaxNode> Indices)? Element(SyntaxNode access)
    {
        var indices = new List<SyntaxNode>();
        var n = access.StripParensAndCasts();
        while (n is { Kind: NodeKind.Subscript, Children: [var b, var index] })
        {
            indices.Insert(0, index);
            n = b.StripParensAndCasts();
        }
        if (n is not { Kind: NodeKind.DeclRef, Decl: { } array } || !array.Type.IsArray || indices.Count != Rank(array.Type)) return null;
        return (array, indices);
    }
}
