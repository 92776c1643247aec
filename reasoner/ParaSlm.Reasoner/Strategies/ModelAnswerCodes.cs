namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// Why a model's answer was not used as a plan. Each code comes with the evidence (the field and the value the model
/// wrote); the nest then gets the analyzer's plan, never a silently defaulted version of the answer.
/// </summary>
public static class ModelAnswerCodes
{
    /// <summary>The answer holds no plan at all (empty, no JSON object, no decision).</summary>
    public const string NoPlan = "PSLM3010";

    /// <summary>`loop_line` is not the line of a `for` of the nest (or is missing where the nest has several loops).</summary>
    public const string BadLoopLine = "PSLM3011";

    /// <summary>A clause names something that is not a variable of the loop (an empty string, an expression, an unknown name).</summary>
    public const string UnknownVariable = "PSLM3012";

    /// <summary>A clause kind or reduction operator OpenMP does not have, or that ParaSlm does not generate.</summary>
    public const string UnknownClause = "PSLM3013";

    /// <summary>A value outside its closed list: target, schedule, collapse, or a decision that contradicts the target.</summary>
    public const string BadValue = "PSLM3014";
}
