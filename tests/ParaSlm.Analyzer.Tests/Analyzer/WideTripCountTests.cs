using ParaSlm.Analyzer.Affine;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// A cost guard is C text evaluated before the loop. The analyzer keeps a bound as a sum of monomials, so a factored bound
/// (`(ymax - ymin + 1) * (xmax - xmin + 1)`, CloverLeaf's field_summary) comes back expanded (`ymax * xmax - ymax * xmin …`),
/// whose products overflow `int` where the user's factors did not: undefined behaviour the user never wrote. Products and
/// scaled terms of a trip count are therefore evaluated in `long long`.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class WideTripCountTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>

        double field_sum(const double *w, int ymin, int ymax, int xmin, int xmax) {
            double s = 0.0;
            for (int idx = 0; idx < (ymax - ymin + 1) * (xmax - xmin + 1); idx++)
                s += w[idx] * w[idx];
            return s;
        }

        int main(int argc, char **argv) {
            int lo = argc > 1 ? atoi(argv[1]) : 50000, hi = argc > 2 ? atoi(argv[2]) : 50000;
            int n = (hi - lo + 1) * (hi - lo + 1);
            double *w = malloc(sizeof(double) * (size_t)n);
            for (int i = 0; i < n; i++) w[i] = (i % 7) * 0.25;
            printf("%a\n", field_sum(w, lo, hi, lo, hi));
            free(w);
            return 0;
        }

        """;

    [Test]
    public void A_products_monomials_and_scaled_terms_render_in_long_long_only_when_asked()
    {
        // `int` values: a symbol of unknown or unsigned type is also widened on its own (RunTimeCheckWrapTests).
        var type = new Syntax.TypeInfo("int", "int", Syntax.TypeShape.Scalar, false, false, false, false, false, false, true, -1, null);
        var y = LinearExpr.Of(new Symbol("y", "y") { Type = type }).Add(LinearExpr.Const(1));
        var x = LinearExpr.Of(new Symbol("x", "x") { Type = type });
        var product = y.Multiply(x)!.Add(x.Scale(3));
        Assert.That(product.ToString(), Is.EqualTo("y * x + 4 * x").Or.EqualTo("x * y + 4 * x"));
        Assert.That(product.ToWideString(), Is.EqualTo("(long long)y * x + 4LL * x").Or.EqualTo("(long long)x * y + 4LL * x"));
    }

    [Test]
    public void The_cost_guard_of_a_factored_bound_does_not_overflow_int_where_the_users_bound_does_not()
    {
        var path = Ws.WriteSource("field_sum.c", Program);
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var loop = analysis.Loops.Single(l => l.Function == "field_sum");
        Assert.That(loop.TripCountText, Does.Contain("(long long)"), loop.TripCountText);
        var edits = FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel)
            .Select(p => LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, LoopCost.IfClause(byId[p.Id], analysis.Loops, byId), byId))
            .ToList();
        Assert.That(edits.Select(e => e.Line), Does.Contain(loop.Line), "the loop is planned parallel with a cost guard");
        var text = SourceRewriter.Rewrite(path, File.ReadAllText(path), edits).Text;
        Assert.That(text, Does.Contain("PARASLM_COST_GUARD ||"), text);

        // Under UBSan, with rows far apart in value but one cell wide: the user's product is 1, each expanded monomial 2.5e9.
        var cc = GenerationWorkspace.RequireTool("gcc");
        var rewritten = Ws.WriteRewritten(path, text);
        var exe = rewritten + ".exe";
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", "-fsanitize=signed-integer-overflow", "-fno-sanitize-recover=all",
            "-Wall", "-Werror", rewritten, "-o", exe]);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
        foreach (var (lo, hi, expected) in new[] { ("50000", "50000", "0x0p+0"), ("50000", "50009", null as string) })
        {
            var run = GenerationWorkspace.Run(exe, [lo, hi], environment: new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "4" });
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
            Assert.That(run.Output, Does.Not.Contain("runtime error"));
            if (expected is not null) Assert.That(run.StdOut.Trim(), Is.EqualTo(expected));
        }
    }
}
