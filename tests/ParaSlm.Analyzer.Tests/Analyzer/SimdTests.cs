using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// `parallel for simd` (issue 14) on a parallel innermost loop whose accesses are stride-1 or invariant: the fact, the
/// verifier dropping it where the fact is missing, the generated pragma, and a 4-thread run against serial.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class SimdTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>

        static void axpy(int n, double a, const double *restrict x, double *restrict y) {
            for (int i = 0; i < n; i++)
                y[i] += a * x[i];
        }

        static long dot(int n, const int *restrict x, const int *restrict y) {
            long s = 0;
            for (int i = 0; i < n; i++)
                s += (long)x[i] * y[i];
            return s;
        }

        static void strided(int n, const double *restrict x, double *restrict y) {
            for (int i = 0; i < n; i++)
                y[i] = x[2 * i];
        }

        static void column(int n, int m, const double *restrict x, double *restrict y) {
            for (int i = 0; i < n; i++)
                y[i] = x[i * m];
        }

        static double half(double v) { return v * 0.5; }

        static void roots(int n, double *restrict y) {
            for (int i = 0; i < n; i++)
                y[i] = half(y[i]);
        }

        int main(void) {
            enum { N = 1 << 20 };
            double *x = malloc(sizeof *x * 2 * N);
            double *y = malloc(sizeof *y * 2 * N);
            int *p = malloc(sizeof *p * N);
            int *q = malloc(sizeof *q * N);
            if (!x || !y || !p || !q) return 1;
            for (int i = 0; i < 2 * N; i++) { x[i] = i % 17; y[i] = i % 5; }
            for (int i = 0; i < N; i++) { p[i] = i % 1000 - 500; q[i] = i % 7; }
            axpy(N, 0.5, x, y);
            long s = dot(N, p, q);
            strided(N, x, y + N);
            column(N / 2, 2, x, y);
            roots(N, y);
            long t = 0;
            for (int i = 0; i < 2 * N; i += 3) t += (long)(y[i] * 1000);
            printf("%ld %ld\n", s, t);
            return 0;
        }

        """;

    [Test]
    public void Only_a_stride_1_innermost_loop_without_calls_is_vectorizable()
    {
        var loops = Ws.Analyze(Ws.WriteSource("facts.c", Program)).Loops;
        bool Vectorizable(string f) => loops.First(l => l.Function == f).Vectorizable;
        Assert.That(Vectorizable("axpy"), Is.True);
        Assert.That(Vectorizable("dot"), Is.True);
        Assert.That(Vectorizable("strided"), Is.False, "x[2 * i] moves two elements per iteration");
        Assert.That(Vectorizable("column"), Is.False, "x[i * m] has a stride known only at run time");
        Assert.That(Vectorizable("roots"), Is.False, "a call in the body");
    }

    [Test]
    public void The_planner_asks_for_simd_and_the_verifier_drops_it_where_the_fact_is_missing()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("plan.c", Program));
        var plans = FilePlanner.AnalyzerPlan(analysis);
        string Clauses(string f) => plans.First(p => analysis.Loops.Single(l => l.Id == p.Id).Function == f).Clauses;
        Assert.That(Clauses("axpy"), Is.EqualTo("simd"));
        Assert.That(Clauses("dot"), Is.EqualTo("simd reduction(+:s)"));
        Assert.That(Clauses("strided"), Is.Empty);

        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var strided = analysis.Loops.First(l => l.Function == "strided");
        var verdict = PlanVerifier.Verify(strided, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Simd = true }, byId, insideParallel: false);
        Assert.That(verdict.Plan.Simd, Is.False);
        Assert.That(verdict.Code, Is.EqualTo("PSLM2002"));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_simd_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_simd.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var line = Program.Split('\n').Select((l, k) => (l, k)).First(x => x.l.Contains("s += (long)x[i] * y[i];", StringComparison.Ordinal)).k;
        Assert.That(result.Text, Does.Contain($"#pragma omp parallel for simd reduction(+:s)\n#line {line} \""), "the pragma, then the loop's own line number");
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result);
    }
}
