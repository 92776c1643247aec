using System.Text.Json;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.Vcxproj;

/// <summary>
/// samples/vcxproj built with `dotnet build` against a stand-in of the VC++ target graph
/// (Fixtures/VcxStandIn: the real extension points, gcc/clang instead of cl.exe) and a GCC Linux toolset.
/// ParaSlm hooks BeforeClCompileTargets/ComputeCompileInputsTargets, swaps the rewritten ClCompile items in with
/// their metadata and switches OpenMP on for the toolset.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class VcxprojInjectionTests
{
    private const string Project = "ParallelSample.vcxproj";
    private SdkWorkspace _workspace = null!;
    private string _dir = null!;
    private string[] _standIn = null!;
    private ProcessResult _build = null!;

    [OneTimeSetUp]
    public void BuildSample()
    {
        _workspace = SdkWorkspace.Shared;
        _dir = _workspace.CopySample("vcxproj", "vcxproj");
        _standIn = ["-p:VCTargetsPath=" + Path.Combine(_workspace.Fixtures, "VcxStandIn") + "/", "-p:PlatformToolset=WSL_1_0"];
        _build = _workspace.Build(_dir, Project, _standIn).ShouldSucceed();
    }

    [Test]
    public void Program_RunsInParallel_WithTheMetadataOfItsSwappedFile()
    {
        var program = Path.Combine(_dir, "bin", "x64", "Debug", "ParallelSample.exe");
        var run = _workspace.Run(program, _dir, new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "2" }).ShouldSucceed();
        // sum of in[i] * KERNEL_SCALE + KERNEL_OFFSET: KERNEL_SCALE=3 comes from kernel.c's own ClCompile metadata,
        // KERNEL_OFFSET from "kernel_local.h" beside the original.
        long expected = 0;
        for (var i = 0L; i < 100000; i++) expected += (i * 7919 % 1000) * 3 + 1;
        Assert.That(run.StandardOutput, Does.Contain($"sum: {expected}"));
        Assert.That(run.StandardOutput, Does.Contain("threads: 2"), "only possible if -fopenmp reached the compiler for the rewritten kernel.c");
    }

    [Test]
    public void SwappedItem_KeepsItsMetadata_GainsTheOriginalFolderAndOpenMP()
    {
        var items = ClCompileItems();
        var original = Path.Combine(_dir, "src", "kernel.c");
        var swapped = items.Single(i => i.TryGetProperty("ParaSlmOriginal", out var o) && o.GetString() == original);
        string Meta(string name) => swapped.GetProperty(name).GetString()!;

        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => i.GetProperty("FullPath").GetString()), Does.Not.Contain(original));
            Assert.That(Meta("ParaSlmOriginal"), Is.EqualTo(original));
            Assert.That(Meta("Filename"), Does.StartWith("kernel."));
            Assert.That(Meta("PreprocessorDefinitions").Split(';'), Does.Contain("KERNEL_SCALE=3").And.Contain("SAMPLE_SIZE=100000"));
            Assert.That(Meta("LanguageStandard_C"), Is.EqualTo("stdc11"));
            Assert.That(Meta("AdditionalIncludeDirectories").Split(';')[0], Is.EqualTo(Path.Combine(_dir, "src")));
            Assert.That(Meta("AdditionalIncludeDirectories").Split(';'), Does.Contain("include"));
            Assert.That(Meta("OpenMPSupport"), Is.EqualTo("true"));
            Assert.That(Meta("AdditionalOptions"), Does.Contain("-fopenmp"));
        });
    }

    [Test]
    public void SourceWithNothingToParallelize_IsCompiledFromItsOriginalPath()
    {
        var report = ClCompileItems().Single(i => i.GetProperty("Filename").GetString() == "report");
        Assert.That(report.GetProperty("FullPath").GetString(), Is.EqualTo(Path.Combine(_dir, "src", "report.c")));
        Assert.That(report.GetProperty("OpenMPSupport").GetString(), Is.EqualTo("false"));
        Assert.That(_build.Output, Does.Contain($"\"{Path.Combine(_dir, "src", "report.c")}\" -o"), "the stand-in compiler was given the original");
    }

    // clang-cl ignores -fopenmp and /openmp:llvm without a word (its switch is /openmp), and MSBuild's Link task links
    // without clang-cl, so the OpenMP runtime is named at the link, from the toolset's LLVM when it says where that is.
    [TestCase("v143", "/openmp:llvm", "", "")]
    [TestCase("ClangCL", "/openmp", "/DEFAULTLIB:libomp.lib", "-p:LLVMInstallDir=")]
    [TestCase("ClangCL", "/openmp", "/DEFAULTLIB:libomp.lib /LIBPATH:\"/opt/llvm/lib\"", "-p:LLVMInstallDir=/opt/llvm/")]
    [TestCase("v143", "/openmp", "/DEFAULTLIB:libomp.lib", "-p:CLToolExe=clang-cl")]
    [TestCase("WSL_1_0", "-fopenmp", "-fopenmp", "")]
    [TestCase("Remote_Clang_1_0", "-fopenmp", "-fopenmp", "")]
    public void OpenMPSwitches_FollowThePlatformToolset(string toolset, string compile, string link, string setting)
    {
        var properties = Properties(toolset, setting.Length == 0 ? [] : [setting], "ParaSlmOpenMPCompileOptions", "ParaSlmOpenMPLinkOptions");
        Assert.That(properties, Is.EqualTo(new[] { compile, link }));
    }

    // The compiler a clang toolset runs, as it names it, is the one the engine probes for offload: what the CL task runs
    // (CLToolPath + CLToolExe), LLVM's toolset's ClangClExecutable, the ClangCL toolset's LLVMInstallDir\bin, else PATH's.
    [TestCase("ClangCL", "-p:LLVMInstallDir=/opt/llvm/", "", "/opt/llvm/bin/clang-cl")]
    [TestCase("ClangCL", "-p:LLVMInstallDir=/opt/llvm/", "-p:CLToolPath=/usr/local/llvm/bin", "/usr/local/llvm/bin/clang-cl")]
    [TestCase("LLVM", "-p:LLVMInstallDir=/opt/llvm/", "-p:ClangClExecutable=/opt/llvm/bin/clang-cl-19", "/opt/llvm/bin/clang-cl-19")]
    [TestCase("ClangCL", "-p:LLVMInstallDir=", "", "clang-cl")]
    [TestCase("v143", "-p:CLToolExe=clang-cl", "-p:CLToolPath=/opt/bin", "/opt/bin/clang-cl")]
    [TestCase("v143", "-p:LLVMInstallDir=", "", "")]
    [TestCase("WSL_1_0", "-p:LLVMInstallDir=", "", "")]
    public void The_engine_is_told_the_compiler_the_clang_toolset_runs(string toolset, string first, string second, string compiler)
    {
        Assert.That(Properties(toolset, second.Length == 0 ? [first] : [first, second], "_ParaSlmCompiler")[0], Is.EqualTo(compiler));
    }

    [TestCase("v143", "", "")]
    [TestCase("ClangCL", "/clang:-fopenmp-targets=nvptx64 /clang:--offload-arch=sm_90", "")]
    [TestCase("WSL_1_0", "-foffload=nvptx-none -foffload-options=nvptx-none=-march=sm_90 -foffload-options=nvptx-none=-lm",
        "-foffload=nvptx-none -foffload-options=nvptx-none=-march=sm_90 -foffload-options=nvptx-none=-lm")]
    public void OpenMP_offload_switches_for_gpu_loops_follow_the_platform_toolset(string toolset, string compile, string link)
    {
        var properties = Properties(toolset, ["-p:ParaSlmTarget=gpu", "-p:ParaSlmOffloadArch=sm_90"], "ParaSlmOffloadCompileOptions", "ParaSlmOffloadLinkOptions");
        Assert.That(properties, Is.EqualTo(new[] { compile, link }));
    }

    /// <summary>The sample's properties, evaluated against the stand-in with a toolset and settings.</summary>
    private string[] Properties(string toolset, string[] settings, params string[] names)
    {
        var result = _workspace.Dotnet(_dir, ["msbuild", Project, "-nologo", "-p:VCTargetsPath=" + Path.Combine(_workspace.Fixtures, "VcxStandIn") + "/",
            "-p:PlatformToolset=" + toolset, .. settings, .. names.Select(n => "-getProperty:" + n)]).ShouldSucceed();
        if (names.Length == 1) return [result.StandardOutput.Trim()]; // one name: the bare value, more: JSON
        using var json = JsonDocument.Parse(result.StandardOutput);
        return names.Select(n => json.RootElement.GetProperty("Properties").GetProperty(n).GetString()!).ToArray();
    }

    [Test]
    public void A_cpu_build_gets_no_offload_switches_and_the_cuda_flavour_none_of_openmps()
    {
        foreach (var settings in new[] { new[] { "-p:ParaSlmTarget=cpu" }, ["-p:ParaSlmTarget=gpu", "-p:ParaSlmGpuFlavor=cuda"] })
        {
            var result = _workspace.Dotnet(_dir, ["msbuild", Project, "-nologo", .. _standIn, .. settings, "-getProperty:ParaSlmOffloadCompileOptions"]).ShouldSucceed();
            Assert.That(result.StandardOutput.Trim(), Is.Empty, string.Join(' ', settings));
        }
    }

    /// <summary>@(ClCompile) as ClCompile sees it: after ParaSlm's inject target ran (the engine is up to date by now).</summary>
    private List<JsonElement> ClCompileItems()
    {
        var result = _workspace.Dotnet(_dir, ["msbuild", Project, "-nologo", "-nodeReuse:false", .. _standIn, "-t:ParaSlmInjectClCompile", "-getItem:ClCompile"])
            .ShouldSucceed();
        var json = JsonDocument.Parse(result.StandardOutput[result.StandardOutput.IndexOf('{')..]);
        return json.RootElement.GetProperty("Items").GetProperty("ClCompile").EnumerateArray().ToList();
    }
}
