using System.Text;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Generation.Cuda;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm cuda FILE --out DIR [-- ARGS]`: the `gpu-cuda` flavour for a build that compiles CUDA itself (nvcc, or clang
/// with a CUDA toolkit). The analyzer's plan with ParaSlmTarget=gpu picks the loops; each is outlined into a kernel
/// (<see cref="CudaRewrite"/>). Writes DIR/NAME.EXT (the source calling the launchers, each falling back to the original
/// loop), DIR/NAME.cu and DIR/paraslm_cuda.h, and prints one line per GPU loop. Nothing is written when no loop qualifies.
/// </summary>
public static class CudaCommand
{
    private static readonly HashSet<string> Options = ["--out", "--assume-pure", "--libclang"];

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string>(), Options);
        if (p.Positionals.Count != 1 || p.Value("--out") is not { } outDir) throw new UsageException("cuda takes exactly one FILE and --out DIR");
        var file = Path.GetFullPath(p.Positionals[0]);
        try
        {
            using var analyzer = new SourceAnalyzer(new AnalyzerOptions { LibClangPath = p.Value("--libclang"), AssumePure = AnalyzeCommand.SplitNames(p.Values("--assume-pure")) });
            var analysis = analyzer.Analyze(file, p.Passthrough);
            var facts = analysis.Loops.ToDictionary(l => l.Id, StringComparer.Ordinal);
            var gpu = FilePlanner.AnalyzerPlan(analysis, target: "gpu").Where(x => x.IsParallel && x.Target != "cpu-openmp").Select(x => facts[x.Id]).ToList();
            var text = File.ReadAllText(file);
            var cuda = CudaRewrite.Rewrite(file, text, gpu, new RewriteOptions(ClangParser.EnablesOpenMP(p.Passthrough)));
            foreach (var (id, why) in cuda.NotOutlined) stdout.WriteLine($"{id}: stays as written: {why}");
            if (cuda.CuText is null)
            {
                stdout.WriteLine($"{Path.GetFileName(file)}: no loop outlined for CUDA");
                return Task.FromResult(CommandLine.Ok);
            }
            Directory.CreateDirectory(outDir);
            var name = Path.GetFileNameWithoutExtension(file);
            File.WriteAllText(Path.Combine(outDir, Path.GetFileName(file)), cuda.Rewrite.Text, new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(outDir, name + ".cu"), cuda.CuText, new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(outDir, CudaKernel.HeaderName), CudaKernel.Header(), new UTF8Encoding(false));
            foreach (var o in cuda.Rewrite.Outcomes.Where(o => o.Applied)) stdout.WriteLine($"{o.Edit.LoopId}: outlined for CUDA");
            return Task.FromResult(CommandLine.Ok);
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return Task.FromResult(CommandLine.InputError);
        }
    }
}
