namespace ParaSlm.Evaluation.Projects;

/// <summary>
/// The builds of a project suite: the project's own CMake Release build with gcc and clang (the serial baseline),
/// ParaSlm through its SDK (`dotnet build` of the project's app.proj) with each compiler, and the two automatic
/// parallelizers as CMAKE_C_FLAGS/CMAKE_CXX_FLAGS. A project has no expert versions.
/// </summary>
public static class ProjectVariants
{
    public const string ParaSlmGcc = "paraslm-gcc", ParaSlmClang = "paraslm-clang", GccAutopar = "gcc-autopar", ClangPolly = "clang-polly";

    public static readonly string[] Names = [Variants.SerialGcc, Variants.SerialClang, ParaSlmGcc, ParaSlmClang, GccAutopar, ClangPolly];

    public static Variant Create(string name, int threads) => name switch
    {
        Variants.SerialGcc => new(name, "gcc", SourceKind.Original, [], false, "the project's CMake Release build, gcc"),
        Variants.SerialClang => new(name, "clang", SourceKind.Original, [], false, "the project's CMake Release build, clang"),
        ParaSlmGcc => new(name, "gcc", SourceKind.ParaSlm, [], true, "ParaSlm.Sdk: `dotnet build` of the project's app.proj, CMAKE_C_COMPILER=gcc"),
        ParaSlmClang => new(name, "clang", SourceKind.ParaSlm, [], true, "ParaSlm.Sdk: `dotnet build` of the project's app.proj, CMAKE_C_COMPILER=clang"),
        GccAutopar => new(name, "gcc", SourceKind.Original, [$"-ftree-parallelize-loops={threads}"], true,
            $"the project's CMake Release build, gcc's auto-parallelizer in CMAKE_C_FLAGS/CMAKE_CXX_FLAGS (-ftree-parallelize-loops={threads}; the thread count is fixed at compile time)"),
        ClangPolly => new(name, "clang", SourceKind.Original, Variants.PollyBuiltinFlags, true,
            "the project's CMake Release build, clang with Polly in CMAKE_C_FLAGS/CMAKE_CXX_FLAGS (-mllvm -polly -mllvm -polly-parallel -fopenmp)"),
        _ => throw new ArgumentException(name.StartsWith("expert", StringComparison.Ordinal)
            ? $"variant '{name}': a project suite has no expert versions (one of: {string.Join(", ", Names)})"
            : $"unknown variant '{name}' (a project suite's are: {string.Join(", ", Names)})"),
    };
}
