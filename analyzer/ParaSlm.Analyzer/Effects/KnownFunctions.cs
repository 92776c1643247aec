namespace ParaSlm.Analyzer.Effects;

/// <summary>Library functions whose behaviour is known by name (their bodies live in system headers).</summary>
public static class KnownFunctions
{
    private static readonly string[] MathRoots =
    [
        "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "logb", "pow", "sqrt", "cbrt", "hypot", "fabs",
        "floor", "ceil", "round", "trunc", "rint", "nearbyint", "lround", "llround", "lrint", "llrint", "fmod",
        "remainder", "fmin", "fmax", "fdim", "fma", "copysign", "erf", "erfc", "tgamma", "ldexp", "scalbn", "ilogb", "nextafter",
    ];

    private static readonly HashSet<string> Pure = BuildPure();

    private static readonly HashSet<string> Exits = new(StringComparer.Ordinal)
    {
        "exit", "abort", "_Exit", "quick_exit", "longjmp", "siglongjmp", "_longjmp", "terminate", "__assert_fail", "assert",
    };

    private static readonly HashSet<string> ContainerReads = new(StringComparer.Ordinal)
    {
        "size", "empty", "capacity", "data", "begin", "end", "cbegin", "cend", "rbegin", "rend", "max_size",
    };

    private static HashSet<string> BuildPure()
    {
        var set = new HashSet<string>(StringComparer.Ordinal)
        {
            "abs", "labs", "llabs", "fabs", "min", "max", "clamp", "isnan", "isinf", "isfinite", "isnormal", "signbit",
            "fpclassify", "isgreater", "isless", "islessequal", "isgreaterequal", "toupper", "tolower", "isdigit", "isalpha",
            "isspace", "isalnum", "strlen", "strcmp", "strncmp", "memcmp", "__builtin_expect", "__builtin_fabs", "__builtin_sqrt",
        };
        foreach (var r in MathRoots)
        {
            set.Add(r);
            set.Add(r + "f");
            set.Add(r + "l");
        }
        return set;
    }

    /// <summary>Free of side effects and thread-safe: may be called from parallel iterations.</summary>
    public static bool IsPure(string name, string qualifiedName) =>
        (Pure.Contains(name) && (qualifiedName == name || qualifiedName == "std::" + name)) ||
        qualifiedName.StartsWith("std::numeric_limits::", StringComparison.Ordinal);

    /// <summary>Leaves the loop by ending the program or jumping out of it.</summary>
    public static bool IsExit(string name, string qualifiedName) =>
        Exits.Contains(name) && (qualifiedName == name || qualifiedName == "std::" + name);

    /// <summary>Container members that read the container's bookkeeping only.</summary>
    public static bool IsContainerRead(string name) => ContainerReads.Contains(name);

    public static bool IsElementAccess(string name) => name is "operator[]" or "at";

    public static bool IsSwap(string name, string qualifiedName) => name == "swap" && qualifiedName is "swap" or "std::swap";
}
