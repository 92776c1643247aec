using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Cli.Evaluation;
using ParaSlm.Cli.Planning;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm eval`: models × strategies over the sample kernel suite, printing the paper's two tables (per model,
/// per strategy). Every rate has one numerator and one denominator: the loop nests of the suite, each of which has
/// exactly one fate (<see cref="NestFate"/>), so no rate exceeds 100%. Nests the model was never asked about (budget
/// spent, circuit breaker open) are counted and shown, not hidden. With `--speedup`, the suite is also built from
/// each strategy's plans and from the analyzer's alone and run alternately (<see cref="EvaluationRunner"/>): the last
/// column is the geometric-mean speedup of the strategy's build over the analyzer-only build, in that same run.
/// Nothing here is simulated: an unreachable model is reported as unavailable, not scored.
/// </summary>
public static class EvalCommand
{
    private static readonly string[] DefaultArgs = [];

    private static readonly string[] DefaultModels = ["qwen2.5:1.5b", "llama3.2:1b", "gemma3:1b"];

    /// <summary>One model × strategy over the suite; every count is of loop nests (<see cref="Nests"/> is the denominator).</summary>
    /// <param name="Proposals">Nests where the model answered with a usable plan (accepted + repaired + rejected + analyzer kept).</param>
    /// <param name="Rejected">Nests whose model plan the verifier rejected as unsafe.</param>
    /// <param name="Matches">Nests where the model's verified plan equals the analyzer's proven plan.</param>
    /// <param name="Used">Nests whose final plan is the model's.</param>
    /// <param name="SpeedupVsAnalyzer">Geomean over the kernels of analyzer-only median / this strategy's median (`--speedup`).</param>
    public sealed record Cell(string Model, string Strategy, bool Available, string? Unavailable, int Nests, int Proposals,
        int Accepted, int Repaired, int Rejected, int Matches, int ModelCalls, double MeanLatencySeconds,
        int Invalid = 0, int NotBetter = 0, int AnalyzerKept = 0, int Used = 0, int Failed = 0, int OverBudget = 0, int BreakerOpen = 0,
        bool BudgetExhausted = false, bool BreakerTripped = false, double? SpeedupVsAnalyzer = null);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string> { "--json", "--speedup" },
            new HashSet<string> { "--models", "--strategies", "--endpoint", "--suite", "--timeout", "--budget", "--threads", "--libclang", "--runs", "--out" });
        if (p.Positionals.Count > 0) throw new UsageException("eval takes no positional arguments (use --suite DIR)");
        var models = List(p.Value("--models")) ?? DefaultModels;
        var catalog = StrategyCatalog.Create();
        var strategies = List(p.Value("--strategies")) ?? catalog.Names;
        foreach (var s in strategies)
            if (!catalog.ByName.ContainsKey(s)) throw new UsageException($"unknown strategy '{s}' (one of: {string.Join(", ", catalog.Names)})");
        var suite = p.Value("--suite") ?? Path.Combine("samples", "kernels");
        if (!Directory.Exists(suite)) { stderr.WriteLine($"paraslm: PSLM0003: {suite}: no such folder (give the kernel suite with --suite)"); return CommandLine.InputError; }
        var timeout = Seconds(p, "--timeout") ?? PlannerSettings.DefaultRequestTimeout;
        var budget = Seconds(p, "--budget");
        var threads = Count(p, "--threads");

        var files = Directory.EnumerateFiles(suite).Where(f => Path.GetExtension(f) is ".c" or ".cpp").Order(StringComparer.Ordinal).ToList();
        var analyses = new List<(FileAnalysis Analysis, string Text)>();
        try
        {
            using var analyzer = new SourceAnalyzer(new AnalyzerOptions { LibClangPath = p.Value("--libclang") });
            foreach (var f in files)
            {
                var std = Path.GetExtension(f) == ".cpp" ? "-std=c++17" : "-std=c11";
                analyses.Add((analyzer.Analyze(f, [std, "-O3", "-I" + suite]), File.ReadAllText(f)));
            }
        }
        catch (Exception e) when (e is SourceParseException or LibClangNotFoundException)
        {
            stderr.WriteLine($"paraslm: {e.Message}");
            return CommandLine.InputError;
        }

        var cells = new List<Cell>();
        foreach (var model in models)
        {
            foreach (var strategy in strategies)
            {
                cancel.ThrowIfCancellationRequested();
                stderr.WriteLine($"paraslm: eval {model} × {strategy} over {files.Count} files…");
                string? unavailable = null;
                // Evaluation measures the model: no cache, every nest is asked. Progress and warnings go to stderr.
                using var session = new PlannerSession(new PlannerSettings(strategy, model, p.Value("--endpoint"), timeout, budget, "cpu", "off", threads),
                    m =>
                    {
                        if (m.Contains("PSLM3001", StringComparison.Ordinal)) unavailable ??= m;
                        stderr.WriteLine("paraslm: " + m);
                    });
                foreach (var (analysis, text) in analyses)
                    await session.PlanAsync(analysis, text, DefaultArgs, cancel);
                cells.Add(CellOf(model, strategy, unavailable, session.Usage!));
            }
        }

        if (p.Has("--speedup"))
            cells = await WithSpeedupsAsync(cells, models, strategies, suite, p, stderr, cancel);

        if (p.Has("--json"))
        {
            stdout.WriteLine(JsonSerializer.Serialize(new { suite, files = files.Count, cells },
                new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            Table(stdout, "per model", cells.GroupBy(c => c.Model));
            stdout.WriteLine();
            Table(stdout, "per strategy", cells.GroupBy(c => c.Strategy));
            stdout.WriteLine();
            stdout.WriteLine(Legend);
            foreach (var c in cells.Where(c => c.Available && (c.BudgetExhausted || c.BreakerTripped)))
                stdout.WriteLine($"{c.Model} × {c.Strategy}: " + string.Join("; ",
                    new[] { c.BudgetExhausted ? $"the model budget ran out: {c.OverBudget} of {c.Nests} nests were not asked (raise --budget)" : null,
                            c.BreakerTripped ? $"the circuit breaker opened: {c.BreakerOpen} of {c.Nests} nests were not asked" : null }.Where(x => x is not null)));
            foreach (var c in cells.Where(c => !c.Available).DistinctBy(c => c.Model))
                stdout.WriteLine($"{c.Model}: unavailable — {c.Unavailable}");
        }
        return CommandLine.Ok;
    }

    public const string Legend =
        "Every % is of the nests (one fate each). answered: the model gave a usable plan; invalid: its answer was not one (PSLM3010–3014);\n" +
        "accepted/repaired/unsafe: the verifier's verdict on the model's plan; = analyzer: the verified plan equals the analyzer's proven plan;\n" +
        "used: the nest's final plan is the model's (verified and at least as good as the analyzer's by the cost model; otherwise the analyzer's is kept);\n" +
        "budget/breaker: nests never asked because the model budget was spent (PSLM3003) or the circuit breaker had opened (PSLM3004); failed: no answer.\n" +
        "vs analyzer: with --speedup, geomean over the kernels of the analyzer-only build's median time / this strategy's build's (same run, alternating).";

    /// <summary>A cell from the nests' fates; each nest counts once, in one fate.</summary>
    public static Cell CellOf(string model, string strategy, string? unavailable, ModelUsage usage)
    {
        var o = usage.Outcomes;
        int Count(NestFate f) => o.Count(x => x.Fate == f);
        var answered = o.Where(x => x.Fate is NestFate.ModelUsed or NestFate.Unsafe or NestFate.NotBetter or NestFate.AnalyzerChosen).ToList();
        return new Cell(model, strategy, unavailable is null, unavailable, o.Count, answered.Count,
            answered.Count(x => x.Fate != NestFate.AnalyzerChosen && x.Verdict == VerdictKind.Accepted),
            answered.Count(x => x.Fate != NestFate.AnalyzerChosen && x.Verdict == VerdictKind.Repaired),
            Count(NestFate.Unsafe),
            answered.Count(x => x.Fate != NestFate.AnalyzerChosen && x.MatchesAnalyzer),
            usage.ModelCalls,
            usage.ModelCalls == 0 ? 0 : usage.ModelTime.TotalSeconds / usage.ModelCalls,
            Count(NestFate.Invalid), Count(NestFate.NotBetter), Count(NestFate.AnalyzerChosen), Count(NestFate.ModelUsed), Count(NestFate.Failed),
            Count(NestFate.OverBudget), Count(NestFate.BreakerOpen), usage.BudgetExhausted, usage.BreakerTripped);
    }

    /// <summary>Builds the suite from the analyzer's plans and from each cell's plans, runs them alternately, and adds the ratio.</summary>
    private static async Task<List<Cell>> WithSpeedupsAsync(List<Cell> cells, IReadOnlyList<string> models, IReadOnlyList<string> strategies, string suite,
        ParsedArguments p, TextWriter stderr, CancellationToken cancel)
    {
        var options = new EvaluationOptions
        {
            Suite = suite,
            Out = p.Value("--out") ?? Path.Combine("artifacts", "eval"),
            Runs = Count(p, "--runs") ?? 3,
            Variants = [ModelSpeedup.AnalyzerVariant],
            Endpoint = p.Value("--endpoint"),
            LibClang = p.Value("--libclang"),
            SweepModels = models,
            SweepStrategies = strategies,
            PlanningTable = false,
        };
        var report = await new EvaluationRunner(options, stderr).RunAsync(cancel);
        return cells.Select(c => c with { SpeedupVsAnalyzer = ModelSpeedup.VsAnalyzer(report.Kernels, Variants.ForModel(c.Model, c.Strategy).Name) }).ToList();
    }

    private static void Table(TextWriter o, string title, IEnumerable<IGrouping<string, Cell>> groups)
    {
        o.WriteLine($"{title,-16} {"nests",6} {"answered",9} {"invalid",8} {"accepted",9} {"repaired",9} {"unsafe",7} {"= analyzer",11} {"used",6} {"budget",7} {"breaker",8} {"failed",7} {"calls/nest",11} {"latency s",10} {"vs analyzer",12}");
        foreach (var g in groups)
        {
            var cells = g.Where(c => c.Available).ToList();
            if (cells.Count == 0) { o.WriteLine($"{g.Key,-16} unavailable"); continue; }
            int nests = cells.Sum(c => c.Nests), calls = cells.Sum(c => c.ModelCalls);
            string Pct(Func<Cell, int> f) => nests == 0 ? "—" : (100.0 * cells.Sum(f) / nests).ToString("F0", CultureInfo.InvariantCulture) + "%";
            var latency = calls == 0 ? 0 : cells.Sum(c => c.MeanLatencySeconds * c.ModelCalls) / calls;
            var speedups = cells.Where(c => c.SpeedupVsAnalyzer is > 0).Select(c => c.SpeedupVsAnalyzer!.Value).ToList();
            var vs = speedups.Count == 0 ? "—" : Math.Exp(speedups.Average(Math.Log)).ToString("F2", CultureInfo.InvariantCulture) + "x";
            var asked = nests - cells.Sum(c => c.OverBudget + c.BreakerOpen);
            o.WriteLine($"{g.Key,-16} {nests,6} {Pct(c => c.Proposals),9} {Pct(c => c.Invalid),8} {Pct(c => c.Accepted),9} {Pct(c => c.Repaired),9} {Pct(c => c.Rejected),7} " +
                        $"{Pct(c => c.Matches),11} {Pct(c => c.Used),6} {Pct(c => c.OverBudget),7} {Pct(c => c.BreakerOpen),8} {Pct(c => c.Failed),7} " +
                        $"{(asked == 0 ? 0 : (double)calls / asked),11:F1} {latency,10:F2} {vs,12}");
        }
    }

    private static TimeSpan? Seconds(ParsedArguments p, string option)
    {
        if (p.Value(option) is not { } value) return null;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s <= 0)
            throw new UsageException($"{option} needs a positive number");
        return TimeSpan.FromSeconds(s);
    }

    private static int? Count(ParsedArguments p, string option)
    {
        if (p.Value(option) is not { } value) return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4096
            ? n
            : throw new UsageException($"{option} needs a positive whole number");
    }

    private static IReadOnlyList<string>? List(string? csv) =>
        csv is null ? null : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
