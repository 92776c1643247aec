using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Engine.Diagnostics;
using ParaSlm.Engine.Planning;
using ParaSlm.Reasoner.Planning;

namespace ParaSlm.Evaluation;

/// <summary>What one sweep asks: models × strategies over a suite's files, and whether to measure their builds too.</summary>
/// <param name="Speedup">Also build the suite from each cell's plans and from the analyzer's alone, run them alternately
/// (<see cref="EvaluationRunner"/>), and add the ratio.</param>
public sealed record ModelSweepOptions(IReadOnlyList<string> Models, IReadOnlyList<string> Strategies, string Suite, string? Endpoint,
    TimeSpan Timeout, TimeSpan? Budget, int? Threads, string? LibClang, bool Speedup = false, string? Out = null, int Runs = 3);

/// <summary>One model × strategy over the suite; every count is of loop nests (<see cref="Nests"/> is the denominator).</summary>
/// <param name="Proposals">Nests where the model answered with a usable plan (accepted + repaired + rejected + analyzer kept).</param>
/// <param name="Rejected">Nests whose model plan the verifier rejected as unsafe.</param>
/// <param name="Matches">Nests where the model's verified plan equals the analyzer's proven plan.</param>
/// <param name="Used">Nests whose final plan is the model's.</param>
/// <param name="SpeedupVsAnalyzer">Geomean over the kernels of analyzer-only median / this strategy's median (`--speedup`).</param>
public sealed record SweepCell(string Model, string Strategy, bool Available, string? Unavailable, int Nests, int Proposals,
    int Accepted, int Repaired, int Rejected, int Matches, int ModelCalls, double MeanLatencySeconds,
    int Invalid = 0, int NotBetter = 0, int AnalyzerKept = 0, int Used = 0, int Failed = 0, int OverBudget = 0, int BreakerOpen = 0,
    bool BudgetExhausted = false, bool BreakerTripped = false, double? SpeedupVsAnalyzer = null);

/// <summary>A sweep's result: the suite, how many files it planned, and one cell per model × strategy.</summary>
public sealed record ModelSweepResult(string Suite, int Files, IReadOnlyList<SweepCell> Cells);

/// <summary>
/// `paraslm eval`: models × strategies over the sample kernel suite. Every rate has one numerator and one denominator:
/// the loop nests of the suite, each of which has exactly one fate (<see cref="NestFate"/>), so no rate exceeds 100%.
/// Nests the model was never asked about (budget spent, circuit breaker open) are counted and shown, not hidden.
/// Nothing here is simulated: an unreachable model is reported as unavailable (the planner's own
/// <see cref="PlannerSession.UnavailableReason"/>), not scored.
/// </summary>
public static class ModelSweep
{
    public static readonly IReadOnlyList<string> DefaultModels = ["qwen2.5:1.5b", "llama3.2:1b", "gemma3:1b"];

    private static readonly string[] DefaultArgs = [];

    /// <summary>Plans every file of the suite with every model × strategy; progress and the planner's notes go to <paramref name="log"/>.</summary>
    /// <exception cref="ParaSlm.Analyzer.Clang.SourceParseException">A file of the suite does not parse.</exception>
    /// <exception cref="ParaSlm.Analyzer.Clang.LibClangNotFoundException">libclang is not here.</exception>
    public static async Task<ModelSweepResult> RunAsync(ModelSweepOptions o, TextWriter log, CancellationToken cancel)
    {
        var files = Directory.EnumerateFiles(o.Suite).Where(f => Path.GetExtension(f) is ".c" or ".cpp").Order(StringComparer.Ordinal).ToList();
        var analyses = new List<(FileAnalysis Analysis, string Text)>();
        using (var analyzer = new SourceAnalyzer(new AnalyzerOptions { LibClangPath = o.LibClang }))
        {
            foreach (var f in files)
            {
                var std = Path.GetExtension(f) == ".cpp" ? "-std=c++17" : "-std=c11";
                analyses.Add((analyzer.Analyze(f, [std, "-O3", "-I" + o.Suite]), File.ReadAllText(f)));
            }
        }

        var cells = new List<SweepCell>();
        foreach (var model in o.Models)
        {
            foreach (var strategy in o.Strategies)
            {
                cancel.ThrowIfCancellationRequested();
                log.WriteLine($"paraslm: eval {model} × {strategy} over {files.Count} files…");
                // Evaluation measures the model: no cache, every nest is asked. Progress and warnings go to the log.
                using var session = new PlannerSession(new PlannerSettings(strategy, model, o.Endpoint, o.Timeout, o.Budget, "cpu", "off", o.Threads),
                    new PlannerLog(d => log.WriteLine(DiagnosticText.ForBuild(d)), line => log.WriteLine("paraslm: " + line)));
                foreach (var (analysis, text) in analyses)
                    await session.PlanAsync(analysis, text, DefaultArgs, cancel);
                cells.Add(CellOf(model, strategy, session.UnavailableReason, session.Usage!));
            }
        }

        if (o.Speedup)
            cells = await WithSpeedupsAsync(cells, o, log, cancel);
        return new ModelSweepResult(o.Suite, files.Count, cells);
    }

