using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A loop that uses a thread-local variable stays serial (found trying OpenMP programs as a user would): `__thread`,
/// `_Thread_local` and `#pragma omp threadprivate` make one object per thread, so in a parallel loop the workers
/// read their own zero copies instead of the value the program set. The analyzer parses without `-fopenmp`, so the
/// threadprivate directive is read from the text. A whole program, rewritten exactly as the build does and run on
/// 4 threads against serial, with an ordinary global beside it that must stay parallel.
/// </summary>
[TestFixture]
[Category("Integration")]
[Parallelizable(ParallelScope.None)]
public sealed class ThreadLocalStateRunTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>

        static __thread double gain;
        double offset;
        #pragma omp threadprivate(offset)
        double bias;

        static double gained(double v) { return v * gain; }

        static void apply_gain(int n, const double *restrict x, double *restrict y)
        {
            for (int i = 0; i < n; i++)
                y[i] = gain * x[i];
        }

        static void apply_offset(int n, const double *restrict x, double *restrict y)
        {
            for (int i = 0; i < n; i++)
                y[i] = x[i] + offset;
        }

        static void apply_helper(int n, const double *restrict x, double *restrict y)
        {
            for (int i = 0; i < n; i++)
                y[i] = gained(x[i]);
        }

        static void apply_bias(int n, const double *restrict x, double *restrict y)
        {
            for (int i = 0; i < n; i++)
                y[i] = x[i] - bias;
        }

        int main(void)
        {
            const int n = 1 << 20;
            double *x = malloc(n * sizeof *x), *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
            double *c = malloc(n * sizeof *c), *d = malloc(n * sizeof *d);
            for (int i = 0; i < n; i++) x[i] = (double)(i % 7);
            gain = 3.0; offset = 5.0; bias = 1.0;
            apply_gain(n, x, a);
            apply_offset(n, x, b);
            apply_helper(n, x, c);
            apply_bias(n, x, d);
            double sa = 0.0, sb = 0.0, sc = 0.0, sd = 0.0;
            for (int i = 0; i < n; i++) { sa += a[i]; sb += b[i]; sc += c[i]; sd += d[i]; }
            printf("gain %.17g offset %.17g helper %.17g bias %.17g\n", sa, sb, sc, sd);
            free(x); free(a); free(b); free(c); free(d);
            return 0;
        }

        """;

    private static readonly Dictionary<string, string> FourThreads = new() { ["OMP_NUM_THREADS"] = "4", ["OMP_WAIT_POLICY"] = "passive" };

    [Test]
    public void Loops_using_thread_local_variables_stay_serial_and_a_plain_global_stays_parallel()
    {
        var path = Ws.WriteSource("verdict_thread_local.c", Program);
        var loops = Ws.Analyze(path).Loops;
        foreach (var (function, variable) in new[] { ("apply_gain", "gain"), ("apply_offset", "offset"), ("apply_helper", "gain") })
        {
            var loop = loops.Single(l => l.Function == function);
            Assert.That(loop.Parallelizable, Is.False, function + ": " + loop.Reason);
            Assert.That(loop.Reason, Does.Contain($"thread-local variable `{variable}`"), function);
        }
        var plain = loops.Single(l => l.Function == "apply_bias");
        Assert.That(plain.Parallelizable, Is.True, plain.Reason);
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_thread_local_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_thread_local.c", Program);
        var result = Ws.RewriteParallelLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied), Is.GreaterThanOrEqualTo(1), "the plain global's loop is parallel, so the run tests the rewrite");
        var rewritten = Ws.WriteRewritten(path, result.Text);
        var serial = Path.Combine(Ws.Root, $"serial_{compiler}_thread_local");
        var parallel = Path.Combine(Ws.Root, $"parallel_{compiler}_thread_local");
        Assert.That(GenerationWorkspace.Run(cc, ["-O1", "-fopenmp", path, "-o", serial]).ExitCode, Is.Zero);
        var build = GenerationWorkspace.Run(cc, ["-O1", "-fopenmp", rewritten, "-o", parallel]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        var expected = GenerationWorkspace.Run(serial, [], environment: FourThreads);
        Assert.That(expected.StdOut, Does.StartWith("gain 9437166 "), "3 x the sum of 0..6 repeated over 2^20 elements");
        for (var round = 0; round < 3; round++)
        {
            var actual = GenerationWorkspace.Run(parallel, [], environment: FourThreads);
            Assert.That(actual.ExitCode, Is.Zero, actual.Output);
            Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), "round " + round + "; rewritten:\n" + result.Text);
        }
    }
}
