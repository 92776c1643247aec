using System.Text;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Offload;

namespace ParaSlm.Analyzer.Generation.Cuda;

/// <summary>A loop outlined for CUDA: the `.cu` text, and what the rewritten C/C++ source needs to call it.</summary>
/// <param name="Launcher">The host function: returns 0 when the kernel ran and the results are back on the host, non-zero
/// when no device or a failed allocation, copy-in or launch left the host data untouched (then the original loop runs).</param>
/// <param name="Declaration">Its prototype, for the top of the rewritten source.</param>
/// <param name="Call">The condition the rewritten source versions the loop on: `launcher(args) != 0` runs the original loop.</param>
public sealed record CudaOutline(string Kernel, string Launcher, string CuText, string Declaration, string Call);

/// <summary>
/// `target: gpu-cuda`: outlines an offloadable loop (the analyzer's <see cref="KernelShape"/> and map facts) into a
/// `__global__` kernel with a grid-stride loop over the counter, and a host launcher that allocates device memory for each
/// mapped section, copies what the map direction says, launches, checks every step, and copies results back. Reductions
/// (+, *, min, max, bitwise and logical, any arithmetic type, several per loop) are a per-thread partial, a shared-memory
/// tree per block, one partial per block in device memory, and a fold of those partials on the host in block order (two
/// passes: no atomics, so every operator and type works alike). The kernel's body is the loop's own text, under `#line`
/// of the original.
/// </summary>
public static class CudaKernel
{
    public const string HeaderName = "paraslm_cuda.h";

    private const int Threads = 256;

