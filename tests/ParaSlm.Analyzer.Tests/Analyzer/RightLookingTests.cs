using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The right-looking order (issue 14, lu's left half): a serial loop `j { for k < j S; T }` whose iterations each own one
/// element, S reading an earlier iteration's finished element at `k`, runs as `for k { T(k); for j > k S(j, k) }`, still
/// serial, so that the inner loop walks rows instead of columns. The proof and its near-misses (a read at `k + 1` or
/// `j + 1`, T before the inner loop, `k &lt;= j`, a write to another iteration's element, a call, the counter read after,
/// another start), the cost rule (cholesky's and trisolv's shapes would stride), the verifier re-proving the name, the
/// generated text with `#line` and its floating-point gate, and outputs bit-identical to serial with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class RightLookingTests : GenerationFixture
{
    // Our own kernels: lu's factorization row by row (pointer to rows, counters declared at the top), a float solve with
    // a pure math call, counters declared in their headers and a second element written per iteration (C), and an unsigned
    // one (no floating point, so no gate) whose bound is a parameter; sizes 4 does not divide.
    private const string Program = """
        #include <math.h>
        #include <stdio.h>
        #define N 67

        static double A[N][N];
        static float F[N][N];
        static double C[N][N];
        static unsigned U[N][N];

        static void lu(int n, double (*a)[N]) {
            int i, j, k;
            for (i = 0; i < n; i++) {
                for (j = 0; j < i; j++) {
                    for (k = 0; k < j; k++) {
                        a[i][j] -= a[i][k] * a[k][j];
                    }
                    a[i][j] /= a[j][j];
                }
                for (j = i; j < n; j++)
                    for (k = 0; k < i; k++)
                        a[i][j] -= a[i][k] * a[k][j];
            }
        }

        static void lower_float(int i) {
            for (int j = 1; j < i; j++) {
                for (int k = 1; k < j; k++)
                    F[i][j] = F[i][j] - F[i][k] * fabsf(F[k][j]);
                F[i][j] = F[i][j] * 0.5f;
                C[i][j] = F[i][j] + 1.0;
            }
        }

        static void wrapping(unsigned (*u)[N], int i, int m) {
            int j, k;
            for (j = 2; j < m; j++) {
                for (k = 2; k < j; k++)
                    u[i][j] -= u[i][k] * u[k][j];
                u[i][j] ^= u[j][j] >> 3;
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    A[i][j] = (i == j) ? N + 1.0 : ((i * 7 + j * 13) % 23) / 7.0 - 1.3;
                    F[i][j] = (i == j) ? 3.0f : ((i * 5 + j * 3) % 19) / 60.0f - 0.14f;
                    U[i][j] = (unsigned)(i * 2654435761u + j * 40503u);
                }
            lu(N, A);
            for (int i = 1; i < N; i++) lower_float(i);
            for (int i = 0; i < N; i++) wrapping(U, i, i < 30 ? i : 30);
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) printf("%a %a %a %u\n", A[i][j], F[i][j], C[i][j], U[i][j]);
            printf("line %d\n", __LINE__);
            return 0;
        }
        """;

    private const string NotRightLooking = """
        #define N 64
        double a[N][N], x[N], L[N][N];
        double opaque(double v);

        void reads_next_column(int i) {
            int j, k;
            for (j = 0; j < i; j++) {
                for (k = 0; k < j; k++)
                    a[i][j] -= a[i][k + 1] * a[k][j];
                a[i][j] /= a[j][j];
            }
        }

        void reads_next_element(int i) {
            int j, k;
            for (j = 0; j < i; j++) {
                for (k = 0; k < j; k++)
                    a[i][j] -= a[i][k] * a[i][j + 1] * a[k][j];
                a[i][j] /= a[j][j];
            }
        }

        void finish_before_inner(int i) {
            int j, k;
            for (j = 0; j < i; j++) {
                a[i][j] /= a[j][j];
                for (k = 0; k < j; k++)
                    a[i][j] -= a[i][k] * a[k][j];
            }
        }

        void inclusive_bound(int i) {
            int j, k;
            for (j = 0; j < i; j++) {
                for (k = 0; k <= j; k++)
                    a[i][j] -= a[i][k] * a[k][j];
                a[i][j] /= a[j][j];
            }
        }

        void writes_another_element(int i) {
            int j, k;
            for (j = 0; j < i - 1; j++) {
                for (k = 0; k < j; k++)
                    a[i][j] -= a[i][k] * a[k][j];
                a[i][j + 1] = a[i][j] * 0.5;
            }
        }

        void calls_a_function(int i) {
            int j, k;
            for (j = 0; j < i; j++) {
                for (k = 0; k < j; k++)
                    a[i][j] -= a[i][k] * opaque(a[k][j]);
                a[i][j] /= a[j][j];
            }
        }

        void cholesky_like(int i) {
            int j, k;
            for (j = 0; j < i; j++) {
                for (k = 0; k < j; k++)
                    a[i][j] -= a[i][k] * a[j][k];
                a[i][j] /= a[j][j];
            }
        }

        void trisolv_like(void) {
            int i, j;
            for (i = 0; i < N; i++) {
                for (j = 0; j < i; j++)
                    x[i] -= L[i][j] * x[j];
                x[i] = x[i] / L[i][i];
            }
        }

        int counter_read_after(int i) {
            int j, k;
            for (j = 0; j < i; j++) {
                for (k = 0; k < j; k++)
                    a[i][j] -= a[i][k] * a[k][j];
                a[i][j] /= a[j][j];
            }
            return k;
        }

        void other_start(int i) {
            int j, k;
            for (j = 0; j < i; j++) {
                for (k = 1; k < j; k++)
                    a[i][j] -= a[i][k] * a[k][j];
                a[i][j] /= a[j][j];
            }
        }
        """;

    [Test]
    public void Lu_and_its_relatives_are_proven_right_looking_with_the_texts_of_their_forms()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var byLine = analysis.Loops.Where(l => l.RightLooking is not null).ToDictionary(l => l.Line, l => l.RightLooking!);
        Assert.That(byLine.Keys, Is.EquivalentTo(new[] { 13, 26, 36 }), "lu's left half, the float solve and the unsigned one");

        var lu = byLine[13];
        Assert.That((lu.Name, lu.Outer, lu.Inner, lu.Low, lu.High), Is.EqualTo(("right-looking(j,k)", "j", "k", "0", "i")));
        Assert.That((lu.Update.Line, lu.Update.Code), Is.EqualTo((15, "a[i][j] -= a[i][k] * a[k][j];")));
        Assert.That(lu.Finish.Select(t => (t.Line, t.Code)), Is.EqualTo(new[] { (17, "a[i][j] /= a[j][j];") }));
        Assert.That(lu.Declarations, Is.Empty, "counters declared outside and dead after the nest need no declaration");
        Assert.That(lu.FloatingPoint, Is.True);
        Assert.That(lu.Evidence, Does.Contain("`a[i][k]` (line 15)").And.Contain("walks `a[k][j]` along a row"));

        var solve = byLine[26];
        Assert.That(solve.Declarations, Is.EqualTo(new[] { "int j;", "int k;" }), "counters declared in their headers are declared by the form");
        Assert.That(solve.Finish.Select(t => t.Code), Is.EqualTo(new[] { "F[i][j] = F[i][j] * 0.5f;", "C[i][j] = F[i][j] + 1.0;" }));
        Assert.That(solve.Low, Is.EqualTo("1"));

        var wrapping = byLine[36];
        Assert.That((wrapping.Low, wrapping.High, wrapping.FloatingPoint), Is.EqualTo(("2", "m", false)));

        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => PlanVerifier.IsRightLooking(p.Proposal.Transform)).Select(p => (p.Line, p.IsParallel)),
            Is.EquivalentTo(new[] { (13, false), (26, false), (36, false) }), "the loops stay serial, in the new order");
        Assert.That(plans.Single(p => p.Line == 19).IsParallel, Is.True, "lu's row update keeps its own plan");
    }

    [TestCase("reads_next_column", "may meet in different iterations of `j`", TestName = "A_solve_reading_the_written_row_at_k_plus_1_stays_as_written")]
    [TestCase("reads_next_element", "may meet in different iterations of `j`", TestName = "A_solve_reading_the_next_iterations_element_stays_as_written")]
    [TestCase("inclusive_bound", "is not `for (k = lo; k < j; k++)`", TestName = "A_solve_whose_inner_bound_is_k_le_j_stays_as_written")]
    [TestCase("writes_another_element", "may meet in different iterations of `j`", TestName = "A_solve_writing_the_next_iterations_element_stays_as_written")]
    [TestCase("calls_a_function", "cannot follow", TestName = "A_solve_calling_an_unknown_function_stays_as_written")]
    [TestCase("cholesky_like", "cost: `a[j][k]` (line 63) walks `k` along a row", TestName = "A_cholesky_shaped_solve_stays_as_written_by_the_cost_rule")]
    [TestCase("trisolv_like", "cost: `L[i][j]` (line 72) walks `j` along a row", TestName = "A_trisolv_shaped_solve_stays_as_written_by_the_cost_rule")]
    [TestCase("counter_read_after", "the counter `k` is read after the loop", TestName = "A_solve_whose_counter_is_read_after_it_stays_as_written")]
    [TestCase("other_start", "starts at `1`, not at `0`", TestName = "A_solve_whose_inner_loop_starts_elsewhere_stays_as_written")]
    public void Near_misses_stay_as_written_with_a_named_reason(string function, string reason)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("near.c", NotRightLooking));
        var outer = analysis.Loops.Single(l => l.Function == function && l.Depth == 1);
        Assert.That(outer.Parallelizable, Is.False);
        Assert.That(outer.RightLooking, Is.Null);
        Assert.That(outer.RightLookingBlocker, Does.Contain(reason));
        AssertNothingRewritten(analysis);
    }

    [Test]
    public void A_solve_whose_finishing_statement_comes_before_the_inner_loop_is_not_a_candidate()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("before.c", NotRightLooking));
        var outer = analysis.Loops.Single(l => l.Function == "finish_before_inner" && l.Depth == 1);
        Assert.That((outer.RightLooking, outer.RightLookingBlocker), Is.EqualTo(((RightLooking?)null, (string?)null)));
        AssertNothingRewritten(analysis);
    }

    private void AssertNothingRewritten(FileAnalysis analysis)
    {
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Select(p => p.Proposal.Transform), Is.All.Null);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var edits = plans.Where(p => p.IsRewritten).Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, null, byId)).ToList();
        Assert.That(SourceRewriter.Rewrite(analysis.File, NotRightLooking, edits).Text, Does.Not.Contain("right-looking"));
    }

    [Test]
    public void The_verifier_keeps_only_the_order_the_facts_prove()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var lu = analysis.Loops.Single(l => l.Line == 13);
        var claim = PlanProposal.Sequential with { Transform = "right-looking(j,k)" };
        var ok = PlanVerifier.Verify(lu, claim, byId, insideParallel: false);
        Assert.That((ok.Kind, ok.Plan.Parallel, ok.Plan.Transform), Is.EqualTo((VerdictKind.Accepted, false, "right-looking(j,k)")));

        var forged = PlanVerifier.Verify(lu, claim with { Transform = "right-looking(k,j)" }, byId, insideParallel: false);
        Assert.That((forged.Kind, forged.Plan.Transform, forged.Code), Is.EqualTo((VerdictKind.Rejected, (string?)null, PlanVerifier.WrongClauses)));
        Assert.That(forged.Reason, Does.Contain("proves `right-looking(j,k)`"));

        var other = Ws.Analyze(Ws.WriteSource("verify_near.c", NotRightLooking));
        var cholesky = other.Loops.Single(l => l.Function == "cholesky_like" && l.Depth == 1);
        var unproven = PlanVerifier.Verify(cholesky, claim, other.Loops.ToDictionary(l => l.Id), insideParallel: false);
        Assert.That((unproven.Plan.Transform, unproven.Code), Is.EqualTo(((string?)null, PlanVerifier.WrongClauses)));
        Assert.That(unproven.Reason, Does.Contain("did not prove that this loop may run right-looking"));

        // The order keeps the loop serial: a plan that makes it parallel is still the unsafe plan it was.
        var parallel = PlanVerifier.Verify(lu, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = "right-looking(j,k)" }, byId, insideParallel: false);
        Assert.That((parallel.Plan.Parallel, parallel.Plan.Transform, parallel.Code), Is.EqualTo((false, (string?)null, PlanVerifier.UnsafeParallel)));
        var plain = PlanVerifier.Verify(lu, PlanProposal.Sequential, byId, insideParallel: false);
        Assert.That((plain.Kind, plain.Plan.Transform), Is.EqualTo((VerdictKind.Accepted, (string?)null)));

        // A model plans which loop of the nest runs in parallel; the serial ones take the order the facts prove (ModelPlanner).
        Assert.That(LocalityChooser.Serial(lu).Transform, Is.EqualTo("right-looking(j,k)"));
        Assert.That(LocalityChooser.Serial(cholesky).Transform, Is.Null);
    }

    [Test]
    public void The_generated_text_runs_k_outside_under_the_floating_point_gate_and_maps_every_statement_to_its_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.RightLooking is not null), Is.EqualTo(3), text);
        var lu = text[text.IndexOf("/* ParaSlm right-looking(j,k)", StringComparison.Ordinal)..];
        lu = lu[..lu.IndexOf("} else {", StringComparison.Ordinal)];
        var expected = new[]
        {
            "for (k = 0; k < i; k++) {", "j = k;", "a[i][j] /= a[j][j];", "#pragma omp simd", "for (j = k + 1; j < i; j++) {", "a[i][j] -= a[i][k] * a[k][j];", "}", "}", "}",
        };
        Assert.That(lu.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#line", StringComparison.Ordinal)).Skip(1).ToArray(), Is.EqualTo(expected), lu);
        Assert.That(text, Does.Contain($"if ({SourceRewriter.ExactFloatingPoint} && {SourceRewriter.SameContraction}"),
            "floating point: the form runs where it rounds and contracts as the loop as written does");
        Assert.That(text, Does.Contain($"#define {SourceRewriter.SameContraction} 0").And.Contain($"#define {SourceRewriter.ExactFloatingPoint} 1"));
        var gate = $"if ({SourceRewriter.ExactFloatingPoint} && {SourceRewriter.SameContraction}";
        Assert.That(text.Split(gate).Length - 1, Is.EqualTo(2), "the two floating-point solves are gated, the unsigned one is not:\n" + text);
        var wrapping = text[text.IndexOf("for (k = 2; k < m; k++)", StringComparison.Ordinal)..];
        Assert.That(wrapping, Does.Contain("u[i][j] ^= u[j][j] >> 3;"));
        Assert.That(text, Does.Contain("int j;").And.Contain("int k;"));
        Assert.That(GenerationWorkspace.PresumedLine(text, "a[i][j] -= a[i][k] * a[k][j];"), Is.EqualTo(15));
        Assert.That(GenerationWorkspace.PresumedLine(text, "a[i][j] /= a[j][j];"), Is.EqualTo(17));
        Assert.That(GenerationWorkspace.PresumedLine(text, "C[i][j] = F[i][j] + 1.0;"), Is.EqualTo(30));
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(55));
        Assert.That(result.Outcomes.Single(o => o.Edit.Line == 13).Reason, Does.Contain("replaced the loop by its right-looking form (right-looking(j,k))"));
    }

    [TestCase("gcc", "-std=c11 -O2")]
    [TestCase("gcc", "-std=c11 -O3")]
    [TestCase("gcc", "-std=c11 -O3 -march=x86-64-v3")]
    [TestCase("gcc", "-std=gnu11 -O3 -march=znver3")]
    [TestCase("clang-19", "-std=c11 -O2")]
    [TestCase("clang-19", "-std=c11 -O3")]
    [TestCase("clang-19", "-std=c11 -O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-std=gnu11 -O3 -ffp-contract=on -march=x86-64-v3")]
    public void The_right_looking_loops_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string flags)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_" + flags.Replace(" ", "_").Replace("-", "").Replace("=", "") + "_rl.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.RightLooking is not null), Is.EqualTo(3), result.Text);
        var parts = flags.Split(' ');
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, parts[0], path, result, [.. parts.Skip(1)]);
    }
}
