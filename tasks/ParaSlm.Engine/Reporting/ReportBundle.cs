using ParaSlm.Engine;
using ParaSlm.Engine.Reporting;

namespace ParaSlm.Engine.Reporting;

/// <summary>
/// Everything the reports beside the Markdown are made of: the build's report (with the last validation), each
/// rewritten loop's own change, the project root that paths are shown relative to, and, when an evaluation's
/// report.json lies in the report folder's `tasks/ParaSlm.Evaluation/`, its timings.
/// </summary>
public sealed record ReportBundle(
    Report Report,
    string Root,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, LoopChange>> Changes,
    IReadOnlyList<string> AssumePure,
    EvaluationReport? Evaluation,
    string ToolVersion)
{
    public string Relative(string file) => Path.GetRelativePath(Root, file).Replace('\\', '/');

    public LoopChange? ChangeOf(string file, string loopId) =>
        Changes.TryGetValue(file, out var byId) && byId.TryGetValue(loopId, out var c) ? c : null;

    /// <summary>What a person should read about one loop: parallelized, kept serial, or reverted by validation.</summary>
    public static string DecisionOf(ReportLoop loop) =>
        loop.Code == "PSLM5001" ? "reverted" : loop.Action == "parallel" ? "parallel" : "serial";

    /// <summary>
    /// The ParaSlmAssumePure functions a reverted loop calls: validation proved such an assertion wrong. Found in the
    /// loop's current text (a reverted loop is serial, so it has no recorded extent).
    /// </summary>
    public IReadOnlyList<string> FalseAssumptionsOf(string file, ReportLoop loop)
    {
        if (DecisionOf(loop) != "reverted" || AssumePure.Count == 0) return [];
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (IOException)
        {
            return [];
        }
        var span = LoopSpan.At(text, loop.Line, loop.Column);
        return span is null ? [] : AssumePure.Where(f => System.Text.RegularExpressions.Regex.IsMatch(span, $@"\b{System.Text.RegularExpressions.Regex.Escape(f)}\s*\(")).ToList();
    }
}
