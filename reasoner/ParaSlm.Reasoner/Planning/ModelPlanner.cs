using System.Diagnostics;
using Microsoft.Extensions.AI;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Verification;
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
    Action<string> inform)
{
    private readonly Stopwatch _clock = new();
    private ModelAvailability? _availability;
    private int _consecutiveFailures;
    private bool _stopped;

    public ModelUsage Usage { get; } = new();

    /// <summary>The strategy actually used (`auto` resolves to tree-of-thoughts), or null when planning with the analyzer.</summary>
    public IPlanningStrategy? Strategy { get; private set; }

    public string ModelDigest => _availability?.ModelDigest ?? string.Empty;

    /// <summary>Plans one analyzed file; <paramref name="sourceText"/> is the file's text (for the nests' source).</summary>
    public async Task<IReadOnlyList<LoopPlan>> PlanAsync(FileAnalysis analysis, string sourceText, CancellationToken cancel)
    {
        if (!await UseModelAsync(cancel)) return FilePlanner.AnalyzerPlan(analysis);

        var byId = analysis.Loops.ToDictionary(l => l.Id, l => l, StringComparer.Ordinal);
        var proposals = new Dictionary<string, ProposedPlan>(StringComparer.Ordinal);
        foreach (var root in analysis.Loops.Where(l => l.ParentId is null || !byId.ContainsKey(l.ParentId)))
        {
            cancel.ThrowIfCancellationRequested();
            var nest = analysis.Loops.Where(l => l.Id == root.Id || IsInside(l, root, byId)).ToList();
            var result = await AskAsync(root, nest, sourceText, cancel);
            if (result is null) continue; // analyzer's plan for this nest
            var chosen = result.LoopId is { } id && nest.Any(l => l.Id == id) ? id : root.Id;
            foreach (var l in nest)
            {
                var proposal = l.Id == chosen ? result.Proposal! : PlanProposal.Sequential;
                var why = l.Id == chosen ? Rationale(result) : "the model chose another loop of this nest";
                proposals[l.Id] = new ProposedPlan(proposal, PlanOrigin.Model, Strategy!.Name, options.Inference.Model, why);
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

    private async Task<StrategyResult?> AskAsync(LoopFacts root, List<LoopFacts> nest, string sourceText, CancellationToken cancel)
    {
        Usage.Nests++;
        if (_stopped) { Usage.FallbackNests++; return null; }
        if (_clock.Elapsed > options.TotalBudget)
        {
            Stop($"PSLM3003: the model budget of {options.TotalBudget.TotalSeconds:F0} s for this run is spent; the analyzer plans the remaining loops");
            Usage.FallbackNests++;
            return null;
        }
        var text = NestText(root, sourceText);
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
                Stop($"PSLM3004: the model failed {_consecutiveFailures} times in a row ({result.Error}); it is not asked again in this run, the analyzer plans the rest");
            return null;
        }
        _consecutiveFailures = 0;
        return result;
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
                inform($"PSLM3001: info: no model is used for planning ({_availability.Message}); ParaSlm uses the analyzer's own plan");
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

    private static bool IsInside(LoopFacts l, LoopFacts root, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        for (var p = l.ParentId; p is not null && byId.TryGetValue(p, out var parent); p = parent.ParentId)
            if (p == root.Id) return true;
        return false;
    }

    /// <summary>The nest's text: from the root `for` to the end of its statement (whole lines).</summary>
    private static string NestText(LoopFacts root, string source)
    {
        if (root.StartOffset < 0 || root.EndOffset > source.Length || root.EndOffset <= root.StartOffset) return string.Empty;
        var start = source.LastIndexOf('\n', Math.Max(0, root.StartOffset - 1)) + 1;
        var end = source.IndexOf('\n', Math.Min(source.Length - 1, root.EndOffset));
        if (end < 0) end = source.Length;
        return source[start..end];
    }
}
