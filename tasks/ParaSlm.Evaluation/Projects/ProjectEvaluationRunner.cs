using System.Diagnostics;
using System.Globalization;

namespace ParaSlm.Evaluation.Projects;

/// <summary>
/// `paraslm evaluate --suite DIR` for a CMake project with a suite description (<see cref="SuiteConfig"/>): builds the
/// project once per variant as its users would (<see cref="ProjectBuilder"/>), runs every program of the description
/// in alternating rounds (variant order rotated each round), reads each run's time and compares its outputs with the
/// serial reference run (<see cref="OutputComparer"/>), and computes medians, speedups over the faster serial build
/// and geomeans into the same report as the kernel suite. Nothing is dropped: a build or run that fails keeps its
/// cell with the reason.
/// </summary>
public sealed class ProjectEvaluationRunner(EvaluationOptions options, SuiteConfig config, TextWriter log)
{
    private readonly Dictionary<(string Program, string Variant), string> _exe = [];
    private readonly Dictionary<(string Program, string Variant), (string Status, string Reason)> _notBuilt = [];
    private readonly Dictionary<(string Program, string Variant), string> _notes = [];
    private readonly Dictionary<(string Program, string Variant), List<double>> _times = [];
    private readonly Dictionary<(string Program, string Variant), string> _runFailures = [];
    private readonly Dictionary<(string Program, string Variant), string> _differs = [];
    private readonly Dictionary<(string Program, string Variant), string> _digest = [];
    private readonly Dictionary<string, (string Variant, Dictionary<string, string> Files, string Digest)> _reference = [];
    private readonly Dictionary<string, string> _buildDirs = [];
    private readonly ExtraRounds _rounds = EvaluationRunner.ExtraRoundsOf(options);
    private List<string> _noisy = [];

    private void Info(string message) => log.WriteLine("paraslm: evaluate: " + message);

    public async Task<EvaluationReport> RunAsync(CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var loadBefore = EvaluationRunner.LoadAverage();
        var outDir = Path.GetFullPath(options.Out);
        var programs = SelectPrograms();
        var variants = SelectVariants();
        if (variants.Any(v => v.Source == SourceKind.ParaSlm))
        {
            if (config.Project is null)
                throw new SuiteConfigException($"{config.File}: no MSBuild project using ParaSlm.Sdk beside {Path.Combine(config.Source, "CMakeLists.txt")}: " +
                    "add app.proj and nuget.config there as README \"Build integration\" shows (or name the project with \"project\"), or leave the ParaSlm variants out with --variants");
            if (outDir.Any(char.IsWhiteSpace))
                throw new ArgumentException($"--out {outDir}: the ParaSlm builds pass this folder through ParaSlmCMakeArgs, which splits at whitespace: choose an output folder without spaces");
        }
        Directory.CreateDirectory(outDir);
        var tools = await Toolchain.DetectAsync(options, cancel);
        Info($"{config.Name ?? config.Source}: {programs.Count} programs, {variants.Count} variants, {options.Runs} alternating runs, {options.Threads} threads; output in {outDir}");
        foreach (var c in new[] { tools.Gcc, tools.Clang })
            Info(c.Unavailable is null ? $"{c.Family}: {c.C} / {c.Cxx ?? "no C++ driver"} ({c.Version})" : $"{c.Family}: {c.Unavailable}");
        await EvaluationRunner.ProbeAsync(variants, tools, outDir, Info, cancel);

        var builds = await BuildAllAsync(variants, tools, programs, outDir, cancel);
        var calibrationExe = await EvaluationRunner.BuildCalibrationAsync(tools, options.CalibrationIterations, outDir, cancel);
        var (one, many) = await RunRoundsAsync(variants, programs, calibrationExe.Exe, outDir, cancel);

        var reports = programs.Select(p => Evaluate(p, variants)).ToList();
        var geoMeans = variants.Select(v => EvaluationRunner.GeoMeanOf(v, reports)).ToList();
        var calibration = calibrationExe.Exe is null
            ? new Calibration(options.Threads, null, null, null, calibrationExe.Reason)
            : EvaluationRunner.Calibrate(options.Threads, one, many);
        var infos = variants.Select(v =>
        {
            var i = EvaluationRunner.Describe(v, tools);
            var note = builds.TryGetValue(v.Name, out var b) ? b.Note : null;
            return i with
            {
                Flags = v.Source == SourceKind.ParaSlm ? "CMake Release flags; the SDK adds OpenMP to the targets it rewrote" : $"CMake Release flags, CMAKE_C_FLAGS += {string.Join(" ", new[] { config.CFlags, v.FlagText }.Where(s => s.Length > 0))}",
                Description = note is null ? i.Description : $"{i.Description}; {note}",
            };
        }).ToList();
        var rules = programs.Select(p => p.Compare.Describe()).Distinct().ToList();
        var timeRules = programs.Select(p => p.Time.Describe()).Distinct().ToList();
        return new EvaluationReport(config.Source, DateTimeOffset.UtcNow, EvaluationRunner.Machine(loadBefore, EvaluationRunner.LoadAverage()), options.Runs,
            options.Threads, options.Strategy, null, infos, reports, geoMeans, calibration, EvaluationRunner.Compare(reports), null, null, clock.Elapsed.TotalSeconds)
        {
            Kind = EvaluationReport.ProjectSuite,
            SuiteName = config.Name,
            TimeRule = string.Join("; ", timeRules),
            OutputRule = "reference: serial-gcc's first run (serial-clang's when serial-gcc did not run); compared: " + string.Join("; ", rules),
            MaxRuns = _rounds.MaxRuns,
            ExtraRoundKernels = _noisy,
        };
    }

