using System.Text;
using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Analyzer.Generation.Cuda;

/// <summary>A source with its GPU loops outlined for CUDA: the rewritten text, the `.cu` beside it, and the loops left as they were.</summary>
/// <param name="CuText">Null when no loop could be outlined.</param>
public sealed record CudaSource(RewriteResult Rewrite, string? CuText, IReadOnlyList<(string LoopId, string Reason)> NotOutlined);

/// <summary>
/// The C/C++ side of `target: gpu-cuda`: each loop becomes `if (paraslm_cuda_…(args) != 0) { original loop }` — the
/// launcher declines (no device, an allocation, copy or launch failed, host data untouched) and the loop runs as written —
/// with the launchers declared at the top of the copy, and their kernels in one `.cu` file.
/// </summary>
public static class CudaRewrite
{
    public static CudaSource Rewrite(string originalPath, string originalText, IReadOnlyList<LoopFacts> loops, RewriteOptions? options = null)
    {
        var bytes = Encoding.UTF8.GetBytes(originalText);
        var outlines = new List<(LoopFacts, CudaOutline)>();
        var skipped = new List<(string, string)>();
        foreach (var loop in loops)
        {
            if (CudaKernel.For(loop, bytes, originalPath, out var why) is { } o) outlines.Add((loop, o));
            else skipped.Add((loop.Id, why));
        }
        if (outlines.Count == 0) return new CudaSource(new RewriteResult(originalText, false, []), null, skipped);
        var edits = outlines.Select(x => LoopEdit.ForLoop(x.Item1, string.Empty, x.Item2.Call) with { RunsOnlyIfCheck = true }).ToList();
        var prelude = string.Join("\n", outlines.Select(x => x.Item2.Declaration));
        var result = SourceRewriter.Rewrite(originalPath, originalText, edits, (options ?? RewriteOptions.Default) with { Prelude = prelude });
        var applied = outlines.Where((_, i) => result.Outcomes[i].Applied).ToList();
        for (var i = 0; i < outlines.Count; i++)
            if (!result.Outcomes[i].Applied) skipped.Add((outlines[i].Item1.Id, "not rewritten: " + result.Outcomes[i].Reason));
        return new CudaSource(result, applied.Count == 0 ? null : CudaKernel.File(originalPath, bytes, applied), skipped);
    }
}
