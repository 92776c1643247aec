using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Effects;

/// <summary>Library functions whose behaviour is known by name (their bodies live in system headers).</summary>
public static class KnownFunctions
{
    internal static readonly string[] MathRoots =
    [
        "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
        "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "logb", "pow", "sqrt", "cbrt", "hypot", "fabs",
        "floor", "ceil", "round", "trunc", "rint", "nearbyint", "lround", "llround", "lrint", "llrint", "fmod",
        "remainder", "fmin", "fmax", "fdim", "fma", "copysign", "erf", "erfc", "tgamma", "ldexp", "scalbn", "ilogb", "nextafter",
    ];

    /// <summary>Compiler builtins that compute a value from their arguments only (bit tricks, classification).</summary>
    private static readonly string[] ValueBuiltins =
    [
        "__builtin_expect", "__builtin_abs", "__builtin_labs", "__builtin_llabs", "__builtin_isnan", "__builtin_isinf", "__builtin_isfinite",
        "__builtin_signbit", "__builtin_inf", "__builtin_inff", "__builtin_huge_val", "__builtin_huge_valf", "__builtin_nan", "__builtin_nanf",
        "__builtin_popcount", "__builtin_popcountl", "__builtin_popcountll", "__builtin_clz", "__builtin_clzl", "__builtin_clzll",
        "__builtin_ctz", "__builtin_ctzl", "__builtin_ctzll", "__builtin_ffs", "__builtin_ffsl", "__builtin_ffsll", "__builtin_parity",
        "__builtin_parityl", "__builtin_parityll", "__builtin_bswap16", "__builtin_bswap32", "__builtin_bswap64",
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
            foreach (var name in new[] { r, "__builtin_" + r })
            {
                set.Add(name);
                set.Add(name + "f");
                set.Add(name + "l");
            }
        }
        set.UnionWith(ValueBuiltins);
        return set;
    }

    /// <summary>Free of side effects and thread-safe: may be called from parallel iterations.</summary>
    public static bool IsPure(string name, string qualifiedName) =>
        (Pure.Contains(name) && (qualifiedName == name || qualifiedName == "std::" + name)) ||
        qualifiedName.StartsWith("std::numeric_limits::", StringComparison.Ordinal);

    /// <summary>
    /// A function type that only maps arithmetic values to an arithmetic value (`double (double)`, `int (int, int)`, the
    /// unprototyped `double ()`): the only shape in which a function the project declares itself, under a pure library
    /// name, can be that library function. A project's own `void log(const char *)` or `int max(int, const char *)`,
    /// defined in another file, is the project's function (a logger), not libm's `log` or `std::max`.
    /// </summary>
    public static bool IsValueSignature(string functionType)
    {
        var open = functionType.IndexOf('(', StringComparison.Ordinal);
        var close = functionType.LastIndexOf(')');
        if (open <= 0 || close < open) return false;
        if (!IsArithmetic(functionType[..open])) return false;
        var parameters = functionType[(open + 1)..close].Trim();
        return parameters.Length == 0 || parameters == "void" || parameters.Split(',').All(IsArithmetic);
    }

    private static bool IsArithmetic(string type)
    {
        var t = type.Replace("const ", string.Empty, StringComparison.Ordinal).Replace("volatile ", string.Empty, StringComparison.Ordinal).Trim();
        return t is "long double" or "signed short" or "unsigned short int" || TypeInfo.FixedScalarBytes(t) is not null;
    }

    /// <summary>Leaves the loop by ending the program or jumping out of it.</summary>
    public static bool IsExit(string name, string qualifiedName) =>
        Exits.Contains(name) && (qualifiedName == name || qualifiedName == "std::" + name);

    /// <summary>Container members that read the container's bookkeeping only.</summary>
    public static bool IsContainerRead(string name) => ContainerReads.Contains(name);

    public static bool IsElementAccess(string name) => name is "operator[]" or "at";

    /// <summary>Standard functions that use a pointer argument during the call only and keep no copy of it (those that
    /// return their first argument are <see cref="ReturnFirst"/>, followed on by the caller's walk): copies, fills, comparisons, formatted and block I/O, `free`, `qsort`, math (not `std::min`/`max`/`clamp`, which
    /// return a reference to an argument).</summary>
    private static readonly HashSet<string> NoPointerKept = new(StringComparer.Ordinal)
    {
        "memcpy", "memmove", "memset", "memcmp", "strlen", "strnlen", "strcmp", "strncmp", "strcpy", "strncpy", "strcat",
        "strncat", "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "vsprintf", "vsnprintf", "puts",
        "fputs", "fwrite", "fread", "fgets", "scanf", "fscanf", "sscanf", "free", "qsort", "modf", "modff", "modfl",
        "frexp", "frexpf", "frexpl", "sincos", "sincosf", "sincosl", "remquo", "remquof", "remquol",
        "__builtin_memcpy", "__builtin_memmove", "__builtin_memset", "__builtin___memcpy_chk", "__builtin___memmove_chk",
        "__builtin___memset_chk", "__builtin___sprintf_chk", "__builtin___snprintf_chk", "__printf_chk", "__fprintf_chk",
        "__sprintf_chk", "__snprintf_chk", "__memcpy_chk", "__memmove_chk", "__memset_chk",
    };

    /// <summary>A standard function known to keep no copy of a pointer it is given (<see cref="PointerRetention"/>).</summary>
    public static bool KeepsNoPointer(string name, string qualifiedName) =>
        (NoPointerKept.Contains(name) || (Pure.Contains(name) && name is not ("min" or "max" or "clamp"))) && (qualifiedName == name || qualifiedName == "std::" + name);

    /// <summary>A standard function that returns its first argument (`memcpy`, `strcpy`, `fgets`): its value is that
    /// pointer again, under a name the analyzer does not tie to it (<see cref="PointerRetention"/>).</summary>
    public static bool ReturnsFirstArgument(string name, string qualifiedName) =>
        ReturnFirst.Contains(name) && (qualifiedName == name || qualifiedName == "std::" + name);

    private static readonly HashSet<string> ReturnFirst = new(StringComparer.Ordinal)
    {
        "memcpy", "memmove", "memset", "strcpy", "strncpy", "strcat", "strncat", "fgets",
        "__builtin_memcpy", "__builtin_memmove", "__builtin_memset", "__builtin___memcpy_chk", "__builtin___memmove_chk",
        "__builtin___memset_chk", "__memcpy_chk", "__memmove_chk", "__memset_chk",
    };

    public static bool IsSwap(string name, string qualifiedName) => name == "swap" && qualifiedName is "swap" or "std::swap";
}
