using System.ComponentModel;
using System.Diagnostics;

namespace ParaSlm.Cli.Evaluation;

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

/// <summary>Runs child processes with captured output, an environment overlay and a time limit (the whole tree is killed at the limit).</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, CancellationToken cancel)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment)
            {
                if (v is null) info.Environment.Remove(k);
                else info.Environment[k] = v;
            }

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(-1, "", "", clock.Elapsed, false, $"cannot run {fileName}: {e.Message}");
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancel.IsCancellationRequested;
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            cancel.ThrowIfCancellationRequested();
        }
        var elapsed = clock.Elapsed;
        return new ProcessResult(timedOut ? -1 : process.ExitCode, await stdout, await stderr, elapsed, timedOut);
    }

    /// <summary>The full path of an executable: an existing path as given, else the first match on PATH; null if none.</summary>
    public static string? Which(string name)
    {
        if (name.Contains(Path.DirectorySeparatorChar) || name.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }
}

/// <summary>Turns compiler and program output into the one-line reasons the report shows.</summary>
public static class FailureText
{
    /// <summary>The first lines that say "error" (else the last non-empty lines), joined, at most ~300 characters.</summary>
    public static string FirstErrorLines(string text, int maxLines = 2)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fatal", StringComparison.OrdinalIgnoreCase)).Take(maxLines).ToList();
        if (errors.Count == 0) errors = lines.TakeLast(maxLines).ToList();
        var joined = string.Join(" | ", errors);
        return joined.Length <= 300 ? joined : joined[..297] + "...";
    }
}
