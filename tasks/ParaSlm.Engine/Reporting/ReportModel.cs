using ParaSlm.Engine.Reporting;

namespace ParaSlm.Engine;

/// <summary>One loop's line in the report: the decision and the reason in words.</summary>
public sealed record ReportLoop(
    string Id,
    int Line,
    int Column,
    string Function,
    string Action,
    string Target,
    string Clauses,
    string? RuntimeCheck,
    string Origin,
    string Strategy,
    string Verdict,
    string Reason,
    string? Code)
{
    /// <summary>What the last validation said about this loop (`passed: tsan, asan`, `reverted (tsan): …`); null when not validated.</summary>
    public string? Validation { get; init; }

    /// <summary>The loop runs a floating-point reduction in parallel: its result may change in the last digits.</summary>
    public bool LastDigitsMayChange { get; init; }

    /// <summary>The locality transform the loop's nest was emitted with (`matmul-ikj-tiled`), or null.</summary>
    public string? Transform { get; init; }
}

/// <summary>One source's line in the report.</summary>
public sealed record ReportSource(string File, string Status, string? Output, int Loops, int Parallel, IReadOnlyList<ReportLoop> Plans, string? Message);

/// <summary>The whole build's report.</summary>
public sealed record Report(string Mode, string Target, string Strategy, DateTimeOffset Created, double Seconds, IReadOnlyList<ReportSource> Sources)
{
    public int Loops => Sources.Sum(s => s.Loops);
    public int Parallel => Sources.Sum(s => s.Parallel);
    public int Rewritten => Sources.Count(s => s.Status == "rewritten");

    /// <summary>The last validation (`paraslm validate`), per variant and per loop; null when the build does not validate.</summary>
    public ValidationSummary? Validation { get; init; }

    /// <summary>Who planned the loops, in words (the model, the cache, the analyzer, and why the analyzer when it stood in).</summary>
    public string? Planner { get; init; }

    /// <summary>Parallel loops whose floating-point result may change in the last digits.</summary>
    public int LastDigitsMayChange => Sources.Sum(s => s.Plans.Count(p => p.LastDigitsMayChange && p.Action == "parallel"));
}
