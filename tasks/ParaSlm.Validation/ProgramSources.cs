using System.Text.Json;

namespace ParaSlm.Validation;

/// <summary>
/// The translation units each executable of a CMake tree is built from, read from CMake's file API (`codemodel-v2`):
/// the target's own sources and those of every library target it depends on (static, shared, object and module
/// libraries, followed transitively through `dependencies`). A dependency that is not linked (add_dependencies on a
/// utility) only adds sources, which can only make more loops blameable, never fewer.
/// </summary>
public static class ProgramSources
{
    /// <param name="original">Maps a source path as the tree compiles it (a validation copy) to the user's file; paths
    /// not in it are kept.</param>
    /// <returns>Target name → full, normalized source paths; empty when the tree has no codemodel reply.</returns>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(string buildDir, string? configuration, IReadOnlyDictionary<string, string>? original = null)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var reply = Path.Combine(buildDir, ".cmake", "api", "v1", "reply");
        var index = Directory.Exists(reply) ? Directory.GetFiles(reply, "index-*.json").Order(StringComparer.Ordinal).LastOrDefault() : null;
        if (index is null) return result;
        try
        {
            using var indexJson = JsonDocument.Parse(File.ReadAllText(index));
            if (!indexJson.RootElement.GetProperty("reply").TryGetProperty("codemodel-v2", out var cm) || !cm.TryGetProperty("jsonFile", out var cmFile)) return result;
            using var codemodel = JsonDocument.Parse(File.ReadAllText(Path.Combine(reply, cmFile.GetString()!)));
            var sourceRoot = codemodel.RootElement.GetProperty("paths").GetProperty("source").GetString()!;
            var configurations = codemodel.RootElement.GetProperty("configurations").EnumerateArray().ToList();
            var config = configurations.FirstOrDefault(c => string.Equals(c.GetProperty("name").GetString(), configuration, StringComparison.OrdinalIgnoreCase));
            if (config.ValueKind == JsonValueKind.Undefined) config = configurations.FirstOrDefault();
            if (config.ValueKind == JsonValueKind.Undefined) return result;
            var targets = new Dictionary<string, (string Name, string Type, List<string> Sources, List<string> Dependencies)>(StringComparer.Ordinal);
            foreach (var target in config.GetProperty("targets").EnumerateArray())
            {
                using var t = JsonDocument.Parse(File.ReadAllText(Path.Combine(reply, target.GetProperty("jsonFile").GetString()!)));
                var root = t.RootElement;
                var sources = root.TryGetProperty("sources", out var s)
                    ? s.EnumerateArray().Select(x => x.GetProperty("path").GetString()!).Select(p => Map(Path.IsPathRooted(p) ? p : Path.Combine(sourceRoot, p), original)).ToList()
                    : [];
                var dependencies = root.TryGetProperty("dependencies", out var d) ? d.EnumerateArray().Select(x => x.GetProperty("id").GetString()!).ToList() : [];
                targets[root.GetProperty("id").GetString()!] = (root.GetProperty("name").GetString()!, root.GetProperty("type").GetString()!, sources, dependencies);
            }
            foreach (var (id, target) in targets.Where(t => t.Value.Type == "EXECUTABLE"))
            {
                var seen = new HashSet<string>(StringComparer.Ordinal) { id };
                var all = new List<string>(target.Sources);
                var queue = new Queue<string>(target.Dependencies);
                while (queue.Count > 0)
                {
                    var next = queue.Dequeue();
                    // Another executable is built first, not linked in.
                    if (!seen.Add(next) || !targets.TryGetValue(next, out var dep) || dep.Type == "EXECUTABLE") continue;
                    all.AddRange(dep.Sources);
                    foreach (var further in dep.Dependencies) queue.Enqueue(further);
                }
                result[target.Name] = all.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            }
        }
        catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            // An unreadable reply: nothing is known, so every loop stays blameable.
            return new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        }
        return result;
    }

    private static string Map(string path, IReadOnlyDictionary<string, string>? original)
    {
        var normalized = TestScope.Normalize(path);
        return original is not null && original.TryGetValue(normalized, out var user) ? TestScope.Normalize(user) : normalized;
    }
}
