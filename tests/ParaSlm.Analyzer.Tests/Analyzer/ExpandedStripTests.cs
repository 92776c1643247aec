using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Never slower than serial (issue 14, TSVC_2's s2102, s235, s2275): a loop that runs scalar-expanded itself and whose
/// constant trip count fits in one strip of the form is planned serial with the expanded form as its transform
/// (`scalar-expand(s,i)`), not as a parallel loop one thread runs in a region entered on every pass; a loop of 2 strips or
/// more keeps the parallel form, a loop whose expansion is not proven keeps its plan. The plan, the verifier, the text
/// (no directive, strips from the loop's start, `#line`), and the output on 4 threads and without OpenMP equal to the
/// serial program's with gcc and clang. Corpus: c/expanded_strips.c.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ExpandedStripTests : GenerationFixture
{
    private static string Corpus => File.ReadAllText(Path.Combine(ParaSlm.Analyzer.Tests.Corpus.CorpusFiles.RepositoryRoot, "tests", "corpus", "c", "expanded_strips.c"));

    // The fixture's lines: each function's column loop `i` and the narrow nest's reduction loop `j`.
    private const int Narrow = 23, NarrowInner = 26, Diagonal = 40, Wide = 56, Triangle = 73;

    private static string Program => "#include <stdio.h>\n" + Corpus + """

        volatile int sunk;
        void sink(void) { sunk++; }

        int main(void) {
            for (int j = 0; j < N; j++) for (int i = 0; i < N; i++) {
                na[j][i] = ((i * 7 + j * 3) % 19) / 7.0f; nb[j][i] = ((i + j * 5) % 23) / 11.0f - 1.0f;
                ta[j][i] = ((i * 3 + j) % 13) / 5.0f; da[j][i] = -1.0f;
            }
            for (int i = 0; i < N; i++) { nv[i] = i / 3.0f; tv[i] = i / 7.0f; }
            for (int j = 0; j < ROWS; j++) for (int i = 0; i < WIDE; i++) { wa[j][i] = ((i * 5 + j) % 17) / 3.0f; wb[j][i] = ((i + j * 11) % 29) / 13.0f; }
            for (int i = 0; i < WIDE; i++) wv[i] = (i % 7) / 5.0f;
            narrow(3);
            diagonal(2);
            wide(3);
            triangle(2);
            for (int i = 0; i < N; i++) printf("%a %a\n", nv[i], tv[i]);
            for (int j = 0; j < N; j += 3) for (int i = 0; i < N; i += 5) printf("%a\n", da[j][i]);
            for (int i = 0; i < WIDE; i += 7) printf("%a\n", wv[i]);
            return 0;
        }

        """;

    private (IReadOnlyList<LoopPlan> Plans, Dictionary<string, LoopFacts> ById, FileAnalysis Analysis) Planned()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("plans.c", Corpus));
        return (FilePlanner.AnalyzerPlan(analysis), analysis.Loops.ToDictionary(l => l.Id), analysis);
    }

    private static LoopPlan At(IReadOnlyList<LoopPlan> plans, int line) => plans.Single(p => p.Line == line);

    [Test]
    public void A_loop_expanded_in_one_strip_is_planned_serial_with_its_expanded_form_and_a_wider_one_stays_parallel()
    {
        var (plans, _, _) = Planned();
        Assert.Multiple(() =>
        {
            var narrow = At(plans, Narrow);
            Assert.That((narrow.IsParallel, narrow.Proposal.Transform, narrow.IsRewritten), Is.EqualTo((false, "scalar-expand(s,i)", true)), narrow.Reason);
            Assert.That(narrow.Reason, Does.Contain("its 256 iterations fit in one strip of 512").And.Contain("runs serially in its scalar-expanded form"));
            var diagonal = At(plans, Diagonal);
            Assert.That((diagonal.IsParallel, diagonal.Proposal.Transform), Is.EqualTo((false, "scalar-expand(i)")), diagonal.Reason);
            Assert.That(diagonal.Reason, Does.Contain("fit in one strip of 256"));
            var wide = At(plans, Wide);
            Assert.That((wide.IsParallel, wide.Proposal.ScalarExpansion, wide.Proposal.Transform), Is.EqualTo((true, true, (string?)null)), wide.Reason);
            var inner = At(plans, NarrowInner);
            Assert.That(inner.IsParallel, Is.False);
            Assert.That(inner.Reason, Does.StartWith($"inside the loop at line {Narrow}, which runs serially in its scalar-expanded form (scalar-expand(s,i))"));
        });
    }

    [Test]
    public void A_loop_whose_expansion_is_not_proven_keeps_its_plan_untouched()
    {
        var (plans, byId, _) = Planned();
        var triangle = At(plans, Triangle);
        Assert.That(byId[triangle.Id].ScalarExpansion, Is.Null, "the reduction's bound reads `i`");
        Assert.That((triangle.Proposal.Transform, triangle.Proposal.ScalarExpansion), Is.EqualTo(((string?)null, false)), triangle.Reason);
        Assert.That(triangle.Reason, Does.Not.Contain("scalar-expand"));
    }

    [Test]
    public void The_verifier_re_proves_the_serial_expanded_form_by_name_and_keeps_it_out_of_parallel_plans()
    {
        var (plans, byId, _) = Planned();
        var narrow = byId[At(plans, Narrow).Id];
        var triangle = byId[At(plans, Triangle).Id];
        var serial = PlanProposal.Sequential with { Transform = "scalar-expand(s,i)" };
        Assert.Multiple(() =>
        {
            var accepted = PlanVerifier.Verify(narrow, serial, byId, insideParallel: false);
            Assert.That((accepted.Kind, accepted.Plan.Parallel, accepted.Plan.Transform), Is.EqualTo((VerdictKind.Accepted, false, "scalar-expand(s,i)")));
            var misnamed = PlanVerifier.Verify(narrow, serial with { Transform = "scalar-expand(t,i)" }, byId, insideParallel: false);
            Assert.That((misnamed.Kind, misnamed.Plan.Transform, misnamed.Code), Is.EqualTo((VerdictKind.Rejected, (string?)null, PlanVerifier.WrongClauses)));
            Assert.That(misnamed.Reason, Does.Contain("the analyzer proves `scalar-expand(s,i)` for this loop, not `scalar-expand(t,i)`"));
            var unproven = PlanVerifier.Verify(triangle, serial, byId, insideParallel: false);
            Assert.That((unproven.Kind, unproven.Plan.Transform), Is.EqualTo((VerdictKind.Rejected, (string?)null)));
            var nested = PlanVerifier.Verify(narrow, serial, byId, insideParallel: true);
            Assert.That((nested.Kind, nested.Plan.Transform, nested.Code), Is.EqualTo((VerdictKind.Rejected, (string?)null, PlanVerifier.NestedParallel)));
            var parallel = PlanVerifier.Verify(narrow, new PlanProposal(true, ParallelTarget.CpuOpenMP, narrow.Private, [], []) { Transform = "scalar-expand(s,i)" }, byId, insideParallel: false);
            Assert.That((parallel.Plan.Parallel, parallel.Plan.Transform, parallel.Code), Is.EqualTo((true, (string?)null, PlanVerifier.WrongClauses)));
            Assert.That(parallel.Reason, Does.Contain("names the serial scalar-expanded form"));
        });
    }

    [Test]
    public void The_serial_form_has_no_directive_starts_its_strip_at_the_loop_start_and_maps_its_lines()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        // Program lines are the fixture's + 1 (the #include).
        Assert.Multiple(() =>
        {
            Assert.That(result.Outcomes.Count(o => o.Applied && o.Reason.Contains("scalar-expanded form, serial (no parallel region", StringComparison.Ordinal)), Is.EqualTo(2), text);
            Assert.That(text, Does.Contain("for (long long paraslm_x0_i = paraslm_xlo_i; paraslm_x0_i < paraslm_xhi_i; paraslm_x0_i += 512) {"), "the narrow nest: strips from its start");
            Assert.That(text, Does.Contain("for (long long paraslm_x0_i = paraslm_xlo_i; paraslm_x0_i < paraslm_xhi_i; paraslm_x0_i += 256) {"), "the diagonal nest");
            var serialPart = text[text.IndexOf("void narrow(", StringComparison.Ordinal)..text.IndexOf("void wide(", StringComparison.Ordinal)];
            Assert.That(serialPart, Does.Not.Contain("#pragma omp parallel").And.Contain("#pragma omp simd"), "the one-strip nests enter no region; their stride-1 loops keep the form's simd");
            Assert.That(text, Does.Contain("paraslm_xa_i < paraslm_xhi_i; paraslm_xa_i += 512) {"), "the wide nest keeps its shared, aligned strips");
            Assert.That(result.Outcomes.Count(o => o.Applied && o.Expansions.Count == 1), Is.EqualTo(3), "narrow, diagonal and wide; the triangle is not expanded");
            Assert.That(GenerationWorkspace.PresumedLine(text, "(paraslm_x_s[i - paraslm_x0_i]) += na[j][i] * nb[j][i];"), Is.EqualTo(NarrowInner + 2));
            Assert.That(GenerationWorkspace.PresumedLine(text, "nv[i] = (paraslm_x_s[i - paraslm_x0_i]) * 0.5f + nv[i];"), Is.EqualTo(NarrowInner + 3));
            Assert.That(GenerationWorkspace.PresumedLine(text, "da[i][i] = 1.0f;"), Is.EqualTo(Diagonal + 5));
        });
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_serial_expanded_form_prints_on_4_threads_exactly_what_the_serial_program_prints(string compiler) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + "_expanded_strips.c", Program, path => Ws.RewritePlannedLoops(path),
            result => Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.ExpandsSerially), Is.EqualTo(2), result.Text), "-O2");

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_serial_expanded_form_compiled_without_OpenMP_prints_what_the_serial_program_prints(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_no_openmp.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Edit.ExpandsSerially), Is.EqualTo(2), result.Text);
        var rewritten = Ws.WriteRewritten(path, result.Text);
        var serial = Path.Combine(Ws.Root, "serial_" + compiler + ".out");
        var copy = Path.Combine(Ws.Root, "copy_" + compiler + ".out");
        Assert.That(GenerationWorkspace.Run(cc, ["-std=c11", "-O2", path, "-o", serial]).ExitCode, Is.Zero);
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-O2", rewritten, "-o", copy]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        var expected = GenerationWorkspace.Run(serial, []);
        var actual = GenerationWorkspace.Run(copy, []);
        Assert.That((actual.ExitCode, actual.StdOut), Is.EqualTo((0, expected.StdOut)), result.Text);
    }
}
