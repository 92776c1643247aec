using System.Text.Json;
using ParaSlm.Analyzer.Tests.Corpus;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// An inner loop's reason "inside the parallel loop at line L" is true only while a loop at L runs in parallel. NPB LU's
/// `jacu` loop (split by `#if defined(_OPENMP)` / `#else` / `#endif`, see ConditionalSplitLoopTests) was not rewritten,
/// yet its inner loop's row still said it sat inside a parallel loop; the same happened to every inner loop of a file whose
/// copy did not compile (PSLM1013).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class UnrewrittenEnclosingLoopReportTests : EngineFixture
{
    private List<(int Line, string Action, string Reason)> ReportRows()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.json")));
        return json.RootElement.GetProperty("sources").EnumerateArray().SelectMany(s => s.GetProperty("plans").EnumerateArray())
            .Select(p => (p.GetProperty("line").GetInt32(), p.GetProperty("action").GetString()!, p.GetProperty("reason").GetString()!)).ToList();
    }

    [Test]
    public void The_inner_loop_of_a_loop_that_was_not_rewritten_does_not_claim_a_parallel_enclosing_loop()
    {
        var text = File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "conditional_split.c"));
        var file = Ws.Write("src/conditional_split.c", text);
        var lines = text.Split('\n');
        var outer = Array.FindIndex(lines, l => l.Contains("for (i = ist; i <= iend; i++) {", StringComparison.Ordinal)) + 1;
        var inner = Array.FindIndex(lines, l => l.Contains("for (j = jst; j <= jend; j++) {", StringComparison.Ordinal)) + 1;
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")) with { Strategy = "analyzer", Cache = "off" });
        Assert.That(code, Is.EqualTo(0), err);
        var rows = ReportRows();
        var o = rows.Single(r => r.Line == outer);
        var i = rows.Single(r => r.Line == inner);
        Assert.Multiple(() =>
        {
            Assert.That(o.Action, Is.EqualTo("sequential"));
            Assert.That(o.Reason, Does.StartWith("not rewritten:"));
            Assert.That(i.Action, Is.EqualTo("sequential"));
            Assert.That(i.Reason, Does.Not.Contain("inside the parallel loop"));
            Assert.That(i.Reason, Does.Contain($"its enclosing loop at line {outer} was not rewritten"));
            // The rest of the file is still rewritten (before, its copy failed to compile as a whole).
            Assert.That(rows.Count(r => r.Action == "parallel"), Is.GreaterThan(0));
        });
    }
}
