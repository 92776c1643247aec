using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Engine.Inputs;
using ParaSlm.Reasoner.Cache;
using ParaSlm.Reasoner.Ollama;
using ParaSlm.Reasoner.Planning;
using ParaSlm.Reasoner.Plans;
using ParaSlm.Reasoner.Strategies;

namespace ParaSlm.Engine.Planning;

/// <summary>What the user asked for on the command line or in the build request.</summary>
/// <param name="Budget">All model calls of the run; null: grows with the number of nests (<see cref="ModelPlannerOptions.ScaledBudget"/>).</param>
/// <param name="Cache">Plan cache: empty for the per-user SQLite file, a path, `redis://host:port`, or `off`.</param>
/// <param name="Threads">Inference threads per request (num_thread); null: the server decides.</param>
public sealed record PlannerSettings(string Strategy, string Model, string? Endpoint, TimeSpan RequestTimeout, TimeSpan? Budget, string Target, string? Cache = null, int? Threads = null)
{
    public const string DefaultStrategy = "auto";

    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(60);
}

/// <summary>
/// One planning run: the Ollama client, the strategy catalog and the <see cref="ModelPlanner"/> that falls back
/// to the analyzer. With strategy `analyzer` nothing touches the network.
/// </summary>
public sealed class PlannerSession : IDisposable
{
    private readonly OllamaChatClient? _client;
    private readonly ModelPlanner? _planner;
    private readonly IPlanCache? _cache;

    public PlannerSession(PlannerSettings settings, PlannerLog log)
    {
        Settings = settings;
        if (settings.Strategy == "analyzer") return;
        var options = new OllamaClientOptions
        {
            Endpoint = string.IsNullOrWhiteSpace(settings.Endpoint) ? OllamaClientOptions.DefaultEndpointFromEnvironment() : OllamaClientOptions.ResolveEndpoint(settings.Endpoint),
            Model = settings.Model,
            RequestTimeout = settings.RequestTimeout,
        };
        _client = new OllamaChatClient(options);
        var catalog = StrategyCatalog.Create();
        var inference = new StrategyOptions(settings.Model, ContextLength: options.ContextLength, Threads: settings.Threads);
        _cache = OpenCache(settings.Cache, log.Report);
        _planner = new ModelPlanner(_client, CheckAsync, catalog.ByName,
            new ModelPlannerOptions(settings.Strategy, inference, settings.Budget, Target: settings.Target), log, _cache);
    }

    public PlannerSettings Settings { get; }

    /// <summary>The cache never fails a build: if it cannot even be opened (a missing native SQLite), planning goes on without it.</summary>
    private static IPlanCache? OpenCache(string? spec, Action<Diagnostic> report)
    {
        try
        {
            return PlanCacheFactory.Open(spec, report);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            report(Diagnostic.Warning(PlanCacheCodes.Unavailable, $"the plan cache cannot be used ({e.GetType().Name}: {e.Message.Split('\n')[0]}); plans are not cached in this run"));
            return null;
        }
    }

    public ModelUsage? Usage => _planner?.Usage;

    /// <summary>Why no model plans this run, or null (a model plans, or the strategy is `analyzer`).</summary>
    public string? UnavailableReason => _planner?.UnavailableReason;

    /// <summary>The strategy in use (`auto` resolved), or `analyzer`.</summary>
    public string StrategyName => _planner?.Strategy?.Name ?? "analyzer";

    public async Task<IReadOnlyList<LoopPlan>> PlanAsync(FileAnalysis analysis, string sourceText, IReadOnlyList<string> compileArguments, CancellationToken cancel) =>
        _planner is null ? FilePlanner.AnalyzerPlan(analysis, target: Settings.Target) : await _planner.PlanAsync(analysis, sourceText, compileArguments, cancel);

    /// <summary>
    /// `paraslm plan`: every unit analyzed with its own arguments and planned, in order. A single unit given by its
    /// own path (not through compile_commands.json) keeps the path as the user wrote it in the plans' ids. `simd` is decided
    /// over all the commands of a file, as the build decides it (<see cref="VectorizationAgreement"/>).
    /// </summary>
    public async Task<IReadOnlyList<LoopPlan>> PlanUnitsAsync(SourceAnalyzer analyzer, IReadOnlyList<CompileCommand> units, string input, CancellationToken cancel)
    {
        var plans = new List<LoopPlan>();
        foreach (var unit in units)
        {
            cancel.ThrowIfCancellationRequested();
            var analysis = analyzer.Analyze(unit.File, unit.Arguments, units.Count == 1 && unit.File == input ? input : unit.File);
            // The plans as the build's copy would carry them: `simd` as every command of this file agrees (the build's rule).
            var vectorization = VectorizationAgreement.Of(units.Where(u => string.Equals(u.File, unit.File, StringComparison.Ordinal)));
            plans.AddRange((await PlanAsync(analysis, File.ReadAllText(unit.File), unit.Arguments, cancel)).Select(vectorization.Plan));
        }
        return plans;
    }

    /// <summary>
    /// The plan cache key of the nest <paramref name="loop"/> belongs to, computed as <see cref="ModelPlanner"/> computes
    /// it (root, whole nest, the nest's source lines, flags, model + digest, strategy + prompt version, target), so that
    /// validation can mark a model plan it disproved as rejected. Null when no model planned this run.
    /// </summary>
    public string? CacheKeyFor(LoopFacts loop, FileAnalysis analysis, string sourceText, IReadOnlyList<string> compileArguments)
    {
        if (_planner?.Strategy is not { } strategy) return null;
        var byId = analysis.Loops.ToDictionary(l => l.Id, l => l, StringComparer.Ordinal);
        var root = LoopNests.RootOf(loop, byId);
        return PlanCacheKeys.Compute(root, LoopNests.NestOf(root, analysis, byId), LoopNests.Text(root, sourceText), compileArguments, Settings.Model,
            _planner.ModelDigest, strategy.Name, strategy.PromptVersion, Settings.Target).Hash;
    }

    /// <summary>One request to /api/tags, bounded by the request timeout: is the endpoint up, and does it have the model?</summary>
    private async Task<ModelAvailability> CheckAsync(CancellationToken cancel)
    {
        try
        {
            var model = await _client!.FindModelAsync(Settings.Model, cancel);
            return model is null
                ? ModelAvailability.No($"model '{Settings.Model}' is not available at {_client.Endpoint}; run `ollama pull {Settings.Model}`")
                : ModelAvailability.Yes(model.Digest);
        }
        catch (OllamaException e)
        {
            return ModelAvailability.No(e.Message);
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        (_cache as IDisposable)?.Dispose();
    }
}
