using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A hand-tiled nest's tile loop (`for (i = 0; i &lt; n; i += tile) … for (it = i; it &lt; MIN(n, i + tile); it++)`): its run-time
/// cost guard weighs the whole nest's iterations (`Loops.TiledNest`: the element loops' hull lengths multiplied), not the
/// tiles alone, which kept PRK's 2000 × 2000 transpose (63 tiles of 32) serial behind `tiles >= 64`; and a tile loop whose
/// inner loops each run one tile of equal length keeps the static schedule (`InnerBounds` `tiled`) instead of
/// `schedule(dynamic, 1)`. Near misses (tiles with gaps, tiles starting past the counter, rows ending short of the tiles,
/// one tile counter read by two element loops) keep the tile count as the guard. Fixture: corpus `c/tiled_guard.c`.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class TiledNestCostTests : GenerationFixture
{
    private string _path = null!;
    private FileAnalysis _analysis = null!;
    private IReadOnlyList<LoopPlan> _plans = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _path = Ws.WriteSource("tiled_guard.c", File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "tiled_guard.c")));
        _analysis = Ws.Analyze(_path);
        _plans = FilePlanner.AnalyzerPlan(_analysis);
    }

    private LoopFacts Tile(string function) => _analysis.Loops.Single(l => l.Function == function && l.Depth == 1);

    private LoopPlan PlanOf(string function) => _plans.Single(p => p.Id == Tile(function).Id);

    private static long Threshold(string guard) => ShortNestCostGuardTests.Threshold(guard);

    [TestCase("transpose_tiles", "(long long)((n) > 0 ? (n) : 0) * ((n) > 0 ? (n) : 0)")]
    [TestCase("stencil_tiles", "(long long)((n - 4) > 0 ? (n - 4) : 0) * ((n - 4) > 0 ? (n - 4) : 0)")]
    [TestCase("scale_tiles", "(long long)((n) > 0 ? (n) : 0) * ((n) > 0 ? (n) : 0)")]
    public void The_guard_of_a_tile_loop_weighs_the_whole_nest_not_the_tiles(string function, string iterations)
    {
        var tile = Tile(function);
        Assert.That(tile.TiledNest, Is.Not.Null, tile.Reason);
        Assert.That(tile.TiledNest!.IterationsText, Is.EqualTo(iterations));
        var guard = LoopCost.IfClause(tile, _analysis.Loops, LoopIndex.Of(_analysis.Loops));
        Assert.That(guard, Does.StartWith($"if(!PARASLM_COST_GUARD || {iterations} >= "));
        // The fixture's n = 600 with tiles of 32: 19 tiles (the old guard wanted 64), 350,000–360,000 iterations.
        Assert.That(Threshold(guard!), Is.GreaterThan(AnalyzerPlanner.MinimumUnknownWorkTripCount).And.LessThan(596L * 596));
        Assert.That(PlanOf(function).IsParallel, Is.True, PlanOf(function).Reason);
    }

    [TestCase("gapped_tiles")]
    [TestCase("shifted_tiles")]
    [TestCase("short_rows")]
    [TestCase("diagonal_blocks")]
    public void Tiles_with_gaps_a_shifted_start_short_rows_or_a_shared_tile_counter_keep_the_tile_count_guard(string function)
    {
        var tile = Tile(function);
        Assert.That(tile.TiledNest, Is.Null, "the nest's iterations are not the hull lengths' product");
        Assert.That(LoopCost.IfClause(tile, _analysis.Loops, LoopIndex.Of(_analysis.Loops)), Does.EndWith($" >= {AnalyzerPlanner.MinimumUnknownWorkTripCount})").And.Not.Contain(" * "));
    }

    [TestCase("transpose_tiles")]
    [TestCase("stencil_tiles")]
    [TestCase("scale_tiles")]
    [TestCase("short_rows")]
    [TestCase("diagonal_blocks")]
    public void Equal_tiles_keep_the_static_schedule_and_say_why(string function)
    {
        Assert.That(Tile(function).InnerBounds, Is.EqualTo("tiled"));
        var plan = PlanOf(function);
        Assert.That(plan.IsParallel, Is.True, plan.Reason);
        Assert.That(plan.Clauses, Does.Not.Contain("schedule"), plan.Reason);
        Assert.That(plan.Reason, Does.Contain("tiles of equal size"));
    }

    [TestCase("gapped_tiles")]
    [TestCase("shifted_tiles")]
    public void Tiles_not_as_long_as_the_step_stay_a_triangle_with_dynamic_chunks(string function)
    {
        Assert.That(Tile(function).InnerBounds, Is.EqualTo("triangular"));
        Assert.That(PlanOf(function).Clauses, Does.Contain("schedule(dynamic, 1)"), PlanOf(function).Reason);
    }

    [TestCase("clang-19")]
    [TestCase("gcc")]
    public void The_tiled_program_with_its_guards_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        // The engine's edits with their cost guards (the guard text is compiled and evaluated before each tile loop: at
        // n = 600 the whole-nest guard enters the region that the tile count, 19, kept closed).
        var rewrite = GenerationWorkspace.RewriteWithCostGuards(_path, _analysis);
        Assert.That(rewrite.Text, Does.Contain("PARASLM_COST_GUARD || (long long)((n) > 0 ? (n) : 0) * ((n) > 0 ? (n) : 0) >= "));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, rewrite);
    }
}
