using System.Reflection;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Cli.Commands;

/// <summary>`paraslm version`: product version and the libclang that would be used.</summary>
public static class VersionCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        stdout.WriteLine($"paraslm {version.Split('+')[0]}");
        try
        {
            using var analyzer = new SourceAnalyzer(new AnalyzerOptions());
            stdout.WriteLine($"libclang: {analyzer.LibClangPath} ({analyzer.ClangVersion})");
            return Task.FromResult(CommandLine.Ok);
        }
        catch (LibClangNotFoundException e)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return Task.FromResult(CommandLine.InputError);
        }
    }
}
