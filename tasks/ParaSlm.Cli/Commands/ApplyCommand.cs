using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Engine;
using ParaSlm.Engine.Diagnostics;
using ParaSlm.Engine.Reporting.AzureDevOps;
using ParaSlm.Engine.Inputs;

namespace ParaSlm.Cli.Commands;

/// <summary>`paraslm apply --request FILE`: the build integration's engine (see ARCHITECTURE.md).</summary>
public static class ApplyCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "--request" });
        var path = p.Value("--request") ?? throw new UsageException("apply needs --request FILE");
        if (p.Positionals.Count > 0) throw new UsageException("apply takes no positional arguments");
        try
        {
            var request = EngineRequestFile.Load(path);
            return await new ApplyEngine(request, stdout, stderr, AzureDevOpsLog.Create(request.IntermediateDir, stderr)).RunAsync(cancel);
        }
        catch (EngineInputException e)
        {
            stderr.WriteLine(DiagnosticText.ForBuild(e.Diagnostic, "paraslm"));
            return CommandLine.InputError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(DiagnosticText.ForBuild(Diagnostic.Error("PSLM0007", e.Message), "paraslm"));
            return CommandLine.InputError;
        }
    }
}
