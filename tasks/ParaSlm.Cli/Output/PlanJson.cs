using System.Text.Encodings.Web;
using System.Text.Json;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Cli.Output;

/// <summary>Writes the `paraslm plan --json` contract: `{"plans": [ … ]}`, one final plan per `for` loop.</summary>
public static class PlanJson
{
    public static void Write(TextWriter output, IEnumerable<LoopPlan> plans)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("plans");
            foreach (var p in plans) WritePlan(w, p);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    public static void WritePlan(Utf8JsonWriter w, LoopPlan p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteString("file", p.File);
        w.WriteNumber("line", p.Line);
        w.WriteNumber("column", p.Column);
        w.WriteString("action", p.Action);
        w.WriteString("target", p.Target);
        w.WriteString("clauses", p.Clauses);
        w.WriteString("origin", LoopPlan.OriginName(p.Origin));
        w.WriteString("strategy", p.Strategy);
        w.WriteString("model", p.Model);
        w.WriteString("verdict", LoopPlan.VerdictName(p.Verdict));
        w.WriteString("reason", p.Reason);
        if (p.RuntimeCheck is null) w.WriteNull("runtimeCheck"); else w.WriteString("runtimeCheck", p.RuntimeCheck);
        if (p.Code is null) w.WriteNull("code"); else w.WriteString("code", p.Code);
        if (p.ModelVerdict is { } mv) w.WriteString("modelVerdict", LoopPlan.VerdictName(mv));
        if (p.ModelCode is not null) w.WriteString("modelCode", p.ModelCode);
        w.WriteEndObject();
    }
}
