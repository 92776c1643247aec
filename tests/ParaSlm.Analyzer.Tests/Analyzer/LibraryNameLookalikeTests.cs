using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A function the project declares itself under a pure library name, defined in another file, was judged by its name:
/// a logger `void log(const char *)` or a `max(int, const char *)` that records its calls made their loops parallel.
/// Only a value-to-value signature (`double (double)`, the unprototyped `double ()`) can be the library function when
/// the declaration is the project's own; declarations from system headers keep the name rule. Corpus:
/// cpp/library_name_lookalikes.cpp.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class LibraryNameLookalikeTests : CorpusFileFixture
{
    protected override string RelativePath => "cpp/library_name_lookalikes.cpp";

    [TestCase("with_logger", "log")]
    [TestCase("with_message", "log")]
    [TestCase("with_tagged_max", "max")]
    public void The_projects_own_function_under_a_library_name_is_not_taken_as_the_library_function(string function, string callee)
    {
        var loop = Loop(function);
        Assert.That(loop.Parallelizable, Is.False);
        Assert.That(loop.Reason, Does.Contain($"calls `{callee}`, which is not known to be free of side effects"));
    }

    [TestCase("with_libm_log")]
    [TestCase("with_redeclared_exp")]
    public void The_library_function_itself_or_its_value_signature_redeclared_stays_pure(string function) =>
        Assert.That(Loop(function).Parallelizable, Is.True);

    [TestCase("double (double)", true)]
    [TestCase("double ()", true)]
    [TestCase("int (int, int)", true)]
    [TestCase("long double (long double)", true)]
    [TestCase("float (const float)", true)]
    [TestCase("void (const char *)", false)]
    [TestCase("int (int, const char *)", false)]
    [TestCase("void (const Message &)", false)]
    [TestCase("double (double *)", false)]
    [TestCase("void (double)", false)]
    public void Only_a_value_to_value_function_type_can_be_a_pure_library_function(string type, bool expected) =>
        Assert.That(KnownFunctions.IsValueSignature(type), Is.EqualTo(expected));
}
