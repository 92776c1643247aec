using System.Text;
using System.Text.Json;

namespace ParaSlm.InferenceEngine.Tests;

/// <summary>
/// A JSON Schema as a GBNF grammar for llama.cpp's constrained sampling — what Ollama does with a request's "format".
/// Covers the subset ParaSlm's plan schema uses: objects (properties in schema order, all written), booleans,
/// integers, strings with or without an enum, arrays, and type unions with null.
/// </summary>
public static class SchemaGrammar
{
    public static string FromSchema(JsonElement schema)
    {
        var rules = new StringBuilder();
        var count = 0;
        string Rule(JsonElement s)
        {
            var name = $"r{count++}";
            var body = Body(s); // inner rules are appended first: each rule is one whole line
            rules.Append(name).Append(" ::= ").Append(body).Append('\n');
            return name;
        }
        string Body(JsonElement s)
        {
            if (s.TryGetProperty("enum", out var e))
                return "(" + string.Join(" | ", e.EnumerateArray().Select(v => Literal(v.ValueKind == JsonValueKind.Null ? "null" : "\"" + v.GetString() + "\""))) + ")";
            var type = s.TryGetProperty("type", out var t) ? t : default;
            if (type.ValueKind == JsonValueKind.Array)
                return "(" + string.Join(" | ", type.EnumerateArray().Select(x => TypeBody(x.GetString()!, s))) + ")";
            return TypeBody(type.ValueKind == JsonValueKind.String ? type.GetString()! : "object", s);
        }
        string TypeBody(string type, JsonElement s) => type switch
        {
            "boolean" => "(\"true\" | \"false\")",
            "integer" => "(\"-\"? [0-9] [0-9]? [0-9]? [0-9]?)",
            "number" => "(\"-\"? [0-9] [0-9]? [0-9]? (\".\" [0-9] [0-9]?)?)",
            "string" => "str",
            "null" => "\"null\"",
            "array" => s.TryGetProperty("items", out var items)
                ? $"(\"[\" ws ({Rule(items)} (\",\" ws {Rule(items)})*)? \"]\")"
                : "(\"[\" ws \"]\")",
            _ => s.TryGetProperty("properties", out var props)
                ? "\"{\" ws " + string.Join(" \",\" ws ", props.EnumerateObject().Select(p => $"{Literal("\"" + p.Name + "\"")} \":\" ws {Rule(p.Value)}")) + " ws \"}\""
                : "(\"{\" ws \"}\")",
        };
        var root = Body(schema);
        rules.Insert(0, "root ::= " + root + "\n");
        // Strings: printable ASCII except quote and backslash, bounded so a rambling model still closes its JSON.
        rules.Append("str ::= \"\\\"\" [ !#-\\[\\]-~]{0,80} \"\\\"\"\n");
        rules.Append("ws ::= \" \"?\n");
        return rules.ToString();
    }

    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
