using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// Why a loop's code must not be compiled twice in one function (loop versioning writes a parallel and a serial copy),
/// read from the AST, so that a label, `case` or `static` local that a macro hides is seen as well as a written one:
/// a label would be defined twice, a `case` would belong to the switch twice, and a `static` or thread-local variable
/// would become two objects with separate values. The rewriter's token check stays beside it (it also sees
/// `__COUNTER__`, which the AST no longer shows).
/// </summary>
public static class DuplicationBlocker
{
    /// <summary>The reason, naming the line, or null when the loop may be duplicated.</summary>
    public static string? Of(SyntaxNode loop)
    {
        foreach (var n in loop.DescendantsAndSelf())
        {
            switch (n.Kind)
            {
                case NodeKind.Label:
                    return $"the loop contains the label `{n.Spelling}` (line {n.Span.Line}), which cannot be defined twice in a function";
                case NodeKind.Case or NodeKind.Default when !InSwitchInside(n, loop):
                    return $"the loop contains a `{(n.Kind == NodeKind.Case ? "case" : "default")}` of a switch around it (line {n.Span.Line})";
                case NodeKind.VarDecl when n.Decl is { } d && (d.IsStatic || d.IsThreadLocal):
                    return $"the loop declares the {(d.IsThreadLocal ? "thread-local" : "`static`")} variable `{d.Name}` (line {n.Span.Line}), which a second copy of the loop would duplicate";
            }
        }
        return null;
    }

    private static bool InSwitchInside(SyntaxNode n, SyntaxNode loop)
    {
        foreach (var a in n.Ancestors())
        {
            if (ReferenceEquals(a, loop)) return false;
            if (a.Kind == NodeKind.Switch) return true;
        }
        return false;
    }
}
