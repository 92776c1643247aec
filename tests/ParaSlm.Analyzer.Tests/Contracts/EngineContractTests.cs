using System.Diagnostics;
using ParaSlm.Contracts;
using ParaSlm.Engine;
using ParaSlm.Tests.Shared;

namespace ParaSlm.Analyzer.Tests.Contracts;

/// <summary>
/// The build↔engine contract has one definition (tasks/ParaSlm.Contracts, compiled into the MSBuild tasks and the
/// engine): what the tasks write, the engine reads back unchanged, and the CMake inject script reads the source map.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class EngineContractTests : TempFolderFixture
{
    private static EngineRequest EveryFieldSet() => new()
    {
        Mode = "Analyze",
        IntermediateDir = "/p/obj/paraslm",
        ReportDir = "/p/obj/paraslm/report",
        ProjectDir = "/p",
        Target = "gpu",
        Strategy = "tot",
        Model = "llama3.2:1b",
        Endpoint = "http://10.0.0.5:11434",
        Cache = "redis://cache:6379",
        AssumePure = ["hash", "ns::f"],
        LibClang = "/usr/lib/libclang.so",
        Timeout = 12.5,
        Budget = 300,
        Threads = 2,
        Validate = "tsan",
        Sarif = false,
        Include = ["src/**", "lib/*.c"],
        Exclude = ["src/gen/**"],
        FloatReassociation = false,
        OffloadArch = "sm_90",
        GpuFlavor = "cuda",
        CudaArchitectures = "80;90",
        CompileCommands = "/p/build/compile_commands.json",
        Sources = [new EngineSource("/p/a \"quoted\" \\ name.c", ["-DX=\"1\"", "-I/p/inc"], @"C:\LLVM\bin\clang-cl.exe"), new EngineSource("/p/b.c", [])],
    };

    [Test]
    public void A_request_the_tasks_write_is_read_back_by_the_engine_with_every_field()
    {
        var written = EveryFieldSet();
        var path = Path.Combine(Dir, "request.json");
        File.WriteAllText(path, written.ToJson());

        var read = EngineRequestFile.Load(path);

        Assert.That(read.ToJson(), Is.EqualTo(written.ToJson()));
        Assert.That(read with { AssumePure = written.AssumePure, Include = written.Include, Exclude = written.Exclude, Sources = written.Sources }, Is.EqualTo(written));
        Assert.That(read.AssumePure, Is.EqualTo(written.AssumePure));
        Assert.That(read.Sources.Select(s => (s.File, string.Join("|", s.Arguments!), s.Compiler)), Is.EqualTo(written.Sources.Select(s => (s.File, string.Join("|", s.Arguments!), s.Compiler))));
        Assert.That(read.Sources[0].Compiler, Is.EqualTo(@"C:\LLVM\bin\clang-cl.exe"));
        Assert.That(read.Sources[1].Compiler, Is.Null, "a source without a compiler (older requests) reads back as not known");
    }

    [Test]
    public void Every_property_of_the_request_is_written()
    {
        var json = EveryFieldSet().ToJson();
        foreach (var property in typeof(EngineRequest).GetProperties().Where(p => p.CanWrite))
        {
            var name = property.Name == "LibClang" ? "libclang" : char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            Assert.That(json, Does.Contain($"\"{name}\":"), $"EngineRequest.{property.Name} is not written by ToJson");
        }
    }

    [Test]
    public void A_default_request_keeps_the_engine_defaults_after_the_round_trip()
    {
        var path = Path.Combine(Dir, "request.json");
        File.WriteAllText(path, new EngineRequest { IntermediateDir = "/p/obj", Sources = [new EngineSource("/p/a.c", null)] }.ToJson());
        var read = EngineRequestFile.Load(path);
        Assert.That((read.Mode, read.Target, read.Strategy, read.FloatReassociation, read.Sarif, read.Timeout), Is.EqualTo(("Apply", "cpu", "auto", true, (bool?)null, (double?)null)));
    }

    [Test]
    public void The_outputs_table_reads_back_what_was_written()
    {
        var rows = new[]
        {
            new EngineOutput("/p/a.c", "/p/obj/src/a.1234abcd.c", EngineOutputs.Rewritten, 5, 3),
            new EngineOutput("/p/b.c", null, EngineOutputs.Unchanged, 2, 0),
            new EngineOutput("/p/c.c", null, EngineOutputs.Error, 0, 0),
        };
        var path = Path.Combine(Dir, EngineOutputs.FileName);
        File.WriteAllText(path, EngineOutputs.Format(rows));

        var read = EngineOutputs.Read(path);

        Assert.That(read.Select(o => (o.Original, o.Rewritten, o.Status, o.Loops, o.Parallel)),
            Is.EqualTo(rows.Select(o => (o.Original, o.Rewritten, o.Status, o.Loops, o.Parallel))));
    }

    [Test]
    public void CMake_reads_the_source_map_back_as_the_pairs_that_were_written()
    {
        var cmake = ParaSlm.Analyzer.Tests.Generation.GenerationWorkspace.RequireTool("cmake");
        var pairs = new Dictionary<string, string> { ["/p/a b.c"] = "/p/obj/src/a b.1.c", ["C:\\p\\c.c"] = "C:\\p\\obj\\c.2.c" };
        var map = Path.Combine(Dir, SourceMap.FileName);
        File.WriteAllText(map, SourceMap.Format(pairs, "a test"));
        var script = Path.Combine(Dir, "print.cmake");
        File.WriteAllText(script, $"include(\"{map}\")\nforeach(x IN LISTS PARASLM_SOURCE_MAP)\n  message(\"[${{x}}]\")\nendforeach()\nmessage(\"openmp=${{PARASLM_OPENMP}}\")\n");

        var p = Process.Start(new ProcessStartInfo(cmake, ["-P", script]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var printed = p.StandardError.ReadToEnd();
        p.WaitForExit();

        Assert.That(p.ExitCode, Is.Zero, printed);
        Assert.That(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "[/p/a b.c]", "[/p/obj/src/a b.1.c]", "[C:/p/c.c]", "[C:/p/obj/c.2.c]", "openmp=ON" }));
    }
}
