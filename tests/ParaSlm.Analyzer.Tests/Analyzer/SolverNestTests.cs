using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Locality;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The nests of a factorization and of a column orthogonalization inside a serial outer loop (issue 14 item 1, PolyBench's
/// lu and gramschmidt family): counters that every trip of the serial loop assigns before reading are private, not
/// lastprivate (Liveness follows the enclosing loop's back edge), so the row update `for c for p a[r][c] -= a[r][p] * a[p][c]`
/// is interchanged in strips of `c` (`p` outside, `c` stride-1 inside each strip, the strips parallel), and a parallel loop with two reduction nests (a dot product, then the
/// update that uses it) runs each nest outside it with `col` innermost. Where the proof fails (a counter the next trip
/// reads first, a triangular bound, a local between the nests, a later nest bounded by the column) nothing changes; the
/// generated text maps every statement to its line; outputs are bit-identical to serial on 4 threads with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class SolverNestTests : GenerationFixture
{
    // Our own kernels: an in-place factorization row by row (the row's left part is a triangular solve that stays serial,
    // its right part is the interchanged nest) and a column orthogonalization whose columns after `q` each get a dot
    // product with column q, a scaling, and an update.
    private const string Program = """
        #include <stdio.h>
        #define N 203
        #define M 171
        #define W 189

        static double F[N][N];
        static double V[M][W], U[M][W], D[W];

        static void factor_rows(int n) {
            int r, c, p;
            for (r = 0; r < n; r++) {
                for (c = 0; c < r; c++) {
                    for (p = 0; p < c; p++)
                        F[r][c] -= F[r][p] * F[p][c];
                    F[r][c] /= F[c][c];
                }
                for (c = r; c < n; c++) {
                    for (p = 0; p < r; p++)
                        F[r][c] -= F[r][p] * F[p][c];
                }
            }
        }

        static void orthogonalize(void) {
            int q, col, row;
            for (q = 0; q < W; q++) {
                double len = 0.0;
                for (row = 0; row < M; row++)
                    len += V[row][q] * V[row][q];
                len = 1.0 / (1.0 + len);
                for (row = 0; row < M; row++)
                    U[row][q] = V[row][q] * len;
                for (col = q + 1; col < W; col++) {
                    D[col] = 0.0;
                    for (row = 0; row < M; row++)
                        D[col] += U[row][q] * V[row][col];
                    D[col] *= 0.5;
                    for (row = 0; row < M; row++)
                        V[row][col] = V[row][col] - D[col] * U[row][q];
                }
            }
        }

        int main(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    F[i][j] = i == j ? N + 1.0 : ((i * 7 + j * 3) % 11) / 10.0 - 0.4;
            for (int i = 0; i < M; i++)
                for (int j = 0; j < W; j++)
                    V[i][j] = ((i * 5 + j * 13) % 17) / 8.0 + (i == j);
            factor_rows(N);
            orthogonalize();
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) printf("%a\n", F[i][j]);
            for (int i = 0; i < M; i++) for (int j = 0; j < W; j++) printf("%a %a\n", V[i][j], U[i][j]);
            for (int j = 0; j < W; j++) printf("%a\n", D[j]);
            printf("line %d\n", __LINE__);
            return 0;
        }

        """;

    private const string NotTransformed = """
        #define N 200
        #define M 150
        #define W 180
        static double A[N][N], B[N][N];
        static double V[M][W], U[M][W], D[W];

        void triangular_bound(int n) {
            int r, c, p;
            for (r = 0; r < n; r++)
                for (c = r; c < n; c++)
                    for (p = 0; p < c; p++)
                        A[r][c] -= A[r][p] * A[p][c];
        }

        void counter_read_by_the_next_trip(int n) {
            int r, c = 0;
            for (r = 0; r < n; r++) {
                B[r][0] += c;
                for (c = 1; c < n; c++)
                    B[r][c] *= 0.5;
            }
        }

        void local_between_the_nests(void) {
            int q, col, row;
            for (q = 0; q < W; q++)
                for (col = q + 1; col < W; col++) {
                    D[col] = 0.0;
                    for (row = 0; row < M; row++)
                        D[col] += U[row][q] * V[row][col];
                    double h = D[col] * 0.5;
                    for (row = 0; row < M; row++)
                        V[row][col] -= h * U[row][q];
                }
        }

        void later_nest_bounded_by_the_column(void) {
            int q, col, row;
            for (q = 0; q < W; q++)
                for (col = q + 1; col < W; col++) {
                    D[col] = 0.0;
                    for (row = 0; row < M; row++)
                        D[col] += U[row][q] * V[row][col];
                    for (row = 0; row < col && row < M; row++)
                        V[row][col] -= D[col] * U[row][q];
                }
        }
        """;

    private static int LineOf(string source, string text) =>
        source.Split('\n').ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Test]
    public void Counters_every_trip_of_the_serial_loop_assigns_first_are_private_and_a_counter_the_next_trip_reads_stays_lastprivate()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("live.c", Program));
        var right = analysis.Loops.Single(l => l.Function == "factor_rows" && l.Line == LineOf(Program, "for (c = r; c < n; c++) {"));
        Assert.That((right.Parallelizable, right.LastPrivate.Count), Is.EqualTo((true, 0)), string.Join(", ", right.LastPrivate));
        Assert.That(right.Private, Does.Contain("p"), "the next trip of `r` assigns `c` and `p` before reading them");
        var columns = analysis.Loops.Single(l => l.Function == "orthogonalize" && l.Line == LineOf(Program, "for (col = q + 1; col < W; col++) {"));
        Assert.That((columns.Parallelizable, columns.LastPrivate.Count), Is.EqualTo((true, 0)));
        var other = Ws.Analyze(Ws.WriteSource("read.c", NotTransformed));
        var read = other.Loops.Single(l => l.Function == "counter_read_by_the_next_trip" && l.Depth == 2);
        Assert.That(read.LastPrivate, Does.Contain("c"), "the next trip of `r` reads the `c` this loop leaves");
    }

    [Test]
    public void The_row_update_inside_the_serial_loop_is_interchanged_in_strips_with_one_region_per_trip()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var right = analysis.Loops.Single(l => l.Line == LineOf(Program, "for (c = r; c < n; c++) {"));
        Assert.That((right.Parallelizable, right.LastPrivate.Count), Is.EqualTo((true, 0)), "its counters are dead after it (exact liveness)");
        // Inside the serial `r` loop the worksharing form would work-share `c` once per `p` of every `r` (lu: 0.56x with
        // clang's runtime): the strips of `c` are the parallel loop instead, each running `p` outside and `c` innermost.
        var swap = right.Interchange;
        Assert.That(swap, Is.Not.Null);
        Assert.That((swap!.Name, swap.Worksharing, swap.Strips!.Width, swap.Strips.Align), Is.EqualTo(("interchange(p,c; strips 256)", false, 256, 8)));
        Assert.That(swap.Directive, Is.EqualTo("omp parallel for private(c, p)"), "every thread runs both headers");
        Assert.That(swap.Evidence, Does.Contain("strips of 256 (starting at multiples of 8)"));
        Assert.That(analysis.Loops.Single(l => l.Line == LineOf(Program, "for (c = 0; c < r; c++) {")).Parallelizable, Is.False, "the left part is a triangular solve");
        var plans = FilePlanner.AnalyzerPlan(analysis);
        var plan = plans.Single(p => p.Id == right.Id).Proposal;
        Assert.That((plan.Parallel, plan.Transform), Is.EqualTo((true, "interchange(p,c; strips 256)")));
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        Assert.That(PlanVerifier.Verify(right, plan, byId, insideParallel: false).Plan.Transform, Is.EqualTo("interchange(p,c; strips 256)"));
        var inPlace = PlanVerifier.Verify(right, plan with { Transform = "interchange(p,c)" }, byId, insideParallel: false);
        Assert.That((inPlace.Plan.Transform, inPlace.Code), Is.EqualTo(((string?)null, PlanVerifier.WrongClauses)), "the in-place form is not what the facts prove here");
        Assert.That(inPlace.Reason, Does.Contain("prove `interchange(p,c; strips 256)`"));
    }

    [Test]
    public void A_parallel_loop_with_two_reduction_nests_runs_each_outside_it_with_the_column_loop_innermost()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var columns = analysis.Loops.Single(l => l.Line == LineOf(Program, "for (col = q + 1; col < W; col++) {"));
        Assert.That(columns.ScalarExpansion, Is.Not.Null);
        var e = columns.ScalarExpansion!;
        Assert.That((e.Name, e.Scalars.Count, e.Low, e.High), Is.EqualTo(("scalar-expand(col)", 0, "q + 1", "W")));
        Assert.That(e.Pre.Single().Code, Is.EqualTo("D[col] = 0.0;"));
        Assert.That(e.Headers.Single().Code, Is.EqualTo("for (row = 0; row < M; row++)"));
        Assert.That(e.Body.Single().Code, Is.EqualTo("D[col] += U[row][q] * V[row][col];"));
        Assert.That(e.Final.Single().Code, Is.EqualTo("D[col] *= 0.5;"));
        var second = e.Following.Single();
        Assert.That((second.Headers.Single().Code, second.Body.Single().Code, second.Simd, second.Final.Count),
            Is.EqualTo(("for (row = 0; row < M; row++)", "V[row][col] = V[row][col] - D[col] * U[row][q];", true, 0)));
        Assert.That(e.Evidence, Does.StartWith("each element it starts in memory accumulates over the loop `row`, then the loop `row` and is used for each `col` alone"));
        var plan = FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == columns.Id);
        Assert.That((plan.IsParallel, plan.Proposal.ScalarExpansion), Is.EqualTo((true, true)), plan.Reason);
    }

    [TestCase("triangular_bound", TestName = "A_triangular_nest_whose_inner_bound_reads_the_column_is_not_interchanged")]
    [TestCase("counter_read_by_the_next_trip", TestName = "A_nest_whose_counter_the_next_outer_trip_reads_is_not_interchanged_or_expanded")]
    [TestCase("local_between_the_nests", TestName = "Two_nests_with_a_local_declared_between_them_are_not_expanded")]
    [TestCase("later_nest_bounded_by_the_column", TestName = "A_later_nest_whose_bound_reads_the_column_is_not_expanded")]
    public void Nests_outside_the_proof_stay_untouched(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("illegal.c", NotTransformed));
        var loops = analysis.Loops.Where(l => l.Function == function).ToList();
        Assert.That(loops, Is.Not.Empty);
        Assert.That(loops.Select(l => (l.Interchange, l.ScalarExpansion)), Is.All.EqualTo(((InterchangeNest?)null, (ScalarExpansion?)null)));
        var plans = FilePlanner.AnalyzerPlan(analysis).Where(p => loops.Any(l => l.Id == p.Id)).ToList();
        Assert.That(plans.Select(p => (p.Proposal.Transform, p.Proposal.ScalarExpansion)), Is.All.EqualTo(((string?)null, false)));
    }

    [Test]
    public void The_generated_text_runs_both_nests_outside_the_column_loop_and_maps_every_statement_to_its_line()
    {
        var path = Ws.WriteSource("text.c", Program);
        var result = Ws.RewritePlannedLoops(path);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.Expansions.Count == 1), Is.EqualTo(1), text);
        var form = text[text.IndexOf("/* ParaSlm scalar-expand(col)", StringComparison.Ordinal)..];
        form = form[..form.IndexOf("int main(void)", StringComparison.Ordinal)];
        Assert.That(form.Split('\n').Count(l => l.Trim() == "#pragma omp simd"), Is.EqualTo(2), form);
        Assert.That(form, Does.Contain("#pragma omp parallel for private(row)"));
        Assert.That(form.IndexOf("D[col] *= 0.5;", StringComparison.Ordinal), Is.GreaterThan(form.IndexOf("D[col] += U[row][q]", StringComparison.Ordinal)));
        Assert.That(form.IndexOf("V[row][col] = V[row][col] - D[col]", StringComparison.Ordinal), Is.GreaterThan(form.IndexOf("D[col] *= 0.5;", StringComparison.Ordinal)));
        Assert.That(GenerationWorkspace.PresumedLine(form, "V[row][col] = V[row][col] - D[col] * U[row][q];"), Is.EqualTo(LineOf(Program, "V[row][col] = V[row][col] - D[col]")));
        Assert.That(GenerationWorkspace.PresumedLine(form, "D[col] *= 0.5;"), Is.EqualTo(LineOf(Program, "D[col] *= 0.5;")));
        // The column loop's strips are shared among threads: they start at multiples of 8 columns (one 64-byte line of doubles).
        Assert.That(form, Does.Contain("for (long long paraslm_xa_col = ((paraslm_xlo_col) & ~7LL); paraslm_xa_col < paraslm_xhi_col; paraslm_xa_col += 256) {"));
        Assert.That(form, Does.Contain("const long long paraslm_x0_col = paraslm_xa_col > paraslm_xlo_col ? paraslm_xa_col : paraslm_xlo_col;"));
        // The row update inside the serial `r` loop: strips of `c` from `r` rounded down to 8, `p` outside, `c` innermost,
        // every line where it was (no worksharing `omp for` per `p`).
        Assert.That(text, Does.Contain($"#pragma omp parallel for private(c, p)\n#line {LineOf(Program, "for (c = r; c < n; c++) {")} \"").And.Not.Contain("#pragma omp for schedule(static) nowait"));
        Assert.That(text, Does.Contain("for (long long paraslm_sa_c = ((r) & ~7LL); paraslm_sa_c < (n); paraslm_sa_c += 256) { const long long paraslm_s0_c = paraslm_sa_c > (r) ? paraslm_sa_c : (r);"));
        Assert.That(text, Does.Contain("        for (p = 0; p < r; p++) {\n            for (c = (int)paraslm_s0_c; c < (int)paraslm_s1_c; c++)\n                F[r][c] -= F[r][p] * F[p][c];\n        } }"));
        Assert.That(GenerationWorkspace.PresumedLine(text, "for (c = (int)paraslm_s0_c;"), Is.EqualTo(LineOf(Program, "for (c = r; c < n; c++) {") + 1),
            "the headers are swapped in place: the strip's `c` loop stands where `p`'s header was");
        Assert.That(Applied(result, "(interchange(p,c; strips 256))"), Is.EqualTo(1));
        Assert.That(GenerationWorkspace.PresumedLine(text, "printf(\"line %d\\n\", __LINE__);"), Is.EqualTo(LineOf(Program, "printf(\"line %d")));
    }

    [TestCase("gcc", "-O2")]
    [TestCase("clang-19", "-O2")]
    [TestCase("gcc", "-O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-O3 -march=x86-64-v3")]
    public void The_rewritten_solver_nests_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string flags) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", $"{compiler}_{flags.Length}_solver.c", Program, path => Ws.RewritePlannedLoops(path),
            result => Assert.That((result.Outcomes.Count(o => o.Applied && o.Expansions.Count == 1), result.Text.Contains("#pragma omp for schedule(static) nowait", StringComparison.Ordinal),
                    Applied(result, "(interchange(p,c; strips 256))")),
                Is.EqualTo((1, false, 1)), result.Text), flags.Split(' '));
}
