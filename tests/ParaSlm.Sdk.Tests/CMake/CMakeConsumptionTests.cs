using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>
/// The documented CMake consumption: a CMake project, a nuget.config that finds the package, and beside
/// CMakeLists.txt an `app.proj` (NoTargets + &lt;Sdk Name="ParaSlm.Sdk"/&gt;). One `dotnet build app.proj` collects,
/// rewrites and builds the parallel program with CMake; these tests check that one build from several sides.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class CMakeConsumptionTests
{
    private CMakeApp _app = null!;
    private IReadOnlyDictionary<string, string> _before = null!;
    private ProcessResult _build = null!;

    [OneTimeSetUp]
    public void BuildOnce()
    {
        _app = new CMakeApp(SdkWorkspace.Shared, "consume");
        _before = _app.HashUserFiles();
        // The serial reference build is the collect tree; building it too gives the program to compare with.
        _build = _app.Build("-p:ParaSlmCMakeBuildSerial=true").ShouldSucceed();
    }

    [Test]
    public void Build_ProducesAParallelProgram_WhoseOutputEqualsTheSerialBuilds()
    {
        Assert.That(_app.ParallelProgram, Does.Exist, "the executable keeps its CMake target name");
        Assert.That(_app.SerialProgram, Does.Exist);
        var parallel = _app.Run(_app.ParallelProgram).ShouldSucceed();
        var serial = _app.Run(_app.SerialProgram).ShouldSucceed();
        Assert.That(parallel.StandardOutput, Is.EqualTo(serial.StandardOutput).And.Contain("matvec: "));
        Assert.That(parallel.Output, Does.Contain("openmp: 1"), "the parallel program runs with the OpenMP runtime");
        Assert.That(serial.Output, Does.Contain("openmp: 0"));
    }

    [Test]
    public void Build_LeavesCMakeListsAndSourcesByteIdentical()
    {
        Assert.That(_app.HashUserFiles(), Is.EqualTo(_before));
    }

    [Test]
    public void RewrittenSource_ReplacesItsOriginal_InTheSubdirectoryTarget_WithOpenMPAndItsOwnFlags()
    {
        var kernels = _app.Source("kernels/kernels.c");
        var outputs = _app.Outputs();
        Assert.That(outputs[kernels].Status, Is.EqualTo("rewritten"), File.ReadAllText(_app.OutputsFile));
        var rewritten = outputs[kernels].Rewritten;
        Assert.That(rewritten, Does.StartWith(_app.IntermediateDir + Path.DirectorySeparatorChar + "src"));

        var commands = _app.CompileCommands(_app.ParallelTree);
        Assert.That(commands.Keys, Does.Not.Contain(kernels), "the original must not be compiled in the parallel tree");
        Assert.That(commands.Keys, Does.Contain(rewritten));
        Assert.That(commands[rewritten], Does.Contain("-fopenmp"));
        Assert.That(commands[rewritten], Does.Contain("-iquote" + Path.GetDirectoryName(kernels)), "#include \"local.h\" must resolve beside the original");
        Assert.That(commands[rewritten], Does.Contain("-DKERNEL_FACTOR=3"), "the target's own flags are kept");
    }

    [Test]
    public void SourceWithNothingToParallelize_IsCompiledFromItsOriginalPath()
    {
        var util = _app.Source("src/util.c");
        Assert.That(_app.Outputs()[util].Status, Is.EqualTo("unchanged"));
        var commands = _app.CompileCommands(_app.ParallelTree);
        Assert.That(commands.Keys, Does.Contain(util));
        Assert.That(commands[util], Does.Not.Contain("-fopenmp"));
    }

    [Test]
    public void Build_PrintsAOneLineSummaryWithTheReportPath()
    {
        var summary = Regex.Match(_build.Output, @"ParaSlm: \d+ files?\b.*, \d+ loops?, \d+ parallel, .*report: (?<report>\S+paraslm-report\.md)");
        Assert.That(summary.Success, Is.True, ProcessResult.Tail(_build.Output));
        Assert.That(summary.Groups["report"].Value, Does.Exist);
    }

    [Test]
    public void Request_CarriesTheSettings_AndLeavesTheEndpointToTheEngine()
    {
        using var request = JsonDocument.Parse(File.ReadAllText(Path.Combine(_app.IntermediateDir, "paraslm.request.json")));
        var root = request.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("version").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("Apply"));
            Assert.That(root.GetProperty("model").GetString(), Is.EqualTo("qwen2.5:1.5b"));
            // ParaSlmEndpoint unset: the engine reads OLLAMA_HOST itself (OllamaClientOptions.ResolveEndpoint), not the targets.
            Assert.That(root.GetProperty("endpoint").GetString(), Is.Empty);
            Assert.That(File.ReadAllText(Path.Combine(_app.IntermediateDir, "report", "paraslm-report.md")), Does.Contain("127.0.0.1:9"),
                "OLLAMA_HOST=127.0.0.1:9 is the endpoint the engine tried");
            Assert.That(root.GetProperty("compileCommands").GetString(), Is.EqualTo(Path.Combine(_app.SerialTree, "compile_commands.json")));
        });
    }
}
