using System.ComponentModel;

namespace ParaSlm.Evaluation;

/// <summary>What one child process did.</summary>
/// <param name="StartError">Set when the process could not even be started (e.g. the executable does not exist).</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool TimedOut, string? StartError = null)
{
    public bool Ok => StartError is null && !TimedOut && ExitCode == 0;

    /// <summary>One line saying why the process failed, for tables and JSON.</summary>
    public string FailureReason()
    {
        if (StartError is not null) return StartError;
        if (TimedOut) return $"timed out after {Elapsed.TotalSeconds:F0} s";
        var signal = ExitCode > 128 && ExitCode < 160 ? $" (signal {ExitCode - 128})" : "";
        var detail = FailureText.FirstErrorLines(Stderr.Length > 0 ? Stderr : Stdout);
        return $"exit code {ExitCode}{signal}" + (detail.Length > 0 ? ": " + detail : "");
    }
}

/// <summary>
/// Child processes for the evaluation, run by <see cref="ToolProcess"/> (captured output, an environment
/// overlay, the whole tree killed at the time limit); a program that cannot be started is a result here, not an exception.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            var o = await ToolProcess.RunAsync(fileName, arguments, workingDirectory ?? Environment.CurrentDirectory, environment, timeout, cancel);
            return new ProcessResult(o.ExitCode, o.StandardOutput, o.StandardError, o.Elapsed, o.TimedOut);
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(-1, "", "", TimeSpan.Zero, false, $"cannot run {fileName}: {e.Message}");
        }
    }
}

/// <summary>Turns compiler and program output into the one-line reasons the report shows.</summary>
public static class FailureText
{
    /// <summary>The first error lines (<see cref="ErrorLines"/>; else the last non-empty lines), joined, at most ~300 characters.</summary>
    public static string FirstErrorLines(string text, int maxLines = 2)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = ErrorLines.In(lines, maxLines);
        if (errors.Count == 0) errors = lines.TakeLast(maxLines).ToList();
        var joined = string.Join(" | ", errors);
        return joined.Length <= 300 ? joined : joined[..297] + "...";
    }
}
