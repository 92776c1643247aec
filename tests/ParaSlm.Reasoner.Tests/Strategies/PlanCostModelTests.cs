using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Tests.Strategies;

/// <summary>The cost model tree-of-thoughts ranks with: more work per region wins, tiny loops lose.</summary>
[Category("Unit")]
public sealed class PlanCostModelTests : NestBedFixture
{
    private static PlanProposal Parallel(int collapse = 1, ParallelTarget target = ParallelTarget.CpuOpenMP, params Reduction[] reductions) =>
        new(true, target, [], [], reductions, collapse);

    [Test]
    public void The_outer_loop_of_a_nest_gains_more_than_an_inner_one()
    {
        var nest = Bed.Nest("""
            double A[512][512], B[512][512], C[512][512];
            void mm(void) {
              for (int i = 0; i < 512; i++)
                for (int j = 0; j < 512; j++) {
                  double s = 0;
                  for (int k = 0; k < 512; k++) s += A[i][k] * B[k][j];
                  C[i][j] = s;
                }
            }
            """);
        var outer = PlanCostModel.Estimate(nest, nest.Nest[0].Id, Parallel());
        var middle = PlanCostModel.Estimate(nest, nest.Nest[1].Id, Parallel());
        var inner = PlanCostModel.Estimate(nest, nest.Nest[2].Id, Parallel(reductions: new Reduction("+", "s")));
        var sequential = PlanCostModel.Estimate(nest, nest.Nest[0].Id, PlanProposal.Sequential);
        TestContext.Out.WriteLine(string.Join("\n", outer.Explanation, middle.Explanation, inner.Explanation));
        Assert.That(outer.Gain, Is.GreaterThan(middle.Gain));
        Assert.That(middle.Gain, Is.GreaterThan(inner.Gain));
        Assert.That(sequential.Gain, Is.Zero);
        Assert.That(outer.SerialWork, Is.EqualTo(sequential.SerialWork));
    }

    [Test]
    public void A_tiny_trip_count_does_not_pay_for_a_region()
    {
        var nest = Bed.Nest("float a[4];\nvoid f(void) {\n  for (int i = 0; i < 4; i++) a[i] = a[i] * 2.0f;\n}\n");
        Assert.That(PlanCostModel.Estimate(nest, nest.Loop.Id, Parallel()).Gain, Is.Negative);
    }

    [Test]
    public void Collapse_helps_when_the_outer_loop_has_fewer_iterations_than_threads()
    {
        var nest = Bed.Nest("""
            float a[4][100000];
            void f(void) {
              for (int c = 0; c < 4; c++)
                for (int i = 0; i < 100000; i++) a[c][i] = a[c][i] * 0.5f;
            }
            """);
        var one = PlanCostModel.Estimate(nest, nest.Loop.Id, Parallel());
        var two = PlanCostModel.Estimate(nest, nest.Loop.Id, Parallel(collapse: 2));
        Assert.That(two.Gain, Is.GreaterThan(one.Gain));
    }

    [Test]
    public void A_gpu_pays_off_only_for_large_work()
    {
        const string template = "float a[N], b[N];\nvoid f(void) {\n  for (int i = 0; i < N; i++) a[i] = b[i] * 2.0f;\n}\n";
        var small = Bed.Nest("#define N 2000\n" + template);
        var large = Bed.Nest("#define N 50000000\n" + template);
        double Gain(PlanningInput n, ParallelTarget t) => PlanCostModel.Estimate(n, n.Loop.Id, Parallel(target: t)).Gain;
        Assert.That(Gain(small, ParallelTarget.GpuCuda), Is.LessThan(Gain(small, ParallelTarget.CpuOpenMP)));
        Assert.That(Gain(large, ParallelTarget.GpuCuda), Is.GreaterThan(Gain(large, ParallelTarget.CpuOpenMP)));
    }
}
