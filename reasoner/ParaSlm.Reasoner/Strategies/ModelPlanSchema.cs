using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ParaSlm.Analyzer.Scalars;
using ParaSlm.Analyzer.Verification;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// The plan a model answers with, after <see cref="PlanParser"/> has normalized it: which loop of the nest
/// (by source line), whether and where to run it in parallel, and the OpenMP clauses.
/// </summary>
/// <param name="LoopLine">Line of the `for` the plan applies to; null means the nest's outer loop.</param>
/// <param name="Schedule">An OpenMP schedule kind, optionally with a chunk (`dynamic, 4`), or null.</param>
public sealed record ModelPlan(
    bool Parallelize,
    int? LoopLine,
    ParallelTarget Target,
    IReadOnlyList<string> Private,
    IReadOnlyList<string> LastPrivate,
    IReadOnlyList<Reduction> Reductions,
    int Collapse,
    string? Schedule,
    string Rationale);

/// <summary>
/// The JSON the model must answer with (`loop_plan`), as a JSON Schema for structured output
/// (<see cref="ChatResponseFormat.ForJsonSchema(JsonElement, string?, string?)"/>) and as a one-line shape for prompts:
/// <code>
/// {"parallelize": true, "loop_line": 12, "target": "cpu-openmp", "private": ["t"], "lastprivate": [],
///  "reductions": [{"op": "+", "var": "s"}], "collapse": 1, "schedule": "static", "rationale": "…"}
/// </code>
/// The schema is part of what the model sees, so prompt versions cover it (see the prompt guard test).
/// </summary>
public static class ModelPlanSchema
{
    /// <summary>The schema's name in the structured-output request.</summary>
    public const string Name = "loop_plan";

    /// <summary>Target names as the model writes them, in <see cref="ParallelTarget"/> order.</summary>
    public static IReadOnlyList<string> AllTargets { get; } = ["none", "cpu-openmp", "gpu-cuda", "gpu-openmp-offload"];

    /// <summary>Reduction operators OpenMP accepts for C/C++ (what the analyzer reports).</summary>
    public static IReadOnlyList<string> ReductionOperators { get; } = ["+", "*", "-", "max", "min", "&", "|", "^", "&&", "||"];

    /// <summary>Schedule kinds the model may choose (the parser drops anything else).</summary>
    public static IReadOnlyList<string> ScheduleKinds { get; } = ["static", "dynamic", "guided"];

    /// <summary>
    /// The targets a model may choose under a ParaSlmTarget preference: `cpu` allows only the CPU, `gpu` and `auto`
    /// allow everything (the verifier sends a loop that cannot be offloaded back to the CPU).
    /// </summary>
    public static IReadOnlyList<string> TargetsFor(string? preference) =>
        string.Equals(preference?.Trim(), "cpu", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(preference)
            ? ["cpu-openmp", "none"]
            : ["cpu-openmp", "gpu-cuda", "gpu-openmp-offload", "none"];

    /// <summary>The JSON Schema of a plan under a target preference (a constrained grammar cannot pick a forbidden target).</summary>
    public static JsonElement SchemaFor(string? preference)
    {
        // Built from text each time: JsonElement is immutable, but keeping no static cache keeps the class free of state.
        using var doc = JsonDocument.Parse(SchemaText(TargetsFor(preference)));
        return doc.RootElement.Clone();
    }

    /// <summary>The structured-output format for <see cref="ChatOptions.ResponseFormat"/>.</summary>
    public static ChatResponseFormat ResponseFormatFor(string? preference) =>
        ChatResponseFormat.ForJsonSchema(SchemaFor(preference), Name, "Parallelization plan for one C/C++ loop nest");

    /// <summary>
    /// The answer's shape in one line for a prompt: small models copy an example shape more reliably than they
    /// read a JSON Schema, and it costs a third of the tokens.
    /// </summary>
    public static string ShapeFor(string? preference)
    {
        var targets = string.Join("|", TargetsFor(preference).Select(t => $"\"{t}\""));
        return "{\"parallelize\": true|false, \"loop_line\": <line of the for to parallelize>, \"target\": " + targets +
               ", \"private\": [\"<var>\"], \"lastprivate\": [\"<var>\"], \"reductions\": [{\"op\": \"+\", \"var\": \"<var>\"}]" +
               ", \"collapse\": 1, \"schedule\": null|\"static\"|\"dynamic\"|\"guided\", \"rationale\": \"<one sentence>\"}";
    }

    /// <summary>Canonical JSON of a plan (the form worked examples and test scripts use).</summary>
    public static string Serialize(ModelPlan plan)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("parallelize", plan.Parallelize);
            if (plan.LoopLine is { } line) w.WriteNumber("loop_line", line);
            else w.WriteNull("loop_line");
            w.WriteString("target", TargetName(plan.Target));
            WriteList(w, "private", plan.Private);
            WriteList(w, "lastprivate", plan.LastPrivate);
            w.WriteStartArray("reductions");
            foreach (var r in plan.Reductions)
            {
                w.WriteStartObject();
                w.WriteString("op", r.Operator);
                w.WriteString("var", r.Variable);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("collapse", plan.Collapse);
            if (plan.Schedule is null) w.WriteNull("schedule");
            else w.WriteString("schedule", plan.Schedule);
            w.WriteString("rationale", plan.Rationale);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The target as the schema spells it.</summary>
    public static string TargetName(ParallelTarget target) => AllTargets[(int)target];

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.WriteStartArray(name);
        foreach (var i in items) w.WriteStringValue(i);
        w.WriteEndArray();
    }

    private static string SchemaText(IReadOnlyList<string> targets)
    {
        // Plain quoting (the names are ASCII without quotes): the serializer would escape `&&` as \u0026\u0026.
        static string Strings(IEnumerable<string> xs) => string.Join(", ", xs.Select(x => $"\"{x}\""));
        // Every property is required: a grammar-constrained model then always writes every field, and "loop_line"
        // is never silently dropped. Enums keep free text out of the fields the generator turns into code.
        return string.Create(CultureInfo.InvariantCulture, $$$"""
            {
              "type": "object",
              "properties": {
                "parallelize": {"type": "boolean"},
                "loop_line": {"type": "integer"},
                "target": {"type": "string", "enum": [{{{Strings(targets)}}}]},
                "private": {"type": "array", "items": {"type": "string"}},
                "lastprivate": {"type": "array", "items": {"type": "string"}},
                "reductions": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "op": {"type": "string", "enum": [{{{Strings(ReductionOperators)}}}]},
                      "var": {"type": "string"}
                    },
                    "required": ["op", "var"]
                  }
                },
                "collapse": {"type": "integer", "minimum": 1},
                "schedule": {"type": ["string", "null"], "enum": [{{{Strings(ScheduleKinds)}}}, null]},
                "rationale": {"type": "string"}
              },
              "required": ["parallelize", "loop_line", "target", "private", "lastprivate", "reductions", "collapse", "schedule", "rationale"]
            }
            """);
    }
}
