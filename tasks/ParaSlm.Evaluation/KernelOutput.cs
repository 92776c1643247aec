using System.Globalization;

namespace ParaSlm.Evaluation;

/// <summary>The two lines every kernel prints: `checksum: &lt;value&gt;` and `time: &lt;seconds&gt; s`.</summary>
public sealed record KernelOutput(string Checksum, double Seconds)
{
    /// <summary>Relative tolerance for floating-point checksums (samples/kernels/README.md); integer checksums must be equal.</summary>
    public const double RelativeTolerance = 1e-9;

    public static KernelOutput? Parse(string stdout)
    {
        string? checksum = null;
        double? seconds = null;
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("checksum:", StringComparison.Ordinal)) checksum = line["checksum:".Length..].Trim();
            else if (line.StartsWith("time:", StringComparison.Ordinal))
            {
                var value = line["time:".Length..].Trim();
                if (value.EndsWith(" s", StringComparison.Ordinal)) value = value[..^2];
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s)) seconds = s;
            }
        }
        return checksum is null || seconds is null ? null : new KernelOutput(checksum, seconds.Value);
    }

    /// <summary>
    /// Whether <paramref name="actual"/> agrees with <paramref name="reference"/>: integers (no '.', 'e', inf, nan) exactly,
    /// floating point within <see cref="RelativeTolerance"/> of the larger magnitude. NaN never agrees.
    /// </summary>
    public static bool Agrees(string reference, string actual, out double relativeDifference)
    {
        relativeDifference = 0;
        if (IsInteger(reference) && IsInteger(actual))
        {
            var same = reference.TrimStart('+') == actual.TrimStart('+');
            relativeDifference = same ? 0 : double.PositiveInfinity;
            return same;
        }
        if (!double.TryParse(reference, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) ||
            !double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) ||
            double.IsNaN(a) || double.IsNaN(b))
        {
            relativeDifference = double.PositiveInfinity;
            return false;
        }
        if (a == b) return true;
        var scale = Math.Max(Math.Abs(a), Math.Abs(b));
        relativeDifference = double.IsInfinity(scale) ? double.PositiveInfinity : Math.Abs(a - b) / scale;
        return relativeDifference <= RelativeTolerance;
    }

    private static bool IsInteger(string s) => s.Length > 0 && s.TrimStart('+', '-').All(char.IsAsciiDigit) && s.TrimStart('+', '-').Length > 0;
}

/// <summary>Medians and geometric means, as the report uses them.</summary>
public static class Stats
{
    public static double Median(IReadOnlyCollection<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public static double GeoMean(IReadOnlyCollection<double> xs) =>
        xs.Count == 0 ? double.NaN : Math.Exp(xs.Sum(Math.Log) / xs.Count);
}
