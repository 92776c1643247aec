using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Engine;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>`paraslm apply` on a histogram scatter: the guarded array reduction with its cost guard in the copy, the
/// report's transform, the state that validation's probes rebuild the same copy from, and ParaSlmFloatReassociation
/// deciding a floating-point scatter.</summary>
[TestFixture]
[Category("Integration")]
public sealed class GuardedReductionEngineTests
{
    private const string Source = """
        #define NBINS 4096
        void histogram(int n, const unsigned short *restrict in, long long *restrict hist, double *restrict mass, const double *restrict w)
        {
            for (int v = 0; v < NBINS; v++) { hist[v] = 0; mass[v] = 0; }
            for (int i = 0; i < n; i++)
                hist[in[i]]++;
            for (int i = 0; i < n; i++)
                mass[in[i]] += w[i];
        }
        """;

    private static string Request(EngineWorkspace ws, string file, bool floatReassociation) =>
        ws.WriteRequest(ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")) with { Strategy = "analyzer", Cache = "off", FloatReassociation = floatReassociation });

    [Test]
    public void A_histogram_scatter_becomes_a_guarded_reduction_that_the_state_rebuilds_byte_for_byte()
    {
        using var ws = new EngineWorkspace();
        var file = ws.Write("src/hist.c", Source);
        var (code, _, err) = EngineWorkspace.Run("apply", "--request", Request(ws, file, floatReassociation: true));
        Assert.That(code, Is.EqualTo(0), err);
        var rewritten = File.ReadAllText(ws.Outputs().Single(r => r[0] == file)[1]);
        // The cost guard: the trip count pays for a region and is at least 8 times the bins.
        Assert.That(rewritten, Does.Contain("if ((!PARASLM_COST_GUARD || ((long long)(n) >= ").And.Contain("(long long)(n) >= 32768))) {"));
        Assert.That(rewritten, Does.Contain("#pragma omp parallel for firstprivate(paraslm_kb) reduction(+:paraslm_acc[:paraslm_k]) reduction(|:paraslm_out)"));

        var state = EngineState.Load(Path.Combine(ws.Obj, "paraslm.state.json"));
        var record = state.Sources[file];
        var scatters = record.Plans.Where(p => p.Transform == GuardedReduction.TransformName).ToList();
        Assert.That(scatters.Select(p => p.Line), Is.EqualTo(new[] { 5, 7 }));
        Assert.That(scatters[1].LastDigitsMayChange, Is.True, "the double scatter adds in another order");
        Assert.That(record.Applied.Select(a => a.Guarded?.Array), Is.EquivalentTo(new[] { "hist", "mass" }));
        var edits = record.Applied.Select(a => a.ToEdit()).ToList();
        Assert.That(SourceRewriter.Rewrite(file, File.ReadAllText(file), edits, record.Applied[0].RewriteOptions).Text, Is.EqualTo(rewritten),
            "validation's probes rebuild the same copy from the state");
    }

    [Test]
    public void With_ParaSlmFloatReassociation_false_a_floating_point_scatter_stays_serial_and_an_integer_one_does_not()
    {
        using var ws = new EngineWorkspace();
        var file = ws.Write("src/hist.c", Source);
        var (code, _, err) = EngineWorkspace.Run("apply", "--request", Request(ws, file, floatReassociation: false));
        Assert.That(code, Is.EqualTo(0), err);
        var record = EngineState.Load(Path.Combine(ws.Obj, "paraslm.state.json")).Sources[file];
        Assert.That(record.Plans.Single(p => p.Line == 5).Transform, Is.EqualTo(GuardedReduction.TransformName));
        var floating = record.Plans.Single(p => p.Line == 7);
        Assert.That(floating.Action, Is.EqualTo("sequential"));
        Assert.That(floating.Reason, Does.Contain("ParaSlmFloatReassociation=false").And.Contain("`mass`"));
        Assert.That(record.Applied.Select(a => a.Guarded?.Array), Is.EqualTo(new[] { "hist" }));
    }
}
