using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Evaluation.Projects;

/// <summary>
/// Compares a run's output with the reference run's. Exact mode: the same text. Numbers mode: the text between
/// numbers must be the same (whitespace aside, since printf widths move with the value), and each pair of numbers
/// must be equal at the precision they were printed with: a number printed with d decimals (or d digits after the
/// point of a mantissa) may differ by one unit in that last digit — two values a hair apart round to neighbouring
/// printed values — and an integer must be equal. An optional relative tolerance accepts more.
/// </summary>
public static partial class OutputComparer
{
    [GeneratedRegex(@"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    /// <summary>Null when <paramref name="actual"/> agrees with <paramref name="reference"/>, else where and how it first differs.</summary>
    public static string? Difference(string reference, string actual, CompareRule rule)
    {
        reference = Normalize(reference, rule.Ignore);
        actual = Normalize(actual, rule.Ignore);
        if (!rule.Numbers) return reference == actual ? null : FirstTextDifference(reference, actual);

        var a = Number().EnumerateMatches(reference);
        var b = Number().EnumerateMatches(actual);
        int pa = 0, pb = 0, count = 0;
        while (true)
        {
            var hasA = a.MoveNext();
            var hasB = b.MoveNext();
            var endA = hasA ? a.Current.Index : reference.Length;
            var endB = hasB ? b.Current.Index : actual.Length;
            if (!SameText(reference.AsSpan(pa, endA - pa), actual.AsSpan(pb, endB - pb), out var ia, out var ib))
                return $"the text differs near line {Line(actual, pb + ib)}: '{Excerpt(reference, LineStart(reference, pa + ia))}' vs '{Excerpt(actual, LineStart(actual, pb + ib))}'";
            if (!hasA || !hasB)
            {
                if (hasA == hasB) return null;
                return $"{(hasA ? "fewer" : "more")} numbers than the reference ({count} in common)";
            }
            count++;
            var x = reference.AsSpan(a.Current.Index, a.Current.Length);
            var y = actual.AsSpan(b.Current.Index, b.Current.Length);
            if (!NumbersAgree(x, y, rule.Tolerance, out var allowed))
                return $"number {count} (line {Line(actual, b.Current.Index)}) is {y.ToString()}, the reference has {x.ToString()}" +
                       (allowed is { } u ? $" (printed precision {u.ToString("G3", CultureInfo.InvariantCulture)})" : " (integers must be equal)");
            pa = a.Current.Index + a.Current.Length;
            pb = b.Current.Index + b.Current.Length;
        }
    }

    /// <summary>Whether two printed numbers are equal at their printed precision (<paramref name="unit"/>: one unit in the coarser last digit; null for two integers).</summary>
    public static bool NumbersAgree(ReadOnlySpan<char> x, ReadOnlySpan<char> y, double tolerance, out double? unit)
    {
        unit = null;
        if (x.SequenceEqual(y)) return true;
        var ix = IsInteger(x);
        var iy = IsInteger(y);
        if (ix && iy)
            return tolerance > 0 && Parse(x) is var a && Parse(y) is var b && Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b));
        var va = Parse(x);
        var vb = Parse(y);
        unit = Math.Max(Unit(x), Unit(y));
        var diff = Math.Abs(va - vb);
        // The 1e-9 slack absorbs the binary representation of the decimal unit itself (0.01 is not exact).
        if (diff <= unit.Value * (1 + 1e-9)) return true;
        return tolerance > 0 && diff <= tolerance * Math.Max(Math.Abs(va), Math.Abs(vb));
    }

    /// <summary>One unit in the last printed digit: 10^-decimals, times 10^exponent for scientific notation.</summary>
    public static double Unit(ReadOnlySpan<char> number)
    {
        var e = number.IndexOfAny('e', 'E');
        var mantissa = e >= 0 ? number[..e] : number;
        var exponent = e >= 0 ? int.Parse(number[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var dot = mantissa.IndexOf('.');
        var decimals = dot < 0 ? 0 : mantissa.Length - dot - 1;
        return Math.Pow(10, exponent - decimals);
    }

    private static bool IsInteger(ReadOnlySpan<char> s) => s.IndexOfAny('.', 'e', 'E') < 0;

    private static double Parse(ReadOnlySpan<char> s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Equal but for whitespace; else <paramref name="i"/>, <paramref name="j"/> are where they part.</summary>
    private static bool SameText(ReadOnlySpan<char> a, ReadOnlySpan<char> b, out int i, out int j)
    {
        i = 0;
        j = 0;
        while (true)
        {
            while (i < a.Length && char.IsWhiteSpace(a[i])) i++;
            while (j < b.Length && char.IsWhiteSpace(b[j])) j++;
            if (i == a.Length || j == b.Length) return i == a.Length && j == b.Length;
            if (a[i] != b[j]) return false;
            i++;
            j++;
        }
    }

    private static int LineStart(string s, int index) => index <= 0 ? 0 : s.LastIndexOf('\n', Math.Min(index, s.Length) - 1) + 1;

    /// <summary>CR LF as LF; the ignored lines left out.</summary>
    public static string Normalize(string text, IReadOnlyList<Regex> ignore)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (ignore.Count == 0) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
            if (!ignore.Any(r => r.IsMatch(line))) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    private static string FirstTextDifference(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < n && a[i] == b[i]) i++;
        var start = a.LastIndexOf('\n', Math.Max(0, i - 1)) + 1;
        if (i == n && i > 0 && a[i - 1] == '\n') start = i;
        return $"line {Line(b, i)} differs: '{Excerpt(a, start)}' vs '{Excerpt(b, start)}'";
    }

    private static int Line(string s, int index) => s.AsSpan(0, Math.Min(index, s.Length)).Count('\n') + 1;

    private static string Excerpt(string s, int from)
    {
        if (from >= s.Length) return "<end of output>";
        var end = s.IndexOf('\n', from);
        var line = end < 0 ? s[from..] : s[from..end];
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}
