using ParaSlm.Engine;

namespace ParaSlm.Validation;

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
/// <param name="IsShellCommand">The configured test command, run by the shell (exit 126/127: the shell found no program).</param>
/// <param name="Scope">The sources of the programs this test runs (null: not worked out, every loop may be blamed).</param>
public sealed record TestCase(string Name, string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment, double? TimeoutSeconds = null, bool IsShellCommand = false, TestScope? Scope = null)
{
    public string CommandLine => string.Join(' ', new[] { FileName }.Concat(Arguments).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}

/// <summary>What the serial build did for one test: the reference every variant is compared with.</summary>
/// <param name="UnstableLines">Output lines (1-based) that differ between two runs of the serial build itself (a
/// timing, a pointer, a random seed): no parallel run can be judged by them, so comparisons skip them.</param>
/// <param name="ProgramDirectory">The folder of the serial test's program, and <paramref name="WorkingDirectory"/> its
/// working folder: a program that prints its own path (a usage line with argv[0]) prints the variant tree's there, which
/// is not a difference.</param>
/// <param name="Ignored">Every output line not compared, or compared in part, with the reason (for the report).</param>
/// <param name="OutputUnstable">The reference runs printed a different number of lines: only the exit code and the
/// sanitizer findings of this test can be compared.</param>
/// <param name="Findings">Sanitizer findings of the reference runs (a variant's reference only): the program has them
/// without ParaSlm's changes, so no loop is blamed for them.</param>
/// <param name="Started">Sanitized processes the reference runs started (a variant's reference; -1: not counted). Zero
/// means the tests ran no program of the build.</param>
/// <param name="TimedOut">A reference run did not finish within its time limit.</param>
public sealed record ReferenceRun(string Test, int ExitCode, string Output, double Seconds, IReadOnlyList<int>? UnstableLines = null,
    string? ProgramDirectory = null, string? WorkingDirectory = null, IReadOnlyList<IgnoredLine>? Ignored = null, bool OutputUnstable = false,
    IReadOnlyList<SanitizerFinding>? Findings = null, int Started = -1, bool TimedOut = false)
{
    /// <summary>The signatures of every sanitizer report the reference runs made themselves: reports no loop is blamed for.</summary>
    public static HashSet<string> FindingSignatures(IEnumerable<ReferenceRun> runs) =>
        runs.SelectMany(r => r.Findings ?? []).Select(f => f.Signature).ToHashSet(StringComparer.Ordinal);
}

/// <summary>An output line of a test that comparisons leave out (or compare only in part), and why.</summary>
public sealed record IgnoredLine(string Test, int Line, string Text, string Reason)
{
    public override string ToString() => $"{Test} line {Line} {Quote(Text)}: {Reason}";

    private static string Quote(string s) => "\"" + (s.Length > 100 ? s[..100] + "…" : s) + "\"";
}

/// <summary>One run of one test in a variant build.</summary>
/// <param name="Difference">Null when exit code and output agree with the serial build (within tolerance).</param>
/// <param name="Tolerated">Floating-point numbers that differed from the serial output within the tolerance.</param>
/// <param name="Started">Sanitized processes this run started (-1: not counted, the build is not sanitized).</param>
/// <param name="DifferingLines">With a <paramref name="Difference"/> in the output: every reference line (1-based) that
/// differed; null when the difference is not one of single lines (exit code, number of lines). A probe is judged again
/// with the lines later found to vary by themselves (<see cref="DifferenceConfirmation"/>).</param>
public sealed record RunRecord(string Test, int Threads, int ExitCode, bool TimedOut, double Seconds, string? Difference, int Tolerated,
    IReadOnlyList<SanitizerFinding> Findings, int Started = -1, IReadOnlyList<int>? DifferingLines = null);

/// <summary>Why a probe failed: one line for the warning, the detail (a sanitizer excerpt, the differing line) for the report.</summary>
/// <param name="Finding">The sanitizer report behind it, when there is one (its accesses locate the loops involved).</param>
/// <param name="TimedOut">The failure is only a run that ran out of time: no finding, no difference. It blames no loop
/// (a loaded machine slows every run), see <see cref="Validator"/>.</param>
/// <param name="Test">The test whose output or exit code differed (null for a finding, a timeout or a build error): the
/// loops that can be blamed for it are those in the sources of the programs it runs (<see cref="TestScope"/>).</param>
public sealed record ProbeFailure(string Evidence, string Detail, SanitizerFinding? Finding = null, bool TimedOut = false, string? Test = null)
{
    /// <summary>An output or exit-code difference (not a sanitizer report, a timeout or a build error).</summary>
    public bool IsDifference => Test is not null;
}

/// <summary>
/// One probe: a variant built with exactly <see cref="Loops"/> parallel (every other applied loop serial), run
/// <c>runs</c> times. Stored raw, so that it can be judged again once findings the program has without ParaSlm's
/// changes are known.
/// </summary>
public sealed record ProbeRecord(string Variant, IReadOnlyList<string> Loops, string? BuildError, IReadOnlyList<RunRecord> Runs, double Seconds)
{
    public static string KeyOf(string variant, IEnumerable<string> loopIds) => variant + "|" + string.Join(",", loopIds.Order(StringComparer.Ordinal));

