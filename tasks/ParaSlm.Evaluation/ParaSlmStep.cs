using ParaSlm.Engine.Diagnostics;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Evaluation;

/// <summary>What ParaSlm's engine made of one kernel.</summary>
/// <param name="Rewritten">The rewritten source to compile, or null to compile the original (nothing parallelized, or an error).</param>
/// <param name="Status">`rewritten`, `unchanged` or `error` (paraslm.outputs.tsv).</param>
public sealed record ParaSlmKernel(string? Rewritten, string Status, int Loops, int Parallel);

/// <summary>One engine run over the suite (one strategy/model).</summary>
public sealed record ParaSlmRun(string Tag, string Strategy, string? Model, string IntermediateDir, string? ReportMarkdown,
    IReadOnlyDictionary<string, ParaSlmKernel> Kernels, string? Unavailable, IReadOnlyList<string> Messages);

/// <summary>
/// Produces ParaSlm's parallel sources the way a build does: the suite's compile commands (CMake,
/// -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, configure only) go into an engine request (`paraslm apply`, cache off),
/// and paraslm.outputs.tsv says which rewritten file replaces which source.
/// </summary>
public static class ParaSlmStep
{
    /// <summary>Configures the suite with CMake into &lt;out&gt;/cmake and returns compile_commands.json, or null with the reason.</summary>
    public static async Task<(string? Path, string Note)> CompileCommandsAsync(string suite, string outDir, CancellationToken cancel)
    {
        if (!File.Exists(Path.Combine(suite, "CMakeLists.txt"))) return (null, "the suite has no CMakeLists.txt; sources are given to the engine with the evaluation's own flags");
        var cmake = ToolProcess.FindOnPath("cmake");
        if (cmake is null) return (null, "cmake not found; sources are given to the engine with the evaluation's own flags");
        var build = Path.Combine(outDir, "cmake");
        // A cache left by another suite (or another generator) would make CMake refuse; configuring afresh takes a second.
        if (Directory.Exists(build)) Directory.Delete(build, recursive: true);
        var result = await ProcessRunner.RunAsync(cmake,
            ["-S", suite, "-B", build, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DCMAKE_BUILD_TYPE=Release"], null, null, TimeSpan.FromMinutes(5), cancel);
        var json = Path.Combine(build, "compile_commands.json");
        if (!result.Ok || !File.Exists(json))
            return (null, $"cmake configure failed ({result.FailureReason()}); sources are given to the engine with the evaluation's own flags");
        return (json, $"compile commands from CMake: {json}");
    }

    /// <summary>Runs the engine once, in this process, with the request a build would write.</summary>
    public static async Task<ParaSlmRun> RunEngineAsync(string tag, string strategy, string? model, string? endpoint, string? libclang,
        string suite, string? compileCommands, IReadOnlyList<Kernel> kernels, string outDir, CancellationToken cancel)
    {
        var inter = Path.Combine(outDir, "paraslm", tag);
        if (Directory.Exists(inter)) Directory.Delete(inter, recursive: true);
        Directory.CreateDirectory(inter);
        var request = new EngineRequest
        {
            IntermediateDir = inter,
            ReportDir = Path.Combine(inter, "report"),
            ProjectDir = suite,
            Strategy = strategy,
            Cache = "off",
            Model = model ?? new EngineRequest().Model,
            Endpoint = endpoint,
            LibClang = libclang,
            CompileCommands = compileCommands,
            Sources = compileCommands is not null ? [] : kernels.Select(k => new EngineSource(k.Source, [k.Std, "-O3", "-DNDEBUG", "-I" + suite])).ToList(),
        };
        // Kept beside the outputs: `paraslm apply --request` reproduces this run.
        await File.WriteAllTextAsync(Path.Combine(inter, "request.json"), request.ToJson(), cancel);

        var output = new StringWriter();
        var engine = new ApplyEngine(request, output);
        int code;
        try
        {
            code = await engine.RunAsync(cancel);
        }
        catch (Exception e) when (e is EngineInputException or IOException or UnauthorizedAccessException)
        {
            // An unreadable compile_commands.json: the engine reports it the way `paraslm apply` would.
            output.WriteLine(e.Message);
            code = 1;
        }
        var messages = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        await File.WriteAllLinesAsync(Path.Combine(inter, "engine.log"), messages, cancel);
        if (code != 0)
            return new ParaSlmRun(tag, strategy, model, inter, null, new Dictionary<string, ParaSlmKernel>(), $"the engine failed (exit {code}): {FailureText.FirstErrorLines(output.ToString())}", messages);
        // A model run that fell back to the analyzer for lack of a model would pass off the analyzer's plans as the model's.
        if (strategy != "analyzer" && engine.Reported.FirstOrDefault(d => d.Code == ModelPlanner.NoModelCode) is { } fallback)
            return new ParaSlmRun(tag, strategy, model, inter, null, new Dictionary<string, ParaSlmKernel>(), "model unavailable: " + fallback.Message, messages);

        var map = EngineOutputs.Read(Path.Combine(inter, EngineOutputs.FileName))
            .ToDictionary(o => o.Original, o => new ParaSlmKernel(o.IsRewritten ? o.Rewritten : null, o.Status, o.Loops, o.Parallel), StringComparer.Ordinal);
        var md = Path.Combine(inter, "report", "paraslm-report.md");
        return new ParaSlmRun(tag, strategy, model, inter, File.Exists(md) ? md : null, map, null, messages);
    }
}
