using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Engine.Inputs;
using ParaSlm.Engine.Tools;
using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// The options of a gcc project that the TSan build's clang does not know: read from clang's own diagnostics (the same
/// reader as the parse's), and left out by the wrapper the TSan tree compiles and links with — those and nothing else.
/// </summary>
[TestFixture]
public sealed class ForeignCompileOptionsTests
{
    [Test]
    public void The_driver_line_and_the_libclang_message_name_the_same_unknown_option()
    {
        Assert.Multiple(() =>
        {
            Assert.That(UnknownDriverArgument.In("clang-19: error: unknown argument: '-fipa-pta'"), Is.EqualTo("-fipa-pta"));
            Assert.That(UnknownDriverArgument.In("unknown argument: '-fvect-cost-model=dynamic'"), Is.EqualTo("-fvect-cost-model=dynamic"));
            Assert.That(UnknownDriverArgument.In("clang: error: unknown argument '-ftree-loop-vectorize'; did you mean '-ftree-vectorize'?"), Is.EqualTo("-ftree-loop-vectorize"));
            // Refusals for another reason are not options to leave out.
            Assert.That(UnknownDriverArgument.In("clang-19: error: unsupported option '-mcpu=' for target 'x86_64-pc-linux-gnu'"), Is.Null);
            Assert.That(UnknownDriverArgument.In("clang-19: warning: argument unused during compilation: '-fipa-pta'"), Is.Null);
            // A source diagnostic (file:line:col) that quotes the words is not the driver's.
            Assert.That(UnknownDriverArgument.In("main.c:3:2: error: unknown argument: '-x'"), Is.Null);
        });
    }

    [Test]
    public void Clang_names_exactly_the_gcc_only_options_of_the_compile_commands()
    {
        var clang = GenerationWorkspace.RequireTool("clang-19", "clang");
        var dir = Path.Combine(Path.GetTempPath(), "paraslm-foreign-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "k.c");
            File.WriteAllText(file, "int k(void) { return 1; }\n");
            var commands = new[]
            {
                new CompileCommand(file, ["-O3", "-fipa-pta", "-DN=4", "-Wlogical-op", "-ftree-vectorize", "-fvect-cost-model=dynamic"], dir),
                // The same options again (asked once), and one clang knows but refuses: not an unknown option.
                new CompileCommand(file, ["-O3", "-fipa-pta", "-DN=4", "-Wlogical-op", "-ftree-vectorize", "-fvect-cost-model=dynamic"], dir),
                new CompileCommand(file, ["-O2", "-mcpu=foo", "-fsched-pressure"], dir),
                new CompileCommand(file, ["-O2", "-fno-tree-vectorize"], dir),
            };
            var unknown = ForeignCompileOptions.UnknownToAsync(clang, commands, CancellationToken.None).GetAwaiter().GetResult();
            Assert.That(unknown, Is.EqualTo(new[] { "-fipa-pta", "-fvect-cost-model=dynamic", "-fsched-pressure" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void The_wrapper_passes_every_other_argument_unchanged_and_in_order()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("the wrapper is a POSIX shell script: TSan exists only there");
            return;
        }
        var dir = Path.Combine(Path.GetTempPath(), "paraslm-wrapper-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            // A stand-in compiler that prints its arguments one per line.
            var echo = Path.Combine(dir, "print-args");
            File.WriteAllText(echo, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
            File.SetUnixFileMode(echo, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var wrapper = Path.Combine(dir, "cc");
            ForeignCompileOptions.WriteWrapper(wrapper, echo, ["-fipa-pta", "-fvect-cost-model=dynamic", "-f*"]);
            string[] args = ["-O3", "-fipa-pta", "-DMSG=\"a b\"", "-fvect-cost-model=cheap", "-fvect-cost-model=dynamic", "it's", "-fstar", "-f*", "-c", "k.c"];
            var o = ToolProcess.RunAsync(wrapper, args, dir, null, TimeSpan.FromSeconds(30), CancellationToken.None).GetAwaiter().GetResult();
            Assert.That(o.ExitCode, Is.EqualTo(0), o.Combined);
            Assert.That(o.StandardOutput.TrimEnd('\n').Split('\n'),
                Is.EqualTo(new[] { "-O3", "-DMSG=\"a b\"", "-fvect-cost-model=cheap", "it's", "-fstar", "-c", "k.c" }),
                "only the exact options are left out (a pattern character is literal), quoting and order kept");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
