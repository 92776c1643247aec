using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Tasks.Internal;

internal enum ToolEventKind { Message, Warning, Error }

/// <summary>A diagnostic recognised in a tool's output, or a plain line (Kind = Message, no file).</summary>
internal sealed class ToolEvent
{
    public ToolEvent(ToolEventKind kind, string text, string? file = null, int line = 0, int column = 0)
    {
        Kind = kind;
        Text = text;
        File = file;
        Line = line;
        Column = column;
    }

    public ToolEventKind Kind { get; }
    public string Text { get; }
    public string? File { get; }
    public int Line { get; }
    public int Column { get; }
}

/// <summary>
/// Recognises what CMake and the compilers it drives print: GCC/Clang diagnostics (<c>file:line:col: error: …</c>),
/// linker failures and CMake's multi-line <c>CMake Error at file:line (cmd):</c> blocks. Compiler diagnostics of a
/// rewritten file already name the original file and line (the engine's <c>#line</c> directives), so they surface at
/// the user's source. Other lines pass through unchanged (MSVC's canonical lines are recognised by MSBuild itself).
/// </summary>
internal sealed class ToolOutputParser
{
    private static readonly Regex CompilerDiagnostic = new(
        @"^(?<file>(?:[A-Za-z]:)?[^:]+?):(?<line>\d+):(?:(?<col>\d+):)?\s+(?<kind>fatal error|error|warning):\s+(?<text>.*)$",
        RegexOptions.CultureInvariant);

    private static readonly Regex ToolFailure = new(
        @"^(?<tool>[\w.+-]+): (?:fatal )?error: (?<text>.*)$", RegexOptions.CultureInvariant);

    // GNU ld 2.40 starts its lines with its own path (`/usr/bin/ld: main.c:(.text+0x1d): undefined reference to …`); the
    // object is what follows it.
    private const string LinkerPrefix = @"(?:(?<linker>(?:\S*[/\\])?(?:ld|ld\.bfd|ld\.gold|ld\.lld|lld|mold)(?:\.exe)?): )";

    private static readonly Regex LinkerFailure = new(
        "^" + LinkerPrefix + @"?(?<object>[^:]+?|[A-Za-z]:[^:]+?):\(.*\): (?<text>(?:undefined reference|multiple definition).*)$",
        RegexOptions.CultureInvariant);

    // The linker's other lines (`/usr/bin/ld: x.o: undefined reference to symbol 'GOMP_atomic_end@@GOMP_1.0'`, `…: error
    // adding symbols: DSO missing from command line`, `cannot find -lfoo`): the cause of a failed link, while the line that
    // matched an error before, collect2's "ld returned 1 exit status", says nothing about it. Context lines (`in function
    // …`) and warnings stay output.
    private static readonly Regex LinkerLine = new("^" + LinkerPrefix + "(?<text>.*)$", RegexOptions.CultureInvariant);

    private static readonly Regex LinkerErrorText = new(
        @"undefined reference|multiple definition|cannot find|\berror\b", RegexOptions.CultureInvariant);

    private static readonly Regex CMakeBlockStart = new(
        @"^CMake (?<kind>Error|Warning|Deprecation Warning|Warning \(dev\))(?: at (?<file>.+?):(?<line>\d+) \((?<command>[^)]*)\))?:\s*(?<text>.*)$",
        RegexOptions.CultureInvariant);

    private PendingBlock? _block;

