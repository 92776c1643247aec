using ParaSlm.Sdk.Tests.Support;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Sdk.Tests.Reporting;

/// <summary>
/// Diagnostics the MSBuild side raises before (or without) the engine — a wrong setting in the targets (PSLM1008), a
/// missing CMake in a task (PSLM1001), nothing to parallelize (PSLM1009) — are Azure Pipelines issues too when
/// TF_BUILD=True, escaped like the engine's, and never otherwise (nor with ParaSlmAzureDevOps=false).
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.None)]
public sealed class AzureDevOpsMSBuildIssuesTests
{
    private CMakeApp _app = null!;
    private string ProjectFile => Path.Combine(_app.Directory, _app.Project);

    [OneTimeSetUp]
    public void Copy() => _app = new CMakeApp(SdkWorkspace.Shared, "azure-devops-msbuild");

    private ProcessResult Build(string? tfBuild, params string[] extra)
    {
        var environment = new Dictionary<string, string?>(_app.Workspace.Environment) { ["TF_BUILD"] = tfBuild, ["CI"] = null };
        return ProcessRunner.Run("dotnet", ["build", _app.Project, "-m:1", "-nodeReuse:false", "-v:minimal", "-tl:off", "-nologo", .. extra],
            _app.Directory, environment, TimeSpan.FromMinutes(5));
    }

    private static List<string> Issues(ProcessResult build) =>
        build.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("##vso[task.logissue", StringComparison.Ordinal)).ToList();

    [Test]
    public void A_wrong_setting_rejected_by_the_targets_is_an_error_issue_with_percent_escaped_in_the_message()
    {
        // -p: unescapes %25: the value is `50%]`.
        var build = Build("True", "-p:ParaSlmFailOn=50%25]").ShouldFail();
        Assert.That(build.Output, Does.Contain("error PSLM1008"), "MSBuild's own error stays as it is");
        var issue = Issues(build).SingleOrDefault(i => i.Contains("code=PSLM1008;", StringComparison.Ordinal));
        Assert.That(issue, Is.EqualTo($"##vso[task.logissue type=error;sourcepath={ProjectFile};code=PSLM1008;]" +
            "ParaSlm: ParaSlmFailOn '50%AZP25]' is not valid; use none, reverted or unsafe-assertion."), ProcessResult.Tail(build.Output));
    }

    [Test]
    public void A_task_error_is_an_issue_whose_message_keeps_semicolons_and_brackets()
    {
        var build = Build("True", "-p:ParaSlmCMakeExe=/no/such]dir%3Bcmake").ShouldFail();
        // The issue names the file MSBuild's own error names (a task's errors are located at the task's node).
        var error = System.Text.RegularExpressions.Regex.Match(build.Output, @"^(?<file>\S+) : error PSLM1001: ", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.That(error.Success, Is.True, ProcessResult.Tail(build.Output));
        var issue = Issues(build).SingleOrDefault(i => i.Contains("code=PSLM1001;", StringComparison.Ordinal));
        Assert.That(issue, Does.StartWith($"##vso[task.logissue type=error;sourcepath={error.Groups["file"].Value};code=PSLM1001;]" +
            "ParaSlm: CMake was not found ('/no/such]dir;cmake' does not exist)."), ProcessResult.Tail(build.Output));
    }

    [Test]
    public void A_warning_of_the_targets_is_a_warning_issue_and_the_build_goes_on()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_app.Directory, "no-cmake-here")).FullName;
        var build = Build("True", "-p:ParaSlmCMakeSourceDir=" + empty + "/").ShouldSucceed();
        var issue = Issues(build).SingleOrDefault(i => i.Contains("code=PSLM1009;", StringComparison.Ordinal));
        Assert.That(issue, Does.StartWith($"##vso[task.logissue type=warning;sourcepath={ProjectFile};code=PSLM1009;]ParaSlm: there is nothing to parallelize here"),
            ProcessResult.Tail(build.Output));
    }

    [Test]
    public void Outside_Azure_Pipelines_and_with_ParaSlmAzureDevOps_false_the_same_errors_write_no_logging_command()
    {
        foreach (var (tfBuild, extra) in new[] { ((string?)null, Array.Empty<string>()), ("True", new[] { "-p:ParaSlmAzureDevOps=false" }) })
        {
            var failOn = Build(tfBuild, [.. extra, "-p:ParaSlmFailOn=50%25]"]).ShouldFail();
            var cmake = Build(tfBuild, [.. extra, "-p:ParaSlmCMakeExe=/no/such]dir%3Bcmake"]).ShouldFail();
            Assert.That(failOn.Output, Does.Contain("error PSLM1008").And.Not.Contain("##vso["), $"TF_BUILD={tfBuild} {string.Join(' ', extra)}");
            Assert.That(cmake.Output, Does.Contain("error PSLM1001").And.Not.Contain("##vso["), $"TF_BUILD={tfBuild} {string.Join(' ', extra)}");
        }
    }

    [Test]
    public void Property_values_escape_percent_semicolon_bracket_and_line_breaks_and_the_message_only_percent_and_line_breaks()
    {
        var issue = AzureDevOpsIssues.LogIssue("warning", "/src/a;b]%.c", 3, 4, "PSLM1011", "100% [x]; y\r\nz");
        Assert.That(issue, Is.EqualTo("##vso[task.logissue type=warning;sourcepath=/src/a%3Bb%5D%AZP25.c;linenumber=3;columnnumber=4;code=PSLM1011;]100%AZP25 [x]; y%0D%0Az"));
        Assert.That(AzureDevOpsIssues.LogIssue("error", null, 0, 7, null, "m"), Is.EqualTo("##vso[task.logissue type=error;]m"), "no column without a line");
    }
}
