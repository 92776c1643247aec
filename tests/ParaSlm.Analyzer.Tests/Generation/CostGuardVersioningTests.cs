using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>
/// A loop with a run-time profitability test (`if(!PARASLM_COST_GUARD || n >= K)`) is versioned: the test chooses between
/// the parallel loop and the original one, so a short call never enters the OpenMP runtime (nlopt's StoGO test ran 40x
/// slower when the test was only an `if` clause of the directive, i.e. a parallel region of one thread per call).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class CostGuardVersioningTests : GenerationFixture
{
    private const string Guard = "!PARASLM_COST_GUARD || n >= 1000";

    // `levels[i]` records how deep in OpenMP parallel regions iteration i ran: 0 outside any region, 1 inside one, even a
    // region of one thread (`if(false)`). A short call must run outside; a long one inside.
    private const string LevelProgram = """
        #include <stdio.h>
        #ifdef _OPENMP
        #include <omp.h>
        #else
        static int omp_get_level(void) { return 0; }
        #endif
        static int levels[4096];

        void record(int n) {
            if (n > 0)
                for (int i = 0; i < n; i++) levels[i] = omp_get_level();
        }

        int main(void) {
            int small = 0, large = 0;
            for (int call = 0; call < 1000; call++) {
                record(8);
                for (int i = 0; i < 8; i++) small += levels[i];
            }
            record(4096);
            for (int i = 0; i < 4096; i++) large += levels[i] > 0;
            printf("small calls inside a parallel region: %d\nlarge call iterations inside one: %d\n", small, large);
            return 0;
        }

        """;

    private (string Path, RewriteResult Result) RewriteWithGuard(string name, string source, string directive = "omp parallel for if(" + Guard + ")")
    {
        var path = Ws.WriteSource(name, source);
        var analysis = Ws.Analyze(path);
        var loop = analysis.Loops.Single(l => source.Split('\n')[l.Line - 1].Contains("for (int i = 0; i < n;", StringComparison.Ordinal));
        return (path, SourceRewriter.Rewrite(path, source, [LoopEdit.ForLoop(loop, directive)]));
    }

    [Test]
    public void A_guarded_loop_becomes_a_parallel_and_a_serial_version_both_mapped_to_its_line()
    {
        var (path, result) = RewriteWithGuard("text.c", LevelProgram);
        Assert.That(result.Outcomes.Single().Applied, Is.True, result.Outcomes.Single().Reason);
        var line = LevelProgram.Split('\n').ToList().FindIndex(l => l.Contains("levels[i] = omp_get_level()", StringComparison.Ordinal)) + 1;
        var at = $"#line {line} \"{path}\"\n";
        var loop = "for (int i = 0; i < n; i++) levels[i] = omp_get_level();";
        // The unbraced `if (n > 0)` body gets braces around both versions.
        Assert.That(result.Text, Does.Contain(
            $"        {{ if ({Guard}) {{\n{at}        #pragma omp parallel for\n{at}        {loop}\n" +
            $"        }} else {{\n{at}        {loop} }} }}\n"), result.Text);
        Assert.That(result.Text, Does.Not.Contain("if(!PARASLM_COST_GUARD"), "the clause moved out of the directive");
        Assert.That(result.Text, Does.StartWith("#ifndef PARASLM_COST_GUARD\n#define PARASLM_COST_GUARD 1\n#endif\n"));
        Assert.That(result.Outcomes.Single().Reason, Does.Contain($"in a version guarded by `if ({Guard})`"));
    }

    [Test]
    public void A_guarded_loop_with_its_own_overlap_check_tests_the_guard_first()
    {
        var path = Ws.WriteSource("both2.c", LevelProgram);
        var loop = Ws.Analyze(path).Loops.Single(l => l.Line == 11);
        var both = SourceRewriter.Rewrite(path, LevelProgram, [LoopEdit.ForLoop(loop, "omp parallel for if(" + Guard + ") schedule(static)", "levels != 0")]);
        Assert.That(both.Text, Does.Contain($"{{ if (({Guard}) && (levels != 0)) {{").And.Contain("#pragma omp parallel for schedule(static)\n"), both.Text);
    }

    [TestCase("label", "for (int i = 0; i < n; i++) { if (a[i] < 0) goto skip; a[i] *= 2; skip: a[i] += 1; }")]
    [TestCase("static", "for (int i = 0; i < n; i++) { static const double k = 2.0; a[i] *= k; }")]
    [TestCase("counter", "for (int i = 0; i < n; i++) { a[i] += __COUNTER__; }")]
    public void A_loop_whose_text_cannot_be_written_twice_keeps_the_guard_as_an_if_clause(string name, string loop)
    {
        var source = $"void scale(double *a, int n) {{\n    {loop}\n}}\n";
        var (_, result) = RewriteWithGuard($"{name}.c", source);
        Assert.That(result.Outcomes.Single().Applied, Is.True, result.Outcomes.Single().Reason);
        Assert.That(result.Text, Does.Contain($"#pragma omp parallel for if({Guard})\n"), result.Text);
        Assert.That(result.Text, Does.Not.Contain("else"), "one copy of the loop only");
        Assert.That(Regex.Matches(result.Text, Regex.Escape(loop)), Has.Count.EqualTo(1));
    }

    // The same, hidden behind macros: the token check sees `MARK(skip)` and `KEEP_SCALE`, the AST sees a label and a
    // `static` local. Each program must keep one copy of its loop and still print what the serial program prints.
    [TestCase("macro_label", "#define MARK(l) l:", "for (int i = 0; i < n; i++) { if (a[i] < 0) goto skip; a[i] *= 2; MARK(skip) a[i] += 1; }", "gcc")]
    [TestCase("macro_label", "#define MARK(l) l:", "for (int i = 0; i < n; i++) { if (a[i] < 0) goto skip; a[i] *= 2; MARK(skip) a[i] += 1; }", "clang-19")]
    [TestCase("macro_static", "#define KEEP_SCALE static const double k = 2.0;", "for (int i = 0; i < n; i++) { KEEP_SCALE a[i] *= k; }", "gcc")]
    [TestCase("macro_static", "#define KEEP_SCALE static const double k = 2.0;", "for (int i = 0; i < n; i++) { KEEP_SCALE a[i] *= k; }", "clang-19")]
    public void A_loop_whose_macro_hides_a_label_or_a_static_local_keeps_the_guard_as_an_if_clause_and_runs_right(string name, string macro, string loop, string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var source = $$"""
            #include <stdio.h>
            {{macro}}
            static double data[5000];
            void scale(double *a, int n) {
                {{loop}}
            }
            int main(void) {
                for (int k = 0; k < 5000; k++) data[k] = (k % 7) - 3.0;
                scale(data, 5000);
                scale(data, 10);
                double s = 0;
                for (int k = 0; k < 5000; k++) s += data[k] * (k % 5);
                printf("%a line %d\n", s, __LINE__);
                return 0;
            }
            """;
        var (path, result) = RewriteWithGuard($"{name}_{compiler}.c", source);
        Assert.That(result.Outcomes.Single().Applied, Is.True, result.Outcomes.Single().Reason);
        Assert.That(Ws.Analyze(path).Loops.Single(l => l.Function == "scale").NotDuplicable, Is.Not.Null, "the AST sees what the macro hides");
        Assert.That(result.Text, Does.Contain($"#pragma omp parallel for if({Guard})\n"), result.Text);
        Assert.That(result.Text, Does.Not.Contain("else"), "one copy of the loop only");
        Assert.That(Regex.Matches(result.Text, Regex.Escape(loop)), Has.Count.EqualTo(1));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result);
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void A_short_call_of_a_versioned_loop_never_enters_an_OpenMP_region(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var (path, result) = RewriteWithGuard($"levels_{compiler}.c", LevelProgram);
        var rewritten = Ws.WriteRewritten(path, result.Text);
        string RunWith(params string[] flags)
        {
            var exe = Path.Combine(Ws.Root, $"levels_{compiler}_{flags.Length}");
            var build = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", .. flags, rewritten, "-o", exe]);
            Assert.That(build.ExitCode, Is.Zero, build.Output);
            var run = GenerationWorkspace.Run(exe, [], environment: GenerationWorkspace.FourThreads);
            Assert.That(run.ExitCode, Is.Zero, run.Output);
            return run.StdOut;
        }

        // An `if(false)` clause would still open a region (of one thread) and count 8 per call here.
        Assert.That(RunWith(), Is.EqualTo("small calls inside a parallel region: 0\nlarge call iterations inside one: 4096\n"));
        // Validation's sanitizer builds switch the guard off: every call runs the parallel version.
        Assert.That(RunWith("-DPARASLM_COST_GUARD=0"), Is.EqualTo("small calls inside a parallel region: 8000\nlarge call iterations inside one: 4096\n"));
    }

    // Short and long calls of the analyzer's own plans (guard from the cost model): both versions print what serial prints.
    private const string SumProgram = """
        #include <stdio.h>

        double total(const double *a, int n) {
            double s = 0.0;
            for (int i = 0; i < n; i++) s += a[i] * a[i];
            return s;
        }

        void scale(double *a, int n, double k) {
            for (int i = 0; i < n; i++) a[i] = a[i] * k + 1.0;
        }

        static double big[300000];

        int main(void) {
            double small[16];
            for (int i = 0; i < 16; i++) small[i] = i * 0.25;
            for (int i = 0; i < 300000; i++) big[i] = (i % 7) * 0.5;
            for (int r = 0; r < 100; r++) scale(small, 16, 0.5);
            scale(big, 300000, 0.5);
            printf("%.6f %.6f\n", total(small, 16), total(big, 300000));
            return 0;
        }

        """;

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void Versioned_loops_print_on_four_threads_what_the_serial_program_prints(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource($"sum_{compiler}.c", SumProgram);
        // As the engine edits them: the plan's clauses plus the cost model's run-time guard.
        var analysis = Ws.Analyze(path);
        var edits = Reasoner.Planning.FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel).Select(p =>
        {
            var loop = analysis.Loops.Single(l => l.Id == p.Id);
            var guard = Reasoner.Planning.LoopCost.IfClause(loop, analysis.Loops, Reasoner.Planning.LoopIndex.Of(analysis.Loops));
            return LoopEdit.ForLoop(loop, $"omp parallel for {p.Clauses} {guard}".Trim(), p.RuntimeCheck);
        }).ToList();
        var result = SourceRewriter.Rewrite(path, SumProgram, edits);
        Assert.That(Regex.Matches(result.Text, @"\} else \{"), Has.Count.EqualTo(2), "both loops carry a cost guard and are versioned:\n" + result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result);
    }
}
