using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>
/// Fixtures/ObjectLibraryApp: an object library whose objects other targets take by `$<TARGET_OBJECTS:…>` (an
/// executable, a shared library, a static library through an alias), the shape of libjpeg-turbo's programs and shared
/// library built from its bundled zlib and spng object libraries. Such objects carry no usage requirement: the copy in the
/// object library was compiled with OpenMP, but the targets that linked it did not link the runtime, and the build failed
/// with "undefined reference to symbol 'GOMP_…'" (ParaSlm broke a build that builds without it).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class ObjectLibraryTests
{
    private CMakeApp _app = null!;
    private ProcessResult _build = null!;

    [OneTimeSetUp]
    public void BuildOnce()
    {
        _app = new CMakeApp(SdkWorkspace.Shared, "object-library", "ObjectLibraryApp");
        _build = _app.Build("-p:ParaSlmCMakeBuildSerial=true");
    }

    [Test]
    public void Targets_taking_a_rewritten_object_librarys_objects_link_the_OpenMP_runtime()
    {
        _build.ShouldSucceed();
        Assert.That(_app.Outputs()[_app.Source("parts/kernels.c")].Status, Is.EqualTo("rewritten"), File.ReadAllText(_app.OutputsFile));
        Assert.That(_app.Outputs()[_app.Source("src/main.c")].Status, Is.Not.EqualTo("rewritten"),
            "main.c has no parallel loop: each program gets OpenMP only through the objects it takes");
    }

    // `through_shared` links only libsums.so, which holds the copy's objects: it links (and runs) only when the shared
    // library itself records the OpenMP runtime; `through_static` gets it from the static library's interface.
    [TestCase("direct")]
    [TestCase("through_shared")]
    [TestCase("through_static")]
    public void Each_program_prints_what_its_serial_build_prints(string program)
    {
        _build.ShouldSucceed();
        var serial = _app.Run(Path.Combine(_app.SerialTree, program)).ShouldSucceed().StandardOutput;
        Assert.That(serial, Does.StartWith("sum="));
        foreach (var threads in new[] { 2, 4 })
            Assert.That(_app.Run(Path.Combine(_app.ParallelTree, program), threads).ShouldSucceed().StandardOutput, Is.EqualTo(serial), $"{threads} threads");
    }
}
