namespace ParaSlm.Engine.Reporting;

/// <summary>Status of one (kernel, variant) cell.</summary>
public static class CellStatus
{
    /// <summary>Built, ran every round, checksum agrees with the serial baseline.</summary>
    public const string Ok = "ok";

    /// <summary>Ran, but a checksum differs from the serial baseline's beyond the tolerance.</summary>
    public const string ChecksumDiffers = "checksum-differs";

    /// <summary>The variant cannot be built at all here (compiler, Polly or model missing; no expert version).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The compiler rejected the kernel.</summary>
    public const string BuildFailed = "build-failed";

    /// <summary>The program crashed, timed out or printed no checksum/time.</summary>
    public const string RunFailed = "run-failed";

    /// <summary>No serial build of the kernel ran, so nothing to compare with.</summary>
    public const string NoBaseline = "no-baseline";
}

public sealed record VariantInfo(string Name, string Description, string Compiler, string? CompilerVersion, string Flags, bool Parallel, string? Unavailable);

/// <summary>One kernel × variant.</summary>
/// <param name="Times">Kernel times (the program's own `time:` line, seconds), one per round.</param>
/// <param name="Speedup">Baseline median / this median; null when it did not run.</param>
/// <param name="RelativeDifference">Largest relative checksum difference to the baseline over all rounds (0 for equal).</param>
public sealed record Cell(string Variant, string Status, string? Reason, IReadOnlyList<double> Times, double? Median, double? Speedup,
    string? Checksum, bool? ChecksumAgrees, double? RelativeDifference, string? Note);

public sealed record KernelReport(string Name, string Source, string? Expert, string? Baseline, double? BaselineSeconds, string? ReferenceChecksum,
    IReadOnlyList<Cell> Cells);

/// <summary>Geometric-mean speedup of a variant over the kernels where it ran with an agreeing checksum.</summary>
public sealed record GeoMean(string Variant, double? Speedup, int Kernels, int Of, IReadOnlyList<string> Excluded);

/// <summary>What a perfectly parallel loop gains on this machine (1 → N threads), measured alternately with the kernels.</summary>
public sealed record Calibration(int Threads, double? OneThreadSeconds, double? ManyThreadSeconds, double? Speedup, string? Unavailable);

public sealed record ScalingCell(int Size, string Config, int Threads, IReadOnlyList<double> Times, double? Median, double? Speedup, bool? ChecksumAgrees, string? Reason);

public sealed record ScalingReport(string Kernel, string Compiler, IReadOnlyList<int> Sizes, IReadOnlyList<int> Threads, IReadOnlyList<ScalingCell> Cells, string? Unavailable);

/// <summary>One model × strategy of a sweep: `paraslm eval`'s planning columns plus the measured build.</summary>
/// <summary>One model × strategy of `evaluate --models`: `paraslm eval`'s per-nest counts (of <see cref="Nests"/>) and this run's builds.</summary>
public sealed record ModelCell(string Model, string Strategy, bool Available, string? Unavailable, int Nests, int Proposals, int Accepted, int Repaired,
    int Rejected, int Matches, double MeanLatencySeconds, string Variant, int ValidationPassed, int ValidationTotal, double? SpeedupGeoMean)
{
    /// <summary>Nests whose answer was not a usable plan (PSLM3010–3014).</summary>
    public int Invalid { get; init; }

    /// <summary>Nests never asked: the budget was spent or the circuit breaker had opened.</summary>
    public int NotAsked { get; init; }

    /// <summary>Geomean of the analyzer-only build's median / this cell's build's, same run (<see cref="ModelSpeedup"/>).</summary>
    public double? VsAnalyzer { get; init; }
}

/// <summary>Where ParaSlm's build stands against one peer built with the same compiler.</summary>
public sealed record Comparison(string ParaSlm, string Peer, IReadOnlyList<string> Wins, IReadOnlyList<string> Losses, IReadOnlyList<string> Ties, double? GeoMeanRatio);

/// <param name="LoadAverageBefore">1-minute load average (/proc/loadavg) when the evaluation started: how busy the machine already was.</param>
public sealed record MachineInfo(string Cpu, int LogicalCores, string Os, double? LoadAverageBefore, double? LoadAverageAfter);

/// <summary>Everything `paraslm evaluate` measured; report.json is this object.</summary>
public sealed record EvaluationReport(
    string Suite,
    DateTimeOffset Date,
    MachineInfo Machine,
    int Runs,
    int Threads,
    string ParaSlmStrategy,
    string? CompileCommands,
    IReadOnlyList<VariantInfo> Variants,
    IReadOnlyList<KernelReport> Kernels,
    IReadOnlyList<GeoMean> GeoMeans,
    Calibration Calibration,
    IReadOnlyList<Comparison> Comparisons,
    ScalingReport? Scaling,
    IReadOnlyList<ModelCell>? Models,
    double WallSeconds)
{
    /// <summary>The evaluation's JSON file; the build's report picks it up from its `tasks/ParaSlm.Evaluation/` folder.</summary>
    public const string JsonFile = "report.json";

    public const string SpeedupDefinition = "speedup = median time of the faster serial build (gcc -O3 or clang -O3) / median time of the variant";

    public const string KernelSuite = "kernels", ProjectSuite = "project";

    /// <summary><see cref="KernelSuite"/> (a samples/kernels-shaped folder) or <see cref="ProjectSuite"/> (any CMake project with a suite description).</summary>
    public string Kind { get; init; } = KernelSuite;

    /// <summary>A project suite's name (its description's "name").</summary>
    public string? SuiteName { get; init; }

    /// <summary>A project suite: how run times were read, and which outputs had to equal the serial reference and how (null: the kernels' checksum rule).</summary>
    public string? TimeRule { get; init; }

    public string? OutputRule { get; init; }

    /// <summary>Rounds in all for the kernels in <see cref="ExtraRoundKernels"/> (null in reports written before the rule).</summary>
    public int? MaxRuns { get; init; }

    /// <summary>Kernels (programs) whose times spread past the limit in the first <see cref="Runs"/> rounds and ran <see cref="MaxRuns"/>.</summary>
    public IReadOnlyList<string> ExtraRoundKernels { get; init; } = [];
}
