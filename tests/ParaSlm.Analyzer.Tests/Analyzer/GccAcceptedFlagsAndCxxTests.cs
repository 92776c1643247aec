using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Syntax;
using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Code and flags that GCC builds but clang rejects by default are parsed as the user's compiler sees them, not
/// reported as a file that does not compile (PSLM0005, which leaves the file serial). Found on real projects through
/// app.proj: miniBUDE's `devices.template emplace_back(…)` (clang ≥ 19 rejects a `template` keyword without a template
/// argument list), and projects building with `-Werror` plus GCC-only warning flags (`-Wlogical-op`), which clang
/// reports as unknown warning options — errors under -Werror — on every file.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class GccAcceptedFlagsAndCxxTests : SnippetFixture
{
    private const string Scale = """
        void scale(double *restrict a, const double *restrict b, int n) {
            for (int i = 0; i < n; i++)
                a[i] = 2.0 * b[i];
        }
        """;

    [Test]
    public void A_blanket_Werror_with_a_gcc_only_warning_flag_does_not_fail_the_parse()
    {
        var loop = Snippets.Single(Scale, false, "-Wall", "-Wextra", "-Werror", "-Wlogical-op", "-Wduplicated-cond");
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
    }

    /// <summary>clang-19 refuses these GCC options as unknown arguments (an error with no place in the source): the whole
    /// file used to be reported PSLM0005 and left serial.</summary>
    [TestCase("-fipa-pta")]
    [TestCase("-ftree-loop-vectorize")]
    [TestCase("-fno-tree-loop-vectorize")]
    [TestCase("-fopt-info-vec")]
    [TestCase("-fvect-cost-model=cheap")]
    [TestCase("-floop-interchange")]
    [TestCase("-fsched-pressure")]
    public void A_gcc_only_option_libclang_does_not_know_does_not_fail_the_parse(string option)
    {
        var loop = Snippets.Single(Scale, false, "-O3", option, "-fstrict-aliasing");
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
    }

    [Test]
    public void Only_the_unknown_arguments_are_dropped_the_file_s_defines_still_count()
    {
        const string source = """
            #ifndef WIDTH
            #error WIDTH must be defined
            #endif
            void scale(double *restrict a, const double *restrict b) {
                for (int i = 0; i < WIDTH; i++)
                    a[i] = 2.0 * b[i];
            }
            """;
        var loop = Snippets.Single(source, false, "-fipa-pta", "-DWIDTH=1000000");
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(() => Snippets.Loops(source, false, "-fipa-pta"),
            Throws.InstanceOf<SourceParseException>().With.Message.Contains("WIDTH must be defined"));
    }

    [Test]
    public void Unknown_arguments_are_read_from_both_forms_of_the_driver_s_message()
    {
        var found = ClangParser.UnknownArguments([
            new(DiagnosticSeverity.Error, "", 0, 0, "unknown argument: '-fipa-pta'", ""),
            new(DiagnosticSeverity.Error, "", 0, 0, "unknown argument '-ftree-loop-vectorize'; did you mean '-ftree-vectorize'?", ""),
            new(DiagnosticSeverity.Error, "a.c", 3, 1, "unknown argument: '-inside-source'", ""),
            new(DiagnosticSeverity.Warning, "", 0, 0, "unknown argument: '-just-a-warning'", ""),
        ]);
        Assert.That(found, Is.EquivalentTo(new[] { "-fipa-pta", "-ftree-loop-vectorize" }));
    }

    [Test]
    public void A_blanket_Werror_does_not_fail_the_parse_on_a_warning_only_clang_gives()
    {
        // clang warns about `x = x` (-Wself-assign in -Wall) where GCC 12 says nothing.
        const string source = """
            void scale(double *restrict a, const double *restrict b, int n) {
                n = n;
                for (int i = 0; i < n; i++)
                    a[i] = 2.0 * b[i];
            }
            """;
        var loop = Snippets.Single(source, false, "-Wall", "-Werror");
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
    }

    [Test]
    public void A_specific_Werror_of_the_user_still_fails_the_parse()
    {
        const string source = """
            void scale(double *a, int n) {
                for (int i = 0; i < n; i++)
                    a[i] = undeclared_helper(i);
            }
            """;
        Assert.That(() => Snippets.Loops(source, false, "-std=gnu17", "-Werror=implicit-function-declaration", "-Wno-error"),
            Throws.InstanceOf<SourceParseException>().With.Message.Contains("PSLM0005"));
    }

    [Test]
    public void Cxx_that_gcc_accepts_and_clang_rejects_by_default_is_analyzed()
    {
        const string source = """
            #include <vector>
            struct Device { Device(int, const char *) {} };
            enum Mode { A, B };
            constexpr Mode beyond = (Mode)7;
            std::vector<Device> devices() {
                std::vector<Device> v;
                v.template emplace_back(0, "Serial CPU");
                return v;
            }
            void scale(double *__restrict a, const double *__restrict b, int n, double x) {
                register int unused = 0;
                int narrowed[] = { x };
                for (int i = 0; i < n; i++)
                    a[i] = 2.0 * b[i] + narrowed[0] + unused;
            }
            """;
        var loop = Snippets.Single(source, true);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
    }

    [Test]
    public void The_parse_arguments_cancel_a_blanket_Werror_after_the_files_own_flags()
    {
        var args = ClangParser.ParseArguments(["-O3", "-Werror", "-Wlogical-op"]);
        Assert.That(Array.LastIndexOf(args, "-Wno-error"), Is.GreaterThan(Array.IndexOf(args, "-Werror")));
        Assert.That(args, Does.Contain("-Wno-error=missing-template-arg-list-after-template-kw"));
    }
}
