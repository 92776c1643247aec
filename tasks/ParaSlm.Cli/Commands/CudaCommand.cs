using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Engine;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm cuda FILE --out DIR [-- ARGS]`: <see cref="CudaOutlining"/>; prints one line per loop left as written and
/// per loop outlined.
/// </summary>
public static class CudaCommand
{
    private static readonly HashSet<string> Options = ["--out", "--assume-pure", "--libclang"];

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string>(), Options);
        if (p.Positionals.Count != 1 || p.Value("--out") is not { } outDir) throw new UsageException("cuda takes exactly one FILE and --out DIR");
        try
        {
            var result = CudaOutlining.Write(p.Positionals[0], p.Passthrough, outDir,
                new AnalyzerOptions { LibClangPath = p.Value("--libclang"), AssumePure = AnalyzeCommand.SplitNames(p.Values("--assume-pure")) });
            foreach (var (id, why) in result.NotOutlined) stdout.WriteLine($"{id}: stays as written: {why}");
            if (!result.Written) stdout.WriteLine($"{Path.GetFileName(result.File)}: no loop outlined for CUDA");
            foreach (var id in result.Outlined) stdout.WriteLine($"{id}: outlined for CUDA");
            return Task.FromResult(CommandLine.Ok);
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return Task.FromResult(CommandLine.InputError);
        }
    }
}
