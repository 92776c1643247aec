using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The row-column pipeline (issue 14): a distributed loop whose row groups (chains along `j`, `i` carrying nothing) and column
/// groups (`i` carrying only the same element of `j`) share no written base, and both read an array that moves with `j`, runs as
/// one pass over the rows — thread c owns strip c of `j` and runs each block of rows after strip c - 1 (a progress counter per strip, `omp atomic`). The fact and
/// its near misses, the plan and the verifier, the generated text with `#line`, and outputs bit-identical to serial (`%a`) on
/// 4 threads with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class RowColumnPipelineTests : GenerationFixture
{
    // tests/corpus/c/row_column.c: rowcol (pointer parameters: the run-time check; counters declared at the top; a start
    // statement before `j`), two_each (declared arrays, counters in their headers, `<=` and a non-zero start, two chains per
    // row (`+=` and `x = x - …`), two column statements), and the near misses; sizes that 4, 8 and the 64-row block do not divide.
    private static string Corpus => File.ReadAllText(Path.Combine(ParaSlm.Analyzer.Tests.Corpus.CorpusFiles.RepositoryRoot, "tests", "corpus", "c", "row_column.c"));

    // The corpus file with a main that fills the inputs and prints every result in hexadecimal.
    private static string Program => Corpus + """

        #include <stdio.h>
        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) { A[i][j] = ((i * 7 + j * 13) % 23) / 7.0 - 1.3; B[i][j] = ((i * 5 + j * 3) % 19) / 6.0 - 1.4; }
            for (int i = 0; i < N; i++) r[i] = (i % 11) / 3.0 - 1.1;
            for (int j = 0; j < M; j++) { p[j] = (j % 7) / 5.0 - 0.6; z[j] = j / 9.0; t[j] = 1.0 / (j + 1); }
            rowcol(N, M, A, s, q, p, r);
            two_each();
            for (int i = 0; i < N; i++) printf("%a %a\n", q[i], w[i]);
            for (int j = 0; j < M; j++) printf("%a %a %a\n", s[j], z[j], t[j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    [Test]
    public void Row_chains_and_column_sums_over_one_swept_matrix_are_proven_as_a_pipeline()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var byLine = analysis.Loops.Where(l => l.Distribution?.Pipeline is not null).ToDictionary(l => l.Line, l => l.Distribution!.Pipeline!);
        Assert.That(byLine.Keys, Is.EquivalentTo(new[] { 12, 24 }), "rowcol's i and two_each's i");

        var rowcol = byLine[12];
        Assert.That((rowcol.Name, rowcol.Counter, rowcol.CounterType, rowcol.Low, rowcol.End), Is.EqualTo(("pipeline(i,j)", "i", "int", "0", "n")));
        Assert.That((rowcol.Inner, rowcol.InnerLow, rowcol.InnerEnd, rowcol.Align, rowcol.FloatingPoint), Is.EqualTo(("j", "0", "m", 8, true)));
        Assert.That(rowcol.Pre.Select(c => c.Single().Code), Is.EqualTo(new[] { "qv[(paraslm_p_i + 0)] = 0.0;", "qv[(paraslm_p_i + 1)] = 0.0;", "qv[(paraslm_p_i + 2)] = 0.0;", "qv[(paraslm_p_i + 3)] = 0.0;" }));
        Assert.That(rowcol.Rows.Elements, Is.EqualTo(new[] { "qv[i]" }));
        Assert.That(rowcol.Rows.Body[2].Single().Code, Is.EqualTo("paraslm_acc_i2_0 = paraslm_acc_i2_0 + a[(paraslm_p_i + 2)][j] * pv[j];"));
        Assert.That(rowcol.Columns[1].Single().Code, Is.EqualTo("sv[j] = sv[j] + rv[(paraslm_p_i + 1)] * a[(paraslm_p_i + 1)][j];"));
        Assert.That(rowcol.Evidence, Does.Contain("`a[i][j]` is read by both groups"));

        var two = byLine[24];
        Assert.That((two.Low, two.End, two.InnerLow, two.InnerEnd), Is.EqualTo(("1", "(N - 1) + 1", "2", "M")));
        Assert.That(two.Rows.Elements, Is.EquivalentTo(new[] { "q[i]", "w[i]" }), "two chains per row, each in its accumulators");
        Assert.That(two.Columns[0].Select(l => l.Code), Is.EqualTo(new[] { "z[j] = z[j] * 0.75 + A[(paraslm_p_i + 0)][j];", "t[j] -= A[(paraslm_p_i + 0)][j] * r[(paraslm_p_i + 0)];" }),
            "the column statements in their order");

        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Where(p => p.Proposal.Transform == "pipeline(i,j)").Select(p => p.Line), Is.EquivalentTo(new[] { 12, 24 }));
        Assert.That(plans.Single(p => p.Line == 12).Reason, Does.Contain("one pass over the rows instead of two"));
    }

    [TestCase("start_read_by_a_column", "reaches a base another group writes", TestName = "A_start_value_that_a_column_statement_reads_keeps_the_distributed_form")]
    [TestCase("third_statement_writes_the_matrix", "reaches a base another group writes", TestName = "A_third_statement_writing_the_swept_matrix_keeps_the_distributed_form")]
    [TestCase("no_shared_sweep", "cost: no array that both groups read moves with the inner loop", TestName = "Groups_sweeping_different_matrices_keep_the_distributed_form_by_the_cost_rule")]
    [TestCase("statement_after_the_inner_loop", "a statement follows the inner loop", TestName = "A_statement_after_the_inner_loop_keeps_the_distributed_form")]
    [TestCase("row_element_not_a_chain", "not chains on elements it alone names", TestName = "A_row_statement_writing_an_element_of_the_inner_loop_is_not_pipelined")]
    public void Near_misses_keep_the_distributed_form_with_a_named_reason(string function, string reason)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("near.c", Corpus));
        var outer = analysis.Loops.Single(l => l.Function == function && l.Depth == 1);
        Assert.That(outer.Distribution, Is.Not.Null, outer.DistributionBlocker);
        Assert.That(outer.Distribution!.Pipeline, Is.Null);
        Assert.That(outer.Distribution.PipelineBlocker, Does.Contain(reason));
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == outer.Id);
        Assert.That(plan.Proposal.Transform, Does.Not.StartWith(RowColumnPipeline.TransformName));
    }

    [Test]
    public void A_non_affine_column_subscript_is_neither_distributed_nor_pipelined()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("nonaffine.c", Corpus));
        var outer = analysis.Loops.Single(l => l.Function == "non_affine_column" && l.Depth == 1);
        Assert.That(outer.Distribution, Is.Null);
        Assert.That(FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == outer.Id).Proposal.Transform, Is.Null);
    }

    [Test]
    public void The_verifier_drops_a_pipeline_the_facts_do_not_prove()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var rowcol = analysis.Loops.Single(l => l.Line == 12);
        var proposal = new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = "pipeline(i,j)" };
        var ok = PlanVerifier.Verify(rowcol, proposal, byId, insideParallel: false);
        Assert.That((ok.Kind, ok.Plan.Transform), Is.EqualTo((VerdictKind.Accepted, "pipeline(i,j)")));
        // The groups one after another stay available to a plan that names them.
        Assert.That(PlanVerifier.Verify(rowcol, proposal with { Transform = "distribute(i:p,w)" }, byId, insideParallel: false).Kind, Is.EqualTo(VerdictKind.Accepted));

        var swapped = PlanVerifier.Verify(rowcol, proposal with { Transform = "pipeline(j,i)" }, byId, insideParallel: false);
        Assert.That((swapped.Plan.Parallel, swapped.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(swapped.Reason, Does.Contain("proves `pipeline(i,j)`"));

        var other = Ws.Analyze(Ws.WriteSource("verify_near.c", Corpus));
        var forged = other.Loops.Single(l => l.Function == "third_statement_writes_the_matrix" && l.Depth == 1);
        var unproven = PlanVerifier.Verify(forged, proposal, other.Loops.ToDictionary(l => l.Id), insideParallel: false);
        Assert.That((unproven.Plan.Parallel, unproven.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(unproven.Reason, Does.Contain("did not prove that this loop may run as one pass over its rows"));

        Assert.That(PlanVerifier.Verify(rowcol, proposal, byId, insideParallel: true).Code, Is.EqualTo(PlanVerifier.NestedParallel));
        Assert.That(PlanVerifier.Verify(rowcol, proposal with { Target = ParallelTarget.GpuOpenMPOffload }, byId, insideParallel: false).Plan.Parallel, Is.False);
        // A model that plans the serial loop parallel gets the proven form.
        var (chosen, _) = LocalityChooser.Choose(new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []), "model", rowcol);
        Assert.That(chosen.Transform, Is.EqualTo("pipeline(i,j)"));
    }

    [Test]
    public void The_generated_text_pipelines_strips_with_progress_counters_under_the_floating_point_gate_and_maps_every_statement_to_its_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.Distributed?.Pipeline is not null), Is.EqualTo(2), text);
        var rowcol = text[text.IndexOf("/* ParaSlm pipeline(i,j)", StringComparison.Ordinal)..];
        rowcol = rowcol[..rowcol.IndexOf("} else {", StringComparison.Ordinal)];
        // Generated lines that map to one original line share a physical line (every original line keeps its number).
        foreach (var piece in new[]
                 {
                     "#pragma omp parallel private(i, j)", "#pragma omp for schedule(static)", "long long paraslm_p_done[8 * 64] = {0};",
                     "#pragma omp atomic read seq_cst", "paraslm_p_seen = paraslm_p_done[8 * (paraslm_p_c - 1)];", "if (paraslm_p_seen > paraslm_p_b) break;",
                     "#pragma omp atomic write seq_cst", "paraslm_p_done[8 * paraslm_p_c] = paraslm_p_b + 1;", "double paraslm_acc_i3_0 = qv[(paraslm_p_i + 3)];", "qv[(paraslm_p_i + 3)] = paraslm_acc_i3_0;",
                     "for (int j = (int)paraslm_p_s0; (long long)j < paraslm_p_s1; j++) {", "paraslm_p_t++;",
                 })
            Assert.That(rowcol, Does.Contain(piece));
        Assert.That(rowcol.IndexOf("if (paraslm_p_c == 0) {", StringComparison.Ordinal), Is.LessThan(rowcol.IndexOf("double paraslm_acc_i0_0 = qv[(paraslm_p_i + 0)];", StringComparison.Ordinal)),
            "the start statements run before the chains, in the first strip only");
        Assert.That(text, Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION && ((qv + n <= sv || sv + m <= qv)"),
            "the floating-point gate and the overlap check version the region");
        Assert.That(GenerationWorkspace.PresumedLine(text, "paraslm_acc_i1_0 = paraslm_acc_i1_0 + a[(paraslm_p_i + 1)][j] * pv[j];"), Is.EqualTo(17));
        Assert.That(GenerationWorkspace.PresumedLine(text, "sv[j] = sv[j] + rv[(paraslm_p_i + 2)] * a[(paraslm_p_i + 2)][j];"), Is.EqualTo(16));
        Assert.That(GenerationWorkspace.PresumedLine(text, "t[j] -= A[(paraslm_p_i + 0)][j] * r[(paraslm_p_i + 0)];"), Is.EqualTo(31));
        var printLine = Array.FindIndex(Program.Split('\n'), l => l.Contains("printf(\"line %d", StringComparison.Ordinal)) + 1;
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(printLine), "every line after the loops keeps its number");
        Assert.That(result.Outcomes.Single(o => o.Edit.Line == 12).Reason, Does.Contain("replaced the loop by its row-column pipeline (pipeline(i,j))"));
    }

    [TestCase("gcc", "-O2")]
    [TestCase("clang-19", "-O2")]
    [TestCase("gcc", "-O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-O3 -march=x86-64-v3")]
    [TestCase("gcc", "-O3 -std=gnu11 -march=znver3")]
    public void The_pipelined_loops_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string flags)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_" + flags.Replace(" ", "_").Replace("-", "").Replace("=", "") + "_pipe.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.Distributed?.Pipeline is not null), Is.EqualTo(2), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, [.. flags.Split(' '), "-Wall", "-Wextra", "-Werror"]);
    }

    [TestCase("g++")]
    [TestCase("clang++-19")]
    public void The_pipelined_loops_compiled_as_cpp_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler.Replace("+", "p") + "_pipe.cpp", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false, extraArguments: ["-std=c++17"]);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.Distributed?.Pipeline is not null), Is.EqualTo(2), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c++17", path, result, "-O2", "-Wall", "-Wextra", "-Werror");
    }
}
