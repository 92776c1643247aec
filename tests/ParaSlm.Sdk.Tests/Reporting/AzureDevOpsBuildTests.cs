using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Reporting;

/// <summary>
/// A nightly-style build in Azure Pipelines (TF_BUILD=True, ParaSlmValidate=tsan, ParaSlmFailOn=unsafe-assertion) of the
/// validation fixture, whose loop over `bump()` races behind a false ParaSlmAssumePure, plus one source that only the
/// analyzer cannot compile (its #error names `%`, `;` and `[…]`, and its file name has a `]`): the build logs each PSLM
/// diagnostic as an escaped `task.logissue`, the summary and the progress, writes SARIF, and fails with PSLM6002.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class AzureDevOpsBuildTests
{
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private ProcessResult _build = null!;

    private string ReportDir => Path.Combine(_dir, "obj", "Debug", "net10.0", "paraslm", "report");

    [OneTimeSetUp]
    public void BuildInAzurePipelines()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.Copy(Path.Combine(_workspace.Fixtures, "ValidateApp"), "azure-devops");
        // Plain clang (libclang analyzing it) fails on this file; the compilers that build it (gcc, clang under TSan) do not.
        File.WriteAllText(Path.Combine(_dir, "src", "compat].c"), """
            #ifdef __clang__
            # if !__has_feature(thread_sanitizer)
            #  error 100% unsupported; see [docs]
            # endif
            #endif
            int compat_level(void) { return 1; }
            """);
        File.AppendAllText(Path.Combine(_dir, "CMakeLists.txt"), "\ntarget_sources(app PRIVATE \"src/compat].c\")\n");
        var environment = new Dictionary<string, string?>(_workspace.Environment) { ["TF_BUILD"] = "True", ["CI"] = null };
        _build = ProcessRunner.Run("dotnet",
            ["build", "app.proj", "-m:1", "-nodeReuse:false", "-v:n", "-tl:off", "-nologo",
             "-p:ParaSlmValidate=tsan", "-p:ParaSlmAssumePure=bump", "-p:ParaSlmFailOn=unsafe-assertion"],
            _dir, environment, TimeSpan.FromMinutes(10));
    }

    private IReadOnlyList<string> Commands(string name) =>
        _build.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("##vso[" + name, StringComparison.Ordinal)).ToList();

    [Test]
    public void The_analyzers_compile_error_becomes_an_issue_at_its_line_with_the_path_and_message_escaped()
    {
        var source = Path.Combine(_dir, "src", "compat].c");
        var issue = Commands("task.logissue").SingleOrDefault(c => c.Contains("code=PSLM0005;", StringComparison.Ordinal));
        Assert.That(issue, Is.Not.Null, ProcessResult.Tail(_build.Output));
        // Properties: `]` → %5D (and `;` → %3B, `%` → %AZP25); the message keeps `;` and `]` but escapes `%`.
        Assert.That(issue, Does.StartWith($"##vso[task.logissue type=warning;sourcepath={source.Replace("]", "%5D")};linenumber=3;columnnumber=4;code=PSLM0005;]"));
        Assert.That(issue, Does.Contain("100%AZP25 unsupported; see [docs]"));
        Assert.That(issue!.IndexOf(']'), Is.GreaterThan(issue.IndexOf("code=", StringComparison.Ordinal)), "no unescaped ] inside the properties");
    }

    [Test]
    public void The_reverted_loop_is_an_issue_at_the_for_keyword_with_its_code()
    {
        var issues = Commands("task.logissue").Where(c => c.Contains("code=PSLM5001;", StringComparison.Ordinal)).ToList();
        Assert.That(issues, Has.Count.EqualTo(1), "once, although validation repeats the engine's warnings");
        var kernels = Path.Combine(_dir, "src", "kernels.c");
        var m = Regex.Match(File.ReadAllText(kernels).Replace("\r", ""), @"^(?<indent>[ \t]*)for \(.*\n.*bump\(", RegexOptions.Multiline);
        var line = File.ReadAllText(kernels)[..m.Index].Count(c => c == '\n') + 1;
        Assert.That(issues[0], Does.StartWith($"##vso[task.logissue type=warning;sourcepath={kernels};linenumber={line};columnnumber={m.Groups["indent"].Length + 1};code=PSLM5001;]"));
        Assert.That(issues[0], Does.Contain("ParaSlmAssumePure"));
    }

    [Test]
    public void The_summary_is_uploaded_and_progress_is_reported()
    {
        var upload = Commands("task.uploadsummary").Single();
        var file = upload["##vso[task.uploadsummary]".Length..];
        Assert.That(file, Does.Exist);
        Assert.That(File.ReadAllText(file), Does.Contain("reverted by validation").And.Contain("`bump`"));
        Assert.That(Commands("task.setprogress"), Does.Contain("##vso[task.setprogress value=100;]ParaSlm analysis"));
    }

    [Test]
    public void FailOn_unsafe_assertion_fails_the_build_naming_the_function()
    {
        Assert.That(_build.ExitCode, Is.Not.Zero);
        Assert.That(_build.Output, Does.Contain("error PSLM6002").And.Contain("ParaSlmAssumePure wrong for bump"));
    }

    [Test]
    public void Sarif_is_written_in_CI_with_the_reverted_loop_as_a_warning_and_the_parallel_ones_with_fixes()
    {
        var sarif = Path.Combine(ReportDir, "paraslm.sarif");
        Assert.That(sarif, Does.Exist);
        using var log = JsonDocument.Parse(File.ReadAllText(sarif));
        var results = log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var reverted = results.Where(r => r.GetProperty("ruleId").GetString() == "PSLM5001").ToList();
        Assert.That(reverted, Has.Count.EqualTo(1));
        Assert.That(reverted[0].GetProperty("level").GetString(), Is.EqualTo("warning"));
        var parallel = results.Where(r => r.GetProperty("ruleId").GetString() == "PSLM6101").ToList();
        Assert.That(parallel, Is.Not.Empty);
        Assert.That(parallel.All(r => r.TryGetProperty("fixes", out _)), Is.True);
    }

    [Test]
    public void The_machine_readable_summary_counts_the_reverted_loop_and_the_false_assertion()
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReportDir, "paraslm-summary.json")));
        var counts = summary.RootElement.GetProperty("counts");
        Assert.That(counts.GetProperty("reverted").GetInt32(), Is.EqualTo(1));
        Assert.That(counts.GetProperty("unsafeAssertions").GetInt32(), Is.EqualTo(1));
        Assert.That(summary.RootElement.GetProperty("unsafeAssertionFunctions").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "bump" }));
        Assert.That(summary.RootElement.GetProperty("timings").GetProperty("validation").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void The_html_report_has_validation_per_variant_and_the_junit_results_fail_the_reverted_loop()
    {
        var html = File.ReadAllText(Path.Combine(ReportDir, "paraslm-report.html"));
        Assert.That(html, Does.Contain("<table id=\"variants\">").And.Contain("<td>tsan</td>"));
        Assert.That(html, Does.Contain("\"decision\":\"reverted\""));
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(ReportDir, "paraslm-validation.junit.xml"));
        var tsan = junit.Root!.Elements("testsuite").Single(e => (string?)e.Attribute("name") == "tsan");
        var failures = tsan.Elements("testcase").Where(c => c.Element("failure") is not null).ToList();
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That((string?)failures[0].Attribute("name"), Does.StartWith("tag() line"));
        Assert.That(tsan.Elements("testcase").Count(), Is.GreaterThan(1), "the kept loops pass");
    }

    [Test]
    public void FailOn_is_applied_again_by_a_build_that_has_nothing_to_do_and_only_its_own_error_is_a_new_issue()
    {
        var environment = new Dictionary<string, string?>(_workspace.Environment) { ["TF_BUILD"] = "True", ["CI"] = null };
        ProcessResult Again(string failOn) => ProcessRunner.Run("dotnet",
            ["build", "app.proj", "-m:1", "-nodeReuse:false", "-v:n", "-tl:off", "-nologo",
             "-p:ParaSlmValidate=tsan", "-p:ParaSlmAssumePure=bump", "-p:ParaSlmFailOn=" + failOn], _dir, environment, TimeSpan.FromMinutes(5));
        var reverted = Again("reverted").ShouldFail();
        Assert.That(reverted.Output, Does.Contain("error PSLM6001").And.Contain("validation reverted 1 loop(s)"));
        Assert.That(reverted.Output, Does.Not.Contain("ParaSlm: validation ("), "nothing changed: no validation again");
        var issues = reverted.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("##vso[task.logissue", StringComparison.Ordinal)).ToList();
        Assert.That(issues.Where(i => !i.Contains("code=PSLM6001;", StringComparison.Ordinal)), Is.Empty, "the loops' issues were reported by the build that raised them");
        Assert.That(issues, Has.One.StartsWith($"##vso[task.logissue type=error;sourcepath={Path.Combine(_dir, "app.proj")};code=PSLM6001;]ParaSlm: validation reverted 1 loop(s)"),
            "this build's own error (raised by the MSBuild side) is an issue");
        Again("none").ShouldSucceed();
    }
}
