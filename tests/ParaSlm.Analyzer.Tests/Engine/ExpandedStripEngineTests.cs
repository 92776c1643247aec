using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with a loop planned serial in its scalar-expanded form (one strip, issue 14): the copy carries the form
/// with no region, the report says the loop is sequential with the transform and why, the build's count of parallel loops
/// leaves it out, and the applied loop's record rebuilds the same copy (validation's variants and per-loop diffs).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ExpandedStripEngineTests
{
    private const string Source = """
        #define N 256
        float na[N][N], nb[N][N], nv[N];
        void sink(void);

        void narrow(int reps)
        {
            for (int nl = 0; nl < reps; nl++) {
                for (int i = 0; i < N; i++) {
                    float s = 0.0f;
                    for (int j = 0; j < N; j++)
                        s += na[j][i] * nb[j][i];
                    nv[i] = s * 0.5f + nv[i];
                }
                sink();
            }
        }
        """;

    private EngineWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new EngineWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    [Test]
    public void The_report_shows_the_one_strip_loop_sequential_with_its_expanded_form_and_the_record_rebuilds_the_copy()
    {
        var file = _ws.Write("src/narrow.c", Source);
        var (code, _, err) = _ws.Apply(_ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var output = _ws.Outputs().Single();
        var copy = File.ReadAllText(output[1]);
        Assert.That(copy, Does.Contain("float paraslm_x_s[512];").And.Contain("#pragma omp simd").And.Not.Contain("#pragma omp parallel"));
        var plans = _ws.ReportPlansByLine();
        Assert.Multiple(() =>
        {
            Assert.That(plans[8].GetProperty("action").GetString(), Is.EqualTo("sequential"));
            Assert.That(plans[8].GetProperty("transform").GetString(), Is.EqualTo("scalar-expand(s,i)"));
            Assert.That(plans[8].GetProperty("reason").GetString(), Does.Contain("fit in one strip of 512").And.Contain("runs serially in its scalar-expanded form"));
            Assert.That(plans[10].GetProperty("reason").GetString(), Does.StartWith("inside the loop at line 8, which runs serially in its scalar-expanded form"));
        });

        var applied = _ws.State().Sources.Values.Single().Applied.Single();
        Assert.That((applied.Directive, applied.Expansions.Single().Name), Is.EqualTo((string.Empty, "scalar-expand(s,i)")));
        var again = SourceRewriter.Rewrite(file, Source, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
        Assert.That(again.Outcomes.Single().Edit.ParallelLoops, Is.Zero, "no region: not counted as a parallel loop");
    }
}
