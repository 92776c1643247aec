using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Scalars;

public sealed record Reduction(string Operator, string Variable);

/// <summary>A scalar that makes iterations depend on each other, and why.</summary>
public sealed record CarriedScalar(string Variable, string Reason, SyntaxNode Node);

/// <summary>The data-sharing class of every scalar the loop writes.</summary>
public sealed record ScalarClasses(
    IReadOnlyList<Reduction> Reductions,
    IReadOnlyList<string> Private,
    IReadOnlyList<string> LastPrivate,
    IReadOnlyList<CarriedScalar> Carried);

/// <summary>
/// Classifies written scalars: reduction (only folded with one operator, never read otherwise),
/// private (always written before read in an iteration), lastprivate (private and read after the
/// loop, written on every path), or carried (anything else).
/// </summary>
public static class ScalarClassifier
{
    /// <param name="strictAliasing">Whether types rule out aliasing (<see cref="AliasAnalysis.TypesExcludeAliasing"/>).</param>
    public static ScalarClasses Classify(LoopInfo loop, LoopBody body, bool strictAliasing = true)
    {
        var reductions = new List<Reduction>();
        var priv = new List<string>();
        var last = new List<string>();
        var carried = new List<CarriedScalar>();

        foreach (var group in body.Events.GroupBy(e => e.Variable.Key, StringComparer.Ordinal))
        {
            var events = group.ToList();
            var v = events[0].Variable;
            if (events.All(e => e.Kind == ScalarEventKind.Read)) continue;

            // A static declared in the body is one variable for all iterations, and no clause can name it (it is not
            // in scope at the loop's pragma).
            if (v.IsGlobalStorage && DeclaredInside(loop, v))
            {
                carried.Add(new CarriedScalar(v.Name, $"`{v.Name}` is a static variable declared in the loop: every iteration writes the same one", events[0].Node));
                continue;
            }

            if (ReachedThroughPointer(loop, body, v, strictAliasing) is { } alias)
            {
                carried.Add(new CarriedScalar(v.Name,
                    $"`{v.Name}` may also be accessed through `{alias.Text}` (line {alias.Node.Span.Line}), which a private copy or a reduction of `{v.Name}` would not update", alias.Node));
                continue;
            }

            if (events.All(e => e.Kind == ScalarEventKind.ReductionUpdate))
            {
                var ops = events.Select(e => e.ReductionOperator!).Distinct().ToList();
                if (ops.Count == 2 && ops.Contains("+") && ops.Contains("-")) ops = ["+"];
                if (ops.Count == 1 && v.Type.NeedsLibatomicToReduce)
                {
                    carried.Add(new CarriedScalar(v.Name,
                        $"`{v.Name}` is a `{v.Type.Spelling}` sum: OpenMP combines such wide values with 16-byte atomics that need libatomic at link time, which the build does not link", events[0].Node));
                    continue;
                }
                if (ops.Count == 1) { reductions.Add(new Reduction(ops[0], v.Name)); continue; }
                carried.Add(new CarriedScalar(v.Name, $"`{v.Name}` is combined with different operators ({string.Join(", ", ops)})", events[0].Node));
                continue;
            }

            var callee = events.FirstOrDefault(e => e.ByCallee);
            if (callee is not null)
            {
                carried.Add(new CarriedScalar(v.Name, $"`{v.Name}` is written in the loop and read by the function called at line {callee.Node.Span.Line}, which would see the shared variable, not a private copy", callee.Node));
                continue;
            }
            var exposed = events.FirstOrDefault(e => e.Kind != ScalarEventKind.Write && !e.AssignedBefore);
            if (exposed is not null)
            {
                var firstWrite = events.First(e => e.Kind != ScalarEventKind.Read);
                var reason = events.Any(e => e.Kind == ScalarEventKind.ReductionUpdate)
                    ? $"`{v.Name}` is accumulated at line {firstWrite.Node.Span.Line} but also read at line {events.First(e => e.Kind != ScalarEventKind.ReductionUpdate).Node.Span.Line}, so it is not a plain reduction"
                    : $"`{v.Name}` is read at line {exposed.Node.Span.Line} before it is written in the same iteration, so each iteration uses the value of the previous one";
                carried.Add(new CarriedScalar(v.Name, reason, exposed.Node));
                continue;
            }
            if (v.Type.IsReference)
            {
                carried.Add(new CarriedScalar(v.Name, $"`{v.Name}` is a reference: writing it writes shared storage", events[0].Node));
                continue;
            }
            if (!Liveness.IsLiveAfter(loop, v)) { priv.Add(v.Name); continue; }
            if (body.AssignedAtEnd.Contains(v.Key) && !body.HasContinue) { last.Add(v.Name); continue; }
            carried.Add(new CarriedScalar(v.Name,
                $"`{v.Name}` is used after the loop but not written on every path of every iteration, so its final value depends on the order", events[0].Node));
        }
        return new ScalarClasses(reductions, priv, last, carried);
    }

    /// <summary>
    /// A private copy or a reduction replaces the variable by a per-thread one only where the code names it: an access
    /// through a pointer or reference that holds the variable's address still reaches the shared original. So a
    /// written scalar that may be reachable that way (a global: any translation unit may take its address; a local or
    /// parameter whose address is taken in the function) cannot be privatized when the loop also accesses memory
    /// through a pointer or reference that may point to it: its own storage reached through a pointer known to hold its
    /// address, or any pointer that is not `restrict`, not a fresh allocation, of a type that may alias it, and, for a
    /// local, not a parameter the function never reassigns (its value was made before the local existed).
    /// </summary>
    private static (string Text, SyntaxNode Node)? ReachedThroughPointer(LoopInfo loop, LoopBody body, DeclInfo v, bool strictAliasing)
    {
        if (DeclaredInside(loop, v) || !(v.IsGlobalStorage || loop.Function.IsAddressTaken(v.Key))) return null;
        // A local's address cannot be in a parameter the function never reassigns (nor a reference parameter).
        bool FromCaller(DeclInfo? root) =>
            !v.IsGlobalStorage && root is { Kind: DeclKind.Parameter } p && !loop.Function.IsWritten(p.Key);
        bool MayHoldType(TypeInfo t) => !AliasAnalysis.TypesExcludeAliasing([v.Type], [t], strictAliasing);
        var access = body.Accesses.FirstOrDefault(a => a.Base.Root?.Key == v.Key) ?? body.Accesses.FirstOrDefault(a =>
            (a.Base.Kind is BaseKind.Pointer or BaseKind.LoadedPointer || a.Base.IsReference) &&
            !a.Base.IsRestrict && !a.Base.IsFreshAllocation &&
            !(a.Base.Kind != BaseKind.LoadedPointer && FromCaller(a.Base.Root)) && MayHoldType(a.Node.Type));
        if (access is not null) return (access.Text, access.Site ?? access.Node);
        // A C++ reference to a scalar is read as a variable, but it names whatever object it was bound to.
        var viaReference = body.Events.FirstOrDefault(e =>
            e.Variable.Key != v.Key && e.Variable.Type.IsReference && !FromCaller(e.Variable) && MayHoldType(e.Node.Type));
        return viaReference is null ? null : (viaReference.Variable.Name, viaReference.Node);
    }

    private static bool DeclaredInside(LoopInfo loop, DeclInfo v) =>
        string.Equals(v.Span.File, loop.Node.Span.File, StringComparison.Ordinal) &&
        v.Span.Offset >= loop.Node.Span.Offset && v.Span.Offset < loop.Node.Span.EndOffset;
}
