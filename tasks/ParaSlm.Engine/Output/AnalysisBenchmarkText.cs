using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Engine.Output;

/// <summary>`paraslm bench-analyze`'s table: a header, a line per file as it is measured, and the summary.</summary>
public static class AnalysisBenchmarkText
{
    public static void WriteHeader(TextWriter o) => o.WriteLine($"{"file",-48} {"loops",5} {"parse ms",9} {"analysis ms",12}");

    public static void WriteFile(TextWriter o, AnalysisBenchmarkFile f) =>
        o.WriteLine(f.Skipped is { } why ? $"{Trim(f.File),-48} skipped: {why}" : $"{Trim(f.File),-48} {f.Loops,5} {f.ParseMs,9:F2} {f.AnalysisMs,12:F2}");

    public static void WriteSummary(TextWriter o, AnalysisBenchmarkResult r)
    {
        var measured = r.Measured;
        o.WriteLine();
        o.WriteLine($"files: {measured.Count}, loops: {measured.Sum(f => f.Loops)}, repeats: {r.Repeats}");
        if (measured.Count == 0) return;
        var analysis = measured.Select(f => f.AnalysisMs).ToList();
        o.WriteLine($"analysis beyond parse per file: median {AnalysisBenchmark.Median(analysis):F2} ms, mean {analysis.Average():F2} ms, max {analysis.Max():F2} ms (goal < {AnalysisBenchmarkResult.GoalMs:F0} ms)");
        o.WriteLine($"libclang parse per file: median {AnalysisBenchmark.Median(measured.Select(f => f.ParseMs)):F2} ms");
    }

    private static string Trim(string f) => f.Length <= 48 ? f : "…" + f[^47..];
}
