using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Unroll-and-jam in accumulators (issue 14 item 1, `unroll-jam(i,4,acc)`): the elements a jammed inner loop updates (a
/// row product's `x[i]`) stay in an accumulator per copy while the inner loop runs, instead of a store and a load per chain
/// link. The proof (JamAccumulating) and where it must not apply, the generated text with `#line` and its floating-point
/// condition, and outputs bit-identical to serial (`%a`) on 4 threads with gcc and clang, row counts 4 does not divide.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class JamAccumulatorTests : GenerationFixture
{
    // A row product through pointer parameters (the parallel loop itself, its run-time check), two chains with a start and
    // an end statement around the inner loop, and an integer count (no floating-point condition; its plan runs the integer
    // sum in vector lanes instead, which keep its results); 203 rows.
    private const string Program = """
        #include <stdio.h>
        #define N 203
        #define M 75

        static double A[N][M], B[N][M], xv[M], rv[N], sv[N], tv[N];
        static int cv[N];

        static void rowprod(int n, int m, double (*a)[M], const double *x, double *r) {
            int i, j;
            for (i = 0; i < n; i++)
                for (j = 0; j < m; j++)
                    r[i] = r[i] + a[i][j] * x[j];
        }

        static void twochains(void) {
            for (int i = 0; i < N; i++) {
                sv[i] = 0.0;
                tv[i] = 1.0;
                for (int j = 0; j < M; j++) {
                    sv[i] = A[i][j] * xv[j] + sv[i];
                    tv[i] = B[i][j] * xv[j] * sv[i] + tv[i];
                }
                tv[i] = tv[i] * 0.5 + sv[i];
            }
        }

        static void counts(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < M; j++)
                    cv[i] += A[i][j] > B[i][j];
        }

        int main(void) {
            for (int i = 0; i < N; i++) for (int j = 0; j < M; j++) { A[i][j] = ((i * 7 + j * 13) % 23) / 7.0 - 1.3; B[i][j] = ((i * 5 + j * 3) % 17) / 9.0 - 0.7; }
            for (int j = 0; j < M; j++) xv[j] = (j % 11) / 3.0 - 1.1;
            for (int i = 0; i < N; i++) rv[i] = i / 3.0;
            rowprod(N, M, A, xv, rv);
            twochains();
            counts();
            for (int i = 0; i < N; i++) printf("%a %a %a %d\n", rv[i], sv[i], tv[i], cv[i]);
            return 0;
        }

        """;

    // Each loop is unrolled and jammed, but keeps its elements in memory.
    private const string InMemory = """
                #define N 64
        double a[N][N], w[N][N], x[N], y[N];

        void element_moves_with_the_inner_loop(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    x[i] = x[i] + a[i][j];
                    w[i][j] = x[i];
                }
        }

        void update_under_a_condition(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++)
                    if (a[i][j] > 0.0) y[i] = y[i] + a[i][j];
        }
        """;

    [Test]
    public void A_jammed_row_product_keeps_each_rows_element_in_an_accumulator()
    {
        var analysis = Ws.Analyze(Ws.WriteSource("facts.c", Program));
        var byLine = analysis.Loops.Where(l => l.UnrollJam is not null).ToDictionary(l => l.Line, l => l.UnrollJam!);
        Assert.That(byLine.Keys, Is.EquivalentTo(new[] { 10, 16, 28 }), "the row product's i, the two chains' i, the counts' i");
        var prod = byLine[10];
        Assert.That(prod.Name, Is.EqualTo("unroll-jam(i,4,acc)"));
        var acc = prod.Accumulators!;
        Assert.That((acc.FloatingPoint, acc.Elements.Single()), Is.EqualTo((true, "r[i]")));
        Assert.That(acc.Load[2].Single().Code, Is.EqualTo("double paraslm_acc_i2_0 = r[(paraslm_u_i + 2)];"));
        Assert.That(acc.Body[2].Single().Code, Is.EqualTo("paraslm_acc_i2_0 = paraslm_acc_i2_0 + a[(paraslm_u_i + 2)][j] * x[j];"));
        Assert.That(acc.Store[2].Single().Code, Is.EqualTo("r[(paraslm_u_i + 2)] = paraslm_acc_i2_0;"));
        var two = byLine[16].Accumulators!;
        Assert.That(two.Body[1].Select(l => (l.Line, l.Code)), Is.EqualTo(new[]
        {
            (20, "paraslm_acc_i1_0 = A[(paraslm_u_i + 1)][j] * xv[j] + paraslm_acc_i1_0;"),
            (21, "paraslm_acc_i1_1 = B[(paraslm_u_i + 1)][j] * xv[j] * paraslm_acc_i1_0 + paraslm_acc_i1_1;"),
        }), "the second chain reads the first's accumulator");
        Assert.That(byLine[16].Pre[1].Select(l => l.Code), Is.EqualTo(new[] { "sv[(paraslm_u_i + 1)] = 0.0;", "tv[(paraslm_u_i + 1)] = 1.0;" }),
            "the start statements run before the loads, in memory");
        Assert.That(byLine[28].Accumulators!.FloatingPoint, Is.False, "an integer count rounds nowhere");
        Assert.That(byLine[28].Accumulators!.Load[0].Single().Code, Is.EqualTo("int paraslm_acc_i0_0 = cv[(paraslm_u_i + 0)];"));
        Assert.That(byLine[28].Accumulators!.Body[0].Single().Code, Is.EqualTo("paraslm_acc_i0_0 += A[(paraslm_u_i + 0)][j] > B[(paraslm_u_i + 0)][j];"));

        var plans = FilePlanner.AnalyzerPlan(analysis);
        Assert.That(plans.Single(p => p.Line == 10).Reason, Does.Contain("unroll-jam(i,4,acc)").And.Contain("`r[i]` is only reached there and stays in an accumulator"));
    }

    [TestCase("element_moves_with_the_inner_loop", TestName = "A_jam_that_writes_an_element_of_the_inner_loop_stays_in_memory")]
    [TestCase("update_under_a_condition", TestName = "A_chain_updated_under_a_condition_stays_in_memory")]
    public void Elements_outside_the_proof_stay_in_memory(string function)
    {
        var analysis = Ws.Analyze(Ws.WriteSource("memory.c", InMemory));
        var outer = analysis.Loops.Single(l => l.Function == function && l.Depth == 1);
        Assert.That(outer.UnrollJam, Is.Not.Null, "the jam itself is proven");
        Assert.That((outer.UnrollJam!.Accumulators, outer.UnrollJam.Name), Is.EqualTo(((Locality.JamAccumulators?)null, "unroll-jam(i,4)")));
        var result = Ws.RewritePlannedLoops(Ws.WriteSource("memory_text.c", InMemory), floatReassociation: false);
        Assert.That(result.Text, Does.Not.Contain("paraslm_acc_"));
    }

    [Test]
    public void The_generated_text_loads_runs_and_stores_each_copys_accumulators_under_the_rounding_condition()
    {
        var result = Ws.RewritePlannedLoops(Ws.WriteSource("text.c", Program), floatReassociation: false);
        var text = result.Text;
        Assert.That(result.Outcomes.Count(o => o.Applied && o.UnrollJams.Count == 1), Is.EqualTo(2), text);
        Assert.That(text, Does.Contain("#define PARASLM_EXACT_FP 1").And.Contain("#define PARASLM_SAME_CONTRACTION 0"));
        var prod = text[text.IndexOf("/* ParaSlm unroll-jam(i,4,acc)", StringComparison.Ordinal)..];
        prod = prod[..prod.IndexOf("} else {", StringComparison.Ordinal)];
        var (cond, load, loop, store, otherwise, end) = (prod.IndexOf("#if PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION", StringComparison.Ordinal),
            prod.IndexOf("double paraslm_acc_i0_0 = r[(paraslm_u_i + 0)];", StringComparison.Ordinal), prod.IndexOf("for (j = 0; j < m; j++) {", StringComparison.Ordinal),
            prod.IndexOf("r[(paraslm_u_i + 3)] = paraslm_acc_i3_0;", StringComparison.Ordinal), prod.IndexOf("#else", StringComparison.Ordinal), prod.IndexOf("#endif", StringComparison.Ordinal));
        var order = new[] { cond, load, loop, store, otherwise, end };
        Assert.That(order, Is.All.GreaterThanOrEqualTo(0), prod);
        Assert.That(order, Is.Ordered, prod);
        Assert.That(prod[otherwise..end], Does.Contain("r[(paraslm_u_i + 0)] = r[(paraslm_u_i + 0)] + a[(paraslm_u_i + 0)][j] * x[j];"), "elsewhere the jam in memory");
        Assert.That(GenerationWorkspace.PresumedLine(text, "paraslm_acc_i1_0 = paraslm_acc_i1_0 + a[(paraslm_u_i + 1)][j]"), Is.EqualTo(12));
        Assert.That(GenerationWorkspace.PresumedLine(text, "double paraslm_acc_i0_0 = r[(paraslm_u_i + 0)];"), Is.EqualTo(12));
        Assert.That(GenerationWorkspace.PresumedLine(text, "paraslm_acc_i2_1 = B[(paraslm_u_i + 2)][j] * xv[j] * paraslm_acc_i2_0"), Is.EqualTo(21));
    }

    [TestCase("gcc", "-std=c11", "-O2")]
    [TestCase("clang-19", "-std=c11", "-O2")]
    [TestCase("gcc", "-std=c11", "-O3")]
    [TestCase("clang-19", "-std=c11", "-O3 -march=x86-64-v3")]
    [TestCase("gcc", "-std=c11", "-O3 -march=x86-64-v3")]
    [TestCase("clang-19", "-std=gnu11", "-O3 -march=x86-64-v3 -ffp-contract=fast")]
    public void The_accumulated_jams_print_on_4_threads_exactly_what_the_serial_program_prints(string compiler, string std, string flags)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler.Replace("-", "") + "_" + std.Replace("-std=", "") + "_" + flags.Replace(" ", "_").Replace("-", "").Replace("=", "") + "_acc.c", Program);
        var result = Ws.RewritePlannedLoops(path, floatReassociation: false);
        Assert.That(result.Text, Does.Contain("paraslm_acc_i0_0"));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result, flags.Split(' '));
    }
}
