namespace ParaSlm.Reasoner.Strategies;

/// <summary>The strategy names of the `--strategy` option and `ParaSlmStrategy` (also the prompt files' names).</summary>
public static class StrategyNames
{
    public const string ZeroShot = "zero-shot";
    public const string FewShot = "few-shot";
    public const string ChainOfThought = "cot";
    public const string StepByStep = "step-by-step";
    public const string ReAct = "react";
    public const string TreeOfThoughts = "tot";

    /// <summary>All six, in the order of the paper (cheapest first).</summary>
    public static IReadOnlyList<string> All { get; } = [ZeroShot, FewShot, ChainOfThought, StepByStep, ReAct, TreeOfThoughts];
}
