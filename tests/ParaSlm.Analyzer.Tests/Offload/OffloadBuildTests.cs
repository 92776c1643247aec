using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Tests.Engine;
using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Contracts;

namespace ParaSlm.Analyzer.Tests.Offload;

/// <summary>
/// `paraslm apply` with ParaSlmTarget=gpu|auto on a program of its own, built by real compilers: gcc with its nvptx
/// offload compiler builds the device code here, clang-19 compiles it to PTX, the host-fallback runs equal the serial
/// program, and a device with separate memory (<see cref="MapEmulation"/>) shows the map clauses move the right data.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class OffloadBuildTests : EngineFixture
{
    // Integer-valued doubles: every sum is exact in any order, so the outputs compare exactly.
    internal const string Program = """
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>

        #define N 96
        static double A[N][N], B[N][N], C[N][N];

        void vadd(const double *restrict x, const double *restrict y, double *restrict z, int n) {
            for (int i = 0; i < n; i++)
                z[i] = x[i] + floor(sqrt(y[i]));
        }

        void every_third(double *restrict z, int n) {
            for (int i = 0; i < n; i++)
                if (i % 3 == 0) z[i] = z[i] * 2 + 1;
        }

        double dot(const double *restrict x, const double *restrict y, int n) {
            double s = 0;
            for (int i = 0; i < n; i++)
                s += x[i] * y[i];
            return s;
        }

        void mm(void) {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0;
                    for (int k = 0; k < N; k++)
                        s += A[i][k] * B[k][j];
                    C[i][j] = s;
                }
        }

        int main(void) {
            int n = 100000;
            double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *z = malloc(n * sizeof *z);
            for (int i = 0; i < n; i++) { x[i] = i % 7; y[i] = i % 50; z[i] = -1; }
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) { A[i][j] = (i + j) % 3; B[i][j] = (i * j) % 5; }
            vadd(x, y, z, n);
            every_third(z, n);
            mm();
            double c = 0;
            for (int i = 0; i < N; i++) c += C[i][(i * 7) % N];
            printf("dot %.1f mm %.1f z %.1f %.1f %.1f\n", dot(z, x, n), c, z[0], z[1], z[n - 1]);
            free(x); free(y); free(z);
            return 0;
        }
        """;

    private (string Copy, JsonElement Report, string Cmake, string Out) Apply(string target, string? compileCommandsCompiler = null, string program = Program,
        string? sourceCompiler = null)
    {
        var file = Ws.Write("src/k.c", program);
        var request = Ws.NewRequest() with { Target = target, Strategy = "analyzer", Cache = "off" };
        var (code, output, err) = Ws.Apply(compileCommandsCompiler is null
            ? request with { Sources = [new EngineSource(file, ["-std=c11", "-O2"], sourceCompiler)] }
            : request with { CompileCommands = Ws.CompileCommands((file, [compileCommandsCompiler, "-std=c11", "-O2", "-c", file])) });
        Assert.That(code, Is.EqualTo(0), output + err);
        var copy = Directory.GetFiles(Path.Combine(Ws.Obj, "src"), "k.*.c").Single();
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.json")));
        return (File.ReadAllText(copy), report.RootElement.Clone(), File.ReadAllText(Path.Combine(Ws.Obj, "paraslm.sources.cmake")), output);
    }

    private static Dictionary<int, (string Target, string Clauses, string Reason, string? Code)> Plans(JsonElement report) =>
        report.GetProperty("sources")[0].GetProperty("plans").EnumerateArray()
            .GroupBy(p => p.GetProperty("line").GetInt32()).Select(g => g.First())
            .ToDictionary(p => p.GetProperty("line").GetInt32(), p => (p.GetProperty("target").GetString()!, p.GetProperty("clauses").GetString() ?? string.Empty,
                p.GetProperty("reason").GetString()!, p.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null));

    private string Build(string name, string text, params string[] flags) => OffloadPrograms.Build(Ws, name, text, flags);

    private static string RunExe(string exe, params (string, string)[] environment) => OffloadPrograms.Run(exe, environment);

    private static string[] OffloadFlags(string cmake)
    {
        var m = Regex.Match(cmake, "set\\(PARASLM_OFFLOAD_FLAGS \"([^\"]*)\"\\)");
        Assert.That(m.Success, Is.True, cmake);
        return m.Groups[1].Value.Split(';', StringSplitOptions.RemoveEmptyEntries);
    }

    [Test]
    public void Target_gpu_offloads_every_offloadable_loop_and_the_gcc_offload_build_equals_serial_on_both_host_paths()
    {
        var (copy, report, cmake, _) = Apply("gpu");
        var plans = Plans(report);
        Assert.Multiple(() =>
        {
            Assert.That(plans[9].Target, Is.EqualTo("gpu-openmp-offload"));
            Assert.That(plans[9].Clauses, Is.EqualTo("map(to: x[0:n], y[0:n]) map(from: z[0:n])"));
            Assert.That(plans[14].Clauses, Is.EqualTo("map(tofrom: z[0:n])"));
            Assert.That(plans[20].Clauses, Is.EqualTo("map(to: x[0:n], y[0:n]) map(tofrom: s) reduction(+:s)"));
            Assert.That(plans[26].Clauses, Is.EqualTo("map(to: A, B) map(tofrom: C) collapse(2)"));
            Assert.That(copy, Does.Contain("if (PARASLM_GPU_AVAILABLE) {"));
            Assert.That(Regex.Matches(copy, "#pragma omp target teams distribute parallel for").Count, Is.EqualTo(plans.Values.Count(p => p.Target == "gpu-openmp-offload")));
        });
        var flags = OffloadFlags(cmake);
        Assert.That(flags, Does.Contain("-foffload=nvptx-none"), "gcc-offload-nvptx is installed by .ci/bootstrap");
        Assert.That(cmake, Does.Contain("PARASLM_OFFLOAD_SOURCES \"" + Directory.GetFiles(Path.Combine(Ws.Obj, "src"), "k.*.c").Single()));

        var serial = RunExe(Build("serial", Program));
        var offload = Build("offload", copy, flags);
        // No device here: the versioned loop takes the original path; OMP_TARGET_OFFLOAD=disabled says the same explicitly.
        Assert.That(RunExe(offload), Is.EqualTo(serial));
        Assert.That(RunExe(offload, ("OMP_TARGET_OFFLOAD", "disabled")), Is.EqualTo(serial));
        // Forcing the target regions runs OpenMP's host fallback of the generated teams/distribute/parallel-for code itself.
        var forced = Build("forced", copy, [.. flags, "-DPARASLM_GPU_AVAILABLE=1"]);
        Assert.That(RunExe(forced, ("OMP_TARGET_OFFLOAD", "disabled")), Is.EqualTo(serial));
        Assert.That(serial, Does.StartWith("dot "));
    }

    [Test]
    public void The_map_clauses_move_the_right_data_on_a_device_with_its_own_memory_and_a_missing_copy_back_is_caught()
    {
        var (copy, _, _, _) = Apply("gpu");
        var serial = RunExe(Build("serial", Program));
        Assert.That(RunExe(Build("emulated", MapEmulation.Apply(copy), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.EqualTo(serial));

        // The same emulation fails when an array is not copied back, or when a partly written array is not copied in.
        var notBack = copy.Replace("map(from: z[0:n])", "map(to: z[0:n])", StringComparison.Ordinal);
        var notIn = copy.Replace("map(tofrom: z[0:n])", "map(from: z[0:n])", StringComparison.Ordinal);
        var matrixNotBack = copy.Replace("map(tofrom: C)", "map(to: C)", StringComparison.Ordinal);
        Assert.That(new[] { notBack, notIn, matrixNotBack }, Has.None.EqualTo(copy), "each mutation changes a generated clause");
        Assert.That(RunExe(Build("not-back", MapEmulation.Apply(notBack), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.Not.EqualTo(serial));
        Assert.That(RunExe(Build("not-in", MapEmulation.Apply(notIn), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.Not.EqualTo(serial));
        Assert.That(RunExe(Build("matrix-not-back", MapEmulation.Apply(matrixNotBack), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.Not.EqualTo(serial));
    }

    // PolyBench's shape: array-syntax parameters (pointers to rows) that may alias, so the loop is parallel under a check.
    private const string RowsProgram = """
        #include <stdio.h>
        #define N 64
        void smooth(int n, double C[N][N], const double A[N][N]) {
            for (int i = 1; i < n; i++)
                for (int j = 1; j < N - 1; j++)
                    C[i][j] = A[i - 1][j] + A[i][j - 1] + A[i][j + 1];
        }
        int main(void) {
            static double A[N][N], C[N][N];
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) { A[i][j] = (i * 3 + j) % 7; C[i][j] = -1; }
            smooth(N - 1, C, A);
            double s = 0;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) s += C[i][j] * (i + 1);
            printf("%.1f\n", s);
            return 0;
        }
        """;

    [Test]
    public void Rows_of_aliasing_array_parameters_are_offloaded_under_the_non_overlap_check_and_copied_back_whole()
    {
        var (copy, report, _, _) = Apply("gpu", program: RowsProgram);
        var smooth = Plans(report)[4];
        Assert.That(smooth.Target, Is.EqualTo("gpu-openmp-offload"), smooth.Reason);
        Assert.That(smooth.Clauses, Does.Contain("map(tofrom: C[").And.Contain("map(to: A["));
        Assert.That(copy, Does.Contain("if (PARASLM_GPU_AVAILABLE && ((const double *)"));
        var serial = RunExe(Build("serial", RowsProgram));
        Assert.That(RunExe(Build("forced", copy, [.. OffloadFlags(File.ReadAllText(Path.Combine(Ws.Obj, "paraslm.sources.cmake"))), "-DPARASLM_GPU_AVAILABLE=1"]),
            ("OMP_TARGET_OFFLOAD", "disabled")), Is.EqualTo(serial));
        Assert.That(RunExe(Build("emulated", MapEmulation.Apply(copy), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.EqualTo(serial));
        var notBack = Regex.Replace(copy, @"map\(tofrom: C\[", "map(to: C[");
        Assert.That(notBack, Is.Not.EqualTo(copy));
        Assert.That(RunExe(Build("not-back", MapEmulation.Apply(notBack), "-fopenmp", "-DPARASLM_GPU_AVAILABLE=1")), Is.Not.EqualTo(serial));
    }

    [Test]
    public void The_offload_copy_compiles_to_PTX_with_clang_19_one_kernel_per_offloaded_loop()
    {
        var clang = GenerationWorkspace.RequireTool("clang-19");
        var (copy, report, _, _) = Apply("gpu");
        var source = Ws.Write("build/copy.c", copy);
        var ptx = Path.Combine(Ws.Root, "build", "copy.ptx");
        var run = GenerationWorkspace.Run(clang, ["-O2", "-std=c11", "-fopenmp", "-fopenmp-targets=nvptx64", "--offload-arch=sm_80", "--offload-device-only",
            "-nocudalib", "-S", "-iquote", Path.Combine(Ws.Root, "src"), source, "-o", ptx]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        var entries = Regex.Matches(File.ReadAllText(ptx), @"\.entry __omp_offloading_\w+_(\w+)_l(\d+)\(").Select(m => $"{m.Groups[1].Value}:{m.Groups[2].Value}").ToList();
        var offloaded = Plans(report).Where(p => p.Value.Target == "gpu-openmp-offload").Select(p => p.Key).ToList();
        Assert.That(entries, Has.Count.EqualTo(offloaded.Count));
        Assert.That(entries, Does.Contain("vadd:9").And.Contain("mm:26").And.Contain("dot:20"));
    }

    [Test]
    public void Without_an_offload_toolchain_the_cpu_plan_is_built_with_PSLM2006_and_the_copy_has_no_target_region()
    {
        GenerationWorkspace.RequireTool("clang-19");
        // clang-19 without a CUDA installation has no libdevice or ptxas: it cannot link nvptx offload code here.
        var (copy, report, cmake, output) = Apply("gpu", compileCommandsCompiler: "clang-19");
        var plans = Plans(report);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("warning PSLM2006:").And.Contain("the CPU plan is used instead"));
            Assert.That(plans[9].Target, Is.EqualTo("cpu-openmp"));
            Assert.That(plans[9].Code, Is.EqualTo("PSLM2006"));
            Assert.That(plans[9].Reason, Does.Contain("no GPU toolchain"));
            Assert.That(copy, Does.Not.Contain("omp target"));
            Assert.That(copy, Does.Contain("#pragma omp parallel for"));
            Assert.That(OffloadFlags(cmake), Is.Empty);
        });
    }

    /// <summary>A .vcxproj's request names its toolset's compiler per source (ClangCL: clang-cl); the engine probes that
    /// compiler in its own driver's words. Here clang-cl is clang-19 in cl mode targeting Linux (the system headers are
    /// Linux's); without a CUDA toolkit it has no libdevice, so the loop is built for the CPU and says why.</summary>
    [Test]
    public void A_source_handed_over_with_clang_cl_is_probed_with_clang_cls_offload_switches()
    {
        var clang = GenerationWorkspace.RequireTool("clang-19");
        var clangCl = Ws.Write("llvm/bin/clang-cl", $"#!/bin/sh\nexec {clang} --driver-mode=cl --target=x86_64-pc-linux-gnu \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(clangCl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (copy, report, _, output) = Apply("gpu", sourceCompiler: clangCl);
        var plans = Plans(report);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("warning PSLM2006:").And.Contain("`clang-cl /openmp /clang:-fopenmp-targets=nvptx64 /clang:--offload-arch=sm_80` cannot build offload code here"));
            Assert.That(output, Does.Contain("libdevice").And.Contain("for clang-cl's nvptx offload"));
            Assert.That(plans[9].Code, Is.EqualTo("PSLM2006"));
            Assert.That(copy, Does.Not.Contain("omp target"));
        });
    }

    [Test]
    public void A_source_handed_over_with_an_offload_capable_compiler_gets_its_target_regions()
    {
        GenerationWorkspace.RequireTool("gcc");
        var (copy, report, _, output) = Apply("gpu", sourceCompiler: "gcc");
        Assert.That(output, Does.Not.Contain("PSLM2006"));
        Assert.That(Plans(report)[9].Target, Is.EqualTo("gpu-openmp-offload"));
        Assert.That(copy, Does.Contain("#pragma omp target teams distribute parallel for"));
    }

    [TestCase("/usr/bin/clang-cl", "clang version 19.1.7\nTarget: x86_64-pc-windows-msvc", "clang-cl")]
    [TestCase(@"C:\LLVM\bin\clang-cl.exe", "clang version 19.1.7", "clang-cl")]
    [TestCase("/usr/bin/clang-19", "Debian clang version 19.1.7", "clang")]
    [TestCase("/usr/bin/gcc", "gcc (Debian 12.2.0-14) 12.2.0\nCopyright (C) 2022 Free Software Foundation, Inc.", "gcc")]
    [TestCase("cl.exe", "Microsoft (R) C/C++ Optimizing Compiler Version 19.40.33811 for x64", "msvc")]
    [TestCase("icx", "Intel(R) oneAPI DPC++/C++ Compiler", null)]
    public void A_compilers_family_comes_from_its_name_and_version_text(string compiler, string version, string? family) =>
        Assert.That(ParaSlm.Engine.OffloadToolchain.FamilyOf(compiler, version), Is.EqualTo(family));

    [TestCase(@"C:\Program Files\LLVM\bin\CLANG-CL.EXE", "clang-cl", true, false)]
    [TestCase("/usr/bin/clang-cl-19", "clang-cl-19", true, false)]
    [TestCase(@"C:\VS\VC\bin\cl.exe", "cl", false, true)]
    [TestCase("/usr/bin/clang", "clang", false, false)]
    public void A_compiler_path_names_its_driver_on_any_host(string compiler, string name, bool clangCl, bool cl)
    {
        Assert.That(ParaSlm.Engine.Tools.CompilerName.Of(compiler), Is.EqualTo(name));
        Assert.That(ParaSlm.Engine.Tools.CompilerName.IsClangCl(compiler), Is.EqualTo(clangCl));
        Assert.That(ParaSlm.Engine.Tools.CompilerName.IsCl(compiler), Is.EqualTo(cl));
    }

    [Test]
    public void Clang_cls_offload_switches_are_the_ones_a_ClangCL_vcxproj_gives_its_offloaded_copies() =>
        // VcxprojGpuTests checks ParaSlm.Cpp.targets emits exactly these for PlatformToolset=ClangCL.
        Assert.That(ParaSlm.Engine.OffloadToolchain.FlagsFor("clang-cl", "sm_90"), Is.EqualTo(new[] { "/openmp", "/clang:-fopenmp-targets=nvptx64", "/clang:--offload-arch=sm_90" }));

    [Test]
    public void The_offload_copy_keeps_the_users_feature_test_macros_first_so_clang_still_sees_POSIX_declarations()
    {
        var clang = GenerationWorkspace.RequireTool("clang-19");
        var file = Ws.Write("src/t.c", """
            #define _POSIX_C_SOURCE 199309L
            #include <stdio.h>
            #include <time.h>
            void scale(double *restrict z, const double *restrict x, int n) {
                for (int i = 0; i < n; i++)
                    z[i] = 2 * x[i];
            }
            int main(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); double x[4] = {1, 2, 3, 4}, z[4]; scale(z, x, 4); printf("%.1f\n", z[3]); return 0; }
            """);
        var (code, output, err) = Ws.Apply(Ws.NewRequest() with
        {
            Target = "gpu", Strategy = "analyzer", Cache = "off", CompileCommands = Ws.CompileCommands((file, ["gcc", "-std=c11", "-c", file])),
        }, "request-t.json");
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Not.Contain("PSLM1013"));
        var copy = Directory.GetFiles(Path.Combine(Ws.Obj, "src"), "t.*.c").Single();
        Assert.That(File.ReadAllText(copy), Does.Contain("omp target").And.Not.Contain("#include <omp.h>"));
        var run = GenerationWorkspace.Run(clang, ["-std=c11", "-fopenmp", "-fsyntax-only", "-iquote", Path.Combine(Ws.Root, "src"), copy]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
    }

    [Test]
    public void Target_auto_chooses_per_loop_and_states_the_numbers_or_the_reason()
    {
        var (_, report, _, _) = Apply("auto");
        var plans = Plans(report);
        Assert.Multiple(() =>
        {
            Assert.That(plans[26].Target, Is.EqualTo("gpu-openmp-offload"), plans[26].Reason);
            Assert.That(plans[26].Reason, Does.Match(@"auto chose the GPU: .* accesses of work, .* bytes moved: GPU estimate .*, CPU estimate"));
            Assert.That(plans[9].Target, Is.EqualTo("cpu-openmp"));
            Assert.That(plans[9].Reason, Does.Contain("auto chose the CPU: the loop's work is not known at build time"));
        });
    }
}