    public const string Legend =
        "Every % is of the nests (one fate each). answered: the model gave a usable plan; invalid: its answer was not one (PSLM3010–3014);\n" +
        "accepted/repaired/unsafe: the verifier's verdict on the model's plan; = analyzer: the verified plan equals the analyzer's proven plan;\n" +
        "used: the nest's final plan is the model's (verified and at least as good as the analyzer's by the cost model; otherwise the analyzer's is kept);\n" +
        "budget/breaker: nests never asked because the model budget was spent (PSLM3003) or the circuit breaker had opened (PSLM3004); failed: no answer.\n" +
        "vs analyzer: with --speedup, geomean over the kernels of the analyzer-only build's median time / this strategy's build's (same run, alternating).";

    /// <summary>A cell from the nests' fates; each nest counts once, in one fate.</summary>
    public static SweepCell CellOf(string model, string strategy, string? unavailable, ModelUsage usage)
    {
        var o = usage.Outcomes;
        int Count(NestFate f) => o.Count(x => x.Fate == f);
        var answered = o.Where(x => x.Fate is NestFate.ModelUsed or NestFate.Unsafe or NestFate.NotBetter or NestFate.AnalyzerChosen).ToList();
        return new SweepCell(model, strategy, unavailable is null, unavailable, o.Count, answered.Count,
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
    private static async Task<List<SweepCell>> WithSpeedupsAsync(List<SweepCell> cells, ModelSweepOptions o, TextWriter log, CancellationToken cancel)
    {
        var options = new EvaluationOptions
        {
            Suite = o.Suite,
            Out = o.Out ?? Path.Combine("artifacts", "eval"),
            Runs = o.Runs,
            Variants = [ModelSpeedup.AnalyzerVariant],
            Endpoint = o.Endpoint,
            LibClang = o.LibClang,
            SweepModels = o.Models,
            SweepStrategies = o.Strategies,
            PlanningTable = false,
        };
        var report = await new EvaluationRunner(options, log).RunAsync(cancel);
        return cells.Select(c => c with { SpeedupVsAnalyzer = ModelSpeedup.VsAnalyzer(report.Kernels, Variants.ForModel(c.Model, c.Strategy).Name) }).ToList();
    }

    /// <summary>`paraslm eval --json`: the suite, its file count and every cell, camel-cased and indented.</summary>
    public static string ToJson(ModelSweepResult result) =>
        JsonSerializer.Serialize(new { suite = result.Suite, files = result.Files, cells = result.Cells },
            new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The two tables (per model, per strategy), the legend and each cell's budget/breaker/unavailable note.</summary>
    public static void WriteTables(TextWriter o, ModelSweepResult result)
    {
        var cells = result.Cells;
        Table(o, "per model", cells.GroupBy(c => c.Model));
        o.WriteLine();
        Table(o, "per strategy", cells.GroupBy(c => c.Strategy));
        o.WriteLine();
        o.WriteLine(Legend);
        foreach (var c in cells.Where(c => c.Available && (c.BudgetExhausted || c.BreakerTripped)))
            o.WriteLine($"{c.Model} × {c.Strategy}: " + string.Join("; ",
                new[] { c.BudgetExhausted ? $"the model budget ran out: {c.OverBudget} of {c.Nests} nests were not asked (raise --budget)" : null,
                        c.BreakerTripped ? $"the circuit breaker opened: {c.BreakerOpen} of {c.Nests} nests were not asked" : null }.Where(x => x is not null)));
        foreach (var c in cells.Where(c => !c.Available).DistinctBy(c => c.Model))
            o.WriteLine($"{c.Model}: unavailable — {c.Unavailable}");
    }

    private static void Table(TextWriter o, string title, IEnumerable<IGrouping<string, SweepCell>> groups)
    {
        o.WriteLine($"{title,-16} {"nests",6} {"answered",9} {"invalid",8} {"accepted",9} {"repaired",9} {"unsafe",7} {"= analyzer",11} {"used",6} {"budget",7} {"breaker",8} {"failed",7} {"calls/nest",11} {"latency s",10} {"vs analyzer",12}");
        foreach (var g in groups)
        {
            var cells = g.Where(c => c.Available).ToList();
            if (cells.Count == 0) { o.WriteLine($"{g.Key,-16} unavailable"); continue; }
            int nests = cells.Sum(c => c.Nests), calls = cells.Sum(c => c.ModelCalls);
            string Pct(Func<SweepCell, int> f) => nests == 0 ? "—" : (100.0 * cells.Sum(f) / nests).ToString("F0", CultureInfo.InvariantCulture) + "%";
            var latency = calls == 0 ? 0 : cells.Sum(c => c.MeanLatencySeconds * c.ModelCalls) / calls;
            var speedups = cells.Where(c => c.SpeedupVsAnalyzer is > 0).Select(c => c.SpeedupVsAnalyzer!.Value).ToList();
            var vs = speedups.Count == 0 ? "—" : Math.Exp(speedups.Average(Math.Log)).ToString("F2", CultureInfo.InvariantCulture) + "x";
            var asked = nests - cells.Sum(c => c.OverBudget + c.BreakerOpen);
            o.WriteLine($"{g.Key,-16} {nests,6} {Pct(c => c.Proposals),9} {Pct(c => c.Invalid),8} {Pct(c => c.Accepted),9} {Pct(c => c.Repaired),9} {Pct(c => c.Rejected),7} " +
                        $"{Pct(c => c.Matches),11} {Pct(c => c.Used),6} {Pct(c => c.OverBudget),7} {Pct(c => c.BreakerOpen),8} {Pct(c => c.Failed),7} " +
                        $"{(asked == 0 ? 0 : (double)calls / asked),11:F1} {latency,10:F2} {vs,12}");
        }
    }
}
