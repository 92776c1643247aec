using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Unroll-and-jam (issue 14 item 1): a loop `j` whose body is straight-line code around one inner reduction loop runs 4
/// iterations of that inner loop together — 4 independent chains instead of one latency-bound chain — where the analyzer
/// proves `j` carries no dependence. The proof and where it must not apply, the plan and the verifier, the generated text
/// with `#line`, and outputs bit-identical to serial on 4 threads with gcc, clang, g++ and clang++ (trip counts that 4 does
/// not divide, so the remainder runs too).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class UnrollJamTests : GenerationFixture
{
    // gesummv (the parallel loop itself, pointer parameters: its run-time check; counters declared at the top; 203 rows),
    // attention's scores (a local accumulator per j inside a parallel loop; 130 columns), mvt's row product (no braces,
    // a `<=` bound; 202 rows) and a row maximum over inputs with NaNs (`if (v > m) m = v`: which NaN survives depends on
    // the comparison's order; 1501 rows).
    private const string Program = """
        #include <stdio.h>
        #define N 203
        #define M 67
        #define S 130
        #define D 40
        #define R 1501

        static double A[N][M], B[N][M], xv[M], tmpv[N], yv[N], x1v[N];
        static double Q[S * D], K[S * D], scores[S][S], KM[R * D], rowmax[R];

        static void gesummv(int n, int m, double alpha, double beta, double (*a)[M], double (*b)[M], double *tmp, double *x, double *y) {
            int i, j;
            for (i = 0; i < n; i++) {
                tmp[i] = 0.0;
                y[i] = 0.0;
                for (j = 0; j < m; j++) {
                    tmp[i] = a[i][j] * x[j] + tmp[i];
                    y[i] = b[i][j] * x[j] + y[i];
                }
                y[i] = alpha * tmp[i] + beta * y[i];
            }
        }

        static void attention(void) {
            for (int i = 0; i < S; i++) {
                for (int j = 0; j < S; j++) {
                    double dot = 0.0;
                    for (int k = 0; k < D; k++)
                        dot += Q[i * D + k] * K[j * D + k];
                    scores[i][j] = dot * 0.125;
                }
            }
        }

        static void rows(void) {
            int i, j;
            for (i = 0; i <= N - 2; i++)
                for (j = 0; j < M; j++)
                    x1v[i] = x1v[i] + A[i][j] * xv[j];
        }

        static void maxrows(void) {
            for (int j = 0; j < R; j++) {
                double m = KM[j * D];
                for (int k = 0; k < D; k++) {
                    double v = KM[j * D + k] * Q[k];
                    if (v > m) m = v;
                }
                rowmax[j] = m;
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) { A[i][j] = ((i * 7 + j * 13) % 23) / 7.0 - 1.3; B[i][j] = ((i * 5 + j * 3) % 17) / 9.0 - 0.7; }
            for (int j = 0; j < M; j++) xv[j] = (j % 11) / 3.0 - 1.1;
            for (int i = 0; i < S * D; i++) { Q[i] = ((i * 31) % 29) / 5.0 - 2.5; K[i] = ((i * 17) % 41) / 7.0 - 2.9; }
            for (int i = 0; i < R * D; i++) KM[i] = i % 97 == 0 ? (i % 2 ? 0.0 / 0.0 : -(0.0 / 0.0)) : ((i * 13) % 43) / 7.0 - 2.9;
            gesummv(N, M, 1.5, 1.2, A, B, tmpv, xv, yv);
            attention();
            rows();
            maxrows();
            for (int i = 0; i < N; i++) printf("%a %a %a\n", tmpv[i], yv[i], x1v[i]);
            for (int i = 0; i < S; i++) for (int j = 0; j < S; j++) printf("%a\n", scores[i][j]);
            for (int j = 0; j < R; j++) printf("%a\n", rowmax[j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NotJammed = """
        #define N 64
        double a[N][N + 8], o[N], t[N];
        int calls;
        static double counted(double y) { calls++; return y; }
        static double take(const double *p) { return *p; }

        void carried(void) {
            for (int i = 1; i < N; i++) {
                double s = 0.0;
                for (int j = 0; j < N; j++) {
                    s += a[i - 1][j + 1];
                    a[i][j] = s;
                }
                o[i] = s;
            }
        }

        void call_with_effects(void) {
            for (int i = 0; i < N; i++) {
                double s = 0.0;
                for (int j = 0; j < N; j++)
                    s += counted(a[i][j]);
                o[i] = s;
            }
        }

        void early_exit(void) {
            for (int i = 0; i < N; i++) {
                double s = 0.0;
                for (int j = 0; j < N; j++) {
                    if (a[i][j] < 0.0) break;
                    s += a[i][j];
                }
                o[i] = s;
            }
        }

        void address_taken(void) {
            for (int i = 0; i < N; i++) {
                double s = 0.0;
                for (int j = 0; j < N; j++)
                    s += a[i][j];
                o[i] = take(&s);
            }
        }

        void counter_written(void) {
            for (int i = 0; i < N; i++) {
                double s = 0.0;
                for (int j = 0; j < N; j++)
                    s += a[i][j];
                o[i] = s;
                if (s > 1e300) i = N;
            }
        }

        void bounds_read_the_counter(void) {
            for (int i = 0; i < N; i++) {
                double s = 0.0;
                for (int j = 0; j < i; j++)
                    s += a[i][j];
                o[i] = s;
            }
        }

        void short_inner_loop(void) {
            for (int i = 0; i < N; i++) {
                double s = 0.0;
                for (int j = 0; j < 8; j++)
                    s += a[i][j];
                o[i] = s;
            }
        }

        void no_chain(void) {
            for (int i = 0; i < N; i++) {
                t[i] = 1.0;
                for (int j = 0; j < N; j++)
                    a[i][j] = t[i] * j;
            }
        }

        void outer_is_the_stride_1_loop(void) {
            for (int j = 0; j < N; j++) {
                double s = 0.0;
                for (int i = 0; i < N; i++)
                    s += a[i][j];
                o[j] = s;
            }
        }
        """;

    [Test]
    public void A_loop_around_an_inner_reduction_chain_runs_four_iterations_of_it_together()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var byLine = analysis.Loops.Where(l => l.UnrollJam is not null).ToDictionary(l => l.Line, l => l.UnrollJam!);
        Assert.That(byLine.Keys, Is.EquivalentTo(new[] { 13, 26, 37, 43 }), "gesummv's i, attention's j, the rows' i and the row maximum's j");
        var ge = byLine[13];
        Assert.That((ge.Name, ge.Counter, ge.CounterType, ge.CounterDeclaredInHeader, ge.Low, ge.High, ge.RequiredCheck is not null),
            Is.EqualTo(("unroll-jam(i,4,acc)", "i", "int", false, "0", "n", true)));
        Assert.That(ge.Pre[2].Select(l => l.Code), Is.EqualTo(new[] { "tmp[(paraslm_u_i + 2)] = 0.0;", "y[(paraslm_u_i + 2)] = 0.0;" }));
        Assert.That(ge.Headers.Single().Code, Is.EqualTo("for (j = 0; j < m; j++)"));
        Assert.That(ge.Body[1].Select(l => (l.Line, l.Code)), Is.EqualTo(new[]
        {
            (17, "tmp[(paraslm_u_i + 1)] = a[(paraslm_u_i + 1)][j] * x[j] + tmp[(paraslm_u_i + 1)];"),
            (18, "y[(paraslm_u_i + 1)] = b[(paraslm_u_i + 1)][j] * x[j] + y[(paraslm_u_i + 1)];"),
        }));
        Assert.That(ge.Remainder.Final.Single().Code, Is.EqualTo("y[i] = alpha * tmp[i] + beta * y[i];"));
        var att = byLine[26];
        Assert.That((att.Name, att.CounterDeclaredInHeader), Is.EqualTo(("unroll-jam(j,4)", true)));
        Assert.That(att.Pre[3].Single().Code, Is.EqualTo("double paraslm_u3_dot = 0.0;"), "each copy keeps its own accumulator");
        Assert.That(att.Body[3].Single().Code, Is.EqualTo("paraslm_u3_dot += Q[i * D + k] * K[(paraslm_u_j + 3) * D + k];"));
        Assert.That(att.Final[0].Single().Code, Is.EqualTo("scores[i][(paraslm_u_j + 0)] = paraslm_u0_dot * 0.125;"));
        Assert.That(byLine[37].High, Is.EqualTo("(N - 2) + 1"));
        Assert.That(byLine[43].Body[2].Select(l => l.Code), Is.EqualTo(new[] { "double v = KM[(paraslm_u_j + 2) * D + k] * Q[k];", "if (v > paraslm_u2_m) paraslm_u2_m = v;" }),
            "the comparison keeps its form, so the same NaN survives");

        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => p.Proposal.UnrollJam).Select(p => p.Line), Is.EquivalentTo(new[] { 13, 25, 37, 43 }),
            "the plan of each parallel loop around them (or of the loop itself) names the transform");
        Assert.That(plans.Single(p => p.Line == 25).Reason, Does.Contain("unroll-jam(j,4) at line 26: ").And.Contain("the chain on `dot` becomes 4 independent chains"));
    }

    [TestCase("carried", TestName = "A_loop_carrying_a_dependence_with_direction_less_greater_stays_untouched")]
    [TestCase("call_with_effects", TestName = "A_loop_whose_inner_loop_calls_a_function_with_effects_stays_untouched")]
    [TestCase("early_exit", TestName = "A_loop_whose_inner_loop_breaks_stays_untouched")]
    [TestCase("address_taken", TestName = "A_loop_whose_accumulator_has_its_address_taken_stays_untouched")]
    [TestCase("counter_written", TestName = "A_loop_whose_body_writes_its_counter_stays_untouched")]
    [TestCase("bounds_read_the_counter", TestName = "A_loop_whose_inner_bounds_depend_on_its_counter_stays_untouched")]
    [TestCase("short_inner_loop", TestName = "A_loop_around_a_short_inner_loop_stays_untouched")]
    [TestCase("no_chain", TestName = "A_loop_whose_inner_loop_carries_no_reduction_chain_stays_untouched")]
    [TestCase("outer_is_the_stride_1_loop", TestName = "A_loop_that_is_itself_the_stride_1_loop_keeps_scalar_expansion_instead")]
    public void Loops_outside_the_proof_or_the_cost_rule_are_not_jammed(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotJammed));
        var loops = analysis.Loops.Where(l => l.Function == function).ToList();
        Assert.That(loops, Is.Not.Empty);
        Assert.That(loops.Select(l => l.UnrollJam), Is.All.Null);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => loops.Any(l => l.Id == p.Id)).Select(p => p.Proposal.UnrollJam), Is.All.False);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var edits = plans.Where(p => p.IsParallel).Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, null, byId)).ToList();
        Assert.That(SourceRewriter.Rewrite(analysis.File, NotJammed, edits).Text, Does.Not.Contain("paraslm_u"));
        if (function == "outer_is_the_stride_1_loop") Assert.That(loops[0].ScalarExpansion, Is.Not.Null, "the stride-1 loop runs innermost instead");
    }

    [Test]
    public void The_verifier_drops_an_unroll_and_jam_the_facts_do_not_prove()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Program + NotJammed.Replace("#define N 64", "#define N2 64").Replace("[N", "[N2").Replace("< N", "< N2").Replace("i = N;", "i = N2;")));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var rows = analysis.Loops.Single(l => l.Line == 37);
        var proposal = new PlanProposal(true, ParallelTarget.CpuOpenMP, rows.Private, [], []) { UnrollJam = true };
        Assert.That(PlanVerifier.Verify(rows, proposal, byId, insideParallel: false).Plan.UnrollJam, Is.True);

        var rowsOfScores = analysis.Loops.Single(l => l.Line == 25);
        var collapsed = PlanVerifier.Verify(rowsOfScores, proposal with { Private = rowsOfScores.Private, Collapse = 2 }, byId, insideParallel: false);
        Assert.That((collapsed.Plan.Collapse, PlanVerifier.Verify(rowsOfScores, proposal with { Private = rowsOfScores.Private }, byId, insideParallel: false).Plan.UnrollJam), Is.EqualTo((2, true)));
        Assert.That(collapsed.Plan.UnrollJam, Is.False, "collapse(2) folds the inner loop into the parallel loop");
        var other = analysis.Loops.Single(l => l.Function == "short_inner_loop" && l.Depth == 1);
        var unproven = PlanVerifier.Verify(other, proposal with { Private = other.Private }, byId, insideParallel: false);
        Assert.That((unproven.Plan.UnrollJam, unproven.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(unproven.Reason, Does.Contain("unroll-and-jam dropped"));
        var onGpu = PlanVerifier.Verify(rows, proposal with { Target = ParallelTarget.GpuOpenMPOffload }, byId, insideParallel: false);
        Assert.That(onGpu.Plan.UnrollJam, Is.False);
    }

    [Test]
    public void The_generated_text_runs_whole_groups_then_the_remainder_and_maps_every_statement_to_its_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        // Floating-point reassociation allowed, attention's dot product and the row maximum run in vector lanes (`omp simd reduction(…)`) instead.
        var lanes = Ws.RewritePlannedLoops(path);
        Assert.That(lanes.Outcomes.Count(o => o.Applied && o.UnrollJams.Count == 1), Is.EqualTo(2), lanes.Text);
        Assert.That(lanes.Text, Does.Contain("#pragma omp simd reduction(+:dot)"));
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.UnrollJams.Count == 1), Is.EqualTo(4), text);
        // gesummv: the group loop is the parallel loop, under the pointers' check; the loop as written runs otherwise.
        var ge = text[text.IndexOf("/* ParaSlm unroll-jam(i,4,acc)", StringComparison.Ordinal)..];
        Assert.That(ge, Does.Contain("const long long paraslm_ulo_i = 0, paraslm_uhi_i = n;"));
        Assert.That(ge, Does.Contain("const long long paraslm_ung_i = paraslm_uhi_i > paraslm_ulo_i ? (paraslm_uhi_i - paraslm_ulo_i) / 4 : 0;"));
        Assert.That(ge.IndexOf("#pragma omp parallel for private(j)", StringComparison.Ordinal), Is.LessThan(ge.IndexOf("for (long long paraslm_ug_i = 0;", StringComparison.Ordinal)));
        Assert.That(ge, Does.Contain("const int paraslm_u_i = (int)(paraslm_ulo_i + paraslm_ug_i * 4);"));
        Assert.That(ge, Does.Contain("for (i = (int)(paraslm_ulo_i + paraslm_ung_i * 4); i < paraslm_uhi_i; i++) {"), "the remainder, with the counter declared outside");
        Assert.That(ge, Does.Contain("} else {\n#line 13 \"").And.Contain("    for (i = 0; i < n; i++) {\n        tmp[i] = 0.0;"));
        Assert.That(GenerationWorkspace.PresumedLine(ge, "tmp[(paraslm_u_i + 3)] = a[(paraslm_u_i + 3)][j]"), Is.EqualTo(17));
        Assert.That(GenerationWorkspace.PresumedLine(ge, "y[(paraslm_u_i + 3)] = b[(paraslm_u_i + 3)][j]"), Is.EqualTo(18));
        Assert.That(GenerationWorkspace.PresumedLine(ge, "y[(paraslm_u_i + 0)] = alpha"), Is.EqualTo(20));
        // attention: the site inside the parallel loop, its remainder declaring its counter again.
        var att = text[text.IndexOf("/* ParaSlm unroll-jam(j,4)", StringComparison.Ordinal)..];
        Assert.That(att, Does.Contain("for (int j = (int)(paraslm_ulo_j + paraslm_ung_j * 4); j < paraslm_uhi_j; j++) {"));
        Assert.That(att[..att.IndexOf("for (long long paraslm_ug_j", StringComparison.Ordinal)], Does.Not.Contain("#pragma"), "inside a parallel loop the groups run in its thread");
        Assert.That(GenerationWorkspace.PresumedLine(text, "paraslm_u2_dot += Q[i * D + k]"), Is.EqualTo(29));
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(65));
        Assert.That(result.Outcomes.Single(o => o.Edit.Line == 25).Reason, Does.Contain("4 iterations of `j` at line 26 run their `k` loop together (unroll-jam(j,4))"));
    }

    [Test]
    public void A_reason_names_the_jam_a_reassociating_inner_simd_replaces_by_default_as_conditional()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("reason.c", Program));
        var plans = FilePlanner.AnalyzerPlan(analysis).GroupBy(p => analysis.Loops.Single(l => l.Id == p.Id).Line).ToDictionary(g => g.Key, g => g.First());
        // attention's dot product sums floating-point values: by default its lanes win at edit time.
        Assert.That(plans[25].Reason, Does.Contain("unroll-jam(j,4)").And.Contain("with ParaSlmFloatReassociation=false only"));
        // gesummv's rows are jammed whatever the policy: no condition.
        Assert.That(plans[13].Reason, Does.Contain("unroll-jam(i,4,acc)").And.Not.Contain("ParaSlmFloatReassociation"));
    }

    [TestCase("gcc", "-std=c11", ".c", "-O2")]
    [TestCase("clang-19", "-std=c11", ".c", "-O2")]
    [TestCase("gcc", "-std=c11", ".c", "-O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-std=c11", ".c", "-O3 -march=x86-64-v3")]
    [TestCase("g++", "-std=c++17", ".cpp", "-O2")]
    [TestCase("clang++-19", "-std=c++17", ".cpp", "-O2")]
    public void The_jammed_loops_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string std, string extension, string flags)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler.Replace("+", "p") + "_" + flags.Replace(" ", "_").Replace("-", "").Replace("=", "") + "_jam" + extension, Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.UnrollJams.Count == 1), Is.EqualTo(4), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result, flags.Split(' '));
    }
}
