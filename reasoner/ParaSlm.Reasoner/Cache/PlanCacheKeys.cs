using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ParaSlm.Analyzer.Facts;

namespace ParaSlm.Reasoner.Cache;

/// <summary>The identity of one planning question: the SHA-256 (hex) of its canonical form, and a short human description.</summary>
public sealed record PlanCacheKey(string Hash, string Description)
{
    /// <summary>A key known only by its hash (CLI, import): the description is not needed to find an entry.</summary>
    public static PlanCacheKey FromHash(string hash)
    {
        if (!PlanCacheKeys.IsHash(hash)) throw new ArgumentException($"'{hash}' is not a plan cache key (64 lowercase hex digits)", nameof(hash));
        return new PlanCacheKey(hash, string.Empty);
    }

    public override string ToString() => Description.Length == 0 ? Hash : $"{Hash[..12]} {Description}";
}

/// <summary>
/// Computes plan cache keys. A key covers everything that can change the model's answer or the plan's meaning —
/// the nest as the compiler sees it, the analyzer facts, the semantic compile flags, model + digest, strategy, prompt
/// version, target and plan schema — and nothing that only says where the code is (file names, functions, lines,
/// offsets, loop ids), so moving a function or renaming a file still hits while a changed subscript or `-DN=…` misses.
/// </summary>
public static partial class PlanCacheKeys
{
    /// <summary>Version of the canonical form; bump it whenever what goes into the form changes, so old keys simply miss.</summary>
    public const string CanonicalVersion = "pslm-key-v1";

    /// <summary>Version of the plan schema that is part of every key. It stays 1 when the content only gains optional
    /// fields (see <see cref="ContentSchemaVersion"/>): a new key would orphan every stored plan and every recorded
    /// rejection, which must outlive an upgrade.</summary>
    public const int PlanSchemaVersion = 1;

    /// <summary>Version of the <see cref="CachedPlan"/> content written now. 2 adds `simd` (absent in 1: false), 3 adds
    /// `innerSimd` (absent before: false), 4 adds `scalarExpansion` (absent before: false), 5 adds `unrollJam` (absent before: false). Every version from
    /// <see cref="OldestContentSchemaVersion"/> on is read.</summary>
    public const int ContentSchemaVersion = 5;

    /// <summary>The oldest content version still read.</summary>
    public const int OldestContentSchemaVersion = 1;

    /// <param name="root">The nest's outer loop.</param>
    /// <param name="nest">Every loop of the nest, outermost first (the root included; it is added when missing).</param>
    /// <param name="nestSourceText">The nest's source text (comments and whitespace do not matter).</param>
    /// <param name="compileArguments">The file's compile arguments; only those that change semantics count.</param>
    /// <param name="model">Model name, e.g. `qwen2.5:1.5b`.</param>
    /// <param name="modelDigest">The model's digest from `/api/tags` (a re-pulled model with the same name is another model).</param>
    /// <param name="strategy">Strategy name, e.g. `zero-shot`.</param>
    /// <param name="promptVersion">Version of the prompt files, e.g. `zero-shot@1`.</param>
    /// <param name="target">Target preference: cpu | gpu | auto.</param>
    public static PlanCacheKey Compute(
        LoopFacts root,
        IReadOnlyList<LoopFacts> nest,
        string nestSourceText,
        IReadOnlyList<string> compileArguments,
        string model,
        string modelDigest,
        string strategy,
        string promptVersion,
        string target)
    {
        var canonical = CanonicalForm(root, nest, nestSourceText, compileArguments, model, modelDigest, strategy, promptVersion, target);
        var hash = Convert.ToHexStringLower(SHA256.HashData(canonical));
        return new PlanCacheKey(hash, Describe(root, nest, nestSourceText, model, modelDigest, strategy, target));
    }

