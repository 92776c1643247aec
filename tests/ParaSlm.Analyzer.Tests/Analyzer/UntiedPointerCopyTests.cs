using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A local pointer defined once from a value the dependence test does not follow to its source — a choice between two
/// pointers (`c ? p : r`), an address rounded with integer arithmetic, an offset in bytes (`(char *)p + 4`) — is another
/// name for the same memory. The analyzer used to trust `restrict` across such a copy, and read `(char *)p + 4` as four
/// elements on: all four loops were planned parallel with no check although each is a recurrence when the copy lands
/// on `p`. Corpus: c/untied_copies.c.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class UntiedPointerCopyTests : SourceAnalyzerFixture
{
    private IReadOnlyList<LoopFacts> _loops = null!;
    private static string File => Path.Combine(CorpusFiles.Root, "c", "untied_copies.c");

    [OneTimeSetUp]
    public void SetUp()
    {
        _loops = Analyzer.Analyze(File, CorpusFiles.ArgumentsFor(File)).Loops;
    }

    private LoopFacts Loop(string function)
    {
        var loop = _loops.Single(l => l.Function == function);
        TestContext.Out.WriteLine($"{function}: parallel={loop.Parallelizable} check={loop.RuntimeCheck ?? "none"} {loop.Reason}");
        return loop;
    }

    [TestCase("chosen_by_conditional")]
    [TestCase("aligned_by_mask")]
    [TestCase("byte_offset_restrict")]
    [TestCase("byte_offset_plain")]
    public void A_copy_the_dependence_test_cannot_tie_to_its_pointer_is_checked_against_it(string function)
    {
        var loop = Loop(function);
        Assert.That(loop.RuntimeCheck, Is.Not.Null, "the copy may land on the pointer's own elements: " + loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain("q").And.Contain("p"));
    }

    [Test]
    public void A_byte_offset_is_never_read_as_elements_of_the_pointer()
    {
        // Read as `p + 4`, the writes (`p[2i + 4]`) and reads (`p[2i + 3]`) never meet; the copy really is `p + 1`.
        var loop = Loop("byte_offset_plain");
        Assert.That(loop.Reason, Does.Not.Contain("iterations are independent"));
    }

    [Test]
    public void A_cast_that_keeps_the_element_type_stays_tied_and_its_dependence_is_proven()
    {
        var loop = Loop("const_view_tied");
        Assert.That(loop.Parallelizable, Is.False, loop.Reason);
        Assert.That(loop.RuntimeCheck, Is.Null);
    }

    [Test]
    public void A_local_defined_once_as_an_offset_of_a_restrict_pointer_stays_tied()
    {
        var loop = Loop("halves_tied");
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Is.Null, "hi = p + n is followed to p: disjoint halves");
    }
}
