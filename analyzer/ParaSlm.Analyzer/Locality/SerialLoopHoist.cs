using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// A serial loop (a time-step loop) whose body is a sequence of parallel nests and statements every thread may run
/// alike: one parallel region around the serial loop, every thread running the serial loop itself, each nest
/// work-shared by `omp for` (its implicit barrier keeps the order between nests and steps), so that a step pays a
/// barrier per nest instead of a fork and a join (fact on every nest of the serial loop, the same record for all).
/// </summary>
/// <param name="SerialLoopId">The serial loop's id; its `for` statement gets the `omp parallel` directive.</param>
/// <param name="Line">Its `for` keyword's line and column, and its extent (as the analyzer's facts give them).</param>
/// <param name="Parts">The body's statements that get a directive, in source order: the nests (`omp for`) and the
/// statements that write shared state (`omp single`); the other statements run in every thread unchanged.</param>
/// <param name="CounterPrivate">The serial counter when it is declared outside its loop (private in the region).</param>
/// <param name="Invariant">Names the region's `if()` clause and a run-time check may not read: written in the body,
/// declared in it, or the counter (a nest's guard or overlap check is hoisted in front of the serial loop only when it
/// names none of them).</param>
public sealed record SerialLoopHoist(
    string SerialLoopId,
    int Line,
    int Column,
    int StartOffset,
    int EndOffset,
    IReadOnlyList<HoistedPart> Parts,
    string? CounterPrivate,
    IReadOnlyList<string> Invariant)
{
    /// <summary>The transform's name in plans, reports and the `paraslm plan --json` contract.</summary>
    public const string TransformName = "hoist-region";

    /// <summary>Why it is legal, in words.</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>Whether a condition (a nest's cost guard or overlap check, C text) names nothing in <see cref="Invariant"/>,
    /// so that its value in front of the serial loop is its value in front of the nest at every step. A condition that
    /// reads memory (a subscript, a member, a dereference: the nests may write it) is never moved.</summary>
    public bool CanTestBefore(string? condition) =>
        condition is null ||
        (!condition.Contains('[') && !condition.Contains('.') && !condition.Contains("->", StringComparison.Ordinal) && !System.Text.RegularExpressions.Regex.IsMatch(condition, "(?<!&)&(?!&)") &&
         !System.Text.RegularExpressions.Regex.IsMatch(condition, @"(^|[(=<>|!,+\-*/%]\s*)\*") &&
         !System.Text.RegularExpressions.Regex.Matches(condition, @"[A-Za-z_][A-Za-z0-9_]*").Any(m => Invariant.Contains(m.Value)));

    /// <summary>The nests (parts that are loops), in source order.</summary>
    public IEnumerable<HoistedPart> NestParts() => Parts.Where(p => p.LoopId is not null);
}

/// <summary>One statement of the serial loop's body that gets a directive.</summary>
/// <param name="LoopId">For a nest: its outer loop's id (work-shared when planned parallel, else run by one thread when
/// <paramref name="SingleIfSerial"/>); null for a statement that writes shared scalars (always `omp single`).</param>
/// <param name="Offset">Byte offset of the statement's first token (the directive goes on the line before it).</param>
/// <param name="Line">Its line and byte column.</param>
/// <param name="SingleIfSerial">A nest the analyzer proved parallel that may also run as `omp single` if its plan keeps it
/// serial (it writes no thread-private variable and calls nothing with side effects).</param>
public sealed record HoistedPart(string? LoopId, int Offset, int Line, int Column, bool SingleIfSerial);

/// <summary>
/// Proves <see cref="SerialLoopHoist"/>. Every thread runs the serial loop R: its header must read nothing R writes
/// (so all threads run the same steps), its counter is private, and R's body holds only (a) nests the analyzer proved
/// parallel without array reduction, whose clauses name no variable declared in R and whose reduction and lastprivate
/// variables are declared outside R (so they are shared in the region, written by the construct before its barrier), (b) declarations and assignments of scalars
/// declared in R (thread-private, computed in every thread from values that are the same in every thread: the counter,
/// those scalars, and shared scalars R writes only in a construct separated from the read by another construct's
/// barrier in both directions), and (c) assignments to scalars declared outside R, run in `omp single`. No call, memory
/// read or user OpenMP/preprocessor line outside the nests; no `break`/`return`/`goto` anywhere in R.
/// </summary>
public static class SerialLoopHoisting
{
    /// <summary>The facts with <see cref="LoopFacts.SerialHoist"/> set on each nest of every serial loop it applies to
    /// where the serial loop does not move inside its nests already (<see cref="SerialLoopSink"/> goes first).</summary>
    public static IReadOnlyList<LoopFacts> Annotate(IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts) =>
        LoopAnnotation.Annotate<SerialLoopHoist>(loops, facts,
            (loop, f, byId) => !loop.Children.Any(c => byId.TryGetValue(c.Id, out var cf) && cf.SerialSink is not null) && Recognize(loop, f, byId) is { } hoist
                ? (hoist, hoist.NestParts().Select(p => p.LoopId!))
                : null,
            (f, hoist) => f with { SerialHoist = hoist });

