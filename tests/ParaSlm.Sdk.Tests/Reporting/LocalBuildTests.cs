using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Reporting;

/// <summary>The same reports locally: HTML and summary beside the Markdown, no SARIF by default, and no `##` line at all.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class LocalBuildTests
{
    private CMakeApp _app = null!;

    [OneTimeSetUp]
    public void Copy() => _app = new CMakeApp(SdkWorkspace.Shared, "reports-local");

    private ProcessResult BuildOutsideCI(params string[] extra)
    {
        var environment = new Dictionary<string, string?>(_app.Workspace.Environment) { ["TF_BUILD"] = null, ["CI"] = null };
        return ProcessRunner.Run("dotnet", ["build", _app.Project, "-m:1", "-nodeReuse:false", "-v:diag", "-tl:off", "-nologo", .. extra],
            _app.Directory, environment, TimeSpan.FromMinutes(5));
    }

    [Test]
    public void Outside_Azure_Pipelines_no_logging_command_appears_and_no_sarif_is_written()
    {
        var build = BuildOutsideCI().ShouldSucceed();
        Assert.That(build.Output, Does.Not.Contain("##vso["));
        Assert.That(build.Output, Does.Not.Contain("##["));
        var report = Path.Combine(_app.IntermediateDir, "report");
        Assert.That(Path.Combine(report, "paraslm-report.html"), Does.Exist);
        Assert.That(Path.Combine(report, "paraslm-summary.json"), Does.Exist);
        Assert.That(Path.Combine(report, "paraslm.sarif"), Does.Not.Exist);
        Assert.That(Path.Combine(_app.IntermediateDir, "paraslm.azure-devops.txt"), Does.Not.Exist);
    }

    [Test]
    public void ParaSlmSarif_true_writes_sarif_locally()
    {
        BuildOutsideCI("-p:ParaSlmSarif=true").ShouldSucceed();
        Assert.That(Path.Combine(_app.IntermediateDir, "report", "paraslm.sarif"), Does.Exist);
    }

    [Test]
    public void An_unknown_FailOn_value_fails_with_PSLM1008()
    {
        var build = BuildOutsideCI("-p:ParaSlmFailOn=sometimes").ShouldFail();
        Assert.That(build.Output, Does.Contain("error PSLM1008").And.Contain("none, reverted or unsafe-assertion"));
    }
}
