using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// Validation a user can trust (issue #13), on real CMake projects through `paraslm validate`: it never passes without
/// running a program, never blames a loop for what the compiler, the sanitizer or the clock does, never leaves a
/// program that differs from the serial build, names both sides of a race and their loop, and its rejections last.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ValidationTrustTests
{
    private const string Kernel = """
        void square(double *restrict out, const double *restrict in, int n)
        {
            for (int i = 0; i < n; i++)
                out[i] = in[i] * in[i];
        }
        """;

    private const string Main = """
        #include <stdio.h>
        #include <stdlib.h>
        void square(double *restrict out, const double *restrict in, int n);
        int main(int argc, char **argv)
        {
            int n = argc > 1 ? atoi(argv[1]) * 1000 : 20000;
            double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
            for (int i = 0; i < n; i++) in[i] = i % 17;
            square(out, in, n);
            double s = 0;
            for (int i = 0; i < n; i++) s += out[i];
            printf("squares: %.1f\n", s);
            free(in); free(out);
            return 0;
        }
        """;

    private static ValidationProject Project(string cmake, string kernels = Kernel, string main = Main)
    {
        var p = new ValidationProject();
        p.Write("CMakeLists.txt", cmake);
        p.Write("kernels.c", kernels);
        p.Write("main.c", main);
        return p;
    }

    [Test]
    public void A_test_command_that_runs_no_program_of_the_build_fails_validation_and_never_passes()
    {
        using var p = Project("""
            cmake_minimum_required(VERSION 3.16)
            project(vacuous C)
            add_executable(app main.c kernels.c)
            add_executable(helper main.c kernels.c)
            """);
        p.Build();

        // `{exe}` in a project with two programs: no empty string, no run.
        var several = p.Validate("--validate", "asan", "--runs", "1", "--test-command", "{exe} -s 10 -i 40");
        Assert.That(several.Out, Does.Match(@"error PSLM5007: validation could not run: ParaSlmValidateTestCommand uses \{exe\}, but the project builds several executables \(app, helper\)"));
        Assert.That(several.Out, Does.Not.Contain("passed"));

        // A command that runs nothing the build made: every "run" would agree with every other.
        var nothing = p.Validate("--validate", "asan", "--runs", "1", "--test-command", "echo ok");
        Assert.That(nothing.Out, Does.Contain("error PSLM5007: validation could not run: the tests ran no program of the asan build"));
        Assert.That(nothing.Out, Does.Not.Contain("final program equals"));

        // The shell finds no program: exit 127 everywhere is not agreement.
        var missing = p.Validate("--validate", "asan", "--runs", "1", "--test-command", "./no-such-program 3", "--on-failure", "warn");
        Assert.That(missing.Out, Does.Contain("warning PSLM5007: validation could not run: the test command ran no program: `./no-such-program 3` exited with 127"));

        // `{exe:TARGET}` names one of them, and then the program really runs under the sanitizer.
        var named = p.Validate("--validate", "asan", "--runs", "2", "--test-command", "{exe:app} 30");
        Assert.That(named.Code, Is.EqualTo(0), named.Err);
        Assert.That(named.Out, Does.Not.Contain("PSLM5007"));
        Assert.That(named.Out, Does.Match(@"validation \(asan passed\): \d+ parallel loop\(s\), \d+ kept, 0 reverted; final program equals the serial build in 2/2 run\(s\)"));
    }

    [Test]
    public void Output_that_depends_on_the_compiler_or_the_clock_raises_no_alarm_and_is_reported_as_not_compared()
    {
        // The serial build is gcc's, the TSan build clang's: what the compiler prints differs between them, and only
        // between them. The seed comes from the clock: two runs in different seconds print different numbers.
        using var p = Project("""
            cmake_minimum_required(VERSION 3.16)
            project(selfvarying C)
            add_executable(app main.c kernels.c)
            """, main: Main.Replace("int main(int argc, char **argv)\n{", """
            #include <time.h>
            int main(int argc, char **argv)
            {
            #ifdef __clang__
                printf("compiler: clang %d\n", __clang_major__);
            #else
                printf("compiler: gcc %d\n", __GNUC__);
            #endif
                srand((unsigned)time(NULL));
                printf("sample: %d\n", rand() % 100000);
            """));
        p.Build();
        var (code, output, err) = p.Validate("--validate", "all", "--runs", "2");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("warning PSLM").And.Not.Contain("error PSLM"), "no false alarm");
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Variants.Select(v => (v.Name, v.Status)), Is.EqualTo(new[] { ("tsan", "passed"), ("asan", "passed") }));
            Assert.That(summary.Final!.Status, Is.EqualTo("equal"));
            Assert.That(summary.Variants.Single(v => v.Name == "tsan").Ignored, Has.Some.Contains("line 2 \"sample: ").And.Some.Contains("a random seed"));
        });
        Assert.That(err, Does.Contain("tsan reference (no loop parallel)"), "each variant is compared with its own build with no loop parallel");
        var report = File.ReadAllText(Path.Combine(p.Inter, "report", "paraslm-report.md"));
        Assert.That(report, Does.Contain("Output not compared").And.Contain("tsan: app line 2 \"sample: "));
    }

    [Test]
    public void A_programs_own_sanitizer_reports_fail_neither_a_probe_nor_the_final_program_and_no_line_says_failed()
    {
        // The project builds with its own -fsanitize=undefined and overflows on purpose in serial code (libfixmath's
        // overflow tests): every run prints a UBSan report, with or without ParaSlm's loop.
        using var p = Project("""
            cmake_minimum_required(VERSION 3.16)
            project(ownubsan C)
            add_executable(app main.c kernels.c)
            target_compile_options(app PRIVATE -fsanitize=undefined)
            target_link_options(app PRIVATE -fsanitize=undefined)
            """, main: Main.Replace("    square(out, in, n);", """
                volatile int big = 2147483647;
                big += argc;
                printf("wrapped: %d\n", big);
                square(out, in, n);
            """));
        p.Build();
        var (code, output, err) = p.Validate("--validate", "tsan", "--runs", "1");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.Multiple(() =>
        {
            Assert.That(p.Summary.Variants.Single().Status, Is.EqualTo("passed"));
            // The final program (gcc, the project's own -fsanitize=undefined) reports the overflow as the serial build does.
            Assert.That(p.Summary.Final!.Status, Is.EqualTo("equal"), p.Summary.Final.Message);
            Assert.That(output, Does.Not.Contain("PSLM5004"), "the loop is not reverted for the program's own report");
            Assert.That(err, Does.Contain("tsan reference (no loop parallel): 1 sanitizer finding(s) of the program itself").And.Contain("signed integer overflow"));
            Assert.That(err, Does.Match(@"tsan with \d+ loop\(s\) parallel: passed"));
            Assert.That(err + output, Does.Not.Contain("loop(s) parallel: failed"), "no line says a probe failed when the verdict is a pass");
        });
    }

    [Test]
    public void A_final_program_that_differs_from_the_serial_build_is_replaced_by_the_serial_program_with_an_error()
    {
        // Only the final program (gcc, libgomp) holds calls into libgomp; the TSan builds use libomp. So TSan passes
        // every loop, and the final check sees a difference that no loop can be blamed for.
        using var p = Project("""
            cmake_minimum_required(VERSION 3.16)
            project(differs C)
            add_executable(app main.c kernels.c)
            """);
        p.Build();
        GenerationWorkspace.RequireTool("nm");
        var command = "{exe} 5 && nm {exe} | grep -c GOMP_parallel || true";
        var (code, output, err) = p.Validate("--validate", "tsan", "--runs", "2", "--test-command", command);
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Contain("error PSLM5004: the final parallel program does not match the serial build: test test-command differs from the serial build"));
        Assert.That(output, Does.Contain("the build's outputs are the serial program (checked: it matches the serial build)"));
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Variants.Single().Status, Is.EqualTo("passed"));
            Assert.That(summary.Final!.Status, Is.EqualTo("different"));
            Assert.That(summary.Final.RevertedToSerial, Is.True);
            Assert.That(summary.Final.AfterRevert, Is.EqualTo("equal"));
            Assert.That(summary.Final.Detail, Does.Contain("serial \"0\", got \"1\""), "the report says exactly what differed");
            Assert.That(summary.Loops.Select(l => (l.Status, l.Variant)), Is.All.EqualTo(("reverted", "final")));
            Assert.That(p.State.Rejected.Select(r => r.Variant), Is.All.EqualTo("final"));
            Assert.That(p.State.Sources.Values.SelectMany(s => s.Applied), Is.Empty, "no loop is parallel any more");
        });
        var nm = GenerationWorkspace.Run("nm", [Path.Combine(p.ParallelTree, "app")], p.Root);
        Assert.That(nm.StdOut, Does.Not.Contain("GOMP_parallel"), "the build's output is the serial program");
        var report = File.ReadAllText(Path.Combine(p.Inter, "report", "paraslm-report.md"));
        Assert.That(report, Does.Contain("(PSLM5004), so every loop was reverted").And.Contain("serial \"0\", got \"1\""));
    }

    [Test]
    public void A_race_is_reported_with_both_accesses_and_its_loop_and_stays_serial_after_obj_is_deleted()
    {
        using var p = Project("""
            cmake_minimum_required(VERSION 3.16)
            project(race C)
            add_executable(app main.c kernels.c counter.c)
            """, kernels: """
            void bump(void);
            void tag(int *restrict out, int n, int m)
            {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++)
                        out[i * m + j] = i + j;
                    bump();
                }
            }
            """, main: """
            #include <stdio.h>
            #include <stdlib.h>
            extern int calls;
            void tag(int *restrict out, int n, int m);
            int main(void)
            {
                int n = 4000, m = 8;
                int *out = malloc(sizeof(int) * n * m);
                tag(out, n, m);
                long s = 0;
                for (int i = 0; i < n * m; i++) s += out[i];
                printf("sum: %ld\ncalls: %d\n", s, calls);
                free(out);
                return 0;
            }
            """);
        var kernels = Path.Combine(p.Root, "kernels.c");
        p.Write("counter.c", "int calls;\nvoid bump(void) { calls++; }\n");
        p.Build("bump");
        var (code, output, err) = p.Validate("--validate", "tsan", "--runs", "3");
        Assert.That(code, Is.EqualTo(0), err);
        var warning = Regex.Match(output, @"^(?<where>\S+): warning PSLM5001: loop reverted: tsan found ThreadSanitizer: data race at \S+counter\.c:2:\d+ in bump \(on 'calls'\)(?<rest>.*)$", RegexOptions.Multiline);
        Assert.That(warning.Success, Is.True, output);
        Assert.That(warning.Groups["where"].Value, Is.EqualTo($"{kernels}(4,5)"));
        Assert.That(warning.Groups["rest"].Value, Does.Match(@"write of size 4 by thread T\d+ at counter\.c:2:\d+ in bump, called from the parallel loop at kernels\.c\(4,5\) \(kernels\.c:7:\d+\)"));
        Assert.That(warning.Groups["rest"].Value, Does.Match(@"; previous (read|write) of size 4 by (main thread|thread T\d+) at counter\.c:2:\d+ in bump, called from the parallel loop at kernels\.c\(4,5\)"));

        // The report is regenerated after the revert: the inner loop no longer claims to be inside a parallel loop.
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(p.Inter, "report", "paraslm-report.json"))))
        {
            var plans = json.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("file").GetString() == kernels)
                .GetProperty("plans").EnumerateArray().ToList();
            Assert.That(plans.Single(l => l.GetProperty("line").GetInt32() == 4).GetProperty("code").GetString(), Is.EqualTo("PSLM5001"));
            Assert.That(plans.Single(l => l.GetProperty("line").GetInt32() == 5).GetProperty("reason").GetString(),
                Is.EqualTo("serial: its enclosing loop at line 4 was reverted by validation, and ParaSlm does not parallelize an inner loop in its place"));
        }
        var md = File.ReadAllText(Path.Combine(p.Inter, "report", "paraslm-report.md"));
        Assert.That(md, Does.Contain("Evidence for").And.Contain("Location is global 'calls'").And.Not.Contain("inside the parallel loop at line 4"));

        // `dotnet clean`, a deleted obj/, another machine: the plan cache remembers the verdict by the loop's content.
        var request = File.ReadAllText(p.RequestFile);
        Directory.Delete(p.Inter, recursive: true);
        var again = p.Apply();
        Assert.That(again.Code, Is.EqualTo(0), again.Err);
        Assert.That(again.Out, Does.Contain($"{kernels}(4,5): warning PSLM5001: loop stays serial: validation reverted a loop with this exact code before (recorded in the plan cache): PSLM5001: tsan: ThreadSanitizer: data race"));
        Assert.That(p.State.Sources[kernels].Applied.Select(a => a.Line), Has.No.Member(4));

        // With another cache (a machine that never saw the verdict) the loop is proposed again: the verdict came from the cache.
        Directory.Delete(p.Inter, recursive: true);
        File.WriteAllText(p.RequestFile, request.Replace(p.Cache!.Replace("\\", "\\\\"), Path.Combine(p.Root, "other.db").Replace("\\", "\\\\")));
        var fresh = p.Apply();
        Assert.That(fresh.Out, Does.Not.Contain("PSLM5001"));
        Assert.That(p.State.Sources[kernels].Applied.Select(a => a.Line), Has.Member(4));
    }

    [Test]
    public void A_variant_whose_reference_run_exceeds_the_timeout_says_so_and_suggests_a_test_command()
    {
        using var p = Project("""
            cmake_minimum_required(VERSION 3.16)
            project(slow C)
            add_executable(app main.c kernels.c)
            """);
        p.Build();
        var (code, output, err) = p.Validate("--validate", "asan", "--runs", "1", "--timeout", "1", "--test-command", "sleep 3; {exe} 2");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Contain("warning PSLM5008: asan validation takes too long: test test-command under asan did not finish within 1 s (ParaSlmValidateTimeout)"));
        Assert.That(output, Does.Contain("set ParaSlmValidateTestCommand to a shorter run of your tests"));
        Assert.That(output, Does.Not.Contain("PSLM5001").And.Not.Contain("PSLM5004"), "slowness is not blamed on a loop");
        Assert.That(p.Summary.Variants.Single().Status, Is.EqualTo("too-slow"));
        Assert.That(p.Summary.Final!.Status, Is.EqualTo("not-run"));
        Assert.That(p.State.Rejected, Is.Empty);
    }

    // Only a probe's and the final program's runs set OMP_NUM_THREADS (the references do not): a test command that is
    // slow exactly there (and where `slowWhen` holds) stands for a machine whose load makes those runs miss their limit.
    private static (ValidationProject P, int Code, string Out, string Err) ValidateWithSlowRuns(string name, string slowWhen)
    {
        var p = Project($"cmake_minimum_required(VERSION 3.16)\nproject({name} C)\nadd_executable(app main.c kernels.c)\n");
        p.Build();
        var (code, output, err) = p.Validate("--validate", "asan", "--runs", "1", "--timeout", "3",
            "--test-command", $"if [ -n \"$OMP_NUM_THREADS\" ]{slowWhen}; then sleep 10; fi; {{exe}} 2");
        return (p, code, output, err);
    }

    [Test]
    public void A_probe_that_runs_out_of_time_blames_no_loop_and_reports_the_timeout()
    {
        var (p, code, output, err) = ValidateWithSlowRuns("loaded", "");
        using var _ = p;
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output + err, Does.Contain("did not finish within 3 s; running it again with 6 s"), "a timeout gets one more try with more time");
        Assert.That(output, Does.Match(@"warning PSLM5009: asan validation timed out: test test-command timed out after \d+ s with 2 threads with all \d+ loop\(s\) parallel"));
        Assert.That(output, Does.Contain("No loop is blamed for a timeout"));
        Assert.That(output, Does.Not.Contain("PSLM5001").And.Not.Contain("PSLM5004"), "a timeout is not a race nor a difference");
        Assert.That(p.Summary.Variants.Single().Status, Is.EqualTo("timed-out"));
        Assert.That(p.Summary.Loops.Select(l => l.Status), Has.None.EqualTo("reverted"));
        Assert.That(p.State.Rejected, Is.Empty);
        Assert.That(p.State.Sources.Values.SelectMany(s => s.Applied), Is.Not.Empty, "the loops stay parallel, as the analyzer judged them");
    }

    [Test]
    public void A_final_program_that_runs_out_of_time_is_not_called_different_and_nothing_is_reverted()
    {
        // The ASan probes run in time (ASAN_OPTIONS set); the final program's runs (no sanitizer) do not.
        var (p, code, output, err) = ValidateWithSlowRuns("loadedfinal", " && [ -z \"$ASAN_OPTIONS\" ]");
        using var _ = p;
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(p.Summary.Variants.Single().Status, Is.EqualTo("passed"));
        Assert.That(output, Does.Contain("warning PSLM5009: the final program was not compared with the serial build: test test-command timed out after"));
        Assert.That(output, Does.Contain("final program NOT compared: a run timed out (PSLM5009)"));
        Assert.That(output, Does.Not.Contain("PSLM5004").And.Not.Contain("PSLM5001"));
        Assert.That(p.Summary.Final!.Status, Is.EqualTo("timed-out"));
        Assert.That(p.Summary.Final.RevertedToSerial, Is.False);
        Assert.That(p.State.Rejected, Is.Empty);
    }
}
