using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// A copy whose `simd` clang's optimizer cannot honour is written without it. Found on NPB-CPP's serial IS through app.proj
/// with clang-19: `key_buff2[i] = 0` (an `int` store through a global pointer under an `int` counter) and `if (key_array[i-1]
/// > key_array[i]) j++` got `parallel for simd`, and the build printed "loop not vectorized: the optimizer was unable to
/// perform the requested transformation" [-Wpass-failed] four times — warnings the serial build never had, errors under
/// -Werror, invisible to the syntax-only compile check. The engine compiles a clang copy once with -Werror=pass-failed; where
/// clang refuses and the original compiles, the copy has no `simd` (the rest of each directive stays) and the report says
/// why. gcc copies, a copy clang vectorizes and a build that silences the warning keep their `simd`. Corpus:
/// c/simd_clang_refuses.c.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class OptimizerSimdCheckTests : EngineFixture
{
    private const string Control = """
        #include <stdio.h>
        #define N 262144
        double *values;
        void scale_values(double s) {
            for (int i = 0; i < N; i++)
                values[i] = s * values[i];
        }
        int main(void) {
            static double v[N];
            values = v;
            for (int i = 0; i < N; i++) v[i] = (i % 13) * 0.25;
            scale_values(4.0);
            printf("%f\n", v[N - 1]);
            return 0;
        }

        """;

    private string _file = null!;
    private string _text = null!;

    [SetUp]
    public void SetUp()
    {
        _text = File.ReadAllText(Path.Combine(CorpusFiles.Root, "c", "simd_clang_refuses.c"));
        _file = Ws.Write("src/keys.c", _text);
    }

    /// <summary>The copy's `#pragma` lines (the fixture's comments name `simd` too).</summary>
    private static IEnumerable<string> Pragmas(string copy) => copy.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("#pragma", StringComparison.Ordinal));

    private int LineOf(string code) => _text.Split('\n').Select((l, k) => (l, k)).First(x => x.l.Contains(code, StringComparison.Ordinal)).k + 1;

    private string Apply(string file, params string[] command)
    {
        var cc = Ws.CompileCommands((file, [.. command, "-c", file, "-o", "keys.o"]));
        var (code, output, err) = Ws.Apply(Ws.NewRequest() with { Strategy = "analyzer", Cache = "off", CompileCommands = cc });
        Assert.That(code, Is.EqualTo(0), err + output);
        return File.ReadAllText(Ws.Outputs().Single()[1]);
    }

    /// <summary>Builds the copy with <paramref name="compiler"/> -O3 -Werror and OpenMP, the original without OpenMP, and
    /// compares their output on 4 threads.</summary>
    private void AssertBuildsCleanAndPrintsWhatSerialPrints(string compiler, string copy, string name)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var rewritten = Ws.Write($"obj/{name}.c", copy);
        var serial = Path.Combine(Ws.Root, name + "_serial");
        var parallel = Path.Combine(Ws.Root, name + "_parallel");
        var s = GenerationWorkspace.Run(cc, ["-std=c11", "-O3", _file, "-o", serial]);
        Assert.That(s.ExitCode, Is.Zero, s.Output);
        var p = GenerationWorkspace.Run(cc, ["-std=c11", "-O3", "-Wall", "-Werror", "-fopenmp", rewritten, "-o", parallel]);
        Assert.That(p.ExitCode, Is.Zero, p.Output);
        var expected = GenerationWorkspace.Run(serial, [], environment: GenerationWorkspace.FourThreads);
        Assert.That(expected.ExitCode, Is.Zero, expected.Output);
        var actual = GenerationWorkspace.Run(parallel, [], environment: GenerationWorkspace.FourThreads);
        Assert.That(actual.ExitCode, Is.Zero, actual.Output);
        Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), copy);
    }

    [Test]
    public void A_clang_copy_whose_simd_clang_cannot_vectorize_is_written_without_simd_and_builds_under_Werror()
    {
        GenerationWorkspace.RequireTool("clang-19");
        var copy = Apply(_file, "clang-19", "-std=c11", "-O3");
        Assert.That(Pragmas(copy), Has.None.Contains("simd"), copy);
        Assert.That(copy, Does.Contain("#pragma omp parallel for"), "the loops stay parallel");
        var plans = Ws.ReportPlansByLine();
        // clear_keys's loop is the file's first over KEYS from 0; count_unsorted's the one from 1.
        foreach (var loop in new[] { "for (int i = 0; i < KEYS; i++)", "for (int i = 1; i < KEYS; i++)" })
        {
            var plan = plans[LineOf(loop)];
            Assert.That(plan.GetProperty("action").GetString(), Is.EqualTo("parallel"));
            Assert.That(plan.GetProperty("clauses").GetString(), Does.Not.Contain("simd"), "the report shows the directive written");
            Assert.That(plan.GetProperty("reason").GetString(), Does.Contain("clang's optimizer could not vectorize a `simd` loop of this file"));
        }
        Assert.That(Ws.State().Sources.Values.Single().Applied.All(l => !l.UserBuildVectorizes), "validation's copies are made the same way");
        AssertBuildsCleanAndPrintsWhatSerialPrints("clang-19", copy, "clang");
    }

    [Test]
    public void A_gcc_copy_of_the_same_file_keeps_its_simd_and_prints_what_serial_prints()
    {
        var copy = Apply(_file, "gcc", "-std=c11", "-O3");
        Assert.That(copy, Does.Contain("#pragma omp parallel for simd"), copy);
        AssertBuildsCleanAndPrintsWhatSerialPrints("gcc", copy, "gcc");
    }

    [Test]
    public void A_clang_copy_whose_simd_clang_vectorizes_keeps_it()
    {
        GenerationWorkspace.RequireTool("clang-19");
        var control = Ws.Write("src/control.c", Control);
        var copy = Apply(control, "clang-19", "-std=c11", "-O3");
        Assert.That(copy, Does.Contain("#pragma omp parallel for simd"), copy);
        var built = GenerationWorkspace.Run("clang-19", ["-std=c11", "-O3", "-Werror", "-fopenmp", "-c", Ws.Write("obj/control.c", copy), "-o", Path.Combine(Ws.Root, "control.o")]);
        Assert.That(built.ExitCode, Is.Zero, built.Output);
    }

    private const string UserSimd = """

        /* The user's own `omp simd`: a conditional double sum clang-19 does not vectorize either. */
        double positive_sum(const double *v, int n) {
            double s = 0;
            #pragma omp simd reduction(+:s)
            for (int i = 0; i < n; i++)
                if (v[i] > 0) s += v[i];
            return s;
        }

        """;

    [Test]
    public void A_refusal_the_users_own_build_already_has_is_the_users_and_a_pragma_the_build_ignores_is_not()
    {
        GenerationWorkspace.RequireTool("clang-19");
        var file = Ws.Write("src/keys.c", _text + UserSimd);
        // With OpenMP the user's build warns on its own loop: the copy's `simd` is not what the user would be told about.
        var withOpenMP = Apply(file, "clang-19", "-std=c11", "-O3", "-fopenmp");
        Assert.That(Pragmas(withOpenMP), Has.Some.Contains("parallel for simd"), withOpenMP);
        Assert.That(Pragmas(withOpenMP), Has.Some.EqualTo("#pragma omp simd reduction(+:s)"), "the user's directive is left as written");
        // Without OpenMP the user's build ignores its pragma (the copy blanks it): the refusal is ParaSlm's, and its `simd` goes.
        var withoutOpenMP = Apply(file, "clang-19", "-std=c11", "-O3");
        Assert.That(Pragmas(withoutOpenMP), Has.None.Contains("simd"), withoutOpenMP);
    }

    [Test]
    public void A_clang_build_that_silences_pass_failed_keeps_simd()
    {
        GenerationWorkspace.RequireTool("clang-19");
        var copy = Apply(_file, "clang-19", "-std=c11", "-O3", "-Wno-pass-failed");
        Assert.That(copy, Does.Contain("#pragma omp parallel for simd"), "the user asked not to hear of refused transformations");
    }
}
