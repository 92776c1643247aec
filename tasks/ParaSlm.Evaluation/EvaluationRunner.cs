using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Engine.Planning;

namespace ParaSlm.Evaluation;

/// <summary>
/// `paraslm evaluate`: builds every kernel of the suite in every variant (one output folder per variant), runs them in
/// alternating rounds (round-robin, variant order rotated each round, so machine noise hits every variant alike),
/// compares checksums with the serial baseline and computes medians, speedups and geometric means. Nothing is
/// dropped silently: a variant or kernel that cannot be built or run keeps its cell with the reason.
/// </summary>
public sealed class EvaluationRunner(EvaluationOptions options, TextWriter log)
{
    private const string ProbeSource = """
        #include <stdio.h>
        static double a[4096], b[4096];
        int main(void)
        {
            for (int i = 0; i < 4096; i++) a[i] = i;
            for (int i = 0; i < 4096; i++) b[i] = 2.0 * a[i];
            printf("%f\n", b[7]);
            return 0;
        }
        """;

    private readonly Dictionary<(string Kernel, string Variant), string> _exe = [];
    private readonly Dictionary<(string Kernel, string Variant), (string Status, string Reason)> _notBuilt = [];
    private readonly Dictionary<(string Kernel, string Variant), string> _notes = [];
    private readonly Dictionary<(string Kernel, string Variant), List<KernelOutput>> _outputs = [];
    private readonly Dictionary<(string Kernel, string Variant), string> _runFailures = [];
    private readonly ExtraRounds _rounds = ExtraRoundsOf(options);
    private List<string> _noisy = [];

    public async Task<EvaluationReport> RunAsync(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var loadBefore = LoadAverage();
        var suite = Path.GetFullPath(options.Suite);
        var outDir = Path.GetFullPath(options.Out);
        Directory.CreateDirectory(outDir);
        var kernels = KernelSuite.Discover(suite, options.Kernels);
        if (kernels.Count == 0) throw new ArgumentException($"no kernels (.c/.cpp files) in {suite}");

        var tools = await Toolchain.DetectAsync(options, cancel);
        var variants = SelectVariants();
        Info($"{kernels.Count} kernels, {variants.Count} variants, {options.Runs} alternating runs, {options.Threads} threads; output in {outDir}");
        foreach (var c in new[] { tools.Gcc, tools.Clang })
            Info(c.Unavailable is null ? $"{c.Family}: {c.C} / {c.Cxx ?? "no C++ driver"} ({c.Version})" : $"{c.Family}: {c.Unavailable}");
        await ProbeAsync(variants, tools, outDir, Info, cancel);

        var (compileCommands, runs) = await RunParaSlmAsync(variants, kernels, suite, outDir, cancel);
        await BuildAllAsync(variants, kernels, tools, runs, suite, outDir, cancel);
        var calibrationExe = await BuildCalibrationAsync(tools, options.CalibrationIterations, outDir, cancel);
        var (one, many) = await RunRoundsAsync(variants, kernels, calibrationExe.Exe, cancel);

        var kernelReports = kernels.Select(k => Evaluate(k, variants)).ToList();
        var geoMeans = variants.Select(v => GeoMeanOf(v, kernelReports)).ToList();
        var calibration = calibrationExe.Exe is null
            ? new Calibration(options.Threads, null, null, null, calibrationExe.Reason)
            : Calibrate(options.Threads, one, many);
        var comparisons = Compare(kernelReports);

        ScalingReport? scaling = null;
        if (options.Scaling)
            scaling = await new ScalingStudy(options, tools, Info).RunAsync(suite, outDir, cancel);

        IReadOnlyList<ModelCell>? models = null;
        if (options.SweepModels.Count > 0 && options.PlanningTable)
            models = await ModelTableAsync(variants, kernelReports, geoMeans, suite, cancel);

        var report = new EvaluationReport(suite, DateTimeOffset.UtcNow, Machine(loadBefore, LoadAverage()), options.Runs, options.Threads, options.Strategy, compileCommands,
            variants.Select(v => Describe(v, tools)).ToList(), kernelReports, geoMeans, calibration, comparisons, scaling, models, clock.Elapsed.TotalSeconds)
        {
            MaxRuns = _rounds.MaxRuns,
            ExtraRoundKernels = _noisy,
        };
        return report;
    }

