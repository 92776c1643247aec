using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>MSBuild-side failures carry a PSLM code and say what the user can do.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class DiagnosticsTests
{
    private CMakeApp _app = null!;

    [OneTimeSetUp]
    public void Copy() => _app = new CMakeApp(SdkWorkspace.Shared, "diagnostics");

    [Test]
    public void MissingCMake_FailsWithPSLM1001_SayingHowToGetIt()
    {
        var build = _app.Build("-p:ParaSlmCMakeExe=/nonexistent/cmake").ShouldFail();
        Assert.That(build.Output, Does.Contain("error PSLM1001").And.Contain("install it").And.Contain("ParaSlmCMakeExe"));
    }

    [Test]
    public void MissingEngine_FailsWithPSLM1003_SayingWhatToDo()
    {
        var build = _app.Build("-p:ParaSlmEngineAssembly=/nonexistent/paraslm.dll").ShouldFail();
        Assert.That(build.Output, Does.Contain("error PSLM1003").And.Contain("ParaSlmEngineAssembly"));
    }

    [Test]
    public void FailingConfigure_FailsWithPSLM1002_AndCMakesErrorAtItsFileAndLine()
    {
        var build = _app.Build("-p:ParaSlmCMakeArgs=-DCMAKE_C_COMPILER=/nonexistent/cc").ShouldFail();
        Assert.That(build.Output, Does.Contain("error PSLM1002").And.Contain("ParaSlmCMakeArgs"));
        Assert.That(build.Output, Does.Contain(_app.Source("CMakeLists.txt") + "(2): error : The CMAKE_C_COMPILER: /nonexistent/cc is not a full path"));
    }

    [Test]
    public void UnknownMode_FailsWithPSLM1008_NamingTheValidValues()
    {
        var build = _app.Build("-p:ParaSlmMode=Fast").ShouldFail();
        Assert.That(build.Output, Does.Contain("error PSLM1008").And.Contain("Off, Analyze or Apply"));
    }

    [Test]
    public void ModelTimeoutThatIsNotANumber_FailsWithPSLM1008_SayingWhatToGive()
    {
        var build = _app.Build("-p:ParaSlmModelTimeout=2min").ShouldFail();
        Assert.That(build.Output, Does.Contain("error PSLM1008").And.Contain("ParaSlmModelTimeout '2min' is not valid").And.Contain("e.g. 120"));
    }

    [Test]
    public void ModelTimeoutAndBudget_ReachTheEngineRequest()
    {
        _app.Build("-p:ParaSlmMode=Analyze", "-p:ParaSlmModelTimeout=90", "-p:ParaSlmModelBudget=1800.5").ShouldSucceed();
        using var request = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_app.IntermediateDir, "paraslm.request.json")));
        Assert.That(request.RootElement.GetProperty("timeout").GetDouble(), Is.EqualTo(90));
        Assert.That(request.RootElement.GetProperty("budget").GetDouble(), Is.EqualTo(1800.5));
    }

    [Test]
    public void AnalyzeMode_WritesTheReport_AndBuildsTheProgramUnchanged()
    {
        var build = _app.Build("-p:ParaSlmMode=Analyze").ShouldSucceed();
        Assert.That(Path.Combine(_app.IntermediateDir, "report", "paraslm-report.md"), Does.Exist);
        Assert.That(_app.Outputs().Values.Select(v => v.Status), Has.None.EqualTo("rewritten"));
        Assert.That(_app.CompileCommands(_app.ParallelTree).Keys, Does.Contain(_app.Source("kernels/kernels.c")));
        Assert.That(build.Output, Does.Contain("ParaSlm: "));
    }
}
