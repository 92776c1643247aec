using System.Diagnostics;
using Microsoft.Extensions.AI;
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
    public List<string> Notes { get; } = [];
}

/// <summary>
/// Plans files with a model strategy: one availability check per run (no model → the analyzer's plan and one
/// informational message), each loop nest asked once, a per-request timeout (in the client), a total budget and a
/// circuit breaker — a down, slow or misbehaving server never fails or hangs a build. Every proposal goes through
/// <see cref="FilePlanner"/>, i.e. the verifier.
/// </summary>
public sealed class ModelPlanner(
    IChatClient chat,
    Func<CancellationToken, Task<ModelAvailability>> checkAvailability,
    IReadOnlyDictionary<string, IPlanningStrategy> strategies,
    ModelPlannerOptions options,
    Action<string> inform,
    IPlanCache? cache = null)
{
    /// <summary>The reason given to the loops of a nest the model did not choose.</summary>
    public const string OtherLoopOfNest = "the model chose another loop of this nest";

    private readonly Stopwatch _clock = new();
    private ModelAvailability? _availability;
    private int _consecutiveFailures;
    private bool _stopped;

    public ModelUsage Usage { get; } = new();

    /// <summary>The strategy actually used (`auto` resolves to tree-of-thoughts), or null when planning with the analyzer.</summary>
    public IPlanningStrategy? Strategy { get; private set; }

    public string ModelDigest => _availability?.ModelDigest ?? string.Empty;

    /// <summary>Plans one analyzed file; <paramref name="sourceText"/> is the file's text (for the nests' source).</summary>
    /// <param name="compileArguments">The file's flags: those that change semantics are part of the cache key.</param>
    public async Task<IReadOnlyList<LoopPlan>> PlanAsync(FileAnalysis analysis, string sourceText, IReadOnlyList<string> compileArguments, CancellationToken cancel)
    {
        if (!await UseModelAsync(cancel)) return FilePlanner.AnalyzerPlan(analysis);

        var byId = analysis.Loops.ToDictionary(l => l.Id, l => l, StringComparer.Ordinal);
        var proposals = new Dictionary<string, ProposedPlan>(StringComparer.Ordinal);
        foreach (var root in analysis.Loops.Where(l => l.ParentId is null || !byId.ContainsKey(l.ParentId)))
        {
            cancel.ThrowIfCancellationRequested();
            var nest = LoopNests.NestOf(root, analysis, byId);
            var (result, origin) = await AskAsync(root, nest, sourceText, compileArguments, byId, cancel);
            if (result is null) continue; // analyzer's plan for this nest
            var chosen = result.LoopId is { } id && nest.Any(l => l.Id == id) ? id : root.Id;
            foreach (var l in nest)
            {
                var proposal = l.Id == chosen ? result.Proposal! : PlanProposal.Sequential;
                var why = l.Id == chosen ? Rationale(result) : OtherLoopOfNest;
                proposals[l.Id] = new ProposedPlan(proposal, origin, Strategy!.Name, options.Inference.Model, why);
            }
        }
        return FilePlanner.Plan(analysis, (f, nest) =>
        {
            if (proposals.TryGetValue(f.Id, out var p)) return p;
            var (a, why) = AnalyzerPlanner.Propose(f, nest);
            return new ProposedPlan(a, PlanOrigin.Analyzer, "analyzer", string.Empty, why);
        });
    }

    private static string Rationale(StrategyResult r) =>
        string.IsNullOrWhiteSpace(r.Rationale) ? "the model's plan" : "model: " + r.Rationale.Trim();

    private async Task<(StrategyResult? Result, PlanOrigin Origin)> AskAsync(LoopFacts root, List<LoopFacts> nest, string sourceText,
        IReadOnlyList<string> compileArguments, IReadOnlyDictionary<string, LoopFacts> fileLoops, CancellationToken cancel)
    {
        Usage.Nests++;
        var text = LoopNests.Text(root, sourceText);
        // Unchanged code never calls the model again: the same nest, facts, flags, model, strategy and prompts hit the cache.
        PlanCacheKey? key = null;
        if (cache is not null)
        {
            key = PlanCacheKeys.Compute(root, nest, text, compileArguments, options.Inference.Model, ModelDigest, Strategy!.Name, Strategy.PromptVersion, options.Target);
            var lookup = await cache.LookupAsync(key, cancel);
            if (lookup.Kind == PlanLookupKind.Hit && lookup.Plan is { } hit && hit.LoopIndex >= 0 && hit.LoopIndex < nest.Count)
            {
                Usage.CacheHits++;
                return (new StrategyResult(hit.Proposal, hit.Rationale, 0, TimeSpan.Zero, null) { LoopId = nest[hit.LoopIndex].Id }, PlanOrigin.Cache);
            }
            if (lookup.Kind == PlanLookupKind.Rejected)
            {
                Usage.CacheRejected++;
                return (null, PlanOrigin.Analyzer); // a rejected plan is never served, and its nest is not asked again
            }
        }
        var (answer, _) = await AskModelAsync(root, nest, text, cancel);
        if (answer is not null && key is not null)
        {
            var chosenId = answer.LoopId is { } id && nest.Any(l => l.Id == id) ? id : root.Id;
            var index = nest.FindIndex(l => l.Id == chosenId);
            var entry = CachedPlan.Create(key, answer.Proposal!, index, answer.Rationale, options.Inference.Model, ModelDigest,
                Strategy!.Name, Strategy.PromptVersion, options.Target, answer.Elapsed);
            await cache!.PutAsync(entry, cancel);
            var verdict = PlanVerifier.Verify(nest[index], answer.Proposal!, fileLoops, insideParallel: false);
            if (verdict.Kind == VerdictKind.Rejected)
                await cache.MarkAsync(key, PlanStatus.Rejected, $"{verdict.Code}: {verdict.Reason}", cancel);
        }
        return (answer, PlanOrigin.Model);
    }

    private async Task<(StrategyResult? Result, bool Asked)> AskModelAsync(LoopFacts root, List<LoopFacts> nest, string text, CancellationToken cancel)
    {
        if (_stopped) { Usage.FallbackNests++; return (null, false); }
        if (_clock.Elapsed > options.TotalBudget)
        {
            Stop($"PSLM3003: warning: the model budget of {options.TotalBudget.TotalSeconds:F0} s for this run is spent; the analyzer plans the remaining loops");
            Usage.FallbackNests++;
            return (null, false);
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
                Stop($"PSLM3004: warning: the model failed {_consecutiveFailures} times in a row ({result.Error}); it is not asked again in this run, the analyzer plans the rest");
            return (null, true);
        }
        _consecutiveFailures = 0;
        return (result, true);
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
                var severity = options.Strategy == "auto" ? "info" : "warning";
                inform($"PSLM3001: {severity}: no model is used for planning ({_availability.Message}); ParaSlm uses the analyzer's own plan");
                Strategy = null;
            }
        }
        return _availability.Available && !_stopped;
    }

    private void Stop(string message)
    {
        if (_stopped) return;
        _stopped = true;
        Usage.Notes.Add(message);
        inform(message);
    }
}
