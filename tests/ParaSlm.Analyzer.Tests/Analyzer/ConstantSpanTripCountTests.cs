using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A loop from a run-time start to a constant past it (`for (r = r0; r < r0 + 16; r++)`) runs a constant number of
/// iterations. Found on Rodinia's hotspot: its 16 x 16 tiles counted as loops of unknown length, so a tile's row loop was
/// reported **parallel** behind the guard `if(!PARASLM_COST_GUARD || (long long)(16) * (16) >= 5000)`, which never holds:
/// a decision that never forks, plus a run-time overlap check evaluated for every tile. Fixture: corpus `c/tile_blocks.c`.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class ConstantSpanTripCountTests : SourceAnalyzerFixture
{
    private FileAnalysis _analysis = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _analysis = CorpusFiles.AnalyzeLogged(Analyzer, Path.Combine(CorpusFiles.Root, "c", "tile_blocks.c"));
    }

    private LoopFacts Loop(string function, int depth) => _analysis.Loops.Single(l => l.Function == function && l.Depth == depth);

    private (bool Parallel, string Reason) Plan(LoopFacts loop)
    {
        var byId = _analysis.Loops.ToDictionary(l => l.Id);
        var (proposal, reason) = AnalyzerPlanner.Propose(loop, LoopCost.Context(loop, _analysis.Loops, byId), byId);
        return (proposal.Parallel, reason);
    }

    [Test]
    public void A_tile_from_a_run_time_start_has_the_constant_trip_count_of_its_span()
    {
        Assert.That(Loop("tile_scale", 1).TripCount, Is.EqualTo(16));
        Assert.That(Loop("tile_scale", 2).TripCount, Is.EqualTo(16));
        Assert.That(Loop("band_scale", 1).TripCount, Is.EqualTo(512));
        Assert.That(Loop("countdown_sum", 1).TripCount, Is.EqualTo(8), "s + 14 down to s by 2");
        Assert.That(Loop("band_scale", 2).TripCount, Is.Null, "0 to a run-time n");
    }

    [Test]
    public void A_16_by_16_tile_is_planned_serial_with_its_size_as_the_reason_not_parallel_behind_a_guard_that_never_holds()
    {
        foreach (var function in new[] { "tile_scale", "tiles" })
        {
            var row = Loop(function, function == "tiles" ? 2 : 1);
            Assert.That(row.Parallelizable, Is.True, "the analyzer's verdict is unchanged: independent rows");
            var (parallel, reason) = Plan(row);
            Assert.That(parallel, Is.False, reason);
            Assert.That(reason, Does.Contain("16"), reason);
            Assert.That(LoopCost.IfClause(row, _analysis.Loops, LoopIndex.Of(_analysis.Loops)) ?? string.Empty, Does.Not.Contain("(16) * (16)"));
        }
    }

    [Test]
    public void A_band_of_512_rows_of_run_time_length_is_still_guarded_by_the_nest_at_run_time()
    {
        var band = Loop("band_scale", 1);
        var (parallel, reason) = Plan(band);
        Assert.That(parallel, Is.True, reason);
        Assert.That(LoopCost.IfClause(band, _analysis.Loops, LoopIndex.Of(_analysis.Loops)), Does.StartWith("if(!PARASLM_COST_GUARD || (long long)(512) * (n) >= "));
    }
}
