using ParaSlm.Tasks.Internal;

namespace ParaSlm.Sdk.Tests.Tasks;

/// <summary>What CMake and the compilers print becomes MSBuild errors and warnings at the right place.</summary>
[TestFixture]
[Category("Unit")]
public sealed class ToolOutputParserTests
{
    private static List<ToolEvent> Parse(params string[] lines)
    {
        var parser = new ToolOutputParser();
        return lines.SelectMany(parser.Feed).Concat(parser.Flush()).ToList();
    }

    [Test]
    public void GccError_IsAnErrorAtItsFileLineAndColumn()
    {
        var e = Parse("/src/kernels.c:27:2: error: #error \"stop\"").Single();
        Assert.That((e.Kind, e.File, e.Line, e.Column, e.Text), Is.EqualTo((ToolEventKind.Error, "/src/kernels.c", 27, 2, "#error \"stop\"")));
    }

    [Test]
    public void ClangWarning_AndFatalError_AreRecognised()
    {
        var events = Parse("a.c:3:9: warning: unused variable 'x' [-Wunused-variable]", "b.c:1:10: fatal error: 'x.h' file not found");
        Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[] { ToolEventKind.Warning, ToolEventKind.Error }));
    }

    [Test]
    public void CMakeErrorBlock_IsOneErrorAtTheListFileLine()
    {
        var events = Parse(
            "CMake Error at CMakeLists.txt:12 (add_executable):",
            "  Cannot find source file:",
            "",
            "    missing.c",
            "",
            "-- Configuring incomplete, errors occurred!");
        var error = events.Single(e => e.Kind == ToolEventKind.Error);
        Assert.That((error.File, error.Line), Is.EqualTo(("CMakeLists.txt", 12)));
        Assert.That(error.Text, Is.EqualTo("Cannot find source file: missing.c"));
        Assert.That(events.Single(e => e.Kind == ToolEventKind.Message).Text, Does.StartWith("-- Configuring incomplete"));
    }

    [Test]
    public void CMakeProgressOnStdout_DoesNotCutAnErrorBlockFromStderr()
    {
        var events = Parse("CMake Error at CMakeLists.txt:2 (project):", "-- Configuring incomplete, errors occurred!",
            "  The CMAKE_C_COMPILER:", "", "    /nonexistent/cc", "", "  is not a full path to an existing compiler tool.");
        Assert.That(events.Single(e => e.Kind == ToolEventKind.Error).Text,
            Is.EqualTo("The CMAKE_C_COMPILER: /nonexistent/cc is not a full path to an existing compiler tool."));
    }

    [Test]
    public void CMakesClosingLinesOnStdout_DoNotCutAnErrorBlockFromStderr()
    {
        // A failed configure's last stdout lines race the error's body on stderr (seen: a build that showed only the
        // block's first line, without the message).
        var events = Parse("CMake Error at failing-inject.cmake:2 (message):", "-- Configuring incomplete, errors occurred!",
            "See also \"/b/CMakeFiles/CMakeOutput.log\".", "  deliberate failure of the inject step", "Call Stack (most recent call first):",
            "  CMakeLists.txt:2 (project)");
        Assert.That(events.Single(e => e.Kind == ToolEventKind.Error).Text, Is.EqualTo("deliberate failure of the inject step"));
        Assert.That(events.Where(e => e.Kind == ToolEventKind.Message).Select(e => e.Text), Does.Contain("See also \"/b/CMakeFiles/CMakeOutput.log\"."));
    }

    [Test]
    public void CMakeWarnings_StayOutput_UnlessParaSlmsInjectScriptRaisedThem()
    {
        var plain = Parse("CMake Warning (dev) at CMakeLists.txt:1 (project):", "  Policy CMP0000 is not set.");
        Assert.That(plain.Select(e => e.Kind), Is.All.EqualTo(ToolEventKind.Message));
        var ours = Parse("CMake Warning at /pkg/targets/cmake/ParaSlmInject.cmake:99 (message):", "  PSLM1007: ParaSlm found no OpenMP");
        Assert.That(ours.Single().Kind, Is.EqualTo(ToolEventKind.Warning));
        // Which script raised it decides, not the text: a project's own warning that happens to name a PSLM code stays output.
        var quoting = Parse("CMake Warning at CMakeLists.txt:7 (message):", "  see PSLM1007 in the ParaSlm README");
        Assert.That(quoting.Select(e => e.Kind), Is.All.EqualTo(ToolEventKind.Message));
    }

    [Test]
    public void LinkerFailures_AreErrors_NinjaProgressIsNot()
    {
        var events = Parse("[2/3] Linking C executable app", "/usr/bin/ld: main.o: in function `main':",
            "main.c:(.text+0x1d): undefined reference to `omp_get_max_threads'", "collect2: error: ld returned 1 exit status",
            "ninja: build stopped: subcommand failed.");
        Assert.That(events.Count(e => e.Kind == ToolEventKind.Error), Is.EqualTo(2));
    }
    [Test]
    public void A_linker_failure_behind_lds_own_path_names_the_object_not_the_linker()
    {
        // GNU ld 2.40 prefixes its path: the error used to sit at the "file" `/usr/bin/ld: kernels.c`.
        var e = Parse("/usr/bin/ld: kernels.af5a348e.c:(.text+0x5): undefined reference to `GOMP_parallel'").Single();
        Assert.That((e.Kind, e.File, e.Text), Is.EqualTo((ToolEventKind.Error, "kernels.af5a348e.c", "undefined reference to `GOMP_parallel'")));
    }

    [Test]
    public void The_linkers_own_error_lines_are_errors_so_a_failed_link_says_why_and_not_only_that_ld_returned_1()
    {
        // libjpeg-turbo's first ParaSlm build: MSBuild showed only "collect2: ld returned 1 exit status", three times.
        var events = Parse(
            "/usr/bin/ld: sharedlib/zlib.dir/inftrees.5999382f.c.o: undefined reference to symbol 'GOMP_atomic_end@@GOMP_1.0'",
            "/usr/bin/ld: /lib/x86_64-linux-gnu/libgomp.so.1: error adding symbols: DSO missing from command line",
            "collect2: error: ld returned 1 exit status");
        Assert.That(events.Where(e => e.Kind == ToolEventKind.Error).Select(e => e.Text), Is.EqualTo(new[]
        {
            "ld: sharedlib/zlib.dir/inftrees.5999382f.c.o: undefined reference to symbol 'GOMP_atomic_end@@GOMP_1.0'",
            "ld: /lib/x86_64-linux-gnu/libgomp.so.1: error adding symbols: DSO missing from command line",
            "collect2: ld returned 1 exit status",
        }));
    }

    [Test]
    public void The_linkers_context_lines_and_warnings_stay_output()
    {
        var events = Parse("/usr/bin/ld: main.o: in function `main':", "/usr/bin/ld: warning: x.o: missing .note.GNU-stack section implies executable stack",
            "ld.lld: warning: undefined reference in a debug section is ignored");
        Assert.That(events.Select(e => e.Kind), Is.All.EqualTo(ToolEventKind.Message));
    }
}