    public static SerialLoopHoist? Recognize(LoopInfo serial, LoopFacts facts, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        if (facts.Parallelizable || facts.HasOpenMPDirective || serial.IsRangeFor || serial.CanonicalHeader is not { Variable: { } r } header) return null;
        if (serial.Node.For is not { Init: { } init, Condition: { } cond, Increment: { } inc, Body: { Kind: NodeKind.Compound } body }) return null;
        var root = NestSyntax.Root(serial.Node);
        // No preprocessor line (a user pragma, an #if) anywhere in R: the directives go on lines of their own.
        if (!NestSyntax.FreeOfPreprocessorLines(root, serial.Node)) return null;
        if (body.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Return or NodeKind.Goto or NodeKind.IndirectGoto or NodeKind.Label or NodeKind.Throw
                or NodeKind.Try or NodeKind.OpenMPDirective or NodeKind.Asm or NodeKind.Lambda or NodeKind.StmtExpr)) return null;
        if (!header.DeclaredInHeader && Scalars.Liveness.IsLiveAfter(serial, r)) return null;
        if (NestSyntax.Statements(body) is not { Count: > 0 } statements) return null;
        var children = new Dictionary<SyntaxNode, LoopInfo>(ReferenceEqualityComparer.Instance);
        foreach (var c in serial.Children) children[c.Node] = c;

