using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Engine.Diagnostics;
using ParaSlm.Engine.Reporting.AzureDevOps;

namespace ParaSlm.Analyzer.Tests.Reporting;

/// <summary>The Azure Pipelines logging commands and their escaping (azure-pipelines-task-lib's rules).</summary>
[TestFixture]
[Category("Unit")]
public sealed class AzureDevOpsCommandTests
{
    [Test]
    public void Properties_escape_percent_line_ends_semicolons_and_closing_brackets()
    {
        var d = Diagnostic.Warning("PSLM0005", "x", "/src/a;b]c%.c", 3, 7);
        Assert.That(AzureDevOpsCommands.LogIssue(d),
            Is.EqualTo("##vso[task.logissue type=warning;sourcepath=/src/a%3Bb%5Dc%AZP25.c;linenumber=3;columnnumber=7;code=PSLM0005;]x"));
        Assert.That(AzureDevOpsCommands.EscapeProperty("a\r\nb"), Is.EqualTo("a%0D%0Ab"));
    }

    [Test]
    public void The_message_escapes_percent_and_line_ends_but_keeps_semicolons_and_brackets()
    {
        var d = Diagnostic.Error("PSLM6001", "100% done; see [docs]\r\nnext");
        Assert.That(AzureDevOpsCommands.LogIssue(d), Is.EqualTo("##vso[task.logissue type=error;code=PSLM6001;]100%AZP25 done; see [docs]%0D%0Anext"));
    }

    [Test]
    public void Summary_and_progress_commands()
    {
        Assert.That(AzureDevOpsCommands.UploadSummary("/r/s.md"), Is.EqualTo("##vso[task.uploadsummary]/r/s.md"));
        Assert.That(AzureDevOpsCommands.SetProgress(140, "ParaSlm"), Is.EqualTo("##vso[task.setprogress value=100;]ParaSlm"));
    }

    [Test]
    public void Diagnostics_are_written_in_MSBuilds_canonical_form_at_their_file_or_origin()
    {
        Assert.That(DiagnosticText.ForBuild(Diagnostic.Warning("PSLM5001", "loop reverted", "/a/b.c", 12, 5)), Is.EqualTo("/a/b.c(12,5): warning PSLM5001: loop reverted"));
        Assert.That(DiagnosticText.ForBuild(Diagnostic.Warning("PSLM0003", "missing", "/a/b.c")), Is.EqualTo("/a/b.c: warning PSLM0003: missing"));
        Assert.That(DiagnosticText.ForBuild(Diagnostic.Warning("PSLM5002", "tsan is not available"), "/a/app.proj"), Is.EqualTo("/a/app.proj: warning PSLM5002: tsan is not available"));
        Assert.That(DiagnosticText.ForBuild(Diagnostic.Warning("PSLM3004", "breaker")), Is.EqualTo("ParaSlm: warning PSLM3004: breaker"));
        Assert.That(DiagnosticText.ForBuild(Diagnostic.Error("PSLM0007", "bad request"), "paraslm"), Is.EqualTo("paraslm: error PSLM0007: bad request"));
        Assert.That(DiagnosticText.ForBuild(Diagnostic.Info("PSLM3001", "no model")), Is.EqualTo("ParaSlm: PSLM3001: info: no model"), "an info is no build warning");
    }

    [Test]
    public void Outside_Azure_Pipelines_there_is_no_log_and_nothing_is_queued()
    {
        var dir = Directory.CreateTempSubdirectory("paraslm-ado-");
        try
        {
            Assert.That(AzureDevOpsLog.Create(dir.FullName, new StringWriter(), _ => null), Is.Null);
            var output = new StringWriter();
            new DiagnosticLog(output).Report(Diagnostic.Warning("PSLM0005", "x", "/a/b.c", 1, 2));
            Assert.That(output.ToString(), Is.EqualTo("/a/b.c(1,2): warning PSLM0005: x" + Environment.NewLine));
            Assert.That(File.Exists(Path.Combine(dir.FullName, AzureDevOpsLog.QueueFileName)), Is.False);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void In_Azure_Pipelines_warnings_are_queued_as_issues_and_progress_is_shown_once_per_value()
    {
        var dir = Directory.CreateTempSubdirectory("paraslm-ado-");
        try
        {
            var (output, live) = (new StringWriter(), new StringWriter());
            var azure = AzureDevOpsLog.Create(dir.FullName, live, n => n == "TF_BUILD" ? "True" : null);
            var log = new DiagnosticLog(output, azure);
            log.Report(Diagnostic.Warning("PSLM0005", "x; y]", "/a/b.c", 1, 2));
            log.Report(Diagnostic.Warning("PSLM5002", "tsan is not available"), "/a/app.proj");
            log.Report(Diagnostic.Info("PSLM3001", "no model"));
            log.Progress(1, 2);
            log.Progress(1, 2);
            log.Progress(2, 2);

            Assert.That(output.ToString(), Does.StartWith("/a/b.c(1,2): warning PSLM0005: x; y]" + Environment.NewLine), "the build's own line is unchanged");
            Assert.That(File.ReadAllText(Path.Combine(dir.FullName, AzureDevOpsLog.QueueFileName)),
                Is.EqualTo("##vso[task.logissue type=warning;sourcepath=/a/b.c;linenumber=1;columnnumber=2;code=PSLM0005;]x; y]\n" +
                           "##vso[task.logissue type=warning;sourcepath=/a/app.proj;code=PSLM5002;]tsan is not available\n"));
            Assert.That(live.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries),
                Is.EqualTo(new[] { "##vso[task.setprogress value=50;]ParaSlm analysis", "##vso[task.setprogress value=100;]ParaSlm analysis" }));
            Assert.That(log.Reported.Select(d => d.Code), Is.EqualTo(new[] { "PSLM0005", "PSLM5002", "PSLM3001" }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
