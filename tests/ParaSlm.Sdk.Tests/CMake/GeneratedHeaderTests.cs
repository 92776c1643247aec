using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>
/// Fixtures/GeneratedHeaderApp: a header made by a build step (libpng's pnglibconf.h) and an older header of the same
/// name later on the include path. The engine parses the serial tree's compile commands before anything is built there,
/// so it read the older header: it judged a loop parallel that the compiled header makes a race (`rows[i * 0] += …`),
/// and kept serial one the compiled header makes independent. The files the build generates before compiling are now
/// made in the serial tree first.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class GeneratedHeaderTests
{
    private CMakeApp _app = null!;
    private ProcessResult _build = null!;

    [OneTimeSetUp]
    public void BuildOnce()
    {
        _app = new CMakeApp(SdkWorkspace.Shared, "generated-header", "GeneratedHeaderApp");
        _build = _app.Build("-p:ParaSlmCMakeBuildSerial=true");
    }

    [Test]
    public void The_analysis_reads_the_header_the_build_generates_not_an_older_one_on_the_include_path()
    {
        _build.ShouldSucceed();
        Assert.That(Path.Combine(_app.SerialTree, "gen", "layout.h"), Does.Exist);
        var (rewritten, status) = _app.Outputs()[_app.Source("kernels.c")];
        Assert.That(status, Is.EqualTo("rewritten"), File.ReadAllText(_app.OutputsFile));
        var text = File.ReadAllText(rewritten);
        var pragma = text.IndexOf("#pragma omp parallel", StringComparison.Ordinal);
        Assert.That(pragma, Is.GreaterThan(text.IndexOf("void scale_cols", StringComparison.Ordinal)),
            "the one parallel loop is scale_cols's (COL_STRIDE 1 in the generated header); fold_rows adds every row into rows[0]\n" + text);
        Assert.That(text.IndexOf("#pragma omp parallel", pragma + 1, StringComparison.Ordinal), Is.EqualTo(-1), text);
    }

    [Test]
    public void The_program_prints_what_its_serial_build_prints()
    {
        _build.ShouldSucceed();
        var serial = _app.Run(_app.SerialProgram).ShouldSucceed().StandardOutput;
        Assert.That(serial, Does.StartWith("rows0="));
        foreach (var threads in new[] { 2, 4 })
            Assert.That(_app.Run(_app.ParallelProgram, threads).ShouldSucceed().StandardOutput, Is.EqualTo(serial), $"{threads} threads");
    }

    [Test]
    public void A_rebuild_after_the_header_template_changes_analyzes_the_new_header()
    {
        // Its own copy: the shared build above stays as the other tests read it.
        var app = new CMakeApp(SdkWorkspace.Shared, "generated-header-edit", "GeneratedHeaderApp");
        app.Build().ShouldSucceed();
        var template = app.Source("layout.h.in");
        File.WriteAllText(template, File.ReadAllText(template).Replace("#define ROW_STRIDE 0", "#define ROW_STRIDE 1").Replace("#define COL_STRIDE 1", "#define COL_STRIDE 0"));
        app.Build().ShouldSucceed();
        var text = File.ReadAllText(app.Outputs()[app.Source("kernels.c")].Rewritten);
        var pragma = text.IndexOf("#pragma omp parallel", StringComparison.Ordinal);
        Assert.That(pragma, Is.GreaterThan(text.IndexOf("void fold_rows", StringComparison.Ordinal)).And.LessThan(text.IndexOf("void scale_cols", StringComparison.Ordinal)),
            "now the rows are one element apart and the columns folded\n" + text);
        Assert.That(text.IndexOf("#pragma omp parallel", pragma + 1, StringComparison.Ordinal), Is.EqualTo(-1), text);
    }
}
