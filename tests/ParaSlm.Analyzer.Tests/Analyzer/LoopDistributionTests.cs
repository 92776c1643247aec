using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Loop distribution (issue 14 items 1–2): a serial loop whose body splits into statement groups, every dependence between
/// groups going forward, runs as one loop per group in one parallel region — a group the outer loop does not carry as
/// `omp for`, a group it carries only on the same inner element with the serial outer loop and `omp for nowait` on the
/// inner loop. The proof and its near-misses, the plan and the verifier, the generated text with `#line`, and outputs
/// bit-identical to serial on 4 threads with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class LoopDistributionTests : GenerationFixture
{
    // bicg (pointer parameters: the run-time check; counters declared at the top; `s[j]` carried by i on the same j,
    // `q[i]` carried by j), atax's shape over two matrices (`tmp[i]` flows forward from the first inner loop to the second in
    // the same iteration; atax itself sweeps one matrix in both and stays serial by the cost rule, see NotDistributed),
    // and a forward dependence at distance 1 (`q2[i - 1]` read by the later group); sizes 4 does not divide.
    private const string Program = """
        #include <stdio.h>
        #define N 203
        #define M 131

        static double A[N][M], B[N][M], r[N], p[M], s[M], q[N], x[M], y[M], tmp[N], q2[N], o2[N];

        static void bicg(int n, int m, double (*a)[M], double *sv, double *qv, double *pv, double *rv) {
            int i, j;
            for (i = 0; i < n; i++) {
                qv[i] = 0.0;
                for (j = 0; j < m; j++) {
                    sv[j] = sv[j] + rv[i] * a[i][j];
                    qv[i] = qv[i] + a[i][j] * pv[j];
                }
            }
        }

        static void atax(void) {
            for (int i = 0; i < N; i++) {
                tmp[i] = 0.0;
                for (int j = 0; j < M; j++)
                    tmp[i] = tmp[i] + A[i][j] * x[j];
                for (int j = 0; j < M; j++)
                    y[j] = y[j] + B[i][j] * tmp[i];
            }
        }

        static void forward(void) {
            for (int i = 1; i < N; i++) {
                q2[i] = 0.5;
                for (int j = 0; j < M; j++)
                    q2[i] = q2[i] * 0.75 + A[i][j];
                o2[i] = q2[i - 1] * 3.0 + q2[i];
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) { A[i][j] = ((i * 7 + j * 13) % 23) / 7.0 - 1.3; B[i][j] = ((i * 5 + j * 3) % 19) / 6.0 - 1.4; }
            for (int i = 0; i < N; i++) r[i] = (i % 11) / 3.0 - 1.1;
            for (int j = 0; j < M; j++) { p[j] = (j % 7) / 5.0 - 0.6; x[j] = (j % 13) / 9.0 - 0.4; }
            q2[0] = 1.0;
            bicg(N, M, A, s, q, p, r);
            atax();
            forward();
            for (int i = 0; i < N; i++) printf("%a %a %a %a\n", q[i], tmp[i], q2[i], o2[i]);
            for (int j = 0; j < M; j++) printf("%a %a\n", s[j], y[j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NotDistributed = """
        #define N 64
        double a[N][N + 8], b[N], c[N], y[N + 1];
        int calls;
        static double counted(double v) { calls++; return v; }

        void backward(void) {
            for (int i = 1; i < N; i++) {
                b[i] = c[i - 1] * 0.5;
                for (int j = 0; j < N; j++)
                    c[i] = c[i] + a[i][j];
            }
        }

        void backward_in_the_iteration(void) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < N; j++)
                    y[j] = y[j] + a[i][j] * b[i];
                b[i] = y[i] * 0.5;
            }
        }

        void scalar_across_groups(void) {
            double t = 1.0;
            for (int i = 0; i < N; i++) {
                t = t * 0.5 + b[i];
                c[i] = t;
                for (int j = 0; j < N; j++)
                    y[j] = y[j] + a[i][j] * t;
            }
        }

        void call_with_effects(void) {
            for (int i = 0; i < N; i++) {
                b[i] = 0.0;
                for (int j = 0; j < N; j++)
                    y[j] = y[j] + counted(a[i][j]);
            }
        }

        void early_exit(void) {
            for (int i = 0; i < N; i++) {
                if (b[i] < 0.0) break;
                for (int j = 0; j < N; j++)
                    y[j] = y[j] + a[i][j];
            }
        }

        void inner_carried_too(void) {
            for (int i = 0; i < N; i++) {
                b[i] = 0.0;
                for (int j = 0; j < N; j++)
                    y[j + 1] = y[j] + a[i][j];
            }
        }

        void atax_sweeps_a_twice(void) {
            for (int i = 0; i < N; i++) {
                c[i] = 0.0;
                for (int j = 0; j < N; j++)
                    c[i] = c[i] + a[i][j] * b[j];
                for (int j = 0; j < N; j++)
                    y[j] = y[j] + a[i][j] * c[i];
            }
        }

        void shifted_element_across_i(void) {
            for (int i = 0; i < N - 1; i++) {
                b[i] = 0.0;
                for (int j = 0; j < N - 1; j++)
                    a[i + 1][j] = a[i][j] + 1.0;
            }
        }
        """;

    [Test]
    public void Bicg_and_atax_split_into_a_parallel_loop_and_a_work_shared_inner_loop()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var byLine = analysis.Loops.Where(l => l.Distribution is not null).ToDictionary(l => l.Line, l => l.Distribution!);
        Assert.That(byLine.Keys, Is.EquivalentTo(new[] { 9, 19, 29 }), "bicg's i, atax's i and the forward loop's i");

        var bicg = byLine[9];
        Assert.That((bicg.Name, bicg.Counter, bicg.Header.Code), Is.EqualTo(("distribute(i:p,w)", "i", "for (i = 0; i < n; i++)")));
        Assert.That(bicg.Private, Is.EqualTo(new[] { "i", "j" }), "counters declared outside are private in the region");
        Assert.That(bicg.OverlapCheck, Does.Contain("sv").And.Contain("qv"), "pointer parameters run under the overlap check");
        var q = bicg.Groups[0];
        Assert.That(q.Form, Is.EqualTo(DistributedForm.ParallelLoop));
        Assert.That(q.Parts.Select(p => (p.InnerHeader?.Code, string.Join(" ", p.Statements.Select(s => s.Code)))), Is.EqualTo(new[]
        {
            ((string?)null, "qv[i] = 0.0;"),
            ("for (j = 0; j < m; j++)", "qv[i] = qv[i] + a[i][j] * pv[j];"),
        }));
        var s = bicg.Groups[1];
        Assert.That(s.Form, Is.EqualTo(DistributedForm.WorksharedInner));
        Assert.That(s.Parts.Single().Statements.Select(l => (l.Line, l.Code)), Is.EqualTo(new[] { (12, "sv[j] = sv[j] + rv[i] * a[i][j];") }));

        var atax = byLine[19];
        Assert.That((atax.Name, atax.Private.Count, atax.OverlapCheck), Is.EqualTo(("distribute(i:p,w)", 0, (string?)null)),
            "declared arrays need no check; counters declared in their headers are private already");
        Assert.That(atax.Groups[1].Parts.Single().Statements.Single().Code, Is.EqualTo("y[j] = y[j] + B[i][j] * tmp[i];"));
        Assert.That(byLine[29].Name, Is.EqualTo("distribute(i:p,p)"), "q2[i - 1] flows forward at distance 1: both groups are parallel loops");

        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => PlanVerifier.IsDistribution(p.Proposal.Transform)).Select(p => p.Line), Is.EquivalentTo(new[] { 9, 19, 29 }));
        Assert.That(plans.Single(p => p.Line == 9).Reason, Does.Contain("every dependence between groups goes forward"));
        Assert.That(plans.Where(p => p.Line is 11 or 21 or 23 or 31).Select(p => p.IsParallel), Is.All.False, "the inner loops run inside the distributed form");
    }

    [TestCase("backward", "a dependence from a later group back to an earlier one", TestName = "A_loop_whose_later_group_feeds_an_earlier_one_in_a_later_iteration_stays_serial")]
    [TestCase("backward_in_the_iteration", "a dependence from a later group back to an earlier one", TestName = "A_loop_whose_later_statement_writes_what_an_earlier_group_reads_later_stays_serial")]
    [TestCase("scalar_across_groups", "a scalar carried across groups", TestName = "A_loop_carrying_a_scalar_across_groups_stays_serial")]
    [TestCase("call_with_effects", "calls a function", TestName = "A_loop_calling_a_function_with_effects_stays_serial")]
    [TestCase("early_exit", "leaves or jumps", TestName = "A_loop_that_may_break_stays_serial")]
    [TestCase("inner_carried_too", "it is not parallel", TestName = "A_loop_whose_inner_loop_carries_a_dependence_too_stays_serial")]
    [TestCase("atax_sweeps_a_twice", "cost: it splits no inner loop, and `a[i][j]`", TestName = "A_loop_whose_whole_inner_loops_sweep_one_array_in_two_groups_stays_serial_by_the_cost_rule")]
    [TestCase("shifted_element_across_i", "subscripts that name it", TestName = "A_loop_carrying_an_element_at_subscripts_that_name_the_outer_counter_stays_serial")]
    public void Near_misses_stay_serial_with_a_named_reason(string function, string reason)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotDistributed));
        var outer = analysis.Loops.Single(l => l.Function == function && l.Depth == 1);
        Assert.That(outer.Distribution, Is.Null);
        Assert.That(outer.Parallelizable, Is.False);
        Assert.That(outer.DistributionBlocker, Does.Contain(reason));
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => p.Id == outer.Id).Select(p => p.Proposal.Transform), Is.All.Null);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var edits = plans.Where(p => p.IsParallel).Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, null, byId)).ToList();
        Assert.That(SourceRewriter.Rewrite(analysis.File, NotDistributed, edits).Text, Does.Not.Contain("ParaSlm distribute"));
    }

    [Test]
    public void A_loop_kept_serial_by_the_cost_rule_says_so_in_its_plan_reason_and_a_shape_blocker_does_not()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("reasons.c", NotDistributed));
        var plans = FilePlanner.AnalyzerPlan(analysis);
        string ReasonOf(string function) => plans.Single(p => p.Id == analysis.Loops.Single(l => l.Function == function && l.Depth == 1).Id).Reason;

        Assert.That(ReasonOf("atax_sweeps_a_twice"), Does.Contain("distributing it into parallel groups is legal but would not pay: it splits no inner loop"));
        Assert.That(ReasonOf("call_with_effects"), Does.Not.Contain("distribut"));
    }

    [Test]
    public void The_verifier_drops_a_distribution_the_facts_do_not_prove()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var bicg = analysis.Loops.Single(l => l.Line == 9);
        var proposal = new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = "distribute(i:p,w)" };
        var ok = PlanVerifier.Verify(bicg, proposal, byId, insideParallel: false);
        Assert.That((ok.Kind, ok.Plan.Transform), Is.EqualTo((VerdictKind.Accepted, "distribute(i:p,w)")));

        var wrongForms = PlanVerifier.Verify(bicg, proposal with { Transform = "distribute(i:p,p)" }, byId, insideParallel: false);
        Assert.That((wrongForms.Plan.Parallel, wrongForms.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(wrongForms.Reason, Does.Contain("proves `distribute(i:p,w)`"));

        var other = Ws.Analyze(Ws.WriteSource("verify_illegal.c", NotDistributed));
        var backward = other.Loops.Single(l => l.Function == "backward" && l.Depth == 1);
        var unproven = PlanVerifier.Verify(backward, proposal, other.Loops.ToDictionary(l => l.Id), insideParallel: false);
        Assert.That((unproven.Plan.Parallel, unproven.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(unproven.Reason, Does.Contain("did not prove that this loop's body may run as separate loops"));

        var nested = PlanVerifier.Verify(bicg, proposal, byId, insideParallel: true);
        Assert.That(nested.Code, Is.EqualTo(PlanVerifier.NestedParallel));
        var onGpu = PlanVerifier.Verify(bicg, proposal with { Target = ParallelTarget.GpuOpenMPOffload }, byId, insideParallel: false);
        Assert.That(onGpu.Plan.Parallel, Is.False);
        // A model that plans the serial loop parallel gets the proven form (the chooser), never a plain `omp parallel for`:
        // bicg's groups both sweep `a`, so the form is their one-pass pipeline (RowColumnPipelineTests).
        var (chosen, _) = LocalityChooser.Choose(new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []), "model", bicg);
        Assert.That(chosen.Transform, Is.EqualTo("pipeline(i,j)"));
    }

    [Test]
    public void The_generated_text_runs_each_group_as_its_own_loop_and_maps_every_statement_to_its_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        // The analyzer plans bicg's one-pass pipeline (both groups sweep `a`); a plan that names the groups gets them.
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Single(p => p.Line == 9).Proposal.Transform, Is.EqualTo("pipeline(i,j)"));
        var edits = plans.Where(p => p.IsParallel).Select(p => LoopEdit.ForProposal(byId[p.Id], p.Line == 9 ? p.Proposal with { Transform = "distribute(i:p,w)" } : p.Proposal,
            p.RuntimeCheck, null, byId, floatReassociation: false)).ToList();
        var result = SourceRewriter.Rewrite(path, File.ReadAllText(path), edits);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.Distributed is not null), Is.EqualTo(3), text);
        var bicg = text[text.IndexOf("/* ParaSlm distribute(i:p,w)", StringComparison.Ordinal)..];
        bicg = bicg[..bicg.IndexOf("} else {", StringComparison.Ordinal)];
        var expected = new[]
        {
            "#pragma omp parallel private(i, j)", "{", "#pragma omp for schedule(static)", "for (i = 0; i < n; i++) {", "qv[i] = 0.0;",
            "for (j = 0; j < m; j++) {", "qv[i] = qv[i] + a[i][j] * pv[j];", "}", "} for (i = 0; i < n; i++) {",
            "#pragma omp for schedule(static) nowait", "for (j = 0; j < m; j++) {", "sv[j] = sv[j] + rv[i] * a[i][j];", "}", "} } }",
        };
        Assert.That(bicg.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#line", StringComparison.Ordinal)).Skip(1).ToArray(), Is.EqualTo(expected), bicg);
        Assert.That(text, Does.Contain("if (((qv + n <= sv || sv + m <= qv) && ").And.Contain("} else {\n#line 9 \""),
            "the overlap check versions the region, the loop as written in the else branch");
        Assert.That(GenerationWorkspace.PresumedLine(text, "qv[i] = qv[i] + a[i][j] * pv[j];"), Is.EqualTo(13));
        Assert.That(GenerationWorkspace.PresumedLine(text, "sv[j] = sv[j] + rv[i] * a[i][j];"), Is.EqualTo(12));
        Assert.That(GenerationWorkspace.PresumedLine(text, "y[j] = y[j] + B[i][j] * tmp[i];"), Is.EqualTo(24));
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(47));
        Assert.That(result.Outcomes.Single(o => o.Edit.Line == 9).Reason, Does.Contain("replaced the loop by its distributed form (distribute(i:p,w))"));
    }

    [TestCase("gcc", "-O2")]
    [TestCase("clang-19", "-O2")]
    [TestCase("gcc", "-O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-O3 -march=x86-64-v3")]
    public void The_distributed_loops_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string flags)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_" + flags.Replace(" ", "_").Replace("-", "").Replace("=", "") + "_dist.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.Distributed is not null), Is.EqualTo(3), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, flags.Split(' '));
    }
}
