using System.Text.Json;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with the nest's second edit (issue 14): the copy carries `#pragma omp simd` on the proven inner loops,
/// ParaSlmFloatReassociation decides an inner floating-point sum, the report names the vectorized loops on both the
/// parallel loop and the inner one, and the applied loop's record keeps the sites for validation's copies.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class InnerSimdEngineTests : EngineFixture
{
    private const string Source = """
        enum { N = 512, M = 256 };
        static double a[N][M];
        static int k[N][M];

        void rows(double *restrict out, long *restrict counts)
        {
            for (int i = 0; i < N; i++) {
                double s = 0.0;
                long c = 0;
                for (int j = 0; j < M; j++)
                    s += a[i][j] * a[i][j];
                for (int j = 0; j < M; j++)
                    c += k[i][j];
                out[i] = s;
                counts[i] = c;
            }
        }
        """;

    private (string Copy, JsonElement Outer, JsonElement FloatSum, JsonElement IntSum, string State) Apply(bool floatReassociation)
    {
        var file = Ws.Write("src/rows.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")) with { FloatReassociation = floatReassociation });
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        var plans = Ws.ReportPlansByLine();
        return (copy, plans[7], plans[10], plans[12], Path.Combine(Ws.Obj, "paraslm.state.json"));
    }

    [Test]
    public void With_reassociation_both_inner_sums_run_in_vector_lanes_and_the_report_says_so()
    {
        var (copy, outer, floatSum, intSum, state) = Apply(floatReassociation: true);
        Assert.That(copy, Does.Contain("#pragma omp parallel for firstprivate(out, counts)\n"), "a `long` store may change the shared pointers");
        Assert.That(copy, Does.Match(@"#pragma omp simd reduction\(\+:s\)\n#line 10 "));
        Assert.That(copy, Does.Match(@"#pragma omp simd reduction\(\+:c\)\n#line 12 "));
        Assert.That(outer.GetProperty("reason").GetString(), Does.Contain("`#pragma omp simd reduction(+:s)` on the inner loop at line 10"));
        Assert.That(outer.GetProperty("lastDigitsMayChange").GetBoolean(), Is.True, "the lanes sum `s` in another order");
        Assert.That(floatSum.GetProperty("reason").GetString(), Does.Contain("runs in vector lanes"));
        Assert.That(intSum.GetProperty("reason").GetString(), Does.Contain("runs in vector lanes"));
        var applied = ParaSlm.Engine.EngineState.Load(state).Sources.Values.Single().Applied.Single();
        Assert.That(applied.InnerSimd.Select(x => (x.Line, x.Directive)), Is.EqualTo(new[] { (10, "omp simd reduction(+:s)"), (12, "omp simd reduction(+:c)") }),
            "validation rebuilds its copies from the applied loop's record, read back from the state file");
    }

    [Test]
    public void Without_reassociation_only_the_integer_sum_is_vectorized()
    {
        var (copy, outer, floatSum, intSum, _) = Apply(floatReassociation: false);
        Assert.That(copy, Does.Not.Contain("reduction(+:s)"));
        Assert.That(copy, Does.Match(@"#pragma omp simd reduction\(\+:c\)\n#line 12 "));
        Assert.That(outer.GetProperty("lastDigitsMayChange").GetBoolean(), Is.False);
        Assert.That(floatSum.GetProperty("reason").GetString(), Does.Not.Contain("vector lanes"));
        Assert.That(intSum.GetProperty("reason").GetString(), Does.Contain("runs in vector lanes"));
    }
}
