using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>
/// A loop that is the unbraced body of an `if`/`else` with preprocessor lines between them gets its braces when those lines
/// bind to no statement (a conditional, a `#define`): found on HPCCG's ddot with its pragmas taken out, where an empty
/// `#ifdef USING_OMP` / `#endif` pair left both dot-product loops "not rewritten". A loop pragma in between, or a conditional
/// that the loop's own text leaves unpaired, still leaves the loop alone. Fixture: corpus `c/directive_gaps.c`.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class DirectiveGapBracesTests : GenerationFixture
{
    private const string Main = """

        #include <stdio.h>
        static double x[200000], y[200000], a[200000];
        int main(void) {
            for (int i = 0; i < 200000; i++) { x[i] = i % 7; y[i] = i % 5; }
            printf("%.1f %.1f\n", gap_dot(200000, x, x), gap_dot(200000, x, y));
            gap_ivdep(200000, a, x, 1);
            gap_split(200000, y, 1);
            double total = 0.0;
            for (int i = 0; i < 200000; i++) total += a[i] + y[i];
            printf("%.1f\n", total);
            return 0;
        }

        """;

    private string _path = null!;
    private RewriteResult _result = null!;
    private Dictionary<string, string> _functionOf = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        (_path, _result, _functionOf) = Ws.RewriteCorpusProgram("directive_gaps.c", Main);
    }

    private IEnumerable<EditOutcome> OutcomesOf(string function) => _result.Outcomes.Where(o => _functionOf[o.Edit.LoopId] == function);

    [Test]
    public void Loops_behind_an_empty_conditional_or_a_define_get_braces_and_their_directive()
    {
        var dots = OutcomesOf("gap_dot").ToList();
        Assert.That(dots, Has.Count.EqualTo(2));
        Assert.That(dots.Select(o => o.Applied), Is.All.True, string.Join("; ", dots.Select(o => o.Reason)) + _result.Text);
        Assert.That(Regex.Matches(_result.Text, @"#pragma omp parallel for[^\n]*reduction\(\+:s\)"), Has.Count.EqualTo(2), _result.Text);
        // The directive lines stay where they were, before the opening brace.
        Assert.That(_result.Text, Does.Match(@"#ifdef CORPUS_GAP_UNUSED\s*\n#endif\s*\n(\s*//[^\n]*\n)?\s*\{"), _result.Text);
    }

    [Test]
    public void A_loop_pragma_in_between_or_a_conditional_the_loop_leaves_unpaired_keeps_the_loop_as_it_is()
    {
        var ivdep = OutcomesOf("gap_ivdep").Single();
        Assert.That(ivdep.Applied, Is.False, _result.Text);
        Assert.That(ivdep.Reason, Does.Contain("#pragma GCC ivdep"));
        var split = OutcomesOf("gap_split").Single();
        Assert.That(split.Applied, Is.False, _result.Text);
        Assert.That(split.Reason, Does.Contain("`#endif`").And.Contain("would not pair"));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_copy_compiles_and_prints_on_four_threads_what_the_serial_program_prints(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, _result, "-O1", "-DPARASLM_COST_GUARD=0");
    }
}
