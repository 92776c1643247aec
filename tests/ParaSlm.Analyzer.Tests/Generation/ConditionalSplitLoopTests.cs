using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>
/// A loop that opens inside one branch of `#if … #else … #endif` and closes after it (NPB LU's `jacu`/`buts`: under OpenMP
/// its wavefront runs the other way) holds an `#else` and an `#endif` whose `#if` lies before it. Its run-time check
/// versioned it, the serial copy repeated the `#endif`, and LU's whole parallel copy failed to compile (PSLM1013: all of
/// its 171 loops serial). Such a loop is neither written twice nor replaced; a directive inserted into it is harmless.
/// The fixture is the corpus file `c/conditional_split.c` with a `main` that prints every array.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ConditionalSplitLoopTests : GenerationFixture
{
    private const string Main = """

        #include <stdio.h>
        int main(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) u[i][j] = 1.0 + (i * 7 + j * 3) % 11;
            for (int k = 0; k < N * N; k++) c[k] = (k % 13) - 6.0;
            jacu(1, N - 2, 1, N - 2);
            scale(N * N);
            scale(100);
            jacu_debug(0, N - 1, 0, N - 1);
            double s = 0.0;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) s += a[i][j] * ((i + j) % 5);
            for (int k = 0; k < N * N; k++) s += b[k] * (k % 3);
            printf("%.6e\n", s);
            return 0;
        }

        """;

    private string _path = null!;
    private RewriteResult _result = null!;
    private Dictionary<string, string> _functionOf = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        (_path, _result, _functionOf) = Ws.RewriteCorpusProgram("conditional_split.c", Main);
    }

    private EditOutcome OutcomeOf(string function) => _result.Outcomes.Single(o => _functionOf[o.Edit.LoopId] == function);

    [Test]
    public void A_loop_split_by_a_conditional_is_not_versioned_on_its_run_time_check_and_says_why()
    {
        var jacu = OutcomeOf("jacu");
        Assert.That(jacu.Applied, Is.False, _result.Text);
        Assert.That(jacu.Reason, Does.Contain("the runtime check duplicates the loop").And.Contain("`#endif`").And.Contain("preprocessor conditional"));
        // jacu's and scale's `#else`/`#endif` once each, jacu_debug's (paired inside its loop) in both of its versions.
        Assert.That(Regex.Matches(_result.Text, @"^\s*#else\b", RegexOptions.Multiline), Has.Count.EqualTo(4), _result.Text);
        Assert.That(Regex.Matches(_result.Text, @"^\s*#endif\b", RegexOptions.Multiline), Has.Count.EqualTo(4), _result.Text);
    }

    // The analyzer's plan for `scale` needs no guard here (its calls are long); a profitability guard is given explicitly,
    // as the cost model writes it for a loop of run-time length.
    [Test]
    public void A_loop_split_by_a_conditional_keeps_its_cost_guard_as_an_if_clause()
    {
        const string guard = "!PARASLM_COST_GUARD || n >= 1000";
        var loop = Ws.Analyze(_path).Loops.Single(l => l.Function == "scale");
        var result = SourceRewriter.Rewrite(_path, File.ReadAllText(_path), [LoopEdit.ForLoop(loop, $"omp parallel for if({guard})")]);
        Assert.That(result.Outcomes.Single().Applied, Is.True, result.Outcomes.Single().Reason);
        Assert.That(result.Text, Does.Contain($"#pragma omp parallel for if({guard})\n").And.Not.Contain("} else {"), result.Text);
        var copy = Ws.WriteRewritten(_path, result.Text);
        var check = GenerationWorkspace.Run(GenerationWorkspace.RequireTool("gcc"), ["-std=c11", "-fsyntax-only", "-fopenmp", copy]);
        Assert.That(check.ExitCode, Is.Zero, check.Output + result.Text);
    }

    [Test]
    public void A_conditional_that_pairs_inside_the_loop_is_written_twice_intact()
    {
        var debug = OutcomeOf("jacu_debug");
        Assert.That(debug.Applied, Is.True, debug.Reason);
        Assert.That(Regex.Matches(_result.Text, @"^\s*#ifdef JACU_TRACE\b", RegexOptions.Multiline), Has.Count.EqualTo(2), "both versions keep it: " + _result.Text);
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_copy_compiles_and_prints_what_the_serial_program_prints(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, _result);
    }
}
