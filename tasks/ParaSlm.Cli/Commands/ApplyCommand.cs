using ParaSlm.Engine;
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
            var (output, progress) = Engine.Reporting.AzureDevOps.AzureDevOpsLog.Wrap(request.IntermediateDir, stdout, stderr);
            return await new ApplyEngine(request, output, progress).RunAsync(cancel);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"paraslm: error {Code(e.Message)}: {e.Message}");
            return CommandLine.InputError;
        }
    }

    private static string Code(string message) => message.StartsWith("PSLM", StringComparison.Ordinal) ? message[..8] : "PSLM0007";
}
