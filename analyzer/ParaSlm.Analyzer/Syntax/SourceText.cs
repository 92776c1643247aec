using System.Text.RegularExpressions;

namespace ParaSlm.Analyzer.Syntax;

/// <summary>Recovers the source text of a node from the file it was parsed from.</summary>
public static partial class SourceText
{
    /// <summary>The node's text with whitespace collapsed; falls back to its spelling.</summary>
    public static string Of(SyntaxNode node)
    {
        var root = node;
        while (root.Parent is not null) root = root.Parent;
        var text = root.SourceText;
        var s = node.Span;
        if (text is null || !string.Equals(s.File, root.Span.File, StringComparison.Ordinal)) return node.Spelling;
        var (start, end) = (CharIndex(root, s.Offset), CharIndex(root, s.EndOffset));
        if (start < 0 || end > text.Length || end <= start) return node.Spelling;
        return Spaces().Replace(text[start..end], " ").Trim();
    }

    /// <summary>The index into the root's text of a libclang byte offset (they differ after a multi-byte character).</summary>
    public static int CharIndex(SyntaxNode root, int byteOffset)
    {
        if (root.CharIndexOfByte is not { } map) return byteOffset;
        return byteOffset < 0 ? byteOffset : map[Math.Min(byteOffset, map.Length - 1)];
    }

    /// <summary>Maps every byte offset of <paramref name="bytes"/> to its char index in <paramref name="text"/>
    /// (the same file read as text: a UTF-8 byte order mark dropped); null when the two agree (ASCII).</summary>
    public static int[]? ByteToCharMap(byte[] bytes, string text)
    {
        if (bytes.Length == text.Length) return null;
        var map = new int[bytes.Length + 1];
        var b = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        for (var c = 0; c < text.Length && b < bytes.Length; c++)
        {
            var ch = text[c];
            var len = char.IsHighSurrogate(ch) ? 4 : ch < 0x80 ? 1 : ch < 0x800 ? 2 : 3;
            // An invalid byte decodes to U+FFFD: it took one byte of the file, not three.
            if (ch == '\uFFFD' && !(b + 2 < bytes.Length && bytes[b] == 0xEF && bytes[b + 1] == 0xBF && bytes[b + 2] == 0xBD)) len = 1;
            for (var k = 0; k < len && b < bytes.Length; k++) map[b++] = c;
            if (len == 4) c++;
        }
        for (; b <= bytes.Length; b++) map[b] = text.Length;
        return map;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
