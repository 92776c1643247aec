using System.Text.Encodings.Web;
using System.Text.Json;
using ParaSlm.Analyzer.Clang;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Cli.Planning;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm eval`: models × strategies over the sample kernel suite, printing the paper's two tables (per model,
/// per strategy): how many of the model's plans the verifier accepted, how often the final plan matches the
/// analyzer's proof, mean latency per model call, and calls per nest. Nothing here is simulated: an unreachable
/// model is reported as unavailable, not scored.
/// </summary>
public static class EvalCommand
{
    private static readonly string[] DefaultArgs = [];

    private static readonly string[] DefaultModels = ["qwen2.5:1.5b", "llama3.2:1b", "gemma3:1b"];

    public sealed record Cell(string Model, string Strategy, bool Available, string? Unavailable, int Nests, int Proposals,
        int Accepted, int Repaired, int Rejected, int Matches, int ModelCalls, double MeanLatencySeconds);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(args, new HashSet<string> { "--json" },
            new HashSet<string> { "--models", "--strategies", "--endpoint", "--suite", "--timeout", "--budget", "--libclang" });
        if (p.Positionals.Count > 0) throw new UsageException("eval takes no positional arguments (use --suite DIR)");
        var models = List(p.Value("--models")) ?? DefaultModels;
        var catalog = StrategyCatalog.Create();
        var strategies = List(p.Value("--strategies")) ?? catalog.Names;
        foreach (var s in strategies)
            if (!catalog.ByName.ContainsKey(s)) throw new UsageException($"unknown strategy '{s}' (one of: {string.Join(", ", catalog.Names)})");
        var suite = p.Value("--suite") ?? Path.Combine("samples", "kernels");
        if (!Directory.Exists(suite)) { stderr.WriteLine($"paraslm: PSLM0003: {suite}: no such folder (give the kernel suite with --suite)"); return CommandLine.InputError; }
        var timeout = p.Value("--timeout") is { } t ? TimeSpan.FromSeconds(double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)) : PlannerSettings.DefaultRequestTimeout;
        var budget = p.Value("--budget") is { } b ? TimeSpan.FromSeconds(double.Parse(b, System.Globalization.CultureInfo.InvariantCulture)) : ModelPlannerOptions.DefaultBudget;

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
        var reference = analyses.ToDictionary(a => a.Analysis.File, a => FilePlanner.AnalyzerPlan(a.Analysis).ToDictionary(x => x.Id, x => x));

        var cells = new List<Cell>();
        foreach (var model in models)
        {
            foreach (var strategy in strategies)
            {
                cancel.ThrowIfCancellationRequested();
                stderr.WriteLine($"paraslm: eval {model} × {strategy} over {files.Count} files…");
                string? unavailable = null;
                // Evaluation measures the model: no cache, every nest is asked.
                using var session = new PlannerSession(new PlannerSettings(strategy, model, p.Value("--endpoint"), timeout, budget, "cpu", "off"),
                    m => unavailable ??= m.Contains("PSLM3001", StringComparison.Ordinal) ? m : null);
                var plans = new List<(LoopPlan Plan, LoopPlan Reference)>();
                foreach (var (analysis, text) in analyses)
                    foreach (var plan in await session.PlanAsync(analysis, text, DefaultArgs, cancel))
                        plans.Add((plan, reference[analysis.File][plan.Id]));
                var usage = session.Usage!;
                // One proposal per nest: the loop the model chose (the nest's other loops only follow from it).
                var fromModel = plans.Where(x => x.Plan.Origin == PlanOrigin.Model && x.Plan.Reason != ModelPlanner.OtherLoopOfNest).ToList();
                cells.Add(new Cell(model, strategy, unavailable is null, unavailable, usage.Nests, fromModel.Count,
                    fromModel.Count(x => x.Plan.Verdict == VerdictKind.Accepted),
                    fromModel.Count(x => x.Plan.Verdict == VerdictKind.Repaired),
                    fromModel.Count(x => x.Plan.Verdict == VerdictKind.Rejected),
                    plans.Count(x => x.Plan.Origin == PlanOrigin.Model && Same(x.Plan, x.Reference)),
                    usage.ModelCalls,
                    usage.ModelCalls == 0 ? 0 : usage.ModelTime.TotalSeconds / usage.ModelCalls));
            }
        }

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
            stdout.WriteLine("accepted: the model's plan passed the verifier as proposed; success: the final plan equals the analyzer's proven plan;");
            stdout.WriteLine("speedup: measured by building and running the suite (`paraslm evaluate`), not by planning alone.");
            foreach (var c in cells.Where(c => !c.Available).DistinctBy(c => c.Model))
                stdout.WriteLine($"{c.Model}: unavailable — {c.Unavailable}");
        }
        return CommandLine.Ok;
    }

    private static bool Same(LoopPlan a, LoopPlan b) =>
        a.Action == b.Action && (a.Action == "sequential" || a.Clauses == b.Clauses);

    private static void Table(TextWriter o, string title, IEnumerable<IGrouping<string, Cell>> groups)
    {
        o.WriteLine($"{title,-16} {"nests",6} {"model plans",12} {"accepted",9} {"repaired",9} {"rejected",9} {"success",8} {"calls/nest",11} {"latency s",10}");
        foreach (var g in groups)
        {
            var cells = g.Where(c => c.Available).ToList();
            if (cells.Count == 0) { o.WriteLine($"{g.Key,-16} unavailable"); continue; }
            int nests = cells.Sum(c => c.Nests), props = cells.Sum(c => c.Proposals), calls = cells.Sum(c => c.ModelCalls);
            double Pct(int x) => props == 0 ? 0 : 100.0 * x / props;
            var latency = calls == 0 ? 0 : cells.Sum(c => c.MeanLatencySeconds * c.ModelCalls) / calls;
            var success = nests == 0 ? 0 : 100.0 * cells.Sum(c => c.Matches) / Math.Max(1, cells.Sum(c => c.Proposals));
            o.WriteLine($"{g.Key,-16} {nests,6} {props,12} {Pct(cells.Sum(c => c.Accepted)),8:F0}% {Pct(cells.Sum(c => c.Repaired)),8:F0}% {Pct(cells.Sum(c => c.Rejected)),8:F0}% {success,7:F0}% {(nests == 0 ? 0 : (double)calls / nests),11:F1} {latency,10:F2}");
        }
    }

    private static IReadOnlyList<string>? List(string? csv) =>
        csv is null ? null : csv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
