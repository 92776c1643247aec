using System.Diagnostics.CodeAnalysis;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>The six strategies by name (zero-shot, few-shot, cot, step-by-step, react, tot), over one prompt library.</summary>
public sealed class StrategyCatalog
{
    private readonly Dictionary<string, IPlanningStrategy> _byName;

    public StrategyCatalog(PromptLibrary prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        All =
        [
            new ZeroShotStrategy(prompts),
            new FewShotStrategy(prompts),
            new ChainOfThoughtStrategy(prompts),
            new StepByStepStrategy(prompts),
            new ReActStrategy(prompts),
            new TreeOfThoughtsStrategy(prompts),
        ];
        _byName = All.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalog over the prompts shipped in this assembly.</summary>
    public static StrategyCatalog Create() => new(PromptLibrary.Embedded());

    /// <summary>All six, in <see cref="StrategyNames.All"/> order.</summary>
    public IReadOnlyList<IPlanningStrategy> All { get; }

    public IReadOnlyList<string> Names => All.Select(s => s.Name).ToList();

    /// <summary>Name → strategy, names compared without regard to case (the shape <c>ModelPlanner</c> takes).</summary>
    public IReadOnlyDictionary<string, IPlanningStrategy> ByName => _byName;

    /// <summary>`name@version` of every strategy's prompt.</summary>
    public IReadOnlyDictionary<string, string> PromptVersions => All.ToDictionary(s => s.Name, s => s.PromptVersion, StringComparer.Ordinal);

    public bool TryGet(string name, [NotNullWhen(true)] out IPlanningStrategy? strategy) =>
        _byName.TryGetValue(Canonical(name), out strategy);

    /// <exception cref="ArgumentException">No strategy of that name; the message lists the valid ones.</exception>
    public IPlanningStrategy Get(string name) =>
        TryGet(name, out var s) ? s : throw new ArgumentException($"unknown strategy '{name}'; valid: {string.Join(", ", Names)}", nameof(name));

    // The long names the paper uses are accepted as well as the contract's short ones.
    private static string Canonical(string name) => name.Trim().ToLowerInvariant() switch
    {
        "chain-of-thought" or "chain-of-thoughts" => StrategyNames.ChainOfThought,
        "tree-of-thought" or "tree-of-thoughts" => StrategyNames.TreeOfThoughts,
        "zeroshot" => StrategyNames.ZeroShot,
        "fewshot" => StrategyNames.FewShot,
        "stepbystep" => StrategyNames.StepByStep,
        var n => n,
    };
}
