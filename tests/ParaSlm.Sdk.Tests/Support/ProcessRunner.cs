using System.Diagnostics;
using System.Text;

namespace ParaSlm.Sdk.Tests.Support;

public static class ProcessRunner
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            if (value is not null) info.Environment[name] = value;
        }

        var all = new StringBuilder();
        var stdout = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (all)
            {
                all.AppendLine(e.Data);
                stdout.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (all) all.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"`{fileName} {string.Join(' ', info.ArgumentList)}` did not finish within {limit}:\n{ProcessResult.Tail(all.ToString())}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        clock.Stop();
        lock (all)
        {
            return new ProcessResult($"{fileName} {string.Join(' ', info.ArgumentList)}", process.ExitCode, all.ToString(), stdout.ToString(), clock.Elapsed);
        }
    }
}
