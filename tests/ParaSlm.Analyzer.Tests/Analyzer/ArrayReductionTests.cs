using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Array reductions (issue 14): a loop whose only accesses to an array add into its elements (`h[idx[i]]++`,
/// `h[k] += w`) runs in parallel with `reduction(+:h)` / `reduction(+:p[lo:len])`. Legality from the facts, the plan
/// through the planner and verifier, the generated text, and whole programs on 4 threads against serial.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ArrayReductionTests : GenerationFixture
{
    /// <summary>Every shape, legal and not, in one program whose output depends on each loop's result.</summary>
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>

        static long hist[256];

        /* Histogram of bytes into a declared array: reduction over the whole array. */
        static void bytes(int n, const unsigned char *in) {
            for (int i = 0; i < n; i++)
                hist[in[i]]++;
        }

        /* Column sums into a pointer: the section h[0:m] is known before the loop. */
        static void columns(int rows, int m, const double *restrict a, double *restrict h) {
            for (int i = 0; i < rows; i++)
                for (int k = 0; k < m; k++)
                    h[k] += a[i * m + k];
        }

        /* A 2-D declared array, updated with -= and ++. */
        static void joint(int n, const unsigned char *in, int g[16][16]) {
            int local[16][16] = {{0}};
            for (int i = 1; i < n; i++) {
                local[in[i] & 15][in[i - 1] & 15] -= 2;
                local[in[i] >> 4][in[i - 1] >> 4]++;
            }
            for (int r = 0; r < 16; r++)
                for (int c = 0; c < 16; c++)
                    g[r][c] = local[r][c];
        }

        /* Not reductions: an indirect index into a pointer (its range is unknown), a read of the updated value,
         * a product, and an update that reads another element of the same array. */
        static void scatter(int n, const unsigned char *in, long *p) {
            for (int i = 0; i < n; i++)
                p[in[i]]++;
        }

        static long used(int n, const unsigned char *in) {
            long last = 0;
            for (int i = 0; i < n; i++)
                last = hist[in[i]]++;
            return last;
        }

        static double scaled[256];

        static void product(int n, const unsigned char *in) {
            for (int i = 0; i < n; i++)
                scaled[in[i]] *= 1.0000001;
        }

        static void chained(int n, const unsigned char *in) {
            for (int i = 0; i < n; i++)
                hist[in[i]] += hist[(in[i] + 1) & 255];
        }

        int main(void) {
            enum { N = 2000000, M = 300, ROWS = 3000 };
            unsigned char *in = malloc(N);
            double *a = malloc(sizeof *a * M * ROWS);
            double *h = calloc(M, sizeof *h);
            long *p = calloc(256, sizeof *p);
            static int g[16][16];
            if (!in || !a || !h || !p) return 1;
            unsigned long long seed = 12345;
            for (int i = 0; i < N; i++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                in[i] = (unsigned char)(seed >> 56);
            }
            for (int i = 0; i < M * ROWS; i++) a[i] = (i % 97) * 0.25;
            for (int k = 0; k < 256; k++) scaled[k] = 1.0;
            bytes(N, in);
            columns(ROWS, M, a, h);
            joint(N, in, g);
            scatter(N, in, p);
            long last = used(N, in);
            product(N / 100, in);
            chained(N / 100, in);
            long s = 0;
            for (int k = 0; k < 256; k++) s += hist[k] * (k + 1) + p[k] * (k + 3);
            long u = 0;
            for (int r = 0; r < 16; r++)
                for (int c = 0; c < 16; c++) u += g[r][c] * (r * 16 + c + 1);
            /* Checksums in integers: a parallel floating-point sum here would differ in the last digits. */
            long v = 0;
            for (int k = 0; k < 256; k++) v += (long)(scaled[k] * 1e12);
            long w = 0;
            for (int k = 0; k < M; k++) w += (long)(h[k] * (k + 1) * 4);
            printf("%ld %ld %ld %ld %ld\n", s, w, u, last, v);
            free(in);
            free(a);
            free(h);
            free(p);
            return 0;
        }

        """;

    private LoopFacts Loop(IReadOnlyList<LoopFacts> loops, string function) => loops.First(l => l.Function == function);

    [Test]
    public void Loops_that_only_add_into_an_array_get_an_array_reduction_with_a_known_section()
    {
        var loops = Ws.Analyze(Ws.WriteSource("legal.c", Program)).Loops;
        var bytes = Loop(loops, "bytes");
        Assert.That(bytes.Parallelizable, Is.True, bytes.Reason);
        Assert.That(bytes.Clauses, Is.EqualTo("reduction(+:hist)"));
        Assert.That(bytes.ArrayReductions.Single().Elements, Is.EqualTo(256));
        Assert.That(bytes.RuntimeCheck, Does.Contain("(const char *)(hist + 256) <= (const char *)(in)"),
            "a declared array is reduced as a whole, whatever its subscripts: its whole extent is checked against the byte pointer");

        var columns = Loop(loops, "columns");
        Assert.That(columns.Parallelizable, Is.True, columns.Reason);
        Assert.That(columns.Clauses, Is.EqualTo("reduction(+:h[0:m])"));
        Assert.That(columns.RuntimeCheck, Is.EqualTo("(m) > 0 && (m) <= 65536"), "a run-time length is bounded before the copies are made");
        Assert.That(columns.FloatingPointReductions, Is.EqualTo(new[] { "h[0:m]" }), "double sums are reassociated: the policy sees it");

        var joint = Loop(loops, "joint");
        Assert.That(joint.Parallelizable, Is.True, joint.Reason);
        Assert.That(joint.Clauses, Is.EqualTo("reduction(+:local)"));
        Assert.That(joint.Offload?.Offloadable, Is.False, "array reductions stay on the CPU");
    }

    [Test]
    public void Updates_that_are_not_pure_additions_into_a_known_section_stay_serial()
    {
        var loops = Ws.Analyze(Ws.WriteSource("illegal.c", Program)).Loops;
        foreach (var name in new[] { "scatter", "used", "product", "chained" })
        {
            var loop = Loop(loops, name);
            Assert.That(loop.Parallelizable, Is.False, $"{name}: {loop.Reason}");
            Assert.That(loop.ArrayReductions, Is.Empty, name);
        }
        Assert.That(Loop(loops, "scatter").Reason, Does.Contain("may write the same element"), "the dependence is still the reason");
    }

    [Test]
    public void An_array_larger_than_the_limit_stays_serial_and_says_why()
    {
        var source = """
            static int big[70000];
            void count(int n, const int *idx) {
                for (int i = 0; i < n; i++)
                    big[idx[i]] += 1;
            }
            """;
        var loop = Ws.Analyze(Ws.WriteSource("big.c", source)).Loops.Single();
        Assert.That(loop.Parallelizable, Is.False, loop.Reason);
        Assert.That(loop.Evidence, Has.Some.Contains("70000 elements"));
    }

    [Test]
    public void Two_arrays_whose_copies_together_exceed_the_limit_stay_serial()
    {
        var source = """
            static int red[40000], green[40000];
            void count(int n, const int *idx) {
                for (int i = 0; i < n; i++) {
                    red[idx[i] % 40000] += 1;
                    green[idx[i] % 40000] += 2;
                }
            }
            """;
        var loop = Ws.Analyze(Ws.WriteSource("pair.c", source)).Loops.Single();
        Assert.That(loop.Parallelizable, Is.False, loop.Reason);
        Assert.That(loop.Reason, Does.Contain("together they have more than the 65536 elements"));
    }

    [Test]
    public void The_planner_prices_the_per_thread_copies_and_the_generated_pragma_names_the_section()
    {
        var source = """
            static long small[64];
            static long wide[65536];
            void few(const unsigned char *in) {
                for (int i = 0; i < 20000; i++)
                    small[in[i] & 63] += in[i];
            }
            void many(const unsigned short *in) {
                for (int i = 0; i < 20000; i++)
                    wide[in[i]] += 1;
            }
            void unknown(int n, const unsigned char *in) {
                for (int i = 0; i < n; i++)
                    small[in[i] & 63]++;
            }
            """;
        var path = Ws.WriteSource("plan.c", source);
        var analysis = Ws.Analyze(path);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var few = plans.Single(p => analysis.Loops.Single(l => l.Id == p.Id).Function == "few");
        var many = plans.Single(p => analysis.Loops.Single(l => l.Id == p.Id).Function == "many");
        Assert.That(few.IsParallel, Is.True, few.Reason);
        Assert.That(few.Clauses, Is.EqualTo("reduction(+:small)"));
        Assert.That(many.IsParallel, Is.False, "20,000 iterations do not pay for 4 copies of 65,536 elements");
        Assert.That(many.Reason, Does.Contain("per-thread copies of `wide`"));

        var unknown = analysis.Loops.Single(l => l.Function == "unknown");
        Assert.That(LoopCost.IfClause(unknown, analysis.Loops, LoopIndex.Of(analysis.Loops)), Is.EqualTo("if(!PARASLM_COST_GUARD || n >= 25256)"),
            "the run-time guard adds the copies' work (50,000 + 2 x 4 x 64 accesses, 2 per iteration)");

        var text = Ws.RewritePlannedLoops(path).Text;
        // `in` is read through its address in clang's outlined loop, which a `long` store may change: taken by value.
        Assert.That(text, Does.Contain("#pragma omp parallel for reduction(+:small) firstprivate(in)\n#line 4 \"" + path + "\"\n    for (int i = 0; i < 20000; i++)"));
    }

    [TestCase("gcc", "-std=c11")]
    [TestCase("clang-19", "-std=c11")]
    [TestCase("g++", "-std=c++17")]
    [TestCase("clang++-19", "-std=c++17")]
    public void The_program_prints_on_4_threads_what_it_prints_serially(string compiler, string std)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var cpp = std.Contains("++", StringComparison.Ordinal);
        // The same program as C++ (casts on malloc's result).
        var source = cpp ? Program.Replace("unsigned char *in = malloc(N);", "unsigned char *in = (unsigned char *)malloc(N);")
                .Replace("double *a = malloc(", "double *a = (double *)malloc(").Replace("double *h = calloc(", "double *h = (double *)calloc(")
                .Replace("long *p = calloc(", "long *p = (long *)calloc(").Replace("*restrict", "*__restrict")
            : Program;
        var name = compiler.Replace("+", "p", StringComparison.Ordinal) + (cpp ? "_run.cpp" : "_run.c");
        var path = Ws.WriteSource(name, source);
        var result = Ws.RewriteParallelLoops(path);
        var reductions = result.Outcomes.Where(o => o.Applied && o.Edit.Directive.Contains("reduction(+:", StringComparison.Ordinal)).ToList();
        Assert.That(reductions.Select(o => o.Edit.Directive), Has.Some.Contains("reduction(+:hist)").And.Some.Contains("reduction(+:h[0:m])").And.Some.Contains("reduction(+:local)"),
            result.Text);
        // Integer sums are exact in any order.
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result);
    }
}
