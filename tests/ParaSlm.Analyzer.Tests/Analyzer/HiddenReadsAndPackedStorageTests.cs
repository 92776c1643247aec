using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Reads and writes that do not look like array accesses: the loop condition (evaluated every iteration),
/// library calls that read through their pointer arguments, and std::vector&lt;bool&gt;'s packed elements.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class HiddenReadsAndPackedStorageTests : SnippetFixture
{
    [Test]
    public void A_bound_read_through_a_pointer_that_may_alias_the_written_array_needs_a_runtime_check()
    {
        var l = Snippets.Single("void f(int *a, int *len) { for (int i = 0; i < *len; i++) a[i] = 0; }");
        Assert.That(l.Parallelizable, Is.True, SnippetAnalyzer.Describe(l));
        Assert.That(l.RuntimeCheck, Does.Contain("len").And.Contain("a"), "the check must keep the writes away from *len");
    }

    [Test]
    public void A_bound_read_from_the_array_the_loop_writes_is_a_carried_dependence()
    {
        var l = Snippets.Single("void f(int *a) { for (int i = 0; i < a[0]; i++) a[i] = 0; }");
        Assert.That(l.Parallelizable, Is.False, "iteration 0 writes a[0], which every later condition reads");
    }

    [Test]
    public void A_bound_read_from_an_element_the_loop_never_writes_does_not_block()
    {
        var l = Snippets.Single("void f(int *a) { for (int i = 0; i < a[0]; i++) a[i + 1] = 0; }");
        Assert.That(l.Parallelizable, Is.True, SnippetAnalyzer.Describe(l));
    }

    [Test]
    public void Strlen_reads_what_its_pointer_points_to_so_writing_that_string_is_sequential()
    {
        var l = Snippets.Single("#include <string.h>\nvoid f(char *s, int n) { for (int i = 0; i < n; i++) s[i] = (char)strlen(s); }");
        Assert.That(l.Parallelizable, Is.False);
    }

    [Test]
    public void Strlen_of_a_restrict_string_the_loop_does_not_write_is_fine()
    {
        var l = Snippets.Single("#include <string.h>\nvoid f(char *restrict s, char *restrict t, int n) { for (int i = 0; i < n; i++) t[i] = (char)strlen(s); }");
        Assert.That(l.Parallelizable, Is.True, SnippetAnalyzer.Describe(l));
    }

    [Test]
    public void Writing_different_elements_of_a_vector_of_bool_is_sequential_because_they_share_words()
    {
        var l = Snippets.Single("#include <vector>\nvoid f(std::vector<bool>& v, int n) { for (int i = 0; i < n; i++) v[i] = true; }", cpp: true);
        Assert.That(l.Parallelizable, Is.False);
    }

    [Test]
    public void Writing_different_elements_of_a_vector_of_char_is_parallel()
    {
        var l = Snippets.Single("#include <vector>\nvoid f(std::vector<char>& v, int n) { for (int i = 0; i < n; i++) v[i] = 1; }", cpp: true);
        Assert.That(l.Parallelizable, Is.True, SnippetAnalyzer.Describe(l));
    }
}
