using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with a serial loop in its right-looking order (issue 14, lu's left half) and no parallel loop in the
/// file: the copy carries the form under its floating-point gate (the loop as written in the else branch), the report's
/// decision says the loop stays sequential and names the order, the outputs count no parallel loop, and the applied loop's
/// record (read back from the state file) rebuilds the same copy, which is how validation's variants and the per-loop diffs
/// make theirs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class RightLookingEngineTests : EngineFixture
{
    private const string Source = """
        void solve_row(int i, double (*A)[1000])
        {
            int j, k;
            for (j = 0; j < i; j++) {
                for (k = 0; k < j; k++)
                    A[i][j] -= A[i][k] * A[k][j];
                A[i][j] /= A[j][j];
            }
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_right_looking_loop()
    {
        var file = Ws.Write("src/solve.c", Source);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var row = Ws.Outputs().Single();
        Assert.That(row[2], Is.EqualTo("rewritten"));
        Assert.That(row[4], Is.EqualTo("0"), "the loop stays serial: no parallel loop is counted");
        var copy = File.ReadAllText(row[1]);
        Assert.That(copy, Does.Contain("/* ParaSlm right-looking(j,k)").And.Contain("for (k = 0; k < i; k++) {").And.Contain("#pragma omp simd")
            .And.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION").And.Contain("} else {"));
        Assert.That(copy, Does.Not.Contain("omp parallel"));
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[4].GetProperty("action").GetString(), Is.EqualTo("sequential"));
        Assert.That(plans[4].GetProperty("transform").GetString(), Is.EqualTo("right-looking(j,k)"));
        Assert.That(plans[4].GetProperty("reason").GetString(), Does.Contain("walks `A[k][j]` along a row"));

        var applied = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.RightLooking?.Name, Is.EqualTo("right-looking(j,k)"));
        var again = SourceRewriter.Rewrite(file, Source, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
    }
}
