using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Contracts;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Tasks;

/// <summary>
/// Writes the engine request (ARCHITECTURE.md, "the engine contract") and touches it only when its content changes:
/// the request holds every setting and every source's arguments, so it is the settings Input of the engine target.
/// </summary>
public sealed class ParaSlmWriteRequest : Task
{
    [Required] public string RequestFile { get; set; } = string.Empty;
    [Required] public string Mode { get; set; } = "Apply";
    [Required] public string IntermediateDir { get; set; } = string.Empty;
    [Required] public string ReportDir { get; set; } = string.Empty;
    [Required] public string ProjectDir { get; set; } = string.Empty;
    public string Target { get; set; } = "cpu";
    public string Strategy { get; set; } = "auto";
    public string Model { get; set; } = string.Empty;
    public string Endpoint { get; set; } = string.Empty;
    public string Cache { get; set; } = string.Empty;
    public string Validate { get; set; } = "none";
    public string[] AssumePure { get; set; } = [];
    public string LibClang { get; set; } = string.Empty;

    /// <summary>Seconds one model request may take; empty: the engine's default.</summary>
    public string ModelTimeout { get; set; } = string.Empty;

    /// <summary>Seconds all model requests of the build may take together; empty: the engine's default.</summary>
    public string ModelBudget { get; set; } = string.Empty;

    /// <summary>ParaSlmSarif: true/false, or empty for the engine's default (only in CI).</summary>
    public string Sarif { get; set; } = string.Empty;

    /// <summary>Inference threads per model request (num_thread); empty: the server decides.</summary>
    public string ModelThreads { get; set; } = string.Empty;

    /// <summary>ParaSlmInclude / ParaSlmExclude: globs for the sources of compile_commands.json (`;` or `,` separated).</summary>
    public string[] Include { get; set; } = [];

    public string[] Exclude { get; set; } = [];

    /// <summary>ParaSlmFloatReassociation: "false" keeps floating-point reductions serial; anything else allows them.</summary>
    public string FloatReassociation { get; set; } = "true";

    /// <summary>ParaSlmOffloadArch: GPU architecture of offloaded loops (sm_80, sm_90, …); empty: the engine's default.</summary>
    public string OffloadArch { get; set; } = string.Empty;

    /// <summary>ParaSlmGpuFlavor: openmp|cuda; empty: the engine's default (openmp).</summary>
    public string GpuFlavor { get; set; } = string.Empty;

    /// <summary>ParaSlmCudaArchitectures: CUDA_ARCHITECTURES of the generated kernels (80, 90, `80;90`); empty: the engine's default.</summary>
    public string CudaArchitectures { get; set; } = string.Empty;

    /// <summary>compile_commands.json of a CMake project, or empty.</summary>
    public string CompileCommands { get; set; } = string.Empty;

    /// <summary>The compiler of the explicit sources (a ClangCL toolset's clang-cl, resolved by the targets); empty: not known.</summary>
    public string Compiler { get; set; } = string.Empty;

    /// <summary>Explicit sources (a .vcxproj's ClCompile items); their arguments come from their metadata.</summary>
    public ITaskItem[] Sources { get; set; } = [];

    [Output] public bool Changed { get; private set; }

    public override bool Execute()
    {
        var request = new EngineRequest
        {
            Mode = Mode,
            IntermediateDir = Full(IntermediateDir),
            ReportDir = Full(ReportDir),
            ProjectDir = Full(ProjectDir),
            Target = Target,
            Strategy = Strategy,
            Model = Model,
            Endpoint = Endpoint,
            Cache = Cache,
            Validate = Validate,
            AssumePure = List(AssumePure),
            LibClang = LibClang,
            Timeout = Seconds(ModelTimeout),
            Budget = Seconds(ModelBudget),
            Sarif = Sarif.Trim().Length == 0 ? null : string.Equals(Sarif.Trim(), "true", StringComparison.OrdinalIgnoreCase),
            Threads = Seconds(ModelThreads),
            CompileCommands = CompileCommands.Length == 0 ? null : Full(CompileCommands),
            FloatReassociation = !string.Equals(FloatReassociation.Trim(), "false", StringComparison.OrdinalIgnoreCase),
            OffloadArch = OffloadArch.Trim().Length == 0 ? null : OffloadArch.Trim(),
            GpuFlavor = GpuFlavor.Trim().Length == 0 ? null : GpuFlavor.Trim(),
            CudaArchitectures = CudaArchitectures.Trim().Length == 0 ? null : CudaArchitectures.Trim(),
            Include = List(Include),
            Exclude = List(Exclude),
            Sources = Sources.Select(s => new EngineSource(s.GetMetadata("FullPath"), ClCompileArguments.For(s, ProjectDir).ToList(),
                Compiler.Trim().Length == 0 ? null : Compiler.Trim())).ToList(),
        };

        Changed = Files.WriteIfChanged(RequestFile, request.ToJson());
        Log.LogMessage(MessageImportance.Low, Changed ? $"ParaSlm: request written to {RequestFile}" : $"ParaSlm: request unchanged ({RequestFile})");
        return true;
    }

    /// <summary>A list property: `;` and `,` both separate entries (a `-p:` value cannot hold a bare `;`).</summary>
    private static List<string> List(string[] values) =>
        values.SelectMany(n => n.Split(',')).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToList();

    /// <summary>A positive number of seconds, or null (the targets reject anything else with PSLM1008 first).</summary>
    private static double? Seconds(string value) =>
        double.TryParse(value.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;

    private string Full(string path) => Path.GetFullPath(Path.Combine(ProjectDir, path));
}
