using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Evaluation.Projects;

/// <summary>What one variant's build of the project left: its build tree, or why there is none.</summary>
/// <param name="Note">ParaSlm builds: what the engine did (files rewritten, loops parallel, PSLM warnings).</param>
/// <param name="Outputs">ParaSlm builds: the engine's outputs table (source → status, loops, parallel loops).</param>
public sealed record ProjectBuild(string Variant, string? BuildDir, string? Failure, string Log, string? Note, IReadOnlyList<EngineOutput> Outputs);

/// <summary>
/// Builds the project once per variant, as its users would: the peers with CMake (Release, the variant's compiler,
/// its flags in CMAKE_C_FLAGS/CMAKE_CXX_FLAGS), ParaSlm with `dotnet build` of the project's app.proj (the SDK
/// configures and builds its own CMake trees). Every build gets the same initial-cache script (`cmake -C`) holding
/// the compilers, the suite's flags and its -D settings, so the ParaSlm builds receive them through one
/// ParaSlmCMakeArgs value with no quoting to get wrong. Each variant's trees live in the output folder.
/// </summary>
public sealed partial class ProjectBuilder(SuiteConfig config, EvaluationOptions options, string outDir, Action<string> info)
{
    [GeneratedRegex(@"warning (PSLM\d{4})", RegexOptions.CultureInvariant)]
    private static partial Regex PslmWarning();

    public async Task<ProjectBuild> BuildAsync(Variant v, Compiler compiler, CancellationToken cancel)
    {
        var name = EvaluationRunner.DirName(v.Name);
        var buildDir = Path.Combine(outDir, "build", name);
        var logDir = Path.Combine(outDir, "logs", name);
        var log = Path.Combine(logDir, "build.log");
        Directory.CreateDirectory(logDir);
        if (Directory.Exists(buildDir)) Directory.Delete(buildDir, recursive: true);
        var cacheScript = Path.Combine(outDir, "cmake", name + ".cmake");
        Directory.CreateDirectory(Path.GetDirectoryName(cacheScript)!);
        await File.WriteAllTextAsync(cacheScript, InitialCache(compiler, v.Source == SourceKind.ParaSlm ? [] : v.Flags), cancel);
        return v.Source == SourceKind.ParaSlm
            ? await BuildWithSdkAsync(v, buildDir, cacheScript, log, cancel)
            : await BuildWithCMakeAsync(v, buildDir, cacheScript, log, cancel);
    }

    /// <summary>The `cmake -C` script: compilers, Release, the suite's flags plus the variant's, the suite's -D settings.</summary>
    public string InitialCache(Compiler compiler, IReadOnlyList<string> variantFlags)
    {
        var sb = new StringBuilder("# written by `paraslm evaluate` for one variant of the project suite\n");
        void Set(string name, string type, string value) =>
            sb.Append(CultureInfo.InvariantCulture, $"set({name} \"{Escape(value)}\" CACHE {type} \"\")\n");
        Set("CMAKE_BUILD_TYPE", "STRING", "Release");
        Set("CMAKE_C_COMPILER", "FILEPATH", compiler.C!);
        if (compiler.Cxx is not null) Set("CMAKE_CXX_COMPILER", "FILEPATH", compiler.Cxx);
        var flags = string.Join(" ", variantFlags);
        Set("CMAKE_C_FLAGS", "STRING", Join(config.CFlags, flags));
        Set("CMAKE_CXX_FLAGS", "STRING", Join(config.CxxFlags, flags));
        foreach (var e in config.CacheEntries) Set(e.Name, e.Type, e.Value);
        return sb.ToString();

        static string Join(string a, string b) => string.Join(" ", new[] { a.Trim(), b.Trim() }.Where(x => x.Length > 0));
    }

    /// <summary>A CMake quoted argument: backslash, quote and `$` escaped, so a value is taken literally.</summary>
    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("$", "\\$", StringComparison.Ordinal);

    private async Task<ProjectBuild> BuildWithCMakeAsync(Variant v, string buildDir, string cacheScript, string log, CancellationToken cancel)
    {
        var cmake = ToolProcess.FindOnPath("cmake");
        if (cmake is null) return new ProjectBuild(v.Name, null, "cmake not found on PATH", log, null, []);
        List<string> configure = ["-S", config.Source, "-B", buildDir, "-C", cacheScript];
        if (ToolProcess.FindOnPath("ninja") is not null) configure.AddRange(["-G", "Ninja"]);
        var text = new StringBuilder();
        var r = await Step(cmake, configure, config.Source, null, text, cancel);
        if (r.Ok) r = await Step(cmake, ["--build", buildDir], config.Source, null, text, cancel);
        await File.WriteAllTextAsync(log, text.ToString(), cancel);
        return r.Ok
            ? new ProjectBuild(v.Name, buildDir, null, log, null, [])
            : new ProjectBuild(v.Name, null, $"the CMake build failed: {r.FailureReason()} (log: {log})", log, null, []);
    }

