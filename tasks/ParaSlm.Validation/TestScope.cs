namespace ParaSlm.Validation;

/// <summary>
/// Which sources the programs of one test are built from: a difference in that test's output can only come from a
/// loop in them (a loop in another executable never runs). <see cref="Sources"/> is null when it cannot be worked
/// out (a shell script, a path the build system does not describe): then every loop may be blamed, as before.
/// </summary>
/// <param name="Programs">The executable targets the test runs (empty when not known).</param>
/// <param name="Sources">Full paths of their translation units, static and shared libraries linked in included.</param>
/// <param name="Why">In words, for the evidence: `runs gesummv` or why it is not known.</param>
public sealed record TestScope(IReadOnlyList<string> Programs, IReadOnlyList<string>? Sources, string Why)
{
    public bool Known => Sources is not null;

    /// <summary>Whether a loop in <paramref name="file"/> can change this test's output (always, when not known).</summary>
    public bool Holds(string file) => Sources is null || Sources.Contains(Normalize(file), StringComparer.Ordinal);

    public static string Normalize(string path) => Path.GetFullPath(path).Replace('\\', '/');

    public static TestScope Unknown(string why) => new([], null, why);

    /// <summary>The scope of tests that run exactly <paramref name="programs"/> (target names).</summary>
    /// <param name="sources">Target name → its sources with what it links (<see cref="ProgramSources"/>).</param>
    public static TestScope Of(IReadOnlyList<string> programs, IReadOnlyDictionary<string, IReadOnlyList<string>> sources)
    {
        var missing = programs.Where(p => !sources.ContainsKey(p)).ToList();
        if (programs.Count == 0) return Unknown("it runs no program that CMake's file API describes");
        if (missing.Count > 0) return Unknown($"CMake's file API lists no sources for {string.Join(", ", missing)}");
        return new TestScope(programs, programs.SelectMany(p => sources[p]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            "runs " + string.Join(", ", programs));
    }

    /// <summary>
    /// The scope of the test command: the programs named through `{exe}`/`{exe:TARGET}`. Anything else that could run
    /// another program of the build — `{build}`, `{source}`, a word with a path in it, a word naming a file of the build
    /// folder (`./other`, `run.sh`) or an executable's file name — makes it unknown.
    /// </summary>
    /// <param name="executables">The tree's executables (target name → path relative to the tree).</param>
    public static TestScope ForCommand(string command, string buildDir, IReadOnlyList<(string Name, string RelativePath)> executables,
        IReadOnlyDictionary<string, IReadOnlyList<string>> sources)
    {
        var programs = new List<string>();
        foreach (System.Text.RegularExpressions.Match m in TestDiscovery.PlaceholderPattern.Matches(command))
        {
            var name = m.Groups["name"].Value;
            if (name is "build" or "source") return Unknown($"the test command uses {{{name}}}, so which programs it runs is not known");
            if (m.Groups["target"].Success) programs.Add(m.Groups["target"].Value);
            else if (executables.Count == 1) programs.Add(executables[0].Name);
            else return Unknown("the test command's {exe} names no CMake target");
        }
        var rest = TestDiscovery.PlaceholderPattern.Replace(command, " ");
        if (rest.Contains('$')) return Unknown("the test command uses a shell variable, so which programs it runs is not known");
        var names = executables.Select(e => Path.GetFileName(e.RelativePath)).ToHashSet(StringComparer.Ordinal);
        foreach (var raw in rest.Split([' ', '\t', '\n', ';', '|', '&', '<', '>', '(', ')', '`'], StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw.Trim('"', '\'');
            if (word.Length == 0 || word.All(char.IsDigit)) continue;
            if (word.Contains('/') || word.Contains('\\'))
                return Unknown($"the test command names the path '{word}', so which programs it runs is not known");
            if (names.Contains(word) || File.Exists(Path.Combine(buildDir, word)))
                return Unknown($"the test command names '{word}', a file of the build, so which programs it runs is not known");
        }
        return Of(programs.Distinct(StringComparer.Ordinal).ToList(), sources);
    }

    /// <summary>A ctest test: known when its command starts with an executable of the project (its arguments may name more).</summary>
    public static TestScope ForCTest(TestCase test, string buildDir, IReadOnlyList<(string Name, string RelativePath)> executables,
        IReadOnlyDictionary<string, IReadOnlyList<string>> sources)
    {
        var byPath = executables.ToDictionary(e => Normalize(Path.Combine(buildDir, e.RelativePath)), e => e.Name, StringComparer.Ordinal);
        if (!Path.IsPathRooted(test.FileName) || !byPath.TryGetValue(Normalize(test.FileName), out var first))
            return Unknown($"ctest test {test.Name} runs {Path.GetFileName(test.FileName)}, not an executable the project builds");
        var programs = new List<string> { first };
        programs.AddRange(test.Arguments.Where(a => Path.IsPathRooted(a) && byPath.ContainsKey(Normalize(a))).Select(a => byPath[Normalize(a)]));
        return Of(programs.Distinct(StringComparer.Ordinal).ToList(), sources);
    }
}
