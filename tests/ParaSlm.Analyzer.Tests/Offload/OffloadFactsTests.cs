using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Offload;
using ParaSlm.Analyzer.Tests.Support;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Analyzer.Tests.Offload;

/// <summary>
/// The analyzer's offload facts: which parallel loops can run on a GPU, the arrays they touch with the sections and map
/// directions the data movement needs, and the verifier's use of them.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class OffloadFactsTests : SnippetFixture
{
    private static MappedArray Map(LoopFacts f, string name) =>
        f.Offload!.Arrays.Single(a => a.Name == name);

    [Test]
    public void A_vector_loop_maps_its_inputs_to_the_device_and_its_densely_written_output_back_only()
    {
        var f = Snippets.Single("""
            #include <math.h>
            void vadd(const double *restrict x, const double *restrict y, double *restrict z, int n) {
                for (int i = 0; i < n; i++)
                    z[i] = x[i] + sqrt(y[i]);
            }
            """);
        Assert.That(f.Offload, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(f.Offload!.Offloadable, Is.True, f.Offload.Reason);
            Assert.That(Map(f, "x").Direction, Is.EqualTo(MapDirection.To));
            Assert.That(Map(f, "y").Direction, Is.EqualTo(MapDirection.To));
            Assert.That(Map(f, "z").Direction, Is.EqualTo(MapDirection.From));
            Assert.That(Map(f, "z").Section, Is.EqualTo("z[0:n]"));
            Assert.That(f.Offload.DeviceCalls, Is.EqualTo(new[] { "sqrt" }));
            Assert.That(f.Offload.MapClauses, Is.EqualTo("map(to: x[0:n], y[0:n]) map(from: z[0:n])"));
        });
    }

    [Test]
    public void A_conditional_or_strided_write_is_copied_both_ways_because_unwritten_elements_must_keep_their_values()
    {
        var loops = Snippets.Loops("""
            void odd(double *restrict z, int n) {
                for (int i = 0; i < n; i++)
                    if (i % 2) z[i] = 1.0;
            }
            void every_other(double *restrict z, int n) {
                for (int i = 0; i < n; i++)
                    z[2 * i] = 1.0;
            }
            void offset(double *restrict z, const double *restrict x, int n) {
                for (int i = 1; i < n; i++)
                    z[i + 3] = x[i - 1];
            }
            """);
        Assert.Multiple(() =>
        {
            Assert.That(Map(loops[0], "z").Direction, Is.EqualTo(MapDirection.ToFrom));
            Assert.That(Map(loops[1], "z").Direction, Is.EqualTo(MapDirection.ToFrom));
            Assert.That(Map(loops[1], "z").Section, Is.EqualTo("z[0:(2 * n - 1)]"), "elements 0 … 2(n-1)");
            Assert.That(Map(loops[2], "z").Direction, Is.EqualTo(MapDirection.From), "a[i + c] with step 1 covers its section");
            Assert.That(Map(loops[2], "z").Section, Is.EqualTo("z[4:(n + 3) - 4]"));
            Assert.That(Map(loops[2], "x").Section, Is.EqualTo("x[0:(n - 1)]"));
        });
    }

    [Test]
    public void A_nest_over_fixed_size_two_dimensional_arrays_maps_them_whole()
    {
        var loops = Snippets.Loops("""
            #define N 64
            static double A[N][N], B[N][N], C[N][N];
            void mm(void) {
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++) {
                        double s = 0;
                        for (int k = 0; k < N; k++)
                            s += A[i][k] * B[k][j];
                        C[i][j] = s;
                    }
            }
            """);
        var f = loops[0];
        Assert.Multiple(() =>
        {
            Assert.That(f.Offload!.Offloadable, Is.True, f.Offload.Reason);
            Assert.That(f.Offload.MapClauses, Is.EqualTo("map(to: A, B) map(tofrom: C)"));
        });
    }

    [Test]
    public void A_two_dimensional_array_parameter_maps_the_whole_rows_its_nest_touches_both_ways()
    {
        var f = Snippets.Loops("""
            void scale(int n, int m, double C[1000][64], const double A[1000][64]) {
                for (int i = 1; i < n; i++)
                    for (int j = 0; j < 64; j++)
                        C[i][j] = 2 * A[i - 1][j];
            }
            """)[0];
        Assert.That(f.Offload!.Offloadable, Is.True, f.Offload.Reason);
        Assert.That(Map(f, "C").Direction, Is.EqualTo(MapDirection.ToFrom), "rows are a superset of the written elements");
        Assert.That(Map(f, "C").Section, Is.EqualTo("C[(64) / 64:((64 * n) + 63) / 64 - (64) / 64]"));
        Assert.That(Map(f, "A").Direction, Is.EqualTo(MapDirection.To));
    }

    [TestCase("static double sq(double v) { double r = v * v; return r; }\nvoid f(double *restrict z, int n) {\n for (int i = 0; i < n; i++)\n  z[i] = sq(z[i]);\n}", "it calls `sq`")]
    [TestCase("struct P { double *v; };\nvoid f(struct P p, int n) {\n for (int i = 0; i < n; i++)\n  p.v[i] = 0;\n}", "cannot be mapped to the device")]
    [TestCase("double f(double *restrict a, int n) {\n double last = 0;\n for (int i = 0; i < n; i++) { last = a[i] * 2; a[i] = last; }\n return last;\n}", "lastprivate")]
    public void A_parallel_loop_the_device_cannot_run_is_not_offloadable_with_the_reason(string source, string reason)
    {
        var f = Snippets.Loops(source)[0];
        Assert.That(f.Parallelizable, Is.True, f.Reason);
        Assert.That(f.Offload!.Offloadable, Is.False);
        Assert.That(f.Offload.Reason, Does.Contain(reason));
    }

    [Test]
    public void The_verifier_keeps_a_gpu_plan_for_an_offloadable_loop_and_moves_any_other_to_the_cpu_with_PSLM2004()
    {
        var loops = Snippets.Loops("""
            static double sq(double v) { double r = v * v; return r; }
            void f(double *restrict z, const double *restrict x, int n) {
                for (int i = 0; i < n; i++)
                    z[i] = x[i] * 2;
                for (int i = 0; i < n; i++)
                    z[i] = sq(z[i]);
            }
            """);
        var byId = loops.ToDictionary(l => l.Id);
        PlanProposal Gpu(LoopFacts l) => new(true, ParallelTarget.GpuOpenMPOffload, l.Private, l.LastPrivate, l.Reductions);
        var ok = PlanVerifier.Verify(loops[0], Gpu(loops[0]), byId, false);
        var moved = PlanVerifier.Verify(loops[1], Gpu(loops[1]), byId, false);
        Assert.Multiple(() =>
        {
            Assert.That(ok.Kind, Is.EqualTo(VerdictKind.Accepted));
            Assert.That(ok.Plan.Target, Is.EqualTo(ParallelTarget.GpuOpenMPOffload));
            Assert.That(moved.Kind, Is.EqualTo(VerdictKind.Repaired));
            Assert.That(moved.Plan.Target, Is.EqualTo(ParallelTarget.CpuOpenMP));
            Assert.That(moved.Code, Is.EqualTo("PSLM2004"));
            Assert.That(moved.Reason, Does.Contain("`sq`"));
        });
    }

    [Test]
    public void A_sequential_loop_has_no_offload_facts()
    {
        var f = Snippets.Single("void f(double *a, int n) { for (int i = 1; i < n; i++) a[i] = a[i - 1]; }");
        Assert.That(f.Parallelizable, Is.False);
        Assert.That(f.Offload, Is.Null);
    }
}
