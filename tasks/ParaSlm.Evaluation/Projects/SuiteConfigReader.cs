using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ParaSlm.Evaluation.Projects;

/// <summary>
/// Reads `paraslm-suite.json` strictly: an unknown key, a wrong type, a regex that does not compile or a missing
/// program is a <see cref="SuiteConfigException"/> naming the file and the JSON path, so a typo never silently
/// changes what is measured.
/// </summary>
public static class SuiteConfigReader
{
    public const string DefaultFileName = "paraslm-suite.json";

    private static readonly string[] TopKeys = ["name", "source", "project", "cmakeArgs", "cFlags", "cxxFlags", "env", "args", "workdir", "time", "compare", "programs"];
    private static readonly string[] ProgramKeys = ["name", "exe", "args", "workdir", "env", "time", "compare"];
    private static readonly string[] TimeKeys = ["regex", "stream", "unit"];
    private static readonly string[] CompareKeys = ["streams", "files", "how", "tolerance", "ignore"];
    private static readonly Regex CacheArg = new(@"^-D(?<name>[A-Za-z_][A-Za-z0-9_.+\-/]*)(:(?<type>BOOL|FILEPATH|PATH|STRING|INTERNAL))?=(?<value>.*)$", RegexOptions.CultureInvariant);

    /// <summary>Reads <paramref name="file"/>; <paramref name="sourceOverride"/> (the `--suite` folder) replaces its "source".</summary>
    public static SuiteConfig Load(string file, string? sourceOverride = null)
    {
        file = Path.GetFullPath(file);
        if (!File.Exists(file)) throw new SuiteConfigException($"{file}: no such suite description (write one: README \"Evaluating any CMake project\")");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SuiteConfigException($"{file}: not valid JSON: {e.Message}");
        }
        using (doc) return Parse(doc.RootElement, file, sourceOverride);
    }

    public static SuiteConfig Parse(JsonElement root, string file, string? sourceOverride)
    {
        var at = new Place(file);
        at.Object(root, "$", TopKeys);
        var dir = Path.GetDirectoryName(file)!;
        var source = Path.GetFullPath(sourceOverride ?? Path.Combine(dir, at.String(root, "$", "source") ?? "."));
        if (!Directory.Exists(source)) throw at.Error("$.source", $"the folder {source} does not exist");
        if (!File.Exists(Path.Combine(source, "CMakeLists.txt"))) throw at.Error("$.source", $"{source} has no CMakeLists.txt (a project suite is a CMake project)");

        string? project = null;
        if (at.String(root, "$", "project") is { } p)
        {
            project = Path.GetFullPath(Path.Combine(source, p));
            if (!File.Exists(project)) throw at.Error("$.project", $"{project} does not exist");
        }
        else
        {
            var candidates = Directory.EnumerateFiles(source, "*.*proj")
                .Where(f => File.ReadAllText(f).Contains("ParaSlm.Sdk", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            if (candidates.Count > 1) throw at.Error("$.project", $"several projects beside CMakeLists.txt use ParaSlm.Sdk ({string.Join(", ", candidates.Select(Path.GetFileName))}): name one with \"project\"");
            project = candidates.SingleOrDefault();
        }

        var cache = new List<CacheEntry>();
        foreach (var (arg, i) in at.Strings(root, "$", "cmakeArgs").Select((a, i) => (a, i)))
        {
            var m = CacheArg.Match(arg);
            if (!m.Success) throw at.Error($"$.cmakeArgs[{i}]", $"'{arg}' is not a -DNAME=VALUE or -DNAME:TYPE=VALUE argument (the only kind every build, ParaSlm's included, can be given)");
            cache.Add(new CacheEntry(m.Groups["name"].Value, m.Groups["type"].Success ? m.Groups["type"].Value : "STRING", m.Groups["value"].Value));
        }

        var env = at.Map(root, "$", "env");
        var args = at.Strings(root, "$", "args");
        var workdir = at.String(root, "$", "workdir");
        var time = ReadTime(at, root, "$");
        var compare = ReadCompare(at, root, "$");
        if (!root.TryGetProperty("programs", out var programs) || programs.ValueKind != JsonValueKind.Array || programs.GetArrayLength() == 0)
            throw at.Error("$.programs", "missing or empty: list the programs to time, e.g. \"programs\": [\"app\", {\"name\": \"big\", \"exe\": \"app\", \"args\": [\"-n\", \"1000\"]}]");

        var list = new List<SuiteProgram>();
        var i2 = 0;
        foreach (var e in programs.EnumerateArray())
        {
            var path = $"$.programs[{i2++}]";
            SuiteProgram program;
            if (e.ValueKind == JsonValueKind.String)
            {
                var exe = e.GetString()!;
                if (exe.Trim().Length == 0) throw at.Error(path, "an empty program name");
                program = new SuiteProgram(Path.GetFileName(exe), exe, args, workdir, env, time, compare);
            }
            else
            {
                at.Object(e, path, ProgramKeys);
                var exe = at.String(e, path, "exe") ?? at.String(e, path, "name") ?? throw at.Error(path, "needs \"exe\" (the executable: a CMake target's file name or a path in the build tree) or \"name\"");
                var name = at.String(e, path, "name") ?? Path.GetFileName(exe);
                var merged = new Dictionary<string, string>(env, StringComparer.Ordinal);
                foreach (var (k, v) in at.Map(e, path, "env")) merged[k] = v;
                program = new SuiteProgram(name, exe, e.TryGetProperty("args", out _) ? at.Strings(e, path, "args") : args,
                    at.String(e, path, "workdir") ?? workdir, merged,
                    e.TryGetProperty("time", out _) ? ReadTime(at, e, path) : time,
                    e.TryGetProperty("compare", out _) ? ReadCompare(at, e, path) : compare);
            }
            if (list.Any(x => x.Name == program.Name)) throw at.Error(path, $"a second program named '{program.Name}' (give each a distinct \"name\")");
            if (program.Name.IndexOfAny(['/', '\\', ':']) >= 0) throw at.Error(path, $"the name '{program.Name}' may not contain '/', '\\' or ':'");
            list.Add(program);
        }
        return new SuiteConfig(file, at.String(root, "$", "name"), source, project, cache, at.String(root, "$", "cFlags") ?? "", at.String(root, "$", "cxxFlags") ?? "", list);
    }

    private static TimeRule ReadTime(Place at, JsonElement parent, string path)
    {
        if (!parent.TryGetProperty("time", out var t)) return TimeRule.Wall;
        path += ".time";
        if (t.ValueKind == JsonValueKind.String)
            return t.GetString() == "wall" ? TimeRule.Wall : throw at.Error(path, $"'{t.GetString()}': write \"wall\" or an object {{\"regex\": \"…\", \"stream\": \"stdout\", \"unit\": \"s\"}}");
        at.Object(t, path, TimeKeys);
        var text = at.String(t, path, "regex") ?? throw at.Error(path, "needs \"regex\" (with a group `time` or one group around the number), or write \"wall\"");
        var regex = Compile(at, path + ".regex", text);
        var stream = at.String(t, path, "stream") ?? "stdout";
        if (stream is not ("stdout" or "stderr")) throw at.Error(path + ".stream", $"'{stream}': one of stdout, stderr");
        var unit = at.String(t, path, "unit") ?? "s";
        var scale = unit switch
        {
            "s" => 1,
            "ms" => 1e-3,
            "us" => 1e-6,
            "ns" => 1e-9,
            _ => throw at.Error(path + ".unit", $"'{unit}': one of s, ms, us, ns"),
        };
        return new TimeRule(regex, stream, scale, unit);
    }

    private static CompareRule ReadCompare(Place at, JsonElement parent, string path)
    {
        if (!parent.TryGetProperty("compare", out var c)) return CompareRule.Default;
        path += ".compare";
        at.Object(c, path, CompareKeys);
        var streams = c.TryGetProperty("streams", out _) ? at.Strings(c, path, "streams") : ["stdout"];
        foreach (var s in streams)
            if (s is not ("stdout" or "stderr")) throw at.Error(path + ".streams", $"'{s}': one of stdout, stderr (files go in \"files\")");
        var files = at.Strings(c, path, "files");
        foreach (var f in files)
            if (f.Trim().Length == 0) throw at.Error(path + ".files", "an empty file name");
        var how = at.String(c, path, "how") ?? "exact";
        if (how is not ("exact" or "numbers")) throw at.Error(path + ".how", $"'{how}': \"exact\" (the same text) or \"numbers\" (numbers equal at their printed precision)");
        double tolerance = 0;
        if (c.TryGetProperty("tolerance", out var tol))
        {
            if (tol.ValueKind != JsonValueKind.Number || !tol.TryGetDouble(out tolerance) || tolerance < 0 || double.IsNaN(tolerance))
                throw at.Error(path + ".tolerance", "a relative tolerance: a number ≥ 0 (e.g. 1e-6)");
            if (how != "numbers" && tolerance > 0) throw at.Error(path + ".tolerance", "a tolerance needs \"how\": \"numbers\"");
        }
        var ignore = at.Strings(c, path, "ignore").Select((r, i) => Compile(at, $"{path}.ignore[{i}]", r)).ToList();
        return new CompareRule(streams, files, how == "numbers", tolerance, ignore);
    }

    private static Regex Compile(Place at, string path, string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(10));
        }
        catch (ArgumentException e)
        {
            throw at.Error(path, $"not a valid regular expression: {e.Message}");
        }
    }

    /// <summary>Typed access with errors that say where.</summary>
    private sealed class Place(string file)
    {
        public SuiteConfigException Error(string path, string what) => new($"{file}: {path}: {what}");

        public void Object(JsonElement e, string path, string[] keys)
        {
            if (e.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, found {Kind(e)}");
            foreach (var p in e.EnumerateObject())
                if (!keys.Contains(p.Name)) throw Error(path, $"unknown key \"{p.Name}\" (known: {string.Join(", ", keys)})");
        }

        public string? String(JsonElement e, string path, string key)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error($"{path}.{key}", $"expected a string, found {Kind(v)}");
        }

        public IReadOnlyList<string> Strings(JsonElement e, string path, string key)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return [];
            if (v.ValueKind != JsonValueKind.Array) throw Error($"{path}.{key}", $"expected a list of strings, found {Kind(v)}");
            return v.EnumerateArray().Select((x, i) => x.ValueKind switch
            {
                JsonValueKind.String => x.GetString()!,
                JsonValueKind.Number => x.GetRawText(),
                _ => throw Error($"{path}.{key}[{i}]", $"expected a string, found {Kind(x)}"),
            }).ToList();
        }

        public IReadOnlyDictionary<string, string> Map(JsonElement e, string path, string key)
        {
            if (!e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return new Dictionary<string, string>();
            if (v.ValueKind != JsonValueKind.Object) throw Error($"{path}.{key}", $"expected an object of strings, found {Kind(v)}");
            return v.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Number => p.Value.GetRawText(),
                _ => throw Error($"{path}.{key}.{p.Name}", $"expected a string, found {Kind(p.Value)}"),
            }, StringComparer.Ordinal);
        }

        private static string Kind(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Array => "a list",
            JsonValueKind.Object => "an object",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
    }
}
