using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Broadcast reads (issue 14, the cost model): a parallel loop inside a serial one whose every thread reads what the serial
/// loop's iteration wrote outside it pays a cross-core move of each of those lines per entry. The analyzer counts the lines
/// and the loop's work as C text valid before the loop; the region then runs its full team only where the work is large
/// next to the lines (<see cref="BroadcastCost"/>), one thread otherwise, with its transformed form kept. Loops that read
/// nothing of the kind, or whose counts cannot be written before the loop, get no fact (and are planned as before).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class BroadcastReadTests : GenerationFixture
{
    // Modified Gram-Schmidt on columns: the serial part of `k` writes the column `q[i][k]`, then every `j` reads all of it.
    private const string Program = """
        #include <stdio.h>
        #define ROWS 60
        #define COLS 90
        static double a[ROWS][COLS], q[ROWS][COLS], r[COLS][COLS];

        static void orthonormalize(int m, int n) {
            for (int k = 0; k < n; k++) {
                double s = 0.0;
                for (int i = 0; i < m; i++)
                    s += a[i][k] * a[i][k];
                r[k][k] = s + 1.0;
                for (int i = 0; i < m; i++)
                    q[i][k] = a[i][k] / r[k][k];
                for (int j = k + 1; j < n; j++) {
                    r[k][j] = 0.0;
                    for (int i = 0; i < m; i++)
                        r[k][j] += q[i][k] * a[i][j];
                    for (int i = 0; i < m; i++)
                        a[i][j] = a[i][j] - q[i][k] * r[k][j];
                }
            }
        }

        int main(void) {
            for (int i = 0; i < ROWS; i++)
                for (int j = 0; j < COLS; j++) a[i][j] = ((i * 7 + j * 13) % 17) / 9.0 + (i == j ? 4.0 : 0.0);
            orthonormalize(ROWS, COLS);
            for (int i = 0; i < ROWS; i++) for (int j = 0; j < COLS; j++) printf("%a %a\n", a[i][j], q[i][j]);
            for (int i = 0; i < COLS; i++) for (int j = 0; j < COLS; j++) printf("%a\n", r[i][j]);
            return 0;
        }

        """;

    private const string Others = """
        #define N 200
        static double a[N][N], b[N][N], c[N], row[N];
        double f(double);

        /* Each j reads only its own column: nothing every thread reads. */
        void own_columns(int n) {
            for (int k = 0; k < n; k++) {
                c[k] = k * 0.5;
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < n; i++)
                        a[i][j] = a[i][j] * 0.5 + b[i][j];
            }
        }

        /* Every j reads c, but nothing in the serial loop writes c. */
        void read_only_vector(int n) {
            for (int k = 0; k < n; k++) {
                b[k][0] = 1.0;
                for (int j = 1; j < n; j++)
                    for (int i = 0; i < n; i++)
                        a[i][j] += c[i] * a[i][j - 1 < 0 ? 0 : j];
            }
        }

        /* Every j reads the row the serial part wrote: contiguous, streamed by the prefetcher, not counted. */
        void row_broadcast(int n) {
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < n; i++)
                    row[i] = b[k][i] * 2.0;
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < n; i++)
                        a[j][i] += row[i];
            }
        }

        /* A call in the parallel loop: its work is not counted. */
        void call_inside(int n) {
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < n; i++)
                    row[i] = b[k][i];
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < n; i++)
                        a[j][i] += f(row[i]);
            }
        }
        """;

    private static int LineOf(string source, string text) =>
        source.Split('\n').ToList().FindIndex(l => l.Contains(text, StringComparison.Ordinal)) + 1;

    private LoopFacts Loop(string source, string name, string header)
    {
        var analysis = Ws.Analyze(Ws.WriteSource(name, source));
        return analysis.Loops.Single(l => l.Line == LineOf(source, header));
    }

    [Test]
    public void A_column_the_serial_loop_writes_and_every_iteration_of_the_parallel_loop_reads_is_one_line_per_element()
    {
        var j = Loop(Program, "facts.c", "for (int j = k + 1; j < n; j++)");
        Assert.That(j.Broadcast, Is.Not.Null);
        Assert.That(j.Broadcast!.Reads, Is.EqualTo(new[] { "q[i][k]" }), "a[i][j] and r[k][j] name j: each thread reads its own");
        Assert.That(j.Broadcast.Lines, Is.EqualTo("(long long)(m)"));
        Assert.That(j.Broadcast.Work, Is.EqualTo("(long long)(-(long long)k + n - 1) * (1 + 7LL * (m))"), "1 access per j, 3 and 4 per i of its two loops");
    }

    [TestCase("own_columns", TestName = "A_parallel_loop_whose_iterations_read_only_their_own_columns_has_no_broadcast")]
    [TestCase("read_only_vector", TestName = "A_parallel_loop_reading_a_vector_the_serial_loop_never_writes_has_no_broadcast")]
    [TestCase("call_inside", TestName = "A_parallel_loop_with_a_call_has_no_broadcast_fact")]
    [TestCase("row_broadcast", TestName = "A_row_every_iteration_reads_in_order_is_not_counted_as_a_broadcast")]
    public void Loops_without_a_countable_broadcast_get_no_fact(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource(function + ".c", Others));
        var loops = analysis.Loops.Where(l => l.Function == function).ToList();
        Assert.That(loops, Is.Not.Empty);
        Assert.That(loops.Select(l => l.Broadcast), Is.All.Null);
    }

    // The condition as C, with the values a build would see: one thread for this size (and PolyBench's 430 x 520), the full
    // team where each entry's work is large next to the column it reads.
    [TestCase(60, 90, 0, 0)]
    [TestCase(430, 520, 0, 0)]
    [TestCase(8, 20000, 0, 1)]
    [TestCase(8, 20000, 19990, 0)]
    public void The_team_condition_is_c_that_holds_only_where_the_work_per_entry_pays_for_the_lines(int m, int n, int k, int expected)
    {
        var j = Loop(Program, "condition.c", "for (int j = k + 1; j < n; j++)");
        var team = BroadcastCost.TeamCondition(j);
        Assert.That(team, Is.Not.Null);
        var cc = GenerationWorkspace.RequireTool("gcc");
        var probe = Ws.WriteSource($"probe_{m}_{n}_{k}.c",
            $"#include <stdio.h>\nint main(int argc, char **argv) {{ int m = {m}, n = {n}, k = {k}; (void)argv; if (argc > 5) m = n = k = argc; printf(\"%d\\n\", ({team}) ? 1 : 0); return 0; }}\n");
        var exe = probe + ".exe";
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-Wall", "-Werror", probe, "-o", exe]);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
        Assert.That(GenerationWorkspace.Run(exe, []).StdOut.Trim(), Is.EqualTo(expected.ToString()));
    }

    private RewriteResult RewriteWithTeams(string path)
    {
        // As the engine does (ApplyEngine): the plain plan's edit, with its team condition.
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var edits = FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel)
            .Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, LoopCost.IfClause(byId[p.Id], analysis.Loops, byId), byId)
                with { TeamCondition = BroadcastCost.TeamCondition(byId[p.Id]) })
            .ToList();
        return SourceRewriter.Rewrite(path, File.ReadAllText(path), edits);
    }

    [Test]
    public void The_generated_directive_carries_the_team_condition_after_the_cost_guard_became_versioning()
    {
        var path = Ws.WriteSource("text.c", Program);
        var text = RewriteWithTeams(path).Text;
        Assert.That(text, Does.Contain("#pragma omp parallel for if(!PARASLM_COST_GUARD || ((long long)(-(long long)k + n - 1) * (1 + 7LL * (m)) >= 10000LL * ((long long)(m))))\n"), text);
        Assert.That(text, Does.Contain("if (((!PARASLM_COST_GUARD || -(long long)k + n - 1 >= 64) && (n <= 90)))"), "the run-time trip count's guard still versions the loop");
        Assert.That(text.Split('\n').Count(l => l.TrimStart().StartsWith("#pragma omp", StringComparison.Ordinal) && l.Split(" if(").Length > 2), Is.Zero,
            "one `if` clause per directive");
    }

    [Test]
    public void A_directive_whose_cost_guard_stays_a_clause_joins_both_conditions_in_one_if()
    {
        Assert.That(CostGuardVersioning.WithTeam("omp parallel for private(i) if(!PARASLM_COST_GUARD || n >= 8)", "w >= 10000LL * (m)"),
            Is.EqualTo("omp parallel for private(i) if((!PARASLM_COST_GUARD || n >= 8) && (!PARASLM_COST_GUARD || (w >= 10000LL * (m))))"));
        Assert.That(CostGuardVersioning.WithTeam("omp parallel for", "w >= 1"), Is.EqualTo("omp parallel for if(!PARASLM_COST_GUARD || (w >= 1))"));
    }

    // The team condition fails at this size (one thread); with PARASLM_COST_GUARD=0 the full team runs the same form.
    [TestCase("gcc", "-DPARASLM_COST_GUARD=1")]
    [TestCase("gcc", "-DPARASLM_COST_GUARD=0")]
    [TestCase("clang-19", "-DPARASLM_COST_GUARD=0")]
    public void The_orthonormalization_with_its_team_condition_prints_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string guard) =>
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + guard[^1] + "_mgs.c", Program, RewriteWithTeams,
            result => Assert.That(result.Text, Does.Contain(">= 10000LL * ((long long)(m))))")), "-O2", guard);
}
