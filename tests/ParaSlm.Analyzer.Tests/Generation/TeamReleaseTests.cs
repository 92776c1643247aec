using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Loops;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Analyzer.Tests.Generation;

/// <summary>
/// The idle team is handed back before the serial nest of a function that runs once (PolyBench atax/trisolv: a parallel
/// `init_array`, then a serial kernel while libgomp's idle threads spin). Facts: which functions run once and which nests
/// are release sites; near misses (called twice, in a loop, exported, address taken, a nest under `if`, a build with its
/// own OpenMP); the text (prelude before `#undef _OPENMP`, the call before the nest, `#line`); the re-check that the nest
/// stays serial; 4-thread output equal to serial with gcc and clang.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("Integration")]
public sealed class TeamReleaseTests : GenerationFixture
{
    private const string Program = """
        #include <stdio.h>
        #define N 700
        static double L[N][N], b[N], x[N], y[N];

        static void init_array(int n)
        {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    L[i][j] = (double)((i + j) % 7 + 1) / (2.0 * n);
            for (int i = 0; i < n; i++)
                b[i] = i % 5;
        }

        static void kernel_trisolv(int n)
        {
            for (int i = 0; i < n; i++)
            {
                x[i] = b[i];
                for (int j = 0; j < i; j++)
                    x[i] -= L[i][j] * x[j];
                x[i] = x[i] / (L[i][i] + 1.0);
            }
        }

        static void twice(int n)
        {
            for (int i = 1; i < n; i++)
                for (int j = 0; j < n; j++)
                    y[i] += y[i - 1] * L[i][j];
        }

        static void in_a_loop(int n)
        {
            for (int i = 1; i < n; i++)
                for (int j = 0; j < 3; j++)
                    y[i] += y[i - 1] * 0.25;
        }

        static void under_if(int n)
        {
            if (n > 1)
                for (int i = 1; i < n; i++)
                    for (int j = 0; j < 3; j++)
                        y[i] -= y[i - 1] * 0.125;
        }

        static void taken(int n)
        {
            for (int i = 1; i < n; i++)
                for (int j = 0; j < 2; j++)
                    y[i] += y[i - 1] * 0.5;
        }

        void exported(int n)
        {
            for (int i = 1; i < n; i++)
                for (int j = 0; j < 2; j++)
                    y[i] -= y[i - 1] * 0.5;
        }

        static void dump(int n)
        {
            for (int i = 0; i < n; i += 100)
                for (int j = 0; j < n; j += 100)
                    printf("%a\n", L[i][j]);
        }

        static void parallel_nest(int n)
        {
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    L[i][j] = L[i][j] * 0.5;
        }

        int main(void)
        {
            void (*fp)(int) = taken;
            init_array(N);
            kernel_trisolv(N);
            twice(N);
            twice(N);
            for (int r = 0; r < 2; r++)
                in_a_loop(N);
            under_if(N);
            fp(N);
            exported(N);
            parallel_nest(N);
            dump(N);
            double s = 0.0;
            for (int i = 0; i < N; i++)
                s += x[i] + y[i] + L[i][i];
            printf("%a\n", s);
            return 0;
        }
        """;

    private static readonly string[] NotRunOnce = ["twice", "in_a_loop", "taken", "exported"];

    [Test]
    public void Only_main_and_static_functions_called_once_outside_loops_run_once()
    {
        var path = Ws.WriteSource("team_release_once.c", Program);
        var analysis = Ws.Analyze(path);
        var byFunction = analysis.Loops.Where(l => l.Depth == 1).GroupBy(l => l.Function).ToDictionary(g => g.Key, g => g.ToList());
        Assert.That(byFunction["kernel_trisolv"].Single().TeamRelease, Does.Contain("`kernel_trisolv` runs once (`static`, called only from `main` at line"));
        Assert.That(byFunction["init_array"].All(l => l.TeamRelease is not null), Is.False, "a 1-deep loop is no nest: `b[i] = …` is not a release site");
        Assert.That(byFunction["init_array"][0].TeamRelease, Is.Not.Null, "the 2-deep nest of a run-once function is a site (the plan decides)");
        Assert.That(byFunction["parallel_nest"].Single().TeamRelease, Is.Not.Null);
        foreach (var name in NotRunOnce)
            Assert.That(byFunction[name].Single().TeamRelease, Is.Null, name + " does not run once");
        Assert.That(byFunction["under_if"].Single().TeamRelease, Is.Null, "a nest under `if` is not a statement of the body itself");
        Assert.That(byFunction["dump"].Single().TeamRelease, Is.Null, "a nest that calls a function (printf) is no compute work to protect");
        Assert.That(byFunction["main"].Select(l => l.TeamRelease), Is.All.Null, "main's loops are one loop deep");
    }

