using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A plan's reason names only the inner `omp simd` its edit writes (<see cref="PlanSites"/>): a time loop run as one
/// hoisted region work-shares its nests as written, so their stride-1 inner loops are named nowhere, and a model's plan
/// that asks for them there has the element dropped.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class PlanSitesTests : GenerationFixture
{
    private const string Jacobi = """
        #define N 2000
        static double A[N][N], B[N][N];

        void jacobi(int steps) {
            for (int t = 0; t < steps; t++) {
                for (int i = 1; i < N - 1; i++)
                    for (int j = 1; j < N - 1; j++)
                        B[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][j + 1] + A[i + 1][j] + A[i - 1][j]);
                for (int i = 1; i < N - 1; i++)
                    for (int j = 1; j < N - 1; j++)
                        A[i][j] = 0.2 * (B[i][j] + B[i][j - 1] + B[i][j + 1] + B[i + 1][j] + B[i - 1][j]);
            }
        }
        """;

    [Test]
    public void The_nests_of_a_hoisted_region_name_no_inner_simd_their_edit_does_not_write()
    {
        var path = Ws.WriteSource("jacobi.c", Jacobi);
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var nests = analysis.Loops.Where(l => l.Depth == 2).ToList();
        Assert.That(nests.Select(n => InnerSimd.Sites(n, 1, byId, true).Count), Is.EqualTo(new[] { 1, 1 }), "the facts prove each j loop");

        var plans = FilePlanner.AnalyzerPlan(analysis).Where(p => nests.Any(n => n.Id == p.Id)).ToList();
        Assert.That(plans.Select(p => (p.Proposal.Transform, p.Proposal.InnerSimd)), Is.All.EqualTo((SerialLoopHoist.TransformName, false)));
        Assert.That(plans.Select(p => p.Reason), Has.All.Contain("hoist-region").And.All.Not.Contain("inner simd"));

        var asked = PlanVerifier.Verify(nests[0], plans[0].Proposal with { InnerSimd = true }, byId, insideParallel: false);
        Assert.That((asked.Plan.InnerSimd, asked.Plan.Transform, asked.Code), Is.EqualTo((false, SerialLoopHoist.TransformName, PlanVerifier.WrongClauses)));
        Assert.That(asked.Reason, Does.Contain("inner simd dropped: the `hoist-region` form work-shares its nests as written"));
        var plain = PlanVerifier.Verify(nests[0], plans[0].Proposal with { Transform = null, InnerSimd = true }, byId, insideParallel: false);
        Assert.That((plain.Kind, plain.Plan.InnerSimd), Is.EqualTo((VerdictKind.Accepted, true)), "its own `parallel for` edit writes the pragma");
    }
}
