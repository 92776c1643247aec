using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// The OpenMP offload form of a verified GPU plan (`target: gpu-openmp-offload`): a combined
/// `target teams distribute parallel for` with the map clauses from the analyzer's offload facts (never from the
/// plan), the plan's data-sharing clauses and collapse, and every reduction variable mapped `tofrom`. The loop is
/// versioned on <see cref="DeviceCheck"/>: with no device, the original loop runs, exactly as the user wrote it.
/// </summary>
public static class OffloadDirective
{
    /// <summary>The macro the versioned loop tests; `-DPARASLM_GPU_AVAILABLE=1` runs the target region even with no
    /// device (OpenMP's own host fallback, which the tests use to run the offload code path on a machine without a GPU).</summary>
    public const string DeviceCheck = "PARASLM_GPU_AVAILABLE";

    /// <summary>
    /// What the copy needs before its first line: `omp_get_num_devices` and the default device test. Not `#include &lt;omp.h&gt;`:
    /// clang's omp.h includes &lt;stdlib.h&gt;, which before the user's own `#define _POSIX_C_SOURCE` would change what the
    /// user's headers declare. An own name bound to the runtime's symbol (asm label) never conflicts with omp.h's declaration.
    /// </summary>
    public static string Prelude(string newLine) =>
        $"#ifdef __cplusplus{newLine}extern \"C\"{newLine}#endif{newLine}int paraslm_omp_get_num_devices(void) __asm__(\"omp_get_num_devices\");{newLine}" +
        $"#ifndef {DeviceCheck}{newLine}#define {DeviceCheck} (paraslm_omp_get_num_devices() > 0){newLine}#endif{newLine}";

    /// <summary>The directive text after `#pragma ` for the loop; null when the facts say it cannot be offloaded.</summary>
    public static string? For(LoopFacts facts, PlanProposal plan)
    {
        if (facts.Offload is not { Offloadable: true } offload) return null;
        var parts = new List<string> { "omp target teams distribute parallel for", offload.MapClauses };
        if (plan.Reductions.Count > 0) parts.Add($"map(tofrom: {string.Join(", ", plan.Reductions.Select(r => r.Variable).Distinct())})");
        var clauses = plan.ClauseText;
        if (clauses.Length > 0) parts.Add(clauses);
        return string.Join(' ', parts);
    }

    /// <summary>The versioning condition: a device, and the loop's runtime aliasing check when it has one.</summary>
    public static string Check(string? runtimeCheck) => runtimeCheck is null ? DeviceCheck : $"{DeviceCheck} && ({runtimeCheck})";

    public static bool IsOffload(string directive) => directive.StartsWith("omp target", StringComparison.Ordinal);
}
