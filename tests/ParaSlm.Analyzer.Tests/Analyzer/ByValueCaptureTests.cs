using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Integer and pointer variables a parallel loop only reads are taken by value (`firstprivate`) where a store of the loop
/// may alias them, so that clang can count and vectorize the outlined loop (corpus `c/by_value_captures.c`,
/// `cpp/by_value_captures.cpp`); a `while` loop in the body takes the loop out of `simd`.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class ByValueCaptureTests : GenerationFixture
{
    private const string Main = """

        #include <stdio.h>
        #include <stdlib.h>
        int main(void) {
            enum { N = 600, M = 700 };
            int *a = malloc(sizeof *a * N * M), *b = malloc(sizeof *b * N * M), *out = 0;
            unsigned char *img = malloc(N * M);
            double *x = malloc(sizeof *x * N * M), *y = malloc(sizeof *y * N * M);
            if (!a || !b || !img || !x || !y) return 1;
            for (int i = 0; i < N * M; i++) { b[i] = i % 1013; img[i] = (unsigned char)(i * 7); y[i] = i % 17; }
            long s = 0;
            scale_rows_int(a, b, N, M);
            for (int i = 0; i < N * M; i += 7) s += a[i];
            threshold_bytes(img, M, N, 100);
            for (int i = 0; i < N * M; i += 3) s += img[i];
            scale_rows_double(x, y, N, M);
            for (int i = 0; i < N * M; i += 5) s += (long)x[i];
            address_taken(a, N * M, &out);
            static_and_const(b, N * M);
            for (int i = 0; i < N * M; i += 11) s += a[i] + b[i];
            shared_table = b;
            fill_table(N, N * M - N);
            for (int i = 0; i < N * M; i += 17) s += b[i];
            shared_pixels = img;
            clear_pixels(N * M / 3);
            for (int i = 0; i < N * M; i += 19) s += img[i];
            collatz_steps(a, N * M / 4);
            for (int i = 1; i < N * M / 4; i += 13) s += a[i];
            for (int i = 0; i < N * M; i++) b[i] = i % 101;
            int_columns(a, b, N, M);
            for (int i = 0; i < N * M; i += 23) s += a[i];
            printf("%ld\n", s);
            return 0;
        }

        """;

    private static LoopFacts Loop(FileAnalysis analysis, string function) => analysis.Loops.First(l => l.Function == function);

    private FileAnalysis AnalyzeCorpus(string relative, params string[] flags)
    {
        var file = Path.Combine(Corpus.CorpusFiles.Root, relative);
        return Ws.Analyze(Ws.WriteSource(Path.GetFileName(file), File.ReadAllText(file)), flags);
    }

    [Test]
    public void Integer_and_byte_stores_take_the_bounds_and_pointers_the_loop_only_reads_by_value()
    {
        var analysis = AnalyzeCorpus("c/by_value_captures.c");
        Assert.That(Loop(analysis, "scale_rows_int").ByValue, Is.EqualTo(new[] { "n", "m", "a", "b" }));
        Assert.That(Loop(analysis, "threshold_bytes").ByValue, Is.EquivalentTo(new[] { "h", "w", "img", "t" }));
        Assert.That(Loop(analysis, "collatz_steps").ByValue, Is.EquivalentTo(new[] { "n", "steps" }), "`x` and `s` are declared in the loop");
        Assert.That(Loop(analysis, "fill_table").ByValue, Is.EqualTo(new[] { "lo", "hi", "shared_table" }), "no int store can change a global pointer");
    }

    [Test]
    public void Variables_reachable_otherwise_or_never_at_risk_are_not_copied()
    {
        var analysis = AnalyzeCorpus("c/by_value_captures.c");
        Assert.That(Loop(analysis, "scale_rows_double").ByValue, Is.Empty, "double stores cannot change an int or a pointer under strict aliasing");
        Assert.That(Loop(analysis, "address_taken").ByValue, Is.EquivalentTo(new[] { "n", "a" }), "`k`'s address is taken");
        Assert.That(Loop(analysis, "static_and_const").ByValue, Is.EqualTo(new[] { "a" }), "a static local and a const bound stay shared");
        Assert.That(Loop(analysis, "clear_pixels").ByValue, Is.EqualTo(new[] { "n" }), "a byte store may change the global pointer itself");
    }

    [Test]
    public void Without_strict_aliasing_any_store_takes_them_by_value()
    {
        var analysis = AnalyzeCorpus("c/by_value_captures.c", "-fno-strict-aliasing");
        Assert.That(Loop(analysis, "scale_rows_double").ByValue, Is.EqualTo(new[] { "n", "m", "a", "b" }));
    }

    [Test]
    public void In_cpp_a_variable_bound_to_a_reference_or_seen_by_a_lambda_stays_shared()
    {
        var analysis = AnalyzeCorpus("cpp/by_value_captures.cpp");
        Assert.That(Loop(analysis, "bound_to_reference").ByValue, Is.EquivalentTo(new[] { "n", "a" }), "`m` is bound to `r`");
        Assert.That(Loop(analysis, "passed_by_reference").ByValue, Is.EqualTo(new[] { "a" }), "std::min takes references");
        Assert.That(Loop(analysis, "with_lambda").ByValue, Is.Empty);
        Assert.That(Loop(analysis, "fill_cells").ByValue, Is.EqualTo(new[] { "n" }), "`grid::cells` is not named `cells`");
        Assert.That(Loop(analysis, "fill_global_cells").ByValue, Is.EqualTo(new[] { "n" }), "a local `cells` is declared in the function");
    }

    [Test]
    public void A_while_loop_in_the_body_leaves_the_loop_parallel_without_simd()
    {
        var collatz = Loop(AnalyzeCorpus("c/by_value_captures.c"), "collatz_steps");
        Assert.That(collatz.Parallelizable, Is.True);
        Assert.That(collatz.Vectorizable, Is.False);
        Assert.That(collatz.VectorLanes, Is.Null);
    }

    [Test]
    public void The_directive_names_the_copies_and_clang_vectorizes_the_loops_it_could_not_before()
    {
        var clang = GenerationWorkspace.RequireTool("clang-19");
        var (path, result, _) = Ws.RewriteCorpusProgram("by_value_captures.c", Main);
        Assert.That(result.Text, Does.Contain("#pragma omp parallel for firstprivate(n, m, a, b)\n"));
        Assert.That(result.Text, Does.Contain("#pragma omp parallel for firstprivate(h, w, img, t)\n"));
        Assert.That(result.Text, Does.Contain("#pragma omp parallel for firstprivate(n, steps)\n"), "no `simd` over a `while` loop");
        Assert.That(Regex.Matches(result.Text, @"firstprivate\(n, m, a, b\)").Count, Is.EqualTo(1), "the double rows (same names) keep their directive");

        string Remarks(string text)
        {
            var copy = Ws.WriteRewritten(path, text);
            var run = GenerationWorkspace.Run(clang, ["-std=c11", "-O3", "-fopenmp", "-c", copy, "-o", copy + ".o", "-Rpass=loop-vectorize"]);
            Assert.That(run.ExitCode, Is.Zero, run.Output);
            return run.Output;
        }
        static int Vectorized(string remarks) => Regex.Matches(remarks, "remark: vectorized loop").Count;
        static int Refused(string remarks) => Regex.Matches(remarks, @"warning: loop not vectorized").Count;
        var with = Remarks(result.Text);
        // One `simd` loop stays unvectorized: the byte loop through a global pointer that a byte store may change.
        Assert.That(Refused(with), Is.LessThanOrEqualTo(1), with);
        // The cause, shown on the same text with the clause taken out: clang reloads the shared bounds and bases, and the
        // int rows and the byte rows (at least) are no longer vectorized. (The remarks carry no line: `#line` names a file
        // this compile does not read.)
        var without = Remarks(Regex.Replace(result.Text, @" firstprivate\([^)]*\)", string.Empty));
        Assert.That(Vectorized(with), Is.GreaterThanOrEqualTo(Vectorized(without) + 2), with + "\n----\n" + without);
        Assert.That(Refused(without), Is.GreaterThanOrEqualTo(Refused(with) + 3), without);
    }

    [Test]
    public void An_interchanged_nest_takes_what_it_only_reads_by_value_too()
    {
        var analysis = AnalyzeCorpus("c/by_value_captures.c");
        var loop = Loop(analysis, "int_columns");
        Assert.That(loop.Interchange, Is.Not.Null, loop.Reason);
        Assert.That(loop.ByValue, Is.EqualTo(new[] { "rows", "cols", "c", "d" }));
        var (_, result, _) = Ws.RewriteCorpusProgram("by_value_captures.c", Main);
        Assert.That(result.Text, Does.Match(@"#pragma omp parallel( for)? firstprivate\(rows, cols, c, d\)\n(#line [^\n]*\n)?\s*for \(int j = 1; j < cols; j\+\+\)"));
    }

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void The_program_prints_on_4_threads_what_it_prints_serially(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var (path, result, _) = Ws.RewriteCorpusProgram("by_value_captures.c", Main);
        Assert.That(result.Text, Does.Contain("firstprivate("));
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, "-O2");
    }
}
