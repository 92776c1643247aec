using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// The functions of this translation unit that run inside the user's own OpenMP region: called (directly or through
/// other functions defined here) from a statement under `#pragma omp parallel`/`for`/`task`/`single`/…. A region
/// ParaSlm opened in them would be nested in the user's: with the default one active level it runs on a team of one
/// (a fork and join per call for nothing), with nesting enabled it oversubscribes the cores the user's team already
/// uses. RSBench's pole loops, called from its `parallel for` over lookups, ran their guarded regions nested.
/// Calls from other files are not seen (their callers' regions are in another translation unit).
/// </summary>
public static partial class UserRegionCallees
{
    [GeneratedRegex(@"\b(parallel|for|task|taskloop|single|sections|section|master|masked|critical|teams|distribute|loop)\b")]
    private static partial Regex TeamDirective();

    /// <summary>Why each function key runs inside a user's region, for the functions that do.</summary>
    public static IReadOnlyDictionary<string, string> Of(TranslationUnitSyntax tu)
    {
        var why = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Queue<SyntaxNode>();
        foreach (var (call, callee, definition) in CallsDefinedHere(tu, tu.Root, why))
        {
            if (DirectiveOver(call) is not { } pragma || !TeamDirective().IsMatch(pragma)) continue;
            why[callee.Key] = $"`{callee.Name}` is called inside the user's OpenMP region (`{pragma}`, line {call.Span.Line})";
            pending.Enqueue(definition);
        }
        while (pending.Count > 0)
        {
            var caller = pending.Dequeue();
            var reason = caller.Decl is { } c && why.TryGetValue(c.Key, out var r) ? r : null;
            if (reason is null) continue;
            foreach (var (_, callee, definition) in CallsDefinedHere(tu, caller, why))
            {
                why[callee.Key] = $"`{callee.Name}` is called from `{caller.Decl!.Name}`, and {reason}";
                pending.Enqueue(definition);
            }
        }
        return why;
    }

    /// <summary>The calls under <paramref name="node"/> to functions defined in this translation unit and not yet in
    /// <paramref name="seen"/> (read as the caller goes: a function found once is not visited again).</summary>
    private static IEnumerable<(SyntaxNode Call, DeclInfo Callee, SyntaxNode Definition)> CallsDefinedHere(TranslationUnitSyntax tu, SyntaxNode node,
        Dictionary<string, string> seen)
    {
        foreach (var call in node.DescendantsAndSelf())
            if (call.Kind == NodeKind.Call && call.Decl is { IsFunction: true } callee && !seen.ContainsKey(callee.Key) &&
                tu.FunctionDefinitions.TryGetValue(callee.Key, out var definition))
                yield return (call, callee, definition);
    }

    /// <summary>The user's directive over the call: on an enclosing loop, block or `if`, or on the statement the call is part
    /// of (`#pragma omp task` before `out[0] = f(x);`).</summary>
    private static string? DirectiveOver(SyntaxNode call)
    {
        if (SourcePragmas.UserDirective(call) is { } pragma) return pragma;
        var statement = call;
        while (statement.Parent is { } p && p.Kind != NodeKind.Compound && p.Kind is not (NodeKind.FunctionDecl or NodeKind.TranslationUnit))
            statement = p;
        return statement.Parent?.Kind == NodeKind.Compound && !ReferenceEquals(statement, call) ? SourcePragmas.PrecedingPragma(statement) : null;
    }

    /// <summary>Records on each loop of such a function where the user's region is.</summary>
    public static IReadOnlyList<LoopFacts> Annotate(TranslationUnitSyntax tu, IReadOnlyList<LoopInfo> loops, IReadOnlyList<LoopFacts> facts)
    {
        var why = Of(tu);
        if (why.Count == 0) return facts;
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in loops)
            if (l.Function.Node.Decl is { } f && why.TryGetValue(f.Key, out var reason)) byId.TryAdd(l.Id, reason);
        return facts.Select(f => byId.TryGetValue(f.Id, out var reason) ? f with { InsideUserRegion = reason } : f).ToList();
    }
}
