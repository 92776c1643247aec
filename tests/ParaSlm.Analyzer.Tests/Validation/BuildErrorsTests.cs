using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>What a failed variant build is summarized as: the compiler's diagnostics, not its command line.</summary>
[TestFixture]
[Category("Unit")]
public sealed class BuildErrorsTests
{
    [Test]
    public void The_diagnostic_comes_before_a_command_line_that_merely_mentions_Werror()
    {
        const string log = """
            [1/3] Building C object CMakeFiles/app.dir/main.c.o
            FAILED: CMakeFiles/app.dir/kernels.c.o
            /usr/bin/clang-19 -fsanitize=thread -O3 -Wall -Werror -Wlogical-op -c /src/kernels.c
            error: unknown warning option '-Wlogical-op' [-Werror,-Wunknown-warning-option]
            /src/kernels.c:3:1: error: unknown type name 'vec'
            2 errors generated.
            ninja: build stopped: subcommand failed.
            """;
        var errors = CMakeBuilds.Errors(log).Split('\n');
        Assert.That(errors, Is.EqualTo(new[]
        {
            "error: unknown warning option '-Wlogical-op' [-Werror,-Wunknown-warning-option]",
            "/src/kernels.c:3:1: error: unknown type name 'vec'",
        }));
    }

    [Test]
    public void Linker_and_cmake_errors_count_and_a_log_without_any_gives_its_end()
    {
        Assert.That(CMakeBuilds.Errors("x\nmain.c:(.text+0x1d): undefined reference to `bump'\ncollect2: error: ld returned 1 exit status\n"),
            Does.StartWith("main.c:(.text+0x1d): undefined reference to `bump'"));
        Assert.That(CMakeBuilds.Errors("CMake Error at CMakeLists.txt:4 (add_executable):\n  Cannot find source file"), Does.StartWith("CMake Error at CMakeLists.txt:4"));
        Assert.That(CMakeBuilds.Errors("building\nKilled\n"), Is.EqualTo("building\nKilled"));
    }
}
