using System.Diagnostics;
using System.Text.RegularExpressions;
using ParaSlm.Evaluation;

namespace ParaSlm.Analyzer.Tests.Reporting;

/// <summary>
/// paraslm-report.html in a real headless Chromium (Debian's `chromium`, installed by .ci/bootstrap): it loads from
/// disk with no network, runs its script without a console message, and the DOM after the script holds one row per loop;
/// a filter in the URL fragment hides the other rows.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class HtmlReportBrowserTests
{
    private ReportsFixture _fx = null!;
    private string _html = null!;

    [OneTimeSetUp]
    public void Apply()
    {
        _fx = new ReportsFixture();
        _html = Path.Combine(_fx.ReportDir, "paraslm-report.html");
    }

    [OneTimeTearDown]
    public void Dispose() => _fx.Dispose();

    /// <summary>The DOM after scripts ran, and every console message (Chromium logs them as `…:CONSOLE…` lines on stderr).</summary>
    private static (string Dom, IReadOnlyList<string> Console) Load(string file, string fragment = "")
    {
        var chromium = new[] { "chromium", "chromium-browser", "google-chrome" }
            .Select(n => Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, n)).FirstOrDefault(File.Exists))
            .FirstOrDefault(p => p is not null);
        Assert.That(chromium, Is.Not.Null, "chromium is not installed: run .ci/bootstrap (apt-get install chromium)");
        var profile = Directory.CreateTempSubdirectory("paraslm-chromium-");
        try
        {
            var info = new ProcessStartInfo(chromium!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
                         $"--user-data-dir={profile.FullName}", "--virtual-time-budget=5000", "--dump-dom", new Uri(file).AbsoluteUri + fragment })
                info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var dom = p.StandardOutput.ReadToEnd();
            Assert.That(p.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "chromium did not finish");
            var console = stderr.Result.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
            return (dom, console);
        }
        finally
        {
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static List<(string Id, string Decision, bool Hidden)> LoopRows(string dom) =>
        Regex.Matches(dom, "<tr class=\"loop\"(?<attrs>[^>]*)>").Select(m => m.Groups["attrs"].Value).Select(a => (
            Regex.Match(a, "data-loop-id=\"(?<v>[^\"]*)\"").Groups["v"].Value,
            Regex.Match(a, "data-decision=\"(?<v>[^\"]*)\"").Groups["v"].Value,
            Regex.IsMatch(a, @"\bhidden\b"))).ToList();

    [Test]
    public void The_report_loads_without_console_messages_and_its_script_builds_a_row_per_loop()
    {
        var (dom, console) = Load(_html);
        Assert.That(console, Is.Empty);
        Assert.That(dom, Does.Contain("data-ready=\"true\""));
        var rows = LoopRows(dom);
        Assert.That(rows.Select(r => r.Decision), Is.EquivalentTo(new[] { "parallel", "parallel", "serial", "serial" }));
        Assert.That(rows.All(r => !r.Hidden), Is.True);
        Assert.That(rows.Select(r => r.Id), Has.Some.EndsWith("kernels.c:9:5"));
        Assert.That(dom, Does.Contain("reduction(+:s)").And.Contain("log_value"), "clauses and the reason in words");
        Assert.That(dom, Does.Contain("<span class=\"add\">+    #pragma omp parallel for"), "each loop's diff");
        Assert.That(Regex.Matches(dom, "<tr data-file=").Count, Is.EqualTo(2), "a row per file");
    }

    [Test]
    public void A_filter_in_the_address_hides_the_other_rows()
    {
        var (dom, console) = Load(_html, "#decision=serial");
        Assert.That(console, Is.Empty);
        var rows = LoopRows(dom);
        Assert.That(rows.Where(r => !r.Hidden).Select(r => r.Decision), Is.EqualTo(new[] { "serial", "serial" }));
        Assert.That(rows.Where(r => r.Hidden).Select(r => r.Decision), Is.EqualTo(new[] { "parallel", "parallel" }));
        Assert.That(dom, Does.Contain("data-shown=\"2\""));
    }

    [Test]
    public void The_harness_sees_a_script_error_and_a_page_without_rows()
    {
        // The same report with its data cut short: the script throws, the harness must notice.
        var broken = Path.Combine(_fx.ReportDir, "broken.html");
        File.WriteAllText(broken, File.ReadAllText(_html).Replace("<script type=\"application/json\" id=\"paraslm-data\">{", "<script type=\"application/json\" id=\"paraslm-data\">{,"));
        var (dom, console) = Load(broken);
        Assert.That(console, Has.Some.Contains("Uncaught"));
        Assert.That(LoopRows(dom), Is.Empty);
    }

    [Test]
    public void With_an_evaluations_timings_beside_the_report_the_page_shows_its_speedup_chart()
    {
        Assert.That(File.ReadAllText(_html), Does.Not.Contain("<svg"), "no timings, no chart");
        var variants = new[] { "serial-gcc", "paraslm-gcc" }
            .Select(v => new VariantInfo(v, v, "gcc", "12", "-O3", v != "serial-gcc", null)).ToList();
        var kernel = new KernelReport("scale", "scale.c", null, "serial-gcc", 1.0, "42",
            [new Cell("serial-gcc", CellStatus.Ok, null, [1.0], 1.0, 1.0, "42", true, 0, null),
             new Cell("paraslm-gcc", CellStatus.Ok, null, [0.5], 0.5, 2.0, "42", true, 0, null)]);
        var evaluation = new EvaluationReport("suite", DateTimeOffset.UtcNow, new MachineInfo("cpu", 2, "linux", null, null), 1, 2, "analyzer", null,
            variants, [kernel], [new GeoMean("serial-gcc", 1.0, 1, 1, []), new GeoMean("paraslm-gcc", 2.0, 1, 1, [])],
            new Calibration(2, 1.0, 0.5, 2.0, null), [], null, null, 1.0);
        var dir = Path.Combine(_fx.ReportDir, "evaluation");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, EvaluationReportWriter.JsonFile), EvaluationReportWriter.ToJson(evaluation));
        _fx.Apply();
        var (dom, console) = Load(_html);
        Assert.That(console, Is.Empty);
        Assert.That(dom, Does.Contain("<div class=\"chart\"><svg").And.Contain("paraslm-gcc"));
        Assert.That(LoopRows(dom), Has.Count.EqualTo(4));
    }

    [Test]
    public void The_page_is_self_contained()
    {
        var text = File.ReadAllText(_html);
        Assert.That(Regex.IsMatch(text, "(src|href)=\"(https?:)?//"), Is.False, "no external script, style or image");
        Assert.That(text, Does.Not.Contain("<link "));
    }
}
