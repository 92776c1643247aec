using ParaSlm.Engine.Inputs;
using ParaSlm.Engine.Tools;

namespace ParaSlm.Engine;

/// <summary>What a compiler needs to build OpenMP offload code for an NVIDIA GPU, and whether it can here.</summary>
/// <param name="Flags">Compile and link flags (gcc: `-foffload=nvptx-none …`; clang: `-fopenmp-targets=nvptx64 --offload-arch=…`).</param>
/// <param name="Reason">Why it cannot, in the compiler's words, when <paramref name="Available"/> is false.</param>
public sealed record OffloadToolchain(bool Available, string Compiler, IReadOnlyList<string> Flags, string Reason)
{
    /// <summary>PSLM2006: a loop planned for the GPU is built with the CPU plan because no offload toolchain is present.</summary>
    public const string NoToolchainCode = "PSLM2006";

    /// <summary>The flags a compiler family takes for NVIDIA offload; empty for one that has none (MSVC).</summary>
    public static IReadOnlyList<string> FlagsFor(string family, string arch) => family switch
    {
        // gcc-N-offload-nvptx: mkoffload runs at link time, so these go to the link too; -lm for libm calls on the device.
        "gcc" => ["-fopenmp", "-foffload=nvptx-none", $"-foffload-options=nvptx-none=-march={arch}", "-foffload-options=nvptx-none=-lm"],
        "clang" => ["-fopenmp", "-fopenmp-targets=nvptx64", $"--offload-arch={arch}"],
        // clang-cl ignores -fopenmp (and /openmp:llvm) without a word: OpenMP is /openmp, clang's offload switches go through
        // /clang:. The same switches as a ClangCL .vcxproj's copies get (ParaSlm.Cpp.targets, ParaSlmOffloadCompileOptions).
        "clang-cl" => ["/openmp", "/clang:-fopenmp-targets=nvptx64", $"/clang:--offload-arch={arch}"],
        _ => [],
    };

    /// <summary>The family of a compiler from its name and `--version` text: gcc, clang, clang-cl (clang in cl mode, named
    /// so as the ClangCL/LLVM toolsets run it), msvc, or null for one ParaSlm knows no offload flags for.</summary>
    public static string? FamilyOf(string compiler, string versionText)
    {
        if (versionText.Contains("clang", StringComparison.OrdinalIgnoreCase))
            return CompilerName.IsClangCl(compiler) ? "clang-cl" : "clang";
        if (versionText.Contains("Free Software Foundation", StringComparison.Ordinal) || versionText.Contains("GCC", StringComparison.Ordinal)) return "gcc";
        return versionText.Contains("Microsoft (R) C/C++", StringComparison.Ordinal) ? "msvc" : null;
    }
}

/// <summary>
/// Probes each compiler once per engine run, only when some loop was planned for the GPU: a tiny target region with a
/// libm call is compiled and linked with the offload flags. No GPU is needed for that (gcc with gcc-N-offload-nvptx
/// builds the device code here; clang needs CUDA's libdevice and ptxas, so without a CUDA toolkit it is unavailable).
/// </summary>
public sealed class OffloadToolchains(string arch)
{
    private const string Probe = """
        #include <math.h>
        int main(void) {
          double a[64]; int n = 64;
          for (int i = 0; i < n; i++) a[i] = i;
        #pragma omp target teams distribute parallel for map(tofrom: a[0:n])
          for (int i = 0; i < n; i++) a[i] = sqrt(a[i]);
          return a[4] == 2.0 ? 0 : 1;
        }
        """;

    private readonly Dictionary<string, OffloadToolchain> _known = new(StringComparer.Ordinal);

    public string Arch { get; } = string.IsNullOrWhiteSpace(arch) ? "sm_80" : arch.Trim();

    public async Task<OffloadToolchain> ForAsync(CompileCommand unit, CancellationToken cancel)
    {
        // Sources handed over without their compiler (a .vcxproj on Linux, a bare request) are built by gcc here.
        var name = unit.Compiler is { Length: > 0 } c ? c : OperatingSystem.IsWindows() ? null : "gcc";
        var compiler = name is null ? null : ToolProcess.FindOnPath(name) ?? (File.Exists(name) ? name : null);
        if (compiler is null)
            return new OffloadToolchain(false, name ?? "(none)", [], name is null ? "the build did not name the source's compiler" : $"the compiler `{name}` was not found");
        if (_known.TryGetValue(compiler, out var known)) return known;
        var result = await ProbeAsync(compiler, cancel);
        _known[compiler] = result;
        return result;
    }

    private async Task<OffloadToolchain> ProbeAsync(string compiler, CancellationToken cancel)
    {
        var dir = Directory.CreateTempSubdirectory("paraslm-offload-");
        try
        {
            var version = await ToolProcess.RunAsync(compiler, ["--version"], dir.FullName, null, TimeSpan.FromSeconds(30), cancel);
            var family = OffloadToolchain.FamilyOf(compiler, version.Combined);
            if (family == "msvc") return new OffloadToolchain(false, compiler, [], $"`{Path.GetFileName(compiler)}` (MSVC) has no OpenMP offload; the ClangCL toolset's clang-cl has");
            if (family is null) return new OffloadToolchain(false, compiler, [], $"`{compiler}` is neither gcc nor clang, and ParaSlm knows no offload flags for it");
            var flags = OffloadToolchain.FlagsFor(family, Arch);
            var source = Path.Combine(dir.FullName, "probe.c");
            await File.WriteAllTextAsync(source, Probe, cancel);
            // The probe is C: a C++ driver (g++, clang++) would read probe.c as C++, which is fine for this program. clang-cl
            // takes -o too; its C runtime holds libm, and it links the OpenMP runtime itself under /openmp.
            IReadOnlyList<string> libm = family == "clang-cl" ? [] : ["-lm"];
            var outcome = await ToolProcess.RunAsync(compiler, [.. flags, source, "-o", Path.Combine(dir.FullName, "probe"), .. libm], dir.FullName, null,
                TimeSpan.FromMinutes(2), cancel);
            if (outcome.ExitCode == 0 && !outcome.TimedOut) return new OffloadToolchain(true, compiler, flags, string.Empty);
            var lines = ErrorLines.In(outcome.Combined.Split('\n').Select(l => l.TrimEnd('\r')), 1);
            var why = lines.Count > 0 ? lines[0].Trim() : $"exit code {outcome.ExitCode}";
            var hint = family == "gcc" ? "install gcc's nvptx offload compiler (Debian: gcc-<version>-offload-nvptx)" : $"install the CUDA toolkit (libdevice, ptxas) for {family}'s nvptx offload";
            return new OffloadToolchain(false, compiler, flags, $"`{Path.GetFileName(compiler)} {string.Join(' ', flags)}` cannot build offload code here ({why}); {hint}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new OffloadToolchain(false, compiler, [], e.Message);
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
