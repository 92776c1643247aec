using System.Globalization;

namespace ParaSlm.Evaluation;

/// <summary>
/// `--scaling`: matmul at several sizes and thread counts. The serial kernel fixes N, so the study compiles the expert
/// copy (&lt;suite&gt;/expert/matmul.c, whose N is `#ifndef N`-guarded) with -DN=size: without -fopenmp it is the serial
/// kernel (the pragmas are ignored), with -fopenmp it is the parallel one. Runs alternate like the main evaluation.
/// </summary>
public sealed class ScalingStudy(EvaluationOptions options, Toolchain tools, Action<string> info)
{
    public const string Kernel = "matmul";

    public async Task<ScalingReport> RunAsync(string suite, string outDir, CancellationToken cancel)
    {
        var compiler = tools.Gcc.C is not null ? tools.Gcc : tools.Clang;
        var sizes = options.ScalingSizes;
        var threads = options.ScalingThreads;
        var source = Path.Combine(suite, "expert", Kernel + ".c");
        string? unavailable = null;
        if (compiler.C is null) unavailable = "no compiler";
        else if (!File.Exists(source)) unavailable = $"{source} does not exist";
        else if (!(await File.ReadAllTextAsync(source, cancel)).Contains("#ifndef N", StringComparison.Ordinal))
            unavailable = $"{source} has no `#ifndef N` size define";
        if (unavailable is not null)
        {
            info("scaling: " + unavailable);
            return new ScalingReport(Kernel, compiler.Family, sizes, threads, [], unavailable);
        }

        var dir = Path.Combine(outDir, "bin", "scaling");
        Directory.CreateDirectory(dir);
        var exes = new Dictionary<(int Size, bool Omp), string>();
        var buildFailures = new Dictionary<(int Size, bool Omp), string>();
        foreach (var n in sizes)
            foreach (var omp in new[] { false, true })
            {
                var exe = Path.Combine(dir, $"{Kernel}-{n}-{(omp ? "openmp" : "serial")}");
                List<string> args = ["-O3", "-DNDEBUG", "-std=c11", $"-DN={n}", "-Wno-unknown-pragmas", .. omp ? new[] { "-fopenmp" } : [], source, "-o", exe, "-lm"];
                var r = await ProcessRunner.RunAsync(compiler.C!, args, null, null, TimeSpan.FromMinutes(5), cancel);
                if (r.Ok) exes[(n, omp)] = exe;
                else buildFailures[(n, omp)] = r.FailureReason();
            }

        var times = new Dictionary<(int Size, int Threads), List<KernelOutput>>();
        var failures = new Dictionary<(int Size, int Threads), string>();
        for (var round = 0; round < options.Runs; round++)
        {
            foreach (var n in sizes)
            {
                // Threads 0 is the serial build.
                var configs = new[] { 0 }.Concat(threads).ToList();
                if (round % 2 == 1) configs.Reverse();
                var line = new List<string>();
                foreach (var t in configs)
                {
                    var key = (n, t);
                    if (!exes.TryGetValue((n, t > 0), out var exe) || failures.ContainsKey(key)) continue;
                    var env = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = Math.Max(1, t).ToString(CultureInfo.InvariantCulture) };
                    var r = await ProcessRunner.RunAsync(exe, [], dir, env, options.RunTimeout, cancel);
                    var o = r.Ok ? KernelOutput.Parse(r.Stdout) : null;
                    if (o is null) { failures[key] = r.Ok ? "no checksum/time line" : r.FailureReason(); continue; }
                    if (!times.TryGetValue(key, out var list)) times[key] = list = [];
                    list.Add(o);
                    line.Add($"{(t == 0 ? "serial" : t + "T")} {o.Seconds:F3}");
                }
                info($"[scaling run {round + 1}/{options.Runs}] N={n}: {string.Join(", ", line)}");
            }
        }

        var cells = new List<ScalingCell>();
        foreach (var n in sizes)
        {
            times.TryGetValue((n, 0), out var serial);
            var serialMedian = serial is { Count: > 0 } ? Stats.Median(serial.Select(o => o.Seconds).ToList()) : (double?)null;
            foreach (var t in new[] { 0 }.Concat(threads))
            {
                var key = (n, t);
                var config = t == 0 ? "serial" : "openmp";
                if (buildFailures.TryGetValue((n, t > 0), out var bf)) { cells.Add(new ScalingCell(n, config, t, [], null, null, null, "build failed: " + bf)); continue; }
                if (failures.TryGetValue(key, out var f)) { cells.Add(new ScalingCell(n, config, t, [], null, null, null, f)); continue; }
                if (!times.TryGetValue(key, out var outs)) { cells.Add(new ScalingCell(n, config, t, [], null, null, null, "not run")); continue; }
                var median = Stats.Median(outs.Select(o => o.Seconds).ToList());
                bool? agrees = serial is { Count: > 0 } ? outs.All(o => KernelOutput.Agrees(serial[0].Checksum, o.Checksum, out _)) : null;
                cells.Add(new ScalingCell(n, config, t, outs.Select(o => o.Seconds).ToList(), median, serialMedian / median, agrees,
                    agrees == false ? "checksum differs from the serial build of the same size" : null));
            }
        }
        return new ScalingReport(Kernel, compiler.Version ?? Path.GetFileName(compiler.C!), sizes, threads, cells, null);
    }
}
