using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>libclang's offsets count bytes: text quoted from a file with multi-byte characters must still be the
/// right span (it was shifted by the number of extra bytes before it).</summary>
[TestFixture]
[Category("Unit")]
public sealed class NonAsciiSourceTests : SnippetFixture
{
    [Test]
    public void A_reason_quotes_the_accesses_exactly_after_multi_byte_characters()
    {
        var loop = Snippets.Single("""
            /* Größe, Schrödinger, naïve, 日本語, emoji 🚀: every one of these is several bytes in UTF-8. */
            double a[1000];
            void f(int n) {
                // Ränder: élément précédent
                for (int i = 1; i < n; i++)
                    a[i] = a[i - 1] * 0.5;
            }
            """);
        Assert.That(loop.Parallelizable, Is.False);
        Assert.That(loop.Reason, Does.Contain("`a[i]` written at line 6 is read as `a[i - 1]`"), loop.Reason);
    }

    [Test]
    public void An_existing_pragma_above_a_loop_is_found_after_multi_byte_characters()
    {
        var loop = Snippets.Single("""
            /* Grüße — «guillemets» — 日本語 */
            double a[1000];
            void f(int n) {
                #pragma omp parallel for
                for (int i = 0; i < n; i++)
                    a[i] = 2.0 * a[i];
            }
            """, false, "-fopenmp");
        Assert.That(loop.HasOpenMPDirective, Is.True, SnippetAnalyzer.Describe(loop));
    }
}
