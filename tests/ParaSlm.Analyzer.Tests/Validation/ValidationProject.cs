using System.Text.Json;
using ParaSlm.Analyzer.Tests.Corpus;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Cli;
using ParaSlm.Engine;
using ParaSlm.Validation;
using ParaSlm.Contracts;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>
/// A small CMake project in a temporary folder, set up the way ParaSlm.Sdk's CMake targets set one up: the serial
/// tree (compile_commands.json, built), `paraslm apply`, the parallel tree with the inject script (built); then
/// `paraslm validate` runs in process with the folders the targets pass.
/// </summary>
internal sealed class ValidationProject : IDisposable
{
    public ValidationProject()
    {
        GenerationWorkspace.RequireTool("cmake");
        GenerationWorkspace.RequireTool("clang-19", "clang");
        Root = Path.Combine(Path.GetTempPath(), "paraslm-validate-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        // A cache of its own: validation records rejections there by the loop's content, which must not reach other tests.
        Cache = Path.Combine(Root, "plans.db");
    }

    public string Root { get; }
    public string Inter => Path.Combine(Root, "obj", "paraslm");
    public string SerialTree => Path.Combine(Root, "build", "paraslm-serial");
    public string ParallelTree => Path.Combine(Root, "build", "paraslm");
    public string RequestFile => Path.Combine(Root, "obj", "request.json");
    public string? Cache { get; set; }

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Generator => GenerationWorkspaceHasNinja() ? "Ninja" : "Unix Makefiles";

    private static bool GenerationWorkspaceHasNinja() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "ninja")));

    /// <summary>Serial tree, apply, parallel tree: what `dotnet build` does before validation.</summary>
    public void Build(params string[] assumePure) => BuildForTarget(null, assumePure);

    /// <param name="target">ParaSlmTarget (cpu|gpu|auto); null: the engine's default. (A separate name: an overload
    /// `Build(string? target, params string[])` would take `Build("bump")` as a target.)</param>
    public void BuildForTarget(string? target, params string[] assumePure)
    {
        CMake("-S", Root, "-B", SerialTree, "-G", Generator, "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
        CMake("--build", SerialTree);
        var request = new EngineRequest
        {
            IntermediateDir = Inter, ProjectDir = Root, Strategy = "analyzer", AssumePure = assumePure,
            CompileCommands = Path.Combine(SerialTree, "compile_commands.json"), Cache = Cache,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(RequestFile)!);
        File.WriteAllText(RequestFile, (target is null ? request : request with { Target = target }).ToJson());
        var (code, _, err) = Apply();
        Assert.That(code, Is.EqualTo(0), err);
        var inject = Write("obj/paraslm/paraslm.inject.cmake",
            $"set(PARASLM_SOURCES_FILE \"{Path.Combine(Inter, "paraslm.sources.cmake")}\")\ninclude(\"{InjectLogic}\")\n");
        CMake("-S", Root, "-B", ParallelTree, "-G", Generator, "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_PROJECT_INCLUDE=" + inject);
        CMake("--build", ParallelTree);
    }

    /// <summary>`paraslm apply` with the request <see cref="Build"/> wrote (what the build runs before validating).</summary>
    public (int Code, string Out, string Err) Apply() => Cli("apply", "--request", RequestFile);

    public static string InjectLogic => Path.Combine(CorpusFiles.RepositoryRoot, "targets", "cmake", "ParaSlmInject.cmake");

    public (int Code, string Out, string Err) Validate(params string[] extra) =>
        Cli(["validate", "--request", RequestFile, "--cmake-source", Root, "--inject-logic", InjectLogic, .. extra]);

    public ValidationSummary Summary => ValidationSummary.Load(Inter) ?? throw new AssertionException("no paraslm.validation.json was written");

    public EngineState State => EngineState.Load(Path.Combine(Inter, "paraslm.state.json"));

    public void SaveState(EngineState state) => state.Save(Path.Combine(Inter, "paraslm.state.json"));

    public string Run(string tree, int threads = 4)
    {
        var run = GenerationWorkspace.Run(Path.Combine(tree, "app"), [], Root, new Dictionary<string, string> { ["OMP_NUM_THREADS"] = threads.ToString() });
        Assert.That(run.ExitCode, Is.EqualTo(0), run.StdErr);
        return run.StdOut;
    }

    private void CMake(params string[] args)
    {
        var run = GenerationWorkspace.Run("cmake", args, Root);
        Assert.That(run.ExitCode, Is.EqualTo(0), $"cmake {string.Join(' ', args)}:\n{run.StdOut}\n{run.StdErr}");
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CommandLine.RunAsync(args, o, e).GetAwaiter().GetResult();
        TestContext.Progress.WriteLine(o.ToString());
        return (code, o.ToString(), e.ToString());
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("PARASLM_KEEP_TEST_DIRS") == "1") return;
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