        // Scalars declared in R (thread-private in the region) and everything R writes.
        var local = new HashSet<string>(StringComparer.Ordinal);
        var localNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in body.DescendantsAndSelf().Where(d => d.Kind == NodeKind.VarDecl && d.Decl is not null))
        {
            local.Add(d.Decl!.Key);
            localNames.Add(d.Decl.Name);
        }
        var writes = new Dictionary<string, List<int>>(StringComparer.Ordinal); // shared scalar → statements writing it
        var writtenNames = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new Kind[statements.Count];
        var parts = new List<HoistedPart>();
        for (var s = 0; s < statements.Count; s++)
        {
            var stmt = statements[s];
            foreach (var w in NestSyntax.Writes(stmt))
            {
                var target = w.StripParensAndCasts();
                if (target is { Kind: NodeKind.DeclRef, Decl: { } x })
                {
                    writtenNames.Add(x.Name);
                    if (!local.Contains(x.Key)) (writes.TryGetValue(x.Key, out var l) ? l : writes[x.Key] = []).Add(s);
                }
            }
            if (stmt.Kind == NodeKind.For && children.TryGetValue(stmt, out var nest))
            {
                if (Nest(nest, byId, local, serial) is not { } single) return null;
                kinds[s] = Kind.Nest;
                parts.Add(new HoistedPart(nest.Id, nest.Node.Span.Offset, nest.Line, nest.Column, single));
                continue;
            }
            var k = Statement(stmt, local);
            if (k is null) return null;
            kinds[s] = k.Value;
            if (k == Kind.Single) parts.Add(new HoistedPart(null, stmt.Span.Offset, stmt.Span.Line, stmt.Span.Column, false));
        }
        if (!kinds.Contains(Kind.Nest)) return null;
        // A nest's reduction writes its (shared) variable too; its other written scalars are private to it.
        for (var s = 0; s < statements.Count; s++)
        {
            if (kinds[s] != Kind.Nest) continue;
            var nf = byId[children[statements[s]].Id];
            foreach (var red in nf.Reductions)
                foreach (var x in statements[s].DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef && d.Decl?.Name == red.Variable).Select(d => d.Decl!).DistinctBy(d => d.Key))
                    if (writes.TryGetValue(x.Key, out var l) && !l.Contains(s)) l.Add(s);
        }
        var privateToNests = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < statements.Count; s++)
            if (kinds[s] == Kind.Nest)
                foreach (var p in byId[children[statements[s]].Id].Private) privateToNests.Add(p);

        // The header runs in every thread: it reads nothing R writes, no memory and no call; the counter stays R's own.
        foreach (var part in new[] { init, cond, inc })
        {
            if (part.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Subscript or NodeKind.Call or NodeKind.MemberRef || d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Deref })) return null;
            if (part.DescendantsAndSelf().Any(d => d.Kind == NodeKind.DeclRef && d.Decl is { } x && x.Key != r.Key && (writes.ContainsKey(x.Key) || writtenNames.Contains(x.Name) || x.Type.IsAnyVolatile))) return null;
        }
        if (writes.ContainsKey(r.Key)) return null;

        // What every thread reads outside the constructs must be the same in every thread, and not written meanwhile.
        for (var s = 0; s < statements.Count; s++)
        {
            if (kinds[s] != Kind.Redundant) continue;
            foreach (var d in statements[s].DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef && d.Decl is { Kind: DeclKind.Variable or DeclKind.Parameter }))
            {
                var x = d.Decl!;
                if (x.Key == r.Key || local.Contains(x.Key)) continue;
                if (x.IsGlobalStorage || x.Type.IsReference || x.Type.IsAnyVolatile || serial.Function.IsAddressTaken(x.Key) || privateToNests.Contains(x.Name)) return null;
                if (writes.TryGetValue(x.Key, out var writers) && writers.Any(q => !Separated(kinds, s, q))) return null;
            }
        }
        // Singles write shared scalars, never one a thread keeps for itself (declared in R) or the counter.
        for (var s = 0; s < statements.Count; s++)
            if (kinds[s] == Kind.Single && NestSyntax.Writes(statements[s]).Any(w => w.StripParensAndCasts().Decl is { } x && (local.Contains(x.Key) || x.Key == r.Key))) return null;

        var invariant = writtenNames.Concat(localNames).Append(r.Name).Concat(privateToNests).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var nests = parts.Count(p => p.LoopId is not null);
        var singles = parts.Count - nests;
        return new SerialLoopHoist(facts.Id, serial.Line, serial.Column, serial.Node.Span.Offset, serial.Node.Span.EndOffset, parts,
            header.DeclaredInHeader ? null : r.Name, invariant)
        {
            Evidence = $"the serial loop `{r.Name}` reads in its header nothing its body writes and its body is {nests} parallel nest{(nests == 1 ? string.Empty : "s")}" +
                       (singles > 0 ? $", {singles} assignment{(singles == 1 ? string.Empty : "s")} of shared scalars (`omp single`)" : string.Empty) +
                       (kinds.Contains(Kind.Redundant) ? " and scalars of its own computed alike in every thread" : string.Empty) +
                       ": one parallel region runs it in every thread, each nest work-shared by `omp for`, whose barrier keeps the order between nests and steps",
        };
    }

    private enum Kind
    {
        Nest,
        Redundant,
        Single,
    }

    /// <summary>
    /// For a nest of R: null when it cannot be work-shared in the region; otherwise whether it may also run as
    /// `omp single` (if its plan keeps it serial).
    /// </summary>
    private static bool? Nest(LoopInfo nest, IReadOnlyDictionary<string, LoopFacts> byId, HashSet<string> local, LoopInfo serial)
    {
        if (!byId.TryGetValue(nest.Id, out var nf) || !nf.Parallelizable || nf.HasOpenMPDirective || nf.ArrayReductions.Count > 0) return null;
        // `omp for` names the nest's header as written: one counter only.
        if (nest.IsRangeFor || nest.CanonicalHeader is null) return null;
        var localNames = nest.Node.DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef && d.Decl is { } x && local.Contains(x.Key)).Select(d => d.Decl!.Name).ToHashSet(StringComparer.Ordinal);
        // A clause on `omp for` may not name a variable that is already private in the region (declared in R).
        if (nf.Private.Concat(nf.LastPrivate).Concat(nf.Reductions.Select(x => x.Variable)).Any(localNames.Contains)) return null;
        foreach (var name in nf.Reductions.Select(x => x.Variable).Concat(nf.LastPrivate))
        {
            // A reduction's or lastprivate's variable must be shared in the region (declared outside R, not through a
            // reference): the nest's construct writes it once, before its barrier.
            var decls = nest.Node.DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef && d.Decl?.Name == name).Select(d => d.Decl!).DistinctBy(d => d.Key).ToList();
            if (decls.Count != 1 || decls[0].Type.IsReference || !decls[0].Type.IsScalarValue) return null;
            if (serial.Function.DeclarationOf(decls[0].Key) is { } decl && serial.Node.Span.Contains(decl.Span)) return null;
        }
        // Run by one thread instead, it must not write what the other threads keep for themselves.
        var writesLocal = NestSyntax.Writes(nest.Node).Any(w => w.StripParensAndCasts().Decl is { } x && local.Contains(x.Key) && !nest.Node.Span.Contains(serial.Function.DeclarationOf(x.Key)?.Span ?? nest.Node.Span));
        return !writesLocal && nf.Calls.All(c => c.Pure);
    }

    /// <summary>A statement outside the nests: a declaration or assignment of R's own scalars (run by every thread), or an
    /// assignment of a shared scalar (run by one); null for anything else.</summary>
    private static Kind? Statement(SyntaxNode stmt, HashSet<string> local)
    {
        if (stmt.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Call or NodeKind.New or NodeKind.Delete or NodeKind.Throw)) return null;
        if (stmt.Kind == NodeKind.DeclStmt)
        {
            foreach (var v in stmt.Children)
            {
                // `static` and `thread_local` locals are one object for all threads.
                if (v.Kind != NodeKind.VarDecl || v.Decl is not { } d || d.IsGlobalStorage || !ThreadScalar(d.Type)) return null;
                if (v.Children.Any(c => c.Kind is NodeKind.InitList)) return null;
            }
            return PureExpression(stmt, allowDecl: true) ? Kind.Redundant : null;
        }
        var e = stmt.StripParensAndCasts();
        if (!(e is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign } or { Kind: NodeKind.CompoundAssign } || e is { Kind: NodeKind.Unary } u && u.UnaryOp.IsIncDec())) return null;
        if (e.Children.Count == 0 || e.Children[0].StripParensAndCasts() is not { Kind: NodeKind.DeclRef, Decl: { Kind: DeclKind.Variable or DeclKind.Parameter } x } || !ThreadScalar(x.Type)) return null;
        if (NestSyntax.Writes(stmt).Count() != 1) return null;
        if (local.Contains(x.Key)) return PureExpression(stmt, allowDecl: false) ? Kind.Redundant : null;
        // One thread assigns a shared scalar: it may read memory (no other thread writes meanwhile), but nothing else.
        return stmt.DescendantsAndSelf().All(d => d.Kind is not (NodeKind.MemberRef or NodeKind.This)) && !x.Type.IsAnyAtomic ? Kind.Single : null;
    }

    /// <summary>Arithmetic on named scalars and literals: no memory read, call or side effect besides the statement's own write.</summary>
    private static bool PureExpression(SyntaxNode stmt, bool allowDecl) =>
        stmt.DescendantsAndSelf().All(d => d.Kind switch
        {
            NodeKind.DeclStmt or NodeKind.VarDecl => allowDecl,
            NodeKind.DeclRef => d.Decl is { Kind: DeclKind.Variable or DeclKind.Parameter or DeclKind.EnumConstant } x && (x.Kind == DeclKind.EnumConstant || ThreadScalar(x.Type)),
            NodeKind.IntLiteral or NodeKind.FloatLiteral or NodeKind.CharLiteral or NodeKind.BoolLiteral or NodeKind.Paren or NodeKind.Cast or NodeKind.SizeOf or NodeKind.TypeRef
                or NodeKind.Binary or NodeKind.CompoundAssign or NodeKind.Conditional => true,
            NodeKind.Unexposed => d.Children.Count <= 1,
            NodeKind.Unary => d.UnaryOp is not (UnaryOp.Deref or UnaryOp.AddrOf),
            _ => false,
        });

    /// <summary>An arithmetic scalar held by value: each thread's copy is a plain value.</summary>
    private static bool ThreadScalar(TypeInfo t) =>
        t.IsScalarValue && !t.IsReference && !t.IsAnyVolatile && !t.IsAnyAtomic && (t.IsFloatingPoint || t.IsIntegral);

    /// <summary>
    /// Whether every thread's read at statement <paramref name="read"/> and the construct at <paramref name="write"/>
    /// are separated by a barrier both ways: a write's own construct ends with one (so the read after it sees it), and
    /// before the next write begins some other construct between them (forward, through the next steps) must end.
    /// </summary>
    private static bool Separated(Kind[] kinds, int read, int write)
    {
        for (var k = (read + 1) % kinds.Length; k != write; k = (k + 1) % kinds.Length)
            if (kinds[k] is Kind.Nest or Kind.Single) return true;
        return false;
    }

}
