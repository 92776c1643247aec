using System.ComponentModel;
using System.Text.Json;

namespace ParaSlm.Validation;

/// <summary>
/// The tests of a build: the configured test command; else the project's ctest tests (their commands, working folders
/// and environments, read with `ctest --show-only=json-v1`, so each can be run under any thread count and sanitizer);
/// else every executable the build makes, run without arguments (found through CMake's file API).
/// </summary>
public static partial class TestDiscovery
{
    /// <summary>The file API query that makes CMake describe the targets of a tree at every configure.</summary>
    public static void RequestCodeModel(string buildDir)
    {
        var query = Path.Combine(buildDir, ".cmake", "api", "v1", "query", "codemodel-v2");
        Directory.CreateDirectory(Path.GetDirectoryName(query)!);
        if (!File.Exists(query)) File.WriteAllText(query, string.Empty);
    }

    /// <summary>
    /// The test command, run by the shell in <paramref name="buildDir"/>, with its placeholders replaced: `{build}` the
    /// build folder, `{exe}` the program (a .vcxproj's; a CMake project's only executable), `{exe:TARGET}` the
    /// executable of CMake target TARGET in this build folder, `{source}` the source folder.
    /// </summary>
    /// <param name="executables">A CMake tree's executables (target name → path relative to the tree).</param>
    /// <exception cref="ValidationException">PSLM5007: a placeholder names nothing here (an empty `{exe}` would run
    /// the rest of the command as a program, and every build would "pass" by failing the same way).</exception>
    public static TestCase Command(string command, string buildDir, string? program,
        IReadOnlyList<(string Name, string RelativePath)>? executables = null, string? sourceDir = null)
    {
        var text = Placeholder().Replace(command, m => m.Groups["name"].Value switch
        {
            "build" => buildDir,
            "source" => sourceDir ?? throw new ValidationException("PSLM5007", "ParaSlmValidateTestCommand uses {source}, which only CMake projects have"),
            _ => ExecutableFor(m.Groups["target"].Success ? m.Groups["target"].Value : null, buildDir, program, executables ?? []),
        });
        var environment = new Dictionary<string, string?> { ["PARASLM_BUILD_DIR"] = buildDir };
        return OperatingSystem.IsWindows()
            ? new TestCase("test-command", "cmd.exe", ["/d", "/c", text], buildDir, environment, IsShellCommand: true)
            : new TestCase("test-command", "/bin/sh", ["-c", text], buildDir, environment, IsShellCommand: true);
    }

    private static string ExecutableFor(string? target, string buildDir, string? program, IReadOnlyList<(string Name, string RelativePath)> executables)
    {
        string Names() => executables.Count == 0 ? "it builds none that CMake's file API lists" : "it builds " + string.Join(", ", executables.Select(e => e.Name));
        if (target is null)
        {
            if (program is { Length: > 0 }) return program;
            if (executables.Count == 1) return Path.GetFullPath(Path.Combine(buildDir, executables[0].RelativePath));
            throw new ValidationException("PSLM5007", executables.Count == 0
                ? $"ParaSlmValidateTestCommand uses {{exe}}, but this project has no program to put there ({Names()}); name the program's path, or use {{build}}/PATH"
                : $"ParaSlmValidateTestCommand uses {{exe}}, but the project builds several executables ({string.Join(", ", executables.Select(e => e.Name))}); write {{exe:TARGET}} to choose one");
        }
        var found = executables.Where(e => e.Name == target).ToList();
        if (found.Count == 0) throw new ValidationException("PSLM5007", $"ParaSlmValidateTestCommand uses {{exe:{target}}}, but there is no executable target '{target}': {Names()}");
        return Path.GetFullPath(Path.Combine(buildDir, found[0].RelativePath));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\$)\{(?<name>build|source|exe)(?::(?<target>[^{}\s]+))?\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    /// <summary>`{build}`, `{source}`, `{exe}`, `{exe:TARGET}` (groups `name`, `target`); <see cref="TestScope"/> reads them too.</summary>
    internal static System.Text.RegularExpressions.Regex PlaceholderPattern => Placeholder();

    /// <summary>ctest's tests of a configured tree (none when the project defines none).</summary>
    public static async Task<IReadOnlyList<TestCase>> CTestAsync(string ctest, string buildDir, string? configuration, CancellationToken cancel)
    {
        var args = new List<string> { "--show-only=json-v1" };
        if (!string.IsNullOrEmpty(configuration)) args.AddRange(["-C", configuration]);
        ProcessOutcome o;
        try
        {
            o = await ToolProcess.RunAsync(ctest, args, buildDir, null, TimeSpan.FromMinutes(2), cancel);
        }
        catch (Win32Exception)
        {
            return [];
        }
        if (o.ExitCode != 0 || o.StandardOutput.Length == 0) return [];
        var tests = new List<TestCase>();
        using var json = JsonDocument.Parse(o.StandardOutput);
        if (!json.RootElement.TryGetProperty("tests", out var list)) return [];
        foreach (var t in list.EnumerateArray())
        {
            if (!t.TryGetProperty("command", out var command) || command.GetArrayLength() == 0) continue; // NOT_AVAILABLE in this configuration
            var name = t.GetProperty("name").GetString()!;
            var words = command.EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToList();
            var workingDirectory = buildDir;
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
            double? timeout = null;
            var disabled = false;
            if (t.TryGetProperty("properties", out var properties))
            {
                foreach (var p in properties.EnumerateArray())
                {
                    var value = p.GetProperty("value");
                    switch (p.GetProperty("name").GetString())
                    {
                        case "WORKING_DIRECTORY":
                            workingDirectory = value.GetString() ?? buildDir;
                            break;
                        case "ENVIRONMENT":
                            foreach (var e in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString() ?? string.Empty) : [value.GetString() ?? string.Empty])
                            {
                                var eq = e.IndexOf('=');
                                if (eq > 0) environment[e[..eq]] = e[(eq + 1)..];
                            }
                            break;
                        case "TIMEOUT":
                            timeout = value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
                            break;
                        case "DISABLED":
                            disabled = value.ValueKind == JsonValueKind.True;
                            break;
                    }
                }
            }
            if (!disabled) tests.Add(new TestCase(name, words[0], words.Skip(1).ToList(), workingDirectory, environment, timeout));
        }
        return tests;
    }

