using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>Something in the body that rules out parallel execution by itself (an exit, I/O, an unknown call…).</summary>
public sealed record Blocker(string Reason, SyntaxNode Node);

/// <summary>Everything the walker found in one loop's body (nested loops included).</summary>
public sealed class LoopBody
{
    public List<MemoryAccess> Accesses { get; } = [];
    public List<ScalarEvent> Events { get; } = [];
    public List<Blocker> Blockers { get; } = [];

    /// <summary>Calls found safe (pure by name, by analysis or by the user's assertion).</summary>
    public List<Facts.CallFact> Calls { get; } = [];

    /// <summary>Declarations whose storage is created per iteration (declared inside the loop).</summary>
    public HashSet<string> Locals { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables assigned anywhere in the body (scalars, pointers, inner counters).</summary>
    public HashSet<string> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables certainly assigned by the end of every iteration.</summary>
    public HashSet<string> AssignedAtEnd { get; } = new(StringComparer.Ordinal);

    /// <summary>A `continue` of this loop skips the rest of some iterations.</summary>
    public bool HasContinue { get; set; }

    /// <summary>Counters of canonical loops nested inside, by key.</summary>
    public Dictionary<string, LoopInfo> InnerCounters { get; } = new(StringComparer.Ordinal);
}
