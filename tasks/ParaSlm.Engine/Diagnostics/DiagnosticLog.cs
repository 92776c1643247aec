using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Engine.Reporting.AzureDevOps;

namespace ParaSlm.Engine.Diagnostics;

/// <summary>
/// Where the engine and validation report: every <see cref="Diagnostic"/> is kept (<see cref="Reported"/>, for callers
/// that act on a code), written once in the build's form (<see cref="DiagnosticText"/>) and, in Azure Pipelines,
/// queued as an issue; plain lines (summaries) are written as they are.
/// </summary>
public sealed class DiagnosticLog(TextWriter output, AzureDevOpsLog? azure = null)
{
    private readonly List<Diagnostic> _reported = [];
    private readonly object _gate = new();

    public IReadOnlyList<Diagnostic> Reported
    {
        get { lock (_gate) return [.. _reported]; }
    }

    /// <param name="origin">What to name when the diagnostic has no file (the project being validated).</param>
    public void Report(Diagnostic diagnostic, string? origin = null)
    {
        lock (_gate) _reported.Add(diagnostic);
        output.WriteLine(DiagnosticText.ForBuild(diagnostic, origin));
        azure?.Issue(diagnostic, origin);
    }

    public void Line(string text) => output.WriteLine(text);

    /// <summary><paramref name="done"/> of <paramref name="total"/> steps are finished (Azure Pipelines' progress).</summary>
    public void Progress(int done, int total)
    {
        if (total > 0) azure?.Progress(done * 100 / total);
    }
}
