using System.Globalization;
using System.Text;

namespace ParaSlm.Analyzer.Generation;

/// <summary>Where the compiler believes a physical line is: the file named by the last `#line` directive and the line number it implies.</summary>
/// <param name="FileLiteral">The file name as written between the quotes of a `#line` directive (escapes kept).</param>
internal readonly record struct PresumedLine(string FileLiteral, int Line);

/// <summary>
/// One source text seen the way libclang reports positions: UTF-8 byte offsets, 1-based lines and byte columns,
/// plus its tokens and the `#line` mapping. The rewriter needs all three to match an edit to the text, find the
/// statement around it, and write `#line` directives that restore the compiler's notion of file and line.
/// </summary>
internal sealed class SourceDocument
{
    private readonly int[] _lineStarts;
    private readonly int[] _byteAt;
    private readonly List<(int FirstLine, int Number, string File)> _lineDirectives = [];

    public SourceDocument(string originalPath, string text)
    {
        Text = text;
        OriginalFileLiteral = EscapeFileName(originalPath);
        Tokens = CLexer.Tokenize(text);
        Code = Tokens.Where(t => t.Kind != TokenKind.Directive).ToArray();

        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = [.. starts];

        // A surrogate pair is one 4-byte UTF-8 sequence: charge it to the high surrogate so that the pair's second
        // half never is the first char index for a byte offset.
        _byteAt = new int[text.Length + 1];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var bytes = c < 0x80 ? 1 : c < 0x800 ? 2
                : char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 4
                : char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]) ? 0
                : 3;
            _byteAt[i + 1] = _byteAt[i] + bytes;
        }

        var crlf = 0;
        var lf = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n')
            {
                if (i > 0 && text[i - 1] == '\r') crlf++;
                else lf++;
            }
        NewLine = crlf > lf ? "\r\n" : "\n";

        foreach (var t in Tokens)
            if (t.Kind == TokenKind.Directive && ParseLineDirective(text[t.Start..t.End]) is { } d)
                _lineDirectives.Add((LineOf(t.End) + 1, d.Number, d.File ?? (_lineDirectives.Count > 0 ? _lineDirectives[^1].File : OriginalFileLiteral)));
    }

    public string Text { get; }

    /// <summary>All tokens, directives included, in text order.</summary>
    public List<Token> Tokens { get; }

    /// <summary>The tokens without the directives: what the statement parser walks.</summary>
    public Token[] Code { get; }

    /// <summary>The file's dominant line ending, used for every line the rewriter inserts.</summary>
    public string NewLine { get; }

    public string OriginalFileLiteral { get; }

    public bool HasLineDirectives => _lineDirectives.Count > 0;

    public string TextOf(Token t) => Text[t.Start..t.End];

    /// <summary>1-based physical line of a char index.</summary>
    public int LineOf(int index)
    {
        var at = Array.BinarySearch(_lineStarts, index);
        return at >= 0 ? at + 1 : ~at;
    }

    public int LineStart(int line) => _lineStarts[line - 1];

    public int LineCount => _lineStarts.Length;

    public int ByteOffsetOf(int index) => _byteAt[index];

    /// <summary>1-based byte column of a char index, as libclang counts it.</summary>
    public int ByteColumnOf(int index) => _byteAt[index] - _byteAt[LineStart(LineOf(index))] + 1;

    /// <summary>The char index at a UTF-8 byte offset; null outside the text or inside a multi-byte character.</summary>
    public int? IndexOfByteOffset(int offset)
    {
        if (offset < 0 || offset > _byteAt[^1]) return null;
        var at = Array.BinarySearch(_byteAt, offset);
        if (at < 0) return null;
        while (at > 0 && _byteAt[at - 1] == offset) at--;
        return at;
    }

    /// <summary>The char index of a 1-based line and byte column; null when the position is not in the text.</summary>
    public int? IndexOfLineColumn(int line, int byteColumn)
    {
        if (line < 1 || line > _lineStarts.Length || byteColumn < 1) return null;
        var index = IndexOfByteOffset(_byteAt[LineStart(line)] + byteColumn - 1);
        return index is { } i && LineOf(i) == line ? i : null;
    }

    public PresumedLine PresumedLineOf(int physicalLine)
    {
        // The last directive before the line decides; generated files can have thousands of them.
        int lo = 0, hi = _lineDirectives.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_lineDirectives[mid].FirstLine <= physicalLine) lo = mid + 1;
            else hi = mid;
        }
        if (lo == 0) return new PresumedLine(OriginalFileLiteral, physicalLine);
        var (first, number, file) = _lineDirectives[lo - 1];
        return new PresumedLine(file, number + physicalLine - first);
    }

    /// <summary>Index into <see cref="Code"/> of the token starting exactly at <paramref name="index"/>, or -1.</summary>
    public int CodeTokenAt(int index)
    {
        var at = FirstCodeTokenAtOrAfter(index);
        return at < Code.Length && Code[at].Start == index ? at : -1;
    }

    /// <summary>Index into <see cref="Code"/> of the first token starting at or after <paramref name="index"/>.</summary>
    public int FirstCodeTokenAtOrAfter(int index)
    {
        int lo = 0, hi = Code.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Code[mid].Start < index) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Index into <see cref="Tokens"/> of the token starting exactly at <paramref name="index"/>, or -1.</summary>
    public int TokenAt(int index)
    {
        int lo = 0, hi = Tokens.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Tokens[mid].Start < index) lo = mid + 1;
            else hi = mid;
        }
        return lo < Tokens.Count && Tokens[lo].Start == index ? lo : -1;
    }

    /// <summary>The file name as a C string literal's contents, the form `#line` expects.</summary>
    public static string EscapeFileName(string path)
    {
        var b = new StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            switch (c)
            {
                case '\\': b.Append(@"\\"); break;
                case '"': b.Append("\\\""); break;
                case '\n': b.Append(@"\n"); break;
                case '\r': b.Append(@"\r"); break;
                case '\t': b.Append(@"\t"); break;
                default: b.Append(c); break;
            }
        }
        return b.ToString();
    }

    /// <summary>`#line N "file"`, `#line N` and GNU line markers `# N "file" flags`; null for any other directive.</summary>
    internal static (int Number, string? File)? ParseLineDirective(string directive)
    {
        var i = 1;
        SkipBlanks(directive, ref i);
        if (string.CompareOrdinal(directive, i, "line", 0, 4) == 0 && i + 4 < directive.Length && directive[i + 4] is ' ' or '\t')
        {
            i += 4;
            SkipBlanks(directive, ref i);
        }
        var digits = i;
        while (i < directive.Length && char.IsAsciiDigit(directive[i])) i++;
        if (i == digits || !int.TryParse(directive.AsSpan(digits, i - digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return null;
        SkipBlanks(directive, ref i);
        if (i >= directive.Length || directive[i] != '"') return (number, null);
        var open = ++i;
        while (i < directive.Length && directive[i] != '"') i += directive[i] == '\\' ? 2 : 1;
        return i < directive.Length ? (number, directive[open..i]) : (number, null);
    }

    private static void SkipBlanks(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t') i++;
    }
}
