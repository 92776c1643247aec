namespace ParaSlm.Contracts;

/// <summary>One source the build hands over with its compile arguments (a .vcxproj's ClCompile item).</summary>
/// <param name="Compiler">The compiler the build runs for it (a ClangCL toolset's clang-cl), as compile_commands.json names
/// one per entry; null: not known (the engine then assumes gcc on Linux and no compiler elsewhere). Optional in the JSON.</param>
public sealed record EngineSource(string File, IReadOnlyList<string>? Arguments, string? Compiler = null);

/// <summary>
/// The build's request to the engine (`paraslm apply --request FILE`, `paraslm validate --request FILE`): every setting
/// and every source, so that the file is also the settings Input of the engine target. The one definition: the MSBuild
/// task writes it with <see cref="ToJson"/>, the engine reads it (System.Text.Json, camelCase, into this type).
/// </summary>
public sealed record EngineRequest
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Apply (rewrite) or Analyze (report only).</summary>
    public string Mode { get; init; } = "Apply";

    public string IntermediateDir { get; init; } = string.Empty;
    public string? ReportDir { get; init; }
    public string? ProjectDir { get; init; }
    public string Target { get; init; } = "cpu";
    public string Strategy { get; init; } = "auto";

    /// <summary>The model to ask; empty: the engine's default.</summary>
    public string Model { get; init; } = "qwen2.5:1.5b";

    /// <summary>The Ollama endpoint; empty: OLLAMA_HOST, else the local default (resolved by the engine, never by the targets).</summary>
    public string? Endpoint { get; init; }

    public string? Cache { get; init; }
    public IReadOnlyList<string> AssumePure { get; init; } = [];
    public string? LibClang { get; init; }

    /// <summary>Seconds one model request may take (default 60).</summary>
    public double? Timeout { get; init; }

    /// <summary>Seconds all model calls of this build may take together (default: grows with the number of loop nests).</summary>
    public double? Budget { get; init; }

    /// <summary>Inference threads per model request, sent as num_thread (ParaSlmModelThreads); null: the server decides.</summary>
    public double? Threads { get; init; }

    /// <summary>ParaSlmValidate (none | asan | tsan | all): what `paraslm validate` checks when not told otherwise.</summary>
    public string? Validate { get; init; }

    /// <summary>ParaSlmSarif: write `paraslm.sarif` beside the report; null: only in CI (TF_BUILD=True or CI=true).</summary>
    public bool? Sarif { get; init; }

    /// <summary>ParaSlmInclude / ParaSlmExclude: globs (relative to <see cref="ProjectDir"/>) choosing which sources of
    /// compile_commands.json are processed; entries may hold several patterns separated by `;` or `,`.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>ParaSlmFloatReassociation: false keeps floating-point reductions serial unless the file's own flags
    /// already allow reassociation (-ffast-math, -fassociative-math, /fp:fast). Default true.</summary>
    public bool FloatReassociation { get; init; } = true;

    /// <summary>ParaSlmOffloadArch: the GPU architecture OpenMP offload code is built for (default sm_80; sm_90 for H100/H200).</summary>
    public string? OffloadArch { get; init; }

    /// <summary>ParaSlmGpuFlavor: how GPU loops are built, `openmp` (OpenMP target offload, the default) or `cuda`
    /// (kernels in a generated .cu, built by CMake's CUDA language).</summary>
    public string? GpuFlavor { get; init; }

    /// <summary>ParaSlmCudaArchitectures: CMake's CUDA_ARCHITECTURES for the generated kernels (default 80; 90 for H100/H200).</summary>
    public string? CudaArchitectures { get; init; }

    /// <summary>compile_commands.json of a CMake project, or null.</summary>
    public string? CompileCommands { get; init; }

    public IReadOnlyList<EngineSource> Sources { get; init; } = [];

    /// <summary>
    /// The request as JSON, one member per line (readable and diffable when a build is investigated). netstandard2.0 has
    /// no System.Text.Json, and a package dependency would have to load next to MSBuild's own copy.
    /// </summary>
    public string ToJson()
    {
        var json = new JsonText()
            .BeginObject()
            .Property("version", Version)
            .Property("mode", Mode)
            .Property("intermediateDir", IntermediateDir)
            .Property("reportDir", ReportDir)
            .Property("projectDir", ProjectDir)
            .Property("target", Target)
            .Property("strategy", Strategy)
            .Property("model", Model)
            .Property("endpoint", Endpoint)
            .Property("cache", Cache)
            .Property("validate", Validate);
        Array(json, "assumePure", AssumePure);
        json.Property("libclang", LibClang)
            .Property("timeout", Timeout)
            .Property("budget", Budget)
            .Property("sarif", Sarif)
            .Property("threads", Threads)
            .Property("compileCommands", CompileCommands)
            .Property("floatReassociation", FloatReassociation)
            .Property("offloadArch", OffloadArch)
            .Property("gpuFlavor", GpuFlavor)
            .Property("cudaArchitectures", CudaArchitectures);
        Array(json, "include", Include);
        Array(json, "exclude", Exclude);
        json.BeginArray("sources");
        foreach (var source in Sources)
        {
            json.BeginObject().Property("file", source.File);
            if (source.Compiler is not null) json.Property("compiler", source.Compiler);
            if (source.Arguments is not null) Array(json, "arguments", source.Arguments);
            json.EndObject();
        }
        return json.EndArray().EndObject().ToString();
    }

    private static void Array(JsonText json, string name, IEnumerable<string> values)
    {
        json.BeginArray(name);
        foreach (var value in values) json.Item(value);
        json.EndArray();
    }
}
