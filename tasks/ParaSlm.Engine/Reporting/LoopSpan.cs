namespace ParaSlm.Engine.Reporting;

/// <summary>
/// The text of the `for` statement that starts at a line and column: header and body, with comments, strings and
/// character literals skipped while matching brackets. Used to tell which ParaSlmAssumePure functions a reverted loop
/// calls (a reverted loop has no recorded extent any more: it is serial again).
/// </summary>
public static class LoopSpan
{
    public static string? At(string text, int line, int column)
    {
        var start = OffsetOf(text, line, column);
        if (start < 0) return null;
        var i = start;
        if (!Skip(text, ref i) || i >= text.Length || text[i] != '(') return null;
        if (Match(text, ref i, '(', ')') is false) return null;
        if (!Skip(text, ref i) || i >= text.Length) return null;
        var end = text[i] == '{' ? (Match(text, ref i, '{', '}') ? i : -1) : StatementEnd(text, i);
        return end < 0 ? null : text[start..Math.Min(end, text.Length)];
    }

    private static int OffsetOf(string text, int line, int column)
    {
        var l = 1;
        var i = 0;
        while (l < line && i < text.Length)
        {
            if (text[i++] == '\n') l++;
        }
        i += column - 1;
        if (l != line || i + 3 > text.Length || string.CompareOrdinal(text, i, "for", 0, 3) != 0) return -1;
        return i + 3;
    }

    /// <summary>Skips whitespace and comments; false when the text ends inside a comment.</summary>
    private static bool Skip(string t, ref int i)
    {
        while (i < t.Length)
        {
            if (char.IsWhiteSpace(t[i])) i++;
            else if (t[i] == '/' && i + 1 < t.Length && t[i + 1] == '/') { while (i < t.Length && t[i] != '\n') i++; }
            else if (t[i] == '/' && i + 1 < t.Length && t[i + 1] == '*')
            {
                var close = t.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (close < 0) return false;
                i = close + 2;
            }
            else return true;
        }
        return true;
    }

    /// <summary>From an opening bracket to just past its partner.</summary>
    private static bool Match(string t, ref int i, char open, char close)
    {
        var depth = 0;
        while (i < t.Length)
        {
            if (!Skip(t, ref i) || i >= t.Length) return false;
            var c = t[i];
            if (c is '"' or '\'') { SkipLiteral(t, ref i); continue; }
            i++;
            if (c == open) depth++;
            else if (c == close && --depth == 0) return true;
        }
        return false;
    }

    private static int StatementEnd(string t, int i)
    {
        var depth = 0;
        while (i < t.Length)
        {
            if (!Skip(t, ref i) || i >= t.Length) return -1;
            var c = t[i];
            if (c is '"' or '\'') { SkipLiteral(t, ref i); continue; }
            i++;
            if (c is '(' or '{' or '[') depth++;
            else if (c is ')' or '}' or ']') depth--;
            else if (c == ';' && depth == 0) return i;
        }
        return -1;
    }

    private static void SkipLiteral(string t, ref int i)
    {
        var quote = t[i++];
        while (i < t.Length && t[i] != quote && t[i] != '\n') i += t[i] == '\\' ? 2 : 1;
        i++;
    }
}
