using ParaSlm.Engine.Reporting.AzureDevOps;

namespace ParaSlm.Analyzer.Tests.Reporting;

/// <summary>The Azure Pipelines logging commands and their escaping (azure-pipelines-task-lib's rules).</summary>
[TestFixture]
public sealed class AzureDevOpsCommandTests
{
    [Test]
    public void Properties_escape_percent_line_ends_semicolons_and_closing_brackets()
    {
        var d = new Diagnostic(DiagnosticSeverity.Warning, "PSLM0005", "/src/a;b]c%.c", 3, 7, "x");
        Assert.That(AzureDevOpsCommands.LogIssue(d),
            Is.EqualTo("##vso[task.logissue type=warning;sourcepath=/src/a%3Bb%5Dc%AZP25.c;linenumber=3;columnnumber=7;code=PSLM0005;]x"));
        Assert.That(AzureDevOpsCommands.EscapeProperty("a\r\nb"), Is.EqualTo("a%0D%0Ab"));
    }

    [Test]
    public void The_message_escapes_percent_and_line_ends_but_keeps_semicolons_and_brackets()
    {
        var d = new Diagnostic(DiagnosticSeverity.Error, "PSLM6001", null, 0, 0, "100% done; see [docs]\r\nnext");
        Assert.That(AzureDevOpsCommands.LogIssue(d), Is.EqualTo("##vso[task.logissue type=error;code=PSLM6001;]100%AZP25 done; see [docs]%0D%0Anext"));
    }

    [Test]
    public void Summary_and_progress_commands()
    {
        Assert.That(AzureDevOpsCommands.UploadSummary("/r/s.md"), Is.EqualTo("##vso[task.uploadsummary]/r/s.md"));
        Assert.That(AzureDevOpsCommands.SetProgress(140, "ParaSlm"), Is.EqualTo("##vso[task.setprogress value=100;]ParaSlm"));
    }

    [TestCase("/a/b.c(12,5): warning PSLM5001: loop reverted: tsan found x", "/a/b.c", 12, 5, "PSLM5001", DiagnosticSeverity.Warning)]
    [TestCase("/a/app.proj : warning PSLM5002: tsan is not available", "/a/app.proj", 0, 0, "PSLM5002", DiagnosticSeverity.Warning)]
    [TestCase("ParaSlm: warning PSLM3001: no model", null, 0, 0, "PSLM3001", DiagnosticSeverity.Warning)]
    [TestCase("paraslm: error PSLM0007: bad request", null, 0, 0, "PSLM0007", DiagnosticSeverity.Error)]
    public void Diagnostics_are_read_in_every_form_the_engine_prints(string line, string? file, int l, int c, string code, DiagnosticSeverity severity)
    {
        var d = Diagnostic.Parse(line);
        Assert.That(d, Is.EqualTo(new Diagnostic(severity, code, file, l, c, d!.Message)));
    }

    [TestCase("ParaSlm: [2/3] src/a.c — 1 loops, 1 parallel (0.1 s)")]
    [TestCase("ParaSlm: validate: tsan with 2 loop(s) parallel: passed")]
    [TestCase("/a/b.c(3,1): warning : no code")]
    public void Other_lines_are_not_diagnostics(string line) => Assert.That(Diagnostic.Parse(line), Is.Null);

    [Test]
    public void Outside_Azure_Pipelines_the_writers_are_left_alone_and_nothing_is_queued()
    {
        var dir = Directory.CreateTempSubdirectory("paraslm-ado-");
        try
        {
            var (o, e) = (new StringWriter(), new StringWriter());
            var (wo, we) = AzureDevOpsLog.Wrap(dir.FullName, o, e, _ => null);
            Assert.That(wo, Is.SameAs(o));
            Assert.That(we, Is.SameAs(e));
            var (ao, ae) = AzureDevOpsLog.Wrap(dir.FullName, o, e, n => n == "TF_BUILD" ? "True" : null);
            ao.WriteLine("/a/b.c(1,2): warning PSLM0005: x; y]");
            ae.WriteLine("ParaSlm: [1/2] a.c — 1 loops, 0 parallel (2.1 s)");
            Assert.That(o.ToString(), Is.EqualTo("/a/b.c(1,2): warning PSLM0005: x; y]" + Environment.NewLine), "passed through unchanged");
            Assert.That(e.ToString(), Does.Contain("##vso[task.setprogress value=50;]ParaSlm analysis"));
            Assert.That(File.ReadAllText(Path.Combine(dir.FullName, AzureDevOpsLog.QueueFileName)),
                Is.EqualTo("##vso[task.logissue type=warning;sourcepath=/a/b.c;linenumber=1;columnnumber=2;code=PSLM0005;]x; y]\n"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
