using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Memory from the user's allocation wrappers is fresh (found on LULESH, whose temporaries come from
/// `template &lt;typename T&gt; T *Allocate(size_t size) { return static_cast&lt;T *&gt;(malloc(sizeof(T)*size)); }` and go
/// back through `Release(&amp;p)`, which frees them and sets them to null: the analyzer knew only a direct `malloc`, and the
/// address taken by `Release` also hid the allocation, so loops writing those buffers beside `Domain&amp;` accessors
/// stayed serial). A wrapper counts when its body is visible, every `return` yields an allocation (or another
/// wrapper's), and it keeps the pointer nowhere else; a write through the address counts only after the loop. Near
/// misses keep their overlap check. Corpus: cpp/allocation_wrappers.cpp.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class AllocationWrapperTests : SourceAnalyzerFixture
{
    private IReadOnlyList<LoopFacts> _loops = null!;
    private static string File => Path.Combine(CorpusFiles.Root, "cpp", "allocation_wrappers.cpp");

    [OneTimeSetUp]
    public void SetUp()
    {
        _loops = Analyzer.Analyze(File, CorpusFiles.ArgumentsFor(File)).Loops;
    }

    /// <summary>The innermost loop of the function (the one writing `x`).</summary>
    private LoopFacts Loop(string function)
    {
        var loop = _loops.Where(l => l.Function == function).OrderByDescending(l => l.Depth).First();
        TestContext.Out.WriteLine($"{function}: parallel={loop.Parallelizable} check={loop.RuntimeCheck ?? "none"} {loop.Reason}");
        return loop;
    }

    [TestCase("scale_into_template_buffer")]
    [TestCase("scale_into_zeroed_buffer")]
    [TestCase("scale_into_twice_wrapped_buffer")]
    [TestCase("scale_into_new_array")]
    [TestCase("scale_then_release")]
    public void A_buffer_from_a_fresh_allocation_wrapper_needs_no_overlap_check(string function)
    {
        var loop = Loop(function);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Is.Null, "the wrapper returns memory no other pointer reaches");
    }

    [TestCase("scale_into_recorded_buffer")]
    [TestCase("scale_into_pool_slice")]
    [TestCase("scale_into_small_or_heap")]
    [TestCase("scale_into_either")]
    [TestCase("scale_into_unseen_allocation")]
    [TestCase("scale_into_published_template_buffer")]
    [TestCase("release_then_scale")]
    [TestCase("scale_repeatedly_then_release")]
    [TestCase("scale_then_stash")]
    public void A_buffer_that_may_have_another_name_keeps_its_overlap_check(string function)
    {
        var loop = Loop(function);
        Assert.That(loop.RuntimeCheck, Is.Not.Null, "not proven fresh: " + loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain("x").And.Contain("in"));
    }
}
