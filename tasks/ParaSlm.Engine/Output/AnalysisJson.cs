using System.Text.Json;
using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Engine.Output;

/// <summary>Writes the `paraslm analyze --json` contract: exactly the documented fields, in order.</summary>
public static class AnalysisJson
{
    public static void Write(TextWriter output, FileAnalysis analysis) =>
        IndentedJson.Write(output, w =>
        {
            w.WriteStartObject();
            w.WriteString("file", analysis.File);
            w.WriteStartArray("loops");
            foreach (var l in analysis.Loops) WriteLoop(w, l);
            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static void WriteLoop(Utf8JsonWriter w, LoopFacts l)
    {
        w.WriteStartObject();
        w.WriteString("id", l.Id);
        w.WriteNumber("line", l.Line);
        w.WriteNumber("column", l.Column);
        w.WriteString("function", l.Function);
        w.WriteNumber("depth", l.Depth);
        w.WriteBoolean("parallelizable", l.Parallelizable);
        w.WriteStartArray("reductions");
        foreach (var r in l.Reductions)
        {
            w.WriteStartObject();
            w.WriteString("op", r.Operator);
            w.WriteString("var", r.Variable);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("private");
        foreach (var p in l.Private) w.WriteStringValue(p);
        w.WriteEndArray();
        w.WriteStartArray("lastprivate");
        foreach (var p in l.LastPrivate) w.WriteStringValue(p);
        w.WriteEndArray();
        if (l.RuntimeCheck is null) w.WriteNull("runtimeCheck"); else w.WriteString("runtimeCheck", l.RuntimeCheck);
        w.WriteString("reason", l.Reason);
        w.WriteEndObject();
    }
}
