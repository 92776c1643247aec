using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Flattened accessors reached through member chains (`fl.heat(i, j)`, `t.f.flux(i, j)`, `p->f.heat(i, j)`,
/// `this->f.heat(i, j)`; found on CloverLeaf, whose `update_halo` reads `field.density0(j, k)`): the accessor's `this` is a
/// member of a member, and its row length `fl.heat.ny` and storage `fl.heat.cells` are named by the whole chain. Trusted
/// like the single-member case only where no store of the loop can reach the chain: its root and every member on the way
/// not written by name, every member nameable at the loop's site, every store of a type that cannot change it.
/// Fixture: corpus `cpp/member_chains.cpp`.
/// </summary>
[TestFixture]
[Category("Integration")]
[Parallelizable(ParallelScope.None)]
public sealed class MemberChainRowCheckTests : GenerationFixture
{
    private FileAnalysis _cpp = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        var cpp = Path.Combine(CorpusFiles.Root, "cpp", "member_chains.cpp");
        _cpp = Ws.Analyzer.Analyze(cpp, CorpusFiles.ArgumentsFor(cpp));
        foreach (var l in _cpp.Loops) TestContext.Out.WriteLine(Support.SnippetAnalyzer.Describe(l));
    }

    private static LoopFacts Outer(FileAnalysis a, string function) => a.Loops.Where(l => l.Function == function).MinBy(l => l.Line)!;

    private static LoopFacts Inner(FileAnalysis a, string function) => a.Loops.Where(l => l.Function == function).MaxBy(l => l.Line)!;

    [Test]
    public void A_halo_through_a_member_of_a_reference_splits_its_rows_under_a_check_naming_the_chain()
    {
        var halo = Outer(_cpp, "halo");
        Assert.That(halo.Parallelizable, Is.True, halo.Reason);
        Assert.That(halo.RuntimeCheck, Does.Contain("2LL * depth - (long long)fl.heat.ny <= 0"), "columns 1 - k .. 2 + k span 2 * depth");
        Assert.That(halo.Reason, Does.StartWith("parallel if every flattened subscript stays within its row"));
    }

    [Test]
    public void Two_grids_of_a_member_are_checked_apart_on_their_chained_cells_pointers()
    {
        foreach (var (function, root) in new[] { ("copy_tile", "t.f."), ("copy_tile_ptr", "p->f."), ("Tile::scale", "this->f.") })
        {
            var outer = _cpp.Loops.Where(l => l.Function == function || l.Function.EndsWith("::" + function.Split("::")[^1], StringComparison.Ordinal)).MinBy(l => l.Line)!;
            Assert.That(outer.Parallelizable, Is.True, function + ": " + outer.Reason);
            Assert.That(outer.RuntimeCheck, Does.Contain($"(const char *)({root}heat.cells + ").And.Contain($"(const char *)({root}flux.cells + "), function);
            Assert.That(outer.RuntimeCheck, Does.Contain($"(long long){root}flux.ny"), function + ": the row length is read through the chain, widened");
        }
    }

    [Test]
    public void A_row_length_reassigned_in_the_loop_keeps_the_loop_serial()
    {
        var outer = Outer(_cpp, "reassigned");
        Assert.That(outer.Parallelizable, Is.False);
        Assert.That(outer.Reason, Does.Contain("fl.heat.ny"));
        Assert.That(Inner(_cpp, "reassigned").Parallelizable, Is.True, "inside one row the length is fixed");
    }

    [TestCase("aliased")]
    [TestCase("aliased_object")]
    public void A_store_through_a_pointer_that_may_reach_the_chain_keeps_the_loop_serial(string function)
    {
        var outer = Outer(_cpp, function);
        Assert.That(outer.Parallelizable, Is.False, outer.Reason);
        Assert.That(outer.Reason, Does.Contain("may write the same element"));
    }

    [Test]
    public void A_non_const_operator_that_writes_a_member_is_not_read_in_place()
    {
        Assert.That(_cpp.Loops.Where(l => l.Function == "restless").All(l => !l.Parallelizable), Is.True);
        Assert.That(Outer(_cpp, "restless").Reason, Does.Contain("operator()"));
    }

    /// <summary>A pointer declared in the loop and reassigned per iteration: `p->n` is not the value it had before the loop
    /// (the member's symbol depends on its root). Before, the loop was parallel and its rows of different lengths met.</summary>
    [Test]
    public void A_member_whose_root_changes_per_iteration_is_not_a_loop_invariant()
    {
        using var snippets = new Support.SnippetAnalyzer();
        var loops = snippets.Loops("""
            struct V { int n; };
            void f(struct V *q, double *restrict a) {
              for (int i = 0; i < 100; i++) {
                struct V *p;
                p = q + i;
                for (int j = 0; j < p->n; j++)
                  a[i * p->n + j] = i;
              }
            }
            """);
        var outer = loops.MinBy(l => l.Line)!;
        Assert.That(outer.Parallelizable, Is.False, outer.Reason);
    }

    private const string Program = """
        #include <cstddef>
        #include <cstdio>
        #include <vector>

        template <typename T> struct Grid {
            std::size_t nx, ny;
            T *cells;
            T &operator()(std::size_t i, std::size_t j) const { return cells[j + i * ny]; }
        };

        struct Fields {
            Grid<double> heat;
            Grid<double> flux;
        };

        struct Tile {
            Fields f;
            void scale(int nx, int ny, double s)
            {
                for (int i = 0; i < nx; i++)
                    for (int j = 0; j < ny; j++)
                        f.heat(i, j) = s * f.flux(i, j) + (double)j;
            }
        };

        static void halo(Fields &fl, int lo, int hi, int depth)
        {
            for (int i = lo; i < hi; i++)
                for (int k = 0; k < depth; k++)
                    fl.heat(i, 1 - k) = fl.heat(i, 2 + k) * 0.5 + (double)i;
        }

        static void copy_tile(Tile &t, int nx, int ny)
        {
            for (int i = 0; i < nx; i++)
                for (int j = 0; j < ny; j++)
                    t.f.flux(i, j) = 2.0 * t.f.heat(i, j) + 1.0;
        }

        static void copy_tile_ptr(Tile *p, int nx, int ny)
        {
            for (int i = 0; i < nx; i++)
                for (int j = 0; j < ny; j++)
                    p->f.flux(i, j) = p->f.heat(i, j) + (double)i;
        }

        static double sum(const std::vector<double> &v)
        {
            double s = 0.0;
            for (std::size_t e = 0; e < v.size(); e++) s += v[e] * (double)(e % 7 + 1);
            return s;
        }

        int main()
        {
            const int nx = 600, ny = 400;
            std::vector<double> a((std::size_t)nx * ny), b((std::size_t)nx * ny);
            for (std::size_t e = 0; e < a.size(); e++) { a[e] = (double)(e % 13); b[e] = (double)(e % 11); }
            Tile t{{{(std::size_t)nx, (std::size_t)ny, a.data()}, {(std::size_t)nx, (std::size_t)ny, b.data()}}};
            halo(t.f, 1, nx - 1, 2);
            copy_tile(t, nx, ny);
            copy_tile_ptr(&t, nx, ny);
            t.scale(nx, ny, 0.5);
            std::printf("fits %.17g %.17g\n", sum(a), sum(b));
            // Rows of depth = ny: columns 1 - k .. 2 + k span more than a row, the check fails, the loop runs as written.
            halo(t.f, 1, nx - 1, ny);
            // One grid twice: the cells pointers overlap, the check fails, the loop runs as written.
            Tile same{{{(std::size_t)nx, (std::size_t)ny, a.data()}, {(std::size_t)nx, (std::size_t)ny, a.data() + 1}}};
            copy_tile(same, nx, ny);
            std::printf("overlap %.17g %.17g\n", sum(a), sum(b));
            return 0;
        }

        """;

    [TestCase("g++")]
    [TestCase("clang++-19")]
    public void Member_chain_kernels_print_on_4_threads_what_they_print_serially(string compiler)
    {
        var cxx = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler.Replace("+", "x", StringComparison.Ordinal) + "_chains.cpp", Program);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Text, Does.Contain("2LL * depth - (long long)fl.heat.ny <= 0"), result.Text);
        Assert.That(result.Text, Does.Contain("(const char *)(t.f.heat.cells + ").And.Contain("(const char *)(p->f.flux.cells + ")
            .And.Contain("(const char *)(this->f.heat.cells + "), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cxx, "-std=c++17", path, result, "-O1", "-fsanitize=undefined", "-fno-sanitize-recover=all");
    }
}
