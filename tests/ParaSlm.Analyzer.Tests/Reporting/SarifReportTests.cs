using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ParaSlm.Analyzer.Tests.Reporting;

/// <summary>paraslm.sarif: valid against the official SARIF 2.1.0 schema, one result per loop at its `for`, each rewrite a fix.</summary>
[TestFixture]
[Category("Unit")]
public sealed class SarifReportTests
{
    private ReportsFixture _fx = null!;
    private JsonNode _log = null!;
    private JsonSchema _schema = null!;

    [OneTimeSetUp]
    public void Apply()
    {
        _fx = new ReportsFixture();
        _log = JsonNode.Parse(File.ReadAllText(Path.Combine(_fx.ReportDir, "paraslm.sarif")))!;
        _schema = OfficialSchema();
    }

    [OneTimeTearDown]
    public void Dispose() => _fx.Dispose();

    private JsonArray Results => _log["runs"]![0]!["results"]!.AsArray();

    /// <summary>
    /// The schema file is OASIS's, unmodified. It declares draft-04, which JsonSchema.Net does not implement; every
    /// keyword it uses (type, properties, $ref to #/definitions, enum, pattern, minimum, uniqueItems, anyOf, oneOf,
    /// format …) means the same in draft-07, so it is evaluated as draft-07 (its draft-04 `id` left out: all its $refs are local).
    /// </summary>
    private static JsonSchema OfficialSchema()
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Reporting", "sarif-schema-2.1.0.json")))!.AsObject();
        Assert.That(node["title"]!.GetValue<string>(), Does.Contain("SARIF").And.Contain("2.1.0"));
        node["$schema"] = "http://json-schema.org/draft-07/schema#";
        node.Remove("id"); // draft-04's identifier; every $ref in the file is local (#/definitions/…)
        // A registry of its own: the schema's $id may be registered once per registry.
        return JsonSchema.FromText(node.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private EvaluationResults Validate(JsonNode log) =>
        _schema.Evaluate(JsonDocument.Parse(log.ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

    private static string Errors(EvaluationResults r) =>
        string.Join("\n", (r.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}"));

    [Test]
    public void The_log_validates_against_the_official_SARIF_2_1_0_schema()
    {
        var result = Validate(_log);
        Assert.That(result.IsValid, Is.True, Errors(result));
    }

    [Test]
    public void The_schema_check_can_fail_a_log_that_breaks_the_format()
    {
        var broken = _log.DeepClone();
        broken["runs"]![0]!["results"]![0]!["level"] = "fatal";
        Assert.That(Validate(broken).IsValid, Is.False);
        var noDriver = _log.DeepClone();
        noDriver["runs"]![0]!["tool"]!.AsObject().Remove("driver");
        Assert.That(Validate(noDriver).IsValid, Is.False);
    }

    [Test]
    public void There_is_one_result_per_loop_at_its_for_keyword_with_a_PSLM_rule_that_has_help()
    {
        Assert.That(Results, Has.Count.EqualTo(4));
        var rules = _log["runs"]![0]!["tool"]!["driver"]!["rules"]!.AsArray();
        foreach (var r in Results)
        {
            var ruleId = r!["ruleId"]!.GetValue<string>();
            Assert.That(ruleId, Does.Match("^PSLM[0-9]{4}$"));
            var rule = rules[r["ruleIndex"]!.GetValue<int>()]!;
            Assert.That(rule["id"]!.GetValue<string>(), Is.EqualTo(ruleId));
            Assert.That(rule["help"]!["text"]!.GetValue<string>(), Is.Not.Empty);
            var loc = r["locations"]![0]!["physicalLocation"]!;
            var file = Path.Combine(_fx.Workspace.Root, loc["artifactLocation"]!["uri"]!.GetValue<string>());
            var line = File.ReadAllLines(file)[loc["region"]!["startLine"]!.GetValue<int>() - 1];
            Assert.That(line[(loc["region"]!["startColumn"]!.GetValue<int>() - 1)..], Does.StartWith("for ("), $"{file}: {line}");
        }
        var byRule = Results.GroupBy(r => r!["ruleId"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(byRule, Is.EqualTo(new Dictionary<string, int> { ["PSLM6101"] = 2, ["PSLM6102"] = 2 }));
        var serial = Results.Where(r => r!["ruleId"]!.GetValue<string>() == "PSLM6102").Select(r => r!["message"]!["text"]!.GetValue<string>()).ToList();
        Assert.That(serial, Has.Some.Contains("kept serial").And.Some.Contains("log_value"), "the reason in words");
    }

    [Test]
    public void Each_fix_applied_to_the_source_gives_exactly_that_loops_rewrite()
    {
        var original = File.ReadAllText(_fx.KernelsFile);
        var fixedOnes = Results.Where(r => r!["fixes"] is not null).ToList();
        Assert.That(fixedOnes, Has.Count.EqualTo(2));
        foreach (var r in fixedOnes)
        {
            var replacement = r!["fixes"]![0]!["artifactChanges"]![0]!["replacements"]![0]!;
            var region = replacement["deletedRegion"]!;
            var lines = original.Split('\n').Select((l, i) => i < original.Count(c => c == '\n') ? l + "\n" : l).ToList();
            int Offset(int line, int column) => lines.Take(line - 1).Sum(l => l.Length) + column - 1;
            var start = Offset(region["startLine"]!.GetValue<int>(), region["startColumn"]!.GetValue<int>());
            var end = Offset(region["endLine"]!.GetValue<int>(), region["endColumn"]!.GetValue<int>());
            var applied = original[..start] + replacement["insertedContent"]!["text"]!.GetValue<string>() + original[end..];
            var deleted = original[start..end];
            var inserted = replacement["insertedContent"]!["text"]!.GetValue<string>();
            var pragmas = applied.Split('\n').Where(l => l.Contains("#pragma omp", StringComparison.Ordinal)).ToList();
            Assert.That(pragmas, Has.Count.EqualTo(1), "only this loop's directive");
            Assert.That(pragmas[0].Trim(), Does.StartWith("#pragma omp parallel for"), applied);
            // The replaced text is this loop's own (a run-time size guard versions it: the parallel copy and the serial one).
            var forLine = r["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!.GetValue<int>();
            Assert.That(region["startLine"]!.GetValue<int>(), Is.EqualTo(forLine), "the fix starts at this loop");
            if (deleted.Length == 0)
            {
                var appliedLines = applied.Split('\n');
                Assert.That(appliedLines[forLine - 1].Trim(), Does.StartWith("#pragma omp parallel for"), applied);
                Assert.That(applied.Replace(appliedLines[forLine - 1] + "\n", string.Empty), Is.EqualTo(original), "nothing else changed");
            }
            else
            {
                Assert.That(deleted.TrimStart(), Does.StartWith("for ("), deleted);
                Assert.That(inserted, Does.Contain(deleted.Trim()), "the loop itself is kept verbatim");
            }
            Assert.That(r["fixes"]![0]!["description"]!["markdown"]!.GetValue<string>(), Does.Contain("```diff").And.Match(@"\n\+\s*#pragma omp parallel for"));
        }
        var sum = fixedOnes.Single(r => r!["message"]!["text"]!.GetValue<string>().Contains("sum()", StringComparison.Ordinal));
        Assert.That(sum!["fixes"]![0]!["artifactChanges"]![0]!["replacements"]![0]!["insertedContent"]!["text"]!.GetValue<string>(), Does.Contain("reduction(+:s)"));
    }
}
