using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Generation.Cuda;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Offload;

/// <summary>
/// `target: gpu-cuda` generation: each offloadable loop of <see cref="OffloadBuildTests.Program"/> outlined into a
/// `__global__` kernel and a host launcher; the device code compiles to PTX with clang-19 (no CUDA toolkit: our header
/// supplies the builtins), the launchers type-check as host CUDA, and the rewritten C source compiles with gcc.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CudaGenerationTests
{
    private GenerationWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new GenerationWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    private (CudaSource Cuda, string Dir) Generate()
    {
        var path = _ws.WriteSource("k.c", OffloadBuildTests.Program);
        var analysis = _ws.Analyze(path);
        // The outermost parallel loop of each nest, as the planner would choose.
        var loops = analysis.Loops.Where(l => l.Parallelizable && l.ParentId is null && l.Function != "main").ToList();
        var cuda = CudaRewrite.Rewrite(path, OffloadBuildTests.Program, loops);
        var dir = Path.Combine(_ws.OutputDir, "cuda");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, CudaKernel.HeaderName), CudaKernel.Header());
        File.WriteAllText(Path.Combine(dir, "k.cu"), cuda.CuText);
        File.WriteAllText(Path.Combine(dir, "k.c"), cuda.Rewrite.Text);
        TestContext.Out.WriteLine(cuda.CuText);
        TestContext.Out.WriteLine(cuda.Rewrite.Text);
        return (cuda, dir);
    }

    [Test]
    public void Every_offloadable_loop_becomes_a_kernel_that_compiles_to_PTX_with_a_block_reduction_for_its_sum()
    {
        var clang = GenerationWorkspace.RequireTool("clang-19");
        var (cuda, dir) = Generate();
        Assert.That(cuda.NotOutlined, Is.Empty, string.Join("; ", cuda.NotOutlined));
        var ptx = Path.Combine(dir, "k.ptx");
        var run = GenerationWorkspace.Run(clang, ["-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib", "--cuda-gpu-arch=sm_80",
            "-DPARASLM_CUDA_NO_RUNTIME", "-O2", "-S", "-iquote", _ws.SourceDir, "-I", dir, Path.Combine(dir, "k.cu"), "-o", ptx]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        var text = File.ReadAllText(ptx);
        var entries = Regex.Matches(text, @"\.entry (paraslm_kernel_\w+)\(").Select(m => m.Groups[1].Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(entries, Is.EquivalentTo(new[] { "paraslm_kernel_vadd_9_5", "paraslm_kernel_every_third_14_5", "paraslm_kernel_dot_20_5", "paraslm_kernel_mm_26_5" }));
            Assert.That(text, Does.Contain("atom.global.add.f64"), "dot's sum: one atomic add per block");
            Assert.That(text, Does.Contain("bar.sync"), "the block's tree reduction synchronizes");
            Assert.That(text, Does.Contain("sqrt"), "the body's libm call runs on the device");
        });
    }

    [Test]
    public void The_launchers_type_check_as_host_CUDA_and_the_rewritten_source_calls_them_with_the_original_loop_as_fallback()
    {
        var clang = GenerationWorkspace.RequireTool("clang-19");
        var gcc = GenerationWorkspace.RequireTool("gcc");
        var (cuda, dir) = Generate();
        var host = GenerationWorkspace.Run(clang, ["-x", "cuda", "--cuda-host-only", "-nocudainc", "-nocudalib", "-DPARASLM_CUDA_NO_RUNTIME", "-fsyntax-only",
            "-iquote", _ws.SourceDir, "-I", dir, Path.Combine(dir, "k.cu")]);
        Assert.That(host.ExitCode, Is.EqualTo(0), host.Output);
        var c = GenerationWorkspace.Run(gcc, ["-std=c11", "-O2", "-Wall", "-c", "-iquote", _ws.SourceDir, Path.Combine(dir, "k.c"), "-o", Path.Combine(dir, "k.o")]);
        Assert.That(c.ExitCode, Is.EqualTo(0), c.Output);
        var text = cuda.Rewrite.Text;
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("extern int paraslm_cuda_vadd_9_5(double *restrict z, const double *restrict x, const double *restrict y, int n);"));
            Assert.That(text, Does.Contain("if (paraslm_cuda_dot_20_5(x, y, n, &s) != 0) {"));
            Assert.That(text, Does.Contain("if (paraslm_cuda_mm_26_5(A, B, C) != 0) {"));
            Assert.That(text, Does.Not.Contain("} else {"), "the launcher ran the loop or declined: the original loop is the only other branch");
            Assert.That(cuda.CuText, Does.Contain("if (cudaGetDeviceCount(&paraslm_devices) != cudaSuccess || paraslm_devices == 0) return 1;"));
            Assert.That(cuda.CuText, Does.Contain("cudaMemcpyHostToDevice").And.Contain("cudaMemcpyDeviceToHost"));
        });
        // every_third writes only some elements of z: the launcher copies z in before and back after (tofrom).
        var third = cuda.CuText![cuda.CuText!.IndexOf("paraslm_cuda_every_third", StringComparison.Ordinal)..];
        third = third[..third.IndexOf("\n}\n", StringComparison.Ordinal)];
        Assert.That(third, Does.Contain("(const char *)(z) + paraslm_off0, paraslm_bytes0, cudaMemcpyHostToDevice"));
        Assert.That(third, Does.Contain("(char *)(z) + paraslm_off0, (const char *)paraslm_d0 + paraslm_off0, paraslm_bytes0, cudaMemcpyDeviceToHost"));
    }

    [Test]
    public void A_loop_the_kernel_cannot_take_is_left_as_written_with_the_reason()
    {
        var path = _ws.WriteSource("m.c", """
            double prod(const double *restrict x, int n) {
                double p = 1;
                for (int i = 0; i < n; i++)
                    p *= x[i];
                return p;
            }
            """);
        var analysis = _ws.Analyze(path);
        var cuda = CudaRewrite.Rewrite(path, File.ReadAllText(path), analysis.Loops);
        Assert.That(cuda.CuText, Is.Null);
        Assert.That(cuda.Rewrite.Changed, Is.False);
        Assert.That(cuda.NotOutlined.Single().Reason, Does.Contain("only a single `+` reduction"));
    }
}
