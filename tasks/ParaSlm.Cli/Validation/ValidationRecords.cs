using ParaSlm.Cli.Engine;

namespace ParaSlm.Cli.Validation;

/// <summary>A loop the engine parallelized, with the source it lives in: the unit validation keeps or reverts.</summary>
public sealed record ValidationLoop(string File, AppliedLoop Loop)
{
    public string Id => Loop.Id;

    /// <summary>`file(line,col)` for canonical diagnostics.</summary>
    public string Where => $"{File}({Loop.Line},{Loop.Column})";
}

/// <summary>
/// One test of a build: a ctest test, a built executable run without arguments, or the configured test command.
/// Tests of different builds are paired by <see cref="Name"/>.
/// </summary>
public sealed record TestCase(string Name, string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment, double? TimeoutSeconds = null)
{
    public string CommandLine => string.Join(' ', new[] { FileName }.Concat(Arguments).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}

/// <summary>What the serial build did for one test: the reference every variant is compared with.</summary>
/// <param name="UnstableLines">Output lines (1-based) that differ between two runs of the serial build itself (a
/// timing, a pointer, a random seed): no parallel run can be judged by them, so comparisons skip them.</param>
/// <param name="ProgramDirectory">The folder of the serial test's program, and <paramref name="WorkingDirectory"/> its
/// working folder: a program that prints its own path (a usage line with argv[0]) prints the variant tree's there, which
/// is not a difference.</param>
public sealed record ReferenceRun(string Test, int ExitCode, string Output, double Seconds, IReadOnlyList<int>? UnstableLines = null,
    string? ProgramDirectory = null, string? WorkingDirectory = null);

/// <summary>One run of one test in a variant build.</summary>
/// <param name="Difference">Null when exit code and output agree with the serial build (within tolerance).</param>
/// <param name="Tolerated">Floating-point numbers that differed from the serial output within the tolerance.</param>
public sealed record RunRecord(string Test, int Threads, int ExitCode, bool TimedOut, double Seconds, string? Difference, int Tolerated,
    IReadOnlyList<SanitizerFinding> Findings);

/// <summary>Why a probe failed: one line for the warning, the detail (a sanitizer excerpt, the differing line) for the report.</summary>
public sealed record ProbeFailure(string Evidence, string Detail);

/// <summary>
/// One probe: a variant built with exactly <see cref="Loops"/> parallel (every other applied loop serial), run
/// <c>runs</c> times. Stored raw, so that it can be judged again once findings the program has without ParaSlm's
/// changes are known.
/// </summary>
public sealed record ProbeRecord(string Variant, IReadOnlyList<string> Loops, string? BuildError, IReadOnlyList<RunRecord> Runs, double Seconds)
{
    public static string KeyOf(string variant, IEnumerable<string> loopIds) => variant + "|" + string.Join(",", loopIds.Order(StringComparer.Ordinal));

    /// <summary>The first failure, ignoring sanitizer findings whose signature is in <paramref name="known"/>; null when the probe passed.</summary>
    public ProbeFailure? FailureWith(IReadOnlySet<string> known)
    {
        if (BuildError is not null) return new ProbeFailure("the build failed: " + FirstLine(BuildError), BuildError);
        foreach (var r in Runs)
        {
            var found = r.Findings.FirstOrDefault(f => !known.Contains(f.Signature));
            if (found is not null) return new ProbeFailure($"{found.Summary} ({r.Threads} threads, test {r.Test})", found.Excerpt);
            if (r.TimedOut) return new ProbeFailure($"test {r.Test} timed out after {r.Seconds:F0} s with {r.Threads} threads", $"{r.Test}: timed out");
            if (r.Difference is not null)
                return new ProbeFailure($"test {r.Test} differs from the serial build with {r.Threads} threads: {r.Difference}", r.Difference);
        }
        return null;
    }

    public IEnumerable<string> Signatures => Runs.SelectMany(r => r.Findings).Select(f => f.Signature);

    private static string FirstLine(string s)
    {
        var line = s.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? s.Split('\n')[0].Trim();
        return line.Length > 240 ? line[..240] + "…" : line;
    }
}

/// <summary>The probes and the serial reference of one validation; the MSBuild stepper keeps it on disk between steps.</summary>
public sealed class ProbeMemo
{
    public string Fingerprint { get; set; } = string.Empty;
    public Dictionary<string, ReferenceRun>? Reference { get; set; }
    public Dictionary<string, ProbeRecord> Probes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The order probes were made in (replay reads <see cref="Probes"/>; reports count them per variant).</summary>
    public List<string> Order { get; init; } = [];

    public void Add(string key, ProbeRecord probe)
    {
        if (Probes.TryAdd(key, probe)) Order.Add(key);
    }
}
