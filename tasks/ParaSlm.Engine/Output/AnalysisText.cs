using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Engine.Output;

/// <summary>The human-readable explanation: one block per loop with its verdict and the evidence behind it.</summary>
public static class AnalysisText
{
    public static void Write(TextWriter o, FileAnalysis analysis)
    {
        var parallel = analysis.Loops.Count(l => l.Parallelizable);
        o.WriteLine($"{analysis.File}: {analysis.Loops.Count} for loop{(analysis.Loops.Count == 1 ? "" : "s")}, {parallel} parallelizable");
        foreach (var l in analysis.Loops)
        {
            o.WriteLine();
            o.WriteLine($"{l.File}:{l.Line}:{l.Column}: in {l.Function}(), depth {l.Depth}");
            o.WriteLine($"  {l.Reason}");
            if (l.RuntimeCheck is not null) o.WriteLine($"  runtime check: {l.RuntimeCheck}");
            // The directive may be on the loop or on a statement around it (a user's `#pragma omp parallel` block).
            if (l.HasOpenMPDirective) o.WriteLine($"  note: the loop is under the user's OpenMP directive (`{l.OpenMPDirective}`); ParaSlm leaves it as it is");
            foreach (var e in l.Evidence) o.WriteLine($"  - {e}");
            foreach (var d in l.Dependences)
                o.WriteLine($"  - {d.Kind} dependence {d.Source} (line {d.SourceLine}) -> {d.Sink} (line {d.SinkLine}), direction ({d.Direction}){(d.Distance is { } k ? $", distance {k}" : "")}, {(d.Carried ? "carried" : "loop-independent")} [{d.Test}]");
        }
    }
}
