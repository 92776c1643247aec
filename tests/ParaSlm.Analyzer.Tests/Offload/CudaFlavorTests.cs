using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Tests.Engine;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Tests.Validation;

namespace ParaSlm.Analyzer.Tests.Offload;

/// <summary>
/// ParaSlmGpuFlavor=cuda in the build: without a CUDA toolkit (these machines) the engine warns PSLM2007, builds the CPU
/// plan and leaves the kernels it would build for review (they compile to PTX with clang-19); the CMake inject script never
/// uses a copy that launches kernels when CMake finds no CUDA compiler.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class CudaFlavorTests : EngineFixture
{
    [Test]
    public void Without_a_CUDA_toolkit_the_cuda_flavour_warns_PSLM2007_builds_the_cpu_plan_and_its_review_kernels_compile_to_PTX()
    {
        Assert.That(ParaSlm.Engine.Tools.ToolProcess.FindOnPath("nvcc"), Is.Null, "this test checks the no-toolkit path (PSLM2007): run it where nvcc is not on PATH");
        var clang = GenerationWorkspace.RequireTool("clang-19");
        var file = Ws.Write("src/k.c", OffloadBuildTests.Program);
        var (code, output, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11", "-O2")) with
        {
            Target = "gpu", GpuFlavor = "cuda", CudaArchitectures = "90", Strategy = "analyzer", Cache = "off",
        });
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("warning PSLM2007:").And.Contain("ParaSlmGpuFlavor=cuda").And.Contain("the CPU plan is used instead"));

        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.json")));
        var vadd = report.RootElement.GetProperty("sources")[0].GetProperty("plans").EnumerateArray().First(p => p.GetProperty("line").GetInt32() == 9);
        Assert.That(vadd.GetProperty("target").GetString(), Is.EqualTo("cpu-openmp"));
        Assert.That(vadd.GetProperty("code").GetString(), Is.EqualTo("PSLM2007"));
        var copy = File.ReadAllText(Directory.GetFiles(Path.Combine(Ws.Obj, "src"), "k.*.c").Single());
        Assert.That(copy, Does.Contain("#pragma omp parallel for").And.Not.Contain("paraslm_cuda_"));
        var map = File.ReadAllText(Path.Combine(Ws.Obj, "paraslm.sources.cmake"));
        Assert.That(map, Does.Contain("set(PARASLM_CUDA_SOURCES \"\")"));

        // What a CUDA build would compile, for review: the copy calling the launchers and the kernels.
        var review = Path.Combine(Ws.Obj, "cuda");
        var cu = Directory.GetFiles(review, "k.*.cu").Single();
        Assert.That(File.ReadAllText(Directory.GetFiles(review, "k.*.c").Single()), Does.Contain("if (paraslm_cuda_vadd_9_5(z, x, y, n) != 0) {"));
        var ptx = Path.Combine(review, "k.ptx");
        var run = GenerationWorkspace.Run(clang, ["-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib", "--cuda-gpu-arch=sm_90",
            "-DPARASLM_CUDA_NO_RUNTIME", "-O2", "-S", "-I", review, cu, "-o", ptx]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        var entries = Regex.Matches(File.ReadAllText(ptx), @"\.entry (paraslm_kernel_\w+)\(").Select(m => m.Groups[1].Value).ToList();
        Assert.That(entries, Does.Contain("paraslm_kernel_vadd_9_5").And.Contain("paraslm_kernel_dot_20_5").And.Contain("paraslm_kernel_mm_26_5"));
    }

    [Test]
    public void The_inject_script_builds_the_original_when_cmake_finds_no_CUDA_compiler_for_a_copy_that_launches_kernels()
    {
        Assert.That(ParaSlm.Engine.Tools.ToolProcess.FindOnPath("nvcc"), Is.Null, "this test checks the no-toolkit path (PSLM2007): run it where nvcc is not on PATH");
        GenerationWorkspace.RequireTool("cmake");
        Ws.Write("CMakeLists.txt", "cmake_minimum_required(VERSION 3.16)\nproject(cuda_fallback C)\nadd_executable(app main.c)\n");
        var main = Ws.Write("main.c", "#include <stdio.h>\nint main(void) { double s = 0; for (int i = 0; i < 10; i++) s += i; printf(\"%.1f\\n\", s); return 0; }\n");
        // A copy that calls a kernel launcher, as the engine writes it with a CUDA toolkit, and its .cu.
        var copy = Ws.Write("obj/src/main.0000.c", "#include <stdio.h>\nextern int paraslm_cuda_main_1_1(double *s);\n" +
            "int main(void) { double s = 0; if (paraslm_cuda_main_1_1(&s) != 0) { for (int i = 0; i < 10; i++) s += i; } printf(\"%.1f\\n\", s); return 0; }\n");
        var cu = Ws.Write("obj/src/main.0000.cu", "extern \"C\" int paraslm_cuda_main_1_1(double *s) { return 1; }\n");
        var sources = Ws.Write("obj/paraslm.sources.cmake",
            $"set(PARASLM_SOURCE_MAP \"{main};{copy}\")\nset(PARASLM_OPENMP ON)\nset(PARASLM_OFFLOAD_SOURCES \"\")\nset(PARASLM_OFFLOAD_FLAGS \"\")\n" +
            $"set(PARASLM_CUDA_SOURCES \"{copy};{cu}\")\nset(PARASLM_CUDA_ARCHITECTURES \"90\")\n");
        var inject = Ws.Write("obj/paraslm.inject.cmake", $"set(PARASLM_SOURCES_FILE \"{sources}\")\ninclude(\"{ValidationProject.InjectLogic}\")\n");
        var tree = Path.Combine(Ws.Root, "build");
        var configure = GenerationWorkspace.Run("cmake", ["-S", Ws.Root, "-B", tree, "-DCMAKE_PROJECT_INCLUDE=" + inject], Ws.Root);
        Assert.That(configure.ExitCode, Is.EqualTo(0), configure.Output);
        Assert.That(configure.Output, Does.Contain("PSLM2007").And.Contain("no CUDA").And.Contain("0 source(s) replaced"));
        var build = GenerationWorkspace.Run("cmake", ["--build", tree], Ws.Root);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
        Assert.That(GenerationWorkspace.Run(Path.Combine(tree, "app"), []).StdOut.Trim(), Is.EqualTo("45.0"));
    }
}
