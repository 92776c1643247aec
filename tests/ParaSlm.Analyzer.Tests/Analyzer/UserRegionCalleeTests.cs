using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A function the user's own OpenMP region calls gets no region of ParaSlm's (found on a Monte Carlo proxy app whose
/// per-window pole loop, called for every lookup of the user's `parallel for`, was planned parallel behind a run-time
/// guard: a region nested in theirs, a team of one per call by default, more threads than cores with nesting on).
/// Followed through helpers defined in the file; the same loop in a function only serial code calls stays parallel.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class UserRegionCalleeTests : Generation.GenerationFixture
{
    private const string Program = """
        #include <stddef.h>

        static double window_sum(const double *restrict poles, int start, int end)
        {
            double s = 0.0;
            for (int i = start; i < end; i++)
                s += poles[i] * poles[i];
            return s;
        }

        static double lookup(const double *restrict poles, int n, int k)
        {
            return window_sum(poles, k % 7, n);
        }

        double simulate(const double *restrict poles, int n, int lookups)
        {
            double total = 0.0;
            #pragma omp parallel for reduction(+:total)
            for (int k = 0; k < lookups; k++)
                total += lookup(poles, n, k);
            return total;
        }

        static double tasked(const double *restrict poles, int n)
        {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += poles[i];
            return s;
        }

        static void tasks(const double *restrict poles, int n, double *restrict out)
        {
            #pragma omp task
            out[0] = tasked(poles, n);
        }

        double energy(const double *restrict poles, int n)
        {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += poles[i] * poles[i];
            return s;
        }
        """;

    [Test]
    public void Loops_of_functions_the_users_region_calls_stay_serial_and_the_same_loop_elsewhere_stays_parallel()
    {
        var path = Ws.WriteSource("user_region_callee.c", Program);
        var analysis = Ws.Analyze(path, ["-fopenmp"]);
        var plans = FilePlanner.AnalyzerPlan(analysis).ToDictionary(p => analysis.Loops.Single(l => l.Id == p.Id).Function);
        var nested = plans["window_sum"];
        Assert.That(analysis.Loops.Single(l => l.Function == "window_sum").Parallelizable, Is.True, "the loop itself is a plain reduction");
        Assert.That(nested.IsParallel, Is.False, nested.Reason);
        Assert.That(nested.Reason, Does.StartWith("parallelizable, but `window_sum` is called"));
        Assert.That(nested.Reason, Does.Contain("inside the user's OpenMP region (`#pragma omp"));
        Assert.That(nested.Reason, Does.Contain("would be nested in theirs"));
        var onlyTask = analysis.Loops.Single(l => l.Function == "tasked");
        Assert.That(onlyTask.InsideUserRegion, Does.Contain("`tasked` is called inside the user's OpenMP region (`#pragma omp task`"),
            "a call that is part of a statement under `omp task`");
        var alone = plans["energy"];
        Assert.That(alone.IsParallel, Is.True, alone.Reason);
        var rewritten = Ws.RewritePlannedLoops(path, extraArguments: ["-fopenmp"]).Text;
        var helper = rewritten[rewritten.IndexOf("static double window_sum", StringComparison.Ordinal)..rewritten.IndexOf("static double lookup", StringComparison.Ordinal)];
        Assert.That(helper, Does.Not.Contain("#pragma omp"), "no region inside the user's");
    }

    [Test]
    public void Where_the_build_has_no_OpenMP_the_users_inert_directive_does_not_hold_back_the_callees_loop()
    {
        var path = Ws.WriteSource("user_region_callee_no_openmp.c", Program);
        var analysis = Ws.Analyze(path);
        var loop = analysis.Loops.Single(l => l.Function == "window_sum");
        Assert.That(loop.InsideUserRegion, Is.Null, "the copy blanks the user's directives in a build without OpenMP: nothing to nest in");
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == loop.Id);
        Assert.That(plan.Reason, Does.Not.Contain("nested"), plan.Reason);
    }
}
