using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// `os << x` on an object whose type depends on a template parameter is the stream's overloaded operator once the
/// template is instantiated (found as a user on BabelStream's `main.cpp`: `print_labels = [&](auto& os) { for (…)
/// os << bench[i].label; }` was judged parallelizable, kept serial only for its 6 iterations). With no `operator<<`
/// visible where the template is defined, clang keeps the expression as an operator node, which the analyzer read as a
/// built-in shift: a stream written by every iteration, in a loop, a lambda, a member through a pointer, or a helper
/// template called from an ordinary loop, was planned parallel. Corpus: cpp/dependent_streams.cpp.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class DependentStreamOperatorTests : CorpusFileFixture
{
    protected override string RelativePath => "cpp/dependent_streams.cpp";

    [TestCase("dump_labels", "os")]
    [TestCase("dump_pairs", "os")]
    [TestCase("read_values", "is")]
    [TestCase("Logger::log_all", "*out")]
    [TestCase("print_all", "os")]
    public void A_stream_operator_on_an_object_of_template_type_the_iteration_does_not_own_keeps_the_loop_serial(string function, string stream)
    {
        var loop = Loop(function);
        Assert.That(loop.Parallelizable, Is.False, "every iteration writes the one stream");
        Assert.That(loop.Reason, Does.Contain($"to `{stream}`, whose type depends on a template parameter"));
        Assert.That(loop.Reason, Does.Contain("the stream's overloaded operator"));
    }

    [Test]
    public void A_helper_template_that_streams_into_its_reference_parameter_makes_the_calling_loop_serial()
    {
        var loop = Loop("put_all");
        Assert.That(loop.Parallelizable, Is.False, "put(g_sink, …) writes g_sink through the instantiated operator<<");
        Assert.That(loop.Reason, Does.Contain("calls `put`, in which `os << s` applies `<<` to `os`"));
    }

    [TestCase("shift_elements")]
    [TestCase("shift_locals")]
    public void A_shift_of_a_value_the_code_owns_stays_a_value_behind_the_overlap_check(string function)
    {
        var loop = Loop(function);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain("in").And.Contain("out"));
    }

    [Test]
    public void A_callee_template_shifting_its_own_local_stays_pure()
    {
        var loop = Loop("halve_all");
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Is.Null);
    }
}
