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
    public static ScalarClasses Classify(LoopInfo loop, LoopBody body)
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

            if (events.All(e => e.Kind == ScalarEventKind.ReductionUpdate))
            {
                var ops = events.Select(e => e.ReductionOperator!).Distinct().ToList();
                if (ops.Count == 2 && ops.Contains("+") && ops.Contains("-")) ops = ["+"];
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

    private static bool DeclaredInside(LoopInfo loop, DeclInfo v) =>
        string.Equals(v.Span.File, loop.Node.Span.File, StringComparison.Ordinal) &&
        v.Span.Offset >= loop.Node.Span.Offset && v.Span.Offset < loop.Node.Span.EndOffset;
}
