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
}
