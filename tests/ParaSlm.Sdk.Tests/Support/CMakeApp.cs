using System.Security.Cryptography;
using System.Text.Json;

namespace ParaSlm.Sdk.Tests.Support;

/// <summary>
/// A copy of Fixtures/CMakeApp: a CMake project (a static library in kernels/, an executable `app` in the top
/// folder) with the `app.proj` of the documented consumption beside CMakeLists.txt.
/// </summary>
public sealed class CMakeApp
{
    public CMakeApp(SdkWorkspace workspace, string name, string fixture = "CMakeApp")
    {
        Workspace = workspace;
        Directory = workspace.Copy(Path.Combine(workspace.Fixtures, fixture), name);
    }

    public SdkWorkspace Workspace { get; }
    public string Directory { get; }
    public string Project => "app.proj";

    /// <summary>ParaSlm's folder under the project's intermediate folder (dotnet build defaults to Debug/net10.0).</summary>
    public string IntermediateDir => Path.Combine(Directory, "obj", "Debug", "net10.0", "paraslm");
    public string ParallelTree => Path.Combine(Directory, "build", "paraslm");
    public string SerialTree => Path.Combine(Directory, "build", "paraslm-serial");
    public string ParallelProgram => Path.Combine(ParallelTree, "app");
    public string SerialProgram => Path.Combine(SerialTree, "app");
    public string StateFile => Path.Combine(IntermediateDir, "paraslm.state.json");
    public string OutputsFile => Path.Combine(IntermediateDir, "paraslm.outputs.tsv");

    public string Source(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    public ProcessResult Build(params string[] extra) => Workspace.Build(Directory, Project, extra);

    public ProcessResult Run(string program, int threads = 2) =>
        Workspace.Run(program, Directory, new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = threads.ToString() });

    /// <summary>SHA-256 of every file the user owns (everything outside obj/, bin/, build/).</summary>
    public IReadOnlyDictionary<string, string> HashUserFiles() =>
        System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("build/", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(Directory, f)))));

    /// <summary>The engine's table: original → (rewritten, status).</summary>
    public IReadOnlyDictionary<string, (string Rewritten, string Status)> Outputs() =>
        File.ReadAllLines(OutputsFile)
            .Select(l => l.Split('\t'))
            .Where(f => f.Length >= 3)
            .ToDictionary(f => f[0], f => (f[1], f[2]));

    /// <summary>Per-source hashes from the engine's state file (paraslm.state.json: {"Sources": {file: {"Hash": …}}}).</summary>
    public IReadOnlyDictionary<string, string> StateHashes()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(StateFile));
        return json.RootElement.GetProperty("Sources").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("Hash").GetString()!);
    }

    /// <summary>The entries of a CMake tree's compile_commands.json: source file → command line.</summary>
    public IReadOnlyDictionary<string, string> CompileCommands(string tree) =>
        CompileCommandEntries(tree).ToDictionary(e => e.File, e => e.Command);

    /// <summary>Every entry of a CMake tree's compile_commands.json in order (a source several targets compile has several).</summary>
    public IReadOnlyList<(string File, string Command)> CompileCommandEntries(string tree)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(tree, "compile_commands.json")));
        return json.RootElement.EnumerateArray().Select(e => (e.GetProperty("file").GetString()!,
            e.TryGetProperty("command", out var c) ? c.GetString()! : string.Join(' ', e.GetProperty("arguments").EnumerateArray().Select(a => a.GetString())))).ToList();
    }
}
