using System.Text.Json;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// Never slower: the analyzer planner's cost model leaves a provably parallel loop serial when a parallel region would
/// cost more than it saves (shapes taken from the kernel suite's histogram and spmv, and from real code's tiny reductions).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class CostModelTests
{
    private EngineWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new EngineWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    private Dictionary<int, (string Action, string Reason)> Plan(string code)
    {
        var f = _ws.Write("src/f.c", code);
        var (exit, output, err) = EngineWorkspace.Run("plan", f, "--json", "--strategy", "analyzer", "--cache", "off", "--", "-std=c11");
        Assert.That(exit, Is.EqualTo(0), err);
        return JsonDocument.Parse(output).RootElement.GetProperty("plans").EnumerateArray()
            .ToDictionary(p => p.GetProperty("line").GetInt32(), p => (p.GetProperty("action").GetString()!, p.GetProperty("reason").GetString()!));
    }

    [Test]
    public void A_4096_iteration_loop_with_a_tiny_body_stays_serial_and_one_with_real_work_is_parallel()
    {
        var plans = Plan("""
            #define NBINS 4096
            void clear(long long *restrict hist, unsigned short *restrict lut, const long long *restrict cdf, int n)
            {
                for (int v = 0; v < NBINS; v++)
                    hist[v] = 0;
                for (int v = 0; v < NBINS; v++)
                    lut[v] = (unsigned short)((cdf[v] * (NBINS - 1)) / n);
            }
            void blur(double (*restrict out)[512], const double (*restrict in)[512])
            {
                for (int i = 1; i < 4095; i++)
                    for (int j = 1; j < 511; j++)
                        out[i][j] = (in[i][j - 1] + in[i][j + 1]) * 0.5;
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(plans[4].Action, Is.EqualTo("sequential"));
            Assert.That(plans[4].Reason, Does.Contain("4096 iterations do about 4096 memory accesses' worth of work, less than a parallel region costs"));
            Assert.That(plans[6].Action, Is.EqualTo("sequential"));
            Assert.That(plans[11].Action, Is.EqualTo("parallel"), "4094 × 510 iterations of three accesses pay for the region");
        });
    }

    [Test]
    public void A_short_loop_of_unknown_length_inside_a_long_serial_loop_stays_serial()
    {
        var plans = Plan("""
            void normalize(int n, const int *restrict rowptr, double *restrict val, const double *restrict scale)
            {
                for (int i = 0; i < n; i++) {
                    double s = scale[i];
                    for (int k = rowptr[i]; k < rowptr[i + 1]; k++)
                        val[k] = val[k] * s;
                    if (s > 1.0) break;
                }
            }
            double dots(int n, int dim, const double *restrict x, double *restrict out)
            {
                double all = 0.0;
                for (int p = 0; p < n; p++) {
                    double d = 0.0;
                    for (int k = 0; k < dim; k++)
                        d += x[p * 3 + k] * x[p * 3 + k];
                    out[p] = d;
                    if (d > 1e9) return all;
                    all += d;
                }
                return all;
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(plans[3].Action, Is.EqualTo("sequential"), "the row loop exits early: serial");
            Assert.That(plans[5].Action, Is.EqualTo("sequential"));
            Assert.That(plans[5].Reason, Does.Contain("its trip count is not known and it sits inside a loop that stays serial"));
            Assert.That(plans[15].Action, Is.EqualTo("sequential"), "a reduction over a point's few coordinates, once per point");
        });
    }

    [Test]
    public void A_loop_of_unknown_length_inside_a_few_known_serial_iterations_stays_parallel()
    {
        var plans = Plan("""
            void iterate(int n, double *restrict rank, const double *restrict contrib)
            {
                for (int it = 0; it < 20; it++)
                    for (int v = 0; v < n; v++)
                        rank[v] = 0.15 + 0.85 * contrib[v] * rank[v];
            }
            """);
        Assert.That(plans[4].Action, Is.EqualTo("parallel"), "20 region entries over a whole array each: the region pays");
    }
}
