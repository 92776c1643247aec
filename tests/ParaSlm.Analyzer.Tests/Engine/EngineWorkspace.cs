using System.Text.Json;
using ParaSlm.Cli;
using ParaSlm.Contracts;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>A temp project folder with sources, and helpers to run `paraslm apply` / `plan` in-process.</summary>
public sealed class EngineWorkspace : IDisposable
{
    public EngineWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "paraslm-engine-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(Root, "src"));
    }

    public string Root { get; }
    public string Obj => Path.Combine(Root, "obj");

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes a request for <paramref name="sources"/> in <paramref name="mode"/> (every other setting the
    /// contract's default) and returns its path.</summary>
    public string Request(string mode, params (string File, string[] Args)[] sources) =>
        WriteRequest(NewRequest(sources.Select(s => Source(s.File, s.Args)).ToArray()) with { Mode = mode });

    /// <summary>
    /// The build's request (<see cref="EngineRequest"/>, the contract's one definition) for this workspace: its `obj`
    /// folder, its root as the project folder, the given sources. A test sets what else it cares about with `with { … }`.
    /// </summary>
    public EngineRequest NewRequest(params EngineSource[] sources) => new() { IntermediateDir = Obj, ProjectDir = Root, Sources = sources };

    /// <summary>A source with its compile arguments.</summary>
    public static EngineSource Source(string file, params string[] arguments) => new(file, arguments);

    /// <summary>Writes <paramref name="request"/> as the MSBuild task writes it (<see cref="EngineRequest.ToJson"/>) and returns its path.</summary>
    public string WriteRequest(EngineRequest request, string name = "request.json") => Write(name, request.ToJson());

    /// <summary>`paraslm apply --request` with <paramref name="request"/> written as <paramref name="name"/>.</summary>
    public (int Code, string Out, string Err) Apply(EngineRequest request, string name = "request.json") =>
        Run("apply", "--request", WriteRequest(request, name));

    /// <summary>Writes a compile_commands.json with one entry per source (run in <see cref="Root"/>) and returns its path.</summary>
    public string CompileCommands(params (string File, string[] Arguments)[] entries) =>
        Write("compile_commands.json", JsonSerializer.Serialize(entries.Select(e => new { directory = Root, file = e.File, arguments = e.Arguments })));

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CommandLine.RunAsync(args, o, e).GetAwaiter().GetResult();
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>The engine's state file of the last apply (what validation rebuilds the copies from).</summary>
    /// <summary>The analyzer's plan of <paramref name="code"/> (written as src/f.c, C11, no cache): action and reason by loop line.</summary>
    public Dictionary<int, (string Action, string Reason)> AnalyzerPlans(string code)
    {
        var f = Write("src/f.c", code);
        var (exit, output, err) = Run("plan", f, "--json", "--strategy", "analyzer", "--cache", "off", "--", "-std=c11");
        NUnit.Framework.Assert.That(exit, NUnit.Framework.Is.EqualTo(0), err);
        return JsonDocument.Parse(output).RootElement.GetProperty("plans").EnumerateArray()
            .ToDictionary(p => p.GetProperty("line").GetInt32(), p => (p.GetProperty("action").GetString()!, p.GetProperty("reason").GetString()!));
    }

    public ParaSlm.Engine.EngineState State() => ParaSlm.Engine.EngineState.Load(Path.Combine(Obj, "paraslm.state.json"));

    public IReadOnlyList<string[]> Outputs() =>
        File.ReadAllLines(Path.Combine(Obj, "paraslm.outputs.tsv")).Select(l => l.Split('\t')).ToList();

    /// <summary>The first source's plans in the JSON report of the last apply, by their loop's line.</summary>
    public Dictionary<int, JsonElement> ReportPlansByLine() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Obj, "report", "paraslm-report.json"))).RootElement
            .GetProperty("sources")[0].GetProperty("plans").EnumerateArray().ToDictionary(p => p.GetProperty("line").GetInt32());

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
