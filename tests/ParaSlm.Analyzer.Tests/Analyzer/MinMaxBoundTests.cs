using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Loop bounds that are a minimum or maximum of affine terms (`for (j = jt; j &lt; MIN(n, jt + tile); j++)`, a band
/// `MAX(0, k - 3)`..`MIN(n, k + 4)`): every term of a minimum bounds the counter from above, every term of a maximum from
/// below (`Loops.MinMaxBound`), so tiles of a tile loop stepping by the tile are disjoint (the dependence system gets each
/// term and the step's gap), and a range over the whole nest uses the bound's exact hull (`Dependence.NestHull`), never a
/// tile counter. Fixture: the corpus file `c/tiled_minmax.c` (PRK's tiled transpose and near misses).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class MinMaxBoundTests
{
    private GenerationWorkspace _ws = null!;
    private string _path = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _ws = new GenerationWorkspace();
        _path = _ws.WriteSource("tiled_minmax.c", File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "tiled_minmax.c")));
    }

    [OneTimeTearDown]
    public void TearDown() => _ws.Dispose();

    private static LoopFacts Loop(FileAnalysis analysis, string function, int depth) =>
        analysis.Loops.Single(l => l.Function == function && l.Depth == depth);

    [Test]
    public void Disjoint_tiles_of_a_tile_loop_stepping_by_the_tile_are_independent()
    {
        var analysis = _ws.Analyze(_path);
        foreach (var depth in new[] { 1, 2, 3 })
        {
            var loop = Loop(analysis, "transpose", depth);
            Assert.That(loop.Parallelizable, Is.True, $"depth {depth}: {loop.Reason}");
            Assert.That(loop.RuntimeCheck, Is.Null);
            Assert.That(loop.ArrayReductions, Is.Empty);
        }
    }

    [Test]
    public void A_range_over_the_tile_loop_is_the_exact_hull_of_the_min_bound()
    {
        var analysis = _ws.Analyze(_path);
        Assert.That(Loop(analysis, "transpose_checked", 1).RuntimeCheck, Is.EqualTo("a + (long long)n * n <= b || b + (long long)n * n <= a"));
        var band = Loop(analysis, "band", 1);
        Assert.That(band.Clauses, Does.Contain("reduction(+:acc[0:n])"), band.Reason);
        Assert.That(band.RuntimeCheck, Is.EqualTo("(w + n <= acc || acc + n <= w) && ((n) > 0 && (n) <= 65536)"));
        var sum = Loop(analysis, "overlapping_sum", 1);
        Assert.That(sum.Clauses, Does.Contain("reduction(+:out[0:n])"), sum.Reason);
    }

    [TestCase("overlapping", "may write the same element")]
    [TestCase("neighbour", "is read as `a[j + 1]`")]
    [TestCase("loose", "may point to the same memory")]
    [TestCase("mixed", "may write the same element")]
    public void Tiles_that_overlap_read_a_neighbour_or_have_no_exact_hull_stay_serial(string function, string reason)
    {
        var loop = Loop(_ws.Analyze(_path), function, 1);
        Assert.That(loop.Parallelizable, Is.False, loop.Reason);
        Assert.That(loop.Reason, Does.Contain(reason));
        Assert.That(loop.RuntimeCheck, Is.Null);
        Assert.That(loop.ArrayReductions, Is.Empty);
    }

    [Test]
    public void No_check_or_section_reads_a_counter_of_its_own_nest() =>
        CounterBoundExtentTests.AssertNoCheckOrSectionReadsACounterOfItsNest(_ws.Analyze(_path));

    [Test]
    public void The_tile_loop_carries_the_directive_and_the_band_its_section_in_the_generated_text()
    {
        var text = _ws.RewritePlannedLoops(_path).ReviewText;
        Assert.That(text, Does.Match(@"#pragma omp parallel for[^\n]*\n\s*for \(long jt = 0; jt < n; jt \+= tile\)\n\s*// expect: parallel\n\s*for \(long it"));
        Assert.That(text, Does.Contain("reduction(+:acc[0:n])"));
        Assert.That(text, Does.Contain("if ((w + n <= acc || acc + n <= w) && ((n) > 0 && (n) <= 65536))"));
        // The serial tile loops are left as written.
        Assert.That(text, Does.Match(@"// expect: sequential\n\s*for \(long jt = 0; jt < n; jt \+= 16\)"));
    }

    [Test]
    public void A_constant_term_of_a_min_bound_proves_the_subscript_inside_its_row()
    {
        var path = _ws.WriteSource("rows_min.c", """
            #define MIN(a, b) ((a) < (b) ? (a) : (b))
            void rows(int n, int m, double g[][256])
            {
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < MIN(m, 256); j++)
                        g[i][j] = i + j;
            }

            """);
        var loop = Loop(_ws.Analyze(path), "rows", 1);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        // `j <= 255` from the term 256: no `m <= 256` to check at run time.
        Assert.That(loop.RuntimeCheck, Is.Null);
    }

    [TestCase("clang-19")]
    [TestCase("gcc")]
    public void The_tiled_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        _ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, _ws.RewritePlannedLoops(_path));
    }
}
