using System.Text.RegularExpressions;

namespace ParaSlm.Evaluation.Projects;

/// <summary>
/// A project suite's description (`paraslm-suite.json`, see README "Evaluating any CMake project"): the CMake project,
/// the configure settings every build gets, and the programs to run with how to read their time and compare their output.
/// <see cref="SuiteConfigReader"/> reads and checks it.
/// </summary>
/// <param name="File">The description file itself (for messages).</param>
/// <param name="Source">The folder holding CMakeLists.txt (absolute).</param>
/// <param name="Project">The MSBuild project beside CMakeLists.txt that uses ParaSlm.Sdk (absolute): the ParaSlm builds run `dotnet build` on it;
/// null when there is none (then only the peers can be built, and asking for a ParaSlm variant is an error).</param>
/// <param name="CacheEntries">The `-DNAME[:TYPE]=VALUE` configure arguments, for every build (peers and ParaSlm alike).</param>
/// <param name="CFlags">Added to CMAKE_C_FLAGS of every build, before the variant's own flags.</param>
public sealed record SuiteConfig(
    string File,
    string? Name,
    string Source,
    string? Project,
    IReadOnlyList<CacheEntry> CacheEntries,
    string CFlags,
    string CxxFlags,
    IReadOnlyList<SuiteProgram> Programs);

/// <summary>One `-DNAME[:TYPE]=VALUE`, written into each build's initial-cache script.</summary>
public sealed record CacheEntry(string Name, string Type, string Value);

/// <summary>
/// One program to time: the executable (a CMake target's output, found in each build tree), its arguments and
/// working directory (placeholders `{build}`, `{source}`, `{work}`), extra environment, the time rule and the output rule.
/// </summary>
public sealed record SuiteProgram(
    string Name,
    string Exe,
    IReadOnlyList<string> Args,
    string? WorkDir,
    IReadOnlyDictionary<string, string> Environment,
    TimeRule Time,
    CompareRule Compare);

/// <summary>Where a run's time comes from: the whole process's wall time, or a number a regex finds in its output.</summary>
/// <param name="Regex">Null: the process wall time. Else the value is group `time` (or group 1, or the whole match) of the first match.</param>
/// <param name="Stream">`stdout` or `stderr`.</param>
/// <param name="Scale">Seconds per printed unit (s 1, ms 1e-3, us 1e-6, ns 1e-9).</param>
public sealed record TimeRule(Regex? Regex, string Stream, double Scale, string Unit)
{
    public static TimeRule Wall { get; } = new(null, "stdout", 1, "s");

    public string Describe() => Regex is null
        ? "the process's wall time"
        : $"/{Regex}/ in {Stream} ({Unit})";
}

/// <summary>Which outputs of a run must equal the reference serial run's, and how.</summary>
/// <param name="Streams">Any of `stdout`, `stderr`.</param>
/// <param name="Files">Files the program writes, relative to its working directory.</param>
/// <param name="Numbers">False: exact text; true: the same text with numbers equal at their printed precision (<see cref="OutputComparer"/>).</param>
/// <param name="Tolerance">Numbers mode: a relative tolerance accepted besides the printed precision (0: none).</param>
/// <param name="Ignore">Lines matching any of these are left out before comparing (timers, addresses).</param>
public sealed record CompareRule(IReadOnlyList<string> Streams, IReadOnlyList<string> Files, bool Numbers, double Tolerance, IReadOnlyList<Regex> Ignore)
{
    public static CompareRule Default { get; } = new(["stdout"], [], false, 0, []);

    public string Describe()
    {
        var what = string.Join(", ", Streams.Concat(Files.Select(f => "file " + f)));
        if (what.Length == 0) return "nothing compared";
        var how = Numbers
            ? "the same text, numbers equal at their printed precision (one unit in the last printed digit; integers exactly)" +
              (Tolerance > 0 ? $" or within relative {Tolerance:G3}" : "")
            : "exact text";
        return $"{what}: {how}" + (Ignore.Count > 0 ? $", lines matching {string.Join(" or ", Ignore.Select(r => "/" + r + "/"))} left out" : "");
    }
}

/// <summary>The suite description is wrong: the message names the file, the place in it and what to write instead.</summary>
public sealed class SuiteConfigException(string message) : ArgumentException(message);
