using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A parallel loop whose body work is unknown because its one inner loop has a run-time length is guarded by the nest's
/// iterations, not by its own trip count alone. Found on opus: `for (i < D) { for (j = i + 1; j < D) … }` with D = 16
/// passed the guard `D >= 8` and forked on every call, and `test_opus_encode` took 346 s on 2 threads against 28 s
/// serially. Fixture: corpus `c/short_nests.c` (a triangle, and a row cleared before its inner loop).
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class ShortNestCostGuardTests : SourceAnalyzerFixture
{
    private FileAnalysis _analysis = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _analysis = CorpusFiles.AnalyzeLogged(Analyzer, Path.Combine(CorpusFiles.Root, "c", "short_nests.c"));
    }

    private LoopFacts Outer(string function) => _analysis.Loops.Single(l => l.Function == function && l.Depth == 1);

    /// <summary>K of a guard `if(… >= K)` or `… >= K)`.</summary>
    internal static long Threshold(string guard) =>
        long.Parse(guard[(guard.LastIndexOf(">= ", StringComparison.Ordinal) + 3)..^1], System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public void A_triangle_of_run_time_rows_is_guarded_by_the_sum_of_its_row_lengths()
    {
        var loop = Outer("quad_form");
        Assert.That(loop.NestIterationsText, Is.EqualTo("(long long)(D) * ((D - 1) + (0)) / 2"), "rows of D - 1, …, 0 elements");
        var guard = LoopCost.IfClause(loop, _analysis.Loops, LoopIndex.Of(_analysis.Loops));
        Assert.That(guard, Does.StartWith("if(!PARASLM_COST_GUARD || (long long)(D) * ((D - 1) + (0)) / 2 >= "));
        // D = 16 (a codec's LPC order) sums 120 elements: far below what a parallel region needs.
        Assert.That(Threshold(guard!), Is.GreaterThan(16 * 15 / 2));
    }

    [Test]
    public void A_row_cleared_before_its_inner_loop_is_guarded_by_rows_times_row_length()
    {
        var loop = Outer("codebook_sums");
        Assert.That(loop.NestTripCountText, Is.Null, "not a perfect nest: the statement before the inner loop");
        Assert.That(loop.NestIterationsText, Is.EqualTo("(long long)(ncb) * (nsub)"));
        var guard = LoopCost.IfClause(loop, _analysis.Loops, LoopIndex.Of(_analysis.Loops));
        Assert.That(guard, Does.StartWith("if(!PARASLM_COST_GUARD || (long long)(ncb) * (nsub) >= "));
        Assert.That(Threshold(guard!), Is.GreaterThan(34 * 4), "34 codebook entries of 4 subframes stay serial");
    }

    [Test]
    public void Rows_whose_lengths_are_read_from_a_table_need_the_unknown_work_minimum_of_iterations()
    {
        // opus's spreading decision: 21 bands per frame passed `end >= 8` and forked 1,900 times a second.
        var loop = Outer("band_counts");
        Assert.That(loop.NestIterationsText, Is.Null, "the band's length is computed inside the loop");
        Assert.That(LoopCost.IfClause(loop, _analysis.Loops, LoopIndex.Of(_analysis.Loops)), Is.EqualTo($"if(!PARASLM_COST_GUARD || nbands >= {AnalyzerPlanner.MinimumUnknownWorkTripCount})"));
        Assert.That(AnalyzerPlanner.MinimumUnknownWorkTripCount, Is.GreaterThan(21));
    }

    [Test]
    public void A_constant_count_of_bands_read_from_a_table_stays_serial()
    {
        // opus's stereo analysis: 13 bands per frame, parallel with no guard at all, entered 58,000 times in a minute.
        var loop = Outer("stereo_sums");
        var byId = _analysis.Loops.ToDictionary(l => l.Id);
        var (proposal, reason) = AnalyzerPlanner.Propose(loop, LoopCost.Context(loop, _analysis.Loops, byId), byId);
        Assert.That(proposal.Parallel, Is.False, reason);
        Assert.That(reason, Does.Contain("only 13 iterations, each of unknown work"));
    }

    [Test]
    public void A_constant_count_of_channels_of_run_time_length_is_guarded_by_the_nest_at_run_time()
    {
        var loop = Outer("scale_channels");
        var byId = _analysis.Loops.ToDictionary(l => l.Id);
        var (proposal, reason) = AnalyzerPlanner.Propose(loop, LoopCost.Context(loop, _analysis.Loops, byId), byId);
        Assert.That(proposal.Parallel, Is.True, reason);
        var guard = LoopCost.IfClause(loop, _analysis.Loops, LoopIndex.Of(_analysis.Loops));
        Assert.That(guard, Does.StartWith("if(!PARASLM_COST_GUARD || (long long)(16) * (n) >= "));
        Assert.That(Threshold(guard!), Is.GreaterThan(16 * 64));
    }
}
