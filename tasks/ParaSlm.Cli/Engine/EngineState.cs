using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ParaSlm.Cli.Engine;

/// <summary>What the engine decided for one source last time, keyed by a hash of everything that decides it.</summary>
public sealed record SourceRecord(string File, string Hash, string Status, string? Output, int Loops, int Parallel, IReadOnlyList<ReportLoop> Plans, string? Diff)
{
    /// <summary>User headers the source included when it was analyzed; they are part of <see cref="Hash"/>.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];
}

/// <summary>Per-source memory between builds, so touching one source re-processes only it.</summary>
public sealed class EngineState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public Dictionary<string, SourceRecord> Sources { get; init; } = new(StringComparer.Ordinal);

    public static EngineState Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<EngineState>(File.ReadAllText(path), Json) ?? new EngineState() : new EngineState();
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return new EngineState(); // a damaged state file only costs a full re-run
        }
    }

    public void Save(string path) => AtomicFile.Write(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Hash of the engine build, the source and header bytes, the arguments and the request's settings.</summary>
    public static string HashOf(string file, IReadOnlyList<string> arguments, string settings, IReadOnlyList<string> headers)
    {
        using var sha = SHA256.Create();
        var engine = typeof(EngineState).Assembly.ManifestModule.ModuleVersionId.ToString();
        void Add(byte[] bytes) => sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        Add(Encoding.UTF8.GetBytes(engine + "\n" + settings + "\n" + string.Join("\u0001", arguments) + "\n"));
        Add(File.ReadAllBytes(file));
        foreach (var h in headers)
        {
            Add(Encoding.UTF8.GetBytes("\n" + h + "\n"));
            Add(File.Exists(h) ? File.ReadAllBytes(h) : Encoding.UTF8.GetBytes("(missing)"));
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!).ToLowerInvariant();
    }
}

/// <summary>Writes through a temporary file so a crash never leaves a half-written output.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp" + Environment.ProcessId;
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Writes only when the content differs, keeping timestamps (and downstream builds) still.</summary>
    public static bool WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return false;
        Write(path, text);
        return true;
    }
}
