using System.Text;
using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Engine.Reporting.AzureDevOps;

/// <summary>
/// In an Azure Pipelines step (TF_BUILD=True): every PSLM diagnostic the engine or validation reports is also queued as
/// a `task.logissue` command in <see cref="QueueFileName"/> (the build relays the queue once, after its last ParaSlm
/// step, through a message MSBuild never parses as a diagnostic of its own), and progress becomes `task.setprogress`
/// on the live stream. Outside Azure Pipelines there is no log at all (<see cref="Create"/> returns null).
/// </summary>
public sealed class AzureDevOpsLog
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

    /// <param name="live">Where progress commands go at once: the stream the build shows at any verbosity (stderr).</param>
    public static AzureDevOpsLog? Create(string intermediateDir, TextWriter live, Func<string, string?>? environment = null) =>
        AzureDevOpsCommands.IsActive(environment ?? Environment.GetEnvironmentVariable)
            ? new AzureDevOpsLog(Path.Combine(Path.GetFullPath(intermediateDir), QueueFileName), live)
            : null;

    /// <summary>Queues a warning or error (an info is no issue); a diagnostic without a file is placed at <paramref name="origin"/>
    /// when that is a path (the project), never at the tool's own name.</summary>
    public void Issue(Diagnostic d, string? origin = null)
    {
        if (d.Severity == Severity.Info) return;
        var place = d.File ?? (origin is { Length: > 0 } o && !o.Equals("ParaSlm", StringComparison.OrdinalIgnoreCase) ? o : null);
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_queue)!);
            File.AppendAllText(_queue, AzureDevOpsCommands.LogIssue(d with { File = place }) + "\n", new UTF8Encoding(false));
        }
    }

    /// <summary>Each value once: the end of a run says 100 even when no per-source step did.</summary>
    public void Progress(int percent)
    {
        lock (_gate)
        {
            if (percent == _progress) return;
            _progress = percent;
        }
        _live.WriteLine(AzureDevOpsCommands.SetProgress(percent, "ParaSlm analysis"));
    }
}
