using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Engine.Reporting.AzureDevOps;

/// <summary>
/// In an Azure Pipelines step (TF_BUILD=True): every PSLM diagnostic the engine or validation prints is also queued as a
/// `task.logissue` command in <see cref="QueueFileName"/> (the build relays the queue once, after its last ParaSlm step,
/// through a message MSBuild never parses as a diagnostic of its own), and the engine's progress becomes
/// `task.setprogress` on the live stream. Outside Azure Pipelines the writers are not wrapped at all.
/// </summary>
public sealed partial class AzureDevOpsLog
{
    public const string QueueFileName = "paraslm.azure-devops.txt";

    private readonly string _queue;
    private readonly TextWriter _live;
    private readonly object _gate = new();
    private int _progress = -1;

    private AzureDevOpsLog(string queue, TextWriter live)
    {
        _queue = queue;
        _live = live;
    }

    /// <summary>The CLI's writers, wrapped when running in Azure Pipelines; unchanged otherwise.</summary>
    /// <param name="live">Where progress commands go at once: the stream the build shows at any verbosity (stderr).</param>
    public static (TextWriter Output, TextWriter Error) Wrap(string intermediateDir, TextWriter output, TextWriter error, Func<string, string?>? environment = null)
    {
        if (!AzureDevOpsCommands.IsActive(environment ?? Environment.GetEnvironmentVariable)) return (output, error);
        var log = new AzureDevOpsLog(Path.Combine(Path.GetFullPath(intermediateDir), QueueFileName), error);
        return (new LineWriter(output, log.OnLine), new LineWriter(error, log.OnLine));
    }

    [GeneratedRegex(@"^ParaSlm: \[(?<k>\d+)/(?<n>\d+)\] ", RegexOptions.ExplicitCapture)]
    private static partial Regex ProgressLine();

    private void OnLine(string line)
    {
        if (Diagnostic.Parse(line) is { } d)
        {
            lock (_gate)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_queue)!);
                File.AppendAllText(_queue, AzureDevOpsCommands.LogIssue(d) + "\n", new UTF8Encoding(false));
            }
            return;
        }
        var m = ProgressLine().Match(line);
        if (m.Success && int.TryParse(m.Groups["n"].Value, out var n) && n > 0 && int.TryParse(m.Groups["k"].Value, out var k))
            Progress(k * 100 / n);
        else if (line.StartsWith("ParaSlm: ", StringComparison.Ordinal) && line.Contains(" — report: ", StringComparison.Ordinal))
            Progress(100);
    }

    /// <summary>Each value once: the end of a run says 100 even when no per-source line did.</summary>
    private void Progress(int percent)
    {
        if (percent == _progress) return;
        _progress = percent;
        _live.WriteLine(AzureDevOpsCommands.SetProgress(percent, "ParaSlm analysis"));
    }

    /// <summary>Passes every write through as it comes (one write each, as before) and hands each complete line to an observer.</summary>
    private sealed class LineWriter(TextWriter inner, Action<string> onLine) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            inner.Write(value);
            Feed(value);
        }

        public override void Write(string? value)
        {
            inner.Write(value);
            foreach (var c in value ?? string.Empty) Feed(c);
        }

        public override void WriteLine(string? value)
        {
            inner.WriteLine(value);
            foreach (var c in value ?? string.Empty) Feed(c);
            Feed('\n');
        }

        public override void Flush() => inner.Flush();

        private void Feed(char c)
        {
            if (c != '\n')
            {
                _line.Append(c);
                return;
            }
            var text = _line.ToString().TrimEnd('\r');
            _line.Clear();
            onLine(text);
        }
    }
}