    /// <summary>The executables of a tree configured with <see cref="RequestCodeModel"/>: name → path relative to the tree.</summary>
    public static IReadOnlyList<(string Name, string RelativePath)> Executables(string buildDir, string? configuration)
    {
        var reply = Path.Combine(buildDir, ".cmake", "api", "v1", "reply");
        var index = Directory.Exists(reply) ? Directory.GetFiles(reply, "index-*.json").Order(StringComparer.Ordinal).LastOrDefault() : null;
        if (index is null) return [];
        using var indexJson = JsonDocument.Parse(File.ReadAllText(index));
        if (!indexJson.RootElement.GetProperty("reply").TryGetProperty("codemodel-v2", out var cm) || !cm.TryGetProperty("jsonFile", out var cmFile)) return [];
        using var codemodel = JsonDocument.Parse(File.ReadAllText(Path.Combine(reply, cmFile.GetString()!)));
        var configurations = codemodel.RootElement.GetProperty("configurations").EnumerateArray().ToList();
        var config = configurations.FirstOrDefault(c => string.Equals(c.GetProperty("name").GetString(), configuration, StringComparison.OrdinalIgnoreCase));
        if (config.ValueKind == JsonValueKind.Undefined) config = configurations.FirstOrDefault();
        if (config.ValueKind == JsonValueKind.Undefined) return [];
        var found = new List<(string, string)>();
        foreach (var target in config.GetProperty("targets").EnumerateArray())
        {
            using var t = JsonDocument.Parse(File.ReadAllText(Path.Combine(reply, target.GetProperty("jsonFile").GetString()!)));
            if (t.RootElement.GetProperty("type").GetString() != "EXECUTABLE" || !t.RootElement.TryGetProperty("artifacts", out var artifacts)) continue;
            var first = artifacts.EnumerateArray().Select(a => a.GetProperty("path").GetString()).FirstOrDefault(p => p is not null);
            if (first is null) continue;
            // Artifacts outside the tree (a RUNTIME_OUTPUT_DIRECTORY in the source tree) would be shared by every tree.
            var relative = Path.IsPathRooted(first) ? Path.GetRelativePath(buildDir, first) : first;
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) continue;
            found.Add((t.RootElement.GetProperty("name").GetString()!, relative));
        }
        return found.OrderBy(f => f.Item1, StringComparer.Ordinal).ToList();
    }

    /// <summary>An executable of a tree as a test: run without arguments in its own folder.</summary>
    public static TestCase Executable(string name, string buildDir, string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(buildDir, relativePath));
        return new TestCase(name, path, [], Path.GetDirectoryName(path)!, new Dictionary<string, string?>());
    }
}
