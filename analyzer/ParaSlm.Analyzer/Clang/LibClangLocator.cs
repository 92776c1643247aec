using System.Runtime.InteropServices;
using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Analyzer.Clang;

/// <summary>
/// Finds and loads libclang: an explicit path (option or PARASLM_LIBCLANG) wins; otherwise the
/// newest installed LLVM from 19 down to 17 (the first with clang_getCursorBinaryOperatorKind).
/// </summary>
public sealed class LibClangLocator
{
    public const string EnvironmentVariable = "PARASLM_LIBCLANG";
    private static readonly int[] SupportedMajors = [21, 20, 19, 18, 17];

    private readonly string? _explicitPath;

    public LibClangLocator(string? explicitPath = null)
    {
        _explicitPath = string.IsNullOrWhiteSpace(explicitPath)
            ? Environment.GetEnvironmentVariable(EnvironmentVariable)
            : explicitPath;
        if (string.IsNullOrWhiteSpace(_explicitPath)) _explicitPath = null;
    }

    /// <summary>Every path tried, in order.</summary>
    public IReadOnlyList<string> Candidates()
    {
        if (_explicitPath is not null) return [_explicitPath];
        var list = new List<string>();
        foreach (var v in SupportedMajors)
        {
            // The llvm-N/lib copy first: libclang derives its builtin-header directory from its own path.
            list.Add($"/usr/lib/llvm-{v}/lib/libclang-{v}.so.{v}");
            list.Add($"/usr/lib/llvm-{v}/lib/libclang.so.1");
            list.Add($"/usr/lib/llvm-{v}/lib/libclang.so");
            list.Add($"/usr/lib/x86_64-linux-gnu/libclang-{v}.so.{v}");
            list.Add($"/usr/local/opt/llvm@{v}/lib/libclang.dylib");
            list.Add($@"C:\Program Files\LLVM\bin\libclang.dll");
        }
        return list.Distinct().ToList();
    }

    internal LibClangApi Load()
    {
        var tried = new List<string>();
        foreach (var path in Candidates())
        {
            if (!File.Exists(path)) { tried.Add($"{path} (not found)"); continue; }
            if (!NativeLibrary.TryLoad(path, out var handle)) { tried.Add($"{path} (could not be loaded)"); continue; }
            if (!NativeLibrary.TryGetExport(handle, "clang_getCursorBinaryOperatorKind", out _))
            {
                tried.Add($"{path} (too old: needs libclang 17+)");
                continue;
            }
            return new LibClangApi(path, handle);
        }
        var hint = _explicitPath is not null
            ? $"the path given by --libclang, ParaSlmLibClang or {EnvironmentVariable} is not a usable libclang"
            : $"install libclang (Debian/Ubuntu: apt-get install libclang1-19) or point {EnvironmentVariable} at libclang.so";
        throw new LibClangNotFoundException(Diagnostic.Warning("PSLM0002", $"libclang was not found: {hint}. Tried: {string.Join("; ", tried.Take(6))}"));
    }
}
