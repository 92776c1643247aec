using System.Text.Encodings.Web;
using System.Text.Json;
using ParaSlm.Engine;

namespace ParaSlm.Engine.Reporting;

/// <summary>One variant's line in the report (see <see cref="VariantResult"/>).</summary>
/// <param name="Ignored">Output lines of the variant's reference that were not compared (or only in part), and why.</param>
public sealed record VariantSummary(string Name, string Status, int Probes, int Runs, IReadOnlyList<int> Threads, double Seconds, string? Message, int Tolerated,
    IReadOnlyList<string>? Ignored = null);

/// <summary>One parallel loop's verdict: kept (and which variants passed it) or reverted (by which, and why).</summary>
public sealed record LoopVerdict(string File, string Id, int Line, int Column, string Function, string Status, IReadOnlyList<string> Passed,
    string? Variant, string? Evidence, string? Detail);

/// <summary>The final program (the parallel build after reverting) against the serial build.</summary>
/// <param name="Status">equal | different | build-failed | timed-out (a run ran out of time: not compared, nothing reverted, PSLM5009) | not-run.</param>
/// <param name="Detail">What differed, whole (the differing line, the sanitizer excerpt, the build errors).</param>
/// <param name="RevertedToSerial">The check failed, so every loop of the project was reverted (PSLM5004) and the
/// outputs rebuilt: the build leaves the serial program, never the one that differed.</param>
/// <param name="AfterRevert">The check of that serial rebuild: equal | different | build-failed | not-run.</param>
/// <param name="Kept">Set when the differing test's programs were known: only their loops were reverted, and this says
/// which programs and how many loops elsewhere were kept.</param>
public sealed record FinalCheck(string Status, int Runs, IReadOnlyList<int> Threads, double Seconds, string? Message, int Tolerated,
    string? Detail = null, bool RevertedToSerial = false, string? AfterRevert = null, string? Kept = null);

/// <summary>
/// What the last validation found, per variant and per loop, and how long it took: `paraslm.validation.json` in the
/// intermediate folder, which the engine adds to the report (JSON and Markdown) on every run.
/// </summary>
public sealed record ValidationSummary(DateTimeOffset Created, double Seconds, IReadOnlyList<string> Requested, IReadOnlyList<VariantSummary> Variants,
    IReadOnlyList<LoopVerdict> Loops, FinalCheck? Final)
{
    public const string FileName = "paraslm.validation.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ValidationSummary? Load(string intermediateDir)
    {
        var path = Path.Combine(intermediateDir, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ValidationSummary>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null; // a damaged summary only leaves the report without validation results
        }
    }

    public void Save(string intermediateDir) => AtomicFile.Write(Path.Combine(intermediateDir, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The report's validation cell for one loop, or null when validation did not look at it.</summary>
    public string? VerdictOf(string file, ReportLoop loop)
    {
        var v = Loops.FirstOrDefault(l => l.File == file && l.Id == loop.Id);
        if (v is null) return null;
        if (v.Status == "reverted") return $"reverted ({v.Variant}): {v.Evidence}";
        return v.Passed.Count == 0 ? "kept (no variant could check it)" : "passed: " + string.Join(", ", v.Passed);
    }
}
