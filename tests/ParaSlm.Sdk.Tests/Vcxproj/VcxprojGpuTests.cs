using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Vcxproj;

/// <summary>
/// samples/vcxproj built with `-p:ParaSlmTarget=gpu` against the VC++ stand-in and a GCC Linux toolset: the copy whose loop
/// was offloaded is compiled and linked with gcc's nvptx offload switches (installed by .ci/bootstrap), and the program
/// still computes the serial result; its ASan validation variant builds and runs the target region as host code.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class VcxprojGpuTests
{
    private static string Sample(SdkWorkspace workspace, string name)
    {
        var dir = workspace.Copy(Path.Combine(workspace.RepositoryRoot, "samples", "vcxproj"), name);
        File.Delete(Path.Combine(dir, "nuget.config"));
        // The sample's comment names `_OPENMP`: a file that reads the macro keeps its loops on the CPU (PSLM2004), which is not what these tests are about.
        var kernel = Path.Combine(dir, "src", "kernel.c");
        File.WriteAllText(kernel, File.ReadAllText(kernel).Replace("`#ifdef _OPENMP` code", "OpenMP-only code", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(kernel), Does.Not.Contain("_OPENMP"));
        return dir;
    }

    [Test]
    public void The_asan_variant_of_an_offloaded_copy_builds_as_host_code_and_runs()
    {
        var workspace = SdkWorkspace.Shared;
        var dir = Sample(workspace, "vcxproj-gpu-asan");
        var build = workspace.Build(dir, "ParallelSample.vcxproj", "-p:VCTargetsPath=" + Path.Combine(workspace.Fixtures, "VcxStandIn") + "/",
            "-p:PlatformToolset=WSL_1_0", "-p:ParaSlmTarget=gpu", "-p:ParaSlmStrategy=analyzer", "-p:ParaSlmValidate=asan").ShouldSucceed();
        // No offload switches and gcc's default offload off: the variant links with ASan and runs the target region on the
        // host. (The sample prints its thread count, so the differential run may revert; a failed build never.)
        Assert.That(build.Output, Does.Contain("ParaSlm: validation (asan ").And.Not.Contain("PSLM5006").And.Not.Contain("asan found the build failed"));
        Assert.That(build.Output, Does.Not.Contain("AddressSanitizer"));
    }

    [Test]
    public void An_offloaded_copy_gets_the_toolsets_offload_switches_at_compile_and_link_and_the_program_stays_correct()
    {
        var workspace = SdkWorkspace.Shared;
        var dir = Sample(workspace, "vcxproj-gpu");
        var build = workspace.Build(dir, "ParallelSample.vcxproj", "-p:VCTargetsPath=" + Path.Combine(workspace.Fixtures, "VcxStandIn") + "/",
            "-p:PlatformToolset=WSL_1_0", "-p:ParaSlmTarget=gpu", "-p:ParaSlmStrategy=analyzer", "-v:n").ShouldSucceed();
        Assert.That(build.Output, Does.Not.Contain("PSLM2006"));
        var copy = Directory.GetFiles(dir, "kernel.*.c", SearchOption.AllDirectories).Single(f => !f.Contains("validat", StringComparison.Ordinal));
        Assert.That(File.ReadAllText(copy), Does.Contain("#pragma omp target teams distribute parallel for"));
        var compileLines = build.Output.Split('\n').Where(l => l.Contains(Path.GetFileName(copy), StringComparison.Ordinal) && l.Contains(" -c ", StringComparison.Ordinal)).ToList();
        Assert.That(compileLines, Has.Some.Contains("-foffload=nvptx-none"), build.Output);
        Assert.That(build.Output.Split('\n').Where(l => l.Contains(" -o ", StringComparison.Ordinal) && l.Contains("ParallelSample", StringComparison.Ordinal)), Has.Some.Contains("-foffload=nvptx-none"));
        var report = Directory.GetFiles(dir, "report.*.c", SearchOption.AllDirectories);
        Assert.That(report, Is.Empty, "report.c has nothing to parallelize and gets no copy");

        var run = workspace.Run(Path.Combine(dir, "bin", "x64", "Debug", "ParallelSample.exe"), dir, new Dictionary<string, string?> { ["OMP_TARGET_OFFLOAD"] = "disabled" }).ShouldSucceed();
        long expected = 0;
        for (var i = 0L; i < 100000; i++) expected += (i * 7919 % 1000) * 3 + 1;
        Assert.That(run.StandardOutput, Does.Contain($"sum: {expected}"));
    }

    private static string[] StandIn(SdkWorkspace workspace, string toolset) =>
        ["-p:VCTargetsPath=" + Path.Combine(workspace.Fixtures, "VcxStandIn") + "/", "-p:PlatformToolset=" + toolset, "-p:ParaSlmTarget=gpu", "-p:ParaSlmStrategy=analyzer"];

    private static ProcessResult Build(SdkWorkspace workspace, string dir, string toolset, params string[] extra) =>
        workspace.Build(dir, "ParallelSample.vcxproj", [.. StandIn(workspace, toolset), .. extra]).ShouldSucceed();

    private static long ExpectedSum()
    {
        long expected = 0;
        for (var i = 0L; i < 100000; i++) expected += (i * 7919 % 1000) * 3 + 1;
        return expected;
    }

    /// <summary>The stand-in's ClangCL toolset compiles with a real clang-cl driver (clang in cl mode, targeting Linux here);
    /// the engine is told that compiler and probes it with clang-cl's switches. Without a CUDA toolkit the probe fails in
    /// clang-cl's own words, the loop is built for the CPU, and the program runs in parallel through /openmp and libomp.lib.</summary>
    [Test]
    public void A_ClangCL_build_probes_the_toolsets_clang_cl_for_offload_and_without_CUDA_builds_the_cpu_plan()
    {
        var workspace = SdkWorkspace.Shared;
        var dir = Sample(workspace, "vcxproj-gpu-clangcl");
        var build = Build(workspace, dir, "ClangCL", "-v:n");
        var clangCl = Path.Combine(dir, "x64", "Debug", "llvm", "bin", "clang-cl");
        var request = File.ReadAllText(Directory.GetFiles(dir, "paraslm.request.json", SearchOption.AllDirectories).Single());
        Assert.That(request, Does.Contain($"\"compiler\": \"{clangCl}\""), "the request names the toolset's clang-cl for every source");
        Assert.That(build.Output, Does.Contain("warning PSLM2006").And.Contain("`clang-cl /openmp /clang:-fopenmp-targets=nvptx64 /clang:--offload-arch=sm_80` cannot build offload code here"),
            "the engine probed the toolset's clang-cl with clang-cl's switches");
        Assert.That(build.Output, Does.Contain("libdevice").And.Not.Contain("did not name the source's compiler"));
        var copy = Directory.GetFiles(dir, "kernel.*.c", SearchOption.AllDirectories).Single();
        Assert.That(File.ReadAllText(copy), Does.Contain("#pragma omp parallel for").And.Not.Contain("omp target"));
        Assert.That(build.Output.Split('\n').Where(l => l.Contains(clangCl, StringComparison.Ordinal) && l.Contains(Path.GetFileName(copy), StringComparison.Ordinal)),
            Has.Some.Contains(" /openmp "), "the copy is compiled by clang-cl with its OpenMP switch");

        var run = workspace.Run(Path.Combine(dir, "bin", "x64", "Debug", "ParallelSample.exe"), dir, new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "2" }).ShouldSucceed();
        Assert.That(run.StandardOutput, Does.Contain($"sum: {ExpectedSum()}"));
        Assert.That(run.StandardOutput, Does.Contain("threads: 2"), "OpenMP reached clang-cl (/openmp) and the link (libomp.lib)");
    }

    /// <summary>The target region ParaSlm generates, compiled by clang-cl with exactly the switches a ClangCL .vcxproj gives an
    /// offloaded copy (ParaSlmOpenMPCompileOptions + ParaSlmOffloadCompileOptions), as far as this machine goes without a CUDA
    /// toolkit: the host object, and the device code as PTX with its kernel; the host fallback of the region computes the serial sum.</summary>
    [Test]
    public void The_switches_a_ClangCL_build_gives_an_offloaded_copy_compile_its_target_region_with_clang_cl()
    {
        var workspace = SdkWorkspace.Shared;
        var dir = Sample(workspace, "vcxproj-gpu-clangcl-switches");
        // gcc's nvptx offload compiler is here, so the Linux toolset's build gets the target region.
        Build(workspace, dir, "WSL_1_0");
        var generated = File.ReadAllText(Directory.GetFiles(dir, "kernel.*.c", SearchOption.AllDirectories).Single(f => !f.Contains("validat", StringComparison.Ordinal)));
        Assert.That(generated, Does.Contain("#pragma omp target teams distribute parallel for"));
        // Kept aside: the ClangCL build below rewrites the copy for the CPU (no CUDA toolkit for clang-cl here).
        var obj = Path.Combine(dir, "clangcl");
        Directory.CreateDirectory(obj);
        var copy = Path.Combine(obj, "kernel.offload.c");
        File.WriteAllText(copy, generated);

        var properties = workspace.Dotnet(dir, ["msbuild", "ParallelSample.vcxproj", "-nologo", .. StandIn(workspace, "ClangCL"), "-p:ParaSlmOffloadArch=sm_90",
            "-getProperty:ParaSlmOpenMPCompileOptions", "-getProperty:ParaSlmOffloadCompileOptions", "-getProperty:LLVMInstallDir"]).ShouldSucceed();
        using var json = System.Text.Json.JsonDocument.Parse(properties.StandardOutput);
        string Property(string name) => json.RootElement.GetProperty("Properties").GetProperty(name).GetString()!;
        var switches = (Property("ParaSlmOpenMPCompileOptions") + " " + Property("ParaSlmOffloadCompileOptions")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // The engine's probe uses the same (OffloadToolchainTests pins OffloadToolchain.FlagsFor("clang-cl") to this list).
        Assert.That(switches, Is.EqualTo(new[] { "/openmp", "/clang:-fopenmp-targets=nvptx64", "/clang:--offload-arch=sm_90" }));

        // The stand-in's clang-cl for this machine: a ClangCL build writes it into LLVMInstallDir (x64/Debug/llvm/bin).
        Build(workspace, dir, "ClangCL");
        var clangCl = Path.Combine(Property("LLVMInstallDir"), "bin", "clang-cl");
        string[] plain = ["/nologo", "/TC", "/std:c11", "/I" + Path.Combine(dir, "src"), "/I" + Path.Combine(dir, "include"), "/DSAMPLE_SIZE=100000", "/DKERNEL_SCALE=3"];
        string[] common = [.. plain, "/DPARASLM_GPU_AVAILABLE=1", .. switches];
        var host = ProcessRunner.Run(clangCl, [.. common, "/c", "/clang:--offload-host-only", copy, "/Fo" + Path.Combine(obj, "kernel.o")], dir, workspace.Environment);
        Assert.That(host.ExitCode, Is.Zero, host.Output);
        var ptx = Path.Combine(obj, "kernel.ptx");
        var device = ProcessRunner.Run(clangCl, [.. common, "/clang:--offload-device-only", "/clang:-nogpulib", "/clang:-S", copy, "/clang:-o" + ptx], dir, workspace.Environment);
        Assert.That(device.ExitCode, Is.Zero, device.Output);
        Assert.That(File.ReadAllText(ptx), Does.Contain(".target sm_90").And.Contain(".entry __omp_offloading_"), "the loop became an nvptx kernel");
        // The sources without target regions get no offload switches (the targets give them only to copies that have some).
        foreach (var other in new[] { "main", "report" })
        {
            var compile = ProcessRunner.Run(clangCl, [.. plain, "/c", Path.Combine(dir, "src", other + ".c"), "/Fo" + Path.Combine(obj, other + ".o")], dir, workspace.Environment);
            Assert.That(compile.ExitCode, Is.Zero, compile.Output);
        }
        // The host object calls the offload runtime (libomptarget), which clang's driver links only when it builds the device image.
        var program = Path.Combine(obj, "sample");
        var link = ProcessRunner.Run("clang-19", [Path.Combine(obj, "main.o"), Path.Combine(obj, "report.o"), Path.Combine(obj, "kernel.o"), "-fopenmp", "-L/usr/lib/llvm-19/lib", "-Wl,-rpath,/usr/lib/llvm-19/lib", "-lomptarget", "-lm", "-o", program], dir, workspace.Environment);
        Assert.That(link.ExitCode, Is.Zero, link.Output);
        var run = workspace.Run(program, dir, new Dictionary<string, string?> { ["OMP_TARGET_OFFLOAD"] = "disabled" }).ShouldSucceed();
        Assert.That(run.StandardOutput, Does.Contain($"sum: {ExpectedSum()}"), "the target region, run on the host, computes the serial result");
    }
}
