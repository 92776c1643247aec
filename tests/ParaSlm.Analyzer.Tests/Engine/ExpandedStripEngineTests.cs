using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with a loop planned serial in its scalar-expanded form (one strip, issue 14): the copy carries the form
/// with no region, the report says the loop is sequential with the transform and why, the build's count of parallel loops
/// leaves it out, and the applied loop's record rebuilds the same copy (validation's variants and per-loop diffs).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ExpandedStripEngineTests : EngineFixture
{
    // The corpus fixture (c/expanded_strips.c): the narrow nest's column loop at line 23 fits in one strip, its reduction loop at 26.
    private static string Source => File.ReadAllText(Path.Combine(Corpus.CorpusFiles.RepositoryRoot, "tests", "corpus", "c", "expanded_strips.c"));

    [Test]
    public void The_report_shows_the_one_strip_loop_sequential_with_its_expanded_form_and_the_record_rebuilds_the_copy()
    {
        var file = Ws.Write("src/expanded_strips.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var output = Ws.Outputs().Single();
        var copy = File.ReadAllText(output[1]);
        var narrow = copy[copy.IndexOf("void narrow(", StringComparison.Ordinal)..copy.IndexOf("void diagonal(", StringComparison.Ordinal)];
        Assert.That(narrow, Does.Contain("float paraslm_x_s[512];").And.Contain("#pragma omp simd").And.Not.Contain("#pragma omp parallel"));
        var plans = Ws.ReportPlansByLine();
        Assert.Multiple(() =>
        {
            Assert.That(plans[23].GetProperty("action").GetString(), Is.EqualTo("sequential"));
            Assert.That(plans[23].GetProperty("transform").GetString(), Is.EqualTo("scalar-expand(s,i)"));
            Assert.That(plans[23].GetProperty("reason").GetString(), Does.Contain("fit in one strip of 512").And.Contain("runs serially in its scalar-expanded form"));
            Assert.That(plans[26].GetProperty("reason").GetString(), Does.StartWith("inside the loop at line 23, which runs serially in its scalar-expanded form"));
        });

        var records = Ws.State().Sources.Values.Single().Applied;
        var applied = records.Single(a => a.Line == 23);
        Assert.That((applied.Directive, applied.Expansions.Single().Name), Is.EqualTo((string.Empty, "scalar-expand(s,i)")));
        var again = SourceRewriter.Rewrite(file, Source, records.Select(a => a.ToEdit()).ToList(), applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the records and must be the build's copy");
        Assert.That(again.Outcomes.Single(o => o.Edit.LoopId == applied.Id).Edit.ParallelLoops, Is.Zero, "no region: not counted as a parallel loop");
    }
}