    /// <summary>The exact bytes that are hashed (UTF-8 JSON, fixed field order): for tests and for explaining a miss.</summary>
    public static byte[] CanonicalForm(
        LoopFacts root,
        IReadOnlyList<LoopFacts> nest,
        string nestSourceText,
        IReadOnlyList<string> compileArguments,
        string model,
        string modelDigest,
        string strategy,
        string promptVersion,
        string target)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(nest);
        var loops = OrderedNest(root, nest);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < loops.Count; i++) index.TryAdd(loops[i].Id, i);

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = false }))
        {
            w.WriteStartObject();
            w.WriteString("form", CanonicalVersion);
            w.WriteNumber("planSchema", PlanSchemaVersion);
            w.WriteString("model", model ?? string.Empty);
            w.WriteString("modelDigest", (modelDigest ?? string.Empty).Trim().ToLowerInvariant());
            w.WriteString("strategy", strategy ?? string.Empty);
            w.WriteString("promptVersion", promptVersion ?? string.Empty);
            w.WriteString("target", (target ?? string.Empty).Trim().ToLowerInvariant());
            w.WriteString("source", NormalizeSource(nestSourceText ?? string.Empty));
            w.WriteStartArray("flags");
            foreach (var a in SemanticArguments(compileArguments ?? [])) w.WriteStringValue(a);
            w.WriteEndArray();
            w.WriteStartArray("loops");
            foreach (var l in loops) WriteLoop(w, l, loops, index, root.Depth);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The nest in the order the key uses: the root first, then the given order (duplicates dropped).</summary>
    internal static List<LoopFacts> OrderedNest(LoopFacts root, IReadOnlyList<LoopFacts> nest)
    {
        var loops = new List<LoopFacts> { root };
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Id };
        foreach (var l in nest)
            if (seen.Add(l.Id)) loops.Add(l);
        return loops;
    }

    private static void WriteLoop(Utf8JsonWriter w, LoopFacts l, List<LoopFacts> loops, Dictionary<string, int> index, int rootDepth)
    {
        // Positions are replaced by structure: the parent's index in the nest and the depth relative to the root.
        w.WriteStartObject();
        w.WriteNumber("parent", l.ParentId is { } p && index.TryGetValue(p, out var pi) ? pi : -1);
        w.WriteNumber("depth", l.Depth - rootDepth);
        w.WriteBoolean("parallel", l.Parallelizable);
        w.WriteString("reason", Text(l.Reason, loops));
        w.WriteString("runtimeCheck", l.RuntimeCheck is null ? null : Text(l.RuntimeCheck, loops));
        w.WriteString("clauses", l.Clauses);
        WriteStrings(w, "private", l.Private);
        WriteStrings(w, "lastPrivate", l.LastPrivate);
        w.WriteString("header", Text(l.Header, loops));
        if (l.TripCount is { } trip) w.WriteNumber("trip", trip); else w.WriteNull("trip");
        w.WriteBoolean("omp", l.HasOpenMPDirective);
        w.WriteNumber("collapsible", l.CollapsibleDepth);
        w.WriteStartArray("accesses");
        foreach (var a in l.Accesses)
        {
            w.WriteStartArray();
            w.WriteStringValue(a.Array);
            w.WriteStringValue(a.Text);
            w.WriteBooleanValue(a.Read);
            w.WriteBooleanValue(a.Write);
            foreach (var s in a.Subscripts) w.WriteStringValue(s);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("dependences");
        foreach (var d in l.Dependences)
        {
            w.WriteStartArray();
            w.WriteStringValue(d.Kind);
            w.WriteStringValue(d.Source);
            w.WriteStringValue(d.Sink);
            w.WriteStringValue(d.Direction);
            if (d.Distance is { } dist) w.WriteNumberValue(dist); else w.WriteNullValue();
            w.WriteBooleanValue(d.Carried);
            w.WriteStringValue(d.Test);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("scalars");
        foreach (var s in l.Scalars)
        {
            w.WriteStartArray();
            w.WriteStringValue(s.Name);
            w.WriteStringValue(s.Class);
            w.WriteStringValue(Text(s.Reason, loops));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("calls");
        foreach (var c in l.Calls)
        {
            w.WriteStartArray();
            w.WriteStringValue(c.Name);
            w.WriteBooleanValue(c.Pure);
            w.WriteStringValue(Text(c.Reason, loops));
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("evidence");
        foreach (var e in l.Evidence) w.WriteStringValue(Text(e, loops));
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>
    /// Analyzer sentences mention positions (`at line 12`, loop ids with the file name); those are replaced so that
    /// the facts' text identifies what was found, not where.
    /// </summary>
    private static string Text(string text, List<LoopFacts> loops)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        for (var i = 0; i < loops.Count; i++)
        {
            if (loops[i].Id.Length > 0) text = text.Replace(loops[i].Id, $"loop#{i}", StringComparison.Ordinal);
            if (loops[i].File.Length > 0) text = text.Replace(loops[i].File, "<file>", StringComparison.Ordinal);
        }
        return LineNumber().Replace(text, "$1 #");
    }

    [GeneratedRegex(@"\b(lines?|column|col)\s+\d+(?:\s*[-–:,]\s*\d+)*", RegexOptions.CultureInvariant)]
    private static partial Regex LineNumber();

    /// <summary>
    /// The nest's text with comments removed and whitespace reduced to what separates tokens, so reformatting or
    /// re-commenting the code does not miss. String and character literals are kept verbatim; a line splice
    /// (backslash-newline) disappears as the compiler removes it; preprocessor lines stay lines.
    /// </summary>
    public static string NormalizeSource(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        var atLineStart = true;
        var inDirective = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && (text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < text.Length && text[i + 2] == '\n')))
            {
                i += text[i + 1] == '\n' ? 2 : 3; // line splice: the two lines are one
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\n') i++; // a spliced `//` comment goes on
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                pendingSpace = true; // a comment separates tokens like whitespace does
                continue;
            }
            if (c == '\n')
            {
                if (inDirective)
                {
                    sb.Append('\n');
                    inDirective = false;
                    pendingSpace = false;
                }
                else
                {
                    pendingSpace = true;
                }
                atLineStart = true;
                i++;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                i++;
                continue;
            }
            if (atLineStart && c == '#')
            {
                if (sb.Length > 0 && sb[^1] != '\n') sb.Append('\n');
                inDirective = true;
                pendingSpace = false;
            }
            atLineStart = false;
            if (pendingSpace && sb.Length > 0 && NeedsSpace(sb[^1], c)) sb.Append(' ');
            pendingSpace = false;
            if (c is '"' or '\'')
            {
                var start = i;
                i++;
                while (i < text.Length && text[i] != c && text[i] != '\n')
                    i += text[i] == '\\' && i + 1 < text.Length ? 2 : 1;
                if (i < text.Length && text[i] == c) i++;
                sb.Append(text, start, Math.Min(i, text.Length) - start);
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>Whether dropping the whitespace between two characters could join two tokens into one (`a b`, `- -`).</summary>
    private static bool NeedsSpace(char before, char after)
    {
        if (before == '\n') return false;
        if (IsWord(before) && IsWord(after)) return true;
        return IsJoiningPunctuation(before) && IsJoiningPunctuation(after);
    }

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' or '"' or '\'';

    private static bool IsJoiningPunctuation(char c) => c is '+' or '-' or '*' or '/' or '%' or '<' or '>' or '=' or '!' or '&' or '|' or '^' or ':' or '.' or '#' or '?';

    /// <summary>
    /// The compile arguments that can change what the code means, normalized (`-D N=1` → `-DN=1`), in their order
    /// (a later `-D`/`-U` overrides an earlier one): macros, language standard and mode, target and machine options,
    /// and `-f` options other than diagnostics, debug info, code layout and instrumentation. Include paths, warnings,
    /// optimization levels, debug info, dependency-file and output options do not change the meaning of a loop
    /// (what headers contribute is already in the facts), so they are left out and changing them still hits.
    /// </summary>
    public static IReadOnlyList<string> SemanticArguments(IReadOnlyList<string> arguments)
    {
        var result = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var a = arguments[i];
            if (string.IsNullOrEmpty(a)) continue;
            string? Next() => i + 1 < arguments.Count ? arguments[++i] : null;

            // Options whose value is a separate argument and that do not matter: skip the value too.
            if (a is "-I" or "-isystem" or "-iquote" or "-idirafter" or "-iprefix" or "-iwithprefix" or "-isysroot" or "--sysroot"
                or "-o" or "-MF" or "-MT" or "-MQ" or "-Xclang" or "-main-file-name" or "-F" or "-L" or "/Fo" or "/Fd" or "/I")
            {
                Next();
                continue;
            }
            if (a is "-D" or "-U" or "/D" or "/U")
            {
                if (Next() is { } v) result.Add("-" + char.ToUpperInvariant(a[1]) + v.Trim());
                continue;
            }
            if (a is "-x" or "-std" or "-target" or "--target" or "-include" or "-imacros" or "-arch")
            {
                if (Next() is { } v) result.Add(NormalizeValued(a, v));
                continue;
            }
            if (a.StartsWith("-D", StringComparison.Ordinal) || a.StartsWith("-U", StringComparison.Ordinal)
                || ((a.StartsWith("/D", StringComparison.Ordinal) || a.StartsWith("/U", StringComparison.Ordinal)) && a.IndexOfAny(['/', '\\'], 1) < 0))
            {
                result.Add("-" + a[1] + a[2..].Trim());
                continue;
            }
            if (a.StartsWith("-std=", StringComparison.Ordinal) || a.StartsWith("--std=", StringComparison.Ordinal) || a.StartsWith("/std:", StringComparison.OrdinalIgnoreCase))
            {
                result.Add("-std=" + a[(a.IndexOfAny(['=', ':']) + 1)..]);
                continue;
            }
            if (a.StartsWith("--target=", StringComparison.Ordinal) || a.StartsWith("-target=", StringComparison.Ordinal))
            {
                result.Add("--target=" + a[(a.IndexOf('=') + 1)..]);
                continue;
            }
            if (a.StartsWith("-x", StringComparison.Ordinal) && a.Length > 2)
            {
                result.Add("-x " + a[2..]);
                continue;
            }
            if (a is "-ansi" or "-pthread" or "-fopenmp" or "/openmp" or "-funsigned-char" or "-fsigned-char" or "/J")
            {
                result.Add(a);
                continue;
            }
            if (a.StartsWith("-f", StringComparison.Ordinal))
            {
                if (!IsNonSemanticF(a)) result.Add(a);
                continue;
            }
            if (a.StartsWith("-m", StringComparison.Ordinal) || a.StartsWith("/arch:", StringComparison.OrdinalIgnoreCase)
                || a.StartsWith("/fp:", StringComparison.OrdinalIgnoreCase) || a.StartsWith("/Zc:", StringComparison.Ordinal))
            {
                result.Add(a);
                continue;
            }
            // Everything else (-I…, -W…, -O…, -g…, -c, -o…, -M…, the source file, /W…, /O…, /Z7…) does not count.
        }
        return result;
    }

    private static string NormalizeValued(string option, string value) => option switch
    {
        "-std" => "-std=" + value,
        "-target" or "--target" => "--target=" + value,
        "-x" => "-x " + value,
        // The header's contents are in the facts when they matter; its name says which prelude applies.
        "-include" or "-imacros" => option + " " + Path.GetFileName(value),
        _ => option + " " + value,
    };

    /// <summary>`-f` options that change diagnostics, debug info, code layout or instrumentation, not what a loop computes.</summary>
    private static bool IsNonSemanticF(string a)
    {
        var name = a.StartsWith("-fno-", StringComparison.Ordinal) ? a[5..] : a[2..];
        string[] prefixes =
        [
            "diagnostics", "color-diagnostics", "caret-diagnostics", "message-length", "show-column", "show-source-location",
            "debug", "standalone-debug", "eliminate-unused-debug", "var-tracking", "dwarf", "record-command-line", "ident",
            "profile", "coverage", "test-coverage", "instrument", "sanitize", "stack-protector", "stack-clash", "cf-protection",
            "pic", "PIC", "pie", "PIE", "plt", "function-sections", "data-sections", "unique-section-names", "visibility",
            "omit-frame-pointer", "asynchronous-unwind-tables", "unwind-tables", "verbose-asm", "exceptions-style",
            "macro-backtrace-limit", "template-backtrace-limit", "constexpr-backtrace-limit", "spell-checking", "error-limit",
            "ansi-escape-codes", "syntax-only", "lto", "thinlto", "use-linker-plugin", "working-directory", "file-prefix-map",
            "debug-prefix-map", "macro-prefix-map", "pch", "modules-cache-path", "crash-diagnostics", "time-report",
            "output-sync", "temp", "integrated-as", "no-integrated-as", "max-errors", "column-info", "caret", "fixit",
        ];
        foreach (var p in prefixes)
            if (name.StartsWith(p, StringComparison.Ordinal)) return true;
        return false;
    }

    private static string Describe(LoopFacts root, IReadOnlyList<LoopFacts> nest, string source, string model, string digest, string strategy, string target)
    {
        var first = NormalizeSource(source ?? string.Empty);
        var brace = first.IndexOf('{');
        var head = (brace > 0 ? first[..brace] : first).Replace('\n', ' ').Trim();
        if (head.Length > 48) head = head[..47] + "…";
        var loops = OrderedNest(root, nest).Count;
        var bare = (digest ?? string.Empty).Replace("sha256:", string.Empty, StringComparison.Ordinal);
        var shortDigest = bare.Length == 0 ? "?" : bare[..Math.Min(12, bare.Length)];
        return $"{loops} loop{(loops == 1 ? string.Empty : "s")} `{head}` · {model}@{shortDigest} · {strategy} · {target}";
    }

    internal static bool IsHash(string s) => s.Length == 64 && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
