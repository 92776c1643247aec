namespace ParaSlm.Analyzer.Generation;

/// <summary>A serial nest the analyzer proved a release site (<see cref="Facts.LoopFacts.TeamRelease"/>), for the rewriter.</summary>
/// <param name="StartOffset">Byte offset of the nest's `for` keyword.</param>
/// <param name="EndOffset">Byte offset where the nest's statement ends.</param>
/// <param name="Reason">Why the function runs once (the analyzer's words).</param>
public sealed record TeamReleaseSite(string LoopId, int Line, int StartOffset, int EndOffset, string Reason)
{
    public static TeamReleaseSite For(Facts.LoopFacts loop) =>
        new(loop.Id, loop.Line, loop.StartOffset, loop.EndOffset, loop.TeamRelease ?? throw new ArgumentException("the loop is no release site", nameof(loop)));
}

/// <summary>A release the rewriter placed, with the words the report shows.</summary>
public sealed record TeamReleaseOutcome(string LoopId, int Line, string Description);

/// <summary>
/// Hands the idle OpenMP team back before a serial nest of a run-once function (ARCHITECTURE.md "Team release before
/// serial nests"): one line, `paraslm_release_team();`, on a line of its own before the nest's `for`, under
/// `#if PARASLM_RELEASE_TEAM` and followed by `#line` so the nest keeps its line. The macro is 1 where the copy is compiled
/// with an OpenMP 5.0 runtime interface (`_OPENMP` >= 201811, or gcc 10 and later, whose libgomp has it under 201511) and
/// the user has not set it: `-DPARASLM_RELEASE_TEAM=0` turns every release off. `omp_pause_resource_all(omp_pause_soft)`
/// changes no value the program computes; it is called only outside every parallel region (`omp_get_level() == 0`).
/// </summary>
public static class TeamReleaseEmitter
{
    public const string Macro = "PARASLM_RELEASE_TEAM";

    public const string Call = "paraslm_release_team();";

    /// <summary>The prelude, before `#undef _OPENMP` (it reads the compiler's `_OPENMP`).</summary>
    public static string Prelude(string nl) =>
        $"#ifndef {Macro}{nl}" +
        $"#if defined(_OPENMP) && (_OPENMP >= 201811 || (defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10)){nl}" +
        $"#define {Macro} 1{nl}#else{nl}#define {Macro} 0{nl}#endif{nl}#endif{nl}" +
        $"#if {Macro}{nl}#include <omp.h>{nl}" +
        $"#define paraslm_release_team() ((void)(omp_get_level() == 0 && omp_pause_resource_all(omp_pause_soft))){nl}#endif{nl}";

    /// <summary>Where the release goes, or why none: the nest must begin its line (blanks before `for`) and no applied edit may
    /// touch it (the whole nest runs serially in the final plan; the re-check of the analyzer's fact).</summary>
    internal static (int LineStart, string Indent, PresumedLine Presumed)? Place(SourceDocument doc, TeamReleaseSite site, IReadOnlyList<EditPlan> applied, out string? skipped)
    {
        skipped = null;
        if (doc.IndexOfByteOffset(site.StartOffset) is not { } start || doc.IndexOfByteOffset(site.EndOffset) is not { } end ||
            !doc.Text.AsSpan(start).StartsWith("for", StringComparison.Ordinal))
        {
            skipped = "the nest's `for` is not where the analysis found it";
            return null;
        }
        if (applied.Any(p => p.ForIndex < end && start < p.ExtentEnd))
        {
            skipped = "a loop of the nest runs in parallel";
            return null;
        }
        var line = doc.LineOf(start);
        var lineStart = doc.LineStart(line);
        var prefix = doc.Text[lineStart..start];
        if (prefix.Any(c => c is not (' ' or '\t')))
        {
            skipped = "the nest's `for` does not begin its line";
            return null;
        }
        return (lineStart, prefix, doc.PresumedLineOf(line));
    }
}
