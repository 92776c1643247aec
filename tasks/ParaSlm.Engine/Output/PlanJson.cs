using System.Text.Json;
using ParaSlm.Reasoner.Plans;

namespace ParaSlm.Engine.Output;

/// <summary>Writes the `paraslm plan --json` contract: `{"plans": [ … ]}`, one final plan per `for` loop.</summary>
public static class PlanJson
{
    public static void Write(TextWriter output, IEnumerable<LoopPlan> plans) =>
        IndentedJson.Write(output, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("plans");
            foreach (var p in plans) WritePlan(w, p);
            w.WriteEndArray();
            w.WriteEndObject();
        });

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
        if (p.Proposal.Transform is { } transform) w.WriteString("transform", transform);
        if (p.Proposal.InnerSimd) w.WriteBoolean("innerSimd", true);
        if (p.Proposal.ScalarExpansion) w.WriteBoolean("scalarExpansion", true);
        if (p.Proposal.UnrollJam) w.WriteBoolean("unrollJam", true);
        if (p.ModelVerdict is { } mv) w.WriteString("modelVerdict", LoopPlan.VerdictName(mv));
        if (p.ModelCode is not null) w.WriteString("modelCode", p.ModelCode);
        w.WriteEndObject();
    }
}
