using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// Finds cmake (PSLM1001 when it is missing, saying how to get it) and picks the Ninja generator when the project
/// did not choose one and ninja is on PATH: Ninja exports compile_commands.json and rebuilds fastest.
/// </summary>
public sealed class ParaSlmResolveCMake : Task
{
    /// <summary>ParaSlmAzureDevOps (empty: TF_BUILD=True): its PSLM diagnostics are also Azure Pipelines issues.</summary>
    public string AzureDevOps { get; set; } = string.Empty;

    /// <summary>A name to look up on PATH or a full path.</summary>
    public string CMakeExe { get; set; } = "cmake";

    public string Generator { get; set; } = string.Empty;

    [Output] public string CMakePath { get; private set; } = string.Empty;
    [Output] public string ResolvedGenerator { get; private set; } = string.Empty;

    public override bool Execute()
    {
        var name = CMakeExe.Trim().Trim('"');
        if (name.Length == 0) name = "cmake";
        var path = Files.FindOnPath(name);
        if (path is null)
        {
            var looked = Path.IsPathRooted(name) ? $"'{name}' does not exist" : $"'{name}' is not on PATH";
            AzureDevOpsIssues.Error(Log, AzureDevOps, "PSLM1001", BuildEngine?.ProjectFileOfTaskNode, 0, 0,
                $"ParaSlm: CMake was not found ({looked}). ParaSlm builds CMake projects with CMake 3.19 or newer: install it "
                + "(Debian/Ubuntu: apt-get install cmake; Windows: winget install Kitware.CMake; macOS: brew install cmake) "
                + "or set ParaSlmCMakeExe to the full path of cmake.");
            return false;
        }
        CMakePath = path;

        ResolvedGenerator = Generator.Trim();
        // CMAKE_GENERATOR in the environment is CMake's own way to choose; respect it.
        if (ResolvedGenerator.Length == 0
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CMAKE_GENERATOR"))
            && Files.FindOnPath("ninja") is not null)
        {
            ResolvedGenerator = "Ninja";
        }
        Log.LogMessage(MessageImportance.Low, $"ParaSlm: cmake = {CMakePath}, generator = {(ResolvedGenerator.Length == 0 ? "(CMake's default)" : ResolvedGenerator)}");
        return true;
    }
}
