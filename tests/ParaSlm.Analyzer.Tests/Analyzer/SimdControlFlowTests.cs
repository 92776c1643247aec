using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Support;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// `simd` is added only where the body's control flow can become masked lanes. Found on TSVC_2 through app.proj with
/// clang-19: s442 (`switch (indx[i])` dispatching through four `goto`s) got `parallel for simd`, and every build printed
/// "loop not vectorized: the optimizer was unable to perform the requested transformation" [-Wpass-failed], a warning
/// the user's build never had (an error under -Werror, which the syntax-only compile check does not see). A `switch`, a
/// computed `goto` or a `goto` back to an earlier label keeps the loop parallel without `simd`. Corpus: c/dispatch_loops.c.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class SimdControlFlowTests : SourceAnalyzerFixture
{
    private FileAnalysis _analysis = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        var file = Path.Combine(CorpusFiles.Root, "c", "dispatch_loops.c");
        _analysis = Analyzer.Analyze(file, CorpusFiles.ArgumentsFor(file));
    }

    private (LoopFacts Loop, bool Simd, string Reason) Plan(string function)
    {
        var loop = _analysis.Loops.Single(l => l.Function == function);
        var byId = _analysis.Loops.ToDictionary(l => l.Id);
        var (proposal, reason) = AnalyzerPlanner.Propose(loop, LoopCost.Context(loop, _analysis.Loops, byId), byId);
        Assert.That(proposal.Parallel, Is.True, reason);
        var (chosen, why) = ScheduleChooser.Choose(proposal, reason, loop, byId);
        TestContext.Out.WriteLine($"{function}: {chosen.ClauseText} — {why}");
        return (loop, chosen.Simd, why);
    }

    [TestCase("apply_opcodes")]
    [TestCase("halve_until_small")]
    public void A_switch_or_a_backward_goto_keeps_the_loop_parallel_without_simd(string function)
    {
        var (loop, simd, why) = Plan(function);
        Assert.That(loop.Vectorizable, Is.False, "a multi-way branch or a loop hidden in the body has no masked-lane form");
        Assert.That(simd, Is.False, why);
    }

    [TestCase("clamp_forward")]
    [TestCase("clamp_select")]
    public void If_else_and_forward_gotos_still_run_in_vector_lanes(string function)
    {
        var (loop, simd, why) = Plan(function);
        Assert.That(loop.Vectorizable, Is.True, loop.Reason);
        Assert.That(simd, Is.True, why);
    }

    /// <summary>The clauses the plan gives the switch loop compile with clang-19 under -Werror: no pass-failed warning.</summary>
    [Test]
    public void The_switch_loops_directive_builds_without_warnings_under_clang_Werror()
    {
        var (loop, simd, _) = Plan("apply_opcodes");
        var dir = Directory.CreateTempSubdirectory("paraslm-simdcf-").FullName;
        try
        {
            var source = Path.Combine(dir, "dispatch.c");
            var text = System.IO.File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "dispatch_loops.c"));
            var lines = text.Split('\n').ToList();
            lines.Insert(loop.Line - 1, simd ? "#pragma omp parallel for simd" : "#pragma omp parallel for");
            System.IO.File.WriteAllText(source, string.Join('\n', lines));
            var run = Generation.GenerationWorkspace.Run("clang-19", ["-std=c11", "-O3", "-fopenmp", "-Werror", "-c", source, "-o", Path.Combine(dir, "dispatch.o")]);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
