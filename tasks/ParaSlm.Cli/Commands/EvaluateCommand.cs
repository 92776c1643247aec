using System.Globalization;
using ParaSlm.Engine.Reporting;
using ParaSlm.Evaluation;
using ParaSlm.Evaluation.Projects;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm evaluate`: ParaSlm against the serial builds, gcc's and Polly's auto-parallelizers and the expert OpenMP
/// versions over the kernel suite; prints the comparison table and writes report.md/.html/.json and speedups.svg
/// (see <see cref="EvaluationRunner"/>). With a suite description (`paraslm-suite.json` in the --suite folder, or
/// --suite-config) the suite is any CMake project, built as its users would (see <see cref="ProjectEvaluationRunner"/>).
/// </summary>
public static class EvaluateCommand
{
    public const string UsageLine =
        "evaluate [--suite DIR] [--suite-config FILE] [--out DIR] [--runs N] [--max-runs N] [--threads N] [--variants V1,V2] [--kernels K1,K2] [--scaling] [--json]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string> { "--json", "--scaling" },
            new HashSet<string>
            {
                "--suite", "--suite-config", "--out", "--runs", "--max-runs", "--threads", "--variants", "--kernels", "--gcc", "--clang", "--strategy", "--model", "--endpoint",
                "--models", "--strategies", "--libclang", "--run-timeout", "--scaling-sizes", "--scaling-threads", "--calibration-iterations",
            });
        if (p.Positionals.Count > 0) throw new UsageException("evaluate takes no positional arguments (use --suite DIR)");
        var suite = p.Value("--suite") ?? Path.Combine("samples", "kernels");
        if (!Directory.Exists(suite) && (p.Value("--suite") is not null || p.Value("--suite-config") is null))
        {
            stderr.WriteLine($"paraslm: PSLM0003: {suite}: no such folder (give the kernel suite, or a CMake project with a {SuiteConfigReader.DefaultFileName}, with --suite)");
            return CommandLine.InputError;
        }
        // A project suite: a CMake project described by paraslm-suite.json (in the folder, or --suite-config).
        var configFile = p.Value("--suite-config")
            ?? (File.Exists(Path.Combine(suite, SuiteConfigReader.DefaultFileName)) ? Path.Combine(suite, SuiteConfigReader.DefaultFileName) : null);
        SuiteConfig? project = null;
        if (configFile is not null)
        {
            try
            {
                project = SuiteConfigReader.Load(configFile, p.Value("--suite"));
            }
            catch (SuiteConfigException e)
            {
                throw new UsageException(e.Message);
            }
            if (p.Has("--scaling")) throw new UsageException("--scaling is for the kernel suite (samples/kernels), not a project suite");
        }
        var strategy = p.Value("--strategy") ?? "analyzer";
        var catalog = StrategyCatalog.Create();
        var sweepStrategies = List(p.Value("--strategies")) ?? (p.Value("--models") is null ? [] : catalog.Names);
        foreach (var s in sweepStrategies.Append(strategy))
            if (s is not ("analyzer" or "auto") && !catalog.ByName.ContainsKey(s))
                throw new UsageException($"unknown strategy '{s}' (one of: analyzer, auto, {string.Join(", ", catalog.Names)})");
        var sweepModels = List(p.Value("--models")) ?? [];
        if (sweepModels.Count == 0 && p.Value("--strategies") is not null) throw new UsageException("--strategies needs --models");

        var options = new EvaluationOptions
        {
            Suite = suite,
            Out = p.Value("--out") ?? Path.Combine("artifacts", "evaluation"),
            Runs = Positive(p, "--runs", 3),
            MaxRuns = p.Value("--max-runs") is null ? null
                : Positive(p, "--max-runs", 0) is var max && max >= Positive(p, "--runs", 3) ? max
                : throw new UsageException("--max-runs must be at least --runs"),
            Threads = Positive(p, "--threads", Environment.ProcessorCount),
            Variants = List(p.Value("--variants")),
            Kernels = List(p.Value("--kernels")),
            Scaling = p.Has("--scaling"),
            ScalingSizes = Ints(p, "--scaling-sizes") ?? [500, 800, 1100],
            ScalingThreads = Ints(p, "--scaling-threads") ?? [1, 2, 4],
            Gcc = p.Value("--gcc"),
            Clang = p.Value("--clang"),
            Strategy = strategy,
            Model = p.Value("--model"),
            Endpoint = p.Value("--endpoint"),
            SweepModels = sweepModels,
            SweepStrategies = sweepStrategies,
            LibClang = p.Value("--libclang"),
            RunTimeout = TimeSpan.FromSeconds(Positive(p, "--run-timeout", 300)),
            CalibrationIterations = p.Value("--calibration-iterations") is { } ci && long.TryParse(ci, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : p.Value("--calibration-iterations") is null ? 200_000_000 : throw new UsageException("--calibration-iterations needs a positive number"),
        };

        EvaluationReport report;
        try
        {
            report = project is null
                ? await new EvaluationRunner(options, stderr).RunAsync(cancel)
                : await new ProjectEvaluationRunner(options, project, stderr).RunAsync(cancel);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var outDir = Path.GetFullPath(options.Out);
        EvaluationReportWriter.WriteAll(report, outDir);
        stdout.Write(p.Has("--json") ? EvaluationReportWriter.ToJson(report) + "\n" : EvaluationReportWriter.ConsoleText(report, outDir));
        return CommandLine.Ok;
    }

    private static int Positive(ParsedArguments p, string name, int fallback) =>
        p.Value(name) is not { } v ? fallback
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new UsageException($"{name} needs a positive number");

    private static IReadOnlyList<int>? Ints(ParsedArguments p, string name) =>
        List(p.Value(name))?.Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new UsageException($"{name} needs positive numbers separated by commas")).ToList();

    private static IReadOnlyList<string>? List(string? csv) =>
        csv is null ? null : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