    private async Task<ProjectBuild> BuildWithSdkAsync(Variant v, string buildDir, string cacheScript, string log, CancellationToken cancel)
    {
        var dotnet = ToolProcess.FindOnPath("dotnet");
        if (dotnet is null) return new ProjectBuild(v.Name, null, "dotnet not found on PATH (the ParaSlm builds run `dotnet build` of the project's app.proj)", log, null, []);
        var inter = Path.Combine(outDir, "paraslm", EvaluationRunner.DirName(v.Name));
        if (Directory.Exists(inter)) Directory.Delete(inter, recursive: true);
        var collect = buildDir + "-collect";
        if (Directory.Exists(collect)) Directory.Delete(collect, recursive: true);
        // MSBuild splits property values at ';' (%3B keeps one); the path itself was checked for whitespace.
        List<string> args =
        [
            "build", config.Project!, "-nologo", "-nodeReuse:false", "-tl:off", "-v:m",
            "-p:ParaSlmCMakeBuildDir=" + buildDir + "/",
            "-p:ParaSlmCMakeSerialDir=" + collect + "/",
            "-p:ParaSlmIntermediateDir=" + inter + "/",
            "-p:ParaSlmCMakeArgs=-C" + cacheScript.Replace(";", "%3B", StringComparison.Ordinal),
            "-p:ParaSlmStrategy=" + options.Strategy,
            "-p:ParaSlmCache=off",
        ];
        if (options.Model is not null) args.Add("-p:ParaSlmModel=" + options.Model);
        if (options.Endpoint is not null) args.Add("-p:ParaSlmEndpoint=" + options.Endpoint);
        if (options.LibClang is not null) args.Add("-p:ParaSlmLibClang=" + options.LibClang);
        var text = new StringBuilder();
        var r = await Step(dotnet, args, Path.GetDirectoryName(config.Project)!, null, text, cancel);
        await File.WriteAllTextAsync(log, text.ToString(), cancel);
        var warnings = PslmWarning().Matches(r.Stdout + r.Stderr).Select(m => m.Groups[1].Value).GroupBy(c => c).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Count() == 1 ? g.Key : $"{g.Key}×{g.Count()}").ToList();
        var tsv = Path.Combine(inter, EngineOutputs.FileName);
        var outputs = File.Exists(tsv) ? EngineOutputs.Read(tsv) : [];
        var note = outputs.Count == 0 ? null
            : $"ParaSlm ({options.Strategy}) rewrote {outputs.Count(o => o.IsRewritten)} of {outputs.Count} files, {outputs.Sum(o => o.Parallel)} of {outputs.Sum(o => o.Loops)} loops parallel" +
              (warnings.Count > 0 ? $"; warnings {string.Join(", ", warnings)}" : "") + $"; report {Path.Combine(inter, "report", "paraslm-report.md")}";
        if (!r.Ok) return new ProjectBuild(v.Name, null, $"`dotnet build` failed: {r.FailureReason()} (log: {log})", log, note, outputs);
        if (!Directory.Exists(buildDir)) return new ProjectBuild(v.Name, null, $"`dotnet build` succeeded but left no build tree {buildDir} (ParaSlmCMakeBuild=false? log: {log})", log, note, outputs);
        info($"{v.Name}: {note ?? "the engine wrote no outputs table"}");
        return new ProjectBuild(v.Name, buildDir, null, log, note, outputs);
    }

    private static async Task<ProcessResult> Step(string exe, List<string> args, string cwd, IReadOnlyDictionary<string, string?>? env, StringBuilder text, CancellationToken cancel)
    {
        var r = await ProcessRunner.RunAsync(exe, args, cwd, env, TimeSpan.FromMinutes(60), cancel);
        text.Append("$ ").Append(exe).Append(' ').AppendJoin(' ', args).Append('\n').Append(r.Stdout).Append(r.Stderr).Append('\n');
        return r;
    }

    /// <summary>
    /// The executable a program names, in one build tree: a path relative to the tree, or a file name found once in
    /// it (CMake's own folders aside). Null with the reason when it is missing or ambiguous.
    /// </summary>
    public static (string? Exe, string? Reason) FindExecutable(string buildDir, string exe)
    {
        var direct = Path.Combine(buildDir, exe);
        if (File.Exists(direct)) return (direct, null);
        if (exe.Contains('/') || exe.Contains('\\')) return (null, $"no executable {exe} in {buildDir}");
        var found = Directory.EnumerateFiles(buildDir, exe, SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Contains("CMakeFiles")).Order(StringComparer.Ordinal).ToList();
        return found.Count switch
        {
            1 => (found[0], null),
            0 => (null, $"no executable named {exe} in {buildDir} (is it a CMake target of the project? \"exe\" may also be a path in the build tree)"),
            _ => (null, $"{found.Count} files named {exe} in {buildDir} ({string.Join(", ", found.Select(f => Path.GetRelativePath(buildDir, f)))}): give \"exe\" as a path in the build tree"),
        };
    }
}