    /// <summary>The first failure, ignoring sanitizer findings whose signature is in <paramref name="known"/>; null when the probe passed.</summary>
    /// <param name="varying">Per test, the reference lines known to vary by themselves now: a run that differed only on
    /// those is no failure (it was recorded before they were known).</param>
    public ProbeFailure? FailureWith(IReadOnlySet<string> known, Func<string, IReadOnlyCollection<int>>? varying = null)
    {
        if (BuildError is not null) return new ProbeFailure("the build failed: " + FirstLine(BuildError), BuildError);
        foreach (var r in Runs)
        {
            var found = r.Findings.FirstOrDefault(f => !known.Contains(f.Signature));
            if (found is not null) return new ProbeFailure($"{found.Summary} ({r.Threads} threads, test {r.Test})", found.Excerpt, found);
            if (r.TimedOut) return new ProbeFailure($"test {r.Test} timed out after {r.Seconds:F0} s with {r.Threads} threads", $"{r.Test}: timed out", TimedOut: true);
            if (r.Difference is not null && r.DifferingLines is { Count: > 0 } lines && varying is not null && lines.All(varying(r.Test).Contains)) continue;
            if (r.Difference is not null)
                return new ProbeFailure($"test {r.Test} differs from the serial build with {r.Threads} threads: {r.Difference}", r.Difference, Test: r.Test);
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
    /// <summary>The serial build's outputs: what the final program is compared with.</summary>
    public Dictionary<string, ReferenceRun>? Reference { get; set; }

    /// <summary>Per variant, its build with no loop parallel (same compiler, same sanitizer): what its probes are compared with.</summary>
    public Dictionary<string, Dictionary<string, ReferenceRun>> VariantReferences { get; init; } = new(StringComparer.Ordinal);
    public Dictionary<string, ProbeRecord> Probes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The order probes were made in (replay reads <see cref="Probes"/>; reports count them per variant).</summary>
    public List<string> Order { get; init; } = [];

    /// <summary>Per test, the serial reference's lines that a fresh run of it printed differently (numbered as the serial
    /// reference's output): they vary by themselves, so no run is judged by them (<see cref="DifferenceConfirmation"/>).</summary>
    public Dictionary<string, List<int>> Varying { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Per test, how many fresh runs of the serial reference confirmations made (bounded).</summary>
    public Dictionary<string, int> FreshRuns { get; init; } = new(StringComparer.Ordinal);

    /// <summary>What each confirmation found, in order (`tsan: difference not confirmed: …`), for the verdicts.</summary>
    public List<ConfirmationNote> Confirmations { get; init; } = [];

    /// <summary>Per variant, per test, the sources of the programs the test runs (from its reference build).</summary>
    public Dictionary<string, Dictionary<string, TestScope>> Scopes { get; init; } = new(StringComparer.Ordinal);

    public void Add(string key, ProbeRecord probe)
    {
        if (Probes.TryAdd(key, probe)) Order.Add(key);
    }
}
