using ParaSlm.Contracts;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// "Analyze exactly what is compiled" when the build compiles one file several times with different flags (the same
/// source in several targets, each with its own `-D`, as libfixmath builds its library and tests in 24 variants): the one
/// rewritten copy is compiled under every command, so a loop is parallel only where every command's plan agrees.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SharedSourceConfigurationTests : EngineFixture
{
    // Under -DTRACE the loop prints each index: a parallel loop would print them out of order (and the call is not pure).
    private const string Source = """
        #include <stdio.h>
        void scale(double *restrict a, int n)
        {
            for (int i = 0; i < n; i++) {
        #ifdef TRACE
                printf("%d\n", i);
        #endif
                a[i] = a[i] * SCALE;
            }
        }
        """;

    private string _file = null!;

    [SetUp]
    public void SetUp()
    {
        _file = Ws.Write("src/scale.c", Source);
    }

    private string[] Command(params string[] defines) => ["gcc", "-std=c11", "-O2", .. defines, "-c", _file, "-o", "scale.o"];

    private (string Status, string Action, string Reason) Apply(params string[][] commands)
    {
        var cc = Ws.CompileCommands(commands.Select(c => (_file, c)).ToArray());
        var (code, output, err) = Ws.Apply(Ws.NewRequest() with { Strategy = "analyzer", Cache = "off", CompileCommands = cc });
        Assert.That(code, Is.EqualTo(0), err + output);
        var plan = Ws.ReportPlansByLine()[4];
        return (Ws.Outputs().Single()[2], plan.GetProperty("action").GetString()!, plan.GetProperty("reason").GetString()!);
    }

    [Test]
    public void A_loop_that_another_target_compiles_with_a_call_inside_stays_serial_and_the_report_names_that_targets_flag()
    {
        var (status, action, reason) = Apply(Command("-DSCALE=2"), Command("-DSCALE=2", "-DTRACE"));
        Assert.Multiple(() =>
        {
            Assert.That(action, Is.EqualTo("sequential"));
            Assert.That(status, Is.EqualTo("unchanged"), "no copy with a directive reaches the -DTRACE target");
            Assert.That(reason, Does.Contain("also compiled with `-DTRACE`").And.Contain("printf"));
        });
    }

    [Test]
    public void The_order_of_the_commands_does_not_matter()
    {
        var (status, action, reason) = Apply(Command("-DSCALE=2", "-DTRACE"), Command("-DSCALE=2"));
        Assert.Multiple(() =>
        {
            Assert.That(action, Is.EqualTo("sequential"));
            Assert.That(status, Is.EqualTo("unchanged"));
            Assert.That(reason, Does.Contain("printf"));
        });
    }

    [Test]
    public void Commands_that_differ_only_where_the_plan_is_the_same_keep_the_loop_parallel()
    {
        var (status, action, _) = Apply(Command("-DSCALE=2"), Command("-DSCALE=3"), Command("-DSCALE=2"));
        Assert.Multiple(() =>
        {
            Assert.That(action, Is.EqualTo("parallel"));
            Assert.That(status, Is.EqualTo("rewritten"));
        });
    }

    [Test]
    public void A_second_command_that_gains_a_flag_makes_the_next_run_analyze_the_file_again()
    {
        Assert.That(Apply(Command("-DSCALE=2"), Command("-DSCALE=3")).Action, Is.EqualTo("parallel"));
        // Same file, same first command: only the other target's flags changed.
        var (status, action, reason) = Apply(Command("-DSCALE=2"), Command("-DSCALE=3", "-DTRACE"));
        Assert.Multiple(() =>
        {
            Assert.That(action, Is.EqualTo("sequential"), "the earlier record was not reused");
            Assert.That(status, Is.EqualTo("unchanged"));
            Assert.That(reason, Does.Contain("`-DTRACE`"));
        });
    }

    [Test]
    public void A_file_one_target_builds_with_OpenMP_and_another_without_is_compiled_as_written()
    {
        // The copy of a file built without OpenMP switches the user's own OpenMP code off; the other target needs it on.
        var (status, action, reason) = Apply(Command("-DSCALE=2"), Command("-DSCALE=2", "-fopenmp"));
        Assert.Multiple(() =>
        {
            Assert.That(action, Is.EqualTo("sequential"));
            Assert.That(status, Is.EqualTo("unchanged"));
            Assert.That(reason, Does.Contain("`-fopenmp`").And.Contain("one build with OpenMP and one without"));
        });
    }

    [Test]
    public void A_copy_that_another_commands_compiler_rejects_falls_back_to_the_original_with_PSLM1013_naming_that_command()
    {
        // A second target whose compiler takes the original but not an OpenMP directive (an old or a cross compiler).
        var strict = Ws.Write("tools/strictcc", """
            #!/bin/sh
            for a in "$@"; do
              case "$a" in *.c) if grep -q "pragma omp" "$a"; then echo "$a:1:1: error: OpenMP directives are not supported by strictcc" >&2; exit 1; fi;; esac
            done
            exec gcc "$@"
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(strict, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string[] other = [strict, "-std=c11", "-O2", "-DSCALE=2", "-c", _file, "-o", "scale-strict.o"];
        var cc = Ws.CompileCommands([(_file, Command("-DSCALE=2")), (_file, other)]);
        var (code, output, err) = Ws.Apply(Ws.NewRequest() with { Strategy = "analyzer", Cache = "off", CompileCommands = cc });
        Assert.That(code, Is.EqualTo(0), err + output);
        var plan = Ws.ReportPlansByLine()[4];
        Assert.Multiple(() =>
        {
            Assert.That(Ws.Outputs().Single()[2], Is.EqualTo("unchanged"), "the original is compiled in every target");
            Assert.That(plan.GetProperty("action").GetString(), Is.EqualTo("sequential"));
            Assert.That(plan.GetProperty("code").GetString(), Is.EqualTo("PSLM1013"));
            Assert.That(plan.GetProperty("reason").GetString(), Does.Contain("not supported by strictcc").And.Contain("other compile command").And.Contain("strictcc`"));
            Assert.That(err + output, Does.Contain("PSLM1013"));
        });
    }

    [Test]
    public void A_row_buffer_sized_by_one_commands_macro_is_not_used_where_another_command_gives_the_row_another_length()
    {
        // The sunk nest's invariant prefix runs once per element into a row buffer whose length the copy spells as the
        // number the facts gave (W): with -DW=64 in one target and -DW=128 in another, one copy cannot be right for both.
        var pool = Ws.Write("src/pool.c", """
            #define H 512
            #define REPS 40
            double x[H][W + 2], y[H][W];
            void pool(void)
            {
                for (int r = 0; r < REPS; r++) {
                    for (int i = 0; i < H; i++) {
                        for (int j = 0; j < W; j++) {
                            double m = x[i][j];
                            for (int d = 1; d < 3; d++) if (x[i][j + d] > m) m = x[i][j + d];
                            y[i][j] = 0.5 * y[i][j] + m;
                        }
                    }
                }
            }
            """);
        string[] Pool(string w, string o) => ["gcc", "-std=c11", "-O2", w, "-c", pool, "-o", o];
        var cc = Ws.CompileCommands([(pool, Pool("-DW=64", "a.o")), (pool, Pool("-DW=128", "b.o"))]);
        var (code, output, err) = Ws.Apply(Ws.NewRequest() with { Strategy = "analyzer", Cache = "off", CompileCommands = cc });
        Assert.That(code, Is.EqualTo(0), err + output);
        var copy = Ws.Outputs().Single();
        Assert.That(copy[2] == "unchanged" || !File.ReadAllText(copy[1]).Contains("[64]", StringComparison.Ordinal),
            "no copy with a 64-element row buffer reaches the -DW=128 target");
        var reasons = string.Join("\n", Ws.ReportPlansByLine().Values.Select(p => p.GetProperty("reason").GetString()));
        Assert.That(reasons, Does.Contain("row 0..128").And.Contain("row 0..64"), "the report names both rows");

        // The same length in both targets keeps the row form.
        var same = Ws.CompileCommands([(pool, Pool("-DW=64", "a.o")), (pool, [.. Pool("-DW=64", "b.o"), "-DEXTRA"])]);
        (code, output, err) = Ws.Apply(Ws.NewRequest() with { Strategy = "analyzer", Cache = "off", CompileCommands = same });
        Assert.That(code, Is.EqualTo(0), err + output);
        Assert.That(File.ReadAllText(Ws.Outputs().Single()[1]), Does.Contain("[64]"));
    }
}
