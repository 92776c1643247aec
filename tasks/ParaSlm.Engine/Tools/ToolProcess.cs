using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ParaSlm.Engine.Tools;

/// <summary>How a child process ended: exit code, what it printed (capped), whether it ran out of time, how long it took.</summary>
public sealed record ProcessOutcome(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, TimeSpan Elapsed)
{
    /// <summary>stdout and stderr, for build logs where both matter.</summary>
    public string Combined => StandardOutput.Length == 0 ? StandardError : StandardError.Length == 0 ? StandardOutput : StandardOutput + "\n" + StandardError;
}

/// <summary>
/// Runs builds and the programs under test. Output is captured up to a cap (a program that prints gigabytes must not
/// take the engine down with it), a run that exceeds its time is killed with its whole process tree, and cancellation
/// kills too.
/// </summary>
public static class ToolProcess
{
    /// <summary>Per stream: enough for any test's output and the head of the biggest sanitizer report.</summary>
    public const int OutputCap = 8 * 1024 * 1024;

    /// <exception cref="Win32Exception">The program could not be started (missing, not executable).</exception>
    public static async Task<ProcessOutcome> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, CancellationToken cancel)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.Start();
        process.StandardInput.Close(); // a test that reads stdin gets end-of-file, never a hang
        var stdout = ReadCappedAsync(process.StandardOutput);
        var stderr = ReadCappedAsync(process.StandardError);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            cancel.ThrowIfCancellationRequested();
            timedOut = true;
        }
        var (o, e) = (await stdout, await stderr);
        clock.Stop();
        return new ProcessOutcome(timedOut ? -1 : process.ExitCode, o, e, timedOut, clock.Elapsed);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static async Task<string> ReadCappedAsync(StreamReader reader)
    {
        var sb = new StringBuilder();
        var buffer = new char[16384];
        int n;
        while ((n = await reader.ReadAsync(buffer.AsMemory())) > 0)
        {
            // Keep reading past the cap (the child must never block on a full pipe), but stop storing.
            if (sb.Length < OutputCap) sb.Append(buffer, 0, Math.Min(n, OutputCap - sb.Length));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The full path of an executable: a name with a folder in it is a path (checked as given); otherwise the first
    /// match on PATH (with the Windows extensions). Null if none.
    /// </summary>
    public static string? FindOnPath(string name)
    {
        if (Path.IsPathRooted(name) || name.Contains(Path.DirectorySeparatorChar) || name.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", ".bat", string.Empty } : [string.Empty];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var ext in extensions)
            {
                var candidate = Path.Combine(dir, name + ext);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
