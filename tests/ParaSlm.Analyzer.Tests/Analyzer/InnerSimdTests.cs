using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The nest's second edit (issue 14): `#pragma omp simd` on the stride-1 innermost loop of a nest parallelized at an
/// outer loop, only where the inner loop's own facts prove it (no dependence at its level, no call, no gather, enough
/// iterations, a floating-point sum only with reassociation); the verifier, the generated text in both versions of a
/// versioned nest, and 4-thread runs against serial with gcc and clang, C and C++.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class InnerSimdTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>

        enum { N = 300, M = 257 };
        static double a[N][M], b[N][M], c[N][M];
        static double q[4][64][M];
        static int ia[N][M], idx[M];

        static void stencil(void) {
            for (int i = 1; i < N - 1; i++)
                for (int j = 1; j < M - 1; j++)
                    b[i][j] = 0.25 * (a[i - 1][j] + a[i + 1][j] + a[i][j - 1] + a[i][j + 1]);
        }

        static void carried(void) {
            for (int i = 0; i < N; i++)
                for (int j = 1; j < M; j++)
                    c[i][j] = c[i][j - 1] + a[i][j];
        }

        static double twice(double v) { return v * 2.0; }

        static void called(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < M; j++)
                    c[i][j] += twice(a[i][j]);
        }

        static void gather(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < M; j++)
                    c[i][j] += a[i][idx[j]] + a[i][j / 2];
        }

        static void rowsum(double *out) {
            for (int i = 0; i < N; i++) {
                double s = 0;
                for (int j = 0; j < M; j++)
                    s += a[i][j] * b[i][j];
                out[i] = s;
            }
        }

        static void introw(long *out) {
            for (int i = 0; i < N; i++) {
                long s = 0;
                for (int j = 0; j < M; j++)
                    s += (long)ia[i][j] * (j + 1);
                out[i] = s;
            }
        }

        static void tiny(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < 3; j++)
                    ia[i][j] += j;
        }

        static void planes(void) {
            for (int p = 0; p < 4; p++)
                for (int i = 0; i < 64; i++)
                    for (int j = 0; j < M; j++)
                        q[p][i][j] = a[i][j] * (p + 1);
        }

        static void unrolled(void) {
            for (int i = 0; i < N; i++)
        #pragma GCC ivdep
                for (int j = 0; j < M; j++)
                    c[i][j] += 1.0;
        }

        static void scaled(int n, int m, double f) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) c[i][j] = f * a[i][j] + b[i][j];
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < M; j++) { a[i][j] = (i * 7 + j * 3) % 11 * 0.5; b[i][j] = (i + j) % 5; ia[i][j] = (i * 31 + j) % 97 - 40; }
            for (int j = 0; j < M; j++) idx[j] = (j * 13) % M;
            double out[N]; long lout[N];
            stencil(); carried(); called(); gather(); rowsum(out); introw(lout); tiny(); planes(); unrolled();
            scaled(N, M, 1.5); scaled(2, 2, 0.5);
            double h = 0; long l = 0;
            for (int i = 0; i < N; i++) { h += out[i]; l += lout[i]; for (int j = 0; j < M; j++) h += b[i][j] + c[i][j] * 0.125 + ia[i][j] + q[i % 4][i % 64][j]; }
            printf("%.17g %ld\n", h, l);
            return 0;
        }

        """;

    /// <summary>1-based line of the first line of <see cref="Program"/> containing <paramref name="text"/>.</summary>
    private static int LineOf(string text) => Program.Split('\n').Select((l, k) => (l, k)).First(x => x.l.Contains(text, StringComparison.Ordinal)).k + 1;

    private (FileAnalysis Analysis, Dictionary<string, LoopFacts> ById) Analyze(string name)
    {
        var analysis = Ws.Analyze(Ws.WriteSource(name, Program));
        return (analysis, analysis.Loops.ToDictionary(l => l.Id));
    }

    private static LoopFacts Outer(FileAnalysis analysis, string function) => analysis.Loops.First(l => l.Function == function && l.ParentId is null);

    [Test]
    public void Only_inner_loops_without_a_carried_dependence_call_gather_or_few_iterations_get_omp_simd()
    {
        var (analysis, byId) = Analyze("sites.c");
        IReadOnlyList<SimdSite> Sites(string f, bool reassociate = true) => InnerSimd.Sites(Outer(analysis, f), 1, byId, reassociate);
        Assert.That(Sites("stencil").Select(s => (s.Line, s.Directive)), Is.EqualTo(new[] { (LineOf("for (int j = 1; j < M - 1; j++)"), "omp simd") }));
        Assert.That(Sites("carried"), Is.Empty, "c[i][j - 1] is written by the previous j iteration");
        Assert.That(Sites("called"), Is.Empty, "a call in the inner loop");
        Assert.That(Sites("gather"), Is.Empty, "a[i][idx[j]] and a[i][j / 2] are gathers, not lane loads");
        Assert.That(Sites("tiny"), Is.Empty, "3 iterations fill no vector");
        Assert.That(Sites("introw").Single().Directive, Is.EqualTo("omp simd reduction(+:s)"), "an integer sum is exact in any order");
        Assert.That(Sites("rowsum").Single().Directive, Is.EqualTo("omp simd reduction(+:s)"));
        Assert.That(Sites("rowsum").Single().FloatingPointReduction, Is.True);
        Assert.That(Sites("rowsum", reassociate: false), Is.Empty, "a floating-point sum in lanes adds in another order");
        Assert.That(Sites("planes").Select(s => s.Line), Is.EqualTo(new[] { LineOf("q[p][i][j] = ") - 1 }));
        Assert.That(InnerSimd.Sites(Outer(analysis, "planes"), 3, byId, true), Is.Empty, "collapse(3) folds the j loop into the parallel one");
        Assert.That(InnerSimd.Sites(Outer(analysis, "planes"), 2, byId, true).Select(s => s.Line), Is.EqualTo(new[] { LineOf("q[p][i][j] = ") - 1 }));
    }

    [Test]
    public void The_planner_asks_for_inner_simd_and_the_verifier_drops_it_where_no_inner_loop_is_proven()
    {
        var (analysis, byId) = Analyze("plan.c");
        var plans = FilePlanner.AnalyzerPlan(analysis);
        bool Inner(string f) => plans.Single(p => p.Id == Outer(analysis, f).Id).Proposal.InnerSimd;
        Assert.That(Inner("stencil"), Is.True);
        Assert.That(Inner("rowsum"), Is.True, "the facts prove it; ParaSlmFloatReassociation is applied when the edit is made");
        Assert.That(Inner("carried"), Is.False);
        Assert.That(Inner("gather"), Is.False);
        var planes = plans.Single(p => p.Id == Outer(analysis, "planes").Id).Proposal;
        Assert.That((planes.Collapse, planes.InnerSimd), Is.EqualTo((2, true)), "4 planes collapse with the rows; the j loop stays the vector loop");

        var carried = Outer(analysis, "carried");
        var verdict = PlanVerifier.Verify(carried, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { InnerSimd = true }, byId, insideParallel: false);
        Assert.That(verdict.Plan.InnerSimd, Is.False);
        Assert.That(verdict.Plan.Parallel, Is.True, "only the simd element is dropped");
        Assert.That(verdict.Code, Is.EqualTo("PSLM2002"));
        Assert.That(verdict.Reason, Does.Contain("inner simd dropped"));

        var stencil = Outer(analysis, "stencil");
        var ok = PlanVerifier.Verify(stencil, new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []) { InnerSimd = true }, byId, insideParallel: false);
        Assert.That((ok.Kind, ok.Plan.InnerSimd), Is.EqualTo((VerdictKind.Accepted, true)));
        var gpu = PlanVerifier.Verify(stencil, new PlanProposal(true, ParallelTarget.GpuOpenMPOffload, [], [], []) { InnerSimd = true }, byId, insideParallel: false);
        Assert.That(gpu.Plan.InnerSimd && gpu.Plan.Target != ParallelTarget.CpuOpenMP, Is.False, "vectorized inner loops are a CPU edit");
    }

    [Test]
    public void The_generated_text_has_one_simd_pragma_per_proven_inner_loop_mapped_to_its_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var text = Ws.RewritePlannedLoops(path).Text;
        foreach (var line in new[] { LineOf("for (int j = 1; j < M - 1; j++)"), LineOf("q[p][i][j] = ") - 1 })
            Assert.That(text, Does.Contain($"#pragma omp simd\n#line {line} \""));
        Assert.That(text, Does.Contain($"#pragma omp simd reduction(+:s)\n#line {LineOf("s += a[i][j] * b[i][j];") - 1} \""));
        Assert.That(text, Does.Contain($"#pragma omp simd reduction(+:s)\n#line {LineOf("s += (long)ia[i][j]") - 1} \""));
        Assert.That(text, Does.Not.Contain($"#line {LineOf("c[i][j] = c[i][j - 1]") - 1} \""), "the carried loop keeps its text");
        Assert.That(text, Does.Contain("#pragma GCC ivdep\n"), "a user's pragma stays");
        Assert.That(text, Does.Not.Contain($"#pragma omp simd\n#line {LineOf("c[i][j] += 1.0;") - 1} \""), "never a second pragma on a loop");
        var strict = Ws.RewritePlannedLoops(path, floatReassociation: false).Text;
        Assert.That(strict, Does.Not.Contain($"#pragma omp simd reduction(+:s)\n#line {LineOf("s += a[i][j] * b[i][j];") - 1} \""), "reassociation off: the floating-point row sum gets no lanes");
        Assert.That(strict, Does.Contain("/* ParaSlm unroll-jam("), "its 4 scalar chains, in order, run unrolled and jammed instead");
        Assert.That(strict, Does.Contain($"#pragma omp simd reduction(+:s)\n#line {LineOf("s += (long)ia[i][j]") - 1} \""));
    }

    [Test]
    public void A_versioned_nest_carries_the_inner_simd_in_both_versions()
    {
        var path = Ws.WriteSource("versioned.c", Program);
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == Outer(analysis, "scaled").Id);
        var guard = LoopCost.IfClause(byId[plan.Id], analysis.Loops, byId);
        Assert.That(guard, Is.Not.Null, "n and m are known only at run time: a cost guard");
        var edit = LoopEdit.ForProposal(byId[plan.Id], plan.Proposal, plan.RuntimeCheck, guard, byId);
        var result = SourceRewriter.Rewrite(path, File.ReadAllText(path), [edit]);
        var inner = LineOf("for (int j = 0; j < m; j++) c[i][j]");
        Assert.That(result.Outcomes.Single().Applied, Is.True, result.Outcomes.Single().Reason);
        Assert.That(result.Text, Does.Contain("} else {"), "cost-guard versioning");
        Assert.That(result.Text.Split($"#pragma omp simd\n#line {inner} \"").Length - 1, Is.EqualTo(2), result.Text);
        Assert.That(result.Outcomes.Single().Reason, Does.Contain($"`#pragma omp simd` on the inner loop at line {inner} (in both versions)"));
    }

    private const string Repeated = """
        #include <stdio.h>
        enum { R = 5, N = 800, M = 300 };
        static double u[N][M], v[N][M];

        static void relax(void) {
            for (int r = 0; r < R; r++) {
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < M; j++)
                        u[i][j] = 0.5 * u[i][j] + v[i][j];
                }
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) { u[i][j] = (i + j) % 9; v[i][j] = (i * j) % 4; }
            relax();
            for (int i = 0; i < N; i += 7) printf("%a\n", u[i][i % M]);
            return 0;
        }

        """;

    private const string Overlapping = """
        #include <stdio.h>
        #include <stdlib.h>

        enum { N = 200, M = 300 };

        static void blend(int n, int m, double *out, const double *in) {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++)
                    out[i * m + j] = 0.5 * in[i * m + j] + j;
        }

        int main(void) {
            double *x = malloc(sizeof *x * (N + 1) * M), *y = malloc(sizeof *y * N * M);
            if (!x || !y) return 1;
            for (int k = 0; k < (N + 1) * M; k++) x[k] = k % 13;
            blend(N, M, y, x);
            blend(N, M, x + M, x);
            blend(1, N * M, x + 1, x);
            double s = 0;
            for (int k = 0; k < N * M; k++) s += x[k] * 3 + y[k];
            printf("%a\n", s);
            return 0;
        }

        """;

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void An_inner_loop_independent_only_if_its_pointers_do_not_overlap_runs_in_lanes_only_under_its_check(string compiler)
    {
        var path = Ws.WriteSource(compiler + "_overlap.c", Overlapping);
        var analysis = Ws.Analyze(path);
        var inner = analysis.Loops.Single(l => l.Function == "blend" && l.ParentId is not null);
        Assert.That((inner.Vectorizable, inner.VectorizableIf), Is.EqualTo((false, inner.RuntimeCheck)));
        var result = Ws.RewritePlannedLoops(path);
        // Both versions of the nest (the parallel one under the outer check, the serial one otherwise) carry it; the calls
        // with overlapping rows (x + M) and overlapping elements (x + 1) run the serial version, the second one also its
        // inner loop one element at a time.
        Assert.That(result.Text.Split($"#if defined(__GNUC__)\n#pragma omp simd if(simd: {inner.RuntimeCheck})\n#endif\n#line 8 \"").Length - 1, Is.EqualTo(2),
            "OpenMP 5.0's if(simd:) only where gcc or clang compile it: " + result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(GenerationWorkspace.RequireTool(compiler), "-std=c11", path, result, "-O2");
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void A_nest_whose_serial_loop_moves_inside_keeps_its_element_loop_without_simd(string compiler)
    {
        var path = Ws.WriteSource(compiler + "_repeated.c", Repeated);
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var sink = analysis.Loops.First(l => l.SerialSink is not null).SerialSink!;
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == sink.Nests.Single().LoopId);
        Assert.That(plan.Proposal.Transform, Is.EqualTo(SerialLoopSink.TransformName));
        var nest = LoopEdit.ForProposal(byId[plan.Id], plan.Proposal, null, null, byId, ownRegion: false);
        Assert.That(nest.InnerSimd, Has.Count.EqualTo(1), "the j loop is proven vectorizable where it stands");
        var result = SourceRewriter.Rewrite(path, File.ReadAllText(path), [LoopEdit.ForSink(sink, [nest.Directive], nest.InnerSimd)]);
        var outcome = result.Outcomes.Single();
        Assert.That(outcome.Applied, Is.True, outcome.Reason);
        Assert.That(result.Text, Does.Not.Contain("omp simd"), "the repeat loop now runs inside the j loop: it is no longer innermost");
        Assert.That(outcome.Reason, Does.Contain("no `omp simd` on the loop at line 8: the serial loop moves inside it"));
        Ws.AssertParallelRunPrintsWhatSerialPrints(GenerationWorkspace.RequireTool(compiler), "-std=c11", path, result, "-O2");
    }

    [TestCase("gcc", "c")]
    [TestCase("clang-19", "c")]
    [TestCase("g++", "cpp")]
    [TestCase("clang++-19", "cpp")]
    public void The_program_with_inner_simd_prints_on_4_threads_what_it_prints_serially(string compiler, string language) =>
        // Reassociation off: no floating-point sum is vectorized, so every result must be bit-identical.
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, language == "c" ? "-std=c11" : "-std=c++17", $"{compiler.Replace("+", "p")}_inner.{language}", Program,
            path => Ws.RewritePlannedLoops(path, floatReassociation: false),
            // stencil, introw, planes, main's fill, and scaled twice (its subscripts' run-time check versions the nest; the
            // inner loop needs no such check: for a fixed row, its elements are distinct whatever m is).
            result => Assert.That(result.Text.Split("#pragma omp simd").Length - 1, Is.EqualTo(6), result.Text), "-O2");
}
