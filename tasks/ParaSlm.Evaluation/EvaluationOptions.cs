namespace ParaSlm.Evaluation;

/// <summary>Everything `paraslm evaluate` was asked to do (see <see cref="Commands.EvaluateCommand"/> for the flags).</summary>
public sealed record EvaluationOptions
{
    /// <summary>The kernel suite: every top-level .c/.cpp file is a kernel; experts live in &lt;suite&gt;/expert/.</summary>
    public required string Suite { get; init; }

    /// <summary>Output folder: one build folder per variant, logs, report.md/.html/.json, speedups.svg.</summary>
    public required string Out { get; init; }

    /// <summary>Alternating rounds: every round runs every built (kernel, variant) once, in a rotated variant order.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>Rounds in all for a kernel whose times spread widely in the first <see cref="Runs"/> (null: 3 × Runs; see <see cref="ExtraRounds"/>).</summary>
    public int? MaxRuns { get; init; }

    /// <summary>OMP_NUM_THREADS for the parallel variants, and N of gcc's -ftree-parallelize-loops=N.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Variant names to build (null: all). The two serial builds are always included: they are the baseline.</summary>
    public IReadOnlyList<string>? Variants { get; init; }

    /// <summary>Kernel names to evaluate (null: every kernel of the suite).</summary>
    public IReadOnlyList<string>? Kernels { get; init; }

    public bool Scaling { get; init; }

    public IReadOnlyList<int> ScalingSizes { get; init; } = [500, 800, 1100];

    public IReadOnlyList<int> ScalingThreads { get; init; } = [1, 2, 4];

    /// <summary>The GCC C compiler (g++ is derived from it); null: `gcc` on PATH.</summary>
    public string? Gcc { get; init; }

    /// <summary>The Clang C compiler (clang++ is derived from it); null: `clang-19`, then `clang` on PATH.</summary>
    public string? Clang { get; init; }

    /// <summary>Planning strategy of the ParaSlm variants (default `analyzer`: deterministic, no model).</summary>
    public string Strategy { get; init; } = "analyzer";

    public string? Model { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>Optional model sweep: each model × strategy adds a ParaSlm variant (built with gcc) and the `paraslm eval` columns.</summary>
    public IReadOnlyList<string> SweepModels { get; init; } = [];

    public IReadOnlyList<string> SweepStrategies { get; init; } = [];

    /// <summary>Run `paraslm eval` for the sweep's planning columns (off when `eval --speedup` drives the run: it has them).</summary>
    public bool PlanningTable { get; init; } = true;

    public string? LibClang { get; init; }

    /// <summary>Wall-clock limit of one kernel run.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Iterations of the calibration loop (a perfectly parallel harmonic sum).</summary>
    public long CalibrationIterations { get; init; } = 200_000_000;
}
