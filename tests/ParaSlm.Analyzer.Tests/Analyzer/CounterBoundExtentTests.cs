using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The range a loop's subscripts cover (an array reduction's section, an overlap check) is evaluated once, before the
/// loop. PRK's tiled stencil bounds its inner loops by `MIN(n - R, jt + tile)`: the analyzer kept that bound as one
/// opaque term and wrote `reduction(+:out[(2 * n + 2):n * (MIN(n-RADIUS,jt+tile_size)) + …])` and an overlap check
/// with it on the tile loop `jt`, i.e. read the counters `jt` and `it` before the loop (stale or uninitialized): too
/// short a private copy, and the clang build crashed. A range that still reads a counter of the loop or of a loop
/// inside it is not known before the loop; where the min bound's hull over the tile loop is exact, the range uses it. Fixtures: the corpus file `c/tiled_bounds.c` (1-D tiles) and PRK's 2-D shape.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class CounterBoundExtentTests : GenerationFixture
{
    // PRK stencil's tiled nest in 2-D: the `j` and `i` bounds read the tile counters `jt` and `it`.
    private const string Tiled2D = """
        #include <stdio.h>
        #include <stdlib.h>
        #define MIN(a, b) ((a) < (b) ? (a) : (b))

        static void tiled(long n, long tile, const double *in, double *out)
        {
            long it, jt, i, j;
            for (jt = 1; jt < n - 1; jt += tile)
                for (it = 1; it < n - 1; it += tile)
                    for (j = jt; j < MIN(n - 1, jt + tile); j++)
                        for (i = it; i < MIN(n - 1, it + tile); i++)
                            out[i + j * n] += 0.5 * in[i + j * n] + 0.25 * (in[i - 1 + j * n] + in[i + 1 + j * n]);
        }

        int main(void)
        {
            long n = 120, tile = 16;
            double *in = malloc(n * n * sizeof *in), *out = calloc(n * n, sizeof *out);
            if (!in || !out) return 1;
            for (long k = 0; k < n * n; k++) in[k] = (k % 17) * 0.5;
            for (int step = 0; step < 3; step++) tiled(n, tile, in, out);
            double s = 0;
            for (long k = 0; k < n * n; k++) s += out[k] * (k % 7);
            printf("%.6e\n", s);
            free(in);
            free(out);
            return 0;
        }

        """;

    private string _path = null!;
    private string _path2D = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _path = Ws.WriteSource("tiled_bounds.c", File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "tiled_bounds.c")));
        _path2D = Ws.WriteSource("tiled_2d.c", Tiled2D);
    }

    [TestCase("tiled_bounds.c")]
    [TestCase("tiled_2d.c")]
    public void No_section_or_check_reads_a_counter_of_the_loop_or_of_a_loop_inside_it(string name)
    {
        var analysis = Ws.Analyze(name == "tiled_2d.c" ? _path2D : _path, ["-std=c11"]);
        AssertNoCheckOrSectionReadsACounterOfItsNest(analysis);
        // The tile loop's check covers the exact hull of the tiles (NestHull): the whole rows, no tile counter.
        var tile = analysis.Loops.Single(l => l.Function == "tiled" && l.Depth == 1);
        Assert.That(tile.RuntimeCheck, Is.EqualTo(name == "tiled_2d.c"
            ? "in + ((long long)n * n - n) <= out + (n + 1) || out + ((long long)n * n - n - 1) <= in + n"
            : "in + n <= out || out + n <= in"), tile.Reason);
        Assert.That(tile.ArrayReductions, Is.Empty);
        if (name == "tiled_bounds.c")
        {
            // Rows bounded by `MIN(m, it + tile)` under tiles running to n: no exact hull, so no check, and serial.
            var shortTile = analysis.Loops.Single(l => l.Function == "tiled_short" && l.Depth == 1);
            Assert.That(shortTile.Parallelizable, Is.False, shortTile.Reason);
            Assert.That(shortTile.RuntimeCheck, Is.Null);
            Assert.That(shortTile.ArrayReductions, Is.Empty);
        }
        // Inside a tile the counter is fixed: the loop there keeps its overlap check, reading `it`.
        var row = analysis.Loops.Where(l => l.Function == "tiled").MaxBy(l => l.Depth)!;
        Assert.That(row.RuntimeCheck, Does.Contain("it + tile"), row.Reason);
    }

    /// <summary>No loop's overlap check or array-reduction section names the counter of the loop or of a loop after it in
    /// its function at its depth or deeper (its nest, and siblings: stricter than needed, never weaker).</summary>
    internal static void AssertNoCheckOrSectionReadsACounterOfItsNest(FileAnalysis analysis)
    {
        foreach (var loop in analysis.Loops)
        {
            var counters = analysis.Loops.Where(l => l.Function == loop.Function && l.Line >= loop.Line && l.Depth >= loop.Depth)
                .Select(l => Regex.Match(l.Header, @"^for\s*\(\s*(?:[A-Za-z_][\w\s\*]*\s)?([A-Za-z_]\w*)\s*=")).Where(m => m.Success)
                .Select(m => m.Groups[1].Value).ToHashSet();
            var texts = new[] { loop.RuntimeCheck }.Concat(loop.ArrayReductions.Select(r => r.Reduction.Variable)).OfType<string>();
            foreach (var text in texts)
                foreach (var c in counters)
                    Assert.That(Regex.IsMatch(text, $@"\b{Regex.Escape(c)}\b"), Is.False, $"line {loop.Line}: `{text}` reads the counter `{c}`");
        }
    }

    [TestCase("tiled_bounds.c", "clang-19")]
    [TestCase("tiled_bounds.c", "gcc")]
    [TestCase("tiled_2d.c", "clang-19")]
    [TestCase("tiled_2d.c", "gcc")]
    public void The_tiled_program_prints_on_4_threads_what_it_prints_serially(string name, string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = name == "tiled_2d.c" ? _path2D : _path;
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, Ws.RewritePlannedLoops(path, extraArguments: ["-std=c11"]));
    }
}