    /// <summary>The header every generated `.cu` includes (written beside it).</summary>
    public static string Header()
    {
        using var s = typeof(CudaKernel).Assembly.GetManifestResourceStream(HeaderName)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>The outline of <paramref name="facts"/>'s loop, or null with <paramref name="why"/> when it cannot be outlined.</summary>
    /// <param name="source">The original file's bytes (the facts' offsets are UTF-8 byte offsets).</param>
    /// <param name="preamble">Lines the kernel's body needs from the original file: its `#define`s and quoted `#include`s.</param>
    public static CudaOutline? For(LoopFacts facts, byte[] source, string originalPath, out string why)
    {
        why = string.Empty;
        if (facts.Offload is not { Offloadable: true, Kernel: { } k } offload)
        {
            why = facts.Offload?.Offloadable == true ? "an outside value is not a plain number or a mapped array" : facts.Offload?.Reason ?? "not offloadable";
            return null;
        }
        var reductions = new List<(string Var, string Type, string Op)>();
        foreach (var r in facts.Reductions)
        {
            if (ReductionCombine(r.Operator, "a", "b") is null)
            {
                why = $"the `{r.Operator}` reduction of `{r.Variable}` has no CUDA form (+, *, min, max, &, |, ^, &&, || do)";
                return null;
            }
            if (k.Scalars.FirstOrDefault(s => s.Name == r.Variable) is not { } rp)
            {
                why = $"the type of the reduction variable `{r.Variable}` is not known";
                return null;
            }
            reductions.Add((r.Variable, rp.Declaration[..^r.Variable.Length].Trim(), r.Operator));
        }
        var fn = new string(facts.Function.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
        var kernel = $"paraslm_kernel_{fn}_{facts.Line}_{facts.Column}";
        var launcher = $"paraslm_cuda_{fn}_{facts.Line}_{facts.Column}";
        var values = k.Scalars.Where(s => reductions.All(r => r.Var != s.Name)).ToList();
        var parameters = k.Arrays.Concat(values).Select(p => p.Declaration).ToList();
        List<string> hostParameters = [.. parameters, .. reductions.Select(r => $"{r.Type} *paraslm_host_{r.Var}")];
        var arguments = k.Arrays.Concat(values).Select(p => p.Name).ToList();
        List<string> hostArguments = [.. arguments, .. reductions.Select(r => "&" + r.Var)];
        var body = Encoding.UTF8.GetString(source, k.BodyStart, k.BodyEnd - k.BodyStart) + (k.BodyIsCompound ? string.Empty : ";");
        var literal = originalPath.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        var bodyLine = LineOf(source, k.BodyStart);
        var bodyColumn = k.BodyStart - LineStart(source, k.BodyStart);

        var cu = new StringBuilder();
        cu.Append($"// {Path.GetFileName(originalPath)}:{facts.Line} ({facts.Function}): the loop as a CUDA kernel and its host launcher.\n");
        // Each reduction: the host's value on entry (an idempotent operator starts every thread from it) and one partial per block.
        List<string> deviceParameters = [.. parameters, .. reductions.SelectMany(r => new[] { $"{r.Type} paraslm_init_{r.Var}", $"{r.Type} *paraslm_part_{r.Var}" })];
        cu.Append($"extern \"C\" __global__ void {kernel}({Cxx(string.Join(", ", deviceParameters))})\n{{\n");
        foreach (var r in reductions) cu.Append($"    {r.Type} {r.Var} = {Identity(r.Op) ?? "paraslm_init_" + r.Var};\n");
        cu.Append($"    for (long long paraslm_t = (long long)PARASLM_BID * PARASLM_BDIM + PARASLM_TID; paraslm_t < (long long)({k.Trips}); paraslm_t += (long long)PARASLM_GDIM * PARASLM_BDIM) {{\n");
        cu.Append($"        {k.CounterType} {k.Counter} = ({k.CounterType})(({k.Lower}) + paraslm_t * ({k.Step}));\n");
        cu.Append($"#line {bodyLine} \"{literal}\"\n");
        cu.Append(new string(' ', Math.Max(0, bodyColumn))).Append(body).Append('\n');
        cu.Append("    }\n");
        if (reductions.Count > 0)
        {
            // A tree over the block's threads in shared memory, then thread 0 stores the block's partial; the launcher folds
            // the partials on the host in block order (no atomics: every operator and type works the same way).
            foreach (var r in reductions) cu.Append($"    __shared__ {r.Type} paraslm_sh_{r.Var}[{Threads}];\n    paraslm_sh_{r.Var}[PARASLM_TID] = {r.Var};\n");
            cu.Append("    __syncthreads();\n");
            cu.Append("    for (unsigned paraslm_w = PARASLM_BDIM / 2; paraslm_w > 0; paraslm_w >>= 1) {\n");
            cu.Append("        if (PARASLM_TID < paraslm_w) {\n");
            foreach (var r in reductions)
                cu.Append($"            paraslm_sh_{r.Var}[PARASLM_TID] = {ReductionCombine(r.Op, $"paraslm_sh_{r.Var}[PARASLM_TID]", $"paraslm_sh_{r.Var}[PARASLM_TID + paraslm_w]")};\n");
            cu.Append("        }\n        __syncthreads();\n    }\n");
            cu.Append("    if (PARASLM_TID == 0) {\n");
            foreach (var r in reductions) cu.Append($"        paraslm_part_{r.Var}[PARASLM_BID] = paraslm_sh_{r.Var}[0];\n");
            cu.Append("    }\n");
        }
        cu.Append("}\n\n");
        AppendLauncher(cu, launcher, kernel, hostParameters, offload, k, values, reductions, facts);

        var linkage = originalPath.EndsWith(".c", StringComparison.Ordinal) ? "extern" : "extern \"C\"";
        var declaration = $"{linkage} int {launcher}({string.Join(", ", hostParameters)});";
        // With a runtime aliasing check the device runs the loop only when it holds; otherwise the original loop runs.
        var call = $"{launcher}({string.Join(", ", hostArguments)}) != 0";
        return new CudaOutline(kernel, launcher, cu.ToString(), declaration, facts.RuntimeCheck is { } check ? $"!({check}) || {call}" : call);
    }

    private static void AppendLauncher(StringBuilder cu, string launcher, string kernel, List<string> hostParameters, OffloadFacts offload, KernelShape k,
        List<KernelParameter> values, List<(string Var, string Type, string Op)> reductions, LoopFacts facts)
    {
        cu.Append($"extern \"C\" int {launcher}({Cxx(string.Join(", ", hostParameters))})\n{{\n");
        cu.Append("    int paraslm_devices = 0, paraslm_ok = 0;\n");
        cu.Append($"    long long paraslm_trips = (long long)({k.Trips});\n");
        var arrays = offload.Arrays.Select((a, i) => (Map: a, Index: i, Param: k.Arrays.First(p => p.Name == a.Name))).ToList();
        foreach (var (a, i, _) in arrays)
        {
            cu.Append($"    void *paraslm_d{i} = 0;\n");
            // A section counts elements of the list item (rows of a `T (*)[M]` parameter); a whole array counts scalars.
            var unit = a.Whole ? $"sizeof({a.ElementType})" : $"sizeof(({a.Name})[0])";
            cu.Append($"    size_t paraslm_off{i} = (size_t)({a.Start}) * {unit}, paraslm_bytes{i} = (size_t)({a.Length}) * {unit};\n");
        }
        cu.Append($"    unsigned paraslm_blocks = (unsigned)(paraslm_trips / {Threads} + 1 < 65535 ? paraslm_trips / {Threads} + 1 : 65535);\n");
        foreach (var r in reductions) cu.Append($"    {r.Type} *paraslm_part_{r.Var} = 0, *paraslm_hpart_{r.Var} = 0;\n");
        cu.Append("    if (cudaGetDeviceCount(&paraslm_devices) != cudaSuccess || paraslm_devices == 0) return 1;\n");
        cu.Append("    if (paraslm_trips <= 0) return 1;\n");
        foreach (var (a, i, p) in arrays)
        {
            cu.Append($"    if (cudaMalloc(&paraslm_d{i}, paraslm_off{i} + paraslm_bytes{i}) != cudaSuccess) goto paraslm_done;\n");
            if (a.Direction is MapDirection.To or MapDirection.ToFrom)
                cu.Append($"    if (cudaMemcpy((char *)paraslm_d{i} + paraslm_off{i}, (const char *)({p.Name}) + paraslm_off{i}, paraslm_bytes{i}, cudaMemcpyHostToDevice) != cudaSuccess) goto paraslm_done;\n");
        }
        foreach (var r in reductions)
        {
            cu.Append($"    if ((paraslm_hpart_{r.Var} = ({r.Type} *)malloc(paraslm_blocks * sizeof *paraslm_hpart_{r.Var})) == 0) goto paraslm_done;\n");
            cu.Append($"    if (cudaMalloc((void **)&paraslm_part_{r.Var}, paraslm_blocks * sizeof *paraslm_part_{r.Var}) != cudaSuccess) goto paraslm_done;\n");
        }
        // In the kernel's parameter order (the loop's own order of first use), each array's device copy.
        var args = k.Arrays.Select(p => arrays.First(x => x.Param.Name == p.Name)).Select(x => $"({Cast(x.Param)})paraslm_d{x.Index}").Concat(values.Select(v => v.Name)).ToList();
        args.AddRange(reductions.SelectMany(r => new[] { $"*paraslm_host_{r.Var}", $"paraslm_part_{r.Var}" }));
        cu.Append($"    {kernel}<<<paraslm_blocks, {Threads}>>>({string.Join(", ", args)});\n");
        cu.Append("    if (cudaGetLastError() != cudaSuccess || cudaDeviceSynchronize() != cudaSuccess) goto paraslm_done;\n");
        // A partial that cannot be copied back leaves the host untouched: the original loop runs.
        foreach (var r in reductions)
            cu.Append($"    if (cudaMemcpy(paraslm_hpart_{r.Var}, paraslm_part_{r.Var}, paraslm_blocks * sizeof *paraslm_hpart_{r.Var}, cudaMemcpyDeviceToHost) != cudaSuccess) goto paraslm_done;\n");
        // From here the device has the results: a failed copy back would leave the host half updated, and running the
        // original loop on that would be wrong, so it stops the program with a message instead.
        foreach (var (a, i, p) in arrays.Where(x => x.Map.Direction is MapDirection.From or MapDirection.ToFrom))
            cu.Append($"    if (cudaMemcpy((char *)({p.Name}) + paraslm_off{i}, (const char *)paraslm_d{i} + paraslm_off{i}, paraslm_bytes{i}, cudaMemcpyDeviceToHost) != cudaSuccess) {{ fprintf(stderr, \"ParaSlm: copying `{a.Name}` back from the GPU failed ({Path.GetFileName(facts.File)}:{facts.Line})\\n\"); abort(); }}\n");
        foreach (var r in reductions)
        {
            cu.Append($"    for (unsigned paraslm_b = 0; paraslm_b < paraslm_blocks; paraslm_b++)\n");
            cu.Append($"        *paraslm_host_{r.Var} = {ReductionCombine(r.Op, $"*paraslm_host_{r.Var}", $"paraslm_hpart_{r.Var}[paraslm_b]")};\n");
        }
        cu.Append("    paraslm_ok = 1;\nparaslm_done:\n");
        foreach (var (_, i, _) in arrays) cu.Append($"    cudaFree(paraslm_d{i});\n");
        foreach (var r in reductions) cu.Append($"    cudaFree(paraslm_part_{r.Var});\n    free(paraslm_hpart_{r.Var});\n");
        cu.Append("    return paraslm_ok ? 0 : 1;\n}\n");
    }

    /// <summary>The value a thread's partial starts from: the operator's identity, or null for an idempotent operator
    /// (min, max, &amp;, |, &amp;&amp;, ||), whose threads start from the host's value itself (combining it again changes nothing).</summary>
    private static string? Identity(string op) => op switch
    {
        "+" or "-" or "^" => "0",
        "*" => "1",
        _ => null,
    };

    /// <summary>`a op b` for a reduction operator (a `-` reduction sums its terms, as OpenMP's does); null for one without a CUDA form.</summary>
    internal static string? ReductionCombine(string op, string a, string b) => op switch
    {
        "+" or "-" => $"{a} + {b}",
        "*" or "&" or "|" or "^" => $"{a} {op} {b}",
        "&&" or "||" => $"({a} {op} {b})",
        "min" => $"({b} < {a} ? {b} : {a})",
        "max" => $"({b} > {a} ? {b} : {a})",
        _ => null,
    };

    /// <summary>C's `restrict` is `__restrict__` in CUDA C++ (nvcc and clang).</summary>
    private static string Cxx(string declarations) =>
        System.Text.RegularExpressions.Regex.Replace(declarations, @"\b(restrict|__restrict)\b", "__restrict__");

    /// <summary>The parameter's type: its declaration without the name (`double (*)[96]`, `const double *`).</summary>
    private static string Cast(KernelParameter p)
    {
        var d = p.Declaration;
        var at = d.LastIndexOf(p.Name, StringComparison.Ordinal);
        return (d[..at] + d[(at + p.Name.Length)..]).Replace("__restrict", string.Empty, StringComparison.Ordinal).Replace("restrict", string.Empty, StringComparison.Ordinal).Trim();
    }

    /// <summary>
    /// The `.cu` file for a source's outlined loops: our header, the original's `#define`s and quoted `#include`s before
    /// the last of them (what their bodies may use), then each kernel with its launcher.
    /// </summary>
    public static string File(string originalPath, byte[] source, IReadOnlyList<(LoopFacts Loop, CudaOutline Outline)> outlines)
    {
        var cu = new StringBuilder();
        cu.Append($"// Generated by ParaSlm from {Path.GetFileName(originalPath)}: its GPU loops as CUDA kernels (see paraslm-report.md).\n");
        cu.Append($"#include \"{HeaderName}\"\n");
        foreach (var line in Preamble(source, outlines.Max(o => o.Loop.StartOffset))) cu.Append(line).Append('\n');
        foreach (var (_, o) in outlines) cu.Append('\n').Append(o.CuText);
        return cu.ToString();
    }

    /// <summary>The original's `#define`/`#undef` lines, quoted `#include`s and conditionals before the loop (continuation lines joined).</summary>
    private static IEnumerable<string> Preamble(byte[] source, int before)
    {
        var text = Encoding.UTF8.GetString(source, 0, Math.Min(before, source.Length)).Replace("\\\r\n", " ").Replace("\\\n", " ");
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var t = line.TrimStart();
            if (!t.StartsWith('#')) continue;
            var directive = t[1..].TrimStart();
            // Conditionals too, so a `#define` under `#ifdef` means what it means in the source (compile the .cu with its -D flags).
            if (directive.StartsWith("define", StringComparison.Ordinal) || directive.StartsWith("undef", StringComparison.Ordinal) ||
                (directive.StartsWith("include", StringComparison.Ordinal) && directive.Contains('"')) || EditPlanner.IsConditional(t))
                yield return line;
        }
    }

    private static int LineOf(byte[] source, int offset)
    {
        var line = 1;
        for (var i = 0; i < offset && i < source.Length; i++) if (source[i] == (byte)'\n') line++;
        return line;
    }

    private static int LineStart(byte[] source, int offset)
    {
        var i = Math.Min(offset, source.Length);
        while (i > 0 && source[i - 1] != (byte)'\n') i--;
        return i;
    }
}