    private void Info(string message) => log.WriteLine("paraslm: evaluate: " + message);

    internal static ExtraRounds ExtraRoundsOf(EvaluationOptions options) =>
        new(options.Runs, options.MaxRuns ?? ExtraRounds.DefaultMaxRuns(options.Runs));

    private List<Variant> SelectVariants()
    {
        var names = options.Variants?.ToList() ?? [.. Variants.Names];
        foreach (var n in names)
            if (!Variants.Names.Contains(n)) throw new ArgumentException($"unknown variant '{n}' (one of: {string.Join(", ", Variants.Names)})");
        // The serial builds are the baseline: always there, always first.
        var ordered = Variants.Names.Where(n => n is Variants.SerialGcc or Variants.SerialClang || names.Contains(n)).ToList();
        var list = ordered.Select(n => Variants.Create(n, options.Threads)).ToList();
        foreach (var m in options.SweepModels)
            foreach (var s in options.SweepStrategies)
                list.Add(Variants.ForModel(m, s));
        return list;
    }

    // ---- probing -----------------------------------------------------------------------------------

    /// <summary>Compiles a tiny loop program with each variant's compiler and flags; a variant that cannot is unavailable, with the compiler's words.</summary>
    internal static async Task ProbeAsync(List<Variant> variants, Toolchain tools, string outDir, Action<string> info, CancellationToken cancel)
    {
        var dir = Path.Combine(outDir, "probe");
        Directory.CreateDirectory(dir);
        var src = Path.Combine(dir, "probe.c");
        await File.WriteAllTextAsync(src, ProbeSource, cancel);
        for (var i = 0; i < variants.Count; i++)
        {
            var v = variants[i];
            var compiler = tools.Get(v.Family);
            if (compiler.C is null) { v.Unavailable = compiler.Unavailable; continue; }
            var result = await Compile(compiler.C, ["-O3", "-std=c11", .. v.Flags, src, "-o", Path.Combine(dir, "probe-" + DirName(v.Name))], cancel);
            if (result.Ok) continue;
            if (v.Name == "clang-polly" && File.Exists(Toolchain.PollyPlugin))
            {
                // Polly is built into Debian's clang-19; other builds load it as a plugin.
                var plugin = await Compile(compiler.C, ["-O3", "-std=c11", .. Variants.PollyPluginFlags, src, "-o", Path.Combine(dir, "probe-polly-plugin")], cancel);
                if (plugin.Ok)
                {
                    variants[i] = v with { Flags = Variants.PollyPluginFlags };
                    continue;
                }
            }
            v.Unavailable = $"{Path.GetFileName(compiler.C)} {v.FlagText} cannot compile a trivial program: {result.FailureReason()}";
            info($"{v.Name}: unavailable — {v.Unavailable}");
        }
    }

    private static Task<ProcessResult> Compile(string compiler, IEnumerable<string> args, CancellationToken cancel) =>
        ProcessRunner.RunAsync(compiler, args, null, null, TimeSpan.FromMinutes(5), cancel);

    // ---- ParaSlm -----------------------------------------------------------------------------------

    private async Task<(string? CompileCommands, Dictionary<string, ParaSlmRun> Runs)> RunParaSlmAsync(List<Variant> variants,
        IReadOnlyList<Kernel> kernels, string suite, string outDir, CancellationToken cancel)
    {
        var runs = new Dictionary<string, ParaSlmRun>(StringComparer.Ordinal);
        var wanted = variants.Where(v => v.Source == SourceKind.ParaSlm && v.Unavailable is null).ToList();
        if (wanted.Count == 0) return (null, runs);
        var (compileCommands, note) = await ParaSlmStep.CompileCommandsAsync(suite, outDir, cancel);
        Info(note);
        foreach (var tag in wanted.Select(v => v.ParaSlmTag!).Distinct())
        {
            var (strategy, model) = tag == "default"
                ? (options.Strategy, options.Model)
                : SweepCell(tag);
            var sw = Stopwatch.StartNew();
            var run = await ParaSlmStep.RunEngineAsync(tag, strategy, model, options.Endpoint, options.LibClang, suite, compileCommands, kernels, outDir, cancel);
            runs[tag] = run;
            if (run.Unavailable is not null)
            {
                foreach (var v in variants.Where(v => v.ParaSlmTag == tag)) v.Unavailable = run.Unavailable;
                Info($"ParaSlm ({strategy}{(model is null ? "" : ", " + model)}): {run.Unavailable}");
            }
            else
            {
                Info($"ParaSlm ({strategy}{(model is null ? "" : ", " + model)}) in {sw.Elapsed.TotalSeconds:F1} s: " +
                     $"{run.Kernels.Values.Count(k => k.Rewritten is not null)} of {run.Kernels.Count} files rewritten; report {run.ReportMarkdown}");
            }
        }
        return (compileCommands, runs);
    }

