using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;
using ParaSlm.Reasoner.Cache;
using ParaSlm.Reasoner.Plans;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Reasoner.Planning;

/// <summary>Counts what the model did in a run (for reports and `paraslm eval`).</summary>
public sealed class ModelUsage
{
    public int Nests { get; set; }
    public int ModelCalls { get; set; }
    public int Failures { get; set; }
    public int FallbackNests { get; set; }
    public TimeSpan ModelTime { get; set; }
    public int CacheHits { get; set; }
    public int CacheRejected { get; set; }

    /// <summary>The run's model budget ran out (PSLM3003): later nests were not asked.</summary>
    public bool BudgetExhausted { get; set; }

    /// <summary>The circuit breaker opened (PSLM3004): later nests were not asked.</summary>
    public bool BreakerTripped { get; set; }

    /// <summary>One entry per nest planned with the model in use, in planning order.</summary>
    public List<NestOutcome> Outcomes { get; } = [];

    public List<string> Notes { get; } = [];
}

/// <summary>
/// Plans files with a model strategy: one availability check per run (no model → the analyzer's plan and one
/// informational message), each loop nest asked once, a per-request timeout (in the client), a total budget and a
/// circuit breaker — a down, slow or misbehaving server never fails or hangs a build.
/// </summary>
/// <remarks>
/// The model can only help, nest by nest: its plan becomes the nest's final plan only when it is a valid answer
/// (<see cref="PlanParser"/>), the <see cref="PlanVerifier"/> accepts or repairs it, and <see cref="NestGain"/> (the cost
/// model) rates it at least as good as the analyzer's plan for that nest. Otherwise the nest keeps the analyzer's plan
/// — origin `analyzer`, <see cref="LoopPlan.ModelVerdict"/> rejected and the reason — so a model that picks an
/// unsafe outer loop never leaves the hot inner loops serial.
/// </remarks>
public sealed class ModelPlanner(
    IChatClient chat,
    Func<CancellationToken, Task<ModelAvailability>> checkAvailability,
    IReadOnlyDictionary<string, IPlanningStrategy> strategies,
    ModelPlannerOptions options,
    PlannerLog log,
    IPlanCache? cache = null)
{
    /// <summary>The reason given to the loops of a nest the model did not choose.</summary>
    public const string OtherLoopOfNest = "the model chose another loop of this nest";

    /// <summary>The model's plan is safe but the cost model rates it below the analyzer's for the nest.</summary>
    public const string NotBetterCode = "PSLM3007";

    /// <summary>No model is used: the endpoint, the model or the strategy is not available (info in auto mode).</summary>
    public const string NoModelCode = "PSLM3001";

    private readonly Stopwatch _clock = new();
    private ModelAvailability? _availability;
    private int _consecutiveFailures;
    private NestFate? _stopped;

    public ModelUsage Usage { get; } = new();

    /// <summary>The strategy actually used (`auto` resolves to tree-of-thoughts), or null when planning with the analyzer.</summary>
    public IPlanningStrategy? Strategy { get; private set; }

    public string ModelDigest => _availability?.ModelDigest ?? string.Empty;

    /// <summary>Why no model plans this run (the availability check's answer), or null while one does or none was asked for.</summary>
    public string? UnavailableReason => _availability is { Available: false } a ? a.Message : null;

    /// <summary>The budget in force after <paramref name="nests"/> nests: the user's, or one that grows with every nest.</summary>
    public TimeSpan BudgetAfter(int nests) => options.TotalBudget ?? options.ScaledBudget(Strategy?.Name ?? options.Strategy, nests);

    /// <summary>Plans one analyzed file; <paramref name="sourceText"/> is the file's text (for the nests' source).</summary>
    /// <param name="compileArguments">The file's flags: those that change semantics are part of the cache key.</param>
    public async Task<IReadOnlyList<LoopPlan>> PlanAsync(FileAnalysis analysis, string sourceText, IReadOnlyList<string> compileArguments, CancellationToken cancel)
    {
        if (!await UseModelAsync(cancel)) return FilePlanner.AnalyzerPlan(analysis, target: options.Target);

        var byId = LoopIndex.Of(analysis.Loops);
        var roots = analysis.Loops.Where(l => l.ParentId is null || !byId.ContainsKey(l.ParentId)).ToList();
        var final = new Dictionary<string, LoopPlan>(StringComparer.Ordinal);
        for (var n = 0; n < roots.Count; n++)
        {
            cancel.ThrowIfCancellationRequested();
            var root = roots[n];
            var nest = LoopNests.NestOf(root, analysis, byId);
            var text = LoopNests.Text(root, sourceText);
            var (result, origin, fate) = await AskAsync(root, nest, text, compileArguments, byId, cancel);
            var (plans, outcome) = Decide(analysis, byId, root, nest, text, result, origin, fate);
            foreach (var p in plans) final[p.Id] = p;
            Usage.Outcomes.Add(outcome);
            if (fate is not (NestFate.OverBudget or NestFate.BreakerOpen))
                log.Progress(Progress(n + 1, roots.Count, root, outcome));
        }
        return analysis.Loops.Select(l => final[l.Id]).ToList();
    }

    /// <summary>
    /// The nest's final plans: the model's when valid, verified and at least as good as the analyzer's by the cost
    /// model; otherwise the analyzer's, carrying why the model's was not used.
    /// </summary>
    private (IReadOnlyList<LoopPlan> Plans, NestOutcome Outcome) Decide(FileAnalysis analysis, IReadOnlyDictionary<string, LoopFacts> byId, LoopFacts root, List<LoopFacts> nest, string text,
        StrategyResult? result, PlanOrigin origin, NestFate? fate)
    {
        var analyzer = FilePlanner.AnalyzerPlan(analysis, nest, options.Target);
        var input = new PlanningInput(root, nest, text, options.Target);
        var analyzerGain = NestGain.Of(input, analyzer);
        var calls = result?.ModelCalls ?? 0;
        var elapsed = result?.Elapsed ?? TimeSpan.Zero;
        NestOutcome Outcome(NestFate f, VerdictKind? v = null, string? code = null, bool matches = false, double modelGain = 0) =>
            new(root.Id, root.Line, f, v, code, matches, modelGain, analyzerGain, calls, elapsed);

        if (result is null) return (analyzer, Outcome(fate ?? NestFate.Failed));
        if (result.Proposal is null)
        {
            if (result.ErrorCode is not { } code) return (analyzer, Outcome(NestFate.Failed));
            var why = $"the model's answer was not a usable plan ({code}: {result.Error})";
            return (Fallback(analyzer, why, code), Outcome(NestFate.Invalid, code: code));
        }
        if (result.FromAnalyzer)
        {
            var kept = analyzer.Select(p => p with { Reason = $"{Strategy!.Name} weighed the analyzer's plan against the model's candidates and kept it: {p.Reason}" }).ToList();
            return (kept, Outcome(NestFate.AnalyzerChosen, VerdictKind.Accepted, matches: true, modelGain: analyzerGain));
        }

        var chosen = result.LoopId is { } id && nest.Any(l => l.Id == id) ? id : root.Id;
        // The model chooses the loop and its clauses; how iterations are shared and vectorized where the model left it
        // open (no schedule, no collapse) follows from the facts exactly as for the analyzer's plan, so an equal answer
        // is an equal plan and a model's plan never loses the analyzer's `simd` or schedule.
        var model = FilePlanner.Plan(analysis, (f, _) => new ProposedPlan(
            f.Id == chosen ? InnerSimdChooser.Choose(UnrollJamChooser.Choose(ScalarExpansionChooser.Choose(LocalityChooser.Choose(ScheduleChooser.Choose(result.Proposal, string.Empty, f, byId).Proposal, string.Empty, f).Proposal, string.Empty, f, byId).Proposal, string.Empty, f, byId).Proposal, string.Empty, f, byId).Proposal : LocalityChooser.Serial(f), origin, Strategy!.Name, options.Inference.Model,
            f.Id == chosen ? Rationale(result) : OtherLoopOfNest), nest);
        var verdict = model.First(p => p.Id == chosen);
        var matches = model.Zip(analyzer).All(x => NestGain.Same(x.First, x.Second));
        var chosenLine = LineOf(chosen);
        if (verdict.Verdict == VerdictKind.Rejected)
        {
            var why = $"the model's plan for line {chosenLine} was rejected ({verdict.Code}: {verdict.Reason})";
            return (Fallback(analyzer, why, verdict.Code), Outcome(NestFate.Unsafe, VerdictKind.Rejected, verdict.Code));
        }
        var modelGain = NestGain.Of(input, model);
        if (modelGain < analyzerGain && !matches)
        {
            var why = string.Create(CultureInfo.InvariantCulture,
                $"the model's plan for line {chosenLine} is safe but the cost model rates it below the analyzer's plan for this nest ({NotBetterCode}: gain {modelGain:0} < {analyzerGain:0} work units)");
            return (Fallback(analyzer, why, NotBetterCode), Outcome(NestFate.NotBetter, verdict.Verdict, NotBetterCode, matches, modelGain));
        }
        var used = model.Select(p => p with { ModelVerdict = verdict.Verdict }).ToList();
        return (used, Outcome(NestFate.ModelUsed, verdict.Verdict, verdict.Code, matches, modelGain));

        int LineOf(string loopId) => nest.First(l => l.Id == loopId).Line;
    }

    /// <summary>The analyzer's plans for the nest, each saying why the model's plan was not used.</summary>
    private static List<LoopPlan> Fallback(IReadOnlyList<LoopPlan> analyzer, string why, string? code) =>
        analyzer.Select(p => p with { Reason = $"{p.Reason} — {why}", ModelVerdict = VerdictKind.Rejected, ModelCode = code }).ToList();

    private string Progress(int index, int count, LoopFacts root, NestOutcome o)
    {
        var what = o.Fate switch
        {
            NestFate.ModelUsed => $"the model's plan is used ({LoopPlan.VerdictName(o.Verdict ?? VerdictKind.Accepted)})",
            NestFate.Unsafe => $"the model's plan was unsafe ({o.Code}); the analyzer's plan is used",
            NestFate.NotBetter => $"the model's plan is not better than the analyzer's ({o.Code}); the analyzer's plan is used",
            NestFate.Invalid => $"the model's answer was not a usable plan ({o.Code}); the analyzer's plan is used",
            NestFate.AnalyzerChosen => "the analyzer's plan won among the candidates",
            NestFate.CachedRejection => "a rejected plan is cached; the analyzer's plan is used",
            _ => "the model did not answer; the analyzer's plan is used",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"model: nest {index}/{count} {Path.GetFileName(root.File)}:{root.Line} — {Strategy!.Name}, {o.ModelCalls} call{(o.ModelCalls == 1 ? "" : "s")}, {o.Elapsed.TotalSeconds:F1} s: {what}");
    }

    private static string Rationale(StrategyResult r) =>
        string.IsNullOrWhiteSpace(r.Rationale) ? "the model's plan" : "model: " + r.Rationale.Trim();

    private async Task<(StrategyResult? Result, PlanOrigin Origin, NestFate? Fate)> AskAsync(LoopFacts root, List<LoopFacts> nest, string text,
        IReadOnlyList<string> compileArguments, IReadOnlyDictionary<string, LoopFacts> fileLoops, CancellationToken cancel)
    {
        Usage.Nests++;
        // Unchanged code never calls the model again: the same nest, facts, flags, model, strategy and prompts hit the cache.
        PlanCacheKey? key = null;
        if (cache is not null)
        {
            key = PlanCacheKeys.Compute(root, nest, text, compileArguments, options.Inference.Model, ModelDigest, Strategy!.Name, Strategy.PromptVersion, options.Target);
            var lookup = await cache.LookupAsync(key, cancel);
            if (lookup.Kind == PlanLookupKind.Hit && lookup.Plan is { } hit && hit.LoopIndex >= 0 && hit.LoopIndex < nest.Count)
            {
                Usage.CacheHits++;
                return (new StrategyResult(hit.Proposal, hit.Rationale, 0, TimeSpan.Zero, null) { LoopId = nest[hit.LoopIndex].Id }, PlanOrigin.Cache, null);
            }
            if (lookup.Kind == PlanLookupKind.Rejected)
            {
                Usage.CacheRejected++;
                return (null, PlanOrigin.Analyzer, NestFate.CachedRejection); // a rejected plan is never served, and its nest is not asked again
            }
        }
        var (answer, fate) = await AskModelAsync(root, nest, text, cancel);
        // Only usable plans are cached, and never the analyzer's own plan (it is recomputed, and it is not the model's).
        if (answer is { Proposal: not null, FromAnalyzer: false } && key is not null)
        {
            var chosenId = answer.LoopId is { } id && nest.Any(l => l.Id == id) ? id : root.Id;
            var index = nest.FindIndex(l => l.Id == chosenId);
            var entry = CachedPlan.Create(key, answer.Proposal, index, answer.Rationale, options.Inference.Model, ModelDigest,
                Strategy!.Name, Strategy.PromptVersion, options.Target, answer.Elapsed);
            await cache!.PutAsync(entry, cancel);
            var verdict = PlanVerifier.Verify(nest[index], answer.Proposal, fileLoops, insideParallel: false);
            if (verdict.Kind == VerdictKind.Rejected)
                await cache.MarkAsync(key, PlanStatus.Rejected, $"{verdict.Code}: {verdict.Reason}", cancel);
        }
        return (answer, PlanOrigin.Model, fate);
    }

    private async Task<(StrategyResult? Result, NestFate? Fate)> AskModelAsync(LoopFacts root, List<LoopFacts> nest, string text, CancellationToken cancel)
    {
        if (_stopped is { } stopped) { Usage.FallbackNests++; return (null, stopped); }
        var budget = BudgetAfter(Usage.Nests);
        if (_clock.Elapsed > budget)
        {
            Usage.BudgetExhausted = true;
            Stop(NestFate.OverBudget, Diagnostic.Warning("PSLM3003", string.Create(CultureInfo.InvariantCulture,
                $"the model budget of {budget.TotalSeconds:F0} s for this run is spent ({Usage.Nests - 1} nests asked); the analyzer plans the remaining loops; raise ParaSlmModelBudget (--budget) to ask the model about every nest")));
            Usage.FallbackNests++;
            return (null, NestFate.OverBudget);
        }
        var input = new PlanningInput(root, nest, text, options.Target);
        _clock.Start();
        StrategyResult result;
        try
        {
            result = await Strategy!.PlanAsync(input, chat, options.Inference, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            result = new StrategyResult(null, string.Empty, 1, TimeSpan.Zero, e.Message);
        }
        finally
        {
            _clock.Stop();
        }
        Usage.ModelCalls += result.ModelCalls;
        Usage.ModelTime += result.Elapsed;
        if (result.Proposal is null)
        {
            Usage.Failures++;
            Usage.FallbackNests++;
            if (++_consecutiveFailures >= options.BreakerThreshold)
            {
                Usage.BreakerTripped = true;
                Stop(NestFate.BreakerOpen, Diagnostic.Warning("PSLM3004", $"the model failed {_consecutiveFailures} times in a row ({result.Error}); it is not asked again in this run, the analyzer plans the rest"));
            }
            return (result, result.ErrorCode is null ? NestFate.Failed : NestFate.Invalid);
        }
        _consecutiveFailures = 0;
        return (result, null);
    }

    private async Task<bool> UseModelAsync(CancellationToken cancel)
    {
        if (options.Strategy == "analyzer") return false;
        if (_availability is null)
        {
            var name = options.Strategy == "auto" ? ModelPlannerOptions.AutoStrategy : options.Strategy;
            if (!strategies.TryGetValue(name, out var strategy))
            {
                _availability = ModelAvailability.No($"PSLM3005: unknown strategy '{name}'");
            }
            else
            {
                Strategy = strategy;
                try
                {
                    _availability = await checkAvailability(cancel);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    _availability = ModelAvailability.No(e.Message);
                }
            }
            if (!_availability.Available)
            {
                // In auto mode no model is the ordinary case; a strategy the user named without its model is not.
                log.Report(new Diagnostic(NoModelCode, options.Strategy == "auto" ? Severity.Info : Severity.Warning,
                    $"no model is used for planning ({_availability.Message}); ParaSlm uses the analyzer's own plan"));
                Strategy = null;
            }
        }
        return _availability.Available;
    }

    private void Stop(NestFate why, Diagnostic diagnostic)
    {
        if (_stopped is not null) return;
        _stopped = why;
        Usage.Notes.Add(diagnostic.ToString());
        log.Report(diagnostic);
    }
}
