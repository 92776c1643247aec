using System.Text;
using System.Text.Json;

using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Engine.Diagnostics;

namespace ParaSlm.Engine.Inputs;

/// <summary>Reads a CMake/Clang `compile_commands.json` into per-file libclang arguments.</summary>
public static class CompileCommandsReader
{
    private static readonly HashSet<string> DropWithValue = ["-o", "-MF", "-MT", "-MQ", "--serialize-diagnostics"];
    private static readonly HashSet<string> Drop = ["-c", "-MD", "-MMD", "-MP", "-M", "-MM", "-pipe", "-fcolor-diagnostics", "-fdiagnostics-color", "-Werror"];
    private static readonly string[] PathFlags = ["-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "--sysroot="];

    /// <exception cref="InvalidDataException">The file is not a compile-commands array (message names the problem).</exception>
    public static IReadOnlyList<CompileCommand> Read(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new EngineInputException(Diagnostic.Error("PSLM0006", $"{path}: not valid JSON ({e.Message})"));
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new EngineInputException(Diagnostic.Error("PSLM0006", $"{path}: expected a JSON array of compile commands"));
            var list = new List<CompileCommand>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                var dir = e.TryGetProperty("directory", out var d) ? d.GetString() ?? "." : ".";
                if (!e.TryGetProperty("file", out var f) || f.GetString() is not { } file)
                    throw new EngineInputException(Diagnostic.Error("PSLM0006", $"{path}: an entry has no \"file\""));
                var full = Path.GetFullPath(Path.IsPathRooted(file) ? file : Path.Combine(dir, file));
                IReadOnlyList<string> raw = e.TryGetProperty("arguments", out var a)
                    ? a.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList()
                    : e.TryGetProperty("command", out var c) ? SplitCommand(c.GetString() ?? string.Empty) : [];
                list.Add(new CompileCommand(full, Clean(raw, dir, full), dir) { Compiler = raw.Count > 0 && !raw[0].StartsWith('-') ? raw[0] : null });
            }
            return list;
        }
    }

    /// <summary>Strips the compiler, output and dependency flags and the source itself; absolutizes paths.</summary>
    public static IReadOnlyList<string> Clean(IReadOnlyList<string> raw, string directory, string file)
    {
        var result = new List<string>();
        for (var i = raw.Count > 0 && !raw[0].StartsWith('-') ? 1 : 0; i < raw.Count; i++)
        {
            var a = raw[i];
            if (DropWithValue.Contains(a)) { i++; continue; }
            if (Drop.Contains(a) || a.StartsWith("-o", StringComparison.Ordinal) && a.Length > 2 && !a.StartsWith("-open", StringComparison.Ordinal)) continue;
            if (!a.StartsWith('-') && SameFile(a, directory, file)) continue;
            var flag = PathFlags.FirstOrDefault(p => a.StartsWith(p, StringComparison.Ordinal));
            if (flag is not null)
            {
                if (a.Length == flag.Length && i + 1 < raw.Count)
                {
                    result.Add(a);
                    result.Add(Absolute(raw[++i], directory));
                    continue;
                }
                result.Add(flag + Absolute(a[flag.Length..], directory));
                continue;
            }
            result.Add(a);
        }
        return result;
    }

    private static bool SameFile(string arg, string directory, string file)
    {
        try
        {
            return string.Equals(Path.GetFullPath(Path.IsPathRooted(arg) ? arg : Path.Combine(directory, arg)), file, StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Absolute(string path, string directory) =>
        path.Length == 0 || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

    /// <summary>POSIX-shell-like splitting of a `command` string (quotes and backslash escapes).</summary>
    public static IReadOnlyList<string> SplitCommand(string command)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inArg = false;
        char quote = '\0';
        for (var i = 0; i < command.Length; i++)
        {
            var ch = command[i];
            if (quote != '\0')
            {
                if (ch == quote) quote = '\0';
                else if (ch == '\\' && quote == '"' && i + 1 < command.Length) current.Append(command[++i]);
                else current.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '\'' or '"': quote = ch; inArg = true; break;
                case '\\' when i + 1 < command.Length: current.Append(command[++i]); inArg = true; break;
                case ' ' or '\t' or '\n':
                    if (inArg) { args.Add(current.ToString()); current.Clear(); inArg = false; }
                    break;
                default: current.Append(ch); inArg = true; break;
            }
        }
        if (inArg) args.Add(current.ToString());
        return args;
    }
}
