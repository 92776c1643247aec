using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A loop under the user's own OpenMP directive is reported as theirs even where the analyzer alone cannot prove it
/// (found on a Monte Carlo proxy app whose simulation loops advance a per-iteration random seed through a pointer):
/// the reason used to be only the analyzer's ("calls `next`, which writes through the pointer `seed`"), which reads as
/// if ParaSlm had judged the user's parallel loop unsafe or dropped their directive. The plan stays serial (no
/// transform is weighed for a user's loop) and the reason says first that the directive is left as written.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class UserDirectiveReasonTests : Generation.GenerationFixture
{
    private const string Program = """
        #include <stdint.h>

        static double next(uint64_t *seed)
        {
            *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
            return (double)(*seed >> 11) / 9007199254740992.0;
        }

        unsigned long long simulate(int lookups, const double *table)
        {
            unsigned long long v = 0;
            #pragma omp parallel for schedule(dynamic,100) reduction(+:v)
            for (int i = 0; i < lookups; i++) {
                uint64_t seed = 42u + (uint64_t)i;
                double e = next(&seed);
                v += table[(int)(e * 15.0)] > 0.5;
            }
            return v;
        }

        void scale(int n, double *restrict y, const double *restrict x)
        {
            #pragma omp parallel for
            for (int i = 0; i < n; i++)
                y[i] = 2.0 * x[i];
        }
        """;

    [Test]
    public void A_users_loop_the_analyzer_cannot_prove_is_reported_as_left_to_their_directive_with_the_analyzers_reason_after()
    {
        var path = Ws.WriteSource("user_directive_reason.c", Program);
        var analysis = Ws.Analyze(path);
        var plans = FilePlanner.AnalyzerPlan(analysis).ToDictionary(p => analysis.Loops.Single(l => l.Id == p.Id).Function);
        var simulate = plans["simulate"];
        Assert.That(simulate.IsParallel, Is.False, "the user's loop is never re-planned");
        Assert.That(simulate.Reason, Does.StartWith("the user's own OpenMP directive (`#pragma omp parallel for schedule(dynamic,100) reduction(+:v)`) applies to this loop; it is left as written"));
        Assert.That(simulate.Reason, Does.Contain("ParaSlm's own analysis alone would keep it serial: calls `next`, which writes through the pointer `seed`"));
        var scale = plans["scale"];
        Assert.That(scale.IsParallel, Is.False);
        Assert.That(scale.Reason, Is.EqualTo("the user's own OpenMP directive (`#pragma omp parallel for`) applies to this loop; it is left as written"),
            "a loop the analyzer proves too has nothing to add");
    }
}
