using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A loop kept serial because two pointers may overlap names the two pointers. Found on llama2.c (RunState's
/// buffers `s->x`, `s->xb`): the reason read "`s` and `s` may point to the same memory", which names neither buffer.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class AliasReasonNamingTests : SnippetFixture
{
    [Test]
    public void Two_buffers_of_one_struct_are_named_by_their_own_expressions()
    {
        // Loaded through an element other than the first (`s[1]`), a pointer has no text a check before the loop may read.
        const string source = """
            typedef struct { float *x; float *xb; } RunState;
            void residual(RunState *s, int dim) {
                float *x = s->x;
                for (int i = 0; i < dim; i++)
                    x[i] += s[1].xb[i];
            }
            """;
        var loop = Snippets.Single(source);
        Assert.That(loop.Parallelizable, Is.False, loop.Reason);
        Assert.That(loop.Reason, Does.Contain("`s[1].xb` and `s->x` may point to the same memory").Or.Contain("`s->x` and `s[1].xb` may point to the same memory"));
        Assert.That(loop.Reason, Does.Not.Contain("`s` and `s`"));
    }

    [Test]
    public void Two_float_buffers_of_one_struct_are_checked_not_to_overlap()
    {
        // A float store cannot change a `float *` member (strict aliasing): both loaded pointers keep their value, and the
        // loop runs in parallel when they do not overlap (llama2.c's RunState).
        const string source = """
            typedef struct { float *x; float *xb; } RunState;
            void residual(RunState *s, int dim) {
                float *x = s->x;
                for (int i = 0; i < dim; i++)
                    x[i] += s->xb[i];
            }
            """;
        var loop = Snippets.Single(source);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain("(const char *)(s->xb + dim)").And.Contain("(const char *)(s->x + dim)"));
    }

    [Test]
    public void A_range_for_iterator_call_is_named_as_such_not_by_its_colon()
    {
        // miniBUDE's nested range-for over std::vector read "calls the method `operator*` of `:`".
        const string source = """
            #include <vector>
            void f(std::vector<int> &a, std::vector<int> &b, std::vector<long> &out) {
                for (auto &x : a) {
                    for (auto &y : b) {
                        out[0] += x * y;
                    }
                }
            }
            """;
        var loops = Snippets.Loops(source, true);
        Assert.That(loops.Select(l => l.Reason), Has.None.Contains("of `:`"));
        Assert.That(loops.Select(l => l.Reason), Has.Some.Contains("the hidden iterator of the range-based `for` at line 3"));
    }
}
