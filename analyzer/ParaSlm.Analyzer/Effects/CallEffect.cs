using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Effects;

/// <summary>What a call may do, as far as parallel execution is concerned.</summary>
/// <param name="IsPure">No writes to memory the caller can see, no I/O, no synchronization.</param>
/// <param name="Reason">Why it is not pure (names the offending operation), or how purity was established.</param>
/// <param name="GlobalsRead">Global variables the callee reads (they conflict with writes in the loop).</param>
public sealed record CallEffect(bool IsPure, string Reason, IReadOnlyList<DeclInfo> GlobalsRead)
{
    /// <summary>The callee reads memory reached through a pointer loaded from memory (`s->data[k]`,
    /// `m[i][j]`): the caller cannot tell which object that is.</summary>
    public bool ReadsIndirectMemory { get; init; }

    public static CallEffect PureBy(string reason) => new(true, reason, []);

    public static CallEffect Impure(string reason) => new(false, reason, []);
}
