using System.Text.RegularExpressions;
using ParaSlm.Validation;
using ParaSlm.Reasoner.Cache;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// `paraslm validate` on real CMake projects: sanitizer builds, differential runs against the serial build, bisection,
/// reverting, the plan cache, the report. (The build integration runs the same command; see ParaSlm.Sdk.Tests.)
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ValidateCliTests
{
    private const string CMakeLists = """
        cmake_minimum_required(VERSION 3.16)
        project(validate_cli C)
        set(CMAKE_C_STANDARD 11)
        add_executable(app main.c kernels.c)
        """;

    [Test]
    public void An_out_of_bounds_write_introduced_by_a_rewrite_is_caught_by_asan_and_only_that_loop_is_reverted()
    {
        using var p = new ValidationProject();
        p.Write("CMakeLists.txt", CMakeLists);
        var kernels = p.Write("kernels.c", """
            void fill(double *restrict out, const double *restrict in, int n)
            {
                for (int i = 0; i < n; i++)
                    out[i] = in[i] * 2.0;
            }

            long shift(long *restrict y, const long *restrict x, int n)
            {
                long s = 0;
                for (int i = 0; i < n; i++) {
                    y[i] = x[i] + 7;
                    s += y[i];
                }
                return s;
            }
            """);
        p.Write("main.c", """
            #include <stdio.h>
            #include <stdlib.h>
            void fill(double *restrict out, const double *restrict in, int n);
            long shift(long *restrict y, const long *restrict x, int n);
            int main(void)
            {
                int n = 50000;
                double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
                long *x = malloc(sizeof(long) * n), *y = malloc(sizeof(long) * n);
                for (int i = 0; i < n; i++) { in[i] = i % 10; x[i] = i % 13; }
                fill(out, in, n);
                double s = 0;
                for (int i = 0; i < n; i++) s += out[i];
                printf("fill: %.1f\nshift: %ld\n", s, shift(y, x, n));
                free(in); free(out); free(x); free(y);
                return 0;
            }
            """);
        p.Cache = Path.Combine(p.Root, "plans.db");
        p.Build();

        // A broken rewrite, through the edits the engine recorded: the versioning condition of fill's loop writes one
        // element past the end of `out`, so only the rewritten program writes out of bounds. Its plan is marked as a
        // model plan with a cache key, so the rejection must reach the plan cache too.
        var key = new string('c', 64);
        var state = p.State;
        var record = state.Sources[kernels];
        var fill = record.Applied.Single(a => a.Function == "fill");
        state.Sources[kernels] = record with
        {
            Applied = record.Applied.Select(a => a == fill ? a with { RuntimeCheck = "(out[n] = 0.0, 1)", Origin = "model", CacheKey = key } : a).ToList(),
        };
        p.SaveState(state);

        var (code, output, err) = p.Validate("--validate", "asan", "--runs", "2");
        Assert.That(code, Is.EqualTo(0), err);
        var warning = Regex.Match(output, @"^(?<file>.+)\((?<line>\d+),(?<col>\d+)\): warning PSLM5001: loop reverted: asan found AddressSanitizer: heap-buffer-overflow", RegexOptions.Multiline);
        Assert.That(warning.Success, Is.True, output);
        Assert.That((warning.Groups["file"].Value, warning.Groups["line"].Value, warning.Groups["col"].Value), Is.EqualTo((kernels, "3", "5")));
        Assert.That(Regex.Matches(output, "PSLM5001").Count, Is.EqualTo(1), "only the broken loop is reverted");
        // Progress goes to stderr as it happens (the build shows stderr at once, even at minimal verbosity); results to stdout.
        Assert.That(err, Does.Match(@"ParaSlm: validate: asan with \d+ loop\(s\) parallel: failed: AddressSanitizer: heap-buffer-overflow"));
        Assert.That(output, Does.Not.Contain("ParaSlm: validate: "));

        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Variants.Single().Status, Is.EqualTo("reverted"));
            Assert.That(summary.Loops.Single(l => l.Function == "fill").Status, Is.EqualTo("reverted"));
            Assert.That(summary.Loops.Single(l => l.Function == "fill").Detail, Does.Contain("WRITE of size 8").And.Contain("400000-byte region"));
            Assert.That(summary.Loops.Where(l => l.Function != "fill").Select(l => l.Status), Is.All.EqualTo("kept"));
            Assert.That(summary.Final!.Status, Is.EqualTo("equal"));
            Assert.That(p.State.Rejected.Single().Function, Is.EqualTo("fill"));
            Assert.That(p.State.Sources[kernels].Applied.Select(a => a.Function), Is.EquivalentTo(new[] { "shift" }), "fill is serial now, shift stays parallel");
        });
        Assert.That(p.Run(p.ParallelTree), Is.EqualTo(p.Run(p.SerialTree)));

        using var cache = PlanCacheFactory.Open(p.Cache, _ => { });
        var lookup = cache.LookupAsync(PlanCacheKey.FromHash(key)).GetAwaiter().GetResult();
        Assert.That(lookup.Kind, Is.EqualTo(PlanLookupKind.Rejected));
        Assert.That(lookup.Evidence, Does.Contain("PSLM5001").And.Contain("heap-buffer-overflow"));
    }

    [Test]
    public void A_float_reduction_that_differs_in_the_last_digits_is_accepted_within_the_tolerance()
    {
        using var p = new ValidationProject();
        p.Write("CMakeLists.txt", CMakeLists);
        p.Write("kernels.c", """
            double harmonic(const double *restrict w, int n)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++)
                    s += w[i] / (i + 1.0);
                return s;
            }
            """);
        p.Write("main.c", """
            #include <stdio.h>
            #include <stdlib.h>
            double harmonic(const double *restrict w, int n);
            int main(void)
            {
                int n = 1000000;
                double *w = malloc(sizeof(double) * n);
                for (int i = 0; i < n; i++) w[i] = 1.0 + (i % 7) * 0.1;
                printf("harmonic: %.17g\n", harmonic(w, n));
                free(w);
                return 0;
            }
            """);
        p.Build();
        var serial = p.Run(p.SerialTree);
        var parallel = p.Run(p.ParallelTree, threads: 8);
        Assert.That(parallel, Is.Not.EqualTo(serial), "precondition: the reordered sum differs in its last digits (8 threads, 10^6 terms)");

        var (code, output, err) = p.Validate("--validate", "asan");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("PSLM5001"));
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Variants.Single().Status, Is.EqualTo("passed"));
            Assert.That(summary.Variants.Single().Tolerated, Is.GreaterThan(0), "the outputs differed and were accepted within 1e-6");
            Assert.That(summary.Loops.Select(l => l.Status), Is.All.EqualTo("kept"));
            Assert.That(summary.Final!.Status, Is.EqualTo("equal"));
        });

        // With no tolerance at all, the same difference is a failure (and the reduction is what bisection blames).
        var strict = p.Validate("--validate", "asan", "--tolerance", "0");
        Assert.That(strict.Out, Does.Contain("warning PSLM5001: loop reverted: asan found test app differs from the serial build"));
    }

    [Test]
    public void A_clean_program_validates_without_false_alarms_even_when_its_serial_code_has_undefined_behaviour()
    {
        using var p = new ValidationProject();
        p.Write("CMakeLists.txt", CMakeLists);
        p.Write("kernels.c", """
            void saxpy(float *restrict y, const float *restrict x, float a, int n)
            {
                for (int i = 0; i < n; i++)
                    y[i] = a * x[i] + y[i];
            }

            void stencil(double *restrict out, const double *restrict in, int n)
            {
                for (int i = 1; i < n - 1; i++)
                    out[i] = (in[i - 1] + in[i] + in[i + 1]) / 3.0;
            }

            long count_even(const long *restrict v, int n)
            {
                long c = 0;
                for (int i = 0; i < n; i++)
                    if (v[i] % 2 == 0)
                        c++;
                return c;
            }
            """);
        p.Write("main.c", """
            #include <stdio.h>
            #include <stdlib.h>
            void saxpy(float *restrict y, const float *restrict x, float a, int n);
            void stencil(double *restrict out, const double *restrict in, int n);
            long count_even(const long *restrict v, int n);
            int main(void)
            {
                int n = 40000;
                float *x = malloc(sizeof(float) * n), *y = malloc(sizeof(float) * n);
                double *in = calloc(n, sizeof(double)), *out = calloc(n, sizeof(double));
                long *v = malloc(sizeof(long) * n);
                for (int i = 0; i < n; i++) { x[i] = i % 5; y[i] = 1; in[i] = i % 9; v[i] = i * 3; }
                saxpy(y, x, 2.0f, n);
                stencil(out, in, n);
                /* A hash that overflows a signed long: undefined behaviour the serial program already has. */
                long h = 17;
                for (int i = 0; i < n; i++) h = h * 1000003 + (long)y[i] + (long)out[i];
                printf("hash: %ld\neven: %ld\n", h, count_even(v, n));
                free(x); free(y); free(in); free(out); free(v);
                return 0;
            }
            """);
        p.Build();
        var (code, output, err) = p.Validate("--validate", "all", "--runs", "3");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("warning PSLM"), "no false alarm");
        var summary = p.Summary;
        Assert.Multiple(() =>
        {
            Assert.That(summary.Variants.Select(v => (v.Name, v.Status)), Is.EqualTo(new[] { ("tsan", "passed"), ("asan", "passed") }));
            Assert.That(summary.Variants.Single(v => v.Name == "asan").Message, Does.Contain("without ParaSlm's changes"),
                "UBSan's overflow report is in the serial code too, so it is not blamed on a loop");
            Assert.That(summary.Loops, Has.Count.GreaterThanOrEqualTo(3));
            Assert.That(summary.Loops.Select(l => l.Status), Is.All.EqualTo("kept"));
            Assert.That(summary.Loops.Select(l => string.Join(",", l.Passed)), Is.All.EqualTo("tsan,asan"));
            Assert.That(summary.Final!.Status, Is.EqualTo("equal"));
            Assert.That(p.State.Rejected, Is.Empty);
            Assert.That(Path.Combine(p.Root, "build", "paraslm-tsan", "app"), Does.Exist, "each variant builds in its own tree");
            Assert.That(Path.Combine(p.Root, "build", "paraslm-asan", "app"), Does.Exist);
        });
        var report = File.ReadAllText(Path.Combine(p.Inter, "report", "paraslm-report.md"));
        Assert.That(report, Does.Contain("## Validation").And.Contain("| tsan | passed |").And.Contain("| asan | passed |").And.Contain("passed: tsan, asan"));
    }

    [Test]
    public void Output_that_differs_between_serial_runs_or_names_the_build_folder_raises_no_alarm()
    {
        using var p = new ValidationProject();
        p.Write("CMakeLists.txt", CMakeLists);
        p.Write("kernels.c", """
            void square(double *restrict out, const double *restrict in, int n)
            {
                for (int i = 0; i < n; i++)
                    out[i] = in[i] * in[i];
            }
            """);
        // "ticks: …" matches no ignore pattern and has no unit of time: only running the program twice shows that it is unstable.
        // argv[0] names the tree the program was built in, which differs between the serial build and every variant.
        p.Write("main.c", """
            #define _POSIX_C_SOURCE 200809L
            #include <stdio.h>
            #include <stdlib.h>
            #include <time.h>
            void square(double *restrict out, const double *restrict in, int n);
            int main(int argc, char **argv)
            {
                struct timespec a, b;
                printf("program: %s (%d)\n", argv[0], argc);
                int n = 200000;
                double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
                for (int i = 0; i < n; i++) in[i] = i % 17;
                clock_gettime(CLOCK_MONOTONIC, &a);
                square(out, in, n);
                clock_gettime(CLOCK_MONOTONIC, &b);
                double s = 0;
                for (int i = 0; i < n; i++) s += out[i];
                printf("squares: %.1f\nticks: %ld\n", s, (long)((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec)));
                free(in); free(out);
                return 0;
            }
            """);
        p.Build();
        var (code, output, err) = p.Validate("--validate", "asan", "--runs", "2");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(err, Does.Contain("test app: output line(s) 3 differ between two runs of the asan reference (no loop parallel) itself; they are not compared"));
        Assert.That(output, Does.Not.Contain("warning PSLM"), "no false alarm, no inconclusive variant");
        Assert.That(p.Summary.Variants.Single().Status, Is.EqualTo("passed"));
        Assert.That(p.Summary.Final!.Status, Is.EqualTo("equal"));
        Assert.That(p.Summary.Loops.Select(l => l.Status), Is.All.EqualTo("kept"));
    }

    [Test]
    public void A_gcc_project_with_gcc_only_warning_flags_under_Werror_still_gets_its_clang_tsan_build()
    {
        using var p = new ValidationProject();
        p.Write("CMakeLists.txt", CMakeLists + "\ntarget_compile_options(app PRIVATE -Wall -Werror -Wlogical-op -Wduplicated-cond)\n");
        p.Write("kernels.c", """
            void twice(double *restrict out, const double *restrict in, int n)
            {
                for (int i = 0; i < n; i++)
                    out[i] = 2.0 * in[i];
            }
            """);
        p.Write("main.c", """
            #include <stdio.h>
            #include <stdlib.h>
            void twice(double *restrict out, const double *restrict in, int n);
            int main(void)
            {
                int n = 100000;
                double *in = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
                for (int i = 0; i < n; i++) in[i] = i % 11;
                twice(out, in, n);
                double s = 0;
                for (int i = 0; i < n; i++) s += out[i];
                printf("twice: %.1f\n", s);
                free(in); free(out);
                return 0;
            }
            """);
        p.Build();
        var (code, output, err) = p.Validate("--validate", "tsan", "--runs", "2");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("PSLM5005"), "clang must not fail on gcc's warning options");
        Assert.That(p.Summary.Variants.Single().Status, Is.EqualTo("passed"), output);
        Assert.That(File.ReadAllText(Path.Combine(p.Root, "build", "paraslm-tsan", "compile_commands.json")), Does.Contain("-Wlogical-op").And.Contain("-fsanitize=thread"));
    }

    [Test]
    public void Validate_without_a_cmake_source_or_msbuild_step_is_a_usage_error()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var request = Path.Combine(Path.GetTempPath(), "paraslm-validate-usage-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(request, """{"version":1,"mode":"Apply","intermediateDir":"/tmp/x","sources":[{"file":"/tmp/x.c"}]}""");
        try
        {
            var code = ParaSlm.Cli.CommandLine.RunAsync(["validate", "--request", request, "--validate", "asan"], o, e).GetAwaiter().GetResult();
            Assert.That(code, Is.EqualTo(2));
            Assert.That(e.ToString(), Does.Contain("--cmake-source"));
            code = ParaSlm.Cli.CommandLine.RunAsync(["validate", "--request", request, "--validate", "sometimes"], o, e).GetAwaiter().GetResult();
            Assert.That(code, Is.EqualTo(2));
        }
        finally
        {
            File.Delete(request);
        }
    }
}
