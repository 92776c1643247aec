namespace ParaSlm.Analyzer.Generation;

/// <summary>
/// Finds where a C/C++ statement ends by its shape — a compound statement at its matching `}`, `if`/`else`,
/// `while`, `for`, `switch`, `do … while (…);`, `try`/`catch`, labels, and otherwise the `;` at bracket depth 0 —
/// over the tokens of a <see cref="SourceDocument"/>. Brackets inside literals and comments never count, and
/// compound literals or lambdas (`(T){…};`, `[]{…};`) end at their `;`, not at their `}`.
/// Macros are not expanded, so a caller must cross-check the result against libclang's extent.
/// </summary>
internal sealed class StatementParser(SourceDocument doc)
{
    // Deep enough for any real `else if` chain; deeper nesting is treated as "cannot tell" instead of overflowing.
    private const int MaxDepth = 400;

    private readonly Token[] _code = doc.Code;

    /// <summary>Index into <see cref="SourceDocument.Code"/> one past the statement's last token, or -1.</summary>
    public int StatementEnd(int first) => Statement(first, 0);

    /// <summary>Index of the bracket closing the one at <paramref name="open"/>, or -1 when brackets do not pair up.</summary>
    public int MatchingClose(int open)
    {
        var stack = new Stack<char>();
        for (var k = open; k < _code.Length; k++)
        {
            if (_code[k].Kind != TokenKind.Punctuator) continue;
            var c = doc.Text[_code[k].Start];
            if (c is '(' or '[' or '{')
            {
                stack.Push(c);
            }
            else if (c is ')' or ']' or '}')
            {
                if (stack.Count == 0 || stack.Pop() != Opener(c)) return -1;
                if (stack.Count == 0) return k;
            }
        }
        return -1;
    }

    private static char Opener(char close) => close switch { ')' => '(', ']' => '[', _ => '{' };

    private bool Is(int k, string text) =>
        k >= 0 && k < _code.Length && _code[k].End - _code[k].Start == text.Length &&
        string.CompareOrdinal(doc.Text, _code[k].Start, text, 0, text.Length) == 0;

    private bool IsIdentifier(int k) => k < _code.Length && _code[k].Kind == TokenKind.Identifier;

    private int Statement(int k, int depth)
    {
        if (k < 0 || k >= _code.Length || depth > MaxDepth) return -1;
        if (Is(k, "{")) return After(MatchingClose(k));
        if (Is(k, ";")) return k + 1;
        if (Is(k, "for") || Is(k, "while") || Is(k, "switch"))
            return Is(k + 1, "(") ? Statement(After(MatchingClose(k + 1)), depth + 1) : -1;
        if (Is(k, "if"))
        {
            var open = k + 1;
            if (Is(open, "constexpr")) open++;
            if (Is(open, "!")) open++;
            if (Is(open, "consteval")) return Statement(open + 1, depth + 1);
            if (!Is(open, "(")) return -1;
            var then = Statement(After(MatchingClose(open)), depth + 1);
            return then >= 0 && Is(then, "else") ? Statement(then + 1, depth + 1) : then;
        }
        if (Is(k, "do"))
        {
            var body = Statement(k + 1, depth + 1);
            if (body < 0 || !Is(body, "while") || !Is(body + 1, "(")) return -1;
            var close = MatchingClose(body + 1);
            return close >= 0 && Is(close + 1, ";") ? close + 2 : -1;
        }
        if (Is(k, "try"))
        {
            var end = Statement(k + 1, depth + 1);
            while (end >= 0 && Is(end, "catch") && Is(end + 1, "("))
                end = Statement(After(MatchingClose(end + 1)), depth + 1);
            return end;
        }
        if (Is(k, "case"))
        {
            var colon = k + 1;
            while (colon < _code.Length && !Is(colon, ":") && !Is(colon, ";")) colon++;
            return Is(colon, ":") ? Statement(colon + 1, depth + 1) : -1;
        }
        if (IsIdentifier(k) && Is(k + 1, ":")) return Statement(k + 2, depth + 1);
        return SimpleStatementEnd(k);
    }

    private static int After(int close) => close < 0 ? -1 : close + 1;

    /// <summary>An expression, declaration, `return`, `break`… statement: up to its `;` at bracket depth 0.</summary>
    private int SimpleStatementEnd(int k)
    {
        var depth = 0;
        for (; k < _code.Length; k++)
        {
            if (_code[k].Kind != TokenKind.Punctuator) continue;
            var c = doc.Text[_code[k].Start];
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}' && --depth < 0) return -1; // ran into the enclosing block's end
            else if (c == ';' && depth == 0) return k + 1;
        }
        return -1;
    }
}
