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
public sealed class MinMaxBoundTests : GenerationFixture
{
    private string _path = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _path = Ws.WriteSource("tiled_minmax.c", File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "tiled_minmax.c")));
    }

    private static LoopFacts Loop(FileAnalysis analysis, string function, int depth) =>
        analysis.Loops.Single(l => l.Function == function && l.Depth == depth);

    [Test]
    public void Disjoint_tiles_of_a_tile_loop_stepping_by_the_tile_are_independent()
    {
        var analysis = Ws.Analyze(_path);
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
        var analysis = Ws.Analyze(_path);
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
        var loop = Loop(Ws.Analyze(_path), function, 1);
        Assert.That(loop.Parallelizable, Is.False, loop.Reason);
        Assert.That(loop.Reason, Does.Contain(reason));
        Assert.That(loop.RuntimeCheck, Is.Null);
        Assert.That(loop.ArrayReductions, Is.Empty);
    }

    [Test]
    public void A_symbolic_step_shorter_than_the_tile_keeps_the_tile_loop_serial()
    {
        // The gap between two tiles is the step (`tile / 2`, or `tile` under rows of `2 * tile`), shorter than a tile's
        // rows: two tiles store into one element. The control steps by the tile.
        var path = Ws.WriteSource("symbolic_steps.c", """
            #define MIN(a, b) ((a) < (b) ? (a) : (b))
            void half(long n, long tile, double *restrict out, const double *restrict in)
            {
                for (long jt = 0; jt < n; jt += tile / 2)
                    for (long j = jt; j < MIN(n, jt + tile); j++)
                        out[j] = in[j] + jt;
            }
            void twice(long n, long tile, double *restrict out, const double *restrict in)
            {
                for (long jt = 0; jt < n; jt += tile)
                    for (long j = jt; j < MIN(n, jt + 2 * tile); j++)
                        out[j] = in[j] + jt;
            }
            void exact(long n, long tile, double *restrict out, const double *restrict in)
            {
                for (long jt = 0; jt < n; jt += tile)
                    for (long j = jt; j < MIN(n, jt + tile); j++)
                        out[j] = in[j] + jt;
            }

            """);
        var analysis = Ws.Analyze(path);
        foreach (var function in new[] { "half", "twice" })
        {
            var loop = Loop(analysis, function, 1);
            Assert.That(loop.Parallelizable, Is.False, function + ": " + loop.Reason);
            Assert.That(loop.Reason, Does.Contain("may write the same element"));
        }
        var control = Loop(analysis, "exact", 1);
        Assert.That(control.Parallelizable, Is.True, control.Reason);
        Assert.That(control.RuntimeCheck, Is.Null);
    }

    [Test]
    public void No_check_or_section_reads_a_counter_of_its_own_nest() =>
        CounterBoundExtentTests.AssertNoCheckOrSectionReadsACounterOfItsNest(Ws.Analyze(_path));

    [Test]
    public void The_tile_loop_carries_the_directive_and_the_band_its_section_in_the_generated_text()
    {
        var text = Ws.RewritePlannedLoops(_path).ReviewText;
        Assert.That(text, Does.Match(@"#pragma omp parallel for[^\n]*\n\s*for \(long jt = 0; jt < n; jt \+= tile\)\n\s*// expect: parallel\n\s*for \(long it"));
        Assert.That(text, Does.Contain("reduction(+:acc[0:n])"));
        Assert.That(text, Does.Contain("if ((w + n <= acc || acc + n <= w) && ((n) > 0 && (n) <= 65536))"));
        // The serial tile loops are left as written.
        Assert.That(text, Does.Match(@"// expect: sequential\n\s*for \(long jt = 0; jt < n; jt \+= 16\)"));
    }

    [Test]
    public void A_constant_term_of_a_min_bound_proves_the_subscript_inside_its_row()
    {
        var path = Ws.WriteSource("rows_min.c", """
            #define MIN(a, b) ((a) < (b) ? (a) : (b))
            void rows(int n, int m, double g[][256])
            {
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < MIN(m, 256); j++)
                        g[i][j] = i + j;
            }

            """);
        var loop = Loop(Ws.Analyze(path), "rows", 1);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        // `j <= 255` from the term 256: no `m <= 256` to check at run time.
        Assert.That(loop.RuntimeCheck, Is.Null);
    }

    // The C++ spelling: `std::min` / `std::max` calls; `std::min<unsigned long>` of signed values compares them as unsigned.
    private const string StdMinSource = """
        #include <algorithm>
        #include <cstdio>
        #include <vector>

        static void transpose(long n, long tile, double *b, const double *a)
        {
            for (long jt = 0; jt < n; jt += tile)
                for (long it = 0; it < n; it += tile)
                    for (long j = jt; j < std::min(n, jt + tile); j++)
                        for (long i = it; i < std::min(n, it + tile); i++)
                            b[j + n * i] = a[i + n * j] + 0.5 * j;
        }

        static void band(long n, double *acc, const double *w)
        {
            for (long k = 0; k < n; k++)
                for (long i = std::max(0L, k - 3); i < std::min(n, k + 4); i++)
                    acc[i] += w[k] * 0.25;
        }

        static void unsigned_min(long n, long tile, double *__restrict out)
        {
            for (long jt = 0; jt < n; jt += tile)
                for (long j = jt; j < (long)std::min<unsigned long>(n, jt + tile); j++)
                    out[j] += 1.0;
        }

        int main()
        {
            long n = 300, tile = 32;
            std::vector<double> a(n * n), b(n * n), acc(n), w(n);
            for (long k = 0; k < n * n; k++) a[k] = (k % 23) * 0.5;
            for (long k = 0; k < n; k++) w[k] = (k % 5) + 1.0;
            for (int step = 0; step < 3; step++) {
                transpose(n, tile, b.data(), a.data());
                band(n, acc.data(), w.data());
                unsigned_min(n, tile, acc.data());
            }
            double s = 0, t = 0;
            for (long k = 0; k < n * n; k++) s += b[k] * (k % 7);
            for (long k = 0; k < n; k++) t += acc[k] * (k % 3);
            std::printf("%.6e %.6e\n", s, t);
            return 0;
        }

        """;

    [Test]
    public void Std_min_and_max_bounds_are_read_term_by_term()
    {
        var path = Ws.WriteSource("tiled_std.cpp", StdMinSource);
        var analysis = Ws.Analyze(path);
        Assert.That(Loop(analysis, "transpose", 1).RuntimeCheck, Is.EqualTo("a + (long long)n * n <= b || b + (long long)n * n <= a"));
        var band = Loop(analysis, "band", 1);
        Assert.That(band.Clauses, Does.Contain("reduction(+:acc[0:n])"), band.Reason);
        var unsignedMin = Loop(analysis, "unsigned_min", 1);
        Assert.That(unsignedMin.Parallelizable, Is.False, unsignedMin.Reason);
        CounterBoundExtentTests.AssertNoCheckOrSectionReadsACounterOfItsNest(analysis);
    }

    [TestCase("clang++-19")]
    [TestCase("g++")]
    public void The_std_min_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource("tiled_std.cpp", StdMinSource);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c++17", path, Ws.RewritePlannedLoops(path));
    }

    [TestCase("clang-19")]
    [TestCase("gcc")]
    public void The_tiled_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", _path, Ws.RewritePlannedLoops(_path));
    }
}
