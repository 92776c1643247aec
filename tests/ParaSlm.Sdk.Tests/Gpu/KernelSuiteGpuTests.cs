using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Gpu;

/// <summary>
/// `dotnet build app.proj -p:ParaSlmTarget=gpu` on the sample kernel suite: the kernels whose hot nest is offloadable get
/// OpenMP target regions built for the device by gcc's nvptx offload compiler (installed by .ci/bootstrap), the build is
/// green, and the programs equal the serial build on the host fallback. `PARASLM_GPU_AVAILABLE=1` makes every target
/// region run (OpenMP's host fallback of the generated code itself), so the generated regions are what is compared.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.None)]
public sealed class KernelSuiteGpuTests
{
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private ProcessResult _build = null!;

    [OneTimeSetUp]
    public void BuildOnce()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.CopySample("kernels", "kernel-suite-gpu");
        // Both trees get the macro; only the offloaded copies read it (the serial sources do not mention it).
        File.AppendAllText(Path.Combine(_dir, "CMakeLists.txt"), "\nadd_compile_definitions(PARASLM_GPU_AVAILABLE=1)\n");
        _build = _workspace.Build(_dir, "app.proj", "-p:ParaSlmTarget=gpu", "-p:ParaSlmStrategy=analyzer", "-p:ParaSlmCMakeBuildSerial=true",
            "-p:ParaSlmCMakeArgs=-DPARASLM_KERNELS_SMALL=ON").ShouldSucceed();
    }

    [Test]
    public void Target_gpu_offloads_the_kernels_whose_hot_nest_is_offloadable_and_every_kernel_equals_serial_on_the_host_fallback()
    {
        Assert.That(_build.Output, Does.Not.Contain("PSLM2006"), "gcc's nvptx offload compiler is present: no loop falls back to the CPU for want of a toolchain");
        var report = Path.Combine(_dir, "obj", "Debug", "net10.0", "paraslm", "report", "paraslm-report.json");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var offloaded = json.RootElement.GetProperty("sources").EnumerateArray()
            .SelectMany(s => s.GetProperty("plans").EnumerateArray().Select(p => (File: Path.GetFileNameWithoutExtension(s.GetProperty("file").GetString()!), Plan: p)))
            .Where(x => x.Plan.GetProperty("target").GetString() == "gpu-openmp-offload").ToList();
        var kernels = offloaded.Select(x => x.File).Distinct().ToList();
        Assert.That(kernels, Is.SupersetOf(new[] { "matmul", "conv2d", "spmv", "fft", "bfs", "dijkstra" }), string.Join(", ", kernels));
        // At the small test sizes jacobi2d's and pooling's sweeps are offloadable but too small for a kernel launch: the CPU plan, with the reason.
        var small = json.RootElement.GetProperty("sources").EnumerateArray()
            .Where(s => Path.GetFileNameWithoutExtension(s.GetProperty("file").GetString()) is "jacobi2d" or "pooling")
            .SelectMany(s => s.GetProperty("plans").EnumerateArray()).Where(p => p.GetProperty("action").GetString() == "parallel").ToList();
        Assert.That(small.Select(p => p.GetProperty("reason").GetString()), Has.Some.Contains("too little for a GPU kernel launch"));
        Assert.That(offloaded.Select(x => x.Plan.GetProperty("clauses").GetString()), Has.All.Contains("map("));

        // The offloaded copies are compiled for the device, with their target regions forced on (not the original-loop branch).
        var commands = File.ReadAllText(Path.Combine(_dir, "build", "paraslm", "compile_commands.json"));
        Assert.That(commands, Does.Contain("-foffload=nvptx-none").And.Contain("-DPARASLM_GPU_AVAILABLE=1"));

        var programs = new[] { "matmul", "jacobi2d", "conv2d", "pooling", "spmv", "histogram", "bfs", "dijkstra", "fft", "attention", "pagerank" };
        var environment = new Dictionary<string, string?> { ["OMP_TARGET_OFFLOAD"] = "disabled", ["OMP_NUM_THREADS"] = "2" };
        Assert.Multiple(() =>
        {
            foreach (var program in programs)
            {
                var parallel = _workspace.Run(Path.Combine(_dir, "build", "paraslm", program), _dir, environment);
                var serial = _workspace.Run(Path.Combine(_dir, "build", "paraslm-serial", program), _dir);
                Assert.That(parallel.ExitCode, Is.EqualTo(0), program + ": " + parallel.Output);
                Assert.That(Close(Checksum(parallel.Output), Checksum(serial.Output)), Is.True,
                    $"{program}: {Checksum(parallel.Output)} (gpu build, host fallback) vs {Checksum(serial.Output)} (serial)");
            }
        });
    }

    private static double Checksum(string output) =>
        double.Parse(Regex.Match(output, @"checksum: (\S+)").Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Floating-point reductions add in another order: equal within 1e-9 of the larger magnitude (integers exactly).</summary>
    private static bool Close(double a, double b) => a == b || Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));
}
