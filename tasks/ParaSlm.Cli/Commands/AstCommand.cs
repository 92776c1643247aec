using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Cli.Commands;

/// <summary>`paraslm ast FILE`: the syntax tree as the analyzer sees it.</summary>
public static class AstCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "--libclang" });
        if (p.Positionals.Count != 1) throw new UsageException("ast takes exactly one FILE");
        try
        {
            using var parser = new ClangParser(new LibClangLocator(p.Value("--libclang")));
            var tu = parser.Parse(p.Positionals[0], p.Passthrough);
            foreach (var d in tu.Diagnostics) stderr.WriteLine(d.Formatted);
            stdout.Write(AstDump.Render(tu.Root));
            return Task.FromResult(CommandLine.Ok);
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return Task.FromResult(CommandLine.InputError);
        }
    }
}
