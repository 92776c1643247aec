namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// Whether a range of the text can be written twice or replaced without breaking the user's preprocessor conditionals.
/// A loop may open inside one branch of `#if … #else … #endif` and close after it, as NPB's LU does to run its
/// wavefront the other way under OpenMP: `#if defined(_OPENMP)` / `for (i = iend; …) {` / `#else` / `for (i = ist; …) {`
/// / `#endif` / body / `}`. The parse sees one branch, so the loop's text holds an `#else` and an `#endif` whose `#if`
/// lies before it. Inserting a directive into that text is harmless (the branch the build takes is unchanged), but a
/// copy of it (the serial version of a run-time check) repeats the `#endif`, and a generated form drops it: either way
/// the conditionals no longer pair, and the whole file's copy failed to compile (PSLM1013, every loop of it serial).
/// </summary>
internal static class ConditionalBalance
{
    /// <summary>
    /// The first conditional directive in [<paramref name="start"/>, <paramref name="end"/>) whose partner lies outside
    /// the range (an `#elif`/`#else`/`#endif` of an `#if` before it, or an `#if` not closed inside it), with its physical
    /// line; null when every conditional in the range pairs inside it.
    /// </summary>
    public static (int Line, string Text)? Unpaired(SourceDocument doc, int start, int end)
    {
        var open = new Stack<Token>();
        foreach (var t in doc.Tokens)
        {
            if (t.Start < start) continue;
            if (t.Start >= end) break;
            if (t.Kind != TokenKind.Directive || !EditPlanner.IsConditional(doc.TextOf(t))) continue;
            var word = Word(doc.TextOf(t));
            if (word is "if" or "ifdef" or "ifndef") open.Push(t);
            else if (open.Count == 0) return Shown(doc, t);
            else if (word == "endif") open.Pop();
        }
        return open.Count > 0 ? Shown(doc, open.Last()) : null;
    }

    /// <summary>The reason a rewrite of the range that writes it twice or anew cannot go in, or null when it can.</summary>
    public static string? WhyNotRewritable(SourceDocument doc, int start, int end) =>
        Unpaired(doc, start, end) is { } split
            ? $"its text holds `{split.Text}` (line {split.Line}), a preprocessor conditional whose other half lies outside the loop, " +
              "which a second or generated copy of the loop would leave unpaired"
            : null;

    private static (int Line, string Text) Shown(SourceDocument doc, Token t) => (doc.LineOf(t.Start), doc.TextOf(t).Trim());

    private static string Word(string directive)
    {
        var s = directive.AsSpan(1).TrimStart(" \t");
        return s[..(s.IndexOfAny(" \t(\r\n") is var i and >= 0 ? i : s.Length)].ToString();
    }
}
