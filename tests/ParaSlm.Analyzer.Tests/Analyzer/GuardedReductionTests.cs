using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Guarded array reductions (issue 14 item 3): a scatter into a pointer through data-dependent subscripts
/// (`hist[in[i]]++`) runs in parallel into per-thread copies of K bins, K read from a loop of the same function; any
/// subscript outside [0, K) runs the original loop instead. The proof and its near misses, the plan element and the
/// verifier's check of it, the generated text, and outputs identical to the serial program's on 4 threads with gcc and
/// clang, C and C++, on data with subscripts inside and outside the bins and with arrays that overlap at run time.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class GuardedReductionTests : GenerationFixture
{
    // histogram: constant bins from the clearing loop. weighted: run-time bins (a parameter), `+=` and `-=`, plain int
    // pointers (a run-time overlap check between `h` and `idx`/`w`); called with every subscript inside, with some beyond
    // the bins but inside the allocation (the serial program is well defined: the original loop must run), with negative
    // ones (h points into the middle of its array), and with `h` overlapping `idx` (the overlap check fails). sums: double
    // elements whose terms add exactly in any order.
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>
        #define NBINS 256
        #define N 200000

        static unsigned long long seed = 88172645463325252ULL;
        static int next_random(int n) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return (int)(seed % (unsigned long long)n); }

        static void histogram(int n, const unsigned char *restrict in, long *restrict hist) {
            for (int v = 0; v < NBINS; v++) hist[v] = 0;
            for (int i = 0; i < n; i++)
                hist[in[i]]++;
        }

        static void weighted(int n, int nbins, const int *idx, const int *w, int *h) {
            for (int b = 0; b < nbins; b++) h[b] = 0;
            for (int i = 0; i < n; i++) {
                int k = idx[i];
                h[k] += w[i] % 13;
                h[k] -= 1;
            }
        }

        static void sums(int n, const short *restrict idx, const double *restrict x, double *restrict s) {
            for (int b = 0; b < 1000; b++) s[b] = 0.5 * b;
            for (int i = 0; i < n; i++) s[idx[i]] += x[i];
        }

        static void image_histogram(int rows, int cols, const unsigned char *restrict img, int *restrict bins) {
            int y, x;
            for (x = 0; x < 64; x++) bins[x] = 0;
            for (y = 0; y < rows; y++)
                for (x = 0; x < cols; x++)
                    bins[img[y * cols + x] >> 2]++;
        }

        static void print_ints(const char *what, const int *a, int n) {
            long long h = 0;
            for (int i = 0; i < n; i++) h = h * 31 + a[i];
            printf("%s %lld\n", what, h);
        }

        int main(void) {
            unsigned char *in = malloc(N);
            long *hist = malloc(NBINS * sizeof *hist);
            for (int i = 0; i < N; i++) in[i] = (unsigned char)(next_random(200) + next_random(56));
            histogram(N, in, hist);
            long hs = 0;
            for (int v = 0; v < NBINS; v++) hs = hs * 7 + hist[v] * (v + 1);
            printf("histogram %ld\n", hs);
            int bins[64];
            image_histogram(400, 500, in, bins);
            print_ints("image", bins, 64);

            int *idx = malloc(N * sizeof(int)), *w = malloc(N * sizeof(int)), *big = malloc(3000 * sizeof(int));
            for (int i = 0; i < N; i++) { idx[i] = next_random(1000); w[i] = next_random(100000) - 50000; }
            for (int b = 0; b < 3000; b++) big[b] = -b;
            weighted(N, 1000, idx, w, big + 1000);
            print_ints("inside", big, 3000);
            idx[N / 3] = 1500;                       /* beyond the bins, inside the allocation */
            weighted(N, 1000, idx, w, big + 1000);
            print_ints("beyond", big, 3000);
            idx[N / 3] = 7; idx[N - 1] = -600;       /* negative: before h, inside the allocation */
            weighted(N, 1000, idx, w, big + 1000);
            print_ints("negative", big, 3000);
            for (int i = 0; i < N; i++) idx[i] = next_random(500);
            weighted(N / 2, 500, idx, w, idx + N / 4);  /* h overlaps idx: the original loop */
            print_ints("overlap", idx, N);

            short *sidx = malloc(N * sizeof(short));
            double *x = malloc(N * sizeof(double)), *s = malloc(1000 * sizeof(double));
            for (int i = 0; i < N; i++) { sidx[i] = (short)next_random(1000); x[i] = 0.25 * next_random(64); }
            sums(N, sidx, x, s);
            double ss = 0;
            for (int b = 0; b < 1000; b++) ss += s[b] * (b % 7);
            printf("sums %.3f line %d\n", ss, __LINE__);
            free(in); free(hist); free(idx); free(w); free(big); free(sidx); free(x); free(s);
            return 0;
        }
        """;

    private const string CppProgram = """
        #include <cstdio>
        #include <vector>

        // C++: bins from a local constant, the subscript a computed local, the array behind a vector's data().
        static void count(int n, const unsigned *__restrict keys, long long *__restrict bins) {
            const int nb = 2048;
            for (int b = 0; b < nb; ++b) bins[b] = 0;
            for (int i = 0; i < n; ++i) {
                const unsigned k = keys[i] >> 20;
                ++bins[k];
            }
        }

        int main() {
            const int n = 300000;
            std::vector<unsigned> keys(n);
            unsigned x = 12345;
            for (auto &k : keys) { x = x * 1103515245u + 12345u; k = x % (2048u << 20); }
            std::vector<long long> bins(4096 * 2, 3);
            count(n, keys.data(), bins.data());
            long long h = 0;
            for (int b = 0; b < 8192; ++b) h = h * 131 + bins[b];
            std::printf("bins %lld\n", h);
            // Keys whose bin falls beyond 2048 (inside the vector): the original loop must run.
            for (int i = 0; i < n; i += 1000) keys[i] = 0xFFFFFFFFu;
            count(n, keys.data(), bins.data());
            h = 0;
            for (int b = 0; b < 8192; ++b) h = h * 131 + bins[b];
            std::printf("bins %lld line %d\n", h, __LINE__);
            return 0;
        }
        """;

    // Each function is one near miss: the loop must keep its serial form.
    private const string NearMisses = """
        #define N 100000
        int in[N], out[N];

        void read_in_loop(long *h) {
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) if (h[in[i]] < 100) h[in[i]]++;
        }

        void value_reads_array(long *h) {
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) h[in[i]] += h[0];
        }

        void no_bound(long *h) {
            for (int i = 0; i < N; i++) h[in[i]]++;
        }

        void another_write(long *h) {
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) { out[i] = in[i]; h[in[i]]++; }
        }

        long scalar_sum(long *h) {
            long s = 0;
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) { s += in[i]; h[in[i]]++; }
            return s;
        }

        void fraction_into_integers(int *h, const double *x) {
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) h[in[i]] += x[i];
        }

        void value_used(long *h) {
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) out[i] = h[in[i]]++;
        }

        void too_many_bins(long *h) {
            for (int v = 0; v < 100000; v++) h[v] = 0;
            for (int i = 0; i < N; i++) h[in[i]]++;
        }

        void pointer_moves(long *base) {
            long *h = base;
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) { h = base + (i & 1) * 64; h[in[i] & 63]++; }
        }

        #define BIN(x) h[(x) >> 2]
        void macro_update(long *h) {
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) BIN(in[i])++;
        }

        void index_array_unbounded(int *h, const int *idx, const int *sel) {
            for (int v = 0; v < 64; v++) h[v] = 0;
            for (int i = 0; i < N; i++) h[idx[sel[i]]]++;
        }
        """;

    private static LoopFacts Scatter(FileAnalysis analysis, string function) =>
        analysis.Loops.Last(l => l.Function == function && l.ParentId is null);

    [Test]
    public void A_histogram_scatter_into_a_pointer_is_a_guarded_reduction_with_bins_from_its_clearing_loop()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("forms.c", Program));
        var hist = Scatter(analysis, "histogram");
        var weighted = Scatter(analysis, "weighted");
        var sums = Scatter(analysis, "sums");
        Assert.Multiple(() =>
        {
            Assert.That(hist.Parallelizable, Is.False, "the loop itself stays serial as written");
            Assert.That(hist.GuardedReduction, Is.Not.Null, hist.Reason + "\n" + string.Join("\n", hist.Evidence));
            Assert.That(hist.GuardedReduction?.Bound, Is.EqualTo("256"), "NBINS, from the clearing loop");
            Assert.That(hist.GuardedReduction?.Updates.Single() is { Index: "in[i]", Operator: "++" }, Is.True);
            Assert.That(hist.GuardedReduction?.OverlapCheck, Is.Null, "restrict pointers never overlap");
            Assert.That(weighted.GuardedReduction?.Bound, Is.EqualTo("nbins"), "a parameter the function never writes");
            Assert.That(weighted.GuardedReduction?.SizeCheck, Is.EqualTo("(long long)(nbins) > 0 && (long long)(nbins) <= 65536"));
            Assert.That(weighted.GuardedReduction?.Updates.Select(u => u.Operator), Is.EqualTo(new[] { "+=", "-=" }));
            Assert.That(weighted.GuardedReduction?.OverlapCheck, Does.Contain("h + (nbins)").And.Contain("idx").And.Contain("w"));
            Assert.That(sums.GuardedReduction is { FloatingPoint: true, Bound: "1000" }, Is.True);
            var image = Scatter(analysis, "image_histogram").GuardedReduction;
            Assert.That(image is { Bound: "64" } && image.Private.SequenceEqual(["x"]), Is.True, "the inner counter, declared outside, is private in the copy");
        });
    }

    [TestCase("read_in_loop", TestName = "A_scatter_whose_array_is_also_read_in_the_loop_stays_serial")]
    [TestCase("value_reads_array", TestName = "A_scatter_whose_added_value_reads_the_array_stays_serial")]
    [TestCase("no_bound", TestName = "A_scatter_with_no_loop_that_bounds_its_bins_stays_serial")]
    [TestCase("another_write", TestName = "A_scatter_loop_that_writes_other_memory_stays_serial")]
    [TestCase("scalar_sum", TestName = "A_scatter_loop_with_a_scalar_reduction_stays_serial")]
    [TestCase("fraction_into_integers", TestName = "A_scatter_adding_floating_values_into_integers_stays_serial")]
    [TestCase("value_used", TestName = "A_scatter_whose_updated_value_is_used_stays_serial")]
    [TestCase("too_many_bins", TestName = "A_scatter_with_more_bins_than_a_reduction_privatizes_stays_serial")]
    [TestCase("pointer_moves", TestName = "A_scatter_through_a_pointer_the_loop_moves_stays_serial")]
    [TestCase("macro_update", TestName = "A_scatter_written_through_a_macro_stays_serial")]
    [TestCase("index_array_unbounded", TestName = "A_scatter_into_a_pointer_that_may_alias_an_unbounded_read_stays_serial")]
    public void Near_misses_keep_their_serial_form(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("near.c", NearMisses));
        var loop = Scatter(analysis, function);
        Assert.That(loop.Parallelizable, Is.False);
        Assert.That(loop.GuardedReduction, Is.Null);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Single(p => p.Id == loop.Id).IsParallel, Is.False);
        var text = SourceRewriter.Rewrite(analysis.File, NearMisses, plans.Where(p => p.IsParallel)
            .Select(p => LoopEdit.ForProposal(analysis.Loops.Single(l => l.Id == p.Id), p.Proposal, p.RuntimeCheck)).ToList()).Text;
        Assert.That(text, Does.Not.Contain(GuardedReduction.TransformName));
    }

    [Test]
    public void The_plan_names_the_transform_and_the_verifier_rejects_it_where_the_facts_do_not_prove_it()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("plan.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var hist = Scatter(analysis, "histogram");
        var plan = plans.Single(p => p.Id == hist.Id);
        Assert.That(plan.Proposal.Transform, Is.EqualTo(GuardedReduction.TransformName));
        Assert.That(plan.Verdict, Is.EqualTo(VerdictKind.Accepted));
        Assert.That(plan.Reason, Does.Contain("per-thread copies of 256 elements"));

        var plain = new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []);
        Assert.That(PlanVerifier.Verify(hist, plain, byId, false).Code, Is.EqualTo(PlanVerifier.UnsafeParallel), "without the transform the loop is unsafe");
        Assert.That(PlanVerifier.Verify(hist, plain with { Transform = GuardedReduction.TransformName, Target = ParallelTarget.GpuOpenMPOffload }, byId, false).Plan.Parallel, Is.False);
        var repaired = PlanVerifier.Verify(hist, plain with { Transform = GuardedReduction.TransformName, Schedule = "guided", Reductions = [new("+", "hist[:256]")] }, byId, false);
        Assert.That(repaired is { Kind: VerdictKind.Repaired, Code: PlanVerifier.WrongClauses, Plan: { Parallel: true, Schedule: null, Reductions.Count: 0 } }, Is.True, repaired.Reason);
        // A loop the analyzer did not prove (no bins): the name is refused with PSLM2002.
        var near = Ws.Analyze(Ws.WriteSource("plan_near.c", NearMisses));
        var noBound = Scatter(near, "no_bound");
        var refused = PlanVerifier.Verify(noBound, plain with { Transform = GuardedReduction.TransformName }, near.Loops.ToDictionary(l => l.Id), false);
        Assert.That(refused is { Code: PlanVerifier.WrongClauses, Plan.Parallel: false }, Is.True, refused.Reason);
    }

    [Test]
    public void The_generated_form_tests_each_subscript_and_keeps_the_original_loop_as_its_fallback()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        var lines = Program.Split('\n');
        int LineOf(string s) => Array.FindIndex(lines, l => l.Contains(s, StringComparison.Ordinal)) + 1;
        Assert.That(text, Does.Contain("#pragma omp parallel for firstprivate(paraslm_kb) reduction(+:paraslm_acc[:paraslm_k]) reduction(|:paraslm_out)"));
        Assert.That(text, Does.Contain("do { unsigned long long paraslm_i = (unsigned long long)(in[i]); if (paraslm_i < paraslm_kb) paraslm_acc[paraslm_i]++; else paraslm_out = 1; } while (0);"));
        Assert.That(text, Does.Contain("paraslm_acc[paraslm_i] -= (1); else paraslm_out = 1;"));
        Assert.That(text, Does.Contain("const long long paraslm_k = (long long)(256); long *paraslm_acc = (long *)__builtin_calloc((__SIZE_TYPE__)paraslm_k, sizeof(long));"));
        Assert.That(text, Does.Contain("if (paraslm_acc[paraslm_v] != 0) hist[paraslm_v] += paraslm_acc[paraslm_v]; paraslm_done = 1; }"), "only the elements the loop changed are written");
        Assert.That(text, Does.Contain("((long long)(nbins) > 0 && (long long)(nbins) <= 65536)"), "a run-time K is bounded before the copies are made");
        Assert.That(text, Does.Contain("#if defined(__GNUC__)"), "OpenMP 4.5 sections and GNU builtins: other compilers build the original loop");
        Assert.That(text, Does.Contain("if (!paraslm_done) {"));
        // The copy and the original keep the user's lines: the scatter's line is mapped twice (copy, fallback).
        var scatterLine = LineOf("hist[in[i]]++;");
        Assert.That(System.Text.RegularExpressions.Regex.Matches(text, $"#line {scatterLine - 1} \"").Count, Is.GreaterThanOrEqualTo(2));
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Reason.Contains(GuardedReduction.TransformName)), Is.EqualTo(4));
        Assert.That(text, Does.Contain("#pragma omp parallel for private(x) firstprivate(paraslm_kb) reduction(+:paraslm_acc[:paraslm_k]) reduction(|:paraslm_out)"));
        Assert.That(result.ReviewText, Does.Not.Contain("#line"));
    }

    [Test]
    public void A_compiler_without_the_GNU_extensions_compiles_only_the_original_loops() =>
        AssertACompilerWithoutGnuExtensionsBuildsTheOriginalLoops("no_gnu.c", Program, "__builtin_calloc");

    [TestCase("gcc", "-std=c11", "c")]
    [TestCase("clang-19", "-std=c11", "c")]
    [TestCase("g++", "-std=c++17", "cpp")]
    [TestCase("clang++-19", "-std=c++17", "cpp")]
    public void The_guarded_reductions_print_on_4_threads_exactly_what_the_serial_loops_print(string compiler, string std, string extension)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource($"{compiler.Replace("+", "p")}_guarded.{extension}", extension == "c" ? Program : CppProgram);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Text, Does.Contain(GuardedReduction.TransformName));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result, "-O1");
    }
}
