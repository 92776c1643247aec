using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
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

    /// <summary>compile_commands.json of a CMake project, or empty.</summary>
    public string CompileCommands { get; set; } = string.Empty;

    /// <summary>Explicit sources (a .vcxproj's ClCompile items); their arguments come from their metadata.</summary>
    public ITaskItem[] Sources { get; set; } = [];

    [Output] public bool Changed { get; private set; }

    public override bool Execute()
    {
        var json = new Json()
            .BeginObject()
            .Property("version", 1)
            .Property("mode", Mode)
            .Property("intermediateDir", Full(IntermediateDir))
            .Property("reportDir", Full(ReportDir))
            .Property("projectDir", Full(ProjectDir))
            .Property("target", Target)
            .Property("strategy", Strategy)
            .Property("model", Model)
            .Property("endpoint", Endpoint)
            .Property("cache", Cache)
            .Property("validate", Validate)
            .BeginArray("assumePure");
        foreach (var name in AssumePure.SelectMany(n => n.Split(',')).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct())
        {
            json.Item(name);
        }
        json.EndArray()
            .Property("libclang", LibClang)
            .Property("timeout", Seconds(ModelTimeout))
            .Property("budget", Seconds(ModelBudget))
            .Property("sarif", Sarif.Trim().Length == 0 ? null : string.Equals(Sarif.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            .Property("threads", Seconds(ModelThreads))
            .Property("compileCommands", CompileCommands.Length == 0 ? null : Full(CompileCommands))
            .Property("floatReassociation", !string.Equals(FloatReassociation.Trim(), "false", StringComparison.OrdinalIgnoreCase))
            .Property("offloadArch", OffloadArch.Trim().Length == 0 ? null : OffloadArch.Trim());
        Globs(json, "include", Include);
        Globs(json, "exclude", Exclude);
        json
            .BeginArray("sources");
        foreach (var source in Sources)
        {
            json.BeginObject()
                .Property("file", source.GetMetadata("FullPath"))
                .BeginArray("arguments");
            foreach (var argument in ClCompileArguments.For(source, ProjectDir))
            {
                json.Item(argument);
            }
            json.EndArray().EndObject();
        }
        json.EndArray().EndObject();

        Changed = Files.WriteIfChanged(RequestFile, json.ToString());
        Log.LogMessage(MessageImportance.Low, Changed ? $"ParaSlm: request written to {RequestFile}" : $"ParaSlm: request unchanged ({RequestFile})");
        return true;
    }

    /// <summary>A list property as a JSON array: `;` and `,` both separate entries (a `-p:` value cannot hold a bare `;`).</summary>
    private static void Globs(Json json, string name, string[] values)
    {
        json.BeginArray(name);
        foreach (var glob in values.SelectMany(n => n.Split(',')).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct())
        {
            json.Item(glob);
        }
        json.EndArray();
    }

    /// <summary>A positive number of seconds, or null (the targets reject anything else with PSLM1008 first).</summary>
    private static double? Seconds(string value) =>
        double.TryParse(value.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;

    private string Full(string path) => Path.GetFullPath(Path.Combine(ProjectDir, path));
}
