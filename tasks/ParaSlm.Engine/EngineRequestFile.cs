using System.Text.Json;
using System.Text.Json.Serialization;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Contracts;
using ParaSlm.Engine.Diagnostics;

namespace ParaSlm.Engine;

/// <summary>Reads the build's request (<see cref="EngineRequest"/>, the contract the MSBuild tasks write) and checks it.</summary>
public static class EngineRequestFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <exception cref="EngineInputException">The request cannot be read or is not usable (PSLM0007); the diagnostic says what is wrong.</exception>
    public static EngineRequest Load(string path)
    {
        EngineRequest? r;
        try
        {
            r = JsonSerializer.Deserialize<EngineRequest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new EngineInputException(Diagnostic.Error("PSLM0007", $"{path}: the request is not valid JSON ({e.Message})"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EngineInputException(Diagnostic.Error("PSLM0007", e.Message));
        }
        if (r is null) throw new EngineInputException(Diagnostic.Error("PSLM0007", $"{path}: the request is empty"));
        if (r.Version != EngineRequest.CurrentVersion) throw new EngineInputException(Diagnostic.Error("PSLM0007", $"{path}: request version {r.Version} is not supported (expected {EngineRequest.CurrentVersion})"));
        if (r.Mode is not ("Apply" or "Analyze")) throw new EngineInputException(Diagnostic.Error("PSLM0007", $"{path}: mode must be Apply or Analyze, not '{r.Mode}'"));
        if (string.IsNullOrWhiteSpace(r.IntermediateDir)) throw new EngineInputException(Diagnostic.Error("PSLM0007", $"{path}: intermediateDir is required"));
        if (r.CompileCommands is null && r.Sources.Count == 0) throw new EngineInputException(Diagnostic.Error("PSLM0007", $"{path}: give compileCommands or sources"));
        // The MSBuild side checks ParaSlmTarget (PSLM1008); a hand-written or stale request must not silently plan for the CPU.
        // MSBuild compares property values case-insensitively, so `GPU` passed its check: the engine's names are lower case.
        r = r with { Target = r.Target.ToLowerInvariant(), GpuFlavor = r.GpuFlavor?.ToLowerInvariant() };
        if (r.Target is not ("cpu" or "gpu" or "auto")) throw new EngineInputException(Diagnostic.Error("PSLM0007", $"{path}: target must be cpu, gpu or auto, not '{r.Target}'"));
        if (r.GpuFlavor is not (null or "" or "openmp" or "cuda")) throw new EngineInputException(Diagnostic.Error("PSLM0007", $"{path}: gpuFlavor must be openmp or cuda, not '{r.GpuFlavor}'"));
        return r;
    }
}
