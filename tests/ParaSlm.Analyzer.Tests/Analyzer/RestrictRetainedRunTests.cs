using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A restrict parameter (or a fresh allocation) handed to a callee that keeps it: the kept copy is based on the pointer
/// (C11 6.7.3.1), so a loop reading through the copy while writing through the pointer has a real dependence. Before
/// the rule of <see cref="ParaSlm.Analyzer.Effects.PointerRetention"/>, the analyzer trusted the qualifier (and the
/// allocation) there and ran each of these shifts as `parallel for` with no check: gcc printed a different checksum at
/// 2 and at 4 threads than serially. As a whole program rewritten exactly as the build does, with loops that only hand
/// their pointers to a visible helper that reads through them or to `memcpy`/`memset`, which must stay parallel.
/// Corpus: c/restrict_calls.c (RestrictRetainedTests).
/// </summary>
[TestFixture]
[Category("Integration")]
[Parallelizable(ParallelScope.None)]
public sealed class RestrictRetainedRunTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        static float *g_view;
        struct view { float *data; };

        static void remember(float *p) { g_view = p; }
        static void share(float *p, float **out) { *out = p; }
        static float total(const float *p, int n)
        {
            float s = 0.0f;
            for (int i = 0; i < n; i++)
                s += p[i] > 5.0f ? 1.0f : 0.0f;
            return s;
        }

        /* Each iteration reads the element the next one overwrites, through a copy the callee kept. */
        static void shift_kept_in_global(float *restrict dst, int n)
        {
            remember(dst);
            for (int i = 0; i < n; i++)
                dst[i] = g_view[i + 1] * 0.5f + (float)(i % 3);
        }

        static void shift_kept_through_out_parameter(float *restrict dst, int n)
        {
            float *src;
            share(dst, &src);
            for (int i = 0; i < n; i++)
                dst[i] = src[i + 1] * 0.5f + (float)(i % 5);
        }

        static void shift_fresh_buffer(float *out, int n)
        {
            float *buf = malloc((n + 1) * sizeof *buf);
            for (int i = 0; i <= n; i++)
                buf[i] = (float)(i % 13);
            remember(buf);
            for (int i = 0; i < n; i++)
                buf[i] = g_view[i + 1] * 0.5f + 1.0f;
            memcpy(out, buf, n * sizeof *out);
            free(buf);
        }

        /* Controls: pointers handed to a helper that only reads through them, or to memcpy, keep their guarantee. */
        static void scale(float *restrict out, const float *restrict in, int n)
        {
            memcpy(out, in, n * sizeof *out);
            float t = total(in, n);
            for (int i = 0; i < n; i++)
                out[i] += 2.0f * in[i] + t;
        }

        static double checksum(const float *a, int n)
        {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += (double)a[i] * (i % 7);
            return s;
        }

        int main(void)
        {
            const int n = 1 << 21;
            float *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
            float *c = malloc(n * sizeof *c), *d = malloc(n * sizeof *d);
            for (int i = 0; i <= n; i++) { a[i] = (float)(i % 11); b[i] = (float)(i % 9); }
            shift_kept_in_global(a, n);
            shift_kept_through_out_parameter(b, n);
            shift_fresh_buffer(c, n);
            scale(d, c, n);
            printf("%.1f %.1f %.1f %.1f\n", checksum(a, n), checksum(b, n), checksum(c, n), checksum(d, n));
            free(a); free(b); free(c); free(d);
            return 0;
        }

        """;

    [Test]
    public void Shifts_through_a_kept_copy_are_not_trusted_and_read_only_helpers_keep_the_guarantee()
    {
        var path = Ws.WriteSource("verdict_retained.c", Program);
        var loops = Ws.Analyze(path).Loops;
        foreach (var l in loops) TestContext.Out.WriteLine($"{l.Function}:{l.Line} parallel={l.Parallelizable} check={l.RuntimeCheck ?? "none"} {l.Reason}");
        foreach (var f in new[] { "shift_kept_in_global", "shift_kept_through_out_parameter" })
        {
            var shift = loops.Single(l => l.Function == f);
            Assert.That(!shift.Parallelizable || shift.RuntimeCheck is not null, Is.True, f + ": the kept copy may overlap the restrict pointer: " + shift.Reason);
        }
        var fresh = loops.Where(l => l.Function == "shift_fresh_buffer").OrderBy(l => l.Line).Last();
        Assert.That(!fresh.Parallelizable || fresh.RuntimeCheck is not null, Is.True, "the kept copy names the fresh buffer: " + fresh.Reason);
        var scale = loops.Single(l => l.Function == "scale");
        Assert.That(scale.Parallelizable, Is.True, scale.Reason);
        Assert.That(scale.RuntimeCheck, Is.Null, "`memcpy` and a helper that only reads keep no copy of the restrict pointers");
    }

    [TestCase("2")]
    [TestCase("4")]
    public void The_shift_program_built_with_gcc_prints_what_it_prints_serially(string threads)
    {
        var cc = GenerationWorkspace.RequireTool("gcc");
        var path = Ws.WriteSource($"retained_{threads}.c", Program);
        var result = Ws.RewriteParallelLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied), Is.GreaterThanOrEqualTo(3), "the fills, the control and the checksums are parallel, so the run tests the rewrite");
        var rewritten = Ws.WriteRewritten(path, result.Text);
        var serial = Path.Combine(Ws.Root, $"serial_retained_{threads}");
        var parallel = Path.Combine(Ws.Root, $"parallel_retained_{threads}");
        Assert.That(GenerationWorkspace.Run(cc, ["-std=c11", "-O1", path, "-o", serial]).ExitCode, Is.Zero);
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", rewritten, "-o", parallel]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        var environment = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = threads, ["OMP_WAIT_POLICY"] = "passive" };
        var expected = GenerationWorkspace.Run(serial, [], environment: environment);
        Assert.That(expected.ExitCode, Is.Zero);
        for (var round = 0; round < 3; round++)
        {
            var actual = GenerationWorkspace.Run(parallel, [], environment: environment);
            Assert.That(actual.ExitCode, Is.Zero, actual.Output);
            Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), $"{threads} threads, round {round}; rewritten:\n{result.Text}");
        }
    }
}
