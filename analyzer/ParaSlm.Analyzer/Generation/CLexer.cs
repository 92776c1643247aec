using System.Collections.Frozen;

namespace ParaSlm.Analyzer.Generation;

internal enum TokenKind
{
    Identifier,
    Number,
    String,
    Character,
    Punctuator,

    /// <summary>A whole preprocessor directive, continuation lines included (its end excludes the final newline).</summary>
    Directive,
}

/// <summary>A token as a half-open range of char indices into the text.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End);

/// <summary>
/// Splits C/C++ text into tokens, just well enough for the rewriter to find statement boundaries without being
/// fooled: comments produce no tokens, braces and semicolons inside string/character literals (raw strings
/// included) stay inside the literal, and every preprocessor directive is one token. It does not expand macros —
/// the rewriter cross-checks what it finds against libclang's extents for that reason.
/// </summary>
internal static class CLexer
{
    private static readonly FrozenSet<string> LiteralPrefixes = new[] { "L", "u", "U", "u8" }.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string> RawStringPrefixes = new[] { "R", "LR", "uR", "UR", "u8R" }.ToFrozenSet(StringComparer.Ordinal);

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var n = text.Length;
        var i = 0;
        // True while only whitespace and comments were seen since the last newline: a `#` there starts a directive.
        var atLineStart = true;
        while (i < n)
        {
            var c = text[i];
            if (c == '\n')
            {
                atLineStart = true;
                i++;
            }
            else if (c is ' ' or '\t' or '\r' or '\f' or '\v' or '\uFEFF')
            {
                i++;
            }
            else if (c == '\\' && NewlineLength(text, i + 1) is var splice and > 0)
            {
                i += 1 + splice;
            }
            else if (c == '/' && At(text, i + 1) == '/')
            {
                i = SkipLineComment(text, i);
            }
            else if (c == '/' && At(text, i + 1) == '*')
            {
                i = SkipBlockComment(text, i);
            }
            else if (c == '#' && atLineStart)
            {
                var end = DirectiveEnd(text, i);
                tokens.Add(new Token(TokenKind.Directive, i, end));
                i = end;
            }
            else
            {
                atLineStart = false;
                var start = i;
                if (c is '"' or '\'')
                {
                    i = SkipQuoted(text, i);
                    tokens.Add(new Token(c == '"' ? TokenKind.String : TokenKind.Character, start, i));
                }
                else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(text, i + 1))))
                {
                    i = SkipNumber(text, i);
                    tokens.Add(new Token(TokenKind.Number, start, i));
                }
                else if (IsIdentifierStart(c))
                {
                    i++;
                    while (i < n && IsIdentifierPart(text[i])) i++;
                    var quote = At(text, i);
                    if (quote == '"' && RawStringPrefixes.Contains(text[start..i]))
                    {
                        i = SkipRawString(text, i);
                        tokens.Add(new Token(TokenKind.String, start, i));
                    }
                    else if (quote is '"' or '\'' && LiteralPrefixes.Contains(text[start..i]))
                    {
                        i = SkipQuoted(text, i);
                        tokens.Add(new Token(quote == '"' ? TokenKind.String : TokenKind.Character, start, i));
                    }
                    else
                    {
                        tokens.Add(new Token(TokenKind.Identifier, start, i));
                    }
                }
                else
                {
                    // `::` must not read as two label colons; every other punctuator is irrelevant beyond its first char.
                    i += c == ':' && At(text, i + 1) == ':' ? 2 : 1;
                    tokens.Add(new Token(TokenKind.Punctuator, start, i));
                }
            }
        }
        return tokens;
    }

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$' || c >= '\u0080' && c != '\uFEFF';

    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c);

    private static char At(string text, int i) => i < text.Length ? text[i] : '\0';

    /// <summary>1 for `\n`, 2 for `\r\n`, 0 when no newline starts at <paramref name="i"/>.</summary>
    private static int NewlineLength(string text, int i) =>
        At(text, i) == '\n' ? 1 : At(text, i) == '\r' && At(text, i + 1) == '\n' ? 2 : 0;

    /// <summary>Index of the newline that ends the comment (a backslash before the newline continues it).</summary>
    private static int SkipLineComment(string text, int i)
    {
        while (i < text.Length && text[i] != '\n')
        {
            if (text[i] == '\\' && NewlineLength(text, i + 1) is var splice and > 0) i += 1 + splice;
            else i++;
        }
        return i;
    }

    private static int SkipBlockComment(string text, int i)
    {
        var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
        return close < 0 ? text.Length : close + 2;
    }

    /// <summary>
    /// End of a "…" or '…' literal; an unterminated one stops at the end of its line, so one stray quote
    /// (e.g. an apostrophe in `#error don't`) cannot swallow the rest of the file.
    /// </summary>
    private static int SkipQuoted(string text, int i)
    {
        var quote = text[i];
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\') i += 1 + Math.Max(1, NewlineLength(text, i + 1));
            else if (c == quote) return i + 1;
            else if (c == '\n') return i;
            else i++;
        }
        return text.Length;
    }

    /// <summary>End of a C++ raw string `R"delim( … )delim"`, given the index of its opening quote.</summary>
    private static int SkipRawString(string text, int quote)
    {
        var open = text.IndexOf('(', quote + 1);
        if (open < 0 || open - quote - 1 > 16) return SkipQuoted(text, quote);
        var terminator = ")" + text[(quote + 1)..open] + "\"";
        var close = text.IndexOf(terminator, open + 1, StringComparison.Ordinal);
        return close < 0 ? text.Length : close + terminator.Length;
    }

    /// <summary>A preprocessing number: digits, letters, `.`, exponent signs, and C++14/C23 digit separators (`1'000`).</summary>
    private static int SkipNumber(string text, int i)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsIdentifierPart(c) || c == '.') i++;
            else if (c is '+' or '-' && text[i - 1] is 'e' or 'E' or 'p' or 'P') i++;
            else if (c == '\'' && IsIdentifierPart(At(text, i + 1))) i += 2;
            else break;
        }
        return i;
    }

    /// <summary>End of the directive starting at <paramref name="i"/>: its last line's newline (or `\r\n`) is excluded.</summary>
    private static int DirectiveEnd(string text, int i)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n') return i > 0 && text[i - 1] == '\r' ? i - 1 : i;
            if (c == '\\' && NewlineLength(text, i + 1) is var splice and > 0) i += 1 + splice;
            else if (c == '/' && At(text, i + 1) == '/') i = SkipLineComment(text, i);
            else if (c == '/' && At(text, i + 1) == '*') i = SkipBlockComment(text, i);
            else if (c is '"' or '\'') i = SkipQuoted(text, i);
            else i++;
        }
        return text.Length;
    }
}