    [Test]
    public void A_build_with_its_own_OpenMP_gets_no_release_sites()
    {
        var path = Ws.WriteSource("team_release_user_openmp.c", Program);
        var analysis = Ws.Analyze(path, ["-fopenmp"]);
        Assert.That(analysis.Loops.Where(l => l.TeamRelease is not null), Is.Empty,
            "the user's own regions may keep threadprivate data in their threads: ParaSlm does not release them");
    }

    [Test]
    public void A_goto_in_main_or_a_second_mention_keeps_every_function_from_running_once()
    {
        var withGoto = Program.Replace("    void (*fp)(int) = taken;\n", "    void (*fp)(int) = taken;\nagain:\n", StringComparison.Ordinal)
                              .Replace("    return 0;\n}", "    if (s < 0) goto again;\n    return 0;\n}", StringComparison.Ordinal);
        Assert.That(withGoto, Does.Contain("goto again"));
        var analysis = Ws.Analyze(Ws.WriteSource("team_release_goto.c", withGoto));
        Assert.That(analysis.Loops.Where(l => l.TeamRelease is not null), Is.Empty, "a label may run main's calls again");
        var mentioned = Program.Replace("    exported(N);\n", "    exported(N);\n    printf(\"%p\\n\", (void *)kernel_trisolv);\n", StringComparison.Ordinal);
        Assert.That(mentioned, Does.Contain("(void *)kernel_trisolv"));
        var second = Ws.Analyze(Ws.WriteSource("team_release_mentioned.c", mentioned));
        Assert.That(second.Loops.Single(l => l.Function == "kernel_trisolv" && l.Depth == 1).TeamRelease, Is.Null, "its address escapes");
    }

    [Test]
    public void The_release_goes_into_the_parallel_branch_of_each_guarded_region_before_the_serial_nest_under_its_macro_with_line_mapping()
    {
        var path = Ws.WriteSource("team_release_text.c", Program);
        var result = Rewrite(path);
        var text = result.Text;
        var loops = Ws.Analyze(path).Loops;
        var kernelLoop = loops.Single(l => l.Function == "kernel_trisolv" && l.Depth == 1);
        var init = loops.Where(l => l.Function == "init_array" && l.Depth == 1).ToList();
        Assert.That(kernelLoop.TeamReleaseAfter.Select(p => p.LoopId), Is.EqualTo(new[] { init[1].Id, init[0].Id }),
            "the loops before the kernel's nest, latest first, through main's call of init_array");
        Assert.That(result.Releases.Select(r => r.LoopId), Is.EqualTo(new[] { kernelLoop.Id }),
            "init_array's nest and parallel_nest run in parallel (the rewriter's re-check), the others are no sites");
        Assert.That(result.Releases[0].AfterLoopIds, Is.EqualTo(new[] { init[1].Id, init[0].Id }), "both regions are guarded: each may be the last to run");
        Assert.That(result.Releases[0].Description, Does.Contain("released").And.Contain("(when it runs), before this serial nest").And.Contain("runs once"));
        Assert.That(text.IndexOf("#define PARASLM_RELEASE_TEAM 1", StringComparison.Ordinal), Is.LessThan(text.IndexOf("#undef _OPENMP", StringComparison.Ordinal)),
            "the macro reads the compiler's _OPENMP, before the copy undefines it");
        Assert.That(text, Does.Contain("#ifndef PARASLM_RELEASE_TEAM"), "-DPARASLM_RELEASE_TEAM=0 overrides it");
        var initText = text[text.IndexOf("static void init_array", StringComparison.Ordinal)..text.IndexOf("static void kernel_trisolv", StringComparison.Ordinal)];
        foreach (var (loop, bodyLine) in new[] { (init[0], init[0].Line + 2), (init[1], init[1].Line + 1) })
            Assert.That(initText, Does.Contain($"#if PARASLM_RELEASE_TEAM\n    paraslm_release_team();\n#endif\n#line {bodyLine} \"{path}\"\n\n    }} else {{"),
                $"in the parallel branch of the loop at line {loop.Line}, mapped to the line its statement ends on");
        var kernel = text[text.IndexOf("static void kernel_trisolv", StringComparison.Ordinal)..text.IndexOf("static void twice", StringComparison.Ordinal)];
        Assert.That(kernel, Does.Not.Contain("paraslm_release_team"), "not in the serial nest's function: waking sleeping workers there costs more");
        Assert.That(GenerationWorkspace.PresumedLine(text, "x[i] = b[i];"), Is.EqualTo(kernelLoop.Line + 2), "the lines keep their numbers");
        Assert.That(GenerationWorkspace.PresumedLine(text, "b[i] = i % 5;"), Is.EqualTo(init[1].Line + 1));
        var rest = text[text.IndexOf("static void twice", StringComparison.Ordinal)..];
        Assert.That(rest, Does.Not.Contain("paraslm_release_team"), "parallel_nest runs after the serial nest, and dump's nest is no site");
    }

