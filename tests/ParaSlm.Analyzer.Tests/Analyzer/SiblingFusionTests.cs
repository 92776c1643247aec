using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Fusion of sibling nests (issue 14): two adjacent nests over the same iterations, the first a row chain per `i`, the second a
/// column sum (as written, or transposed: its loops interchanged), both sweeping one matrix, run fused as one row-column
/// pipeline. The fact and its near misses, the plan (the second nest gives up its own), the verifier, the edit spanning both
/// statements with `#line`, and outputs bit-identical to serial (`%a`) on 4 threads with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class SiblingFusionTests : GenerationFixture
{
    // tests/corpus/c/sibling_nests.c: mvt_like (mvt's two nests, counters declared at the top), mvt_params (pointer parameters:
    // the overlap check over both nests; other counter names in the second nest), column_as_written (the second nest already a
    // column sum: fused without interchange; `<=` and a non-zero start), gemver_like and the near misses.
    private static string Corpus => File.ReadAllText(Path.Combine(ParaSlm.Analyzer.Tests.Corpus.CorpusFiles.RepositoryRoot, "tests", "corpus", "c", "sibling_nests.c"));

    private static int LineOf(string text, string function, int nth)
    {
        var lines = text.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("void " + function + "(", StringComparison.Ordinal));
        var seen = 0;
        for (var n = start + 1; n < lines.Length; n++)
        {
            var t = lines[n].TrimStart();
            if (t.StartsWith("for (", StringComparison.Ordinal) && lines[n].Length - t.Length == 4 && ++seen == nth) return n + 1;
        }
        throw new InvalidOperationException(function);
    }

    // The line of a statement's first occurrence in the program (mvt_like's).
    private static int StatementLine(string statement) => Array.FindIndex(Program.Split('\n'), l => l.Contains(statement, StringComparison.Ordinal)) + 1;

    // The corpus file with a main that fills the inputs, runs the fused kernels and prints every result in hexadecimal.
    private static string Program => Corpus + """

        #include <stdio.h>
        static double p1[N], p2[N], pm[N][N];
        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { A[i][j] = ((i * 7 + j * 13) % 23) / 7.0 - 1.3; B[i][j] = ((i * 5 + j * 3) % 19) / 6.0 - 1.4; pm[i][j] = ((i * 3 + j * 11) % 17) / 4.0 - 2.1; }
            for (int i = 0; i < N; i++) { x1[i] = i / 3.0; x2[i] = 1.0 / (i + 1); y1v[i] = (i % 11) / 3.0 - 1.1; y2v[i] = (i % 7) / 5.0 - 0.6; u[i] = i * 0.25; v[i] = (i % 5) * 0.125; p1[i] = i / 7.0; p2[i] = (i % 3) - 0.75; }
            mvt_like();
            gemver_like();
            mvt_params(N - 5, p1, p2, y1v, y2v, pm);
            column_as_written();
            for (int i = 0; i < N; i++) printf("%a %a %a %a %a %a\n", x1[i], x2[i], p1[i], p2[i], u[i], v[i]);
            for (int i = 0; i < N; i++) printf("%a %a\n", B[i][i], B[i][(i * 7) % N]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    [Test]
    public void A_row_nest_and_a_transposed_column_nest_over_one_matrix_are_proven_fused_as_a_pipeline()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var fused = analysis.Loops.Where(l => l.Fusion is not null).ToDictionary(l => l.Function!, l => l.Fusion!);
        Assert.That(fused.Keys, Is.EquivalentTo(new[] { "mvt_like", "mvt_params", "column_as_written", "gemver_like" }),
            string.Join("\n", analysis.Loops.Where(l => l.FusionBlocker is not null).Select(l => $"{l.Function}: {l.FusionBlocker}")));

        var mvt = fused["mvt_like"];
        Assert.That((mvt.Name, mvt.Transposed, mvt.SecondLine), Is.EqualTo(("fuse(next^T)+pipeline(i,j)", true, LineOf(Corpus, "mvt_like", 2))));
        Assert.That(mvt.Pipeline!.Rows.Elements, Is.EqualTo(new[] { "x1[i]" }));
        Assert.That(mvt.Pipeline!.Rows.Body[1].Single().Code, Is.EqualTo("paraslm_acc_i1_0 = paraslm_acc_i1_0 + A[(paraslm_p_i + 1)][j] * y1v[j];"));
        // The second nest interchanged: its `i` walks the fused `j`, its `j` the rows.
        Assert.That(mvt.Pipeline!.Columns[2].Single().Code, Is.EqualTo("x2[j] = x2[j] + A[(paraslm_p_i + 2)][j] * y2v[(paraslm_p_i + 2)];"));
        Assert.That(mvt.Pipeline!.Pre.All(p => p.Count == 0));
        Assert.That(mvt.OverlapCheck, Is.Null, "declared arrays need no run-time check");
        Assert.That(mvt.Evidence, Does.Contain("interchanged").And.Contain("`A[i][j]` is read once instead of twice"));

        var param = fused["mvt_params"];
        Assert.That(param.Pipeline!.Columns[0].Single().Code, Is.EqualTo("a2[j] += m[(paraslm_p_i + 0)][j] * b2[(paraslm_p_i + 0)];"));
        Assert.That(param.OverlapCheck, Does.Contain("a1 + n <= a2 || a2 + n <= a1"), "the check separates the bases of the two nests");

        var direct = fused["column_as_written"];
        Assert.That((direct.Name, direct.Transposed), Is.EqualTo(("fuse(next)+pipeline(i,j)", false)));
        Assert.That((direct.Pipeline!.Low, direct.Pipeline!.End), Is.EqualTo(("1", "(N - 1) + 1")));
        Assert.That(direct.Pipeline!.Columns[3].Single().Code, Is.EqualTo("v[j] = v[j] + B[(paraslm_p_i + 3)][j] * y2v[(paraslm_p_i + 3)];"));

        // gemver's first two nests: an element-wise update, then a column product reading it at the same element: column strips.
        var gemver = fused["gemver_like"];
        Assert.That((gemver.Name, gemver.Pipeline, gemver.Strips!.Align), Is.EqualTo(("fuse(next^T)+strips(j)", (RowColumnPipeline?)null, 8)));
        Assert.That(gemver.Strips.Body.Select(b => b.Code), Is.EqualTo(new[] { "B[paraslm_p_i][j] = B[paraslm_p_i][j] + u[paraslm_p_i] * v[j];", "x2[j] = x2[j] + 0.5 * B[paraslm_p_i][j] * y2v[paraslm_p_i];" }));
        Assert.That(gemver.Evidence, Does.Contain("reads `B[j][i]` only at the element the same fused iteration wrote"));

        // The plan: the first nest names the fusion, the second gives up its own.
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var first = plans.Single(p => p.Line == LineOf(Corpus, "mvt_like", 1));
        Assert.That(first.Proposal.Transform, Is.EqualTo("fuse(next^T)+pipeline(i,j)"));
        var second = plans.Single(p => p.Line == LineOf(Corpus, "mvt_like", 2));
        Assert.That((second.IsParallel, second.Proposal.Transform), Is.EqualTo((false, (string?)null)));
        Assert.That(second.Reason, Does.Contain($"fused into the loop at line {first.Line}"));
    }

    [TestCase("reads_another_element", "which the first nest writes", TestName = "A_second_nest_reading_another_element_of_the_matrix_the_first_writes_is_not_fused")]
    [TestCase("reads_a_later_row", "which the first nest writes: fused, an instance of the second nest could run before", TestName = "A_second_nest_reading_what_the_first_writes_at_a_later_row_is_fusion_preventing")]
    [TestCase("different_bounds", "the nests run different iterations", TestName = "Nests_over_different_bounds_are_not_fused")]
    [TestCase("statement_between", "sits between this nest and the nest at line", TestName = "A_statement_between_the_nests_keeps_them_apart")]
    [TestCase("call_in_body", "calls a function", TestName = "A_call_in_a_nest_keeps_them_apart")]
    [TestCase("interchange_not_proven", "interchanging the second nest is not proven legal", TestName = "A_second_nest_whose_interchange_is_not_proven_is_not_fused")]
    public void Near_misses_are_named_and_each_nest_keeps_its_own_plan(string function, string reason)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("near.c", Corpus));
        var first = analysis.Loops.Single(l => l.Function == function && l.Depth == 1 && l.Line == LineOf(Corpus, function, 1));
        Assert.That(first.Fusion, Is.Null);
        Assert.That(first.FusionBlocker, Does.Contain(reason));
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Single(p => p.Id == first.Id).Proposal.Transform ?? string.Empty, Does.Not.StartWith(SiblingFusion.TransformName));
        Assert.That(plans.Single(p => p.Line == LineOf(Corpus, function, 2)).Reason, Does.Not.Contain("fused into"));
    }

    [Test]
    public void The_verifier_drops_a_fusion_the_facts_do_not_prove()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("verify.c", Corpus));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var mvt = analysis.Loops.Single(l => l.Line == LineOf(Corpus, "mvt_like", 1));
        var proposal = new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { Transform = "fuse(next^T)+pipeline(i,j)" };
        var ok = PlanVerifier.Verify(mvt, proposal, byId, insideParallel: false);
        Assert.That((ok.Kind, ok.Plan.Transform), Is.EqualTo((VerdictKind.Accepted, "fuse(next^T)+pipeline(i,j)")));

        // A model's or a cache's name the facts do not prove: the other order, or a nest with no fusion.
        var wrong = PlanVerifier.Verify(mvt, proposal with { Transform = "fuse(next)+pipeline(i,j)" }, byId, insideParallel: false);
        Assert.That((wrong.Plan.Parallel, wrong.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(wrong.Reason, Does.Contain("proves `fuse(next^T)+pipeline(i,j)`"));
        var later = analysis.Loops.Single(l => l.Line == LineOf(Corpus, "reads_a_later_row", 1));
        var forged = PlanVerifier.Verify(later, proposal, byId, insideParallel: false);
        Assert.That((forged.Plan.Parallel, forged.Code), Is.EqualTo((false, PlanVerifier.WrongClauses)));
        Assert.That(forged.Reason, Does.Contain("did not prove that this nest and the next may run fused"));
        Assert.That(PlanVerifier.Verify(mvt, proposal, byId, insideParallel: true).Code, Is.EqualTo(PlanVerifier.NestedParallel));

        // A model (or cached plan) that makes the first nest parallel gets the proven fused form.
        var (chosen, _) = LocalityChooser.Choose(new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []), "model", mvt);
        Assert.That(chosen.Transform, Is.EqualTo("fuse(next^T)+pipeline(i,j)"));
    }

    [Test]
    public void The_edit_replaces_both_nests_by_the_pipeline_under_the_gate_with_the_nests_as_written_otherwise_and_maps_every_statement_to_its_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.Fused is not null), Is.EqualTo(4), text);
        var mvtLine = LineOf(Program, "mvt_like", 1);
        var secondLine = LineOf(Program, "mvt_like", 2);
        var mvt = text[text.IndexOf("/* ParaSlm pipeline(i,j)", StringComparison.Ordinal)..];
        var elseAt = mvt.IndexOf("} else {", StringComparison.Ordinal);
        var original = mvt[elseAt..];
        mvt = mvt[..elseAt];
        foreach (var piece in new[] { "#pragma omp parallel", "#pragma omp for schedule(static)", "#pragma omp atomic read seq_cst", "double paraslm_acc_i0_0 = x1[(paraslm_p_i + 0)];",
                     "x2[j] = x2[j] + A[(paraslm_p_i + 3)][j] * y2v[(paraslm_p_i + 3)];" })
            Assert.That(mvt, Does.Contain(piece));
        // The else branch: both nests as written, in their order.
        var firstAsWritten = original.IndexOf("x1[i] = x1[i] + A[i][j] * y1v[j];", StringComparison.Ordinal);
        var secondAsWritten = original.IndexOf("x2[i] = x2[i] + A[j][i] * y2v[j];", StringComparison.Ordinal);
        Assert.That(firstAsWritten, Is.GreaterThan(0));
        Assert.That(secondAsWritten, Is.GreaterThan(firstAsWritten));
        Assert.That(text, Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION"));
        var strips = text[text.IndexOf("/* ParaSlm strips(j)", StringComparison.Ordinal)..];
        strips = strips[..strips.IndexOf("} else {", StringComparison.Ordinal)];
        Assert.That(strips, Does.Contain("for (int paraslm_p_i = (int)paraslm_p_lo; (long long)paraslm_p_i < paraslm_p_hi; paraslm_p_i++)")
            .And.Contain("#pragma omp simd\n").And.Contain("for (int j = (int)paraslm_p_s0; j < (int)paraslm_p_s1; j++) {")
            .And.Contain("x2[j] = x2[j] + 0.5 * B[paraslm_p_i][j] * y2v[paraslm_p_i];").And.Not.Contain("atomic read"), "column strips need no waits");
        Assert.That(text, Does.Contain("a1 + n <= a2 || a2 + n <= a1"), "the overlap check of mvt_params versions its region");
        Assert.That(GenerationWorkspace.PresumedLine(text, "x2[j] = x2[j] + A[(paraslm_p_i + 1)][j] * y2v[(paraslm_p_i + 1)];"), Is.EqualTo(StatementLine("x2[i] = x2[i] + A[j][i] * y2v[j];")));
        Assert.That(GenerationWorkspace.PresumedLine(text, "paraslm_acc_i1_0 = paraslm_acc_i1_0 + A[(paraslm_p_i + 1)][j] * y1v[j];"), Is.EqualTo(StatementLine("x1[i] = x1[i] + A[i][j] * y1v[j];")));
        Assert.That(GenerationWorkspace.PresumedLine(text, "x2[i] = x2[i] + A[j][i] * y2v[j];"), Is.EqualTo(StatementLine("x2[i] = x2[i] + A[j][i] * y2v[j];")), "the nest as written keeps its line");
        var printLine = Array.FindIndex(Program.Split('\n'), l => l.Contains("printf(\"line %d", StringComparison.Ordinal)) + 1;
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(printLine), "every line after the nests keeps its number");
        Assert.That(result.Outcomes.Single(o => o.Edit.Line == mvtLine).Reason, Does.Contain($"replaced this nest and the nest at line {secondLine} by one row-column pipeline"));
    }

    // The `else` branch of a fused edit, from its `} else {` to the end of the text (the nests' own forms come first in it).
    private static string ElseBranch(string text, string form)
    {
        var fused = text[text.IndexOf($"/* ParaSlm {form}", StringComparison.Ordinal)..];
        return fused[fused.IndexOf("} else {", StringComparison.Ordinal)..];
    }

    [Test]
    public void Where_gcc_in_a_GNU_mode_with_FMA_turns_the_gate_off_each_nest_runs_its_own_parallel_plan_and_prints_what_serial_prints()
    {
        // gcc -std=gnu11 -march=x86-64-v3: FMA and no __STRICT_ANSI__, so PARASLM_SAME_CONTRACTION is 0 and the fused form's branch is
        // dead; before, the else branch ran both nests as written, and mvt's first nest, parallel alone, ran serially.
        var cc = GenerationWorkspace.RequireTool("gcc");
        string[] flags = ["-O3", "-march=x86-64-v3", "-Wall", "-Wextra", "-Werror"];
        var path = Ws.WriteSource("gnu_fma_fuse.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        var text = result.Text;
        var macros = GenerationWorkspace.Run(cc, ["-std=gnu11", .. flags, "-fopenmp", "-dM", "-E", Ws.WriteRewritten(path, text)]);
        Assert.That(macros.StdOut, Does.Contain("#define PARASLM_SAME_CONTRACTION 0"), "the gate is off under these flags");

        // mvt_like: the first nest's own plan (parallel `i`, its chains unrolled and jammed where the gate allows, as written
        // otherwise) in the else branch, then the second nest as written, each at its own line. The second nest alone is planned
        // serial: interchanged, its 203 x 203 iterations run in vector lanes over cache-resident arrays, less work than a region
        // costs (its braced form's plan; the comment between its headers no longer hides the interchange, CommentedNestTests).
        // A second nest whose own plan is parallel: SiblingFusionEngineTests.
        var mvt = ElseBranch(text, "pipeline(i,j)");
        var firstOwn = mvt.IndexOf("#pragma omp parallel for", StringComparison.Ordinal);
        var firstAsWritten = mvt.IndexOf("x1[i] = x1[i] + A[i][j] * y1v[j];", StringComparison.Ordinal);
        var secondAsWritten = mvt.IndexOf("x2[i] = x2[i] + A[j][i] * y2v[j];", StringComparison.Ordinal);
        Assert.That(firstOwn, Is.GreaterThan(0).And.LessThan(firstAsWritten), mvt);
        Assert.That(mvt[firstAsWritten..secondAsWritten], Does.Not.Contain("#pragma omp"), "the second nest runs as written");
        var firstLine = LineOf(Program, "mvt_like", 1);
        var outcome = result.Outcomes.Single(o => o.Edit.Line == firstLine);
        Assert.That(outcome.Fallbacks.Select(f => (f.Applied, f.Edit.Line)), Is.EqualTo(new[] { (true, firstLine) }));
        Assert.That(outcome.Reason, Does.Contain("each nest runs under its own plan"));
        Assert.That(GenerationWorkspace.PresumedLine(mvt, "x2[i] = x2[i] + A[j][i] * y2v[j];") - GenerationWorkspace.PresumedLine(mvt, "x1[i] = x1[i] + A[i][j] * y1v[j];"),
            Is.EqualTo(StatementLine("x2[i] = x2[i] + A[j][i] * y2v[j];") - StatementLine("x1[i] = x1[i] + A[i][j] * y1v[j];")), "the nests keep their lines");

        // gemver_like: the element-wise nest parallel on its own, then the column product as written (serial alone, as mvt's).
        var gemver = ElseBranch(text, "strips(j)");
        var update = gemver.IndexOf("B[i][j] = B[i][j] + u[i] * v[j];", StringComparison.Ordinal);
        Assert.That(gemver[..update], Does.Contain("#pragma omp parallel for"), gemver);
        Assert.That(gemver[update..gemver.IndexOf("x2[i] = x2[i] + 0.5 * B[j][i] * y2v[j];", StringComparison.Ordinal)], Does.Not.Contain("#pragma omp"));

        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=gnu11", path, result, flags);
    }

    [TestCase("gcc", "-O2")]
    [TestCase("clang-19", "-O2")]
    [TestCase("gcc", "-O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-O3 -march=x86-64-v3")]
    public void The_fused_nests_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string flags)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_" + flags.Replace(" ", "_").Replace("-", "").Replace("=", "") + "_fuse.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.Fused is not null), Is.EqualTo(4), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, [.. flags.Split(' '), "-Wall", "-Wextra", "-Werror"]);
    }
}
