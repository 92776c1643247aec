using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// The user's OpenMP configuration is the user's: a rewritten copy is compiled with OpenMP (for ParaSlm's directives),
/// yet `#if _OPENMP` code stays as the user's build sets it, and loops under the user's own directives are left alone.
/// Every case runs through the real engine and the real compilers (gcc/g++ and clang-19/clang++-19, C and C++).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class UserOpenMPConfigurationTests : EngineFixture
{
    // `mode()` says which side of `#if _OPENMP` was compiled; `sum` carries the user's own pragma inside
    // `#ifdef _OPENMP` (with a continuation line), `user` a bare one; `scale` is ParaSlm's to parallelize.
    private const string Program = """
        #include <stdio.h>
        #ifdef _OPENMP
        #include <omp.h>
        #endif
        static double a[200000], b[200000];
        int mode(void)
        {
        #if _OPENMP
            return 1 + (omp_get_max_threads() > 0);
        #else
            return 0;
        #endif
        }
        double sum(int n)
        {
            double s = 0;
            int i;
        #ifdef _OPENMP
        #pragma omp parallel for reduction(+:s) \
            private(i)
        #endif
            for (i = 0; i < n; i++)
                s += a[i];
            return s;
        }
        void scale(int n)
        {
            for (int i = 0; i < n; i++)
                b[i] = 2.0 * a[i];
        }
        void user(int n)
        {
        #pragma omp parallel for
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 4; j++)
                    b[i] += 1.0;
            }
        }
        int main(void)
        {
            for (int i = 0; i < 200000; i++)
                a[i] = i % 7;
            scale(200000);
            user(200000);
            printf("mode=%d sum=%.1f b=%.1f\n", mode(), sum(200000), b[199999]);
            return 0;
        }
        """;

    private static readonly object[] Compilers =
    [
        new object[] { "gcc", "c" }, new object[] { "g++", "c++" },
        new object[] { "clang-19", "c" }, new object[] { "clang++-19", "c++" },
    ];

    private (string Copy, string Report) Apply(string language, bool userOpenMP)
    {
        var file = Ws.Write(language == "c" ? "src/prog.c" : "src/prog.cpp", Program);
        string[] args = userOpenMP ? ["-fopenmp", language == "c" ? "-std=c11" : "-std=c++17"] : [language == "c" ? "-std=c11" : "-std=c++17"];
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, args)) with { Strategy = "analyzer", Cache = "off" });
        Assert.That(code, Is.EqualTo(0), err);
        var row = Ws.Outputs().Single();
        Assert.That(row[2], Is.EqualTo("rewritten"), "scale() and main()'s loop are ParaSlm's to parallelize");
        return (row[1], File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.md")));
    }

    private string CompileAndRun(string compiler, string copy, string language)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var exe = Path.Combine(Ws.Root, "prog");
        var build = GenerationWorkspace.Run(cc, ["-fopenmp", "-O2", language == "c" ? "-std=c11" : "-std=c++17", copy, "-o", exe]);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
        Assert.That(build.StdErr, Does.Not.Contain("warning"), "the copy compiles as cleanly as the original");
        var run = GenerationWorkspace.Run(exe, [], environment: new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "2" });
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        return run.StdOut.Trim();
    }

    [TestCaseSource(nameof(Compilers))]
    public void Where_the_users_build_has_no_OpenMP_the_parallel_copy_keeps_OPENMP_undefined(string compiler, string language)
    {
        var (copy, _) = Apply(language, userOpenMP: false);
        Assert.That(CompileAndRun(compiler, copy, language), Is.EqualTo("mode=0 sum=599994.0 b=8.0"),
            "the `#if _OPENMP` side the user's build compiles, and the same results");
        var preprocessed = GenerationWorkspace.Run(GenerationWorkspace.RequireTool(compiler), ["-fopenmp", "-E", copy]);
        Assert.That(preprocessed.StdOut, Does.Not.Contain("omp.h"), "the user's `#include <omp.h>` under `#ifdef _OPENMP` stays off");
    }

    [TestCaseSource(nameof(Compilers))]
    public void Where_the_users_build_has_OpenMP_their_directives_stay_theirs_and_their_code_stays_on(string compiler, string language)
    {
        var (copy, report) = Apply(language, userOpenMP: true);
        Assert.That(CompileAndRun(compiler, copy, language), Is.EqualTo("mode=2 sum=599994.0 b=8.0"));
        var text = File.ReadAllText(copy);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("#undef _OPENMP"));
            Assert.That(CountOf(text, "#pragma omp"), Is.EqualTo(4), "the user's two directives, once each, plus ParaSlm's two (scale, main)");
            Assert.That(report, Does.Contain("the user's own OpenMP directive (`#pragma omp parallel for reduction(+:s) private(i)`)"),
                "the pragma inside `#ifdef _OPENMP`, continuation joined, is reported as the user's");
            Assert.That(report, Does.Contain("the user's own OpenMP directive (`#pragma omp parallel for`)"));
            Assert.That(report, Does.Not.Contain("does not enable OpenMP"), "their build runs their directives");
        });
    }

    [Test]
    public void A_users_bare_pragma_stays_inert_in_the_copy_when_their_build_has_no_OpenMP()
    {
        var (copy, report) = Apply("c", userOpenMP: false);
        var text = File.ReadAllText(copy);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith("#undef _OPENMP\n").And.Contain("\n#line 1 "));
            Assert.That(CountOf(text, "#pragma omp"), Is.EqualTo(2), "only ParaSlm's own directives are active in the copy");
            Assert.That(report, Does.Contain("`#pragma omp parallel for`) applies to this loop; it is left as written"));
            // "left as written" alone read as if the loop ran in parallel (llama2.c's matmul, built with plain -O3).
            Assert.That(report, Does.Contain("this file's build does not enable OpenMP, so the directive is inactive and the loop runs serially"));
        });
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
