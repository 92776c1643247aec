using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>
/// Fixtures/SubdirLanguageApp: a C project (`project(… C)`) whose tools folder enables C++ on its own, the shape of a
/// held-out project (cminpack's C++ wrapper test). The inject step runs at the end of the top folder, where C++'s compiler
/// variables are not in scope: it used to find "no OpenMP for CXX" (PSLM1007, advising to install an OpenMP runtime that
/// was there) and leave every C++ loop serial.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class SubdirLanguageTests
{
    [Test]
    public void Cpp_enabled_in_a_subfolder_of_a_C_project_gets_OpenMP_and_its_loops_run_parallel_with_the_serial_output()
    {
        var app = new CMakeApp(SdkWorkspace.Shared, "subdir-language", "SubdirLanguageApp");
        var build = app.Build("-p:ParaSlmCMakeBuildSerial=true").ShouldSucceed();
        var outputs = app.Outputs();
        var tool = outputs[app.Source("tools/tool.cpp")];
        Assert.Multiple(() =>
        {
            Assert.That(build.Output, Does.Not.Contain("PSLM1007"), ProcessResult.Tail(build.Output));
            Assert.That(tool.Status, Is.EqualTo("rewritten"));
            Assert.That(app.CompileCommands(app.ParallelTree).TryGetValue(tool.Rewritten, out var command) ? command : "(the copy is not compiled)",
                Does.Contain("-fopenmp"), "the C++ copy is compiled with OpenMP in the parallel tree");
        });
        var program = (string tree) => Path.Combine(tree, "tools", "tool");
        var serial = app.Run(program(app.SerialTree)).ShouldSucceed().StandardOutput;
        Assert.That(serial, Does.StartWith("cpp sum="));
        foreach (var threads in new[] { 2, 4 })
            Assert.That(app.Run(program(app.ParallelTree), threads).ShouldSucceed().StandardOutput, Is.EqualTo(serial), $"{threads} threads");
    }
}
