using System.ComponentModel;

namespace ParaSlm.Cli.Validation;

/// <summary>
/// Runs a build's tests and judges each run against the serial build: exit code, output (through
/// <see cref="OutputComparer"/>) and sanitizer reports. Races show up by chance, so a probe runs several times and
/// cycles through thread counts above the core count.
/// </summary>
public sealed class TestRunner(ValidationOptions options, OutputComparer comparer, Action<string> progress)
{
    /// <summary>
    /// Runs each serial test twice: the first run is the output every variant is compared with; lines on which the
    /// second disagrees (a timing, an address, a seed from the clock) are left out of every comparison and reported,
    /// since no parallel run could be judged by them.
    /// </summary>
    /// <exception cref="ValidationException">A serial test could not be started.</exception>
    public async Task<Dictionary<string, ReferenceRun>> ReferenceAsync(IReadOnlyList<TestCase> tests, CancellationToken cancel)
    {
        var reference = new Dictionary<string, ReferenceRun>(StringComparer.Ordinal);
        foreach (var t in tests)
        {
            var first = await SerialRunAsync(t, cancel);
            var second = await SerialRunAsync(t, cancel);
            var unstable = first.ExitCode == second.ExitCode ? comparer.UnstableLines(first.StandardOutput, second.StandardOutput) : [];
            reference[t.Name] = new ReferenceRun(t.Name, first.ExitCode, first.StandardOutput, first.Elapsed.TotalSeconds, unstable.Count > 0 ? unstable : null,
                ProgramDirectoryOf(t), t.WorkingDirectory);
            if (unstable.Count > 0)
                progress($"test {t.Name}: output line(s) {string.Join(", ", unstable)} differ between two runs of the serial build itself; they are not compared");
        }
        progress($"serial reference: {tests.Count} test(s), each run twice, {reference.Values.Sum(r => r.Seconds):F1} s per round");
        return reference;
    }

    private async Task<ProcessOutcome> SerialRunAsync(TestCase t, CancellationToken cancel)
    {
        ProcessOutcome o;
        try
        {
            o = await ToolProcess.RunAsync(t.FileName, t.Arguments, t.WorkingDirectory, t.Environment,
                TimeSpan.FromSeconds(t.TimeoutSeconds ?? options.RunTimeoutSeconds ?? 1800), cancel);
        }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ValidationException("PSLM5006", $"the serial build's test {t.Name} could not be started ({t.CommandLine}: {e.Message}); build the serial reference first");
        }
        if (o.TimedOut) throw new ValidationException("PSLM5006", $"the serial build's test {t.Name} did not finish within its time limit");
        return o;
    }

    /// <summary>
    /// <see cref="ValidationOptions.Runs"/> rounds over every test; round k uses thread count k (cyclically). Stops at the
    /// first run that certainly failed (a timeout, a different output or exit code, an ASan or TSan report); UBSan
    /// reports do not stop the program, and are judged later against those the serial program has too.
    /// </summary>
    public async Task<List<RunRecord>> RunAsync(IReadOnlyList<TestCase> tests, IReadOnlyDictionary<string, ReferenceRun> reference,
        IReadOnlyDictionary<string, string?> variantEnvironment, CancellationToken cancel)
    {
        var runs = new List<RunRecord>();
        for (var round = 0; round < options.Runs; round++)
        {
            var threads = options.Threads[round % options.Threads.Count];
            foreach (var t in tests)
            {
                cancel.ThrowIfCancellationRequested();
                var record = await RunOneAsync(t, threads, reference, variantEnvironment, cancel);
                runs.Add(record);
                if (record.TimedOut || record.Difference is not null || record.Findings.Any(f => f.Tool != "ubsan")) return runs;
            }
        }
        return runs;
    }

    private async Task<RunRecord> RunOneAsync(TestCase t, int threads, IReadOnlyDictionary<string, ReferenceRun> reference,
        IReadOnlyDictionary<string, string?> variantEnvironment, CancellationToken cancel)
    {
        if (!reference.TryGetValue(t.Name, out var serial))
            return new RunRecord(t.Name, threads, -1, false, 0, "the serial build has no test of this name", 0, []);
        var environment = new Dictionary<string, string?>(variantEnvironment, StringComparer.Ordinal)
        {
            ["OMP_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // Oversubscribed threads that spin at barriers mostly burn the cores the other threads need.
        if (System.Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null) environment["OMP_WAIT_POLICY"] = "passive";
        foreach (var (k, v) in t.Environment) environment[k] = v; // the test's own settings (ctest ENVIRONMENT) win
        // Sanitizers make programs several times slower, more so with more threads than cores.
        var timeout = options.RunTimeoutSeconds ?? Math.Max(t.TimeoutSeconds ?? 0, Math.Max(300, serial.Seconds * 100));
        ProcessOutcome o;
        try
        {
            o = await ToolProcess.RunAsync(t.FileName, t.Arguments, t.WorkingDirectory, environment, TimeSpan.FromSeconds(timeout), cancel);
        }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException or DirectoryNotFoundException)
        {
            return new RunRecord(t.Name, threads, -1, false, 0, $"could not start {t.CommandLine}: {e.Message}", 0, []);
        }
        var findings = SanitizerReport.Parse(o.StandardError);
        string? difference = null;
        var tolerated = 0;
        if (!o.TimedOut)
        {
            if (o.ExitCode != serial.ExitCode)
            {
                difference = $"exit code {o.ExitCode}, the serial build's {serial.ExitCode}{StderrTail(o.StandardError)}";
            }
            else
            {
                var c = comparer.Compare(serial.Output, AsIfSerial(o.StandardOutput, t, serial), serial.UnstableLines);
                difference = c.Difference;
                tolerated = c.Tolerated;
            }
        }
        return new RunRecord(t.Name, threads, o.ExitCode, o.TimedOut, o.Elapsed.TotalSeconds, difference, tolerated, findings);
    }

    private static string? ProgramDirectoryOf(TestCase t) => Path.IsPathRooted(t.FileName) ? Path.GetDirectoryName(t.FileName) : null;

    /// <summary>A variant's output with its own tree's paths (program folder, working folder) written as the serial build's.</summary>
    private static string AsIfSerial(string output, TestCase t, ReferenceRun serial)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string? mine, string? theirs)
        {
            if (mine is { Length: > 1 } && theirs is { Length: > 1 } && mine != theirs) map.TryAdd(mine, theirs);
        }
        Add(ProgramDirectoryOf(t), serial.ProgramDirectory);
        Add(t.WorkingDirectory, serial.WorkingDirectory);
        if (map.Count == 0) return output;
        // One pass, longest first: the serial folder's name may start with the variant's (build/paraslm, build/paraslm-serial).
        var pattern = string.Join('|', map.Keys.OrderByDescending(k => k.Length).Select(System.Text.RegularExpressions.Regex.Escape));
        return System.Text.RegularExpressions.Regex.Replace(output, pattern, m => map[m.Value]);
    }

    /// <summary>The last stderr line of a crash, so the warning says more than an exit code.</summary>
    private static string StderrTail(string stderr)
    {
        var last = stderr.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
        return last is null ? string.Empty : $" (stderr: {(last.Length > 160 ? last[..160] + "…" : last)})";
    }
}

/// <summary>Validation cannot go on (no serial reference, an unusable setting); the code and message say why.</summary>
public sealed class ValidationException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
