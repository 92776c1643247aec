using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ParaSlm.Evaluation.Projects;

/// <summary>One run of one program in one build: its time, and the outputs its compare rule names (part → text).</summary>
public sealed record ProgramRun(double Seconds, IReadOnlyDictionary<string, string> Outputs);

/// <summary>Runs a suite program once and reads its time and outputs by the suite's rules.</summary>
public static class ProgramRunner
{
    /// <summary>The run's time and outputs, or why there are none (the process failed, no time found, a file not written).</summary>
    public static async Task<(ProgramRun? Run, string? Failure)> RunAsync(SuiteProgram p, string exe, string buildDir, string sourceDir, string workDir,
        IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, CancellationToken cancel)
    {
        string Expand(string s) => s.Replace("{build}", buildDir, StringComparison.Ordinal).Replace("{source}", sourceDir, StringComparison.Ordinal)
            .Replace("{work}", workDir, StringComparison.Ordinal);
        var env = new Dictionary<string, string?>(environment);
        foreach (var (k, v) in p.Environment) env[k] = Expand(v);
        var started = DateTime.UtcNow;
        var r = await ProcessRunner.RunAsync(exe, p.Args.Select(Expand), workDir, env, timeout, cancel);
        if (!r.Ok) return (null, r.FailureReason());
        var time = ReadTime(p.Time, r);
        if (time.Failure is not null) return (null, time.Failure);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in p.Compare.Streams) outputs[s] = s == "stdout" ? r.Stdout : r.Stderr;
        foreach (var f in p.Compare.Files)
        {
            var path = Path.Combine(workDir, f);
            // A file left by an earlier run must not pass for this run's output.
            if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) < started.AddSeconds(-2))
                return (null, $"the program did not write {f} (in {workDir})");
            outputs["file " + f] = await File.ReadAllTextAsync(path, cancel);
        }
        return (new ProgramRun(time.Seconds, outputs), null);
    }

    /// <summary>The run's time by <paramref name="rule"/>: the process's wall time, or the regex's number in the stream, scaled to seconds.</summary>
    public static (double Seconds, string? Failure) ReadTime(TimeRule rule, ProcessResult r)
    {
        if (rule.Regex is null) return (r.Elapsed.TotalSeconds, null);
        var text = rule.Stream == "stdout" ? r.Stdout : r.Stderr;
        var m = rule.Regex.Match(text);
        if (!m.Success) return (0, $"no time: /{rule.Regex}/ matched nothing in {rule.Stream} ({Head(text)})");
        var g = m.Groups["time"].Success ? m.Groups["time"] : m.Groups.Count > 1 ? m.Groups[1] : m.Groups[0];
        if (!double.TryParse(g.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsNaN(value))
            return (0, $"no time: /{rule.Regex}/ matched '{g.Value}' in {rule.Stream}, which is not a number of {rule.Unit}");
        return (value * rule.Scale, null);
    }

    private static string Head(string text)
    {
        var t = text.Trim();
        if (t.Length == 0) return "it printed nothing";
        var line = t.Split('\n')[0].Trim();
        return "first line: " + (line.Length <= 60 ? line : line[..57] + "...");
    }

    /// <summary>A short digest of a run's outputs for the report (equal digests: byte-equal outputs).</summary>
    public static string Digest(IReadOnlyDictionary<string, string> outputs)
    {
        if (outputs.Count == 0) return "nothing compared";
        return string.Join("; ", outputs.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o =>
            $"{o.Key} {Encoding.UTF8.GetByteCount(o.Value)} bytes sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(o.Value)))[..12]}"));
    }
}
