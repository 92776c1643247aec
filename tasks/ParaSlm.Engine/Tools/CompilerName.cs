namespace ParaSlm.Engine.Tools;

/// <summary>
/// Which driver a compiler path names. The name is taken after either separator, so a Windows path (a .vcxproj's
/// `clang-cl.exe`) names its compiler on any host; case is ignored as Windows ignores it.
/// </summary>
public static class CompilerName
{
    /// <summary>The file name without directory or extension, lower case (`C:\LLVM\bin\clang-cl.exe` → `clang-cl`).</summary>
    public static string Of(string compiler) =>
        Path.GetFileNameWithoutExtension(compiler[(compiler.LastIndexOfAny(['/', '\\']) + 1)..]).ToLowerInvariant();

    /// <summary>clang in cl mode, named so as the ClangCL/LLVM toolsets run it (`clang-cl`, `clang-cl-19`).</summary>
    public static bool IsClangCl(string compiler) => Of(compiler).StartsWith("clang-cl", StringComparison.Ordinal);

    /// <summary>MSVC's own driver.</summary>
    public static bool IsCl(string compiler) => Of(compiler) == "cl";
}
