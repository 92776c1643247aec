using System.ComponentModel;

namespace ParaSlm.Validation;

/// <summary>
/// Runs a build's tests and judges each run against the serial build: exit code, output (through
/// <see cref="OutputComparer"/>) and sanitizer reports. Races show up by chance, so a probe runs several times and
/// cycles through thread counts above the core count.
/// </summary>
public sealed class TestRunner(ValidationOptions options, OutputComparer comparer, Action<string> progress)
{
    public OutputComparer Comparer => comparer;

    /// <summary>
    /// Runs each test twice, far enough apart to tell what the program prints by itself from what it computes: the
    /// second round starts in a later second of the clock (a seed from `time(0)`) and with a larger environment (stack
    /// addresses shift). The first run is the output every probe is compared with; lines on which the second
    /// disagrees are left out of every comparison, and a test whose two runs print a different number of lines is
    /// judged by its exit code and sanitizer findings only. Each is reported.
    /// </summary>
    /// <param name="environment">The variant's sanitizer settings for a variant's reference (its build with no loop
    /// parallel); null for the serial build, the final program's reference.</param>
    /// <param name="label">What the reference is, for progress lines: `serial reference`, `tsan reference`.</param>
    /// <exception cref="ValidationException">A test could not be started; for the serial build also a test that did not
    /// finish in time (a variant's reference records it: <see cref="ReferenceRun.TimedOut"/>).</exception>
    public async Task<Dictionary<string, ReferenceRun>> ReferenceAsync(IReadOnlyList<TestCase> tests, CancellationToken cancel,
        IReadOnlyDictionary<string, string?>? environment = null, string label = "serial reference")
    {
        var first = new List<Observed>();
        foreach (var t in tests) first.Add(await ReferenceRunAsync(t, environment, padding: null, label, cancel));
        // A later second: a program that seeds from the clock or prints the date must show it in the second round.
        var now = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromMilliseconds(1000 - now.Millisecond + 10), cancel);
        var reference = new Dictionary<string, ReferenceRun>(StringComparer.Ordinal);
        for (var i = 0; i < tests.Count; i++)
        {
            var t = tests[i];
            var a = first[i];
            var b = a.Outcome.TimedOut ? a : await ReferenceRunAsync(t, environment, padding: new string('p', 61 + i % 7), label, cancel);
            var sameShape = a.Outcome.ExitCode != b.Outcome.ExitCode || comparer.SameShape(a.Outcome.StandardOutput, b.Outcome.StandardOutput);
            var unstable = a.Outcome.ExitCode == b.Outcome.ExitCode && sameShape ? comparer.UnstableLines(a.Outcome.StandardOutput, b.Outcome.StandardOutput) : [];
            var ignored = comparer.Ignored(t.Name, a.Outcome.StandardOutput, unstable).ToList();
            if (!sameShape)
                ignored.Add(new IgnoredLine(t.Name, 0, string.Empty,
                    "the reference printed a different number of lines in two runs, so only its exit code and sanitizer findings are compared"));
            reference[t.Name] = new ReferenceRun(t.Name, a.Outcome.ExitCode, a.Outcome.StandardOutput, a.Outcome.Elapsed.TotalSeconds,
                unstable.Count > 0 ? unstable : null, ProgramDirectoryOf(t), t.WorkingDirectory, ignored, !sameShape,
                // The serial build's own too: a project built with its own -fsanitize=undefined reports in every run.
                a.Findings.Concat(b.Findings).DistinctBy(f => f.Signature).ToList(),
                a.Started < 0 ? -1 : a.Started + (ReferenceEquals(a, b) ? 0 : Math.Max(0, b.Started)), a.Outcome.TimedOut);
            if (unstable.Count > 0)
                progress($"test {t.Name}: output line(s) {string.Join(", ", unstable)} differ between two runs of the {label} itself; they are not compared");
            if (!sameShape)
                progress($"test {t.Name}: the {label} printed a different number of lines in two runs; only its exit code and sanitizer findings are compared");
        }
        progress($"{label}: {tests.Count} test(s), each run twice, {reference.Values.Sum(r => r.Seconds):F1} s per round");
        return reference;
    }

    /// <summary>
    /// One more run of a reference's test (<see cref="DifferenceConfirmation"/>), with an environment of another size
    /// again, so that address-dependent lines can show.
    /// </summary>
    /// <param name="environment">A variant's sanitizer settings; null for the serial build.</param>
    public async Task<(int ExitCode, string Output)> FreshRunAsync(TestCase t, int round, IReadOnlyDictionary<string, string?>? environment, CancellationToken cancel)
    {
        var o = await ReferenceRunAsync(t, environment, padding: new string('f', 23 + 11 * round), "reference (fresh run)", cancel);
        return (o.Outcome.ExitCode, o.Outcome.StandardOutput);
    }

    private sealed record Observed(ProcessOutcome Outcome, IReadOnlyList<SanitizerFinding> Findings, int Started);

    private async Task<Observed> ReferenceRunAsync(TestCase t, IReadOnlyDictionary<string, string?>? variantEnvironment, string? padding, string label,
        CancellationToken cancel)
    {
        var environment = new Dictionary<string, string?>(variantEnvironment ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        if (padding is not null) environment["PARASLM_REFERENCE_ROUND"] = padding;
        foreach (var (k, v) in t.Environment) environment[k] = Merge(k, environment.GetValueOrDefault(k), v);
        // ParaSlmValidateTimeout bounds the sanitized runs; the serial program's runs are bounded by the test's own limit.
        var timeout = TimeSpan.FromSeconds((variantEnvironment is null ? null : options.RunTimeoutSeconds) ?? t.TimeoutSeconds ?? 1800);
        Observed o;
        try
        {
            o = await RunProcessAsync(t, environment, timeout, cancel);
        }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ValidationException("PSLM5006", $"the {label}'s test {t.Name} could not be started ({t.CommandLine}: {e.Message})");
        }
        if (o.Outcome.TimedOut && variantEnvironment is null)
            throw new ValidationException("PSLM5006", $"the serial build's test {t.Name} did not finish within {timeout.TotalSeconds:F0} s");
        // A shell that found no program (exit 126/127) ran no test: every build would "agree" with it.
        if (t.IsShellCommand && o.Outcome.ExitCode is 126 or 127)
            throw new ValidationException("PSLM5007", $"the test command ran no program: `{t.Arguments.LastOrDefault()}` exited with {o.Outcome.ExitCode}" +
                $"{StderrTail(o.Outcome.StandardError)}. Check ParaSlmValidateTestCommand: its placeholders ({{exe}}, {{exe:TARGET}}, {{build}}, {{source}}) must name the program to run");
        return o;
    }

    /// <summary>
    /// Runs one test. Under a sanitizer (its options in <paramref name="environment"/>), the sanitizer writes to a log
    /// folder of this run (`log_path`, `verbosity=1`): every sanitized process leaves a file there as it starts, which
    /// proves that the tests ran a program of the build at all, and its reports are read from there and from stderr.
    /// </summary>
    private static async Task<Observed> RunProcessAsync(TestCase t, Dictionary<string, string?> environment, TimeSpan timeout, CancellationToken cancel)
    {
        var sanitized = SanitizerVariables.Where(environment.ContainsKey).ToList();
        string? logs = null;
        // MSVC's AddressSanitizer has no log_path: there the runs are not counted.
        if (sanitized.Count > 0 && !OperatingSystem.IsWindows() && !sanitized.Any(v => (environment[v] ?? string.Empty).Contains("log_path=", StringComparison.Ordinal)))
        {
            logs = Path.Combine(Path.GetTempPath(), "paraslm-sanlog-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(logs);
            foreach (var v in sanitized) environment[v] = $"{environment[v]}:log_path={Path.Combine(logs, "run")}:verbosity=1";
        }
        try
        {
            var outcome = await ToolProcess.RunAsync(t.FileName, t.Arguments, t.WorkingDirectory, environment, timeout, cancel);
            if (logs is null) return new Observed(outcome, SanitizerReport.Parse(outcome.StandardError), -1);
            var files = Directory.GetFiles(logs);
            var text = string.Join("\n", files.Order(StringComparer.Ordinal).Select(File.ReadAllText));
            return new Observed(outcome, SanitizerReport.Parse(outcome.StandardError + "\n" + text), files.Length);
        }
        finally
        {
            if (logs is not null) try { Directory.Delete(logs, recursive: true); } catch (IOException) { }
        }
    }

    private static readonly string[] SanitizerVariables = ["ASAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"];

    /// <summary>A test's own sanitizer options come after the variant's (the later flag wins); other variables replace.</summary>
    private static string? Merge(string name, string? ours, string? theirs) =>
        SanitizerVariables.Contains(name) && ours is { Length: > 0 } && theirs is { Length: > 0 } ? ours + ":" + theirs : theirs;

    /// <summary>
    /// <see cref="ValidationOptions.Runs"/> rounds over every test; round k uses thread count k (cyclically). Stops at the
    /// first run that certainly failed (a timeout, a different output or exit code, an ASan or TSan report); UBSan
    /// reports do not stop the program, and are judged later against those the serial program has too.
    /// </summary>
    /// <param name="confirm">Confirms an output difference before it counts (null: every difference counts).</param>
    /// <param name="label">Who runs (a variant, `final`), for the confirmation's notes.</param>
    public async Task<List<RunRecord>> RunAsync(IReadOnlyList<TestCase> tests, IReadOnlyDictionary<string, ReferenceRun> reference,
        IReadOnlyDictionary<string, string?> variantEnvironment, CancellationToken cancel, DifferenceConfirmation? confirm = null, string label = "final",
        ReferenceRebuild? rebuild = null)
    {
        var runs = new List<RunRecord>();
        for (var round = 0; round < options.Runs; round++)
        {
            var threads = options.Threads[round % options.Threads.Count];
            foreach (var t in tests)
            {
                cancel.ThrowIfCancellationRequested();
                var record = await RunOneAsync(t, threads, reference, variantEnvironment, confirm, label, rebuild, cancel);
                runs.Add(record);
                if (record.TimedOut || record.Difference is not null || record.Findings.Any(f => f.Tool != "ubsan")) return runs;
            }
        }
        return runs;
    }

    private async Task<RunRecord> RunOneAsync(TestCase t, int threads, IReadOnlyDictionary<string, ReferenceRun> reference,
        IReadOnlyDictionary<string, string?> variantEnvironment, DifferenceConfirmation? confirm, string label, ReferenceRebuild? rebuild, CancellationToken cancel)
    {
        if (!reference.TryGetValue(t.Name, out var serial))
            return new RunRecord(t.Name, threads, -1, false, 0, "the serial build has no test of this name", 0, []);
        var environment = new Dictionary<string, string?>(variantEnvironment, StringComparer.Ordinal)
        {
            ["OMP_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // Oversubscribed threads that spin at barriers mostly burn the cores the other threads need.
        if (System.Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null) environment["OMP_WAIT_POLICY"] = "passive";
        // the test's own settings (ctest ENVIRONMENT) win
        foreach (var (k, v) in t.Environment) environment[k] = Merge(k, environment.GetValueOrDefault(k), v);
        // The reference is built the same way (same sanitizer); more threads than cores make a run slower still.
        var timeout = options.RunTimeoutSeconds ?? Math.Max(t.TimeoutSeconds ?? 0, Math.Max(300, serial.Seconds * 20));
        Observed observed;
        try
        {
            observed = await RunProcessAsync(t, environment, TimeSpan.FromSeconds(timeout), cancel);
            // Load on the machine comes and goes: a run past its limit gets one more try with twice the time before
            // the probe records a timeout (which blames no loop either way, PSLM5009).
            if (observed.Outcome.TimedOut)
            {
                progress($"test {t.Name} with {threads} threads did not finish within {timeout:F0} s; running it again with {2 * timeout:F0} s");
                observed = await RunProcessAsync(t, environment, TimeSpan.FromSeconds(2 * timeout), cancel);
            }
        }
        catch (Exception e) when (e is Win32Exception or FileNotFoundException or DirectoryNotFoundException)
        {
            return new RunRecord(t.Name, threads, -1, false, 0, $"could not start {t.CommandLine}: {e.Message}", 0, []);
        }
        var o = observed.Outcome;
        var findings = observed.Findings;
        string? difference = null;
        IReadOnlyList<int>? differing = null;
        var tolerated = 0;
        if (!o.TimedOut)
        {
            if (o.ExitCode != serial.ExitCode)
            {
                difference = $"exit code {o.ExitCode}, the serial build's {serial.ExitCode}{StderrTail(o.StandardError)}";
            }
            else if (!serial.OutputUnstable)
            {
                var actual = AsIfSerial(o.StandardOutput, t, serial);
                IReadOnlyCollection<int> Skip() => (serial.UnstableLines ?? []).Union(confirm?.VaryingFor(t.Name, serial.Output) ?? []).ToHashSet();
                var c = comparer.Compare(serial.Output, actual, Skip());
                differing = c.Equal ? null : comparer.DifferingLines(serial.Output, actual, Skip());
                // A difference on lines the reference printed alike so far: the reference runs again before it counts.
                if (confirm is not null && differing is { Count: > 0 } lines && !(await confirm.ConfirmAsync(label, t.Name, serial.Output, lines, cancel, rebuild)).Confirmed)
                {
                    c = comparer.Compare(serial.Output, actual, Skip());
                    differing = c.Equal ? null : comparer.DifferingLines(serial.Output, actual, Skip());
                }
                difference = c.Difference;
                tolerated = c.Tolerated;
            }
        }
        return new RunRecord(t.Name, threads, o.ExitCode, o.TimedOut, o.Elapsed.TotalSeconds, difference, tolerated, findings, observed.Started, differing);
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
