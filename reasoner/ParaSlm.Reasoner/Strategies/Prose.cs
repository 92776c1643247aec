namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// Whether a model's rationale reads as words: a rationale becomes the plan's reason in reports and build output, and
/// a fragment such as `);` or a run of symbols (what a small or broken model writes) would read as if it explained something.
/// </summary>
public static class Prose
{
    /// <summary>At least one word of three or more letters, and letters make up at least half of the visible characters.</summary>
    public static bool IsProse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var visible = 0;
        var letters = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            visible++;
            if (char.IsLetter(c)) letters++;
        }
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Count(w => w.Count(char.IsLetter) >= 3);
        return words >= 1 && letters * 2 >= visible;
    }
}
