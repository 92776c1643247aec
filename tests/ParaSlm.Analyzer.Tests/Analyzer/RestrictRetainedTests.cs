using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A `restrict` parameter or a fresh allocation passed to a callee that keeps it (in a global, a struct member, an
/// out-parameter, its return value) or put in a braced initializer has a second name the loop may read through; the
/// analyzer used to trust the qualifier (and the allocation) there and called every such shift independent with no
/// check (RestrictRetainedRunTests shows the wrong output at 2 and 4 threads). A callee whose body is visible and that
/// keeps nothing, and `memcpy`/`memset`, leave the guarantee in place. Corpus: c/restrict_calls.c.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class RestrictRetainedTests : SourceAnalyzerFixture
{
    private IReadOnlyList<LoopFacts> _loops = null!;
    private static string File => Path.Combine(CorpusFiles.Root, "c", "restrict_calls.c");

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

    [TestCase("kept_in_global", "g_view")]
    [TestCase("kept_through_nested_call", "g_view")]
    [TestCase("kept_in_struct_member", "g_window.data")]
    [TestCase("kept_through_out_parameter", "src")]
    [TestCase("returned_by_callee", "src")]
    [TestCase("kept_in_braced_initializer", "v.data")]
    [TestCase("passed_to_unknown_function", "g_view")]
    [TestCase("returned_by_memcpy", "src")]
    public void A_restrict_pointer_a_callee_may_keep_is_checked_against_the_kept_copy(string function, string copy)
    {
        var loop = Loop(function);
        Assert.That(loop.RuntimeCheck, Is.Not.Null, "the kept copy is based on the restrict pointer and may name the same elements: " + loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain(copy).And.Contain("dst"));
    }

    [Test]
    public void A_fresh_allocation_a_callee_keeps_is_checked_against_the_kept_copy()
    {
        var loop = Loop("fresh_buffer_kept_in_global");
        Assert.That(loop.RuntimeCheck, Is.Not.Null, loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain("buf").And.Contain("g_view"));
    }

    /// <summary>`src = memset(buf, …)` is `buf` again under a name the analyzer does not tie to it: the allocation is not fresh.</summary>
    [Test]
    public void A_fresh_allocation_copied_through_the_value_memset_returns_is_checked_against_the_copy()
    {
        var loop = Loop("fresh_buffer_returned_by_memset");
        Assert.That(loop.RuntimeCheck, Is.Not.Null, loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain("buf").And.Contain("src"));
    }

    [TestCase("cleared_by_visible_helper")]
    [TestCase("copied_by_library_function")]
    [TestCase("fresh_buffer_cleared")]
    public void Pointers_handed_only_to_callees_that_keep_nothing_stay_parallel_without_a_check(string function)
    {
        var loop = Loop(function);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Is.Null, "a visible helper that only accesses through its pointer, memcpy and memset keep no copy");
    }
}