    [Test]
    public void After_a_region_that_always_runs_the_release_follows_its_statement_and_earlier_regions_get_none()
    {
        const string unconditional = """
            #include <stdio.h>
            #define N 700
            static double A[N][N], s[N];

            static void early(void)
            {
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++)
                        A[i][j] = (double)(i * j % 5);
            }

            static void fill(void)
            {
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++)
                        A[i][j] = A[i][j] * 0.5 + 1.0;
            }

            static void chain(void)
            {
                s[0] = 1.0;
                for (int i = 1; i < N; i++)
                    for (int j = 0; j < N; j += 97)
                        s[i] = s[i - 1] * 0.5 + A[i][j];
            }

            int main(void)
            {
                early();
                fill();
                chain();
                printf("%a\n", s[N - 1]);
                return 0;
            }
            """;
        var path = Ws.WriteSource("team_release_unconditional.c", unconditional);
        var loops = Ws.Analyze(path).Loops;
        var fill = loops.Single(l => l.Function == "fill" && l.Depth == 1);
        var result = Rewrite(path);
        Assert.That(result.Releases.Single().AfterLoopIds, Is.EqualTo(new[] { fill.Id }), "fill's region always runs: the walk stops there");
        var text = result.Text;
        var fillText = text[text.IndexOf("static void fill", StringComparison.Ordinal)..text.IndexOf("static void chain", StringComparison.Ordinal)];
        Assert.That(fillText, Does.Contain($"A[i][j] = A[i][j] * 0.5 + 1.0;\n#if PARASLM_RELEASE_TEAM\n    paraslm_release_team();\n#endif\n#line {fill.Line + 2} "));
        Assert.That(text[..text.IndexOf("static void fill", StringComparison.Ordinal)], Does.Not.Contain("    paraslm_release_team();"), "early's team is fill's: no release between");
        Ws.AssertParallelRunPrintsWhatSerialPrints(GenerationWorkspace.RequireTool("gcc"), "-std=c11", path, result, "-O2", "-Wall", "-Wextra", "-Werror");
    }

    [Test]
    public void A_loop_that_runs_serially_in_its_scalar_expanded_form_is_no_region_so_the_release_follows_the_region_before_it()
    {
        // `expanded`'s column loop fits in one strip: planned serial in its expanded form (no region). The walk from `chain`
        // passes over it to `fill`, whose region always runs: the team is released there, not left spinning through `expanded`.
        const string program = """
            #include <stdio.h>
            #define N 700
            #define C 256
            static double A[N][N], s[N];
            static float aa[C][C], bb[C][C], v[C];

            static void fill(void)
            {
                for (int i = 0; i < N; i++)
                    for (int j = 0; j < N; j++)
                        A[i][j] = (double)(i * j % 5) * 0.5 + 1.0;
            }

            static void expanded(void)
            {
                for (int i = 0; i < C; i++) {
                    for (int j = 0; j < C; j++)
                        aa[j][i] = aa[j][i] + bb[j][i] * 0.5f;
                    v[i] = aa[i][i];
                }
            }

            static void chain(void)
            {
                s[0] = 1.0;
                for (int i = 1; i < N; i++)
                    for (int j = 0; j < N; j += 97)
                        s[i] = s[i - 1] * 0.5 + A[i][j] + v[i % C];
            }

            int main(void)
            {
                for (int j = 0; j < C; j++) for (int i = 0; i < C; i++) { aa[j][i] = (i + j) % 7; bb[j][i] = (i * j) % 5; }
                fill();
                expanded();
                chain();
                printf("%a\n", s[N - 1]);
                return 0;
            }
            """;
        var path = Ws.WriteSource("team_release_expanded.c", program);
        var analysis = Ws.Analyze(path);
        var fill = analysis.Loops.Single(l => l.Function == "fill" && l.Depth == 1);
        var columns = analysis.Loops.Single(l => l.Function == "expanded" && l.Depth == 1);
        Assert.That(FilePlanner.AnalyzerPlan(analysis).Single(p => p.Id == columns.Id).Proposal.Transform, Is.EqualTo("scalar-expand(i)"));
        var result = Rewrite(path, serialForms: true);
        Assert.That(result.Outcomes.Single(o => o.Edit.LoopId == columns.Id).Applied, Is.True, result.Text);
        Assert.That(result.Releases.Single().AfterLoopIds, Is.EqualTo(new[] { fill.Id }), "the expanded loop enters no region: the release follows fill's");
        var text = result.Text;
        Assert.That(text[text.IndexOf("static void expanded", StringComparison.Ordinal)..text.IndexOf("static void chain", StringComparison.Ordinal)],
            Does.Not.Contain("paraslm_release_team();"));
        Ws.AssertParallelRunPrintsWhatSerialPrints(GenerationWorkspace.RequireTool("gcc"), "-std=c11", path, result, "-O2");
    }

