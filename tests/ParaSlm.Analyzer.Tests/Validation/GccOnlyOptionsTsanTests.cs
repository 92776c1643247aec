using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// A gcc project built with GCC-only optimizer options (`-fipa-pta`, `-fvect-cost-model=dynamic`,
/// `-ftree-loop-vectorize`, `-fsched-pressure`) that clang's driver refuses as unknown arguments: the TSan build is
/// clang's, so it compiles without exactly those (PSLM5011 names them), still catches a race, and still fails loudly
/// when clang refuses the project for another reason.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class GccOnlyOptionsTsanTests
{
    private const string GccOnly = "-O3 -fipa-pta -fvect-cost-model=dynamic -ftree-loop-vectorize";

    private static string CMakeLists(string sources) => $"""
        cmake_minimum_required(VERSION 3.16)
        project(gcc_only C)
        # A directory-wide flag too: CMAKE_C_FLAGS is on the compile and the link lines.
        string(APPEND CMAKE_C_FLAGS " -fsched-pressure")
        add_executable(app {sources})
        target_compile_options(app PRIVATE {GccOnly} -DWIDTH=3)
        """;

    private const string Kernels = """
        void bump(void);
        void scale(double *restrict out, const double *restrict in, int n)
        {
            for (int i = 0; i < n; i++)
                out[i] = WIDTH * in[i];
        }

        void tag(int *restrict out, int n, int m)
        {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++)
                    out[i * m + j] = i + j;
                bump();
            }
        }
        """;

    private const string Main = """
        #include <stdio.h>
        #include <stdlib.h>
        extern int calls;
        void scale(double *restrict out, const double *restrict in, int n);
        void tag(int *restrict out, int n, int m);
        int main(void)
        {
            int n = 4000, m = 8;
            double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
            int *t = malloc(sizeof(int) * n * m);
            for (int i = 0; i < n; i++) in[i] = i % 11;
            scale(out, in, n);
            tag(t, n, m);
            double s = 0;
            long u = 0;
            for (int i = 0; i < n; i++) s += out[i];
            for (int i = 0; i < n * m; i++) u += t[i];
            printf("scale: %.1f\ntag: %ld\ncalls: %d\n", s, u, calls);
            free(in); free(out); free(t);
            return 0;
        }
        """;

    private static ValidationProject Project(string sources = "main.c kernels.c counter.c")
    {
        GenerationWorkspace.RequireTool("gcc");
        var p = new ValidationProject();
        p.Write("CMakeLists.txt", CMakeLists(sources));
        p.Write("kernels.c", Kernels);
        p.Write("main.c", Main);
        p.Write("counter.c", "int calls;\nvoid bump(void) { calls++; }\n");
        return p;
    }

    private static void AssertLeftOutSaid(string output) =>
        Assert.That(output, Does.Match(@"PSLM5011: info: the tsan build compiles with clang\S*, which does not know -fsched-pressure, -fipa-pta, " +
                                       @"-fvect-cost-model=dynamic, -ftree-loop-vectorize \(options of your compiler\): it leaves them out and keeps every other flag"));

    [Test]
    public void A_gcc_project_with_gcc_only_optimizer_options_validates_under_tsan_without_them()
    {
        using var p = Project();
        p.Build();
        Assert.That(File.ReadAllText(Path.Combine(p.SerialTree, "compile_commands.json")), Does.Contain("-fipa-pta"), "precondition: gcc builds with them");
        var (code, output, err) = p.Validate("--validate", "tsan", "--runs", "2");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("PSLM5005"), "clang must not refuse the build for options it does not know");
        AssertLeftOutSaid(output);
        Assert.That(Regex.Matches(output, "PSLM5011").Count, Is.EqualTo(1), "said once");
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Variants.Single().Status, Is.EqualTo("passed"), output);
            Assert.That(summary.Loops.Single(l => l.Function == "scale").Status, Is.EqualTo("kept"));
            Assert.That(summary.Final!.Status, Is.EqualTo("equal"));
        });
        // Every other flag reaches clang: the -D the project's sources need (WIDTH), -O3, the sanitizer.
        var commands = File.ReadAllText(Path.Combine(p.Root, "build", "paraslm-tsan", "compile_commands.json"));
        Assert.That(commands, Does.Contain("-DWIDTH=3").And.Contain("-O3").And.Contain("-fsanitize=thread"));
    }

    [Test]
    public void A_race_is_still_found_by_tsan_when_the_project_has_gcc_only_options()
    {
        using var p = Project();
        var kernels = Path.Combine(p.Root, "kernels.c");
        p.Build("bump");
        var (code, output, err) = p.Validate("--validate", "tsan", "--runs", "3");
        Assert.That(code, Is.EqualTo(0), err);
        AssertLeftOutSaid(output);
        Assert.That(output, Does.Match($@"{Regex.Escape(kernels)}\(10,5\): warning PSLM5001: loop reverted: tsan found ThreadSanitizer: data race at \S+counter\.c:2:\d+ in bump"), output);
        Assert.That(p.Summary.Loops.Single(l => l.Function == "scale").Status, Is.EqualTo("kept"), "only the racing loop is reverted");
    }

    [Test]
    public void Clang_refusing_the_project_for_another_reason_still_fails_the_tsan_build_loudly()
    {
        // A nested function: GCC's extension, which clang does not implement. Leaving out unknown options cannot fix that.
        using var p = Project("main.c kernels.c counter.c nested.c");
        p.Write("nested.c", "int twice(int x)\n{\n    int add(int y) { return x + y; }\n    return add(x);\n}\n");
        p.Build();
        var (code, output, err) = p.Validate("--validate", "tsan", "--runs", "2");
        Assert.That(code, Is.EqualTo(0), err);
        AssertLeftOutSaid(output);
        Assert.That(output, Does.Match(@"warning PSLM5005: tsan validation could not judge the loops: .*nested\.c:3:\d+: error: function definition is not allowed here"));
        Assert.That(p.Summary.Variants.Single().Status, Is.EqualTo("build-failed"));
    }
}
