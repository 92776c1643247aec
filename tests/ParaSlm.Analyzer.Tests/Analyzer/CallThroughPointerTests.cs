using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A call through a variable, parameter or member holding a function pointer (or a functor of template type) runs
/// whatever function the caller chose. The analyzer judged such a callee by its name: a parameter `exp` was read as
/// libm's pure `exp` (a loop calling a counting callback through it was planned parallel), and every other such call
/// suggested asserting the parameter's name pure with ParaSlmAssumePure, which then made the loop parallel for every
/// function any caller passes. Corpus: c/callable_params.c.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class CallThroughPointerTests : CorpusFileFixture
{
    protected override string RelativePath => "c/callable_params.c";

    [Test]
    public void A_parameter_named_like_a_pure_library_function_is_not_that_function()
    {
        var loop = Loop("map_shadowed");
        Assert.That(loop.Parallelizable, Is.False, "the caller passes a callback that counts its calls");
        Assert.That(loop.Reason, Does.Contain("calls through `exp`, a parameter holding a function pointer"));
    }

    [TestCase("map_param", "f", "parameter")]
    [TestCase("map_global", "g_op", "variable")]
    [TestCase("map_member", "apply", "member")]
    public void A_call_through_a_pointer_names_what_holds_it_and_never_suggests_asserting_it_pure(string function, string holder, string kind)
    {
        var loop = Loop(function);
        Assert.That(loop.Parallelizable, Is.False);
        Assert.That(loop.Reason, Does.Contain($"calls through `{holder}`, a {kind} holding a function pointer or callable object"));
        Assert.That(loop.Reason, Does.Not.Contain("assume-pure").And.Not.Contain("AssumePure"));
    }

    [Test]
    public void Asserting_the_name_of_a_function_pointer_pure_does_not_make_its_loop_parallel()
    {
        var loops = AnalyzeWith(new AnalyzerOptions { AssumePure = ["f", "g_op", "apply", "exp"] });
        foreach (var function in new[] { "map_param", "map_global", "map_member", "map_shadowed" })
            Assert.That(Loop(loops, function).Parallelizable, Is.False, function);
        Assert.That(Loop(loops, "map_libm").Parallelizable, Is.True, "libm's exp itself stays pure");
    }

    [TestCase("map_direct")]
    [TestCase("map_libm")]
    public void A_direct_call_to_a_pure_function_keeps_its_loop_parallel(string function) =>
        Assert.That(Loop(function).Parallelizable, Is.True);
}
