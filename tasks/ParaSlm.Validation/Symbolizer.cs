namespace ParaSlm.Validation;

/// <summary>
/// Finds the llvm-symbolizer that matches a clang's sanitizer runtime: the one in the clang's own LLVM folder
/// (`/usr/lib/llvm-19/bin/llvm-symbolizer` for Debian's clang-19, reached through the /usr/bin/clang-19 link), else
/// the newest versioned one on PATH. Sanitizer reports without it name only `module+0xoffset`.
/// </summary>
public static class Symbolizer
{
    public static string? Beside(string? compiler)
    {
        if (compiler is not null)
        {
            var real = RealPath(compiler);
            if (Path.GetDirectoryName(real) is { } dir && Executable(Path.Combine(dir, "llvm-symbolizer")) is { } sibling) return sibling;
            // clang-19 → llvm-symbolizer-19, when the compiler is a versioned name on PATH.
            var name = Path.GetFileName(compiler);
            var dash = name.LastIndexOf('-');
            if (dash > 0 && int.TryParse(name[(dash + 1)..], out _) && ToolProcess.FindOnPath("llvm-symbolizer" + name[dash..]) is { } versioned)
                return RealPath(versioned);
        }
        foreach (var version in new[] { 21, 20, 19, 18, 17 })
            if (ToolProcess.FindOnPath($"llvm-symbolizer-{version}") is { } onPath) return RealPath(onPath);
        return null;
    }

    private static string? Executable(string path) => File.Exists(path) ? path : null;

    private static string RealPath(string path)
    {
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }
}
