using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>
/// The rewritten file compiled and run by real compilers: diagnostics still point at the user's file and lines,
/// the pragmas are real OpenMP (no unknown-pragma warnings), and the parallel program prints what the serial
/// original prints — for loop versioning, along both branches.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed partial class RewrittenCodeTests : GenerationFixture
{
    private static readonly Dictionary<string, string> FourThreads = new() { ["OMP_NUM_THREADS"] = "4" };

    // One loop of each shape: in a braceless `if` (moved to a new line), versioned under a runtime check, plain.
    // The broken variant replaces `ok` by undeclared names `E1`…`E5` of the same length, so the analyzer's offsets
    // for the valid file are right for the broken one.
    private const string DiagnosticsSource = """
        double work(double *dst, const double *src, int n, int c) {
            double s = 0.0;
            const int ok = 1;
            if (c) for (int i = 0; i < n; i++) s += src[i] * ok;
            int after_if = ok;
            for (int i = 0; i < n; i++)
                dst[i] = src[i] + ok;
            int after_versioned = ok;
            for (int i = 0; i < n; i++) { s += (double)i; }
            int after_plain = ok;
            return s + after_if + after_versioned + after_plain;
        }

        """;

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void Diagnostics_in_the_rewritten_file_name_the_original_file_line_and_column(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource($"diagnostics_{compiler}.c", DiagnosticsSource);
        var edits = GenerationWorkspace.ParallelEdits(Ws.Analyze(path));
        Assert.That(edits, Has.Count.EqualTo(3));
        Assert.That(edits.Count(e => e.RuntimeCheck is not null), Is.EqualTo(1));

        var broken = DiagnosticsSource
            .Replace("src[i] * ok;", "src[i] * E1;", StringComparison.Ordinal)
            .Replace("after_if = ok;", "after_if = E2;", StringComparison.Ordinal)
            .Replace("dst[i] = src[i] + ok;", "dst[i] = src[i] + E3;", StringComparison.Ordinal)
            .Replace("after_versioned = ok;", "after_versioned = E4;", StringComparison.Ordinal)
            .Replace("after_plain = ok;", "after_plain = E5;", StringComparison.Ordinal);
        Assert.That(broken, Has.Length.EqualTo(DiagnosticsSource.Length));
        var result = SourceRewriter.Rewrite(path, broken, edits);
        Assert.That(result.Outcomes.All(o => o.Applied), string.Join("\n", result.Outcomes.Select(o => o.Reason)));
        var rewritten = Ws.WriteRewritten(path, result.Text);

        var run = GenerationWorkspace.Run(cc, ["-std=c11", "-fopenmp", "-c", rewritten, "-o", rewritten + ".o"]);

        Assert.That(run.ExitCode, Is.Not.Zero);
        var expected = new[] { "E1", "E2", "E3", "E4", "E5" }.ToDictionary(id => id, id => Positions(broken, id).Single());
        var reported = ErrorLine().Matches(run.Output).Select(m => m.Value).ToList();
        Assert.That(reported, Is.Not.Empty, run.Output);
        Assert.That(reported, Is.All.StartsWith(path + ":"), "every error names the original file");
        var positions = reported.Select(r => r[(path.Length + 1)..r.IndexOf(": error", StringComparison.Ordinal)]).Distinct().ToList();
        Assert.That(positions, Is.EquivalentTo(expected.Values), "one error per undeclared name, each at its original line and column");
        Assert.That(expected["E1"], Does.StartWith("4:"), "E1 is on the line that was split before `for`: its column is the original one too");
        Assert.That(expected["E3"], Does.StartWith("7:"), "E3 is in the versioned loop, whose two copies both map to the original line");
        Assert.That(run.Output, Does.Not.Contain(Ws.OutputDir), "nothing points at the rewritten file");
    }

    [GeneratedRegex(@"^\S+:\d+:\d+: error", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    /// <summary>`line:column` of every occurrence of <paramref name="word"/> (1-based, bytes = chars here: ASCII).</summary>
    private static IEnumerable<string> Positions(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
            yield return $"{text[..at].Count(c => c == '\n') + 1}:{at - text.LastIndexOf('\n', at) }";
    }

    private const string ProgramSource = """
        #include <stdio.h>
        #include <stdlib.h>

        static long checksum(const long *a, int n) {
            long s = 0;
            for (int i = 0; i < n; i++)
                s += a[i] * (i % 7 + 1);
            return s;
        }

        int main(void) {
            enum { N = 1 << 20 };
            long *a = malloc(N * sizeof *a);
            long *b = malloc(N * sizeof *b);
            if (!a || !b) return 1;
            for (int i = 0; i < N; i++)
                a[i] = (i * 37L) % 1000;
            for (int i = 0; i < N; i++) {
                long t = a[i] * 2;
                b[i] = t + 1;
            }
            long odd = 0;
            if (N > 1) for (int i = 0; i < N; i++) odd += b[i] % 2;
            printf("%ld %ld %ld\n", checksum(a, N), checksum(b, N), odd);
            free(a);
            free(b);
            return 0;
        }

        """;

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_rewritten_program_compiles_with_all_warnings_and_prints_what_the_original_prints(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource($"program_{compiler}.c", ProgramSource);
        var result = Ws.RewriteParallelLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied), Is.GreaterThanOrEqualTo(4), string.Join("\n", result.Outcomes.Select(o => $"{o.Edit.LoopId}: {o.Reason}")));
        Assert.That(result.Text, Does.Contain("reduction(+:s)").And.Contain("reduction(+:odd)"));
        var rewritten = Ws.WriteRewritten(path, result.Text);

        var serial = Path.Combine(Ws.Root, $"serial_{compiler}");
        var parallel = Path.Combine(Ws.Root, $"parallel_{compiler}");
        Assert.That(GenerationWorkspace.Run(cc, ["-std=c11", "-O1", path, "-o", serial]).ExitCode, Is.Zero);
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", "-Wall", "-Wextra", "-Werror", "-Werror=unknown-pragmas", rewritten, "-o", parallel]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Assert.That(build.Output, Is.Empty, "no warning at all");

        var expected = GenerationWorkspace.Run(serial, [], environment: FourThreads);
        var actual = GenerationWorkspace.Run(parallel, [], environment: FourThreads);

        Assert.That(expected.ExitCode, Is.Zero);
        Assert.That(actual.ExitCode, Is.Zero, actual.Output);
        Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut));
    }

    private const string VersioningSource = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        void shift_add(double *dst, const double *src, int n) {
            for (int i = 0; i < n; i++)
                dst[i] = src[i] + 1.0;
        }

        int main(int argc, char **argv) {
            enum { N = 1 << 20 };
            double *a = malloc((N + 1) * sizeof *a);
            double *b = malloc(N * sizeof *b);
            if (!a || !b || argc < 2) return 1;
            for (int i = 0; i <= N; i++) a[i] = i % 100;
            if (strcmp(argv[1], "disjoint") == 0) {
                shift_add(b, a, N);
                printf("%.1f %.1f %.1f\n", b[0], b[N / 2 + 3], b[N - 1]);
            } else {
                /* dst overlaps src one element ahead: each element depends on the one before. */
                shift_add(a + 1, a, N);
                printf("%.1f %.1f %.1f\n", a[1], a[N / 2 + 3], a[N]);
            }
            free(a);
            free(b);
            return 0;
        }

        """;

    // Counts parallel regions GCC's code starts (`GOMP_parallel`), linked in with `-Wl,--wrap`.
    private const string ForkCounter = """
        #include <stdio.h>
        void __real_GOMP_parallel(void (*fn)(void *), void *data, unsigned threads, unsigned flags);
        static int forks;
        void __wrap_GOMP_parallel(void (*fn)(void *), void *data, unsigned threads, unsigned flags) {
            forks++;
            __real_GOMP_parallel(fn, data, threads, flags);
        }
        __attribute__((destructor)) static void report(void) { fprintf(stderr, "parallel regions: %d\n", forks); }

        """;

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void A_versioned_loop_runs_in_parallel_for_disjoint_pointers_and_serially_for_overlapping_ones(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource($"versioning_{compiler}.c", VersioningSource);
        var loop = Ws.Analyze(path).Loops.Single(l => l.Function == "shift_add");
        Assert.That(loop.RuntimeCheck, Is.Not.Null, "the analyzer asks for a pointer-overlap check");
        var result = SourceRewriter.Rewrite(path, VersioningSource, [LoopEdit.ForLoop(loop, "omp parallel for", loop.RuntimeCheck)]);
        Assert.That(result.Text, Does.Contain($"if ({loop.RuntimeCheck}) {{").And.Contain("} else {"));
        var rewritten = Ws.WriteRewritten(path, result.Text);

        var serial = Path.Combine(Ws.Root, $"vserial_{compiler}");
        var parallel = Path.Combine(Ws.Root, $"vparallel_{compiler}");
        Assert.That(GenerationWorkspace.Run(cc, ["-std=c11", "-O1", path, "-o", serial]).ExitCode, Is.Zero);
        string[] sources = [rewritten];
        string[] probe = [];
        var isGcc = compiler == "gcc";
        if (isGcc)
        {
            var counter = Path.Combine(Ws.OutputDir, "fork_counter.c");
            File.WriteAllText(counter, ForkCounter);
            sources = [rewritten, counter];
            probe = ["-Wl,--wrap=GOMP_parallel"];
        }
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", "-Wall", "-Wextra", "-Werror", .. sources, .. probe, "-o", parallel]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);

        foreach (var (mode, regions) in new[] { ("disjoint", 1), ("overlapping", 0) })
        {
            var expected = GenerationWorkspace.Run(serial, [mode], environment: FourThreads);
            var actual = GenerationWorkspace.Run(parallel, [mode], environment: FourThreads);
            Assert.That(actual.ExitCode, Is.Zero, actual.Output);
            Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), mode);
            if (isGcc) Assert.That(actual.StdErr, Does.Contain($"parallel regions: {regions}"), $"{mode}: which branch ran");
        }
        Assert.That(GenerationWorkspace.Run(serial, ["overlapping"]).StdOut, Is.EqualTo("1.0 524291.0 1048576.0\n"),
            "the overlapping call really depends on the order (a parallel run would break the chain)");
    }
}
