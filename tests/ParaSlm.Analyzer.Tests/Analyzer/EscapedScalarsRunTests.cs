using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A scalar whose address escapes cannot be privatized or reduced while the loop reads through a pointer or reference
/// that may hold that address (issue 11, found reviewing verdicts for held-out code): the clause replaces the variable
/// only where the code names it, and the pointer still reaches the shared original. The worst cases as a whole
/// program (a running sum read back through a local pointer, a global read back through a global pointer), with a
/// plain reduction beside them that must stay parallel; rewritten exactly as the build does and run on 4 threads
/// against serial.
/// </summary>
[TestFixture]
[Category("Integration")]
[Parallelizable(ParallelScope.None)]
public sealed class EscapedScalarsRunTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>

        double total;
        double *total_view = &total;

        static void running_sum(int n, const double *x, double *restrict y)
        {
            double s = 0.0;
            double *ps = &s;
            for (int i = 0; i < n; i++) {
                s += x[i];
                y[i] = *ps;
            }
        }

        static void global_running_sum(int n, const double *restrict x, double *restrict y)
        {
            for (int i = 0; i < n; i++) {
                total += x[i];
                y[i] = *total_view;
            }
        }

        static double plain_sum(int n, const double *x)
        {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += x[i];
            return s;
        }

        int main(void)
        {
            const int n = 1 << 16;
            double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *z = malloc(n * sizeof *z);
            for (int i = 0; i < n; i++) x[i] = (double)(i % 7);
            running_sum(n, x, y);
            global_running_sum(n, x, z);
            double check = 0.0;
            for (int i = 0; i < n; i++) check += y[i] * (i % 3) + z[i] * (i % 5);
            printf("y %.17g z %.17g check %.17g sum %.17g\n", y[n - 1], z[n / 2], check, plain_sum(n, x));
            free(x); free(y); free(z);
            return 0;
        }

        """;

    private static readonly Dictionary<string, string> FourThreads = new() { ["OMP_NUM_THREADS"] = "4", ["OMP_WAIT_POLICY"] = "passive" };

    [Test]
    public void Sums_read_back_through_a_pointer_stay_serial_and_a_plain_sum_is_a_reduction()
    {
        var path = Ws.WriteSource("verdict_escaped.c", Program);
        var loops = Ws.Analyze(path).Loops;
        var local = loops.Single(l => l.Function == "running_sum");
        Assert.That(local.Parallelizable, Is.False, local.Reason);
        Assert.That(local.Reason, Does.Contain("`s` may also be accessed through `*ps`"));
        var global = loops.Single(l => l.Function == "global_running_sum");
        Assert.That(global.Parallelizable, Is.False, global.Reason);
        Assert.That(global.Reason, Does.Contain("`total` may also be accessed through `*total_view`"));
        var plain = loops.Single(l => l.Function == "plain_sum");
        Assert.That(plain.Parallelizable, Is.True, plain.Reason);
        Assert.That(plain.Reductions.Select(r => (r.Operator, r.Variable)), Is.EqualTo(new[] { ("+", "s") }));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_escaped_sum_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_escaped.c", Program);
        var result = Ws.RewriteParallelLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied), Is.GreaterThanOrEqualTo(1), "the plain sum is parallel, so the run tests the rewrite");
        var rewritten = Ws.WriteRewritten(path, result.Text);
        var serial = Path.Combine(Ws.Root, $"serial_{compiler}_escaped");
        var parallel = Path.Combine(Ws.Root, $"parallel_{compiler}_escaped");
        Assert.That(GenerationWorkspace.Run(cc, ["-O1", path, "-o", serial]).ExitCode, Is.Zero);
        var build = GenerationWorkspace.Run(cc, ["-O1", "-fopenmp", rewritten, "-o", parallel]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        var expected = GenerationWorkspace.Run(serial, [], environment: FourThreads);
        Assert.That(expected.StdOut, Does.StartWith("y 196603 "), "the serial running sum of 0..6 repeated over 65536 elements");
        for (var round = 0; round < 3; round++)
        {
            var actual = GenerationWorkspace.Run(parallel, [], environment: FourThreads);
            Assert.That(actual.ExitCode, Is.Zero, actual.Output);
            Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), "round " + round + "; rewritten:\n" + result.Text);
        }
    }
}
