namespace ParaSlm.Validation;

/// <summary>What `paraslm validate` checks and how hard (ParaSlmValidate* properties, `--…` options).</summary>
public sealed record ValidationOptions
{
    public const int DefaultRuns = 3;

    /// <summary>Variants in the order they run. TSan goes first: a race is the typical fault of a parallel rewrite,
    /// and its report names the racing accesses, where ASan would only see a different output.</summary>
    public IReadOnlyList<string> Variants { get; init; } = ["tsan", "asan"];

    /// <summary>Rounds over the tests per probe (and for the final program); round k runs with <see cref="Threads"/>[k mod n].</summary>
    public int Runs { get; init; } = DefaultRuns;

    /// <summary>Thread counts; more threads than cores make the scheduler interleave iterations differently each run.</summary>
    public IReadOnlyList<int> Threads { get; init; } = [2, 4, 8];

    /// <summary>Relative tolerance for floating-point numbers in the output (<see cref="OutputComparer"/>).</summary>
    public double Tolerance { get; init; } = OutputComparer.DefaultTolerance;

    /// <summary>Output lines to ignore (a .NET regex); null: <see cref="OutputComparer.DefaultIgnorePattern"/>; empty: none.</summary>
    public string? IgnorePattern { get; init; }

    /// <summary>A shell command that runs the tests in a build folder instead of ctest / the executables.</summary>
    public string? TestCommand { get; init; }

    /// <summary>Seconds one test run of a probe may take (ParaSlmValidateTimeout; the reference runs included); null: 20 ×
    /// the variant's reference run, at least 300 s (the reference itself: the test's own TIMEOUT, else 1800 s).</summary>
    public double? RunTimeoutSeconds { get; init; }

    /// <summary>error | warn (ParaSlmValidateFailure): how a validation that must not pass is reported — the final
    /// program differs (PSLM5004, outputs made serial) or the tests ran no program (PSLM5007).</summary>
    public string Failure { get; init; } = "error";

    /// <summary>`error` or `warning`, as MSBuild's canonical format spells it.</summary>
    public Severity FailureSeverity => Failure == "warn" ? Severity.Warning : Severity.Error;

    /// <summary>The clang for the TSan build (libomp + Archer); null: the project's compiler if it is clang, else clang-19…clang on PATH.</summary>
    public string? Clang { get; init; }

    /// <summary>Archer (libarcher.so), the OpenMP tool that tells TSan about OpenMP's synchronization; null: next to clang's libomp.</summary>
    public string? Archer { get; init; }

    /// <summary>none | asan | tsan | all → the variants in running order.</summary>
    /// <exception cref="ArgumentException">Not one of the four values.</exception>
    public static IReadOnlyList<string> ParseVariants(string value) => value.Trim().ToLowerInvariant() switch
    {
        "none" or "" => [],
        "asan" => ["asan"],
        "tsan" => ["tsan"],
        "all" => ["tsan", "asan"],
        _ => throw new ArgumentException($"'{value}' is not a validation variant; use none, asan, tsan or all"),
    };
}
