using System.Globalization;
using System.Text.RegularExpressions;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>The ReAct tools: what the model may ask about the nest.</summary>
public enum ReActTool
{
    /// <summary>`dependences [line]`: dependences of the loop at that line (all loops without one).</summary>
    Dependences,

    /// <summary>`accesses &lt;array&gt;`: every access to that array, with subscripts.</summary>
    Accesses,

    /// <summary>`effects &lt;function&gt;`: whether a callee has side effects, and why.</summary>
    Effects,

    /// <summary>`scalars [line]`: written scalars and their classes.</summary>
    Scalars,

    /// <summary>`final &lt;json&gt;`: the plan; ends the loop.</summary>
    Final,
}

/// <summary>One action read from a ReAct turn.</summary>
/// <param name="Argument">The tool's argument (an array, a function, a line), or for <see cref="ReActTool.Final"/> the text holding the JSON.</param>
public sealed record ReActAction(ReActTool Tool, string? Argument, string Thought);

/// <summary>
/// The plain-text protocol of the react strategy, lenient enough for a 1B model: it reads `Action: accesses a`,
/// `**Action:** accesses(a)`, `Action: accesses` + `Action Input: a`, a bare `accesses a` line, tool-name
/// synonyms (`dependencies`, `side_effects`, `final_answer`), and a bare JSON plan as the final answer; it ignores
/// anything the model invents after the action (its own `Observation:` lines).
/// </summary>
public static partial class ReActProtocol
{
    /// <summary>Longest observation fed back (the conversation must stay inside num_ctx).</summary>
    public const int MaxObservationChars = 900;

    /// <summary>Reads the first action of a model turn, or null when there is none.</summary>
    public static ReActAction? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var turn = Truncate(text);
        var thought = ThoughtLine().Match(turn) is { Success: true } t ? t.Groups[1].Value.Trim() : string.Empty;

