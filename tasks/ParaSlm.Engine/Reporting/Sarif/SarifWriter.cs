using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ParaSlm.Engine;

namespace ParaSlm.Engine.Reporting.Sarif;

/// <summary>
/// `paraslm.sarif`: SARIF 2.1.0, one result per loop decision (parallelized, kept serial with its reason, reverted by
/// validation with its evidence) at the `for` keyword, rule ids = PSLM codes, and each rewrite as a `fix` (the
/// replacement, with the unified diff in its description), so that SARIF viewers (the Azure DevOps Scans tab, VS Code's
/// SARIF viewer, GitHub code scanning) show ParaSlm's decisions where people already look.
/// </summary>
public static class SarifWriter
{
    public const string FileName = "paraslm.sarif";
    public const string SchemaUri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    private const string RootBase = "SRCROOT";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(ReportBundle b)
    {
        var results = new JsonArray();
        var ruleIds = new List<string>();
        foreach (var source in b.Report.Sources)
        {
            // The n-th loop of a function: a fingerprint that survives edits elsewhere in the file (lines move, it does not).
            var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var loop in source.Plans.OrderBy(p => p.Line).ThenBy(p => p.Column))
            {
                var rule = SarifRules.RuleOf(loop);
                if (!ruleIds.Contains(rule)) ruleIds.Add(rule);
                var ordinal = ordinals[loop.Function] = ordinals.GetValueOrDefault(loop.Function) + 1;
                results.Add(Result(b, source, loop, rule, ruleIds.IndexOf(rule), ordinal));
            }
        }
        var rules = new JsonArray(ruleIds.Select(id => (JsonNode)Rule(SarifRules.Describe(id))).ToArray());
        var root = b.Root.EndsWith('/') ? b.Root : b.Root + "/";
        var run = new JsonObject
        {
            ["tool"] = new JsonObject
            {
                ["driver"] = new JsonObject
                {
                    ["name"] = "ParaSlm",
                    ["semanticVersion"] = SemanticVersion(b.ToolVersion),
                    ["rules"] = rules,
                },
            },
            ["originalUriBaseIds"] = new JsonObject { [RootBase] = new JsonObject { ["uri"] = new Uri(root).AbsoluteUri } },
            ["invocations"] = new JsonArray(new JsonObject
            {
                ["executionSuccessful"] = true,
                ["endTimeUtc"] = b.Report.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            }),
            ["columnKind"] = "utf16CodeUnits",
            ["results"] = results,
            ["properties"] = new JsonObject
            {
                ["mode"] = b.Report.Mode,
                ["loops"] = b.Report.Loops,
                ["parallel"] = b.Report.Parallel,
            },
        };
        var log = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(run),
        };
        return log.ToJsonString(Json);
    }

    private static JsonObject Rule(SarifRule r) => new()
    {
        ["id"] = r.Id,
        ["name"] = r.Name,
        ["shortDescription"] = new JsonObject { ["text"] = r.Short },
        ["fullDescription"] = new JsonObject { ["text"] = r.Short + " " + r.Help },
        ["help"] = new JsonObject { ["text"] = r.Help },
        ["defaultConfiguration"] = new JsonObject { ["level"] = r.Level },
    };

    private static JsonObject Result(ReportBundle b, ReportSource source, ReportLoop loop, string rule, int ruleIndex, int ordinal)
    {
        var location = new JsonObject
        {
            ["uri"] = Uri.EscapeDataString(b.Relative(source.File)).Replace("%2F", "/", StringComparison.Ordinal),
            ["uriBaseId"] = RootBase,
        };
        var result = new JsonObject
        {
            ["ruleId"] = rule,
            ["ruleIndex"] = ruleIndex,
            ["level"] = SarifRules.Describe(rule).Level,
            ["message"] = new JsonObject { ["text"] = Message(loop) },
            ["locations"] = new JsonArray(new JsonObject
            {
                ["physicalLocation"] = new JsonObject
                {
                    ["artifactLocation"] = location.DeepClone(),
                    ["region"] = new JsonObject { ["startLine"] = Math.Max(1, loop.Line), ["startColumn"] = Math.Max(1, loop.Column) },
                },
                ["logicalLocations"] = new JsonArray(new JsonObject { ["name"] = loop.Function, ["kind"] = "function" }),
            }),
            ["partialFingerprints"] = new JsonObject { ["paraslmLoop/v1"] = $"{b.Relative(source.File)}|{loop.Function}|{ordinal}" },
            ["properties"] = Properties(loop),
        };
        if (ReportBundle.DecisionOf(loop) == "parallel" && b.ChangeOf(source.File, loop.Id) is { } change)
            result["fixes"] = new JsonArray(Fix(location, loop, change));
        return result;
    }

    private static string Message(ReportLoop loop) => ReportBundle.DecisionOf(loop) switch
    {
        "parallel" => $"Loop in {loop.Function}() parallelized ({loop.Target}): #pragma omp parallel for {loop.Clauses}".TrimEnd() +
                      (loop.RuntimeCheck is null ? string.Empty : $" when {loop.RuntimeCheck}") + $". {loop.Reason}",
        "reverted" => $"Loop in {loop.Function}() was parallel but validation reverted it: {loop.Reason}",
        _ => $"Loop in {loop.Function}() kept serial: {loop.Reason}",
    };

    private static JsonObject Properties(ReportLoop loop)
    {
        var p = new JsonObject
        {
            ["decision"] = ReportBundle.DecisionOf(loop),
            ["action"] = loop.Action,
            ["target"] = loop.Target,
            ["clauses"] = loop.Clauses,
            ["origin"] = loop.Origin,
            ["strategy"] = loop.Strategy,
            ["verdict"] = loop.Verdict,
        };
        if (loop.RuntimeCheck is not null) p["runtimeCheck"] = loop.RuntimeCheck;
        if (loop.Validation is not null) p["validation"] = loop.Validation;
        return p;
    }

    /// <summary>The rewrite as whole-line replacement: an empty deleted region is an insertion point.</summary>
    private static JsonObject Fix(JsonObject location, ReportLoop loop, LoopChange c)
    {
        JsonObject deleted;
        if (c.DeletedLines == 0)
            deleted = new JsonObject { ["startLine"] = c.FirstLine, ["startColumn"] = 1, ["endLine"] = c.FirstLine, ["endColumn"] = 1 };
        else if (c.FirstLine + c.DeletedLines <= c.LineCount)
            deleted = new JsonObject { ["startLine"] = c.FirstLine, ["startColumn"] = 1, ["endLine"] = c.FirstLine + c.DeletedLines, ["endColumn"] = 1 };
        else
            deleted = new JsonObject { ["startLine"] = c.FirstLine, ["startColumn"] = 1, ["endLine"] = c.LineCount, ["endColumn"] = c.LastLineLength + 1 };
        return new JsonObject
        {
            ["description"] = new JsonObject
            {
                ["text"] = $"Parallelize the loop in {loop.Function}() with OpenMP (ParaSlm applies this in the build, on a copy).",
                ["markdown"] = $"Parallelize the loop in `{loop.Function}()` with OpenMP (ParaSlm applies this in the build, on a copy):\n\n```diff\n{c.Diff}```",
            },
            ["artifactChanges"] = new JsonArray(new JsonObject
            {
                ["artifactLocation"] = location.DeepClone(),
                ["replacements"] = new JsonArray(new JsonObject
                {
                    ["deletedRegion"] = deleted,
                    ["insertedContent"] = new JsonObject { ["text"] = c.Inserted },
                }),
            }),
        };
    }

    /// <summary>SARIF wants a semantic version; the informational version may carry a `+commit` suffix, which SemVer allows.</summary>
    private static string SemanticVersion(string version) => string.IsNullOrWhiteSpace(version) || version == "?" ? "0.0.0" : version;
}
