using System.Globalization;
using System.Xml.Linq;

namespace ParaSlm.Engine.Reporting;

/// <summary>
/// `paraslm-validation.junit.xml`: the last validation as JUnit test results (Azure Pipelines' PublishTestResults@2,
/// most CI servers): one suite per variant with a case per validated loop (kept: passed; reverted: failed with the
/// evidence; variant unavailable: skipped), and the final program's check against the serial build.
/// </summary>
public static class ValidationJUnit
{
    public const string FileName = "paraslm-validation.junit.xml";

    public static string Render(ReportBundle b)
    {
        var v = b.Report.Validation ?? throw new InvalidOperationException("no validation");
        var suites = new XElement("testsuites", new XAttribute("name", "ParaSlm validation"),
            new XAttribute("time", F(v.Seconds)));
        foreach (var variant in v.Variants)
        {
            var cases = v.Loops.Select(l =>
            {
                var c = new XElement("testcase", new XAttribute("classname", $"{variant.Name}.{b.Relative(l.File)}"),
                    new XAttribute("name", $"{l.Function}() line {l.Line}"), new XAttribute("time", "0"));
                if (variant.Status is "unavailable" or "inconclusive" or "build-failed")
                    c.Add(new XElement("skipped", new XAttribute("message", variant.Message ?? variant.Status)));
                else if (l.Status == "reverted" && l.Variant == variant.Name)
                    c.Add(new XElement("failure", new XAttribute("message", l.Evidence ?? "reverted"), l.Detail ?? l.Evidence ?? string.Empty));
                else if (l.Status == "reverted" && !l.Passed.Contains(variant.Name))
                    c.Add(new XElement("skipped", new XAttribute("message", $"reverted by {l.Variant} before this variant ran")));
                return c;
            }).ToList();
            suites.Add(new XElement("testsuite", new XAttribute("name", variant.Name), new XAttribute("tests", cases.Count),
                new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
                new XAttribute("skipped", cases.Count(c => c.Element("skipped") is not null)),
                new XAttribute("time", F(variant.Seconds)), cases));
        }
        if (v.Final is { } f)
        {
            var c = new XElement("testcase", new XAttribute("classname", "final"), new XAttribute("name", "final program equals the serial build"),
                new XAttribute("time", F(f.Seconds)));
            if (f.Status == "different" || f.Status == "build-failed") c.Add(new XElement("failure", new XAttribute("message", f.Message ?? f.Status)));
            else if (f.Status != "equal") c.Add(new XElement("skipped", new XAttribute("message", f.Message ?? f.Status)));
            suites.Add(new XElement("testsuite", new XAttribute("name", "final"), new XAttribute("tests", 1),
                new XAttribute("failures", c.Element("failure") is null ? 0 : 1), new XAttribute("skipped", c.Element("skipped") is null ? 0 : 1),
                new XAttribute("time", F(f.Seconds)), c));
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString();
    }

    private static string F(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
