using System.Text.Json;
using ParaSlm.Engine;

namespace ParaSlm.Validation;

/// <summary>
/// What the MSBuild stepper keeps between steps: the probes and reference made so far, the build it asked for, and
/// the phase (validate → final → done).
/// </summary>
public sealed class StepMemo
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public ProbeMemo Probes { get; init; } = new();
    public StepAction? Pending { get; set; }
    public DateTimeOffset PendingSince { get; set; }
    public string Phase { get; set; } = "validate";

    /// <summary>The final check that failed (PSLM5004) before every loop was reverted; the next final check is of the serial rebuild.</summary>
    public FinalCheck? FinalBeforeRevert { get; set; }
    public DateTimeOffset Started { get; set; } = DateTimeOffset.UtcNow;

    public static StepMemo Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<StepMemo>(File.ReadAllText(path), Json) ?? new StepMemo() : new StepMemo();
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return new StepMemo();
        }
    }

    public void Save(string path) => AtomicFile.Write(path, JsonSerializer.Serialize(this, Json));
}

/// <summary>
/// Validation builds of a .vcxproj: the build that runs validation makes them (the MSBuild task keeps every global
/// property of the user's build, which a process started from here could not know), one per step: the serial
/// program (ParaSlmMode=Off), a variant (EnableASAN, this probe's outputs table), or the final program. Each build
/// goes to its own IntDir/OutDir under the validation folder, so the normal outputs are left alone.
/// </summary>
/// <remarks>
/// MSVC has AddressSanitizer (EnableASAN) but neither ThreadSanitizer nor UBSan, so TSan is reported as not available
/// and the ASan variant is address checks plus the differential runs.
/// </remarks>
public sealed class MSBuildBuilds(string workRoot, string programName, string finalProgram, string? toolset, IReadOnlyList<ValidationLoop> loops,
    IReadOnlyDictionary<string, string?> textHashes, ValidationOptions options) : IValidationBuilds
{
    public string? Unavailable(string variant) => variant switch
    {
        "asan" => null,
        "tsan" => (toolset is not null && System.Text.RegularExpressions.Regex.IsMatch(toolset, @"^v\d+")
                      ? $"MSVC has no ThreadSanitizer (PlatformToolset {toolset})"
                      : $"ThreadSanitizer validation of a .vcxproj is not available (PlatformToolset {toolset ?? "?"}): MSVC has none, and ParaSlm's race check needs clang with the LLVM OpenMP runtime and Archer") +
                  ", so data races in this project's parallel loops are not checked; the ASan build and the differential runs still are. " +
                  "Races are checked for CMake projects built with clang",
        _ => $"unknown variant '{variant}'",
    };

    public IReadOnlyDictionary<string, string?> Environment(string variant) => new Dictionary<string, string?>
    {
        ["ASAN_OPTIONS"] = "detect_leaks=0:halt_on_error=1:abort_on_error=0",
    };

    /// <summary>Each build is asked of MSBuild at the next step: a difference is confirmed on the serial program instead.</summary>
    public bool BuildsInProcess => false;

    public string DirOf(string name) => Path.Combine(workRoot, name);

    /// <summary>Asked for only while this validation has no reference yet: the serial program is built first, every time
    /// (a program left from an older validation may predate the user's last edit).</summary>
    public Task<IReadOnlyList<TestCase>> SerialTestsAsync(CancellationToken cancel) =>
        throw new BuildRequiredException(new StepAction("serial", null, []));

    /// <summary>Writes the probe's sources and asks the build for it; its tests are run at the next step.</summary>
    public Task<VariantBuild> BuildAsync(string variant, IReadOnlyList<ValidationLoop> subset, CancellationToken cancel)
    {
        VariantSources.Write(DirOf(variant), loops, subset, textHashes);
        throw new BuildRequiredException(new StepAction("variant", variant, subset.Select(l => l.Id).ToList()));
    }

    public string ProgramIn(string name) => Path.Combine(DirOf(name), "bin", programName);

    public IReadOnlyList<TestCase> TestsOf(string dir, string program) =>
        options.TestCommand is { } command
            ? [TestDiscovery.Command(command, dir, program)]
            : [new TestCase(Path.GetFileNameWithoutExtension(programName), program, [], Path.GetDirectoryName(program)!, new Dictionary<string, string?>())];

    public IReadOnlyList<TestCase> FinalTests() => TestsOf(Path.GetDirectoryName(finalProgram)!, finalProgram);

    /// <summary>The global properties of the build an action asks for (one `Name=Value` per line for the MSBuild task).</summary>
    public IReadOnlyList<string> Properties(StepAction action)
    {
        string Folder(string name, string sub) => Path.Combine(DirOf(name), sub) + Path.DirectorySeparatorChar;
        return action.Kind switch
        {
            "serial" => ["ParaSlmMode=Off", "ParaSlmValidate=none", "IntDir=" + Folder("serial", "obj"), "OutDir=" + Folder("serial", "bin")],
            "variant" =>
            [
                "ParaSlmValidate=none",
                "ParaSlmValidationOutputs=" + Path.Combine(DirOf(action.Variant!), EngineOutputs.FileName),
                "EnableASAN=true",
                "IntDir=" + Folder(action.Variant!, "obj"),
                "OutDir=" + Folder(action.Variant!, "bin"),
            ],
            "final" => ["_ParaSlmValidationRebuild=true"],
            _ => [],
        };
    }
}
