namespace ParaSlm.Analyzer.Generation;

/// <summary>A serial nest the analyzer proved a release site (<see cref="Facts.LoopFacts.TeamRelease"/>), for the rewriter.</summary>
/// <param name="StartOffset">Byte offset of the nest's `for` keyword.</param>
/// <param name="EndOffset">Byte offset where the nest's statement ends.</param>
/// <param name="Reason">Why the function runs once (the analyzer's words).</param>
/// <param name="After">The top-level loops that run before it, latest first (<see cref="Facts.LoopFacts.TeamReleaseAfter"/>).</param>
public sealed record TeamReleaseSite(string LoopId, int Line, int StartOffset, int EndOffset, string Reason, IReadOnlyList<Facts.ReleasePredecessor> After)
{
    public static TeamReleaseSite For(Facts.LoopFacts loop) =>
        new(loop.Id, loop.Line, loop.StartOffset, loop.EndOffset, loop.TeamRelease ?? throw new ArgumentException("the loop is no release site", nameof(loop)), loop.TeamReleaseAfter);
}

/// <summary>A release the rewriter placed for a serial nest, with the words the report shows.</summary>
/// <param name="LoopId">The serial nest.</param>
/// <param name="AfterLoopIds">The regions the team is released after (the last one that always runs, and the guarded ones after it).</param>
public sealed record TeamReleaseOutcome(string LoopId, int Line, IReadOnlyList<string> AfterLoopIds, string Description);

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
        // `__has_include`: a compiler that accepts -fopenmp without the runtime's header installed keeps the copy compiling.
        $"#ifndef {Macro}{nl}" +
        $"#if defined(_OPENMP) && (_OPENMP >= 201811 || (defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10)){nl}" +
        $"#if defined(__has_include){nl}#if __has_include(<omp.h>){nl}#define {Macro} 1{nl}#endif{nl}#else{nl}#define {Macro} 1{nl}#endif{nl}#endif{nl}" +
        $"#ifndef {Macro}{nl}#define {Macro} 0{nl}#endif{nl}#endif{nl}" +
        $"#if {Macro}{nl}#include <omp.h>{nl}" +
        $"#define paraslm_release_team() ((void)(omp_get_level() == 0 && omp_pause_resource_all(omp_pause_soft))){nl}#endif{nl}";

    /// <summary>
    /// The releases for one site, or why none: the nest must lie where the analysis found it and no applied edit may touch it
    /// (the whole nest runs serially in the final plan: the re-check of the analyzer's fact). Walking the loops before it,
    /// latest first: a region versioned on a condition (it may not run) gets the release at the end of its parallel branch and
    /// the walk goes on; the first region that always runs gets it after its statement and ends the walk. A loop with a
    /// region inside it (not on itself), or the end of the list, ends the walk too. Releases only where a region precedes.
    /// </summary>
    internal static List<(EditPlan Plan, int End, bool InBranch)>? Place(SourceDocument doc, EditPlanner planner, TeamReleaseSite site, IReadOnlyList<EditPlan> applied, out string? skipped)
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
        var places = new List<(EditPlan Plan, int End, bool InBranch)>();
        foreach (var before in site.After)
        {
            if (before.LoopId.Length == 0) break;
            // A loop that runs serially in its scalar-expanded form enters no region: nothing to release after it.
            if (applied.Any(p => p.Edit.LoopId == before.LoopId && p.Edit.ExpandsSerially)) continue;
            if (applied.FirstOrDefault(p => p.Edit.LoopId == before.LoopId) is not { } region)
            {
                // A region on an inner loop of this serial loop would need the release after the whole loop: not written; stop.
                if (doc.IndexOfByteOffset(before.StartOffset) is not { } from || doc.IndexOfByteOffset(before.EndOffset) is not { } to ||
                    applied.Any(p => p.ForIndex < to && from < p.ExtentEnd)) break;
                continue;
            }
            var inBranch = region.Check is not null && region.StatementEnd is not null && IsPlainVersioned(region);
            if ((inBranch ? region.StatementEnd : region.StatementEnd ?? planner.StatementEndAt(region.ForIndex, region.Edit.EndOffset)) is not { } statementEnd) break;
            places.Add((region, statementEnd, inBranch));
            if (!inBranch) break;
        }
        if (places.Count == 0) skipped = "no region of this file runs before the nest";
        return places.Count == 0 ? null : places;
    }

    /// <summary>The edit writes `if (check) { #pragma …; loop } else { loop }` itself (not a form that replaces the loop).</summary>
    private static bool IsPlainVersioned(EditPlan p) =>
        p.Edit is { Matmul: null, RightLooking: null, Fused: null, Distributed: null, Sink: null, Append: null, Privatized: null, Guarded: null, RunsOnlyIfCheck: false } &&
        !(p.Expansions is [var self] && self.ForIndex == p.ForIndex) && !(p.UnrollJams is [var own] && own.ForIndex == p.ForIndex);
}