    private List<SuiteProgram> SelectPrograms()
    {
        if (options.Kernels is null) return [.. config.Programs];
        foreach (var k in options.Kernels)
            if (config.Programs.All(p => p.Name != k))
                throw new ArgumentException($"--kernels: no program '{k}' in {config.File} (its programs: {string.Join(", ", config.Programs.Select(p => p.Name))})");
        return config.Programs.Where(p => options.Kernels.Contains(p.Name)).ToList();
    }

    private List<Variant> SelectVariants()
    {
        var names = options.Variants?.ToList() ?? [.. ProjectVariants.Names];
        foreach (var n in names) ProjectVariants.Create(n, options.Threads); // throws with the known names
        if (options.SweepModels.Count > 0) throw new ArgumentException("--models is for the kernel suite; a project suite's ParaSlm builds use --strategy/--model");
        // The serial builds are the baseline: always there, always first.
        return ProjectVariants.Names.Where(n => n is Variants.SerialGcc or Variants.SerialClang || names.Contains(n))
            .Select(n => ProjectVariants.Create(n, options.Threads)).ToList();
    }

    private async Task<Dictionary<string, ProjectBuild>> BuildAllAsync(List<Variant> variants, Toolchain tools, List<SuiteProgram> programs, string outDir, CancellationToken cancel)
    {
        var builder = new ProjectBuilder(config, options, outDir, Info);
        var builds = new Dictionary<string, ProjectBuild>(StringComparer.Ordinal);
        foreach (var v in variants)
        {
            if (v.Unavailable is not null)
            {
                foreach (var p in programs) _notBuilt[(p.Name, v.Name)] = (CellStatus.Unavailable, v.Unavailable);
                continue;
            }
            var sw = Stopwatch.StartNew();
            Info($"{v.Name}: building…");
            var b = await builder.BuildAsync(v, tools.Get(v.Family), cancel);
            builds[v.Name] = b;
            if (b.BuildDir is null)
            {
                Info($"{v.Name}: build failed — {b.Failure}");
                foreach (var p in programs) _notBuilt[(p.Name, v.Name)] = (CellStatus.BuildFailed, b.Failure!);
                continue;
            }
            Info($"{v.Name}: built in {sw.Elapsed.TotalSeconds:F0} s");
            _buildDirs[v.Name] = b.BuildDir;
            foreach (var p in programs)
            {
                var (exe, reason) = ProjectBuilder.FindExecutable(b.BuildDir, p.Exe);
                if (exe is null) _notBuilt[(p.Name, v.Name)] = (CellStatus.BuildFailed, reason!);
                else _exe[(p.Name, v.Name)] = exe;
                if (v.Source == SourceKind.ParaSlm && ProgramNote(p, b.Outputs) is { } note) _notes[(p.Name, v.Name)] = note;
            }
        }
        return builds;
    }

