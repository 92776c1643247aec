using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// A forgiving JSON reader for what small models write: single quotes, unquoted keys and values
/// (`target: cpu-openmp`), Python literals (True/None), trailing or missing commas, `//` and `/* */` comments,
/// `=` for `:`, and answers cut off by the token limit (open strings, objects and arrays are closed at the end).
/// It never throws; it returns null when there is no object to read.
/// </summary>
internal static class LenientJson
{
    // Deep enough for any plan; shallow enough that "[[[[…" from a looping model cannot overflow the stack.
    private const int MaxDepth = 24;

    /// <summary>Longest answer read (characters); a plan is a few hundred.</summary>
    public const int MaxTextLength = 16 * 1024;

    /// <summary>Most `{` positions tried as the start of an object.</summary>
    public const int MaxStarts = 64;

    /// <summary>
    /// The objects in the text (inside fences or prose) that <paramref name="wanted"/> accepts, in order of appearance.
    /// After an unwanted object the scan resumes just inside it, so a wrapped object (`{"plan": {…}}`) and an object
    /// after an unbalanced brace in prose (`the body { a[i] = 0;`) are still found.
    /// </summary>
    public static IReadOnlyList<JsonObject> Objects(string text, Func<JsonObject, bool> wanted)
    {
        // Bounds on the work a runaway answer can cause (a model looping on "{{{{" for thousands of tokens): plans are
        // short and come last, so the tail of an overlong answer is kept, and only so many starts are tried.
        if (text.Length > MaxTextLength) text = text[^MaxTextLength..];
        var found = new List<JsonObject>();
        var i = 0;
        var attempts = 0;
        while (i < text.Length && attempts++ < MaxStarts)
        {
            var open = text.IndexOf('{', i);
            if (open < 0) break;
            var reader = new Reader(text, open);
            if (reader.ReadValue(0) is JsonObject o && wanted(o))
            {
                found.Add(o);
                i = Math.Max(reader.Position, open + 1);
            }
            else
            {
                i = open + 1;
            }
        }
        return found;
    }

    /// <summary>Reads one value starting at the first non-blank character; null when there is none.</summary>
    public static JsonNode? Value(string text) => new Reader(text, 0).ReadValue(0);

    private sealed class Reader(string text, int start)
    {
        public int Position { get; private set; } = start;

        private bool AtEnd => Position >= text.Length;

        private char Current => text[Position];

        public JsonNode? ReadValue(int depth)
        {
            SkipBlank();
            if (AtEnd || depth > MaxDepth) return null;
            var c = Current;
            if (c == '{') return ReadObject(depth);
            if (c == '[') return ReadArray(depth);
            if (IsQuote(c)) return JsonValue.Create(ReadString());
            return ReadBare();
        }

        private JsonObject ReadObject(int depth)
        {
            var obj = new JsonObject();
            Position++; // {
            while (true)
            {
                SkipSeparators();
                if (AtEnd) return obj; // cut off by the token limit: keep what is there
                if (Current == '}') { Position++; return obj; }
                if (Current == ']') { Position++; continue; } // stray bracket from a confused model
                var key = ReadKey();
                if (key is null) { Position++; continue; }
                SkipBlank();
                if (!AtEnd && (Current == ':' || Current == '=')) Position++;
                else if (!AtEnd && (Current == ',' || Current == '}'))
                {
                    obj[key] = null; // a key without a value
                    continue;
                }
                var value = ReadValue(depth + 1);
                obj[key] = value;
            }
        }

        private JsonArray ReadArray(int depth)
        {
            var array = new JsonArray();
            Position++; // [
            while (true)
            {
                SkipSeparators();
                if (AtEnd) return array;
                if (Current == ']') { Position++; return array; }
                if (Current == '}') { Position++; return array; }
                var before = Position;
                var value = ReadValue(depth + 1);
                if (Position == before) { Position++; continue; } // nothing readable here; never loop in place
                array.Add(value);
            }
        }

        private string? ReadKey()
        {
            if (IsQuote(Current)) return ReadString();
            var sb = new StringBuilder();
            while (!AtEnd && (char.IsLetterOrDigit(Current) || Current is '_' or '-' or '$' or '.' or ' '))
            {
                sb.Append(Current);
                Position++;
            }
            var key = sb.ToString().Trim();
            return key.Length == 0 ? null : key;
        }

        private string ReadString()
        {
            var quote = Current;
            var close = quote switch { '“' => '”', '‘' => '’', _ => quote };
            Position++;
            var sb = new StringBuilder();
            while (!AtEnd && Current != close)
            {
                var c = Current;
                Position++;
                if (c != '\\' || AtEnd) { sb.Append(c); continue; }
                var e = Current;
                Position++;
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'u' when Position + 4 <= text.Length &&
                                  int.TryParse(text.AsSpan(Position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                        sb.Append((char)code);
                        Position += 4;
                        break;
                    default: sb.Append(e); break; // \" \' \\ \/ and anything a model invents
                }
            }
            if (!AtEnd) Position++; // closing quote (absent when the answer was cut off)
            return sb.ToString();
        }

        /// <summary>An unquoted value: a number, a literal, or a word such as `cpu-openmp` or `reduction(+:s)`.</summary>
        private JsonNode? ReadBare()
        {
            var sb = new StringBuilder();
            var parens = 0;
            while (!AtEnd)
            {
                var c = Current;
                if (parens == 0 && (c is ',' or '}' or ']' or '\n' or '\r' || IsQuote(c) || StartsComment())) break;
                if (c == '(') parens++;
                else if (c == ')' && parens > 0) parens--;
                else if (c == '\n') break;
                sb.Append(c);
                Position++;
            }
            var word = sb.ToString().Trim();
            if (word.Length == 0) return null;
            switch (word.ToLowerInvariant())
            {
                case "true": return JsonValue.Create(true);
                case "false": return JsonValue.Create(false);
                case "null" or "none" or "nil" or "undefined": return null;
            }
            if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
            if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return JsonValue.Create(d);
            return JsonValue.Create(word);
        }

        private bool StartsComment() =>
            Current == '/' && Position + 1 < text.Length && text[Position + 1] is '/' or '*';

        private void SkipSeparators()
        {
            while (true)
            {
                SkipBlank();
                if (!AtEnd && (Current == ',' || Current == ';')) { Position++; continue; }
                return;
            }
        }

        private void SkipBlank()
        {
            while (!AtEnd)
            {
                if (char.IsWhiteSpace(Current)) { Position++; continue; }
                if (Current == '/' && Position + 1 < text.Length && text[Position + 1] == '/')
                {
                    while (!AtEnd && Current != '\n') Position++;
                    continue;
                }
                if (Current == '/' && Position + 1 < text.Length && text[Position + 1] == '*')
                {
                    var end = text.IndexOf("*/", Position + 2, StringComparison.Ordinal);
                    Position = end < 0 ? text.Length : end + 2;
                    continue;
                }
                return;
            }
        }

        private static bool IsQuote(char c) => c is '"' or '\'' or '`' or '“' or '‘';
    }
}
