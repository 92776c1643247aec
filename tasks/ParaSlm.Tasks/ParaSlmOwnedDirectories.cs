using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// Creates a folder and marks it (and each parent it had to create, when asked) as created by ParaSlm, so that
/// clean can delete exactly what ParaSlm made and never a folder the user pointed it at.
/// </summary>
public sealed class ParaSlmCreateOwnedDirectory : Task
{
    [Required] public string Directory { get; set; } = string.Empty;

    /// <summary>Also mark the parents this task creates (e.g. <c>build/</c> for <c>build/paraslm</c>).</summary>
    public bool MarkCreatedParents { get; set; }

    public override bool Execute()
    {
        var full = Path.GetFullPath(Directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (System.IO.Directory.Exists(full)) return true;

        var created = new List<string>();
        for (var current = full; current is not null && !System.IO.Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            created.Add(current);
        }
        System.IO.Directory.CreateDirectory(full);
        foreach (var directory in created.Take(MarkCreatedParents ? created.Count : 1))
        {
            File.WriteAllText(Path.Combine(directory, Files.OwnedMarker), "Created by ParaSlm.Sdk; 'dotnet clean' deletes this folder.\n");
        }
        return true;
    }
}

/// <summary>Deletes the folders ParaSlm created (those with its marker), then parents it created that are left empty.</summary>
public sealed class ParaSlmRemoveOwnedDirectories : Task
{
    /// <summary>ParaSlmAzureDevOps (empty: TF_BUILD=True): its PSLM diagnostics are also Azure Pipelines issues.</summary>
    public string AzureDevOps { get; set; } = string.Empty;

    public ITaskItem[] Directories { get; set; } = [];

    public override bool Execute()
    {
        foreach (var item in Directories)
        {
            var directory = Path.GetFullPath(item.ItemSpec).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            if (directory.Length == 0) continue;
            if (!File.Exists(Path.Combine(directory, Files.OwnedMarker)))
            {
                if (System.IO.Directory.Exists(directory))
                {
                    Log.LogMessage(MessageImportance.Normal, $"ParaSlm: not deleting {directory}: ParaSlm did not create it.");
                }
                continue;
            }
            Delete(directory);
            for (var parent = Path.GetDirectoryName(directory); parent is not null; parent = Path.GetDirectoryName(parent))
            {
                var marker = Path.Combine(parent, Files.OwnedMarker);
                if (!File.Exists(marker) || System.IO.Directory.EnumerateFileSystemEntries(parent).Any(e => e != marker)) break;
                Delete(parent);
            }
        }
        return !Log.HasLoggedErrors;
    }

    private void Delete(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
            Log.LogMessage(MessageImportance.Normal, $"ParaSlm: deleted {directory}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AzureDevOpsIssues.Warning(Log, AzureDevOps, "PSLM1012", directory, 0, 0,
                $"ParaSlm: could not delete {directory} ({e.Message}). Close programs that use files in it and clean again.");
        }
    }
}
