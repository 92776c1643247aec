using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Contracts;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>Reads the engine's <c>paraslm.outputs.tsv</c> into items; a missing table (first build) gives none.</summary>
public sealed class ParaSlmReadOutputs : Task
{
    [Required] public string OutputsFile { get; set; } = string.Empty;

    /// <summary>One item per source: identity = the original file, metadata Rewritten, Status, Loops, Parallel.</summary>
    [Output] public ITaskItem[] Results { get; private set; } = [];

    /// <summary>The rewritten files (for FileWrites and the next build's Outputs), metadata Original.</summary>
    [Output] public ITaskItem[] RewrittenFiles { get; private set; } = [];

    public override bool Execute()
    {
        var outputs = EngineOutputs.Read(OutputsFile);
        Results = outputs.Select(o =>
        {
            var item = new TaskItem(MSBuildEscaping.Escape(o.Original));
            item.SetMetadata("Rewritten", MSBuildEscaping.Escape(o.IsRewritten ? o.Rewritten! : string.Empty));
            item.SetMetadata("Status", o.Status);
            item.SetMetadata("Loops", o.Loops.ToString(System.Globalization.CultureInfo.InvariantCulture));
            item.SetMetadata("Parallel", o.Parallel.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (ITaskItem)item;
        }).ToArray();
        RewrittenFiles = outputs.Where(o => o.IsRewritten).Select(o =>
        {
            var item = new TaskItem(MSBuildEscaping.Escape(o.Rewritten!));
            item.SetMetadata("Original", MSBuildEscaping.Escape(o.Original));
            return (ITaskItem)item;
        }).ToArray();
        return true;
    }
}
