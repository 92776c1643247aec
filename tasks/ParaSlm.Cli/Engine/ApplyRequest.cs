using System.Text.Json;
using System.Text.Json.Serialization;

namespace ParaSlm.Cli.Engine;

/// <summary>One source the build hands over with its compile arguments.</summary>
public sealed record RequestSource(string File, IReadOnlyList<string>? Arguments);

/// <summary>The build's request to the engine (see ARCHITECTURE.md, "the engine contract").</summary>
public sealed record ApplyRequest
{
    public int Version { get; init; } = 1;
    public string Mode { get; init; } = "Apply";
    public string IntermediateDir { get; init; } = string.Empty;
    public string? ReportDir { get; init; }
    public string? ProjectDir { get; init; }
    public string Target { get; init; } = "cpu";
    public string Strategy { get; init; } = "auto";
    public string Model { get; init; } = "qwen2.5:1.5b";
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

    public string? CompileCommands { get; init; }
    public IReadOnlyList<RequestSource> Sources { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <exception cref="InvalidDataException">The request is not usable; the message says what is wrong.</exception>
    public static ApplyRequest Load(string path)
    {
        ApplyRequest? r;
        try
        {
            r = JsonSerializer.Deserialize<ApplyRequest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"PSLM0007: {path}: the request is not valid JSON ({e.Message})");
        }
        if (r is null) throw new InvalidDataException($"PSLM0007: {path}: the request is empty");
        if (r.Version != 1) throw new InvalidDataException($"PSLM0007: {path}: request version {r.Version} is not supported (expected 1)");
        if (r.Mode is not ("Apply" or "Analyze")) throw new InvalidDataException($"PSLM0007: {path}: mode must be Apply or Analyze, not '{r.Mode}'");
        if (string.IsNullOrWhiteSpace(r.IntermediateDir)) throw new InvalidDataException($"PSLM0007: {path}: intermediateDir is required");
        if (r.CompileCommands is null && r.Sources.Count == 0) throw new InvalidDataException($"PSLM0007: {path}: give compileCommands or sources");
        return r;
    }

    public string Serialize() => JsonSerializer.Serialize(this, Json);
}
