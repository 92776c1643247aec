using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The interchanged unroll-and-jam (issue 14 item 1, PolyBench syrk/syr2k): inside a parallel loop `i`, a nest
/// `for (k) for (j &lt;= i) C[i][j] += … A[j][k] …` whose `j` walks columns runs `j` outside `k`, 4 values of `j` per pass of
/// `k` in accumulators — rows walked with stride 1, 4 independent chains. The proof and its near misses, the plan and the
/// verifier, the generated text with `#line`, and outputs bit-identical to serial on 4 threads with gcc and clang (sizes
/// that 4 does not divide, so the remainder runs too; a row of length 0 at i = 0 for the `j &lt; i` form).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class InterchangeJamTests : GenerationFixture
{
    // syrk (pointer parameters: the pointers' check; counters declared at the top and read again by the next row's scaling
    // loop), syr2k (two products per element, braces), a float version with the counters declared in the headers and a
    // strictly lower bound (`j < i`: no iteration at i = 0), and an integer version with `-=`.
    private const string Program = """
        #include <stdio.h>
        #define N 67
        #define M 45

        static double C1[N][N], C2[N][N], A1[N][M], B1[N][M];
        static float CF[N][N], AF[N][M];
        static long CI[N][N], AI[N][M];

        static void syrk(int n, int m, double alpha, double beta, double (*C)[N], double (*A)[M]) {
            int i, j, k;
            for (i = 0; i < n; i++) {
                for (j = 0; j <= i; j++)
                    C[i][j] *= beta;
                for (k = 0; k < m; k++) {
                    for (j = 0; j <= i; j++)
                        C[i][j] += alpha * A[i][k] * A[j][k];
                }
            }
        }

        static void syr2k(int n, int m, double alpha, double beta, double (*C)[N], double (*A)[M], double (*B)[M]) {
            int i, j, k;
            for (i = 0; i < n; i++) {
                for (j = 0; j <= i; j++)
                    C[i][j] *= beta;
                for (k = 0; k < m; k++)
                    for (j = 0; j <= i; j++)
                    {
                        C[i][j] += A[j][k]*alpha*B[i][k] + B[j][k]*alpha*A[i][k];
                    }
            }
        }

        static void syrkf(float alpha) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < M; k++) {
                    for (int j = 0; j < i; j++)
                        CF[i][j] += alpha * AF[i][k] * AF[j][k];
                }
            }
        }

        static void syrki(void) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < M; k++) {
                    for (int j = 0; j <= i; j++)
                        CI[i][j] -= AI[i][k] * AI[j][k];
                }
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) {
                A1[i][j] = ((i * 7 + j * 13) % 23) / 7.0 - 1.3; B1[i][j] = ((i * 5 + j * 3) % 17) / 9.0 - 0.7;
                AF[i][j] = (float)(((i * 11 + j * 5) % 19) / 3.0 - 2.9); AI[i][j] = (i * 3 + j * 7) % 13 - 6;
            }
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { C1[i][j] = C2[i][j] = ((i + 2 * j) % 9) / 4.0; CF[i][j] = (float)(((i * j) % 7) / 3.0); CI[i][j] = i - j; }
            syrk(N, M, 1.5, 1.2, C1, A1);
            syr2k(N, M, 1.5, 1.2, C2, A1, B1);
            syrkf(0.7f);
            syrki();
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) printf("%a %a %a %ld\n", C1[i][j], C2[i][j], CF[i][j], CI[i][j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NotInterchanged = """
        #include <math.h>
        #define N 64
        #define M 40
        double C[N][N], A[N][M], B[M][N];
        int last;

        void less_greater(void) {
            for (int i = 0; i < N; i++)
                for (int k = 0; k < M; k++)
                    for (int j = 0; j < i; j++)
                        C[i][j] += A[j][k] * C[i][j + 1];
        }

        void bound_reads_the_inner_counter(void) {
            for (int i = 0; i < N; i++)
                for (int k = 0; k < M; k++)
                    for (int j = 0; j < k; j++)
                        C[i][j] += A[i][k] * A[j][k];
        }

        void calls_a_function(void) {
            for (int i = 0; i < N; i++)
                for (int k = 0; k < M; k++)
                    for (int j = 0; j <= i; j++)
                        C[i][j] += sqrt(A[i][k] * A[j][k]);
        }

        void counter_read_after_the_nest(void) {
            int i, j, k;
            for (i = 0; i < N; i++) {
                for (k = 0; k < M; k++)
                    for (j = 0; j <= i; j++)
                        C[i][j] += A[i][k] * A[j][k];
                C[i][0] += k;
            }
        }

        void already_stride_1(void) {
            for (int i = 0; i < N; i++)
                for (int k = 0; k < M; k++)
                    for (int j = 0; j < N; j++)
                        C[i][j] += A[i][k] * B[k][j];
        }

        void short_inner_loop(void) {
            for (int i = 0; i < N; i++)
                for (int k = 0; k < 8; k++)
                    for (int j = 0; j <= i; j++)
                        C[i][j] += A[i][k] * A[j][k];
        }

        void two_statements(void) {
            for (int i = 0; i < N; i++)
                for (int k = 0; k < M; k++)
                    for (int j = 0; j <= i; j++) {
                        C[i][j] += A[i][k] * A[j][k];
                        C[j][i] = 0.0;
                    }
        }
        """;

    private static int LineOf(string text, string marker) =>
        text.Split('\n').Select((l, n) => (l, n)).First(x => x.l.Contains(marker, StringComparison.Ordinal)).n + 1;

    [Test]
    public void A_column_walking_nest_inside_a_parallel_loop_runs_its_inner_counter_outside_four_at_a_time()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var jams = analysis.Loops.Where(l => l.UnrollJam is not null).ToDictionary(l => l.Line, l => l.UnrollJam!);
        var (syrk, syr2k, syrkf, syrki) = (LineOf(Program, "for (k = 0; k < m; k++) {"), LineOf(Program, "C[i][j] += A[j][k]*alpha") - 3,
            LineOf(Program, "for (int k = 0; k < M; k++) {"), LineOf(Program, "CI[i][j] -= ") - 2);
        Assert.That(jams.Keys, Is.EquivalentTo(new[] { syrk, syr2k, syrkf, syrki }), string.Join(", ", jams.Keys));
        var s = jams[syrk];
        Assert.That((s.Name, s.Counter, s.InterchangedWith, s.Low, s.High, s.CounterDeclaredInHeader, s.FloatingPoint, s.RequiredCheck is not null),
            Is.EqualTo(("interchange-jam(j,k,4)", "j", "k", "0", "(i) + 1", false, true, true)));
        Assert.That(s.Headers.Single().Code, Is.EqualTo("for (k = 0; k < m; k++)"));
        Assert.That(s.Pre[2].Single().Code, Is.EqualTo("double paraslm_acc_j2 = C[i][(paraslm_u_j + 2)];"));
        Assert.That(s.Body[2].Single().Code, Is.EqualTo("paraslm_acc_j2 += alpha * A[i][k] * A[(paraslm_u_j + 2)][k];"));
        Assert.That(s.Final[2].Single().Code, Is.EqualTo("C[i][(paraslm_u_j + 2)] = paraslm_acc_j2;"));
        Assert.That(s.Remainder.Body.Single().Code, Is.EqualTo("C[i][j] += alpha * A[i][k] * A[j][k];"), "the last iterations run interchanged as written");
        var f = jams[syrkf];
        Assert.That((f.Name, f.CounterDeclaredInHeader, f.High, f.Pre[0].Single().Code), Is.EqualTo(("interchange-jam(j,k,4)", true, "i", "float paraslm_acc_j0 = CF[i][(paraslm_u_j + 0)];")));
        var n = jams[syrki];
        Assert.That((n.FloatingPoint, n.Body[1].Single().Code), Is.EqualTo((false, "paraslm_acc_j1 -= AI[i][k] * AI[(paraslm_u_j + 1)][k];")));

        var plans = FilePlanner.AnalyzerPlan(analysis);
        var outer = plans.Single(p => p.Line == syrk - 3);
        Assert.That(outer.Proposal.UnrollJam, Is.True, "the plan of the parallel loop around the nest names the transform");
        Assert.That(outer.Reason, Does.Contain($"interchange-jam(j,k,4) at line {syrk}: ").And.Contain("every dependence of the `k`/`j` nest has `=` at `j`"));
        Assert.That(plans.Where(p => p.Proposal.UnrollJam).Select(p => p.Line), Is.EquivalentTo(new[] { syrk - 3, syr2k - 3, syrkf - 1, syrki - 1 }));
    }

    [TestCase("less_greater", TestName = "A_nest_whose_statement_reads_the_element_of_another_j_stays_untouched")]
    [TestCase("bound_reads_the_inner_counter", TestName = "A_nest_whose_j_bound_reads_k_stays_untouched")]
    [TestCase("calls_a_function", TestName = "A_nest_whose_statement_calls_a_function_stays_untouched")]
    [TestCase("counter_read_after_the_nest", TestName = "A_nest_whose_counter_is_read_after_it_stays_untouched")]
    [TestCase("already_stride_1", TestName = "A_nest_whose_j_is_already_the_stride_1_loop_stays_untouched")]
    [TestCase("short_inner_loop", TestName = "A_nest_with_a_short_k_loop_stays_untouched")]
    [TestCase("two_statements", TestName = "A_nest_whose_j_body_has_two_statements_stays_untouched")]
    public void Nests_outside_the_proof_or_the_cost_rule_are_not_interchanged(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotInterchanged));
        var loops = analysis.Loops.Where(l => l.Function == function).ToList();
        Assert.That(loops, Has.Count.EqualTo(3));
        Assert.That(loops.Select(l => l.UnrollJam?.InterchangedWith), Is.All.Null);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var edits = plans.Where(p => p.IsParallel && loops.Any(l => l.Id == p.Id)).Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, null, byId, false)).ToList();
        Assert.That(SourceRewriter.Rewrite(analysis.File, NotInterchanged, edits).Text, Does.Not.Contain("paraslm_acc").And.Not.Contain(UnrollJam.InterchangeName));
    }

    [Test]
    public void The_verifier_keeps_the_interchange_only_where_the_facts_prove_it()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var rows = analysis.Loops.Single(l => l.Function == "syrk" && l.Depth == 1);
        var proposal = new PlanProposal(true, ParallelTarget.CpuOpenMP, rows.Private, [], []) { UnrollJam = true };
        Assert.That(PlanVerifier.Verify(rows, proposal, byId, insideParallel: false).Plan.UnrollJam, Is.True);
        // The same plan on a loop whose nest the facts do not prove (main's initialization) loses the element: PSLM2002.
        var init = analysis.Loops.First(l => l.Function == "main" && l.Depth == 1 && l.Parallelizable);
        var unproven = PlanVerifier.Verify(init, proposal with { Private = init.Private }, byId, insideParallel: false);
        Assert.That((unproven.Plan.UnrollJam, unproven.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(unproven.Reason, Does.Contain("unroll-and-jam dropped"));
        // The fact sits on the serial `k` loop: it is never the parallel loop's own form.
        var k = analysis.Loops.Single(l => l.Function == "syrk" && l.UnrollJam is not null);
        Assert.That(UnrollJamming.Self(k, 1), Is.Null);
        var onGpu = PlanVerifier.Verify(rows, proposal with { Target = ParallelTarget.GpuOpenMPOffload }, byId, insideParallel: false);
        Assert.That(onGpu.Plan.UnrollJam, Is.False);
    }

    [Test]
    public void The_generated_text_keeps_elements_in_accumulators_only_where_floating_point_is_exact_and_maps_every_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.UnrollJams.Any(u => u.InterchangedWith is not null)), Is.EqualTo(4), text);
        Assert.That(text, Does.Contain("#if defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ == 0\n#define PARASLM_EXACT_FP 1"));
        var syrk = text[text.IndexOf("/* ParaSlm interchange-jam(j,k,4)", StringComparison.Ordinal)..];
        Assert.That(syrk, Does.Contain("const long long paraslm_ulo_j = 0, paraslm_uhi_j = (i) + 1;"));
        Assert.That(syrk, Does.Contain("const int paraslm_u_j = (int)(paraslm_ulo_j + paraslm_ug_j * 4);"));
        Assert.That(syrk.IndexOf("double paraslm_acc_j3 = C[i][(paraslm_u_j + 3)];", StringComparison.Ordinal),
            Is.LessThan(syrk.IndexOf("for (k = 0; k < m; k++) {", StringComparison.Ordinal)));
        Assert.That(syrk, Does.Contain("for (j = (int)(paraslm_ulo_j + paraslm_ung_j * 4); j < paraslm_uhi_j; j++) {"), "the remainder, interchanged");
        // The exact-rounding test selects the form; the nest as written runs otherwise, at its own lines.
        var before = text[..text.IndexOf("/* ParaSlm interchange-jam(j,k,4)", StringComparison.Ordinal)];
        Assert.That(before[Math.Max(0, before.Length - 160)..], Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION) {"));
        Assert.That(text, Does.Contain("#if defined(__GNUC__) && !defined(__clang__) && defined(__FP_FAST_FMA) && !defined(__STRICT_ANSI__)\n#define PARASLM_SAME_CONTRACTION 0"));
        Assert.That(syrk, Does.Contain("} else {\n#line " + LineOf(Program, "for (k = 0; k < m; k++) {")));
        Assert.That(GenerationWorkspace.PresumedLine(text, "paraslm_acc_j1 += alpha * A[i][k]"), Is.EqualTo(LineOf(Program, "C[i][j] += alpha * A[i][k]")));
        Assert.That(GenerationWorkspace.PresumedLine(text, "C[i][(paraslm_u_j + 0)] = paraslm_acc_j0;"), Is.EqualTo(LineOf(Program, "C[i][j] += alpha * A[i][k]")));
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(LineOf(Program, "printf(\"line %d")));
        Assert.That(text.Split("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION) {").Length - 1, Is.EqualTo(3), "the integer form needs no exact-rounding test");
        Assert.That(result.Outcomes.Single(o => o.Edit.Line == LineOf(Program, "for (k = 0; k < m; k++) {") - 3).Reason,
            Does.Contain("run their `k` loop together (interchange-jam(j,k,4))"));
    }

    [TestCase("gcc", "-std=c11", ".c", "-O2")]
    [TestCase("clang-19", "-std=c11", ".c", "-O2")]
    // gcc's GNU modes default to -ffp-contract=fast, under which gcc fuses `acc + a * b` into an FMA in one code shape and not in
    // another (at -O3 it vectorizes the interchanged `k` loop as an in-order reduction, multiplies apart): with FMA available
    // (x86-64-v3) the copy runs the nest as written there (PARASLM_SAME_CONTRACTION 0), so that build agrees too; ISO C turns
    // contraction off and runs the form.
    [TestCase("gcc", "-std=c11", ".c", "-O3 -march=x86-64-v3")]
    [TestCase("gcc", "-std=gnu11", ".c", "-O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-std=gnu11", ".c", "-O3 -march=x86-64-v3 -ffp-contract=fast")]
    public void The_interchanged_nests_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string std, string extension, string flags)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler.Replace("+", "p") + "_" + flags.Replace(" ", "_").Replace("-", "").Replace("=", "") + "_xjam" + extension, Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.UnrollJams.Any(u => u.InterchangedWith is not null)), Is.EqualTo(4), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result, flags.Split(' '));
    }
}
