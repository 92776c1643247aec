namespace ParaSlm.Evaluation;

/// <summary>Which source a variant compiles.</summary>
public enum SourceKind
{
    /// <summary>The serial kernel as it is.</summary>
    Original,

    /// <summary>ParaSlm's rewritten source (the original when ParaSlm left the file unchanged).</summary>
    ParaSlm,

    /// <summary>The hand-parallelized OpenMP version in &lt;suite&gt;/expert/.</summary>
    Expert,
}

/// <summary>
/// One way of building every kernel: a compiler family, the source it compiles, and the flags beyond the common
/// `-O3 -DNDEBUG -std=…` (CMake's Release flags). <see cref="ParaSlmTag"/> names the engine run a ParaSlm variant uses.
/// </summary>
public sealed record Variant(string Name, string Family, SourceKind Source, IReadOnlyList<string> Flags, bool Parallel, string Description)
{
    public string? ParaSlmTag { get; init; }

    /// <summary>Why no kernel of this variant can be built (compiler missing, Polly missing, model unavailable …); null if it can.</summary>
    public string? Unavailable { get; set; }

    /// <summary>Flags as a shell-like string for the report.</summary>
    public string FlagText => string.Join(" ", Flags);
}

/// <summary>The variants `paraslm evaluate` knows, in table order.</summary>
public static class Variants
{
    public const string SerialGcc = "serial-gcc", SerialClang = "serial-clang";

    public static readonly string[] Names =
        [SerialGcc, SerialClang, "paraslm-gcc", "paraslm-clang", "gcc-autopar", "clang-polly", "expert-gcc", "expert-clang"];

    public static IReadOnlyList<string> PollyBuiltinFlags => ["-mllvm", "-polly", "-mllvm", "-polly-parallel", "-fopenmp"];

    public static IReadOnlyList<string> PollyPluginFlags => ["-fplugin=" + Toolchain.PollyPlugin, "-mllvm", "-polly", "-mllvm", "-polly-parallel", "-fopenmp"];

    public static Variant Create(string name, int threads) => name switch
    {
        SerialGcc => new(name, "gcc", SourceKind.Original, [], false, "serial kernel, gcc -O3"),
        SerialClang => new(name, "clang", SourceKind.Original, [], false, "serial kernel, clang -O3"),
        "paraslm-gcc" => new(name, "gcc", SourceKind.ParaSlm, ["-fopenmp"], true, "ParaSlm's rewritten source, gcc -O3 -fopenmp (libgomp)") { ParaSlmTag = "default" },
        "paraslm-clang" => new(name, "clang", SourceKind.ParaSlm, ["-fopenmp"], true, "ParaSlm's rewritten source, clang -O3 -fopenmp (libomp)") { ParaSlmTag = "default" },
        "gcc-autopar" => new(name, "gcc", SourceKind.Original, [$"-ftree-parallelize-loops={threads}"], true,
            $"serial kernel, gcc's auto-parallelizer (-ftree-parallelize-loops={threads}; the thread count is fixed at compile time)"),
        "clang-polly" => new(name, "clang", SourceKind.Original, PollyBuiltinFlags, true, "serial kernel, clang with Polly (-mllvm -polly -mllvm -polly-parallel)"),
        "expert-gcc" => new(name, "gcc", SourceKind.Expert, ["-fopenmp"], true, "expert hand-written OpenMP version, gcc -O3 -fopenmp"),
        "expert-clang" => new(name, "clang", SourceKind.Expert, ["-fopenmp"], true, "expert hand-written OpenMP version, clang -O3 -fopenmp"),
        _ => throw new ArgumentException($"unknown variant '{name}' (one of: {string.Join(", ", Names)})"),
    };

    /// <summary>The ParaSlm variant of one model × strategy cell of a sweep (gcc only, to keep the sweep affordable).</summary>
    public static Variant ForModel(string model, string strategy) =>
        new($"paraslm-gcc[{model}/{strategy}]", "gcc", SourceKind.ParaSlm, ["-fopenmp"], true,
            $"ParaSlm planned by {model} with strategy {strategy} (after the verifier), gcc -O3 -fopenmp")
        { ParaSlmTag = Tag(model, strategy) };

    public static string Tag(string model, string strategy) =>
        new string($"{model}-{strategy}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
}