    /// <summary>The engine's verdict on the source named like the program (one-program-per-file suites such as PolyBench).</summary>
    private static string? ProgramNote(SuiteProgram p, IReadOnlyList<EngineOutput> outputs)
    {
        var stem = Path.GetFileNameWithoutExtension(p.Exe);
        var o = outputs.Where(x => Path.GetFileNameWithoutExtension(x.Original) == stem).ToList();
        if (o.Count != 1) return null;
        return o[0].Status switch
        {
            EngineOutputs.Rewritten => $"{o[0].Parallel} of {o[0].Loops} loops parallel in {Path.GetFileName(o[0].Original)}",
            EngineOutputs.Unchanged => $"unchanged: none of {o[0].Loops} loops in {Path.GetFileName(o[0].Original)} parallelized",
            _ => $"the engine could not process {Path.GetFileName(o[0].Original)}; compiled as written",
        };
    }

    private async Task<(List<double> One, List<double> Many)> RunRoundsAsync(List<Variant> variants, List<SuiteProgram> programs, string? calibrationExe,
        string outDir, CancellationToken cancel)
    {
        var one = new List<double>();
        var many = new List<double>();
        var env = new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = options.Threads.ToString(CultureInfo.InvariantCulture) };
        for (var round = 0; round < options.Runs; round++)
        {
            if (calibrationExe is not null) await EvaluationRunner.CalibrationRoundAsync(calibrationExe, options.Threads, round, one, many, options.RunTimeout, cancel);
            await RunRoundAsync(round, options.Runs, variants, programs, outDir, env, cancel);
        }
        var noisy = _rounds.Noisy(programs.Select(p => p.Name), variants.Select(v => v.Name).ToList(), (program, variant) =>
            _times.TryGetValue((program, variant), out var runs) && !_runFailures.ContainsKey((program, variant)) ? runs : null);
        _noisy = noisy.Select(n => n.Kernel).ToList();
        if (noisy.Count > 0)
        {
            Info(_rounds.Announce(noisy));
            var again = programs.Where(p => _noisy.Contains(p.Name)).ToList();
            for (var round = options.Runs; round < _rounds.MaxRuns; round++)
                await RunRoundAsync(round, _rounds.MaxRuns, variants, again, outDir, env, cancel);
        }
        return (one, many);
    }

    private async Task RunRoundAsync(int round, int of, List<Variant> variants, List<SuiteProgram> programs, string outDir,
        Dictionary<string, string?> env, CancellationToken cancel)
    {
        // Rotate the variant order every round, so no variant always runs right after the same neighbour.
        var order = variants.Skip(round % variants.Count).Concat(variants.Take(round % variants.Count)).ToList();
        foreach (var p in programs)
        {
            var line = new List<string>();
            // This round's outputs of the program, held until the reference exists (it may run last in the round).
            var outputs = new List<(Variant V, ProgramRun Run)>();
            foreach (var v in order)
            {
                var key = (p.Name, v.Name);
                if (!_exe.TryGetValue(key, out var exe) || _runFailures.ContainsKey(key)) continue;
                var work = p.WorkDir is null ? ScratchDir(outDir, v, p) : Expand(p.WorkDir, _buildDirs[v.Name], outDir, v, p);
                var (run, failure) = await ProgramRunner.RunAsync(p, exe, _buildDirs[v.Name], config.Source, work, env, options.RunTimeout, cancel);
                if (run is null)
                {
                    _runFailures[key] = failure!;
                    line.Add($"{v.Name} FAILED");
                    Info($"{v.Name} × {p.Name}: run failed — {failure}");
                    continue;
                }
                if (!_times.TryGetValue(key, out var list)) _times[key] = list = [];
                list.Add(run.Seconds);
                outputs.Add((v, run));
                line.Add($"{v.Name} {run.Seconds:F3}");
            }
            await CompareAsync(p, outputs, outDir, cancel);
            Info($"[run {round + 1}/{of}] {p.Name}: {string.Join(", ", line)}");
        }
    }

    private static string ScratchDir(string outDir, Variant v, SuiteProgram p)
    {
        // A fresh, empty folder per run: files a program writes are this run's.
        var dir = Path.Combine(outDir, "work", EvaluationRunner.DirName(v.Name), p.Name);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private string Expand(string workDir, string buildDir, string outDir, Variant v, SuiteProgram p)
    {
        var dir = workDir.Replace("{build}", buildDir, StringComparison.Ordinal).Replace("{source}", config.Source, StringComparison.Ordinal);
        if (dir.Contains("{work}", StringComparison.Ordinal)) dir = dir.Replace("{work}", ScratchDir(outDir, v, p), StringComparison.Ordinal);
        return Path.GetFullPath(dir, config.Source);
    }

    /// <summary>Fixes the program's reference on its first serial run, then checks each of this round's runs against it.</summary>
    private async Task CompareAsync(SuiteProgram p, List<(Variant V, ProgramRun Run)> outputs, string outDir, CancellationToken cancel)
    {
        if (!_reference.ContainsKey(p.Name))
        {
            var first = outputs.FirstOrDefault(o => o.V.Name == Variants.SerialGcc);
            if (first.Run is null) first = outputs.FirstOrDefault(o => o.V.Name == Variants.SerialClang);
            if (first.Run is null) return; // no serial run yet: nothing to compare with (the cells say no baseline)
            // Kept on disk, not in memory: a dump of large arrays per program adds up.
            var dir = Path.Combine(outDir, "reference", p.Name);
            Directory.CreateDirectory(dir);
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (part, text) in first.Run.Outputs)
            {
                var f = Path.Combine(dir, EvaluationRunner.DirName(part) + ".txt");
                await File.WriteAllTextAsync(f, text, cancel);
                files[part] = f;
            }
            _reference[p.Name] = (first.V.Name, files, ProgramRunner.Digest(first.Run.Outputs));
        }
        var reference = _reference[p.Name];
        foreach (var (v, run) in outputs)
        {
            var key = (p.Name, v.Name);
            var digest = ProgramRunner.Digest(run.Outputs);
            _digest.TryAdd(key, digest);
            if (digest == reference.Digest || _differs.ContainsKey(key)) continue;
            foreach (var (part, file) in reference.Files)
            {
                var expected = await File.ReadAllTextAsync(file, cancel);
                var rule = p.Compare;
                // The time line changes every run: it is not output to compare.
                if (p.Time.Regex is { } t && part == p.Time.Stream) rule = rule with { Ignore = [.. rule.Ignore, t] };
                if (OutputComparer.Difference(expected, run.Outputs[part], rule) is { } d)
                {
                    _differs[key] = $"{part} differs from {reference.Variant}'s: {d}";
                    break;
                }
            }
        }
    }

    private KernelReport Evaluate(SuiteProgram p, List<Variant> variants)
    {
        var (baseline, baseSeconds) = CellJudgement.FasterSerial(n =>
            !_runFailures.ContainsKey((p.Name, n)) && _times.TryGetValue((p.Name, n), out var t) ? t : null);
        _reference.TryGetValue(p.Name, out var reference);

        var cells = new List<Cell>();
        foreach (var v in variants)
        {
            var key = (p.Name, v.Name);
            _notes.TryGetValue(key, out var note);
            _times.TryGetValue(key, out var times);
            times ??= [];
            _digest.TryGetValue(key, out var digest);
            var unjudged = CellJudgement.Unjudged(v.Name, _notBuilt.TryGetValue(key, out var nb) ? nb : null, _runFailures.GetValueOrDefault(key), times,
                digest, baseSeconds is not null && reference.Files is not null, "program", note);
            if (unjudged is not null) { cells.Add(unjudged); continue; }
            var median = Stats.Median(times);
            var differs = _differs.TryGetValue(key, out var why);
            cells.Add(new Cell(v.Name, differs ? CellStatus.ChecksumDiffers : CellStatus.Ok, why, times, median, median > 0 ? baseSeconds / median : null,
                digest, !differs, null, note));
        }
        var command = string.Join(" ", new[] { p.Exe }.Concat(p.Args));
        return new KernelReport(p.Name, command, null, baseline, baseSeconds, reference.Digest, cells);
    }
}
