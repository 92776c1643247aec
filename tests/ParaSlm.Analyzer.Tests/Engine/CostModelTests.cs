namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// Never slower: the analyzer planner's cost model leaves a provably parallel loop serial when a parallel region would
/// cost more than it saves (shapes taken from the kernel suite's histogram and spmv, and from real code's tiny reductions).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class CostModelTests : EngineFixture
{
    private Dictionary<int, (string Action, string Reason)> Plan(string code) => Ws.AnalyzerPlans(code);

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
            Assert.That(plans[4].Reason, Does.Contain("4096 iterations only move data").And.Contain("about 4096 memory accesses, less than such a loop needs"));
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

    [Test]
    public void A_fill_or_copy_loop_needs_four_times_the_work_of_a_loop_that_computes()
    {
        var plans = Plan("""
            #define N 100000
            void setup(long long *restrict d, double *restrict a, const double *restrict b, const double *restrict c)
            {
                for (int v = 0; v < N; v++)
                    d[v] = -1;
                for (int v = 0; v < N / 2; v++)
                    a[v] = b[v];
                for (int v = 0; v < N; v++)
                    a[v] = b[v] * c[v] + 1.0;
                for (int v = 0; v < 10 * N; v++)
                    d[v] = -1;
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(plans[4].Action, Is.EqualTo("sequential"), "100,000 stores: bound by memory bandwidth, the threads gain too little");
            Assert.That(plans[4].Reason, Does.Contain("only move data").And.Contain("about 100000 memory accesses").And.Contain("about 200000"));
            Assert.That(plans[6].Action, Is.EqualTo("sequential"), "a copy of 50,000 elements: 100,000 accesses, half of what a copy needs");
            Assert.That(plans[8].Action, Is.EqualTo("parallel"), "two streams read and combined: 300,000 accesses of a loop that computes");
            Assert.That(plans[10].Action, Is.EqualTo("parallel"), "a fill of a million elements still pays");
        });
    }

    [Test]
    public void A_stride_1_loop_that_runs_in_vector_lanes_needs_four_times_the_work_and_a_strided_indirect_calling_or_branching_one_does_not()
    {
        // TSVC's vpvpv shape (`a[i] += b[i] + c[i]`), measured at 0.60x on 2 threads: vectorized, one pass takes a few µs,
        // less than a fork/join. 20,000 iterations of 3 accesses are 60,000, above the 50,000 of a scalar loop; the same
        // count with a gather, a stride of 3 (outside the lane shapes: a stride of 2 is one, CacheResidentCostTests) or a call
        // is weighed as scalar and stays parallel.
        var plans = Plan("""
            #include <math.h>
            #define N 20000
            void kernels(float *restrict a, const float *restrict b, const float *restrict c, const int *restrict idx, float *restrict d, double *restrict out, const double *restrict x, const double *restrict y)
            {
                for (int i = 0; i < N; i++)
                    a[i] = b[i] + c[i];
                for (int i = 0; i < N; i++)
                    d[i] = b[idx[i]] + c[i];
                for (int i = 0; i < N; i++)
                    d[3 * i] = b[i] + c[i];
                for (int i = 0; i < N; i++)
                    out[i] = sqrt(x[i]) + y[i];
                double s = 0.0;
                for (int i = 0; i < 30000; i++)
                    s += x[i] * x[i];
                out[0] = s;
                for (int i = 0; i < N; i++)
                    if (b[i] > 0.0f) a[i] = b[i] + c[i];
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(plans[5].Action, Is.EqualTo("sequential"), "60,000 counted accesses in vector lanes are worth about 15,000");
            Assert.That(plans[5].Reason, Does.Contain("run in vector lanes").And.Contain("about 60000 memory accesses").And.Contain("about 15000 accesses' worth of work"));
            Assert.That(plans[7].Action, Is.EqualTo("parallel"), "a gather (`b[idx[i]]`): no contiguous lanes, 80,000 accesses");
            Assert.That(plans[9].Action, Is.EqualTo("parallel"), "a stride of 3: weighed as scalar, 60,000 accesses");
            Assert.That(plans[11].Action, Is.EqualTo("parallel"), "a call: not the analyzer's simd shape");
            Assert.That(plans[14].Action, Is.EqualTo("parallel"), "a floating-point sum stays scalar in order without reassociation (vdotr, s313 paid)");
            Assert.That(plans[17].Action, Is.EqualTo("parallel"), "a branch: masked stores, which gcc often declines (s271, vif paid)");
        });
    }

    [Test]
    public void A_loop_of_run_time_length_that_runs_in_vector_lanes_gets_a_guard_four_times_higher()
    {
        var f = Ws.Write("src/v.c", """
            void add(int n, float *restrict a, const float *restrict b, const float *restrict c, float *restrict d)
            {
                for (int v = 0; v < n; v++)
                    a[v] = b[v] + c[v];
                for (int v = 0; v < n; v++)
                    d[3 * v] = b[v] + c[v];
            }
            """);
        var (exit, _, err) = EngineWorkspace.Run("apply", "--request", Ws.Request("Apply", (f, ["-std=c11"])));
        Assert.That(exit, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single(r => r[0] == f)[1]);
        Assert.Multiple(() =>
        {
            Assert.That(copy, Does.Contain("if (!PARASLM_COST_GUARD || n >= 66667) {"), "three accesses in vector lanes: 50,000 / (3 / 4)");
            Assert.That(copy, Does.Contain("if (!PARASLM_COST_GUARD || n >= 16667) {"), "three strided accesses: 50,000 / 3");
        });
    }

    [Test]
    public void A_fill_of_run_time_length_gets_a_higher_guard_per_access_than_a_loop_that_computes()
    {
        var f = Ws.Write("src/g.c", """
            void init(int n, long long *restrict dist, double *restrict a, const double *restrict b, const double *restrict c)
            {
                for (int v = 0; v < n; v++)
                    dist[v] = -1;
                for (int v = 0; v < n; v++)
                    a[v] = b[v] * c[v];
            }
            """);
        var (exit, _, err) = EngineWorkspace.Run("apply", "--request", Ws.Request("Apply", (f, ["-std=c11"])));
        Assert.That(exit, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single(r => r[0] == f)[1]);
        Assert.Multiple(() =>
        {
            Assert.That(copy, Does.Contain("if (!PARASLM_COST_GUARD || n >= 200000) {"), "one store per iteration: 200,000 / 1");
            Assert.That(copy, Does.Contain("if (!PARASLM_COST_GUARD || n >= 66667) {"), "three accesses per iteration in vector lanes: 50,000 / (3 / 4)");
        });
    }

    [Test]
    public void A_loop_of_run_time_length_whose_work_is_unknown_still_gets_a_guard_of_at_least_64_iterations()
    {
        // nlopt's COBYLA and Nelder-Mead shapes: rows of run-time length over inner loops of run-time length, called
        // millions of times with n = 2. Without a guard every call forked (tests 60-110x slower than serial).
        var f = Ws.Write("src/h.c", """
            void rows(int n, int m, double *restrict out, const double *restrict a)
            {
                for (int i = 0; i < n; i++) {
                    double s = 0.0;
                    for (int k = 0; k < m; k++)
                        s += a[i * m + k];
                    for (int k = 0; k < m; k++)
                        s += a[i * m + k] * 2.0;
                    out[i] = s;
                }
            }
            """);
        var (exit, _, err) = EngineWorkspace.Run("apply", "--request", Ws.Request("Apply", (f, ["-std=c11"])));
        Assert.That(exit, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single(r => r[0] == f)[1]);
        // Two inner loops: no closed form of the work, so the unknown-work minimum (opus's bands forked at `end >= 8`).
        Assert.That(copy, Does.Contain("if (!PARASLM_COST_GUARD || n >= 64) {").And.Contain("} else {"), copy);
    }
}
