using System.Globalization;
using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Gpu;

/// <summary>
/// `dotnet build app.proj -p:ParaSlmTarget=gpu -p:ParaSlmGpuFlavor=cuda` on the sample kernel suite, on a machine without
/// a CUDA toolkit: the build is green with PSLM2007 and the CPU plan, every kernel equals serial, and the CUDA kernels
/// ParaSlm would build are left for review in the intermediate folder — they compile to PTX with clang-19.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.None)]
public sealed class KernelSuiteCudaFlavorTests
{
    [Test]
    public void Without_a_CUDA_toolkit_the_cuda_flavour_builds_green_on_the_cpu_and_its_review_kernels_compile_to_PTX()
    {
        Assert.That(OnPath("nvcc"), Is.Null, "this test checks the no-toolkit path (PSLM2007): run it where nvcc is not on PATH");
        var clang = OnPath("clang-19") ?? throw new IgnoreException("clang-19 is not installed");
        var workspace = SdkWorkspace.Shared;
        var dir = workspace.Copy(Path.Combine(workspace.RepositoryRoot, "samples", "kernels"), "kernel-suite-cuda");
        File.Delete(Path.Combine(dir, "nuget.config"));
        var project = Path.Combine(dir, "app.proj");
        File.WriteAllText(project, Regex.Replace(File.ReadAllText(project), "Name=\"ParaSlm.Sdk\" Version=\"[^\"]+\"", $"Name=\"ParaSlm.Sdk\" Version=\"{workspace.SdkVersion}\""));
        var build = workspace.Build(dir, "app.proj", "-p:ParaSlmTarget=gpu", "-p:ParaSlmGpuFlavor=cuda", "-p:ParaSlmCudaArchitectures=90", "-p:ParaSlmStrategy=analyzer",
            "-p:ParaSlmCMakeBuildSerial=true", "-p:ParaSlmCMakeArgs=-DPARASLM_KERNELS_SMALL=ON").ShouldSucceed();
        Assert.That(build.Output, Does.Contain("warning PSLM2007"));

        var review = Path.Combine(dir, "obj", "Debug", "net10.0", "paraslm", "cuda");
        var kernels = Directory.GetFiles(review, "*.cu");
        Assert.That(kernels.Select(k => Path.GetFileName(k).Split('.')[0]), Is.SupersetOf(new[] { "matmul", "conv2d", "spmv" }));
        Assert.Multiple(() =>
        {
            foreach (var cu in kernels)
            {
                var run = ProcessRunner.Run(clang, ["-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib", "--cuda-gpu-arch=sm_90",
                    "-DPARASLM_CUDA_NO_RUNTIME", "-O2", "-S", "-I", review, "-I", dir, cu, "-o", cu + ".ptx"], review, new Dictionary<string, string?>());
                Assert.That(run.ExitCode, Is.EqualTo(0), cu + ": " + run.Output);
                Assert.That(File.Exists(cu + ".ptx") && File.ReadAllText(cu + ".ptx").Contains(".entry paraslm_kernel_"), Is.True, cu);
            }
        });

        var environment = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "2" };
        Assert.Multiple(() =>
        {
            foreach (var program in new[] { "matmul", "conv2d", "spmv", "fft", "attention" })
            {
                var parallel = workspace.Run(Path.Combine(dir, "build", "paraslm", program), dir, environment);
                var serial = workspace.Run(Path.Combine(dir, "build", "paraslm-serial", program), dir);
                Assert.That(parallel.ExitCode, Is.EqualTo(0), program + ": " + parallel.Output);
                Assert.That(Checksum(parallel.Output), Is.EqualTo(Checksum(serial.Output)).Within(1e-9).Percent, program);
            }
        });
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Where(d => d.Length > 0).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static double Checksum(string output) =>
        double.Parse(Regex.Match(output, @"checksum: (\S+)").Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
}
