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
            Assert.That(text, Does.Contain("st.global.f64"), "dot's sum: one partial per block, folded on the host");
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
            struct params { double scale; };
            void scale(double *restrict x, struct params p, int n) {
                for (int i = 0; i < n; i++)
                    x[i] = x[i] * p.scale;
            }
            """);
        var analysis = _ws.Analyze(path);
        var cuda = CudaRewrite.Rewrite(path, File.ReadAllText(path), analysis.Loops);
        Assert.That(cuda.CuText, Is.Null);
        Assert.That(cuda.Rewrite.Changed, Is.False);
        Assert.That(cuda.NotOutlined.Single().Reason, Is.Not.Empty);
    }

    // Values whose sums and products are exact in any order (small integers, powers of two), so results compare exactly.
    private const string Reductions = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        double sum_d(const double *restrict x, int n) { double s = 0; for (int i = 0; i < n; i++) s += x[i]; return s; }
        int sum_i(const int *restrict v, int n) { int s = 5; for (int i = 0; i < n; i++) s += v[i]; return s; }
        float prod_f(const float *restrict f, int n) { float p = 3; for (int i = 0; i < n; i++) p *= f[i]; return p; }
        double prod_d(const double *restrict x, int n) { double p = 1; for (int i = 0; i < n; i++) p *= x[i] > 3 ? 0.5 : 2; return p; }
        int min_i(const int *restrict v, int n) { int m = 1000000; for (int i = 0; i < n; i++) m = v[i] < m ? v[i] : m; return m; }
        int max_i(const int *restrict v, int n) { int m = -7; for (int i = 0; i < n; i++) if (v[i] > m) m = v[i]; return m; }
        float min_f(const float *restrict f, int n) { float m = 100; for (int i = 0; i < n; i++) m = fminf(m, f[i] * (i % 13)); return m; }
        double max_d(const double *restrict x, int n) { double m = -1e300; for (int i = 0; i < n; i++) m = fmax(m, x[i] * i); return m; }
        void two(const double *restrict x, int n, double *lo, double *hi) {
            double a = 1e300, b = 0;
            for (int i = 0; i < n; i++) { a = fmin(a, x[i] - i); b += x[i]; }
            *lo = a; *hi = b;
        }
        int main(void) {
            int n = 3001;
            double *x = malloc(n * sizeof *x); int *v = malloc(n * sizeof *v); float *f = malloc(n * sizeof *f);
            for (int i = 0; i < n; i++) { x[i] = (i * 7) % 11; v[i] = (i * 31) % 1009 - 500; f[i] = i % 3 == 0 ? 2.0f : i % 3 == 1 ? 0.5f : 1.0f; }
            double lo, hi;
            two(x, n, &lo, &hi);
            printf("%.1f %d %.6g %.6g %d %d %.3f %.1f %.1f %.1f\n", sum_d(x, n), sum_i(v, n), prod_f(f, n), prod_d(x, n), min_i(v, n), max_i(v, n),
                   min_f(f, n), max_d(x, n), lo, hi);
            return 0;
        }
        """;

    [Test]
    public void Sum_product_min_and_max_reductions_of_int_float_and_double_compile_to_PTX_and_a_device_run_equals_serial()
    {
        var clang = GenerationWorkspace.RequireTool("clang-19");
        var gcc = GenerationWorkspace.RequireTool("gcc");
        var gxx = GenerationWorkspace.RequireTool("g++");
        var path = _ws.WriteSource("r.c", Reductions);
        var analysis = _ws.Analyze(path);
        var loops = analysis.Loops.Where(l => l.Parallelizable && l.Function != "main").ToList();
        Assert.That(loops, Has.Count.EqualTo(9), string.Join("; ", analysis.Loops.Select(l => $"{l.Function}: {l.Reason}")));
        Assert.That(loops.SelectMany(l => l.Reductions.Select(r => r.Operator)).Distinct(), Is.EquivalentTo(new[] { "+", "*", "min", "max" }),
            string.Join("; ", analysis.Loops.Select(l => $"{l.Function}: {l.Reason}")));
        var cuda = CudaRewrite.Rewrite(path, Reductions, loops);
        Assert.That(cuda.NotOutlined, Is.Empty, string.Join("; ", cuda.NotOutlined));
        var dir = Path.Combine(_ws.OutputDir, "cuda");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, CudaKernel.HeaderName), CudaKernel.Header());
        File.WriteAllText(Path.Combine(dir, "r.cu"), cuda.CuText);
        File.WriteAllText(Path.Combine(dir, "r.c"), cuda.Rewrite.Text);
        TestContext.Out.WriteLine(cuda.CuText);

        var ptx = Path.Combine(dir, "r.ptx");
        var device = GenerationWorkspace.Run(clang, ["-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib", "--cuda-gpu-arch=sm_80",
            "-DPARASLM_CUDA_NO_RUNTIME", "-O2", "-S", "-I", dir, Path.Combine(dir, "r.cu"), "-o", ptx]);
        Assert.That(device.ExitCode, Is.EqualTo(0), device.Output);
        var text = File.ReadAllText(ptx);
        Assert.That(Regex.Matches(text, @"\.entry paraslm_kernel_").Count, Is.EqualTo(loops.Count));
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("bar.sync"), "the block trees synchronize");
            Assert.That(text, Does.Contain("st.global.f32").And.Contain("st.global.u32").And.Contain("st.global.f64"), "each block stores its partial");
        });

        // The launchers, kernels and host folds run (emulated device: real threads and barriers, separate memory).
        string Build(string name, string cu)
        {
            var emulation = Path.Combine(_ws.OutputDir, "emulation");
            Directory.CreateDirectory(emulation);
            File.WriteAllText(Path.Combine(emulation, CudaKernel.HeaderName), CudaEmulation.Header);
            // Beside the emulation's header, so that the .cu's `#include "paraslm_cuda.h"` finds it.
            File.WriteAllText(Path.Combine(emulation, name + ".cc"), CudaEmulation.Apply(cu));
            var o = GenerationWorkspace.Run(gxx, ["-std=c++20", "-O1", "-pthread", "-c", Path.Combine(emulation, name + ".cc"), "-o", Path.Combine(dir, name + ".o")]);
            Assert.That(o.ExitCode, Is.EqualTo(0), o.Output);
            var exe = Path.Combine(dir, name);
            var c = GenerationWorkspace.Run(gcc, ["-std=c11", "-O2", "-c", Path.Combine(dir, "r.c"), "-o", Path.Combine(dir, "r.o")]);
            Assert.That(c.ExitCode, Is.EqualTo(0), c.Output);
            var link = GenerationWorkspace.Run(gxx, ["-pthread", Path.Combine(dir, "r.o"), Path.Combine(dir, name + ".o"), "-o", exe, "-lm"]);
            Assert.That(link.ExitCode, Is.EqualTo(0), link.Output);
            return GenerationWorkspace.Run(exe, []).StdOut;
        }
        var serialExe = Path.Combine(dir, "serial");
        Assert.That(GenerationWorkspace.Run(gcc, ["-std=c11", "-O2", path, "-o", serialExe, "-lm"]).ExitCode, Is.EqualTo(0));
        var serial = GenerationWorkspace.Run(serialExe, []).StdOut;
        Assert.That(serial, Does.Match(@"^\S+ -?\d+ "));
        Assert.That(Build("emulated", cuda.CuText!), Is.EqualTo(serial));
        // A host fold that skipped the first block's partial would be caught.
        var skipFirst = cuda.CuText!.Replace("paraslm_b = 0;", "paraslm_b = 1;", StringComparison.Ordinal);
        Assert.That(skipFirst, Is.Not.EqualTo(cuda.CuText));
        Assert.That(Build("skip-first", skipFirst), Is.Not.EqualTo(serial));
    }
}
