using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Array privatization (issue 14): a loop that reuses a scratch array — every iteration writes the section it reads before
/// reading it (PolyBench doitgen's `sum[p]`) — runs in parallel with a copy of the section per thread, and the thread that
/// runs the last iteration copies its section back, so the caller sees what the serial loop left. The proof and its near
/// misses, the plan element and the verifier's check of it, the generated text, and outputs identical to the serial
/// program's on 4 threads with gcc and clang, C and C++ (the caller reads the array after the loop; a call whose scratch
/// array overlaps its output runs the original loop).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class PrivatizationTests : GenerationFixture
{
    // doitgen: the section written in a loop nested in the privatized one (a chain through q), a run-time length and a heap
    // copy; called with q running, never running (sum keeps its values) and with a shorter row. smooth: a constant section
    // (a local copy per thread), neighbours read inside it, the counter used after the loop (lastprivate), and a call whose
    // scratch array overlaps its output (the run-time overlap check fails: the original loop).
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>
        #define NR 24
        #define NQ 20
        #define NP 30
        #define W 64

        /* doitgen: the scratch row sum[0..np) is written by the p loop of every (r, q) before the copy loop reads it. */
        static void doitgen(int nr, int nq, int np, double A[NR][NQ][NP], double C4[NP][NP], double sum[NP]) {
            int r, q, p, s;
            for (r = 0; r < nr; r++)
                for (q = 0; q < nq; q++) {
                    for (p = 0; p < np; p++) {
                        sum[p] = 0.0;
                        for (s = 0; s < np; s++)
                            sum[p] += A[r][q][s] * C4[s][p];
                    }
                    for (p = 0; p < np; p++)
                        A[r][q][p] = sum[p];
                }
        }

        /* A constant section (a local copy per thread), neighbours read inside it, the counter used after the loop. */
        static int smooth(int n, const double *in, double *out, double *tmp) {
            int i, k;
            for (i = 0; i < n; i++) {
                for (k = 0; k < W; k++) {
                    tmp[k] = in[i * W + k] * 0.5;
                    tmp[k] += 1.0 / (k + 1);
                }
                double acc = 0;
                for (k = 1; k < W - 1; k++)
                    acc += tmp[k - 1] * tmp[k] + tmp[k + 1];
                out[i] = acc;
            }
            return i;
        }

        static void print(const char *what, const double *a, int n) {
            double h = 0;
            for (int i = 0; i < n; i++) h = h * 1.0001 + a[i];
            printf("%s %.17g\n", what, h);
        }

        int main(void) {
            static double A[NR][NQ][NP], C4[NP][NP], sum[NP];
            for (int r = 0; r < NR; r++) for (int q = 0; q < NQ; q++) for (int p = 0; p < NP; p++) A[r][q][p] = ((r * q + p) % NP) / (double)NP;
            for (int s = 0; s < NP; s++) for (int p = 0; p < NP; p++) C4[s][p] = (s * p % NP) / (double)NP;
            for (int p = 0; p < NP; p++) sum[p] = -1.0 - p;
            doitgen(NR, NQ, NP, A, C4, sum);
            print("A", &A[0][0][0], NR * NQ * NP);
            print("sum after", sum, NP);                 /* the caller reads the last iteration's row */
            for (int p = 0; p < NP; p++) sum[p] = -1.0 - p;
            doitgen(NR, 0, NP, A, C4, sum);              /* the q loop never runs: sum keeps its values */
            print("sum untouched", sum, NP);
            doitgen(NR, NQ, NP - 7, A, C4, sum);         /* a shorter row: only sum[0..23) changes */
            print("sum short", sum, NP);

            int n = 5000;
            double *in = (double *)malloc(sizeof(double) * n * W), *out = (double *)malloc(sizeof(double) * (n + W)), *tmp = (double *)malloc(sizeof(double) * (W + 1));
            for (int i = 0; i < n * W; i++) in[i] = (i % 1000 * 7919 % 1000) / 250.0;
            tmp[W] = 42.0;
            int last = smooth(n, in, out, tmp);
            printf("last %d\n", last);
            print("out", out, n);
            print("tmp", tmp, W + 1);
            last = smooth(n, in, out, out + 100);        /* the scratch overlaps the output: the original loop runs */
            printf("last %d line %d\n", last, __LINE__);
            print("overlap", out, n + W);
            free(in); free(out); free(tmp);
            return 0;
        }
        """;

    // Each function is one near miss: the loop must keep its serial form.
    private const string NearMisses = """
        #define N 1000
        #define W 64
        double in[N * W], out[N];
        int calls;

        static void consume(double *t) { calls++; out[0] += t[0]; }

        void read_before_write(double *tmp) {
            for (int i = 0; i < N; i++) {
                double x = tmp[0];
                for (int k = 0; k < W; k++) tmp[k] = in[i * W + k];
                out[i] = x + tmp[1];
            }
        }

        void partial_cover(double *tmp) {
            for (int i = 0; i < N; i++) {
                for (int k = 1; k < W; k++) tmp[k] = in[i * W + k];
                double s = 0;
                for (int k = 0; k < W; k++) s += tmp[k];
                out[i] = s;
            }
        }

        void conditional_write(double *tmp) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < W; k++) { if (in[i * W + k] > 0) tmp[k] = in[i * W + k]; }
                double s = 0;
                for (int k = 0; k < W; k++) s += tmp[k];
                out[i] = s;
            }
        }

        void smaller_write(double *tmp) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < W / 2; k++) { tmp[k] = in[i * W + k]; }
                double s = 0;
                for (int k = 0; k < W; k++) s += tmp[k];
                out[i] = s;
            }
        }

        void impure_call(double *tmp) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < W; k++) { tmp[k] = in[i * W + k]; }
                consume(tmp);
            }
        }

        void write_outside_section(double *tmp) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < W; k++) { tmp[k] = in[i * W + k]; }
                out[i] = tmp[W - 1] + tmp[W];
                tmp[W] = out[i];
            }
        }

        void early_exit(double *tmp) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < W; k++) { tmp[k] = in[i * W + k]; if (tmp[k] < 0) break; }
                double s = 0;
                for (int k = 0; k < W; k++) s += tmp[k];
                out[i] = s;
            }
        }

        void read_in_its_own_write(double *tmp) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < W; k++) { tmp[k] = tmp[k] + in[i * W + k]; }
                double s = 0;
                for (int k = 0; k < W; k++) s += tmp[k];
                out[i] = s;
            }
        }

        void section_moves(double *tmp) {
            for (int i = 0; i < N; i++) {
                for (int k = i; k < i + W; k++) { tmp[k] = in[k]; }
                double s = 0;
                for (int k = i; k < i + W; k++) s += tmp[k];
                out[i] = s;
            }
        }
        """;

    private static LoopFacts Outer(FileAnalysis analysis, string function) =>
        analysis.Loops.First(l => l.Function == function && l.ParentId is null);

    [Test]
    public void A_scratch_array_written_before_it_is_read_in_every_iteration_is_privatized()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("forms.c", Program));
        var doitgen = Outer(analysis, "doitgen");
        var smooth = Outer(analysis, "smooth");
        Assert.Multiple(() =>
        {
            Assert.That(doitgen.Parallelizable, Is.False, "the loop itself stays serial as written");
            Assert.That(doitgen.Privatization?.Name, Is.EqualTo("privatize(sum[0:np])"), doitgen.Reason + "\n" + string.Join("\n", doitgen.Evidence));
            Assert.That(doitgen.Privatization?.ChainRuns, Is.EqualTo("(long long)(nq - 1) >= (long long)(0)"), "the q loop between r and the section's loop");
            Assert.That(doitgen.Privatization?.OnStack, Is.False, "a run-time section is a heap copy");
            Assert.That(doitgen.Privatization?.Private, Is.EquivalentTo(new[] { "q", "p", "s" }));
            Assert.That(doitgen.Privatization?.OverlapCheck, Does.Contain("sum + np <= (const double *)(A)"), "sum may be A or C4: checked at run time");
            Assert.That(doitgen.Privatization?.References.Count, Is.EqualTo(3));
            Assert.That(smooth.Privatization is { Name: "privatize(tmp[0:64])", OnStack: true, ChainRuns: null }, Is.True, smooth.Reason);
            Assert.That(smooth.Privatization?.LastPrivate, Is.EqualTo(new[] { "i" }), "the counter is read after the loop");
            // The q loop (inside r) is privatizable too; the planner takes the outermost.
            var q = analysis.Loops.Single(l => l.ParentId == doitgen.Id);
            Assert.That(q.Privatization?.Name, Is.EqualTo("privatize(sum[0:np])"));
            Assert.That(q.Privatization?.ChainRuns, Is.Null);
        });
    }

    [TestCase("read_before_write", TestName = "A_scratch_array_read_before_the_iteration_writes_it_stays_serial")]
    [TestCase("partial_cover", TestName = "A_scratch_array_whose_write_misses_an_element_it_reads_stays_serial")]
    [TestCase("conditional_write", TestName = "A_scratch_array_written_under_a_condition_stays_serial")]
    [TestCase("smaller_write", TestName = "A_scratch_array_whose_write_range_is_smaller_than_its_read_range_stays_serial")]
    [TestCase("impure_call", TestName = "A_scratch_array_passed_to_an_impure_call_stays_serial")]
    [TestCase("write_outside_section", TestName = "A_scratch_array_also_written_outside_its_section_stays_serial")]
    [TestCase("early_exit", TestName = "A_scratch_array_whose_writing_loop_may_stop_early_stays_serial")]
    [TestCase("read_in_its_own_write", TestName = "A_scratch_array_whose_write_reads_the_old_element_stays_serial")]
    [TestCase("section_moves", TestName = "A_scratch_array_whose_section_moves_with_the_iteration_stays_serial")]
    public void Near_misses_keep_their_serial_form(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("near.c", NearMisses));
        var loop = Outer(analysis, function);
        Assert.That(loop.Parallelizable, Is.False);
        Assert.That(loop.Privatization, Is.Null, string.Join("\n", loop.Evidence));
        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Single(p => p.Id == loop.Id).IsParallel, Is.False);
        var text = SourceRewriter.Rewrite(analysis.File, NearMisses, plans.Where(p => p.IsParallel)
            .Select(p => LoopEdit.ForProposal(analysis.Loops.Single(l => l.Id == p.Id), p.Proposal, p.RuntimeCheck)).ToList()).Text;
        Assert.That(text, Does.Not.Contain(Privatization.TransformName + "("));
    }

    [Test]
    public void The_plan_names_the_privatized_section_and_the_verifier_rejects_it_where_the_facts_do_not_prove_it()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("plan.c", Program));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var doitgen = Outer(analysis, "doitgen");
        var plan = plans.Single(p => p.Id == doitgen.Id);
        Assert.That(plan.Proposal.Transform, Is.EqualTo("privatize(sum[0:np])"));
        Assert.That(plan.Verdict, Is.EqualTo(VerdictKind.Accepted));
        Assert.That(plan.Proposal.InnerSimd, Is.False, "the form has no inner simd sites");
        Assert.That(plans.Where(p => p.Id != doitgen.Id && analysis.Loops.Single(l => l.Id == p.Id).Function == "doitgen").All(p => !p.IsParallel), Is.True);

        var plain = new PlanProposal(true, ParallelTarget.CpuOpenMP, [], [], []);
        Assert.That(PlanVerifier.Verify(doitgen, plain, byId, false).Code, Is.EqualTo(PlanVerifier.UnsafeParallel), "without the transform the loop is unsafe");
        var wrongSection = PlanVerifier.Verify(doitgen, plain with { Transform = "privatize(sum[0:30])" }, byId, false);
        Assert.That(wrongSection is { Code: PlanVerifier.WrongClauses, Plan.Parallel: false }, Is.True, wrongSection.Reason);
        Assert.That(wrongSection.Reason, Does.Contain("proves `privatize(sum[0:np])`"));
        Assert.That(PlanVerifier.Verify(doitgen, plain with { Transform = "privatize(sum[0:np])", Target = ParallelTarget.GpuOpenMPOffload }, byId, false).Plan.Parallel, Is.False);
        var repaired = PlanVerifier.Verify(doitgen, plain with { Transform = "privatize(sum[0:np])", Schedule = "dynamic", Private = ["q"] }, byId, false);
        Assert.That(repaired is { Kind: VerdictKind.Repaired, Code: PlanVerifier.WrongClauses, Plan: { Parallel: true, Schedule: null, Private.Count: 0 } }, Is.True, repaired.Reason);
        // A model's plain parallel plan of the loop becomes the privatized form (the only parallel form the facts prove).
        var chosen = LocalityChooser.Choose(plain with { Private = ["q", "p", "s"] }, "model", doitgen).Proposal;
        Assert.That(PlanVerifier.Verify(doitgen, chosen, byId, false) is { Kind: VerdictKind.Accepted, Plan.Transform: "privatize(sum[0:np])" }, Is.True);
        // A loop the analyzer did not prove: the name is refused with PSLM2002.
        var near = Ws.Analyze(Ws.WriteSource("plan_near.c", NearMisses));
        var partial = Outer(near, "partial_cover");
        var refused = PlanVerifier.Verify(partial, plain with { Transform = "privatize(tmp[1:63])" }, near.Loops.ToDictionary(l => l.Id), false);
        Assert.That(refused is { Code: PlanVerifier.WrongClauses, Plan.Parallel: false }, Is.True, refused.Reason);
    }

    [Test]
    public void The_generated_form_gives_each_thread_its_copy_and_copies_the_last_iteration_back()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        var lines = Program.Split('\n');
        int LineOf(string s) => Array.FindIndex(lines, l => l.Contains(s, StringComparison.Ordinal)) + 1;
        Assert.That(text, Does.Contain("#pragma omp for private(q, p, s) lastprivate(paraslm_plast)"));
        Assert.That(text, Does.Contain("#pragma omp for private(k) lastprivate(i) lastprivate(paraslm_plast)"));
        Assert.That(text, Does.Contain("double *paraslm_pbuf = (double *)__builtin_malloc(sizeof(double) * (__SIZE_TYPE__)((long long)(np) > 0 ? (long long)(np) : 1));"));
        Assert.That(text, Does.Contain("double paraslm_pstack[64]; double *paraslm_pbuf = paraslm_pstack;"), "a small constant section is a local array");
        Assert.That(text, Does.Contain("paraslm_p_sum[p] = 0.0;").And.Contain("paraslm_p_sum[p] += A[r][q][s] * C4[s][p];").And.Contain("A[r][q][p] = paraslm_p_sum[p];"));
        Assert.That(text, Does.Contain("{ paraslm_plast = paraslm_p_sum; for (q = 0; q < nq; q++) {"), "a braceless body gets braces around the record");
        Assert.That(text, Does.Contain("for (i = 0; i < n; i++) { paraslm_plast = paraslm_p_tmp;"));
        Assert.That(text, Does.Contain("{ if (paraslm_plast && (long long)(nq - 1) >= (long long)(0)) for (long long paraslm_v = 0; paraslm_v < (long long)(np); paraslm_v++) sum[paraslm_v] = paraslm_plast[paraslm_v]; }"));
        Assert.That(text, Does.Contain("#pragma omp single"));
        Assert.That(text, Does.Contain("#if defined(__GNUC__)").And.Contain("if (!paraslm_done) {"));
        // The copy and the original keep the user's lines: the write of the section is mapped twice (copy, fallback).
        var coverLine = LineOf("sum[p] = 0.0;");
        Assert.That(System.Text.RegularExpressions.Regex.Matches(text, $"#line {LineOf("for (r = 0; r < nr; r++)")} \"").Count, Is.GreaterThanOrEqualTo(2));
        Assert.That(text.Split('\n').Count(l => l.Trim() == "paraslm_p_sum[p] = 0.0;" || l.Trim() == "sum[p] = 0.0;"), Is.EqualTo(2), $"line {coverLine} in both copies");
        Assert.That(Applied(result, "privatize(sum[0:np])"), Is.EqualTo(1));
        Assert.That(Applied(result, "privatize(tmp[0:64])"), Is.EqualTo(1));
        Assert.That(result.ReviewText, Does.Not.Contain("#line"));
    }

    [Test]
    public void A_compiler_without_the_GNU_extensions_compiles_only_the_original_loops() =>
        AssertACompilerWithoutGnuExtensionsBuildsTheOriginalLoops("no_gnu.c", Program, "__builtin_malloc");

    [TestCase("gcc", "-std=c11", "c")]
    [TestCase("clang-19", "-std=c11", "c")]
    [TestCase("g++", "-std=c++17", "cpp")]
    [TestCase("clang++-19", "-std=c++17", "cpp")]
    public void The_privatized_loops_print_on_4_threads_exactly_what_the_serial_loops_print(string compiler, string std, string extension)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource($"{compiler.Replace("+", "p")}_privatized.{extension}", Program);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(Applied(result, Privatization.TransformName + "("), Is.EqualTo(2));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result, "-O1");
    }
}
