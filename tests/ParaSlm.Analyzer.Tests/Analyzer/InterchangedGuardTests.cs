using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// One lane divisor (`LoopCost.LaneDivisor`) for the static rule and the run-time cost guard: an interchanged nest whose new
/// innermost loop is stride-1 and branch-free (`LoopCost.InterchangedInLanes`) was priced as lane work by the static rule
/// but as scalar work by its guard, so a nest of run-time size that the static rule would turn down forked at a quarter of
/// the work. Fixture: corpus `c/interchange_guard.c` (TSVC_2's s231 shape of run-time size; a branch as the near miss).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class InterchangedGuardTests : GenerationFixture
{
    private string _path = null!;
    private FileAnalysis _analysis = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _path = Ws.WriteSource("interchange_guard.c", File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "interchange_guard.c")));
        _analysis = Ws.Analyze(_path);
    }

    private LoopFacts Outer(string function) => _analysis.Loops.Single(l => l.Function == function && l.Depth == 1);

    private static long Threshold(string guard) => ShortNestCostGuardTests.Threshold(guard);

    // 3 accesses an inner iteration: scalar K = ceil(50,000 / 3) = 16,667; in lanes / 4 → 66,667; cache-resident / 8 → 133,334.
    [TestCase("colrec", 4.0, 66_667)]
    [TestCase("colrec_rows", 4.0, 66_667)]
    [TestCase("colrec_small", 8.0, 133_334)]
    public void The_guard_of_an_interchanged_nest_in_lanes_uses_the_static_rules_lane_divisor(string function, double divisor, long k)
    {
        var loop = Outer(function);
        Assert.That(loop.Interchange, Is.Not.Null, loop.Reason);
        Assert.That(LoopCost.InterchangedInLanes(loop), Is.True);
        var byId = _analysis.Loops.ToDictionary(l => l.Id);
        var nest = LoopCost.Context(loop, _analysis.Loops, byId);
        Assert.That(nest.LaneDivisor, Is.EqualTo(divisor));
        Assert.That(LoopCost.LaneDivisor(loop, _analysis.Loops, LoopCost.MovesDataOnly(loop, _analysis.Loops)), Is.EqualTo(nest.LaneDivisor), "one divisor for both");
        var guard = LoopCost.IfClause(loop, _analysis.Loops, LoopIndex.Of(_analysis.Loops));
        Assert.That(guard, Is.Not.Null);
        Assert.That(Threshold(guard!), Is.EqualTo(k), guard);
    }

    [Test]
    public void A_branch_in_the_new_innermost_loop_keeps_the_scalar_price()
    {
        var loop = Outer("colrec_branch");
        Assert.That(LoopCost.InterchangedInLanes(loop), Is.False);
        Assert.That(LoopCost.Context(loop, _analysis.Loops, _analysis.Loops.ToDictionary(l => l.Id)).LaneDivisor, Is.EqualTo(1.0));
        Assert.That(Threshold(LoopCost.IfClause(loop, _analysis.Loops, LoopIndex.Of(_analysis.Loops))!), Is.LessThan(66_667));
    }

    [TestCase("clang-19")]
    [TestCase("gcc")]
    public void The_program_with_its_guards_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var rewrite = GenerationWorkspace.RewriteWithCostGuards(_path, _analysis);
        Assert.That(rewrite.Text, Does.Contain("PARASLM_COST_GUARD"));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, rewrite);
        // The same with every guard forced open: the interchanged forms themselves run on 4 threads.
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, rewrite, "-O1", "-DPARASLM_COST_GUARD=0");
    }
}
