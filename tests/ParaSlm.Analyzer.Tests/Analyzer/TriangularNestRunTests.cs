using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Triangular nests the all-dimensions dependence test proves (a covariance matrix written as both triangles, an in-place
/// transposition over the upper triangle, a symmetric lower triangle) planned by the analyzer and rewritten as the engine
/// does: their outer loops run in parallel, and the programs print on 4 threads exactly what they print serially.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class TriangularNestRunTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #define M 300
        #define NS 240

        static double data[NS][M], cov[M][M], tr[M][M], low[M][M];

        static void covariance(int m, int n, double x[NS][M], double cv[M][M]) {
            int i, j, k;
            for (i = 0; i < m; i++)
                for (j = i; j < m; j++) {
                    cv[i][j] = 0.0;
                    for (k = 0; k < n; k++) cv[i][j] += x[k][i] * x[k][j];
                    cv[i][j] /= (n - 1.0);
                    cv[j][i] = cv[i][j];
                }
        }

        static void transpose(int m) {
            for (int i = 0; i < m; i++)
                for (int j = i + 1; j < m; j++) {
                    double t = tr[i][j];
                    tr[i][j] = tr[j][i];
                    tr[j][i] = t;
                }
        }

        static void lower(int m) {
            for (int i = 0; i < m; i++)
                for (int j = 0; j <= i; j++) {
                    low[i][j] = data[i % NS][j] * 0.5 + data[j % NS][i];
                    low[j][i] = low[i][j];
                }
        }

        int main(void) {
            for (int k = 0; k < NS; k++)
                for (int j = 0; j < M; j++) data[k][j] = (double)((k * 7 + j * 13) % 101) / 17.0 - 2.5;
            for (int i = 0; i < M; i++)
                for (int j = 0; j < M; j++) tr[i][j] = i * 1000.0 + j;
            covariance(M, NS, data, cov);
            transpose(M);
            lower(M);
            for (int i = 0; i < M; i += 7) {
                double s = 0.0;
                for (int j = 0; j < M; j++) s += cov[i][j] * (j + 1) + tr[i][j] + low[i][j] * 3.0;
                printf("%d %a %a %a\n", i, s, cov[i][M - 1 - i], tr[i][(i * 5) % M]);
            }
            return 0;
        }
        """;

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void Triangular_nests_proven_by_the_system_print_on_4_threads_what_the_serial_program_prints(string compiler)
    {
        AssertRewrittenRunPrintsWhatSerialPrints(compiler, "-std=c11", compiler + "_triangular.c", Program,
            p => Ws.RewritePlannedLoops(p),
            result =>
            {
                // The outer loop of each of the three nests is a parallel loop of the plan.
                foreach (var line in new[] { 9, 19, 28 })
                    Assert.That(result.Outcomes.Any(o => o.Applied && o.Edit.Line == line), Is.True,
                        $"the nest at line {line} runs in parallel:\n" + string.Join("\n", result.Outcomes.Select(o => $"{o.Edit.Line} {o.Applied} {o.Reason}")));
                Assert.That(result.Text, Does.Contain("schedule(dynamic"), "a triangular nest shares its rows dynamically");
                // Inside the parallel covariance rows, `j` runs scalar-expanded (`k` outside it), although its own check (the
                // parameters' overlap over one row) differs from the outer loop's (over all rows), which implies it.
                Assert.That(result.Outcomes.Single(o => o.Applied && o.Edit.Line == 9).Expansions, Has.Count.EqualTo(1), result.Text);
            });
    }
}
