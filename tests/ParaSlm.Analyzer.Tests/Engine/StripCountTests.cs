using ParaSlm.Analyzer.Locality;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// Never slower than serial (issue 14, TSVC_2's 256×256 interchanged nests): a strip form whose parallel level would be
/// fewer than 2 strips of 2 KiB is cut into four (aligned to a line of the smallest written element), a level of at most a
/// line's worth stays one strip and is planned serial, a level long enough keeps its 2 KiB strips; an interchanged nest whose
/// new innermost loop is stride-1 and branch-free is priced as lane work (cache-resident too), with near misses (a branch,
/// a strided access, arrays beyond a core's cache) that keep the old plan. Corpus: c/strip_count.c.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class StripCountTests : EngineFixture
{
    private Dictionary<int, (string Action, string Reason)> Plan(string code) => Ws.AnalyzerPlans(code);

    private static string CorpusFile => File.ReadAllText(Path.Combine(Corpus.CorpusFiles.RepositoryRoot, "tests", "corpus", "c", "strip_count.c"));

    [TestCase(4, 256L, 16, 64, TestName = "Strips_over_256_floats_are_narrowed_to_a_quarter")]
    [TestCase(4, 1023L, 16, 256, TestName = "Strips_over_1023_floats_are_narrowed_to_a_quarter_rounded_up_to_a_line")]
    [TestCase(4, 1024L, 16, 512, TestName = "Strips_over_1024_floats_keep_2_KiB")]
    [TestCase(4, 2048L, 16, 512, TestName = "Strips_over_2048_floats_keep_2_KiB")]
    [TestCase(8, 256L, 8, 64, TestName = "Strips_over_256_doubles_are_narrowed_to_a_quarter")]
    [TestCase(8, 300L, 8, 80, TestName = "Strips_over_300_doubles_are_narrowed_to_a_quarter_rounded_up_to_a_line")]
    [TestCase(4, 16L, 16, 16, TestName = "Strips_over_a_line_of_floats_stay_one_line")]
    [TestCase(4, null, 16, 512, TestName = "Strips_over_a_run_time_count_keep_2_KiB")]
    public void The_strip_width_gives_at_least_two_strips_where_the_level_allows(int elementBytes, long? trips, int align, int expected)
    {
        var width = StripAlignment.StripIterations(elementBytes, trips, align);
        Assert.That(width, Is.EqualTo(expected));
        Assert.That(width % align, Is.EqualTo(0), "strips start on lines");
        if (trips is { } t && t > align) Assert.That(StripAlignment.Count(t, width), Is.InRange(2, StripAlignment.NarrowedStrips));
    }

    [Test]
    public void A_256_column_nest_gets_four_strips_a_2048_column_nest_keeps_512_wide_strips_and_a_line_wide_nest_stays_serial()
    {
        var plans = Plan(CorpusFile);
        Assert.Multiple(() =>
        {
            Assert.That(plans[23].Action, Is.EqualTo("parallel"), plans[23].Reason);
            Assert.That(plans[23].Reason, Does.Contain("interchange(j,i; strips 64)").And.Contain("its strips of 64 (starting at multiples of 16)"));
            Assert.That(plans[38].Action, Is.EqualTo("parallel"), plans[38].Reason);
            Assert.That(plans[38].Reason, Does.Contain("interchange(j,i; strips 512)"));
            Assert.That(plans[53].Action, Is.EqualTo("sequential"));
            Assert.That(plans[53].Reason, Does.Contain("one strip (16 iterations").And.Contain("run by one thread"));
        });
    }

    [Test]
    public void An_interchanged_nest_with_a_stride_1_branch_free_innermost_loop_over_cached_arrays_is_priced_as_lane_work_and_stays_serial()
    {
        // 256 × (255 × 3 + 1) = 196,096 accesses; lanes (/4) over 512 KiB (/2 again): 24,512, under 50,000.
        var plans = Plan(CorpusFile);
        Assert.That(plans[68].Action, Is.EqualTo("sequential"));
        Assert.That(plans[68].Reason, Does.Contain("interchanged, the new innermost loop is stride-1 and branch-free")
            .And.Contain("fit in a core's cache").And.Contain("about 196096 memory accesses"));
    }

    [Test]
    public void Near_misses_of_the_lane_pricing_keep_the_interchanged_nest_parallel()
    {
        // The same 256 × 256 nest with a branch (not in lanes), with a strided read (`cc[i][j]` moves a row per `i`), and over
        // 1,024 rows (2 MiB: not cache-resident, 785,664 / 4 = 196,416 ≥ 50,000): each stays parallel, in four strips of 64.
        var plans = Plan("""
            float aa[256][256], bb[256][256], cc[256][256];
            float ta[1024][256], tb[1024][256];
            void sink(void);
            void branch(int reps)
            {
                for (int nl = 0; nl < reps; nl++) {
                    for (int i = 0; i < 256; ++i)
                        for (int j = 1; j < 256; j++)
                            aa[j][i] = bb[j][i] > 0.0f ? aa[j - 1][i] + bb[j][i] : aa[j - 1][i];
                    sink();
                }
            }
            void strided(int reps)
            {
                for (int nl = 0; nl < reps; nl++) {
                    for (int i = 0; i < 256; ++i)
                        for (int j = 1; j < 256; j++)
                            aa[j][i] = aa[j - 1][i] + cc[i][j];
                    sink();
                }
            }
            void larger(int reps)
            {
                for (int nl = 0; nl < reps; nl++) {
                    for (int i = 0; i < 256; ++i)
                        for (int j = 1; j < 1024; j++)
                            ta[j][i] = ta[j - 1][i] + tb[j][i];
                    sink();
                }
            }
            """);
        Assert.Multiple(() =>
        {
            foreach (var line in new[] { 7, 16, 25 })
            {
                Assert.That(plans[line].Action, Is.EqualTo("parallel"), $"line {line}: {plans[line].Reason}");
                Assert.That(plans[line].Reason, Does.Contain("interchange(j,i; strips 64)"), $"line {line}");
            }
        });
    }
}
