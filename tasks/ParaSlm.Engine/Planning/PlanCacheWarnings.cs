using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Engine.Planning;

/// <summary>
/// The plan cache (reasoner/…/Cache, moving to StackExchange.Redis in parallel) still hands its warnings over as
/// <c>PlanCacheCodes.Warning</c> text ("PSLM4xxx: warning: …"): this is the one place in the tree that reads that text,
/// to go once the cache reports a <see cref="Diagnostic"/> itself. Text in any other shape is kept whole under PSLM4001.
/// </summary>
public static class PlanCacheWarnings
{
    public static Diagnostic ToDiagnostic(string message)
    {
        const string warning = ": warning: ";
        return message.Length > 8 + warning.Length && message.StartsWith("PSLM", StringComparison.Ordinal) &&
               string.CompareOrdinal(message, 8, warning, 0, warning.Length) == 0
            ? Diagnostic.Warning(message[..8], message[(8 + warning.Length)..])
            : Diagnostic.Warning("PSLM4001", message);
    }
}
