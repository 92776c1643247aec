using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Scalars;

public enum ScalarEventKind
{
    Read,
    Write,
    ReadWrite,

    /// <summary>`s += e`, `if (e > m) m = e;` … — an update a reduction clause can take over.</summary>
    ReductionUpdate,
}

/// <summary>A use of a scalar variable inside the loop, in evaluation order.</summary>
/// <param name="AssignedBefore">The variable was certainly assigned earlier in the same iteration.</param>
/// <param name="InnerLoopDepth">How many loops inside the analyzed loop enclose the use.</param>
public sealed record ScalarEvent(DeclInfo Variable, ScalarEventKind Kind, bool AssignedBefore, SyntaxNode Node, string? ReductionOperator, int InnerLoopDepth)
{
    /// <summary>The read happens inside a called function, which sees the shared variable, never a private copy.</summary>
    public bool ByCallee { get; init; }
}
