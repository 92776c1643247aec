using System.Text.Json;
using ParaSlm.Cli;

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

    public string Request(string mode, params (string File, string[] Args)[] sources)
    {
        var req = new
        {
            version = 1,
            mode,
            intermediateDir = Obj,
            projectDir = Root,
            sources = sources.Select(s => new { file = s.File, arguments = s.Args }).ToArray(),
        };
        return Write("request.json", JsonSerializer.Serialize(req));
    }

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CommandLine.RunAsync(args, o, e).GetAwaiter().GetResult();
        return (code, o.ToString(), e.ToString());
    }

    public IReadOnlyList<string[]> Outputs() =>
        File.ReadAllLines(Path.Combine(Obj, "paraslm.outputs.tsv")).Select(l => l.Split('\t')).ToList();

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
