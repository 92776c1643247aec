using ParaSlm.Engine.Tools;

namespace ParaSlm.Engine;

/// <summary>
/// ParaSlmGpuFlavor=cuda: whether a CUDA toolkit can build the generated kernels here. Probed once per engine run, only
/// when a loop was planned for the GPU: `nvcc` (the CUDACXX environment variable, as CMake reads it, else PATH) compiles a
/// tiny kernel for the first of ParaSlmCudaArchitectures.
/// </summary>
public sealed class CudaToolchain(string architectures)
{
    /// <summary>PSLM2007: loops planned for the GPU with the CUDA flavour are built with the CPU plan: no CUDA toolkit.</summary>
    public const string NoToolkitCode = "PSLM2007";

    private const string Probe = "__global__ void k(double *a) { a[threadIdx.x] *= 2; }\n";

    private (bool Available, string Reason)? _known;

    /// <summary>CMake's CUDA_ARCHITECTURES list (`80`, `80;90`); default 80 (A100; 90 for H100/H200).</summary>
    public string Architectures { get; } = string.IsNullOrWhiteSpace(architectures) ? "80" : architectures.Trim().Replace(',', ';');

    public async Task<(bool Available, string Reason)> ProbeAsync(CancellationToken cancel)
    {
        if (_known is { } known) return known;
        var name = Environment.GetEnvironmentVariable("CUDACXX") is { Length: > 0 } c ? c : "nvcc";
        var nvcc = ToolProcess.FindOnPath(name) ?? (File.Exists(name) ? name : null);
        if (nvcc is null)
        {
            _known = (false, $"no CUDA toolkit: `{name}` is not on PATH (install the CUDA toolkit, or set CUDACXX to its nvcc)");
            return _known.Value;
        }
        var dir = Directory.CreateTempSubdirectory("paraslm-cuda-");
        try
        {
            var source = Path.Combine(dir.FullName, "probe.cu");
            await File.WriteAllTextAsync(source, Probe, cancel);
            var arch = Architectures.Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
            var outcome = await ToolProcess.RunAsync(nvcc, [$"-arch=sm_{arch}", "-c", source, "-o", Path.Combine(dir.FullName, "probe.o")], dir.FullName, null,
                TimeSpan.FromMinutes(2), cancel);
            var why = outcome.Combined.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {outcome.ExitCode}";
            _known = outcome.ExitCode == 0 && !outcome.TimedOut ? (true, string.Empty) : (false, $"`{nvcc} -arch=sm_{arch}` cannot build CUDA code here ({why})");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _known = (false, $"`{nvcc}` could not be started ({e.Message})");
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return _known.Value;
    }
}
