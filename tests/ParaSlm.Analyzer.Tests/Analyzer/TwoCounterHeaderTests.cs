using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Headers that set and advance two counters (`for (int o = base, i = 0; i &lt; n; i++, o++)`, CoMD's and PRK DGEMM's shape):
/// the second counter is read as a function of the first, so accesses through it are analyzed; a parallel two-counter loop
/// is written with one counter and the second defined first in its body (OpenMP's loop form has one), every other form and
/// a counter declared before the loop keep it serial (corpus `c/two_counters.c`).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class TwoCounterHeaderTests : GenerationFixture
{
    private const string Main = """

        #include <stdio.h>
        int main(void) {
            for (int i = 0; i < ROWS * WIDTH; i++) src[i] = (i % 97) * 0.25 - 3.0;
            for (int i = 0; i < ROWS * SLOTS; i++) { pos[i] = i * 0.5; vel[i] = (i % 13) - 6.0; }
            for (int b = 0; b < ROWS; b++) count[b] = (b * 7) % (SLOTS + 1);
            double s = 0.0;
            offset_copy(100, 5000);
            for (int i = 0; i < ROWS * WIDTH; i++) s += dst[i] * (i % 7);
            row_offsets(ROWS);
            for (int i = 0; i < ROWS * WIDTH; i++) s += dst[i] * (i % 5);
            advance_boxes(ROWS, 0.125);
            for (int i = 0; i < ROWS * SLOTS; i++) s += pos[i] * (i % 3);
            reversed_copy(ROWS * WIDTH);
            for (int i = 0; i < ROWS * WIDTH; i++) s += dst[i] * (i % 11);
            strided_gather(ROWS * WIDTH / 2);
            for (int i = 0; i < ROWS * WIDTH; i++) s += dst[i] * (i % 13);
            declared_before(ROWS);
            for (int i = 0; i < ROWS * WIDTH; i++) s += dst[i] * (i % 17);
            printf("%.6f\n", s);
            return 0;
        }

        """;

    private static LoopFacts Loop(FileAnalysis analysis, string function, int index = 0) =>
        analysis.Loops.Where(l => l.Function == function).OrderBy(l => l.StartOffset).ElementAt(index);

    private FileAnalysis AnalyzeCorpus() =>
        Ws.Analyze(Ws.WriteSource("two_counters.c", File.ReadAllText(Path.Combine(Corpus.CorpusFiles.Root, "c", "two_counters.c"))));

    [Test]
    public void Accesses_through_the_second_counter_are_analyzed_as_a_function_of_the_first()
    {
        var analysis = AnalyzeCorpus();
        foreach (var f in new[] { "offset_copy", "reversed_copy", "strided_gather" })
        {
            Assert.That(Loop(analysis, f).Parallelizable, Is.True, f + ": " + Loop(analysis, f).Reason);
            Assert.That(Loop(analysis, f).TwoCounter, Is.Not.Null, f);
        }
        Assert.That(Loop(analysis, "advance_boxes", 1).Parallelizable, Is.True, "the atom loop of one box");
    }

    [Test]
    public void A_loop_around_a_two_counter_loop_sees_the_offset_move_with_the_inner_counter()
    {
        var analysis = AnalyzeCorpus();
        Assert.That(Loop(analysis, "row_offsets").Parallelizable, Is.True, Loop(analysis, "row_offsets").Reason);
        var rows = Loop(analysis, "declared_before");
        Assert.That(rows.Parallelizable, Is.True, rows.Reason);
        Assert.That(rows.Private, Is.EquivalentTo(new[] { "j", "k" }));
        // No bound keeps the atom index below a box's 32 slots: two boxes may write one element.
        var boxes = Loop(analysis, "advance_boxes");
        Assert.That(boxes.Parallelizable, Is.False);
        Assert.That(boxes.Reason, Does.Contain("may write the same element"));
    }

    [Test]
    public void A_second_counter_declared_before_the_loop_keeps_the_loop_serial()
    {
        var inner = Loop(AnalyzeCorpus(), "declared_before", 1);
        Assert.That(inner.Parallelizable, Is.False);
        Assert.That(inner.Reason, Does.Contain("declared before the loop"));
        Assert.That(inner.TwoCounter, Is.Null);
    }

    [TestCase("half_step", "is not a multiple of the step")]
    [TestCase("body_moves_counter", "the body assigns a counter")]
    [TestCase("start_changes", "changes inside the loop")]
    [TestCase("meet_in_middle", "declares several variables")]
    public void Near_misses_stay_serial_and_say_why(string function, string reason)
    {
        var loop = Loop(AnalyzeCorpus(), function);
        Assert.That(loop.Parallelizable, Is.False);
        Assert.That(loop.Reason, Does.Contain(reason));
    }

    [Test]
    public void No_collapse_simd_or_offload_names_a_two_counter_header()
    {
        var analysis = AnalyzeCorpus();
        Assert.That(Loop(analysis, "row_offsets").CollapsibleDepth, Is.EqualTo(1), "the inner header is not canonical as written");
        var inner = Loop(analysis, "row_offsets", 1);
        Assert.That(inner.Vectorizable, Is.False);
        Assert.That(inner.VectorizableIf, Is.Null);
        Assert.That(inner.VectorLanes, Is.Null);
        Assert.That(Loop(analysis, "offset_copy").Offload?.Offloadable ?? false, Is.False);
    }

    [Test]
    public void The_parallel_version_counts_with_one_counter_and_defines_the_other_first_in_its_body()
    {
        var path = Ws.WriteSource("two_counters.c", File.ReadAllText(Path.Combine(Corpus.CorpusFiles.Root, "c", "two_counters.c")));
        var result = Ws.RewriteParallelLoops(path);
        Assert.That(result.Text, Does.Contain(
            "for (int i = 0; i < n; i++) { int o = (int)((long long)(base) + ((long long)(i) - (long long)(0)));\n        dst[o] = src[i] * 2.0; }"));
        Assert.That(result.Text, Does.Contain("for (int i = 0; i < n; i++) { int j = (int)((long long)(n - 1) + -1LL * ((long long)(i) - (long long)(0)));"));
        Assert.That(result.Text, Does.Contain("for (int i = 0; i < n; i++) { int k = (int)((long long)(0) + 2LL * ((long long)(i) - (long long)(0)));"));
        Assert.That(System.Text.RegularExpressions.Regex.IsMatch(result.Text, @"#pragma omp[^\n]*\n(#line[^\n]*\n)?[^\n]*\+\+, "), Is.False,
            "no directive precedes a two-counter header");
        // The body keeps its line: diagnostics in it point at the original text.
        var original = File.ReadAllLines(path).ToList().FindIndex(l => l.Contains("dst[o] = src[i] * 2.0;", StringComparison.Ordinal)) + 1;
        Assert.That(GenerationWorkspace.PresumedLine(result.Text, "dst[o] = src[i] * 2.0;"), Is.EqualTo(original));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var (path, result, _) = Ws.RewriteCorpusProgram("two_counters.c", Main);
        Assert.That(result.Text, Does.Contain("{ int o = (int)("));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, "-O2", "-Wall", "-Werror");
    }
}