    private (string Strategy, string? Model) SweepCell(string tag)
    {
        foreach (var m in options.SweepModels)
            foreach (var s in options.SweepStrategies)
                if (Variants.Tag(m, s) == tag) return (s, m);
        throw new InvalidOperationException("unknown sweep tag " + tag);
    }

    // ---- building ----------------------------------------------------------------------------------

    private async Task BuildAllAsync(List<Variant> variants, IReadOnlyList<Kernel> kernels, Toolchain tools,
        Dictionary<string, ParaSlmRun> runs, string suite, string outDir, CancellationToken cancel)
    {
        var jobs = new List<(Kernel K, Variant V, string Compiler, List<string> Args, string Exe, string Log)>();
        foreach (var v in variants)
            foreach (var k in kernels)
            {
                var key = (k.Name, v.Name);
                if (v.Unavailable is not null) { _notBuilt[key] = (CellStatus.Unavailable, v.Unavailable); continue; }
                var compiler = tools.Get(v.Family).For(k);
                if (compiler is null) { _notBuilt[key] = (CellStatus.Unavailable, $"no C++ driver for {tools.Get(v.Family).C}"); continue; }
                string source = k.Source;
                if (v.Source == SourceKind.Expert)
                {
                    if (k.Expert is null)
                    {
                        _notBuilt[key] = (CellStatus.Unavailable, $"no expert version (expert/{Path.GetFileName(k.Source)} does not exist)");
                        continue;
                    }
                    source = k.Expert;
                }
                else if (v.Source == SourceKind.ParaSlm)
                {
                    var run = runs[v.ParaSlmTag!];
                    if (run.Kernels.TryGetValue(k.Source, out var pk))
                    {
                        source = pk.Rewritten ?? k.Source;
                        _notes[key] = pk.Status switch
                        {
                            "rewritten" => $"{pk.Parallel} of {pk.Loops} loops parallel",
                            "unchanged" => $"unchanged: none of {pk.Loops} loops parallelized",
                            _ => "the engine could not process this file; compiled serial",
                        };
                    }
                    else
                    {
                        _notes[key] = "not in the compile commands; compiled serial";
                    }
                }
                var binDir = Path.Combine(outDir, "bin", DirName(v.Name));
                var logDir = Path.Combine(outDir, "logs", DirName(v.Name));
                Directory.CreateDirectory(binDir);
                Directory.CreateDirectory(logDir);
                var exe = Path.Combine(binDir, k.Name);
                if (File.Exists(exe)) File.Delete(exe);
                List<string> args = ["-O3", "-DNDEBUG", k.Std, .. v.Flags, "-I" + suite, "-iquote", suite, source, "-o", exe, "-lm"];
                jobs.Add((k, v, compiler, args, exe, Path.Combine(logDir, k.Name + ".log")));
            }

        Info($"building {jobs.Count} executables ({Environment.ProcessorCount} at a time)…");
        var sw = Stopwatch.StartNew();
        var results = new (string? Exe, string? Failure)[jobs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel },
            async (i, ct) =>
            {
                var j = jobs[i];
                var r = await Compile(j.Compiler, j.Args, ct);
                await File.WriteAllTextAsync(j.Log, $"$ {j.Compiler} {string.Join(" ", j.Args)}\n{r.Stdout}{r.Stderr}", ct);
                results[i] = r.Ok && File.Exists(j.Exe) ? (j.Exe, null) : (null, r.FailureReason());
            });
        for (var i = 0; i < jobs.Count; i++)
        {
            var key = (jobs[i].K.Name, jobs[i].V.Name);
            if (results[i].Exe is { } exe) _exe[key] = exe;
            else
            {
                _notBuilt[key] = (CellStatus.BuildFailed, results[i].Failure ?? "no executable");
                Info($"{jobs[i].V.Name} × {jobs[i].K.Name}: build failed — {results[i].Failure} (log: {jobs[i].Log})");
            }
        }
        Info($"built {_exe.Count} executables in {sw.Elapsed.TotalSeconds:F1} s");
    }

    // ---- calibration ---------------------------------------------------------------------------------

    internal static async Task<(string? Exe, string? Reason)> BuildCalibrationAsync(Toolchain tools, long iterations, string outDir, CancellationToken cancel)
    {
        var compiler = tools.Gcc.C ?? tools.Clang.C;
        if (compiler is null) return (null, "no compiler");
        var dir = Path.Combine(outDir, "calibration");
        Directory.CreateDirectory(dir);
        var src = Path.Combine(dir, "calibration.c");
        await File.WriteAllTextAsync(src, CalibrationSource, cancel);
        var exe = Path.Combine(dir, "calibration");
        var r = await Compile(compiler, ["-O2", "-std=c11", "-fopenmp", $"-DITERATIONS={iterations}L", src, "-o", exe], cancel);
        return r.Ok ? (exe, null) : (null, $"the calibration loop does not build with {compiler} -fopenmp: {r.FailureReason()}");
    }

    /// <summary>A perfectly parallel compute loop: no memory traffic, one reduction. Its 1 → N speedup is this machine's ceiling.</summary>
    private const string CalibrationSource = """
        #include <stdio.h>
        #include <omp.h>
        int main(void)
        {
            double t = omp_get_wtime(), s = 0;
        #pragma omp parallel for reduction(+ : s) schedule(static)
            for (long i = 0; i < ITERATIONS; i++) s += 1.0 / (double)(i + 1);
            double elapsed = omp_get_wtime() - t;
            printf("checksum: %.6e\ntime: %.6f s\n", s, elapsed);
            return 0;
        }
        """;

    internal static Calibration Calibrate(int threads, List<double> one, List<double> many)
    {
        if (one.Count == 0 || many.Count == 0) return new Calibration(threads, null, null, null, "the calibration loop did not run");
        var a = Stats.Median(one);
        var b = Stats.Median(many);
        return new Calibration(threads, a, b, a / b, null);
    }

    /// <summary>One round of the calibration loop on 1 and on N threads (the order alternates by round), appending to the two lists.</summary>
    internal static async Task CalibrationRoundAsync(string exe, int threads, int round, List<double> one, List<double> many, TimeSpan timeout, CancellationToken cancel)
    {
        foreach (var (n, list) in round % 2 == 0 ? new[] { (1, one), (threads, many) } : [(threads, many), (1, one)])
        {
            var r = await ProcessRunner.RunAsync(exe, [], null,
                new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) }, timeout, cancel);
            if (r.Ok && KernelOutput.Parse(r.Stdout) is { } o) list.Add(o.Seconds);
        }
    }

    // ---- running -----------------------------------------------------------------------------------

    private async Task<(List<double> One, List<double> Many)> RunRoundsAsync(List<Variant> variants, IReadOnlyList<Kernel> kernels,
        string? calibrationExe, CancellationToken cancel)
    {
        var one = new List<double>();
        var many = new List<double>();
        var env = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        for (var round = 0; round < options.Runs; round++)
        {
            if (calibrationExe is not null) await CalibrationRoundAsync(calibrationExe, options.Threads, round, one, many, options.RunTimeout, cancel);
            await RunRoundAsync(round, options.Runs, variants, kernels, env, cancel);
        }
        var noisy = _rounds.Noisy(kernels.Select(k => k.Name), variants.Select(v => v.Name).ToList(), (kernel, variant) =>
            _outputs.TryGetValue((kernel, variant), out var runs) && !_runFailures.ContainsKey((kernel, variant)) ? runs.Select(o => o.Seconds).ToList() : null);
        _noisy = noisy.Select(n => n.Kernel).ToList();
        if (noisy.Count > 0)
        {
            Info(_rounds.Announce(noisy));
            var again = kernels.Where(k => _noisy.Contains(k.Name)).ToList();
            for (var round = options.Runs; round < _rounds.MaxRuns; round++)
                await RunRoundAsync(round, _rounds.MaxRuns, variants, again, env, cancel);
        }
        return (one, many);
    }

    private async Task RunRoundAsync(int round, int of, List<Variant> variants, IReadOnlyList<Kernel> kernels, Dictionary<string, string?> env,
        CancellationToken cancel)
    {
        // Rotate the variant order every round, so no variant always runs right after the same neighbour.
        var order = variants.Skip(round % variants.Count).Concat(variants.Take(round % variants.Count)).ToList();
        foreach (var k in kernels)
        {
            var line = new List<string>();
            foreach (var v in order)
            {
                var key = (k.Name, v.Name);
                if (!_exe.TryGetValue(key, out var exe) || _runFailures.ContainsKey(key)) continue;
                var r = await ProcessRunner.RunAsync(exe, [], Path.GetDirectoryName(exe), env, options.RunTimeout, cancel);
                var parsed = r.Ok ? KernelOutput.Parse(r.Stdout) : null;
                if (!r.Ok) _runFailures[key] = r.FailureReason();
                else if (parsed is null) _runFailures[key] = "the program printed no `checksum:` / `time:` line";
                else
                {
                    if (!_outputs.TryGetValue(key, out var list)) _outputs[key] = list = [];
                    list.Add(parsed);
                    line.Add($"{v.Name} {parsed.Seconds:F3}");
                    continue;
                }
                line.Add($"{v.Name} FAILED");
                Info($"{v.Name} × {k.Name}: run failed — {_runFailures[key]}");
            }
            Info($"[run {round + 1}/{of}] {k.Name}: {string.Join(", ", line)}");
        }
    }

    // ---- results -----------------------------------------------------------------------------------

    private KernelReport Evaluate(Kernel k, List<Variant> variants)
    {
        // The baseline is the faster serial build (by median); its first checksum is the reference.
        var (baseline, baseSeconds) = CellJudgement.FasterSerial(n =>
            !_runFailures.ContainsKey((k.Name, n)) && _outputs.TryGetValue((k.Name, n), out var o) ? o.Select(x => x.Seconds).ToList() : null);
        var reference = baseline is null ? null : _outputs[(k.Name, baseline)][0].Checksum;

        var cells = new List<Cell>();
        foreach (var v in variants)
        {
            var key = (k.Name, v.Name);
            _notes.TryGetValue(key, out var note);
            _outputs.TryGetValue(key, out var outs);
            var times = outs?.Select(o => o.Seconds).ToList() ?? [];
            var unjudged = CellJudgement.Unjudged(v.Name, _notBuilt.TryGetValue(key, out var nb) ? nb : null, _runFailures.GetValueOrDefault(key), times,
                outs?.FirstOrDefault()?.Checksum, reference is not null && baseSeconds is not null, "kernel", note);
            if (unjudged is not null) { cells.Add(unjudged); continue; }
            var median = Stats.Median(times);
            var worst = 0.0;
            string? differing = null;
            foreach (var o in outs!)
            {
                if (!KernelOutput.Agrees(reference!, o.Checksum, out var rel)) differing ??= o.Checksum;
                worst = Math.Max(worst, rel);
            }
            var agrees = differing is null;
            cells.Add(new Cell(v.Name, agrees ? CellStatus.Ok : CellStatus.ChecksumDiffers,
                agrees ? null : $"checksum {differing} differs from the serial baseline's {reference} (relative {worst:G2} > {KernelOutput.RelativeTolerance:G1})",
                times, median, median > 0 ? baseSeconds / median : null, outs![0].Checksum, agrees, worst, note));
        }
        return new KernelReport(k.Name, k.Source, k.Expert, baseline, baseSeconds, reference, cells);
    }

    internal static GeoMean GeoMeanOf(Variant v, IReadOnlyList<KernelReport> kernels)
    {
        var ok = kernels.Select(k => (k.Name, Cell: k.Cells.First(c => c.Variant == v.Name))).ToList();
        var used = ok.Where(x => x.Cell.Status == CellStatus.Ok && x.Cell.Speedup is > 0).ToList();
        return new GeoMean(v.Name, used.Count == 0 ? null : Stats.GeoMean(used.Select(x => x.Cell.Speedup!.Value).ToList()), used.Count, kernels.Count,
            ok.Where(x => !used.Contains(x)).Select(x => x.Name).ToList());
    }

    /// <summary>ParaSlm against each peer built with the same compiler: a kernel is a win (loss) when ParaSlm's median is &gt;10% lower (higher).</summary>
    public const double TieBand = 1.10;

    internal static List<Comparison> Compare(IReadOnlyList<KernelReport> kernels)
    {
        // The same compiler's serial build first: what parallelizing alone changed ("never slower" is read there), apart
        // from the gap between two compilers' serial code that the faster-serial baseline also carries.
        (string ParaSlm, string Peer)[] pairs =
            [.. PairedMedians.SameCompilerSerial, ("paraslm-gcc", "gcc-autopar"), ("paraslm-clang", "clang-polly"), ("paraslm-gcc", "expert-gcc"), ("paraslm-clang", "expert-clang")];
        var list = new List<Comparison>();
        foreach (var (p, q) in pairs)
        {
            if (!PairedMedians.BothListed(kernels, p, q)) continue;
            var wins = new List<string>();
            var losses = new List<string>();
            var ties = new List<string>();
            var ratios = new List<double>();
            foreach (var (k, a, b, ratio) in PairedMedians.Of(kernels, p, q))
            {
                ratios.Add(ratio);
                var text = $"{k.Name} ({a.Speedup:F2}x vs {b.Speedup:F2}x)";
                if (ratio > TieBand) wins.Add(text);
                else if (ratio < 1 / TieBand) losses.Add(text);
                else ties.Add(text);
            }
            list.Add(new Comparison(p, q, wins, losses, ties, ratios.Count == 0 ? null : Stats.GeoMean(ratios)));
        }
        return list;
    }

    private async Task<IReadOnlyList<ModelCell>> ModelTableAsync(List<Variant> variants, IReadOnlyList<KernelReport> kernels,
        IReadOnlyList<GeoMean> geoMeans, string suite, CancellationToken cancel)
    {
        Info($"paraslm eval over {options.SweepModels.Count} models × {options.SweepStrategies.Count} strategies…");
        ModelSweepResult? sweep = null;
        string? failure = null;
        try
        {
            sweep = await ModelSweep.RunAsync(new ModelSweepOptions(options.SweepModels, options.SweepStrategies, suite, options.Endpoint,
                PlannerSettings.DefaultRequestTimeout, null, null, options.LibClang), TextWriter.Null, cancel);
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException)
        {
            failure = $"paraslm eval failed: {e.Message}";
        }
        var cells = new List<ModelCell>();
        foreach (var m in options.SweepModels)
            foreach (var s in options.SweepStrategies)
            {
                var v = variants.First(x => x.ParaSlmTag == Variants.Tag(m, s));
                var e = sweep?.Cells.FirstOrDefault(x => x.Model == m && x.Strategy == s);
                var available = e is { Available: true } && v.Unavailable is null;
                var reason = v.Unavailable ?? e?.Unavailable ?? failure;
                var ran = kernels.Select(k => k.Cells.First(c => c.Variant == v.Name)).Where(c => c.Status is CellStatus.Ok or CellStatus.ChecksumDiffers).ToList();
                cells.Add(new ModelCell(m, s, available, available ? null : reason, e?.Nests ?? 0, e?.Proposals ?? 0, e?.Accepted ?? 0, e?.Repaired ?? 0,
                    e?.Rejected ?? 0, e?.Matches ?? 0, e?.MeanLatencySeconds ?? 0,
                    v.Name, ran.Count(c => c.Status == CellStatus.Ok), ran.Count, geoMeans.First(g => g.Variant == v.Name).Speedup)
                {
                    Invalid = e?.Invalid ?? 0,
                    NotAsked = (e?.OverBudget ?? 0) + (e?.BreakerOpen ?? 0),
                    VsAnalyzer = ModelSpeedup.VsAnalyzer(kernels, v.Name),
                });
            }
        return cells;
    }

    internal static VariantInfo Describe(Variant v, Toolchain tools)
    {
        var c = tools.Get(v.Family);
        return new VariantInfo(v.Name, v.Description, c.C ?? v.Family, c.Version, string.Join(" ", new[] { "-O3", "-DNDEBUG" }.Concat(v.Flags)), v.Parallel, v.Unavailable);
    }

    internal static double? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    internal static MachineInfo Machine(double? loadBefore, double? loadAfter)
    {
        var cpu = "unknown";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        return new MachineInfo(cpu, Environment.ProcessorCount, RuntimeInformation.OSDescription, loadBefore, loadAfter);
    }

    /// <summary>A folder name for a variant name (sweep variants carry ':' and '/').</summary>
    public static string DirName(string variant) =>
        new string(variant.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray());
}
