using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The three holes real code showed (issue 11), as whole programs: every loop the analyzer judges parallel is
/// rewritten exactly as the build does, compiled with `-fopenmp`, run on 4 threads and compared with the serial
/// program. Each program exercises the worst case: the caller passes one array twice, a subscript leaves its row,
/// an accessor's argument is the real subscript.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class RealCodeHolesRunTests : GenerationFixture
{
    private const string ArrayParameters = """
        #include <stdio.h>
        #include <stdlib.h>

        /* Array syntax, pointer semantics: main passes x twice. */
        static void shift(int n, double a[], double b[]) {
            for (int i = 1; i < n; i++)
                a[i] = b[i - 1] + 1;
        }

        static void scale(double A[64][64], double B[64][64]) {
            for (int i = 1; i < 64; i++)
                for (int j = 0; j < 64; j++)
                    A[i][j] = B[i - 1][j] + 1;
        }

        static double M[64][64];

        int main(void) {
            enum { N = 1000000 };
            double *x = calloc(N, sizeof *x);
            double *y = calloc(N, sizeof *y);
            if (!x || !y) return 1;
            shift(N, x, x);
            shift(N, y, x);
            scale(M, M);
            printf("%.0f %.0f %.0f\n", x[N - 1], y[N - 1], M[63][17]);
            free(x);
            free(y);
            return 0;
        }

        """;

    private const string RowOverflow = """
        #include <stdio.h>

        enum { R = 2000, C = 300 };
        static double b[R][C];

        /* b[i][j - 1] with j = 0 is b[i - 1][C - 1]: one chain through the whole matrix. */
        static void chain(void) {
            for (int i = 0; i < R; i++)
                for (int j = 0; j < C; j++)
                    b[i][j] = b[i][j - 1] + 1;
        }

        /* m is larger than a row when called with C + 40: the rows overlap. */
        static void wide(int m) {
            for (int i = 1; i < R - 1; i++)
                for (int j = 0; j < m; j++)
                    b[i][j] = b[i][j] * 0.5 + 1;
        }

        int main(void) {
            for (int i = 0; i < R; i++)
                for (int j = 0; j < C; j++)
                    b[i][j] = 0;
            chain();
            double before = b[R - 1][C - 1];
            wide(C + 40);
            double s = 0;
            for (int i = 0; i < R; i++)
                for (int j = 0; j < C; j++)
                    s += b[i][j];
            printf("%.0f %.6f\n", before, s);
            return 0;
        }

        """;

    private const string Accessors = """
        #include <cstdio>
        #include <vector>

        struct Domain {
            std::vector<int> m_bc;
            std::vector<double> m_x;
            int m_n;
            int& bc(int k) { return m_bc[k]; }
            double& x(int k) { return m_x[k]; }
            int numElem() const { return m_n; }
        };

        int main() {
            const int E = 600;
            Domain d;
            d.m_n = E * E;
            d.m_bc.assign(E * E, 0);
            d.m_x.assign(E * E, 1.0);
            // The proxy application's pattern: row i's cells, then column 0 of every row from iteration 0.
            for (int i = 0; i < E; i++) {
                for (int j = 0; j < E; j++)
                    d.bc(i * E + j) = d.bc(i * E + j) * 3 + i;
                if (i == 0)
                    for (int j = 0; j < E; j++)
                        d.bc(j * E) += 7;
            }
            // Accessor argument is the subscript: x(i - 1) was written by the previous iteration.
            for (int i = 1; i < d.numElem(); i++)
                d.x(i) = d.x(i - 1) * 0.5 + 1.0;
            // Truly parallel, bound by a getter.
            for (int i = 0; i < d.numElem(); i++)
                d.x(i) = d.x(i) + 2.0;
            long s = 0;
            for (int k = 0; k < E * E; k++) s += d.m_bc[k] * (k % 13 + 1);
            std::printf("%ld %.6f\n", s, d.x(E * E - 1));
            return 0;
        }

        """;

    private static readonly Dictionary<string, string> Programs = new()
    {
        ["array_parameters.c"] = ArrayParameters,
        ["row_overflow.c"] = RowOverflow,
        ["accessors.cpp"] = Accessors,
    };

    [TestCase("array_parameters.c", "gcc")]
    [TestCase("array_parameters.c", "clang-19")]
    [TestCase("row_overflow.c", "gcc")]
    [TestCase("row_overflow.c", "clang-19")]
    [TestCase("accessors.cpp", "g++")]
    [TestCase("accessors.cpp", "clang++-19")]
    public void The_worst_case_program_prints_on_4_threads_what_it_prints_serially(string name, string compiler)
    {
        var source = Programs[name];
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_" + name, source);
        var result = Ws.RewriteParallelLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied), Is.GreaterThanOrEqualTo(1), "some loop of each program is parallel, so the run tests the rewrite");
        var std = name.EndsWith(".cpp", StringComparison.Ordinal) ? "-std=c++17" : "-std=c11";
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, std, path, result);
    }

    private static int LineOf(string source, string text) =>
        source.Split('\n').Select((l, k) => (l, k)).Single(x => x.l.Contains(text, StringComparison.Ordinal)).k + 1;

    [Test]
    public void A_loop_writing_through_two_array_parameters_is_parallel_only_under_a_non_overlap_check()
    {
        var path = Ws.WriteSource("verdict_array_parameters.c", ArrayParameters);
        var loops = Ws.Analyze(path).Loops;
        var shift = loops.Single(l => l.Function == "shift");
        var scale = loops.First(l => l.Function == "scale");
        Assert.That(shift.Parallelizable && shift.RuntimeCheck is not null, Is.True, shift.Reason);
        Assert.That(scale.Parallelizable && scale.RuntimeCheck is not null, Is.True, scale.Reason);
        Assert.That(scale.RuntimeCheck, Does.Contain("(const double *)(A)"), "rows of a 2-D parameter are compared in elements, not rows");
    }

    [Test]
    public void A_row_recurrence_starting_at_column_zero_is_sequential_in_both_loops()
    {
        var path = Ws.WriteSource("verdict_row_overflow.c", RowOverflow);
        var chain = Ws.Analyze(path).Loops.Where(l => l.Function == "chain").ToList();
        Assert.That(chain.Select(l => l.Parallelizable), Is.EqualTo(new[] { false, false }), string.Join("\n", chain.Select(l => l.Reason)));
        var wide = Ws.Analyze(path).Loops.First(l => l.Function == "wide");
        Assert.That(wide.RuntimeCheck, Is.EqualTo("m <= 300"), "rows are independent only while j stays inside a row");
    }

    [Test]
    public void An_accessor_argument_is_the_subscript_of_the_member_it_returns()
    {
        var path = Ws.WriteSource("verdict_accessors.cpp", Accessors);
        var loops = Ws.Analyze(path).Loops.Where(l => l.Function == "main").ToList();
        var outer = loops.Single(l => l.Line == LineOf(Accessors, "for (int i = 0; i < E; i++)"));
        Assert.That(outer.Parallelizable, Is.False, outer.Reason);
        var carried = loops.Single(l => l.Line == LineOf(Accessors, "for (int i = 1; i < d.numElem(); i++)"));
        Assert.That(carried.Parallelizable, Is.False, carried.Reason);
        var getterBound = loops.Single(l => l.Line == LineOf(Accessors, "for (int i = 0; i < d.numElem(); i++)"));
        Assert.That(getterBound.Parallelizable, Is.True, "a getter in the condition is an invariant bound: " + getterBound.Reason);
    }
}