    [Test]
    public void A_copy_without_a_region_gets_no_release()
    {
        const string serialOnly = """
            #include <stdio.h>
            static double y[50];
            static void chain(int n)
            {
                for (int i = 1; i < n; i++)
                    for (int j = 0; j < 2; j++)
                        y[i] += y[i - 1] * 0.5;
            }
            int main(void) { y[0] = 1.0; chain(50); printf("%a\n", y[49]); return 0; }
            """;
        var path = Ws.WriteSource("team_release_serial_only.c", serialOnly);
        Assert.That(Ws.Analyze(path).Loops.Single(l => l.Depth == 1).TeamRelease, Is.Not.Null);
        var result = Rewrite(path);
        Assert.That(result.Releases, Is.Empty, "no region of ours runs in the program: no team to release");
        Assert.That(result.Text, Does.Not.Contain("paraslm_release_team"));
    }

    [TestCase("gcc")]
    [TestCase("clang-19", "clang")]
    public void The_copy_calls_the_runtime_and_prints_on_4_threads_what_serial_prints(params string[] compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource($"team_release_run_{Path.GetFileName(compiler[0])}.c", Program);
        var result = Rewrite(path);
        Assert.That(result.Releases, Has.Count.EqualTo(1));
        var copy = Ws.WriteRewritten(path, result.Text);
        var expanded = GenerationWorkspace.Run(cc, ["-std=c11", "-fopenmp", "-E", copy]);
        Assert.That(expanded.ExitCode, Is.Zero, expanded.Output);
        Assert.That(expanded.StdOut, Does.Contain("omp_pause_resource_all(omp_pause_soft)"), "the OpenMP 5.0 runtime call is compiled in");
        var off = GenerationWorkspace.Run(cc, ["-std=c11", "-fopenmp", "-DPARASLM_RELEASE_TEAM=0", "-E", copy]);
        Assert.That(off.StdOut, Does.Not.Contain("omp_pause_resource_all("), "-DPARASLM_RELEASE_TEAM=0 turns it off");
        var noOpenMP = GenerationWorkspace.Run(cc, ["-std=c11", "-E", copy]);
        Assert.That(noOpenMP.StdOut, Does.Not.Contain("omp_pause_resource_all("), "without OpenMP there is no runtime to call");
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result, "-O2", "-Wall", "-Wextra", "-Werror");
    }

    /// <summary>The analyzer's plans rewritten as the engine does for a build without OpenMP (cost guards included), with the release sites.</summary>
    /// <param name="serialForms">Serial loops planned in a form of their own (the scalar-expanded form) get their edit too, with no directive.</param>
    private RewriteResult Rewrite(string path, bool serialForms = false)
    {
        var analysis = Ws.Analyze(path);
        var byId = analysis.Loops.ToDictionary(l => l.Id);
        var edits = FilePlanner.AnalyzerPlan(analysis).Where(p => p.IsParallel || (serialForms && p.IsRewritten))
            .Select(p => p.IsParallel ? LoopEdit.ForProposal(byId[p.Id], p.Proposal, p.RuntimeCheck, LoopCost.IfClause(byId[p.Id], analysis.Loops, byId), byId)
                : LoopEdit.ForSerialTransform(byId[p.Id], p.Proposal.Transform)!)
            .ToList();
        return SourceRewriter.Rewrite(path, File.ReadAllText(path), edits, new RewriteOptions(false)
        {
            TeamReleases = analysis.Loops.Where(l => l.TeamRelease is not null).Select(TeamReleaseSite.For).ToList(),
        });
    }
}
