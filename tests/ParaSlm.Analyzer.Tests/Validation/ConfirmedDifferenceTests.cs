using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// An output difference blames a loop only when it is confirmed and the loop is in a program the test runs (issue #12,
/// found on PolyBench: a bare kernel time that two reference runs printed alike by chance reverted 12 of 17 loops, most
/// of them in executables the test command never ran). The fixtures stand in for that clock line with a per-build run
/// counter: the first two runs of each build print the same value, later ones another — deterministic, and a line that
/// really does vary by itself.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ConfirmedDifferenceTests
{
    // Prints `warm-up: 0` in a build's first two runs and the run's number after that (a stand-in for a timing line).
    private const string Warmup = """
        #include <stdio.h>
        static int warmup(const char *file)
        {
            int c = 0;
            FILE *f = fopen(file, "r");
            if (f) { if (fscanf(f, "%d", &c) != 1) c = 0; fclose(f); }
            f = fopen(file, "w");
            if (f) { fprintf(f, "%d\n", c + 1); fclose(f); }
            return c < 2 ? 0 : c;
        }
        """;

    private const string Square = """
        void square(double *restrict out, const double *restrict in, int n)
        {
            for (int i = 0; i < n; i++)
                out[i] = in[i] * in[i];
        }
        """;

    private const string Other = """
        #include <stdio.h>
        #include <stdlib.h>
        int main(void)
        {
            int n = 50000;
            double *a = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n);
            for (int i = 0; i < n; i++)
                a[i] = (i % 13) * 0.5;
            for (int i = 0; i < n; i++)
                b[i] = a[i] * 3 + 1;
            double s = 0;
            for (int i = 0; i < n; i++) s += b[i];
            printf("other: %.1f\n", s);
            free(a); free(b);
            return 0;
        }
        """;

    private static string AppMain(string extraDeclarations, string extraBody) => Warmup + "\n" + $$"""
        #include <stdlib.h>
        void square(double *restrict out, const double *restrict in, int n);
        {{extraDeclarations}}
        int main(void)
        {
            int n = 400000;
            double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
            for (int i = 0; i < n; i++) in[i] = i % 17;
            square(out, in, n);
            double s = 0;
            for (int i = 0; i < n; i++) s += out[i];
            printf("warm-up: %d\nsquares: %.1f\n", warmup(RUNS_FILE), s);
            {{extraBody}}
            free(in); free(out);
            return 0;
        }
        """;

    // Prints the thread count it was given: probes and the final program run with OMP_NUM_THREADS set, the references
    // without, so its output differs in every probe and in no reference run — a difference no loop can cause (it has none).
    private const string Tool = """
        #include <stdio.h>
        #include <stdlib.h>
        int main(void)
        {
            const char *t = getenv("OMP_NUM_THREADS");
            printf("threads: %s\n", t ? t : "default");
            return 0;
        }
        """;

    private const string CMake = """
        cmake_minimum_required(VERSION 3.16)
        project(confirm C)
        add_library(kern STATIC kernels.c)
        add_executable(app main.c ids.c)
        target_link_libraries(app PRIVATE kern)
        target_compile_definitions(app PRIVATE RUNS_FILE="${CMAKE_BINARY_DIR}/app.runs")
        add_executable(tool tool.c)
        add_executable(other other.c)
        """;

    private static ValidationProject Project(string main)
    {
        var p = new ValidationProject();
        p.Write("CMakeLists.txt", CMake);
        p.Write("kernels.c", Square);
        p.Write("main.c", main);
        p.Write("tool.c", Tool);
        p.Write("other.c", Other);
        // Not pure: each call returns the next number (ParaSlmAssumePure=next_id is a false assertion).
        p.Write("ids.c", "static long counter;\nlong next_id(void) { return ++counter; }\n");
        return p;
    }

    [Test]
    public void A_line_that_a_fresh_reference_run_prints_differently_reverts_no_loop_and_the_verdict_says_why()
    {
        using var p = Project(AppMain(string.Empty, string.Empty));
        p.Build();
        var loops = p.State.Sources.Values.SelectMany(s => s.Applied).Count();
        Assert.That(loops, Is.GreaterThanOrEqualTo(3), "loops in app's library and in other");
        var (code, output, err) = p.Validate("--validate", "asan", "--runs", "2", "--test-command", "{exe:app}");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("PSLM5001").And.Not.Contain("PSLM5004"), "no loop is blamed for a line that varies by itself");
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Variants.Single().Status, Is.EqualTo("passed"));
            Assert.That(summary.Loops.Select(l => l.Status), Is.All.EqualTo("kept"));
            Assert.That(summary.Variants.Single().Message, Does.Contain(
                "test test-command: difference not confirmed: the asan reference (no loop parallel) printed line 1 differently in a fresh run (line 1 as \"warm-up: 3\" (before: \"warm-up: 0\"))"));
            Assert.That(summary.Final!.Status, Is.EqualTo("equal"));
        });
        Assert.That(err, Does.Contain("running the asan reference (no loop parallel) again to confirm"));
        Assert.That(p.State.Rejected, Is.Empty);
    }

    [Test]
    public void A_confirmed_difference_reverts_the_loop_behind_it_and_never_a_loop_of_another_executable()
    {
        // next_id is declared pure but returns a running counter: the loop numbering the items prints another checksum
        // in parallel (the same planted fault as Fixtures/ValidateVcx). other's loops are in a program the test never runs.
        using var p = Project(AppMain("long next_id(void);",
            """
            long *id = malloc(sizeof(long) * n);
            for (int i = 0; i < n; i++)
                id[i] = next_id();
            long weighted = 0;
            for (int i = 0; i < n; i++)
                weighted = (weighted * 31 + id[i] * (long)i) % 1000000007L;
            printf("ids: %ld\n", weighted);
            free(id);
            """));
        p.Build("next_id");
        var main = Path.Combine(p.Root, "main.c");
        var other = Path.Combine(p.Root, "other.c");
        Assert.That(p.State.Sources[other].Applied, Is.Not.Empty, "other has parallel loops of its own");
        var (code, output, err) = p.Validate("--validate", "asan", "--runs", "2", "--test-command", "{exe:app} 2>&1");
        Assert.That(code, Is.EqualTo(0), err);
        var idLine = File.ReadAllLines(main).ToList().FindIndex(l => l.Contains("id[i] = next_id()")); // 0-based: the `for` is the line before
        var warning = Regex.Match(output, @"^(?<where>\S+): warning PSLM5001: loop reverted: asan found test test-command differs from the serial build with \d+ threads: line 3: serial ""ids: \d+"", got ""ids: \d+""(?<rest>.*)$", RegexOptions.Multiline);
        Assert.That(warning.Success, Is.True, output);
        Assert.That(warning.Groups["where"].Value, Does.StartWith($"{main}({idLine},"));
        Assert.That(warning.Groups["rest"].Value, Does.Contain("test test-command runs app, whose sources hold"));
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Loops.Where(l => l.File == other).Select(l => l.Status), Is.All.EqualTo("kept"), "never blamed for app's output");
            Assert.That(summary.Loops.Where(l => l.Status == "reverted").Select(l => l.Line), Is.EqualTo(new[] { idLine }));
            Assert.That(summary.Variants.Single().Message, Does.Contain("difference confirmed on line 3: 2 fresh run(s) of the asan reference (no loop parallel) printed it as before"));
            Assert.That(summary.Final!.Status, Is.EqualTo("equal"));
        });
        // Bisection probed only app's loops: every asan probe had other's loops serial, except the first.
        var probes = Regex.Matches(err, @"asan with (\d+) loop\(s\) parallel").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        var otherLoops = p.State.Sources[other].Applied.Count;
        Assert.That(probes.Skip(1), Is.All.LessThanOrEqualTo(probes[0] - otherLoops), string.Join(",", probes));
    }

    [Test]
    public void A_difference_in_a_program_without_parallel_loops_blames_none_of_the_others()
    {
        using var p = Project(AppMain(string.Empty, string.Empty));
        p.Build();
        var (code, output, err) = p.Validate("--validate", "asan", "--runs", "2", "--test-command", "{exe:tool}", "--on-failure", "warn");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("PSLM5001"));
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Loops, Is.Not.Empty);
            Assert.That(summary.Loops.Select(l => l.Status), Is.All.EqualTo("kept"), "no loop of app or other is blamed for tool's output");
            Assert.That(summary.Variants.Single().Status, Is.EqualTo("passed"));
            Assert.That(summary.Variants.Single().Message, Does.Contain("but test test-command runs tool, which holds none of the parallel loops, so no loop is blamed"));
            Assert.That(summary.Variants.Single().Message, Does.Contain("difference confirmed on line 1: 2 fresh run(s) of the asan reference (no loop parallel) printed it as before"));
            // The final program differs too (it runs with OMP_NUM_THREADS), and PSLM5004 reverts nothing: tool has no loop.
            Assert.That(summary.Final!.Status, Is.EqualTo("different"));
            Assert.That(summary.Final.Kept, Does.Contain("test test-command runs tool; the " + summary.Loops.Count + " loop(s) in other programs were kept"));
        });
        Assert.That(output, Does.Contain("warning PSLM5004"));
        Assert.That(p.State.Rejected, Is.Empty);
    }
}
