using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The group-stride rule (issue 14, the FFT butterfly group loop): a loop `i += S` whose iteration touches only
/// `i + g` with g in [lo, hi] over its inner loops is parallel when hi − lo &lt; S, proven symbolically (`half = len / 2`,
/// `len >> 1`, `len = 2 * half`). Near misses (one element more, a step of half a group, a definition that no longer
/// holds at the loop) stay serial. The plan, the generated text, and the program on 4 threads against serial.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class GroupStrideTests : GenerationFixture
{
    /// <summary>One radix-2 stage nest per function; `HALF` and the headers vary per case.</summary>
    private static string Stages(string stageHeader, string halfDefinition, string groupHeader, string butterflyHeader, string between = "") => $$"""
        void stages(int n, double *restrict re, const double *restrict w, int flag) {
            {{stageHeader}} {
                {{halfDefinition}}
                {{between}}
                {{groupHeader}} {
                    {{butterflyHeader}} {
                        double t = re[i + k + half] * w[k];
                        re[i + k + half] = re[i + k] - t;
                        re[i + k] = re[i + k] + t;
                    }
                }
            }
        }
        """;

    private const string LenStages = "for (int len = 2; len <= n; len <<= 1)";
    private const string Groups = "for (int i = 0; i < n; i += len)";
    private const string Butterflies = "for (int k = 0; k < half; k++)";

    private LoopFacts GroupLoop(string source)
    {
        var loops = Ws.Analyze(Ws.WriteSource($"case{Guid.NewGuid():N}.c", source)).Loops;
        return loops.Single(l => l.Evidence.Any(e => e.StartsWith("header: i from", StringComparison.Ordinal)));
    }

    [TestCase("int half = len / 2;", TestName = "The_group_loop_with_half_equal_to_len_over_2_is_parallel")]
    [TestCase("int half = len >> 1;", TestName = "The_group_loop_with_half_equal_to_len_shifted_right_is_parallel")]
    [TestCase("const int half = len / 2;", TestName = "The_group_loop_with_a_const_half_is_parallel")]
    public void The_group_loop_of_an_fft_stage_is_proven_parallel(string half)
    {
        var loop = GroupLoop(Stages(LenStages, half, Groups, Butterflies));
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
        Assert.That(loop.Dependences, Has.Some.Matches<DependenceFact>(d => d.Test == "group stride" && !d.Carried),
            "the groups are proven disjoint by the group-stride rule");
    }

    [Test]
    public void The_group_loop_whose_step_is_twice_a_stage_counter_is_parallel()
    {
        var source = Stages("for (int half = 1; half < n; half <<= 1)", "int len = 2 * half;", Groups, Butterflies);
        var loop = GroupLoop(source);
        Assert.That(loop.Parallelizable, Is.True, loop.Reason);
    }

    [Test]
    public void A_group_loop_over_unsigned_sizes_is_parallel()
    {
        var source = """
            #include <stddef.h>
            void stages(size_t n, double *restrict re, const double *restrict w) {
                for (size_t len = 2; len <= n; len <<= 1) {
                    size_t half = len / 2;
                    for (size_t i = 0; i < n; i += len) {
                        for (size_t k = 0; k < half; k++) {
                            double t = re[i + k + half] * w[k];
                            re[i + k + half] = re[i + k] - t;
                            re[i + k] = re[i + k] + t;
                        }
                    }
                }
            }
            """;
        Assert.That(GroupLoop(source).Parallelizable, Is.True);
    }

    [TestCase("int half = len / 2;", "for (int k = 0; k < half + 1; k++)", Groups, "",
        TestName = "A_butterfly_loop_one_element_longer_than_half_a_group_keeps_the_group_loop_serial")]
    [TestCase("int half = len / 2;", Butterflies, "for (int i = 0; i < n; i += half)", "",
        TestName = "A_group_loop_stepping_half_a_group_stays_serial")]
    [TestCase("int half = (len + 2) / 2;", Butterflies, Groups, "",
        TestName = "A_half_rounded_up_past_the_group_keeps_the_group_loop_serial")]
    [TestCase("int half = len / 2;", Butterflies, Groups, "if (flag) len = len + 4;",
        TestName = "A_step_changed_after_half_was_defined_keeps_the_group_loop_serial")]
    [TestCase("int half = len / 2; half += flag;", Butterflies, Groups, "",
        TestName = "A_half_assigned_again_keeps_the_group_loop_serial")]
    [TestCase("int half = len;", Butterflies, Groups, "",
        TestName = "Groups_as_long_as_the_step_overlap_and_stay_serial")]
    public void Near_misses_stay_serial(string half, string butterflies, string groups, string between)
    {
        var loop = GroupLoop(Stages(LenStages, half, groups, butterflies, between));
        Assert.That(loop.Parallelizable, Is.False, "the groups overlap or are not proven disjoint: " + loop.Reason);
    }

    [Test]
    public void A_constant_step_with_an_inner_offset_range_below_it_is_parallel_and_one_above_is_not()
    {
        const string template = """
            void blocks(int n, double *restrict a) {
                for (int i = 0; i < n; i += 4)
                    for (int k = 0; k < LIMIT; k++)
                        a[i + k] = a[i + k] * 2.0 + 1.0;
            }
            """;
        var fits = Ws.Analyze(Ws.WriteSource("blocks4.c", template.Replace("LIMIT", "4"))).Loops[0];
        var spills = Ws.Analyze(Ws.WriteSource("blocks5.c", template.Replace("LIMIT", "5"))).Loops[0];
        Assert.That(fits.Parallelizable, Is.True, fits.Reason);
        Assert.That(spills.Parallelizable, Is.False, spills.Reason);
    }

    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>

        static void fft(int n, double *restrict re, double *restrict im, const double *restrict wr, const double *restrict wi) {
            for (int len = 2; len <= n; len <<= 1) {
                int half = len >> 1;
                int step = n / len;
                for (int i = 0; i < n; i += len) {
                    for (int k = 0; k < half; k++) {
                        double cr = wr[k * step], ci = wi[k * step];
                        double xr = re[i + k + half], xi = im[i + k + half];
                        double tr = xr * cr - xi * ci, ti = xr * ci + xi * cr;
                        re[i + k + half] = re[i + k] - tr;
                        im[i + k + half] = im[i + k] - ti;
                        re[i + k] = re[i + k] + tr;
                        im[i + k] = im[i + k] + ti;
                    }
                }
            }
        }

        int main(void) {
            const int n = 1 << 14;
            double *re = malloc(n * sizeof *re), *im = malloc(n * sizeof *im);
            double *wr = malloc(n / 2 * sizeof *wr), *wi = malloc(n / 2 * sizeof *wi);
            if (!re || !im || !wr || !wi) return 1;
            for (int k = 0; k < n / 2; k++) {
                wr[k] = 1.0 - (double)k / n;
                wi[k] = (double)(k % 37) / 37.0;
            }
            for (int i = 0; i < n; i++) {
                re[i] = (i * 7919 % 1000) / 1000.0;
                im[i] = 0.0;
            }
            fft(n, re, im, wr, wi);
            for (int i = 0; i < n; i += 97) printf("%d %.17g %.17g\n", i, re[i], im[i]);
            free(re); free(im); free(wr); free(wi);
            return 0;
        }
        """;

    [Test]
    public void The_planner_collapses_the_group_loop_with_the_butterflies_and_the_generated_text_shows_it()
    {
        var path = Ws.WriteSource("fft_plan.c", Program);
        var text = Ws.RewritePlannedLoops(path).Text;
        Assert.That(text, Does.Contain("#pragma omp parallel for collapse(2)\n#line 8 \"" + path + "\"\n        for (int i = 0; i < n; i += len) {"), text);
        Assert.That(text, Does.Not.Contain("#line 9 \"" + path + "\"\n"), "the butterfly loop is collapsed with the group loop: no directive of its own");
    }

    [Test]
    public void The_group_loop_runs_on_one_thread_when_a_stage_has_too_few_butterflies()
    {
        // A small FFT called often (kissfft's shape) must not fork per stage: groups x butterflies is tested at run time.
        var analysis = Ws.Analyze(Ws.WriteSource("fft_guard.c", Program));
        var group = analysis.Loops.Single(l => l.Line == 8);
        Assert.That(group.TripCountText, Is.EqualTo("(n - 1) / (len) + 1"));
        Assert.That(group.NestTripCountText, Is.EqualTo("(long long)((n - 1) / (len) + 1) * (half)"));
        var guard = ParaSlm.Reasoner.Planning.LoopCost.IfClause(group, analysis.Loops, ParaSlm.Reasoner.Planning.LoopIndex.Of(analysis.Loops));
        Assert.That(guard, Does.Match(@"^if\(!PARASLM_COST_GUARD \|\| \(long long\)\(\(n - 1\) / \(len\) \+ 1\) \* \(half\) >= \d+\)$"), guard);

        // An inner bound declared inside the outer loop has no meaning before it: no nest count, no guard from it.
        var local = Ws.Analyze(Ws.WriteSource("local_bound.c", """
            void rows(int n, int len, double *restrict a) {
                for (int i = 0; i < n; i += len) {
                    int m = len / 2;
                    for (int k = 0; k < m; k++)
                        a[i + k] = a[i + k] * 0.5;
                }
            }
            """)).Loops[0];
        Assert.That(local.NestTripCountText, Is.Null);
    }

    [Test]
    public void A_blocked_loop_over_a_vectorizable_inner_loop_is_parallel_without_collapse()
    {
        var source = """
            void scale_blocks(int n, int bs, double *restrict a, const double *restrict b) {
                for (int i = 0; i < n; i += bs)
                    for (int k = 0; k < bs; k++)
                        a[i + k] = 2.0 * b[i + k];
            }
            """;
        var path = Ws.WriteSource("blocks_plan.c", source);
        var text = Ws.RewritePlannedLoops(path).Text;
        Assert.That(text, Does.Contain("#pragma omp parallel for\n#line 2 \"" + path + "\"\n    for (int i = 0; i < n; i += bs)"),
            "the blocks are disjoint (k < bs = the step); collapsing would cost the inner loop its vector lanes:\n" + text);
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_fft_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler.Replace("-", "_", StringComparison.Ordinal) + "_fft.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Outcomes.Where(o => o.Applied).Select(o => o.Edit.Line), Has.Member(8), result.Text);
        // Every butterfly computes what the serial one does: the output is bit-identical (%.17g).
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result);
    }
}
