using System.Globalization;
using System.Text;

namespace ParaSlm.Contracts;

/// <summary>
/// Azure Pipelines logging commands (`##vso[area.action property=value;…]message`), written by the engine and by the
/// MSBuild tasks alike, so both sides escape the same way: the way the agent unescapes (azure-pipelines-task-lib,
/// taskcommand.ts): in property values `%` → `%AZP25`, `\r` → `%0D`, `\n` → `%0A`, `]` → `%5D`, `;` → `%3B`; in the
/// message only `%`, `\r` and `\n` — a message may contain `;` and `]`.
/// </summary>
public static class AzurePipelinesCommand
{
    /// <summary>`##vso[task.logissue type=…;sourcepath=…;linenumber=…;columnnumber=…;code=…;]message`.</summary>
    public static string LogIssue(string type, string? file, int line, int column, string? code, string message)
    {
        var properties = new List<KeyValuePair<string, string>> { new("type", type) };
        if (!string.IsNullOrEmpty(file)) properties.Add(new("sourcepath", file!));
        if (line > 0) properties.Add(new("linenumber", line.ToString(CultureInfo.InvariantCulture)));
        if (line > 0 && column > 0) properties.Add(new("columnnumber", column.ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(code)) properties.Add(new("code", code!));
        return Format("task.logissue", properties, message);
    }

    public static string Format(string name, IReadOnlyList<KeyValuePair<string, string>> properties, string message)
    {
        var text = new StringBuilder("##vso[").Append(name);
        for (var i = 0; i < properties.Count; i++)
            text.Append(i == 0 ? ' ' : ';').Append(properties[i].Key).Append('=').Append(EscapeProperty(properties[i].Value));
        if (properties.Count > 0) text.Append(';');
        return text.Append(']').Append(EscapeMessage(message)).ToString();
    }

    public static string EscapeProperty(string value) => EscapeMessage(value).Replace("]", "%5D").Replace(";", "%3B");

    public static string EscapeMessage(string value) => value.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");
}
