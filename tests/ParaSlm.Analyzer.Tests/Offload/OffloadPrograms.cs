using ParaSlm.Analyzer.Tests.Engine;
using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Offload;

/// <summary>Builds and runs the C programs of the offload tests with gcc (its nvptx offload compiler when the flags say so).</summary>
internal static class OffloadPrograms
{
    public static string Build(EngineWorkspace ws, string name, string text, params string[] flags)
    {
        var gcc = GenerationWorkspace.RequireTool("gcc");
        var source = ws.Write($"build/{name}.c", text);
        var exe = Path.Combine(ws.Root, "build", name);
        var run = GenerationWorkspace.Run(gcc, [.. flags, "-O2", "-std=c11", "-iquote", Path.Combine(ws.Root, "src"), source, "-o", exe, "-lm"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        return exe;
    }

    public static string Run(string exe, params (string, string)[] environment)
    {
        var run = GenerationWorkspace.Run(exe, [], environment: environment.ToDictionary(e => e.Item1, e => e.Item2));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        return run.StdOut;
    }
}