    public IEnumerable<ToolEvent> Feed(string line)
    {
        if (_block is not null)
        {
            if (line.Length == 0 || char.IsWhiteSpace(line[0]))
            {
                _block.Add(line);
                yield break;
            }
            // CMake prints errors on stderr and progress on stdout; the two pipes are read apart, so its stdout lines can
            // arrive in the middle of an error block (the last ones, `-- Configuring incomplete…` and `See also "…log".`,
            // race the block's body): they pass through without ending it.
            if (line.StartsWith("-- ", StringComparison.Ordinal) || line.StartsWith("[", StringComparison.Ordinal) ||
                line.StartsWith("See also \"", StringComparison.Ordinal))
            {
                yield return new ToolEvent(ToolEventKind.Message, line);
                yield break;
            }
            foreach (var e in Flush()) yield return e;
        }

        var cmake = CMakeBlockStart.Match(line);
        if (cmake.Success)
        {
            _block = new PendingBlock(
                cmake.Groups["kind"].Value == "Error" ? ToolEventKind.Error : ToolEventKind.Warning,
                cmake.Groups["file"].Success ? cmake.Groups["file"].Value : null,
                cmake.Groups["line"].Success ? int.Parse(cmake.Groups["line"].Value) : 0,
                line);
            _block.AppendText(cmake.Groups["text"].Value);
            yield break;
        }

        var compiler = CompilerDiagnostic.Match(line);
        if (compiler.Success)
        {
            yield return new ToolEvent(
                compiler.Groups["kind"].Value == "warning" ? ToolEventKind.Warning : ToolEventKind.Error,
                compiler.Groups["text"].Value,
                compiler.Groups["file"].Value,
                int.Parse(compiler.Groups["line"].Value),
                compiler.Groups["col"].Success ? int.Parse(compiler.Groups["col"].Value) : 0);
            yield break;
        }

        var linker = LinkerFailure.Match(line);
        if (linker.Success)
        {
            yield return new ToolEvent(ToolEventKind.Error, linker.Groups["text"].Value, linker.Groups["object"].Value);
            yield break;
        }

        var linkerLine = LinkerLine.Match(line);
        if (linkerLine.Success)
        {
            var text = linkerLine.Groups["text"].Value;
            var isError = LinkerErrorText.IsMatch(text) && !text.StartsWith("warning:", StringComparison.Ordinal);
            yield return new ToolEvent(isError ? ToolEventKind.Error : ToolEventKind.Message, isError ? "ld: " + text : line);
            yield break;
        }

        var tool = ToolFailure.Match(line);
        if (tool.Success && tool.Groups["tool"].Value is not ("ninja" or "make" or "gmake"))
        {
            yield return new ToolEvent(ToolEventKind.Error, tool.Groups["tool"].Value + ": " + tool.Groups["text"].Value);
            yield break;
        }

        yield return new ToolEvent(ToolEventKind.Message, line);
    }

    /// <summary>Ends a pending CMake block (at the end of the output, or when a non-indented line follows it).</summary>
    public IEnumerable<ToolEvent> Flush()
    {
        if (_block is null) yield break;
        var block = _block;
        _block = null;
        // CMake's own warnings stay ordinary output (the serial and parallel configures would report them twice);
        // the ones ParaSlm's inject script raises must be seen. They are told apart by where CMake says the warning was
        // raised (the block's file), never by reading a PSLM code back out of the message.
        var surface = block.Kind == ToolEventKind.Error || RaisedByParaSlm(block.File);
        if (surface)
        {
            yield return new ToolEvent(block.Kind, block.Text.Length > 0 ? block.Text : block.RawLines[0], block.File, block.Line);
        }
        else
        {
            foreach (var raw in block.RawLines) yield return new ToolEvent(ToolEventKind.Message, raw);
        }
    }

    /// <summary>The inject script every ParaSlm CMake build loads (targets/cmake, the same name in the package).</summary>
    internal const string InjectScript = "ParaSlmInject.cmake";

    private static bool RaisedByParaSlm(string? file) =>
        file is not null && string.Equals(Path.GetFileName(file), InjectScript, StringComparison.OrdinalIgnoreCase);

    private sealed class PendingBlock
    {
        private readonly StringBuilder _text = new();

        public PendingBlock(ToolEventKind kind, string? file, int line, string firstLine)
        {
            Kind = kind;
            File = file;
            Line = line;
            RawLines.Add(firstLine);
        }

        public ToolEventKind Kind { get; }
        public string? File { get; }
        public int Line { get; }
        public List<string> RawLines { get; } = new();
        public string Text => _text.ToString().Trim();

        public void Add(string line)
        {
            RawLines.Add(line);
            AppendText(line);
        }

        public void AppendText(string line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0) return;
            if (_text.Length > 0) _text.Append(' ');
            _text.Append(trimmed);
        }
    }
}
