using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ParaSlm.Engine.Output;

/// <summary>The CLI's JSON documents (`analyze --json`, `plan --json`): indented, non-ASCII text kept as written, one trailing newline.</summary>
public static class IndentedJson
{
    public static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            body(w);
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
