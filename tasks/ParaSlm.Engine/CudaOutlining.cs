using System.Text;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Generation;
using ParaSlm.Analyzer.Generation.Cuda;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Engine;

/// <summary>What <see cref="CudaOutlining.Write"/> did: the loops outlined, those left as written (with why), and whether files were written.</summary>
public sealed record CudaOutlineResult(string File, IReadOnlyList<string> Outlined, IReadOnlyList<(string LoopId, string Reason)> NotOutlined, bool Written);

/// <summary>
/// The `gpu-cuda` flavour for a build that compiles CUDA itself (nvcc, or clang with a CUDA toolkit): the analyzer's plan
/// with ParaSlmTarget=gpu picks the loops; each is outlined into a kernel (<see cref="CudaRewrite"/>). Writes DIR/NAME.EXT
/// (the source calling the launchers, each falling back to the original loop), DIR/NAME.cu and DIR/paraslm_cuda.h.
/// Nothing is written when no loop qualifies.
/// </summary>
public static class CudaOutlining
{
    /// <exception cref="SourceParseException">The file cannot be analyzed.</exception>
    /// <exception cref="LibClangNotFoundException">No libclang.</exception>
    public static CudaOutlineResult Write(string file, IReadOnlyList<string> compileArguments, string outDir, AnalyzerOptions options)
    {
        file = Path.GetFullPath(file);
        using var analyzer = new SourceAnalyzer(options);
        var analysis = analyzer.Analyze(file, compileArguments);
        var facts = analysis.Loops.ToDictionary(l => l.Id, StringComparer.Ordinal);
        var gpu = FilePlanner.AnalyzerPlan(analysis, target: "gpu").Where(x => x.IsParallel && x.Target != "cpu-openmp").Select(x => facts[x.Id]).ToList();
        var cuda = CudaRewrite.Rewrite(file, File.ReadAllText(file), gpu, new RewriteOptions(ClangParser.EnablesOpenMP(compileArguments)));
        if (cuda.CuText is null) return new CudaOutlineResult(file, [], cuda.NotOutlined, Written: false);
        Directory.CreateDirectory(outDir);
        var utf8 = new UTF8Encoding(false);
        File.WriteAllText(Path.Combine(outDir, Path.GetFileName(file)), cuda.Rewrite.Text, utf8);
        File.WriteAllText(Path.Combine(outDir, Path.GetFileNameWithoutExtension(file) + ".cu"), cuda.CuText, utf8);
        File.WriteAllText(Path.Combine(outDir, CudaKernel.HeaderName), CudaKernel.Header(), utf8);
        return new CudaOutlineResult(file, cuda.Rewrite.Outcomes.Where(o => o.Applied).Select(o => o.Edit.LoopId).ToList(), cuda.NotOutlined, Written: true);
    }
}
