using Microsoft.Build.Framework;

namespace ParaSlm.Tasks.Internal;

/// <summary>
/// Turns the ClCompile metadata that decides how a file parses (include paths, defines, forced includes, language
/// and standard) into the clang-style arguments libclang needs. Optimization, warning and code-generation switches
/// do not change the syntax tree and are left out on purpose.
/// </summary>
internal static class ClCompileArguments
{
    public static IReadOnlyList<string> For(ITaskItem item, string projectDirectory)
    {
        var arguments = new List<string>();
        var language = LanguageOf(item);
        if (IsExplicitLanguage(item)) arguments.AddRange(new[] { "-x", language });

        var standard = language == "c" ? CStandard(item) : CppStandard(item);
        if (standard is not null) arguments.Add("-std=" + standard);

        foreach (var directory in List(item, "AdditionalIncludeDirectories"))
        {
            arguments.Add("-I" + Absolute(directory, projectDirectory));
        }
        foreach (var define in List(item, "PreprocessorDefinitions"))
        {
            arguments.Add("-D" + define);
        }
        foreach (var undefine in List(item, "UndefinePreprocessorDefinitions"))
        {
            arguments.Add("-U" + undefine);
        }
        foreach (var header in List(item, "ForcedIncludeFiles"))
        {
            arguments.AddRange(new[] { "-include", Absolute(header, projectDirectory) });
        }
        // The file's own OpenMP and floating-point configuration: the engine keeps `_OPENMP` as the user's build sets
        // it, and ParaSlmFloatReassociation=false still allows what the file's flags already allow.
        var extra = item.GetMetadata("AdditionalOptions").Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (string.Equals(item.GetMetadata("OpenMPSupport"), "true", StringComparison.OrdinalIgnoreCase) ||
            extra.Any(o => o is "-fopenmp" or "/openmp" or "-openmp" or "/openmp:llvm" or "-openmp:llvm" or "/openmp:experimental" || o.StartsWith("-fopenmp=", StringComparison.Ordinal)))
        {
            arguments.Add("-fopenmp");
        }
        if (string.Equals(item.GetMetadata("FloatingPointModel"), "Fast", StringComparison.OrdinalIgnoreCase))
        {
            arguments.Add("/fp:fast");
        }
        arguments.AddRange(extra.Where(o => o is "-ffast-math" or "-fassociative-math" or "/fp:fast" or "-fp:fast" or "-Ofast"));
        return arguments;
    }

    /// <summary><c>c</c> or <c>c++</c>: CompileAs when it says so, else the extension (as cl.exe and the driver decide).</summary>
    public static string LanguageOf(ITaskItem item)
    {
        switch (item.GetMetadata("CompileAs"))
        {
            case "CompileAsC": return "c";
            case "CompileAsCpp": return "c++";
        }
        return string.Equals(item.GetMetadata("Extension"), ".c", StringComparison.OrdinalIgnoreCase) ? "c" : "c++";
    }

    private static bool IsExplicitLanguage(ITaskItem item) => item.GetMetadata("CompileAs") is "CompileAsC" or "CompileAsCpp";

    // MSVC's LanguageStandard_C values, then the Linux toolsets' CLanguageStandard (already a -std= value).
    private static string? CStandard(ITaskItem item)
    {
        switch (item.GetMetadata("LanguageStandard_C"))
        {
            case "stdc11": return "c11";
            case "stdc17": return "c17";
            case "stdc23": return "c23";
            case "stdclatest": return "c2x";
        }
        return StdValue(item.GetMetadata("CLanguageStandard"));
    }

    private static string? CppStandard(ITaskItem item)
    {
        switch (item.GetMetadata("LanguageStandard"))
        {
            case "stdcpp14": return "c++14";
            case "stdcpp17": return "c++17";
            case "stdcpp20": return "c++20";
            case "stdcpp23": return "c++23";
            case "stdcpplatest": return "c++2c";
        }
        return StdValue(item.GetMetadata("CppLanguageStandard"));
    }

    private static string? StdValue(string value) =>
        value.Length == 0 || value.Equals("Default", StringComparison.OrdinalIgnoreCase) ? null : value;

    private static IEnumerable<string> List(ITaskItem item, string name) =>
        item.GetMetadata(name)
            .Split(';')
            .Select(v => v.Trim().Trim('"').Trim())
            // A definition that only inherits ("%(X)") was not expanded by the project; it adds nothing.
            .Where(v => v.Length > 0 && !v.StartsWith("%(", StringComparison.Ordinal));

    private static string Absolute(string path, string projectDirectory)
    {
        // Project files written on Windows use '\'; MSBuild converts item paths on Unix, but not metadata.
        if (!Files.IsWindows) path = path.Replace('\\', '/');
        var trimmed = path.Length > 1 ? path.TrimEnd('\\', '/') : path;
        if (trimmed.Length == 0) trimmed = path;
        return Path.GetFullPath(Path.Combine(projectDirectory, trimmed));
    }
}
