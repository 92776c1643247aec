using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Classic C that GCC compiles with warnings but clang ≥ 16 rejects by default (NPB's C versions: K&amp;R `main`
/// without a type, calls to undeclared functions) is parsed as the user's compiler sees it, not reported as a file
/// that does not compile; an undeclared callee is still an unknown call.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class GccAcceptedCTests : SnippetFixture
{
    private const string KAndR = """
        double a[1000], b[1000];
        static init(n) int n; {
            int i;
            for (i = 0; i < n; i++)
                a[i] = 2.0 * b[i];
            return 0;
        }
        main(argc, argv) int argc; char **argv; {
            int i;
            init(1000);
            for (i = 0; i < 1000; i++)
                b[i] = timer_read(i);
            return 0;
        }
        """;

    [Test]
    public void A_K_and_R_file_with_an_undeclared_call_is_analyzed_and_that_call_keeps_its_loop_serial()
    {
        var loops = Snippets.Loops(KAndR, false, "-std=gnu17");
        Assert.That(loops, Has.Count.EqualTo(2));
        Assert.That(loops[0].Parallelizable, Is.True, loops[0].Reason);
        Assert.That(loops[1].Parallelizable, Is.False, loops[1].Reason);
        Assert.That(loops[1].Reason, Does.Contain("timer_read"));
    }

    [Test]
    public void A_users_own_Werror_for_those_warnings_still_makes_the_file_fail()
    {
        Assert.That(() => Snippets.Loops(KAndR, false, "-std=gnu17", "-Werror=implicit-function-declaration"),
            Throws.InstanceOf<ParaSlm.Analyzer.Clang.SourceParseException>().With.Message.Contains("PSLM0005"));
    }
}
