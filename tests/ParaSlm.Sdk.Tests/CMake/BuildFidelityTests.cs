using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>
/// ParaSlm builds the user's program — the same program, never a broken one — on Fixtures/FidelityApp: a CMake project
/// declaring `cmake_minimum_required(VERSION 2.8.12)`, C and C++ with standard headers, code written for OpenMP in a
/// build that does not enable it, and a source the user excludes. The tests share one copy and run in order.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class BuildFidelityTests
{
    // MSBuild splits a bare -p: value at `,` and `;`: a list is quoted (or written with %2C / %3B).
    private const string Exclude = "-p:ParaSlmExclude=\"src/skip*.c,src/none/**\"";
    private CMakeApp _app = null!;
    private IReadOnlyDictionary<string, string> _userFiles = null!;
    private ProcessResult _first = null!;

    private string Fixture => _app.Directory;

    [OneTimeSetUp]
    public void FirstBuild()
    {
        _app = new CMakeApp(SdkWorkspace.Shared, "fidelity", "FidelityApp");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(Fixture, "rejecting-cc"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _userFiles = _app.HashUserFiles();
        _first = _app.Build(Exclude, "-p:ParaSlmCMakeBuildSerial=true");
    }

    private string Serial() => _app.Run(_app.SerialProgram).ShouldSucceed().StandardOutput;

    [Test, Order(1)]
    public void An_old_project_builds_first_time_with_its_sources_unchanged_and_prints_what_the_serial_build_prints()
    {
        _first.ShouldSucceed();
        var outputs = _app.Outputs();
        Assert.Multiple(() =>
        {
            Assert.That(_first.Output, Does.Not.Contain("CMP0057").And.Not.Contain("PSLM1014"), "the inject script sets the policies it needs");
            Assert.That(_app.CompileCommands(_app.ParallelTree).Keys, Does.Contain(outputs[_app.Source("src/modes.c")].Rewritten),
                "the parallel tree compiles the copy");
            Assert.That(outputs[_app.Source("src/main.cpp")].Status, Is.EqualTo("rewritten"));
            Assert.That(outputs[_app.Source("src/modes.c")].Status, Is.EqualTo("rewritten"));
            Assert.That(outputs[_app.Source("src/skipme.c")].Status, Is.EqualTo("excluded"), "ParaSlmExclude, comma-separated on the command line");
            Assert.That(_app.HashUserFiles(), Is.EqualTo(_userFiles), "no user file is touched");
        });
        var serial = Serial();
        Assert.That(serial, Does.StartWith("mode=0 "));
        foreach (var threads in new[] { 2, 4 })
            Assert.That(_app.Run(_app.ParallelProgram, threads).ShouldSucceed().StandardOutput, Is.EqualTo(serial),
                $"the parallel program computes what the serial one does, `#if _OPENMP` code off as the user's build has it ({threads} threads)");
        var modes = File.ReadAllText(outputs[_app.Source("src/modes.c")].Rewritten);
        Assert.That(modes.Split('\n').Count(l => l.TrimStart().StartsWith("#pragma omp", StringComparison.Ordinal)), Is.EqualTo(1),
            "only ParaSlm's directive (scaled_total); the user's, inside #ifdef _OPENMP, is left alone and not doubled");
        Assert.That(modes, Does.Not.Contain("private(i)"), "the user's directive stays inert, as in their build without OpenMP");
    }

    [Test, Order(2)]
    public void A_no_op_build_of_a_cpp_project_with_standard_headers_starts_no_engine()
    {
        var build = _app.Build(Exclude, "-p:ParaSlmCMakeBuildSerial=true").ShouldSucceed();
        Assert.That(build.Output, Does.Contain("Skipping target \"_ParaSlmRunEngine\" because all output files are up-to-date"));
        Assert.That(build.Output, Does.Not.Contain("paraslm.dll apply --request"));
        var inputs = File.ReadAllLines(Path.Combine(_app.IntermediateDir, "paraslm.inputs.txt"));
        foreach (var input in inputs) Assert.That(File.Exists(input), $"every recorded input exists: {input}");
    }

    [Test, Order(3)]
    public void A_parallel_copy_the_compiler_rejects_falls_back_to_the_original_and_the_build_goes_on()
    {
        var cc = Path.Combine(Fixture, "rejecting-cc");
        var build = _app.Build(Exclude, "-p:ParaSlmCMakeBuildSerial=true", $"-p:ParaSlmCMakeArgs=-DCMAKE_C_COMPILER={cc}").ShouldSucceed();
        Assert.Multiple(() =>
        {
            Assert.That(build.Output, Does.Contain(_app.Source("src/modes.c") + " : warning PSLM1013").Or.Contain(_app.Source("src/modes.c") + ": warning PSLM1013"));
            Assert.That(build.Output, Does.Contain("deliberately rejected parallel copy"));
            Assert.That(_app.Outputs()[_app.Source("src/modes.c")].Status, Is.EqualTo("unchanged"));
            Assert.That(_app.Outputs()[_app.Source("src/main.cpp")].Status, Is.EqualTo("rewritten"), "the C++ compiler accepts its copy");
        });
        Assert.That(_app.Run(_app.ParallelProgram).ShouldSucceed().StandardOutput, Is.EqualTo(Serial()));
    }

    [Test, Order(4)]
    public void A_cmake_error_in_the_inject_step_falls_back_to_the_plain_build_with_a_warning()
    {
        var build = _app.Build(Exclude, "-p:ParaSlmCMakeBuildSerial=true", $"-p:_ParaSlmCMakeInjectLogic={Path.Combine(Fixture, "failing-inject.cmake")}")
            .ShouldSucceed();
        Assert.Multiple(() =>
        {
            Assert.That(build.Output, Does.Contain("warning PSLM1014"));
            Assert.That(build.Output, Does.Contain("deliberate failure of the inject step"), "CMake's own message, as a warning");
            Assert.That(build.Output, Does.Not.Contain(": error"), "nothing of it is an error");
        });
        Assert.That(_app.Run(_app.ParallelProgram).ShouldSucceed().StandardOutput, Is.EqualTo(Serial()), "the plain program");

        var again = _app.Build(Exclude, "-p:ParaSlmCMakeBuildSerial=true", $"-p:_ParaSlmCMakeInjectLogic={Path.Combine(Fixture, "failing-inject.cmake")}")
            .ShouldSucceed();
        Assert.That(again.Output, Does.Contain("warning PSLM1014").And.Contain("is still the plain build"), "later builds keep saying so");
    }
}