        var action = ActionLine().Match(turn);
        if (action.Success)
        {
            var rest = action.Groups[1].Value;
            var input = ActionInputLine().Match(turn, action.Index + action.Length);
            var read = Read(rest, turn[(action.Index + action.Length)..], input.Success ? input.Groups[1].Value : null, thought);
            if (read is not null) return read;
        }
        foreach (Match bare in BareToolLine().Matches(turn))
        {
            var read = Read(bare.Value, turn[(bare.Index + bare.Length)..], null, thought);
            if (read is not null) return read;
        }
        // No action at all, but a plan: a small model often skips the protocol and just answers.
        return PlanParser.Parse(turn).Success ? new ReActAction(ReActTool.Final, turn, thought) : null;
    }

    /// <summary>The part of a model turn the protocol acts on: up to the first `Observation` the model wrote itself.</summary>
    public static string Truncate(string text)
    {
        var m = ObservationLine().Match(text);
        return (m.Success ? text[..m.Index] : text).TrimEnd();
    }

    /// <summary>A tool name from however a model spells it, or null.</summary>
    public static ReActTool? ToolNamed(string word) =>
        new string(word.Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray()) switch
        {
            "dependences" or "dependence" or "dependencies" or "dependency" or "deps" or "dep" => ReActTool.Dependences,
            "accesses" or "access" or "array" or "arrays" or "memory" => ReActTool.Accesses,
            "effects" or "effect" or "sideeffects" or "sideeffect" or "calls" or "call" or "callee" or "function" => ReActTool.Effects,
            "scalars" or "scalar" or "variables" or "vars" => ReActTool.Scalars,
            "final" or "finalanswer" or "answer" or "finish" or "plan" or "finalplan" => ReActTool.Final,
            _ => null,
        };

    /// <summary>
    /// Runs a tool against the facts. Unknown arrays and functions get the list of real ones, so the model can correct
    /// itself in its next step. Never throws.
    /// </summary>
    public static string Execute(ReActAction action, PlanningInput input)
    {
        var text = action.Tool switch
        {
            ReActTool.Dependences => FactsRenderer.Dependences(input, Line(action.Argument)),
            ReActTool.Scalars => FactsRenderer.Scalars(input, Line(action.Argument)),
            ReActTool.Accesses => AccessesOf(input, action.Argument),
            ReActTool.Effects => EffectsOf(input, action.Argument),
            _ => "final is not a lookup; write `Action: final` followed by the JSON plan",
        };
        text = text.TrimEnd('\n');
        return text.Length <= MaxObservationChars ? text : text[..MaxObservationChars].TrimEnd() + "\n… (cut)";
    }

    private static ReActAction? Read(string actionText, string after, string? actionInput, string thought)
    {
        var cleaned = actionText.Trim().Trim('*', '`', '_', ' ');
        // The tool is the first word, or the first two (`side effects`, `final answer`).
        var words = LeadingWords().Match(cleaned);
        if (!words.Success) return null;
        var parts = words.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        ReActTool? tool = null;
        var used = 0;
        for (var n = Math.Min(2, parts.Length); n >= 1 && tool is null; n--)
        {
            tool = ToolNamed(string.Concat(parts.Take(n)));
            used = n;
        }
        if (tool is not { } found) return null;
        var argument = cleaned[LengthOfWords(cleaned, used)..];
        if (found == ReActTool.Final)
        {
            // The JSON may start on the action line or on the lines after it.
            return new ReActAction(found, (argument + "\n" + after).Trim(), thought);
        }
        if (Argument(argument) is null && actionInput is not null) argument = actionInput;
        return new ReActAction(found, Argument(argument), thought);
    }

    private static int LengthOfWords(string text, int words)
    {
        var i = 0;
        for (var w = 0; w < words; w++)
        {
            while (i < text.Length && text[i] == ' ') i++;
            while (i < text.Length && (char.IsLetter(text[i]) || text[i] is '_' or '-')) i++;
        }
        return i;
    }

    /// <summary>`(a)`, `"a"`, `: a`, `of a`, `[a]`, `array=a` → `a`.</summary>
    private static string? Argument(string text)
    {
        var words = ArgumentWord().Matches(text).Select(m => m.Value)
            .Where(w => w.ToLowerInvariant() is not ("of" or "for" or "the" or "array" or "function" or "loop" or "line" or "at" or "on" or "in" or "name" or "input"))
            .ToList();
        return words.Count == 0 ? null : words[0];
    }

    private static int? Line(string? argument) =>
        argument is not null && int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string AccessesOf(PlanningInput input, string? array)
    {
        var arrays = input.Loop.Accesses.Select(a => a.Array).Distinct(StringComparer.Ordinal).ToList();
        if (arrays.Count == 0) return "the nest accesses no arrays";
        if (array is null || !arrays.Contains(array, StringComparer.Ordinal))
            return $"{(array is null ? "no array named" : $"no accesses to `{array}` in this nest")}; arrays accessed: {string.Join(", ", arrays)}. Ask `accesses <array>`.";
        return FactsRenderer.Accesses(input, array);
    }

    private static string EffectsOf(PlanningInput input, string? function)
    {
        var calls = input.Loop.Calls.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
        if (calls.Count == 0) return "the nest calls no functions";
        if (function is null || !calls.Contains(function, StringComparer.Ordinal))
            return $"{(function is null ? "no function named" : $"`{function}` is not called in this nest")}; functions called: {string.Join(", ", calls)}. Ask `effects <function>`.";
        return FactsRenderer.Calls(input, function);
    }

    [GeneratedRegex(@"^[ \t>*_#`\-]*(?:\d+[.)]\s*)?[*_`]*thought\s*\d*[*_`]*\s*[:：]\s*(.*)$", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ThoughtLine();

    [GeneratedRegex(@"^[ \t>*_#`\-]*(?:\d+[.)]\s*)?[*_`]*action\s*\d*[*_`]*\s*[:：=\-]\s*(.*)$", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ActionLine();

    [GeneratedRegex(@"^[ \t>*_#`\-]*[*_`]*action[ _]input[*_`]*\s*[:：=]\s*(.*)$", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ActionInputLine();

    [GeneratedRegex(@"^[ \t>*_`\-]*(?:dependences|dependencies|accesses|effects|side_effects|scalars|final_answer|final)\b.*$", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex BareToolLine();

    [GeneratedRegex(@"^[*_`]*observation\s*\d*[*_`]*\s*[:：]", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ObservationLine();

    [GeneratedRegex(@"^[A-Za-z_\-]+(?: [A-Za-z_\-]+)?")]
    private static partial Regex LeadingWords();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*|\d+")]
    private static partial Regex ArgumentWord();
}
