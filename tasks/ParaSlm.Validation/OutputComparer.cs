using System.Globalization;
using System.Text.RegularExpressions;

namespace ParaSlm.Validation;

/// <summary>The verdict on one run's output against the serial build's.</summary>
/// <param name="Difference">Null when equal; otherwise the first difference in words (`line 3: serial "…", got "…"`).</param>
/// <param name="Tolerated">Floating-point numbers that differ in their text but lie within the tolerance.</param>
public sealed record OutputComparison(string? Difference, int Tolerated)
{
    public bool Equal => Difference is null;
}

/// <summary>
/// Compares a program's output with the serial build's, line by line, the way a person would judge a parallel
/// program: lines that report timing are ignored (they differ on every run), integers must be equal, and
/// floating-point numbers may differ within a relative tolerance (a parallel reduction adds in another order).
/// </summary>
/// <remarks>
/// A number is floating-point when it is written with a decimal point, an exponent, or as inf/nan. Magnitudes below 1
/// are compared absolutely (|a − b| ≤ tolerance): a reordered sum that cancels to nearly zero has no meaningful
/// relative error. Numbers are only recognised as whole words, so `x86`, `v2` or `kernel_3` are text.
/// </remarks>
public sealed partial class OutputComparer(double tolerance, Regex? ignore)
{
    /// <summary>Lines containing "time" or "elapsed" (any case): timings differ on every run.</summary>
    public const string DefaultIgnorePattern = "(?i)time|elapsed";

    public const double DefaultTolerance = 1e-6;

    public double Tolerance { get; } = tolerance;

    public static OutputComparer Create(double? tolerance, string? ignorePattern) =>
        new(tolerance ?? DefaultTolerance, ignorePattern is null ? new Regex(DefaultIgnorePattern, RegexOptions.CultureInvariant)
            : ignorePattern.Length == 0 ? null : new Regex(ignorePattern, RegexOptions.CultureInvariant));

    /// <param name="skip">Line numbers (1-based) not to compare: those the serial build itself prints differently
    /// from run to run (<see cref="UnstableLines"/>). The line must still be there.</param>
    public OutputComparison Compare(string expected, string actual, IReadOnlyCollection<int>? skip = null)
    {
        var e = Lines(expected);
        var a = Lines(actual);
        var tolerated = 0;
        for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
        {
            if (i >= e.Count) return new($"line {a[i].Number}: the serial build printed nothing more, this run printed {Quote(a[i].Text)}", tolerated);
            if (i >= a.Count) return new($"line {e[i].Number}: the serial build printed {Quote(e[i].Text)}, this run printed nothing more", tolerated);
            if (skip is not null && skip.Contains(e[i].Number) && a[i].Number == e[i].Number) continue;
            var (same, numbers) = SameLine(e[i].Text, a[i].Text);
            if (!same) return new($"line {a[i].Number}: serial {Quote(e[i].Text)}, got {Quote(a[i].Text)}", tolerated);
            tolerated += numbers;
        }
        return new(null, tolerated);
    }

    /// <summary>
    /// Every line (1-based, the reference's numbering) on which <paramref name="actual"/> differs from
    /// <paramref name="expected"/>, <paramref name="skip"/> left out; null when the outputs do not line up (a different
    /// number of lines, or different lines ignored): such a difference is never a matter of single lines.
    /// </summary>
    /// <remarks>Validation confirms a difference line by line (<see cref="DifferenceConfirmation"/>): a line the
    /// reference itself prints differently in a fresh run explains nothing about a loop.</remarks>
    public IReadOnlyList<int>? DifferingLines(string expected, string actual, IReadOnlyCollection<int>? skip = null)
    {
        var e = Lines(expected);
        var a = Lines(actual);
        if (e.Count != a.Count) return null;
        var differing = new List<int>();
        for (var i = 0; i < e.Count; i++)
        {
            if (e[i].Number != a[i].Number) return null;
            if (skip is not null && skip.Contains(e[i].Number)) continue;
            if (!SameLine(e[i].Text, a[i].Text).Same) differing.Add(e[i].Number);
        }
        return differing;
    }

    /// <summary>The text of line <paramref name="line"/> (1-based) of <paramref name="output"/>, or empty.</summary>
    public static string LineAt(string output, int line)
    {
        var lines = RawLines(output);
        return line >= 1 && line <= lines.Count ? lines[line - 1] : string.Empty;
    }

