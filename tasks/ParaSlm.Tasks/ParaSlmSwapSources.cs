using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Contracts;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// For every compile item the engine rewrote, makes a copy pointing at the rewritten file with all of the original's
/// metadata, the original folder first in AdditionalIncludeDirectories (the rewritten file lives elsewhere, so
/// <c>#include "…"</c> must still find its neighbours) and OpenMP switched on. Items the engine left alone are not
/// touched and keep compiling from their original path.
/// </summary>
public sealed class ParaSlmSwapSources : Task
{
    /// <summary>ParaSlmAzureDevOps (empty: TF_BUILD=True): its PSLM diagnostics are also Azure Pipelines issues.</summary>
    public string AzureDevOps { get; set; } = string.Empty;

    /// <summary>The compile items (ClCompile) that were handed to the engine.</summary>
    [Required] public ITaskItem[] Sources { get; set; } = [];

    /// <summary>The results of <see cref="ParaSlmReadOutputs"/>.</summary>
    public ITaskItem[] Results { get; set; } = [];

    /// <summary>Appended to AdditionalOptions of swapped items (e.g. /openmp:llvm or -fopenmp); empty for none.</summary>
    public string OpenMPOptions { get; set; } = string.Empty;

    /// <summary>Sets OpenMPSupport=true on swapped items (the VC++ switch for /openmp).</summary>
    public bool OpenMPSupport { get; set; } = true;

    [Output] public ITaskItem[] Swapped { get; private set; } = [];
    [Output] public ITaskItem[] Replaced { get; private set; } = [];

    public override bool Execute()
    {
        var rewritten = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in Results)
        {
            var file = result.GetMetadata("Rewritten");
            if (result.GetMetadata("Status") == EngineOutputs.Rewritten && file.Length > 0)
            {
                rewritten[Files.Normalize(result.ItemSpec)] = file;
            }
        }

        var swapped = new List<ITaskItem>();
        var replaced = new List<ITaskItem>();
        foreach (var source in Sources)
        {
            var original = source.GetMetadata("FullPath");
            if (!rewritten.TryGetValue(Files.Normalize(original), out var file)) continue;
            if (!File.Exists(file))
            {
                AzureDevOpsIssues.Warning(Log, AzureDevOps, "PSLM1011", original, 0, 0,
                    $"ParaSlm: the rewritten file '{file}' is missing, so this file compiles unchanged. Rebuild to regenerate it.");
                continue;
            }
            swapped.Add(Swap(source, original, file));
            replaced.Add(source);
            Log.LogMessage(MessageImportance.Low, $"ParaSlm: compiling {file} instead of {original}");
        }
        Swapped = swapped.ToArray();
        Replaced = replaced.ToArray();
        return true;
    }

    private ITaskItem Swap(ITaskItem source, string original, string file)
    {
        // The copy constructor keeps every custom metadata value exactly (escaped form included).
        var item = new TaskItem(source) { ItemSpec = MSBuildEscaping.Escape(file) };
        item.SetMetadata("ParaSlmOriginal", MSBuildEscaping.Escape(original));

        var originalDirectory = MSBuildEscaping.Escape(Path.GetDirectoryName(original) ?? string.Empty);
        var includes = Escaped(source, "AdditionalIncludeDirectories");
        item.SetMetadata("AdditionalIncludeDirectories", includes.Length == 0 ? originalDirectory : originalDirectory + ";" + includes);

        if (OpenMPSupport) item.SetMetadata("OpenMPSupport", "true");
        if (OpenMPOptions.Trim().Length > 0)
        {
            var options = Escaped(source, "AdditionalOptions");
            var extra = MSBuildEscaping.Escape(OpenMPOptions.Trim());
            if (options.IndexOf(extra, StringComparison.Ordinal) < 0)
            {
                item.SetMetadata("AdditionalOptions", options.Length == 0 ? extra : options + " " + extra);
            }
        }
        return item;
    }

    private static string Escaped(ITaskItem item, string name) =>
        (item is ITaskItem2 item2 ? item2.GetMetadataValueEscaped(name) : MSBuildEscaping.Escape(item.GetMetadata(name))).Trim();
}
