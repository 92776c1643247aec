using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Scalar expansion with the reduction loops moved outside the stride-1 loop (issue 14 item 1): `for j { s = INIT; for a
/// for b s += …; out[j] = g(s); }` runs, inside each iteration of the parallel loop, as strips of `j` with `s` kept per `j`
/// and `j` innermost. The proof and where it must not apply, the plan and the verifier, the generated text with `#line`,
/// and outputs bit-identical to serial on 4 threads with gcc, clang, g++ and clang++.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ScalarExpansionTests : GenerationFixture
{
    // A 3x3 convolution with bias and ReLU (W = 300: two strips of 256), a 3x3 max pool over inputs with NaNs (the
    // comparison decides which NaN survives, so its form must stay), an integer window sum with `<=` bounds and counters
    // declared at the top of the function.
    private const string Program = """
        #include <stdio.h>
        #define CI 3
        #define CO 4
        #define H 9
        #define W 300
        #define KS 3
        #define C2 8

        static double in[CI][H + KS - 1][W + KS - 1], wt[CO][CI][KS][KS], bias[CO], out[CO][H][W];
        static double x[C2][2 * H + 3][2 * W + 3], ymax[C2][H][W];
        static int v[H + 4][W + 4], u[H][W];

        static void conv2d(void) {
            for (int co = 0; co < CO; co++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        double sum = bias[co];
                        for (int ci = 0; ci < CI; ci++) {
                            for (int kh = 0; kh < KS; kh++) {
                                for (int kw = 0; kw < KS; kw++) {
                                    sum += in[ci][i + kh][j + kw] * wt[co][ci][kh][kw];
                                }
                            }
                        }
                        out[co][i][j] = sum > 0.0 ? sum : 0.0;
                    }
                }
            }
        }

        static void maxpool(void) {
            for (int c = 0; c < C2; c++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        double m = x[c][2 * i][2 * j];
                        for (int di = 0; di < 3; di++) {
                            for (int dj = 0; dj < 3; dj++) {
                                double t = x[c][2 * i + di][2 * j + dj];
                                if (t > m) m = t;
                            }
                        }
                        ymax[c][i][j] = 0.5 * ymax[c][i][j] + m;
                    }
                }
            }
        }

        static void window(void) {
            int i, j, a, b;
            for (i = 0; i < H; i++)
                for (j = 0; j <= W - 1; j++) {
                    int s = 1;
                    for (a = 0; a < 4; a++)
                        for (b = 0; b < 4; b++)
                            s += v[i + a][j + b] * (a + 1);
                    u[i][j] = s - a;
                }
        }

        static void column_means(int n, int m, double (*data)[W], double *mean) {
            int i, j;
            for (j = 0; j < m; j++) {
                mean[j] = 0.0;
                for (i = 0; i < n; i++)
                    mean[j] += data[i][j];
                mean[j] /= n;
            }
        }

        int main(void) {
            for (int c = 0; c < CI; c++) for (int i = 0; i < H + KS - 1; i++) for (int j = 0; j < W + KS - 1; j++) in[c][i][j] = ((c * 7 + i * 13 + j * 5) % 23) / 7.0 - 1.3;
            for (int o = 0; o < CO; o++) { bias[o] = o / 10.0 - 0.15; for (int c = 0; c < CI; c++) for (int a = 0; a < KS; a++) for (int b = 0; b < KS; b++) wt[o][c][a][b] = ((o + c * 3 + a * 5 + b) % 11) / 9.0 - 0.5; }
            for (int c = 0; c < C2; c++) for (int i = 0; i < 2 * H + 3; i++) for (int j = 0; j < 2 * W + 3; j++)
                x[c][i][j] = (i * 31 + j * 17 + c) % 97 == 0 ? (j % 2 ? 0.0 / 0.0 : -(0.0 / 0.0)) : ((i * 3 + j * 11 + c) % 29) / 3.0;
            for (int i = 0; i < H + 4; i++) for (int j = 0; j < W + 4; j++) v[i][j] = (i * 5 + j * 3) % 17 - 8;
            conv2d();
            maxpool();
            window();
            static double means[W];
            column_means(2 * H + 3, W, (double (*)[W])&x[1][0][0], means);
            for (int c = 0; c < CO; c++) for (int i = 0; i < H; i++) for (int j = 0; j < W; j++) printf("%a\n", out[c][i][j]);
            for (int c = 0; c < C2; c++) for (int i = 0; i < H; i++) for (int j = 0; j < W; j++) printf("%a\n", ymax[c][i][j]);
            for (int i = 0; i < H; i++) for (int j = 0; j < W; j++) printf("%d\n", u[i][j]);
            for (int j = 0; j < W; j++) printf("%a\n", means[j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    // 5-wide windows: the innermost reduction loop has enough iterations for `omp simd` of its own, but it runs inside the
    // expanded `j` loop (inside the parallel loop, or the parallel loop itself), whose form vectorizes `j` instead.
    private const string WideWindows = """
        #define CI 4
        #define H 32
        #define W 300
        #define KS 5
        #define N 100000

        static double in[CI][H + KS - 1][W + KS - 1], wt[CI][KS][KS], out[H][W], scaled[H][W], row[N + KS], taps[KS], smooth[N];

        static void conv5(void) {
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < W; j++) {
                    double sum = 0.0;
                    for (int ci = 0; ci < CI; ci++)
                        for (int kh = 0; kh < KS; kh++)
                            for (int kw = 0; kw < KS; kw++)
                                sum += in[ci][i + kh][j + kw] * wt[ci][kh][kw];
                    out[i][j] = sum;
                }
            }
        }

        static void row_scaled(void) {
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < W; j++) {
                    double acc = 0.0;
                    for (int t = 0; t < KS; t++)
                        acc += in[0][i][j + t] * taps[t];
                    out[i][j] = acc;
                }
                for (int j = 0; j < W; j++)
                    scaled[i][j] = 0.5 * out[i][j];
            }
        }

        static void row5(void) {
            for (int j = 0; j < N; j++) {
                double sum = 0.0;
                for (int k = 0; k < KS; k++)
                    sum += row[j + k] * taps[k];
                smooth[j] = sum;
            }
        }

        """;

    private const string NotExpanded = """
        #define N 64
        double a[N][N + 8], t[N][N + 8], o[N][N];
        int calls;
        static double counted(double y) { calls++; return y; }

        void bound_reads_j(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0.0;
                    for (int k = 0; k < j; k++)
                        s += a[i][k];
                    o[i][j] = s;
                }
        }

        void nest_writes_what_j_reads(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0.0;
                    for (int k = 0; k < 3; k++) {
                        s += t[i][j + k];
                        t[i][j] = s * 0.5;
                    }
                    o[i][j] = s;
                }
        }

        void call_with_effects(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0.0;
                    for (int k = 0; k < 3; k++)
                        s += counted(a[i][j + k]);
                    o[i][j] = s;
                }
        }

        void early_exit(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0.0;
                    for (int k = 0; k < 3; k++) {
                        if (a[i][j + k] < 0.0) break;
                        s += a[i][j + k];
                    }
                    o[i][j] = s;
                }
        }

        void shared_temporary(void) {
            double w;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0.0;
                    for (int k = 0; k < 3; k++) {
                        w = a[i][j + k];
                        s += w * w;
                    }
                    o[i][j] = s;
                }
        }

        void short_j(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < 8; j++) {
                    double s = 0.0;
                    for (int k = 0; k < 3; k++)
                        s += a[i][j + k];
                    o[i][j] = s;
                }
        }

        void long_stride_1_reduction(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0.0;
                    for (int k = 0; k < N; k++)
                        s += a[j][k];
                    o[i][j] = s;
                }
        }
        """;

    [Test]
    public void A_plan_names_inner_simd_only_for_loops_outside_its_scalar_expanded_loops()
    {
        var path = Ws.WriteSource("wide.c", WideWindows);
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        int LineOf(string text) => WideWindows.Split('\n').ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal)) + 1;
        LoopFacts Outer(string function) => analysis.Loops.Single(l => l.Function == function && l.Depth == 1);
        var kw = LineOf("for (int kw = 0; kw < KS; kw++)");
        Assert.That(InnerSimd.Sites(Outer("conv5"), 1, byId, true).Select(s => s.Line), Is.EqualTo(new[] { kw }), "5 iterations: the facts prove the kw loop alone");
        var plans = FilePlanner.AnalyzerPlan(analysis);
        LoopPlan PlanOf(string function) => plans.Single(p => p.Id == Outer(function).Id);

        var conv = PlanOf("conv5");
        Assert.That((conv.Proposal.ScalarExpansion, conv.Proposal.InnerSimd), Is.EqualTo((true, false)), conv.Reason);
        Assert.That(conv.Reason, Does.Contain("scalar-expand(sum,j)").And.Not.Contain("inner simd"));
        var scaledLoop = LineOf("scaled[i][j] = ") - 1;
        var scaled = PlanOf("row_scaled");
        Assert.That((scaled.Proposal.ScalarExpansion, scaled.Proposal.InnerSimd), Is.EqualTo((true, true)));
        Assert.That(scaled.Reason, Does.EndWith($"inner simd: the innermost loop at line {scaledLoop} carries no dependence at its level and reads and writes stride-1"),
            "the t loop runs inside the expanded j loop");
        Assert.That(InnerSimd.Sites(Outer("row5"), 1, byId, true).Select(s => s.Line), Is.EqualTo(new[] { LineOf("for (int k = 0; k < KS; k++)") }));
        var self = PlanOf("row5");
        Assert.That((self.Proposal.ScalarExpansion, self.Proposal.InnerSimd, self.Reason.Contains("inner simd", StringComparison.Ordinal)), Is.EqualTo((true, false, false)),
            "the parallel loop runs expanded itself");

        var both = PlanVerifier.Verify(Outer("conv5"), conv.Proposal with { InnerSimd = true }, byId, insideParallel: false);
        Assert.That((both.Plan.ScalarExpansion, both.Plan.InnerSimd, both.Code), Is.EqualTo((true, false, PlanVerifier.WrongClauses)));
        Assert.That(both.Reason, Does.Contain("inner simd dropped: every inner loop proven for it runs inside a scalar-expanded loop"));
        var alone = PlanVerifier.Verify(Outer("conv5"), conv.Proposal with { ScalarExpansion = false, InnerSimd = true }, byId, insideParallel: false);
        Assert.That((alone.Kind, alone.Plan.InnerSimd), Is.EqualTo((VerdictKind.Accepted, true)), "without the expansion the kw loop is the plan's simd site");

        // The text: the expansion's own `omp simd` on each j strip and one on the scaled row, none on a kw loop.
        var text = Ws.RewritePlannedLoops(path).Text;
        Assert.That(text.Split('\n').Count(l => l.Trim() == "#pragma omp simd"), Is.EqualTo(4), text);
        Assert.That(GenerationWorkspace.PresumedLine(text, "scaled[i][j] = 0.5 * out[i][j];"), Is.EqualTo(scaledLoop + 1));
    }

    [Test]
    public void A_scalar_reduced_by_a_short_nest_inside_a_parallel_loop_is_kept_per_iteration_with_the_stride_1_loop_innermost()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var byLine = analysis.Loops.Where(l => l.ScalarExpansion is not null).ToDictionary(l => l.Line, l => l.ScalarExpansion!);
        Assert.That(byLine.Keys, Is.EquivalentTo(new[] { 16, 34, 51, 62 }), "conv2d's, maxpool's and the window's j loops, and the column means' own loop");
        var conv = byLine[16];
        Assert.That((conv.Name, conv.Scalars.Single().Name, conv.Counter, conv.Low, conv.High), Is.EqualTo(("scalar-expand(sum,j)", "sum", "j", "0", "W")));
        Assert.That(conv.Pre.Single().Code, Is.EqualTo("paraslm_x_sum[j - paraslm_x0_j] = bias[co];"));
        Assert.That(conv.Headers.Select(h => h.Code), Is.EqualTo(new[] { "for (int ci = 0; ci < CI; ci++)", "for (int kh = 0; kh < KS; kh++)", "for (int kw = 0; kw < KS; kw++)" }));
        Assert.That(conv.Body.Single().Code, Is.EqualTo("(paraslm_x_sum[j - paraslm_x0_j]) += in[ci][i + kh][j + kw] * wt[co][ci][kh][kw];"));
        Assert.That(conv.Final.Single().Code, Is.EqualTo("out[co][i][j] = (paraslm_x_sum[j - paraslm_x0_j]) > 0.0 ? (paraslm_x_sum[j - paraslm_x0_j]) : 0.0;"));
        Assert.That((conv.Simd, conv.FloatingPoint, conv.Strip), Is.EqualTo((true, true, 256)));
        Assert.That(byLine[34].Body.Select(b => b.Code), Is.EqualTo(new[] { "double t = x[c][2 * i + di][2 * j + dj];", "if (t > (paraslm_x_m[j - paraslm_x0_j])) (paraslm_x_m[j - paraslm_x0_j]) = t;" }),
            "the comparison keeps its form, so the same NaN survives");
        var window = byLine[51];
        Assert.That((window.High, window.FloatingPoint, window.Strip), Is.EqualTo(("(W - 1) + 1", false, 512)));
        var means = byLine[62];
        Assert.That((means.Name, means.Scalars.Count, means.Pre.Single().Code, means.RequiredCheck is not null), Is.EqualTo(("scalar-expand(j)", 0, "mean[j] = 0.0;", true)),
            "an element in memory needs no expansion; the pointers need the loop's own check");
        Assert.That(means.Evidence, Does.StartWith("each element it starts in memory accumulates over the loop `i` and is used for each `j` alone, "));
        Assert.That(conv.Evidence, Does.StartWith("`sum` starts, accumulates over the 3 loops `ci`, `kh`, `kw` and is used for each `j` alone, "));

        var plans = FilePlanner.AnalyzerPlan(analysis);
        var expanded = plans.Where(p => p.Proposal.ScalarExpansion).Select(p => p.Line).ToList();
        Assert.That(expanded, Is.EquivalentTo(new[] { 15, 32, 50, 62 }), "the plan of each parallel loop around them (or of the loop itself) names the transform");
        Assert.That(plans.Single(p => p.Line == 15).Reason, Does.Contain("scalar-expand(sum,j) at line 16: ").And.Contain("runs only 3 times"));
    }

    [TestCase("bound_reads_j", TestName = "A_reduction_nest_whose_bounds_read_the_stride_1_counter_stays_untouched")]
    [TestCase("nest_writes_what_j_reads", TestName = "A_reduction_nest_that_writes_an_array_other_iterations_read_stays_untouched")]
    [TestCase("call_with_effects", TestName = "A_reduction_nest_with_a_call_that_has_effects_stays_untouched")]
    [TestCase("early_exit", TestName = "A_reduction_nest_with_an_early_exit_stays_untouched")]
    [TestCase("shared_temporary", TestName = "A_reduction_nest_writing_a_scalar_declared_outside_it_stays_untouched")]
    [TestCase("short_j", TestName = "A_stride_1_loop_of_few_iterations_stays_untouched")]
    [TestCase("long_stride_1_reduction", TestName = "A_long_reduction_loop_that_is_already_stride_1_stays_untouched")]
    public void Loops_outside_the_proof_or_the_cost_rule_are_not_expanded(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotExpanded));
        Assert.That(analysis.Loops.Where(l => l.Function == function), Is.Not.Empty);
        Assert.That(analysis.Loops.Where(l => l.Function == function).Select(l => l.ScalarExpansion), Is.All.Null);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => analysis.Loops.Single(l => l.Id == p.Id).Function == function).Select(p => p.Proposal.ScalarExpansion), Is.All.False);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var edits = plans.Where(p => p.IsParallel).Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, null, byId)).ToList();
        Assert.That(SourceRewriter.Rewrite(analysis.File, NotExpanded, edits).Text, Does.Not.Contain("paraslm_x"));
    }

    [Test]
    public void The_verifier_drops_a_scalar_expansion_the_facts_do_not_prove()
    {
        var program = Program + NotExpanded.Replace("#define N 64", "#define N2 64").Replace("[N", "[N2").Replace("< N", "< N2");
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var conv = analysis.Loops.Single(l => l.Line == 15);
        var proposal = new PlanProposal(true, ParallelTarget.CpuOpenMP, conv.Private, [], []) { ScalarExpansion = true };
        Assert.That(PlanVerifier.Verify(conv, proposal, byId, insideParallel: false).Plan.ScalarExpansion, Is.True);

        var collapsed = PlanVerifier.Verify(conv, proposal with { Collapse = 2 }, byId, insideParallel: false);
        Assert.That(collapsed.Plan.ScalarExpansion, Is.False, "collapse(2) folds j into the parallel loop");
        var other = analysis.Loops.Single(l => l.Function == "bound_reads_j" && l.Depth == 1);
        var unproven = PlanVerifier.Verify(other, proposal with { Private = other.Private }, byId, insideParallel: false);
        Assert.That((unproven.Plan.ScalarExpansion, unproven.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(unproven.Reason, Does.Contain("scalar expansion dropped"));
        var onGpu = PlanVerifier.Verify(conv, proposal with { Target = ParallelTarget.GpuOpenMPOffload }, byId, insideParallel: false);
        Assert.That(onGpu.Plan.ScalarExpansion, Is.False);
    }

    [Test]
    public void The_generated_text_keeps_the_loop_as_written_for_wider_floating_point_and_maps_every_statement_to_its_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Expansions.Count == 1), Is.EqualTo(4), text);
        Assert.That(text, Does.Contain("#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ == 0"));
        Assert.That(text, Does.Contain("if (PARASLM_EXACT_FP) {"));
        Assert.That(text, Does.Contain("for (long long paraslm_x0_j = paraslm_xlo_j; paraslm_x0_j < paraslm_xhi_j; paraslm_x0_j += 256) {"));
        Assert.That(text, Does.Contain("double paraslm_x_sum[256];"));
        Assert.That(text, Does.Contain("#pragma omp simd\n").And.Contain("for (int j = (int)paraslm_x0_j; j < paraslm_x1_j; j++) {"));
        Assert.That(text, Does.Contain("int paraslm_x_s[512];").And.Not.Contain("if (PARASLM_EXACT_FP) {\n#line 51"), "an integer scalar needs no rounding test");
        // The loop as written stays in the else branch, at its own line.
        Assert.That(text, Does.Contain("} else {\n#line 16 \"").And.Contain("            for (int j = 0; j < W; j++) {\n                double sum = bias[co];"));
        Assert.That(GenerationWorkspace.PresumedLine(text, "(paraslm_x_sum[j - paraslm_x0_j]) += in[ci]"), Is.EqualTo(21));
        Assert.That(GenerationWorkspace.PresumedLine(text, "out[co][i][j] = (paraslm_x_sum"), Is.EqualTo(25));
        Assert.That(GenerationWorkspace.PresumedLine(text, "for (int kh = 0; kh < KS; kh++)"), Is.EqualTo(19));
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(85));
        // The column means' loop is itself the parallel loop: its strips are shared under its own overlap check.
        Assert.That(text, Does.Contain("#pragma omp parallel for private(i) private(j)\n").And.Contain("#line 62 \""));
        var self = text[text.IndexOf("/* ParaSlm scalar-expand(j)", StringComparison.Ordinal)..];
        Assert.That(self.IndexOf("#pragma omp parallel for private(i)", StringComparison.Ordinal), Is.LessThan(self.IndexOf("for (long long paraslm_xa_j", StringComparison.Ordinal)));
        // Shared strips start at multiples of a line's worth of the written elements (8 doubles); inner strips start at `j`'s first value.
        Assert.That(self, Does.Contain("for (long long paraslm_xa_j = ((paraslm_xlo_j) & ~7LL); paraslm_xa_j < paraslm_xhi_j; paraslm_xa_j += 256) {"));
        Assert.That(self, Does.Contain("} else {").And.Contain("    for (j = 0; j < m; j++) {\n        mean[j] = 0.0;"));
        Assert.That(GenerationWorkspace.PresumedLine(self, "mean[j] += data[i][j];"), Is.EqualTo(65), "an element in memory is not replaced");
        Assert.That(result.Outcomes.Single(o => o.Edit.Line == 15).Reason, Does.Contain("`sum` kept per `j` at line 16 (scalar-expand(sum,j))"));
    }

    // opus's pitch analysis (`for (j = 0; …)` with `j` declared at the top of the function): the form declared `int j` again
    // in each of its loops, and gcc's -Wshadow printed three warnings at the user's line that the user's code does not have.
    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void A_counter_declared_before_the_loop_is_assigned_not_declared_again_so_the_form_shadows_nothing(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_shadow_expand.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Expansions.Count == 1), Is.EqualTo(4), text);
        var self = text[text.IndexOf("/* ParaSlm scalar-expand(j)", StringComparison.Ordinal)..];
        Assert.That(self, Does.Contain("#pragma omp parallel for private(i) private(j)\n"), "the strip loop's region privatizes the user's `j`");
        Assert.That(text, Does.Contain("for (j = (int)paraslm_x0_j; j < paraslm_x1_j; j++) {"));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, "-O2", "-Wshadow", "-Werror");
    }

    [TestCase("gcc", "-std=c11", ".c", "-O2")]
    [TestCase("clang-19", "-std=c11", ".c", "-O2")]
    [TestCase("gcc", "-std=c11", ".c", "-O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-std=c11", ".c", "-O3 -march=x86-64-v3")]
    [TestCase("g++", "-std=c++17", ".cpp", "-O2")]
    [TestCase("clang++-19", "-std=c++17", ".cpp", "-O2")]
    public void The_expanded_loops_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string std, string extension, string flags)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler.Replace("+", "p") + "_" + flags.Replace(" ", "_").Replace("-", "").Replace("=", "") + "_expand" + extension, Program);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Expansions.Count == 1), Is.EqualTo(4), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result, flags.Split(' '));
    }
}
