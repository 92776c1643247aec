using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A loop kept serial because of an access an inlined accessor returns names the call the user wrote, at the
/// line of the loop's own file. Found on CloverLeaf (its `Buffer2D::operator()` lives in `context.h`): 319 reasons
/// read "`` at line 69 may write the same element in different iterations" — an empty name, and line 69 of the
/// header, while the loop was in `ideal_gas.cpp`. Fixture: corpus `cpp/header_accessors.cpp` with
/// `include/corpus_grid.hpp`.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class HeaderAccessorNamingTests : SourceAnalyzerFixture
{
    private FileAnalysis _analysis = null!;
    private string[] _lines = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        var file = Path.Combine(CorpusFiles.Root, "cpp", "header_accessors.cpp");
        _analysis = Analyzer.Analyze(file, CorpusFiles.ArgumentsFor(file));
        _lines = File.ReadAllLines(file);
        foreach (var l in _analysis.Loops) TestContext.Out.WriteLine(Support.SnippetAnalyzer.Describe(l));
    }

    private int LineOf(string text) => Array.FindIndex(_lines, l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Test]
    public void No_reason_or_dependence_names_an_access_by_empty_text()
    {
        Assert.That(_analysis.Loops.Select(l => l.Reason), Has.None.Contains("``"));
        var names = _analysis.Loops.SelectMany(l => l.Dependences).SelectMany(d => new[] { d.Source, d.Sink });
        Assert.That(names, Has.None.Empty);
    }

    [Test]
    public void A_write_through_a_header_accessor_is_named_by_its_call_at_the_loops_line()
    {
        // `size_t` cells may overwrite the row length itself, so no row check is trusted and the nest stays serial.
        var line = LineOf("out(i, j) = 2 * out(i, j);");
        var nest = _analysis.Loops.Where(l => l.Function == "scale_counts").ToList();
        Assert.That(nest, Has.Count.EqualTo(2));
        Assert.That(nest.Select(l => l.Reason), Has.All.Contains($"`out(i, j)` at line {line} may write the same element"));
        Assert.That(nest.SelectMany(l => l.Dependences).Select(d => d.SourceLine), Has.All.EqualTo(line),
            "the dependence is reported at the call's line in this file, not at the accessor's line in the header");
    }

    [Test]
    public void An_alias_reason_names_the_written_call()
    {
        var copy = _analysis.Loops.Single(l => l.Function == "copy_between");
        Assert.That(copy.Parallelizable, Is.False);
        Assert.That(copy.Reason, Does.Contain($"`fields[1].at(k)` is written at line {LineOf("fields[1].at(k) = fields[0].at(k)")}"));
    }
}
