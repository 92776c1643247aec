using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// A build that switches vectorization off (`-fno-tree-vectorize`) keeps it off in ParaSlm's copy: `paraslm apply` over a
/// compile_commands.json writes no `simd` (gcc would vectorize a loop marked `simd` under that flag), keeps the rest of each
/// directive, and says so in the report; the same file without the flag keeps its `simd`; where one file is compiled by
/// two commands that disagree, the copy (one for both) keeps `simd` and the report says so. Both copies, built with gcc and the
/// command's flags, print on 4 threads what the serial build prints.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class NoVectorizationEngineTests : EngineFixture
{
    // Every value is exact in its type (multiples of 1/4, small integers), so lanes, threads and contraction cannot change it.
    private const string Program = """
        #include <stdio.h>

        enum { N = 600, M = 1001 };
        static double a[N][M], b[N][M];
        static float x[200000], y[200000];

        static void stencil(void) {
            for (int i = 1; i < N - 1; i++)
                for (int j = 1; j < M - 1; j++)
                    b[i][j] = 0.25 * (a[i - 1][j] + a[i + 1][j] + a[i][j - 1] + a[i][j + 1]);
        }

        static void saxpy(int n, float s) {
            for (int i = 0; i < n; i++)
                y[i] = s * x[i] + y[i] * y[i];
        }

        int main(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < M; j++) a[i][j] = (i * 7 + j * 3) % 11 * 0.5;
            for (int i = 0; i < 200000; i++) { x[i] = i % 13; y[i] = i % 7 * 0.25f; }
            stencil(); saxpy(200000, 1.5f);
            long h = 0;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < M; j++) h += (long)(b[i][j] * 4);
            for (int i = 0; i < 200000; i++) h += (long)(y[i] * 16);
            printf("%ld\n", h);
            return 0;
        }

        """;

    private string _file = null!;

    [SetUp]
    public void SetUp()
    {
        _file = Ws.Write("src/lanes.c", Program);
    }

    private static int LineOf(string text) => Program.Split('\n').Select((l, k) => (l, k)).First(x => x.l.Contains(text, StringComparison.Ordinal)).k + 1;

    private string[] Command(params string[] flags) => ["gcc", "-std=c11", "-O2", .. flags, "-c", _file, "-o", "lanes.o"];

    /// <summary>Applies with one compile_commands.json entry per command and returns the copy's text.</summary>
    private string Apply(params string[][] commands)
    {
        var cc = Ws.CompileCommands(commands.Select(c => (_file, c)).ToArray());
        var (code, output, err) = Ws.Apply(Ws.NewRequest() with { Strategy = "analyzer", Cache = "off", CompileCommands = cc });
        Assert.That(code, Is.EqualTo(0), err + output);
        return File.ReadAllText(Ws.Outputs().Single()[1]);
    }

    /// <summary>Builds the copy with gcc and <paramref name="flags"/> plus OpenMP, the original without, and compares their output on 4 threads.</summary>
    private void AssertPrintsWhatSerialPrints(string copy, string name, params string[] flags)
    {
        var gcc = GenerationWorkspace.RequireTool("gcc");
        var rewritten = Ws.Write($"obj/{name}.c", copy);
        var serial = Path.Combine(Ws.Root, name + "_serial");
        var parallel = Path.Combine(Ws.Root, name + "_parallel");
        var s = GenerationWorkspace.Run(gcc, ["-std=c11", "-O2", .. flags, _file, "-o", serial]);
        Assert.That(s.ExitCode, Is.Zero, s.Output);
        var p = GenerationWorkspace.Run(gcc, ["-std=c11", "-O2", .. flags, "-fopenmp", rewritten, "-o", parallel]);
        Assert.That(p.ExitCode, Is.Zero, p.Output);
        var expected = GenerationWorkspace.Run(serial, [], environment: GenerationWorkspace.FourThreads);
        Assert.That(expected.ExitCode, Is.Zero, expected.Output);
        Assert.That(expected.StdOut.Trim(), Does.Match(@"^\d+$"));
        var actual = GenerationWorkspace.Run(parallel, [], environment: GenerationWorkspace.FourThreads);
        Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), copy);
    }

    [Test]
    public void A_build_with_tree_vectorize_off_gets_no_simd_and_the_same_file_without_the_flag_keeps_it()
    {
        var vectorized = Apply(Command());
        Assert.That(vectorized, Does.Contain("#pragma omp parallel for simd"), "saxpy runs in lanes where the build vectorizes");
        Assert.That(vectorized, Does.Contain("#pragma omp simd"), "the stencil's inner loop too");
        AssertPrintsWhatSerialPrints(vectorized, "vectorized");

        var off = Apply(Command("-fno-tree-vectorize"));
        Assert.That(off, Does.Not.Contain("simd"), off);
        Assert.That(off, Does.Contain("#pragma omp parallel for"), "the rest of each directive stays");
        var plans = Ws.ReportPlansByLine();
        var saxpy = plans[LineOf("for (int i = 0; i < n; i++)")];
        Assert.That(saxpy.GetProperty("action").GetString(), Is.EqualTo("parallel"));
        Assert.That(saxpy.GetProperty("clauses").GetString(), Does.Not.Contain("simd"), "the report shows the directive written");
        Assert.That(saxpy.GetProperty("reason").GetString(), Does.Contain("no `simd`: the file is compiled with -fno-tree-vectorize"));
        Assert.That(Ws.State().Sources.Values.Single().Applied.All(l => !l.UserBuildVectorizes), "validation's copies are made the same way");
        AssertPrintsWhatSerialPrints(off, "unvectorized", "-fno-tree-vectorize");
    }

    [Test]
    public void A_file_compiled_by_two_commands_that_disagree_on_vectorization_keeps_simd_and_says_so()
    {
        var copy = Apply(Command(), Command("-DVARIANT", "-fno-tree-vectorize"));
        Assert.That(copy, Does.Contain("#pragma omp parallel for simd"), copy);
        var saxpy = Ws.ReportPlansByLine()[LineOf("for (int i = 0; i < n; i++)")];
        Assert.That(saxpy.GetProperty("clauses").GetString(), Does.Contain("simd"));
        Assert.That(saxpy.GetProperty("reason").GetString(), Does.Contain("keeps `simd` although one command compiles this file with -fno-tree-vectorize"));
        // Both commands turn it off: the copy has none.
        Assert.That(Apply(Command("-fno-tree-vectorize"), Command("-DVARIANT", "-fno-vectorize")), Does.Not.Contain("simd"));
        // The last of -f[no-]tree-vectorize wins: switched back on, the copy keeps its simd.
        Assert.That(Apply(Command("-fno-tree-vectorize", "-ftree-vectorize")), Does.Contain("#pragma omp parallel for simd"));
    }

    /// <summary>`paraslm plan` over <paramref name="input"/> (a file with its flags after `--`, or a compile_commands.json): plans by line.</summary>
    private static Dictionary<int, System.Text.Json.JsonElement> Plan(params string[] input)
    {
        var (code, output, err) = EngineWorkspace.Run(["plan", input[0], "--json", "--strategy", "analyzer", .. input[1..]]);
        Assert.That(code, Is.EqualTo(0), err);
        return System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("plans").EnumerateArray()
            .GroupBy(p => p.GetProperty("line").GetInt32()).ToDictionary(g => g.Key, g => g.First());
    }

    [Test]
    public void Plan_cli_shows_no_simd_where_the_flags_turn_vectorization_off_as_the_build_writes_it()
    {
        var saxpy = LineOf("for (int i = 0; i < n; i++)");
        var stencil = LineOf("for (int i = 1; i < N - 1; i++)");
        var on = Plan(_file, "--", "-std=c11", "-O2");
        Assert.That(on[saxpy].GetProperty("clauses").GetString(), Does.Contain("simd"), "without the flag the plan keeps simd");
        Assert.That(on[stencil].TryGetProperty("innerSimd", out _), Is.True, "and the stencil's inner loop runs in lanes");

        foreach (var flag in new[] { "-fno-tree-vectorize", "-fno-vectorize", "-fno-slp-vectorize", "-fno-openmp-simd" })
        {
            var off = Plan(_file, "--", "-std=c11", "-O2", flag);
            Assert.That(off.Values.Select(p => p.GetProperty("clauses").GetString()), Has.None.Contains("simd"), flag);
            Assert.That(off[saxpy].GetProperty("action").GetString(), Is.EqualTo("parallel"), "the rest of the plan stays");
            Assert.That(off[saxpy].GetProperty("reason").GetString(), Does.Contain($"no `simd`: the file is compiled with {flag}"));
            Assert.That(off[stencil].TryGetProperty("innerSimd", out _), Is.False, "no inner `omp simd` either");
        }
        // The last of each on/off pair wins.
        Assert.That(Plan(_file, "--", "-std=c11", "-fno-tree-vectorize", "-ftree-vectorize")[saxpy].GetProperty("clauses").GetString(), Does.Contain("simd"));

        // The build's report of the same file under the same flag shows the same clauses (then its cost guard) and the same note.
        Apply(Command("-fno-tree-vectorize"));
        var built = Ws.ReportPlansByLine()[saxpy];
        var planned = Plan(_file, "--", "-std=c11", "-O2", "-fno-tree-vectorize")[saxpy];
        Assert.That(built.GetProperty("clauses").GetString(), Does.StartWith(planned.GetProperty("clauses").GetString()!).And.Not.Contain("simd"));
        Assert.That(planned.GetProperty("reason").GetString(), Does.EndWith("no `simd`: the file is compiled with -fno-tree-vectorize"));
        Assert.That(built.GetProperty("reason").GetString(), Does.EndWith("no `simd`: the file is compiled with -fno-tree-vectorize"));
    }

    [Test]
    public void Plan_cli_over_compile_commands_drops_simd_only_where_every_command_of_the_file_turns_it_off()
    {
        var saxpy = LineOf("for (int i = 0; i < n; i++)");
        var both = Plan(Ws.CompileCommands((_file, Command("-fno-tree-vectorize")), (_file, Command("-DVARIANT", "-fno-slp-vectorize"))));
        Assert.That(both[saxpy].GetProperty("clauses").GetString(), Does.Not.Contain("simd"));
        Assert.That(both[saxpy].GetProperty("reason").GetString(), Does.Contain("no `simd`: the file is compiled with -fno-tree-vectorize"));

        var disagree = Plan(Ws.CompileCommands((_file, Command()), (_file, Command("-DVARIANT", "-fno-tree-vectorize"))));
        Assert.That(disagree[saxpy].GetProperty("clauses").GetString(), Does.Contain("simd"), "one copy serves both: it keeps simd");
        Assert.That(disagree[saxpy].GetProperty("reason").GetString(), Does.Contain("keeps `simd` although one command compiles this file with -fno-tree-vectorize"));
    }
}