    /// <summary>
    /// The lines (1-based) on which two outputs of the same serial program disagree — beyond the tolerance, and not
    /// already ignored. Empty when the outputs do not line up (a different number of lines): then nothing is skipped,
    /// and the difference shows wherever it matters.
    /// </summary>
    public IReadOnlyList<int> UnstableLines(string first, string second)
    {
        var x = Lines(first);
        var y = Lines(second);
        if (x.Count != y.Count) return [];
        var unstable = new List<int>();
        for (var i = 0; i < x.Count; i++)
        {
            if (x[i].Number != y[i].Number) return [];
            if (!SameLine(x[i].Text, y[i].Text).Same) unstable.Add(x[i].Number);
        }
        return unstable;
    }

    /// <summary>Whether two outputs have the same lines to compare (same count, same numbering after ignored lines).</summary>
    public bool SameShape(string first, string second)
    {
        var x = Lines(first);
        var y = Lines(second);
        return x.Count == y.Count && x.Zip(y).All(p => p.First.Number == p.Second.Number);
    }

    /// <summary>Equal text around the numbers, equal integers, floating-point numbers within tolerance.</summary>
    private (bool Same, int Tolerated) SameLine(string expected, string actual)
    {
        if (expected == actual) return (true, 0);
        var e = Tokens(expected);
        var a = Tokens(actual);
        if (e.Count != a.Count) return (false, 0);
        var tolerated = 0;
        for (var i = 0; i < e.Count; i++)
        {
            var (x, y) = (e[i], a[i]);
            if (x.Text == y.Text) continue;
            if (!x.IsNumber || !y.IsNumber) return (false, 0);
            if (!(x.IsFloat || y.IsFloat) || !Close(x.Text, y.Text)) return (false, 0);
            tolerated++;
        }
        return (true, tolerated);
    }

    private bool Close(string x, string y)
    {
        if (!double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) ||
            !double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)) return false;
        if (double.IsNaN(a) || double.IsNaN(b)) return double.IsNaN(a) && double.IsNaN(b);
        if (double.IsInfinity(a) || double.IsInfinity(b)) return a == b;
        return Math.Abs(a - b) <= Tolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));
    }

    private List<(int Number, string Text)> Lines(string output)
    {
        var lines = RawLines(output);
        var kept = new List<(int, string)>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var text = lines[i];
            if (ignore is not null && ignore.IsMatch(text)) continue;
            kept.Add((i + 1, RunnerTimings.Normalize(text).Text));
        }
        return kept;
    }

    private static List<string> RawLines(string output)
    {
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var count = lines.Length;
        while (count > 0 && lines[count - 1].Length == 0) count--;
        return lines.Take(count).Select(l => l.TrimEnd()).ToList();
    }

    /// <summary>
    /// The lines of <paramref name="output"/> that no comparison looks at, or only in part, with the reason: those the
    /// ignore pattern matches, test runners' own timings and clock times (compared without them), and
    /// <paramref name="unstable"/> (the lines two reference runs disagree on).
    /// </summary>
    public IReadOnlyList<IgnoredLine> Ignored(string test, string output, IReadOnlyCollection<int>? unstable)
    {
        var found = new List<IgnoredLine>();
        var lines = RawLines(output);
        for (var i = 0; i < lines.Count; i++)
        {
            var text = lines[i];
            if (ignore is not null && ignore.IsMatch(text))
                found.Add(new IgnoredLine(test, i + 1, text, $"matches the ignore pattern ParaSlmValidateIgnore '{ignore}'"));
            else if (unstable is not null && unstable.Contains(i + 1))
                found.Add(new IgnoredLine(test, i + 1, text, "differs between two runs of the reference program (a clock, an address or a random seed)"));
            else if (RunnerTimings.Normalize(text).Reason is { } why)
                found.Add(new IgnoredLine(test, i + 1, text, why));
        }
        return found;
    }

    private readonly record struct Token(string Text, bool IsNumber, bool IsFloat);

    private static List<Token> Tokens(string line)
    {
        var tokens = new List<Token>();
        var at = 0;
        foreach (Match m in NumberPattern().Matches(line))
        {
            if (m.Index > at) tokens.Add(new Token(line[at..m.Index], false, false));
            var t = m.Value;
            var isFloat = t.IndexOfAny(['.', 'e', 'E', 'n', 'N', 'i', 'I']) >= 0;
            tokens.Add(new Token(t, true, isFloat));
            at = m.Index + m.Length;
        }
        if (at < line.Length) tokens.Add(new Token(line[at..], false, false));
        return tokens;
    }

    private static string Quote(string s) => "\"" + (s.Length > 160 ? s[..160] + "…" : s) + "\"";

    [GeneratedRegex(@"(?<![\w.])[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|(?i:inf(?:inity)?|nan))(?![\w.])", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
