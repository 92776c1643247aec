using System.Text;
using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Engine;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Validation;

/// <summary>
/// Makes a rejection stick: the engine state gets the loop (by its text hash, so the next `apply` leaves it serial
/// whoever proposes it), the plan cache gets the verdict with its evidence when the plan came from a model (so the
/// nest is never served from the cache again), and the build gets a PSLM5001 warning at the loop.
/// </summary>
public static class RejectionRecorder
{
    /// <summary>Longest evidence kept in the state and the warning; the report keeps the full excerpt.</summary>
    public const int EvidenceLength = 700;

    public static void AddToState(string statePath, IReadOnlyList<LoopRejection> rejections, DateTimeOffset when)
    {
        var state = EngineState.Load(statePath);
        foreach (var r in rejections)
        {
            if (state.RejectionOf(r.Loop.File, r.Loop.Loop.Function, r.Loop.Loop.Hash) is not null) continue;
            state.Rejected.Add(new RejectedLoop(r.Loop.File, r.Loop.Id, r.Loop.Loop.Line, r.Loop.Loop.Column, r.Loop.Loop.Function, r.Loop.Loop.Hash,
                r.Variant, Short(r.Failure.Evidence), when));
        }
        state.Save(statePath);
    }

    /// <summary>
    /// Records every rejection in the plan cache by the loop's content (<see cref="RejectedLoops"/>), whoever planned it,
    /// so that it outlives the intermediate folder and reaches other machines sharing the cache; the cache entry of a
    /// reverted model plan is marked rejected too (a rejection is final for the key). Whole-program reverts (variant
    /// `final`, PSLM5004) blame no loop and are not recorded there.
    /// </summary>
    public static async Task MarkCacheAsync(string? cacheSpec, IReadOnlyList<LoopRejection> rejections, Action<Diagnostic> report, CancellationToken cancel)
    {
        var blamed = rejections.Where(r => r.Variant != "final").ToList();
        if (blamed.Count == 0) return;
        await using var cache = await PlanCacheFactory.OpenAsync(cacheSpec, report, cancellationToken: cancel);
        foreach (var r in blamed)
        {
            var evidence = $"PSLM5001: {r.Variant}: {Short(r.Failure.Evidence)}";
            await RejectedLoops.RecordAsync(cache, r.Loop.Loop.Hash, evidence, cancel);
            if (r.Loop.Loop.CacheKey is { Length: 64 } k && k.All(char.IsAsciiHexDigitLower))
                await cache.MarkAsync(PlanCacheKey.FromHash(k), PlanStatus.Rejected, evidence, cancel);
        }
    }

    /// <summary>The warning at the loop, so that MSBuild and IDEs show it on the `for` line.</summary>
    public static Diagnostic Warning(LoopRejection r, IReadOnlyList<string> assumePure)
    {
        var message = new StringBuilder($"loop reverted: {r.Variant} found {Short(r.Failure.Evidence)}. ");
        var called = CalledAssumptions(r.Loop, assumePure);
        if (called.Count > 0)
            message.Append($"The loop calls {string.Join(", ", called)}, which ParaSlmAssumePure declares free of side effects; the run says otherwise: remove it from ParaSlmAssumePure. ");
        message.Append("ParaSlm keeps this loop serial (the rest stays parallel) until its code changes; the report has the full evidence.");
        return Diagnostic.Warning("PSLM5001", message.ToString(), r.Loop.File, r.Loop.Loop.Line, r.Loop.Loop.Column);
    }

    private static List<string> CalledAssumptions(ValidationLoop loop, IReadOnlyList<string> assumePure)
    {
        if (assumePure.Count == 0) return [];
        string text;
        try
        {
            var bytes = Encoding.UTF8.GetBytes(File.ReadAllText(loop.File));
            if (loop.Loop.StartOffset < 0 || loop.Loop.EndOffset > bytes.Length || loop.Loop.EndOffset <= loop.Loop.StartOffset) return [];
            text = Encoding.UTF8.GetString(bytes, loop.Loop.StartOffset, loop.Loop.EndOffset - loop.Loop.StartOffset);
        }
        catch (IOException)
        {
            return [];
        }
        return assumePure.Where(f => Regex.IsMatch(text, $@"\b{Regex.Escape(f)}\s*\(")).ToList();
    }

    public static string Short(string evidence)
    {
        var one = evidence.Replace('\n', ' ').Replace('\r', ' ').Trim();
        return one.Length > EvidenceLength ? one[..EvidenceLength] + "…" : one;
    }
}
