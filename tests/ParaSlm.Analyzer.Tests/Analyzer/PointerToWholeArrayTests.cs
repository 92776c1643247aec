using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// `(*B)[r][s]` through a pointer to a whole array (`double (*B)[N][N] = malloc(…)`, PolyBench's `POLYBENCH_ARRAY(B)` in
/// lu's and cholesky's set-up code): `*B` is an array, which decays to an address, so it loads nothing. The walker read
/// it as a load of memory that every element write might change, kept the loop serial, and the reason named an empty
/// access ("is read as `` by another iteration") where the expression came from a macro.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class PointerToWholeArrayTests : SnippetFixture
{
    [Test]
    public void Element_writes_through_a_pointer_to_a_whole_array_are_independent()
    {
        const string source = """
            #include <stdlib.h>
            #define N 100
            #define ARRAY(x) (*x)
            void f(int n) {
                double (*B)[N][N] = malloc(sizeof(double[N][N]));
                int r, s;
                for (r = 0; r < n; ++r)
                    for (s = 0; s < n; ++s)
                        (ARRAY(B))[r][s] = 0;
                free(B);
            }
            """;
        var outer = Snippets.Loops(source, false)[0];
        Assert.That(outer.Parallelizable, Is.True, outer.Reason);
    }

    [Test]
    public void A_dependence_between_rows_of_the_pointed_to_array_still_keeps_the_loop_serial()
    {
        const string source = """
            #include <stdlib.h>
            #define N 100
            void f(int n) {
                double (*B)[N][N] = malloc(sizeof(double[N][N]));
                int r, s;
                for (r = 1; r < n; ++r)
                    for (s = 0; s < n; ++s)
                        (*B)[r][s] = (*B)[r - 1][s] + 1.0;
                free(B);
            }
            """;
        var outer = Snippets.Loops(source, false)[0];
        Assert.That(outer.Parallelizable, Is.False);
        Assert.That(outer.Reason, Does.Contain("(*B)[r][s]").And.Not.Contain("``"));
    }

    [Test]
    public void A_pointer_to_an_array_that_the_loop_reassigns_is_still_a_dependence()
    {
        // Only the decay is free: a loop that changes which array B points to still reads and writes B itself.
        const string source = """
            #define N 100
            void f(int n, double (*B)[N][N], double (*C)[N][N]) {
                for (int r = 0; r < n; ++r) {
                    (*B)[r][0] = 1.0;
                    B = C;
                }
            }
            """;
        var loop = Snippets.Single(source);
        Assert.That(loop.Parallelizable, Is.False);
    }
}
