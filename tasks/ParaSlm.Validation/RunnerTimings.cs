using System.Text.RegularExpressions;

namespace ParaSlm.Validation;

/// <summary>
/// Parts of an output line that say when or how long, never what: a test runner's own durations (ctest's
/// `Passed    0.01 sec`, GoogleTest's `(3 ms)`, unittest's `Ran 4 tests in 0.002s`, pytest's `in 0.12s`), clock
/// times, and any number written with a unit of time (`took 0s`, `12.5 ms`). They differ on every run, so they are compared as a placeholder; the rest of the line (`Passed` or
/// `***Failed`, the test's name) is compared as usual. Applied always, whatever ParaSlmValidateIgnore says.
/// </summary>
public static partial class RunnerTimings
{
    private const string Placeholder = "…";

    /// <summary>The line with its timings replaced, and why (null when it had none).</summary>
    public static (string Text, string? Reason) Normalize(string line)
    {
        string? reason = null;
        var text = line;
        foreach (var (pattern, why) in Rules)
        {
            var replaced = pattern.Replace(text, m => m.Value.Replace(m.Groups["t"].Value, Placeholder, StringComparison.Ordinal));
            if (replaced == text) continue;
            text = replaced;
            reason ??= why;
        }
        // Runners pad durations to a column: `Passed    9.30 sec` and `Passed   10.30 sec` are the same line.
        if (reason is not null) text = PaddedPlaceholder().Replace(text, " " + Placeholder);
        return (text, reason);
    }

    [GeneratedRegex(@"\s+…", RegexOptions.CultureInvariant)]
    private static partial Regex PaddedPlaceholder();

    private static readonly (Regex Pattern, string Reason)[] Rules =
    [
        (CTestResult(), "ctest's own timing of a test (compared without the duration)"),
        (CTestTotal(), "ctest's total time (compared without the duration)"),
        (GTestDuration(), "GoogleTest's own timing (compared without the duration)"),
        (UnittestRan(), "the test runner's own timing (compared without the duration)"),
        (PytestSummary(), "pytest's own timing (compared without the duration)"),
        (ClockTime(), "a clock time (compared without it)"),
        (Duration(), "a duration (compared without it)"),
    ];

    // `  1/12 Test  #1: fft_f32 ..........   Passed    0.01 sec`
    [GeneratedRegex(@"^\s*\d+/\d+\s+Test\s+#\d+:.*?(?<t>\d+(?:\.\d+)?)\s+sec\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex CTestResult();

    [GeneratedRegex(@"^Total Test time \(real\) =\s*(?<t>\d+(?:\.\d+)?)\s+sec", RegexOptions.CultureInvariant)]
    private static partial Regex CTestTotal();

    // `[       OK ] Fft.Forward (3 ms)`, `[==========] 4 tests from 1 test suite ran. (12 ms total)`
    [GeneratedRegex(@"^\[[ =\-A-Z]+\].*\((?<t>\d+) ms(?: total)?\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex GTestDuration();

    [GeneratedRegex(@"^Ran \d+ tests? in (?<t>\d+(?:\.\d+)?)s\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex UnittestRan();

    // `===== 3 passed, 1 skipped in 0.12s =====`
    [GeneratedRegex(@"^=+ .*\b(?:passed|failed|error|skipped)\b.* in (?<t>\d+(?:\.\d+)?)s(?: \([0-9:]+\))? =+\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex PytestSummary();

    // `10000 complex ffts took 0s`, `solved in 12.5 ms`: a number with a unit of time is how long something took.
    [GeneratedRegex(@"(?<![\w.])(?<t>\d+(?:\.\d+)?)\s?(?:s|sec|secs|seconds?|ms|msec|us|usec|µs|ns|nsec)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();

    // 2026-12-05 08:07:40, 08:07:40.123 (a full time of day; `3:4` ratios are not clock times)
    [GeneratedRegex(@"(?<t>(?<!\d)(?:\d{4}-\d{2}-\d{2}[T ])?\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?!\d))", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTime();
}
