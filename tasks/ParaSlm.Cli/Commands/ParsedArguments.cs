namespace ParaSlm.Cli.Commands;

/// <summary>
/// A small, strict argument parser: positionals, `--flag`, `--option VALUE` (repeatable), and everything
/// after `--` passed through untouched as compiler arguments.
/// </summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];
    public List<string> Passthrough { get; } = [];

    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> options)
    {
        var p = new ParsedArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--") { p.Passthrough.AddRange(args.Skip(i + 1)); break; }
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var name = a;
                string? inline = null;
                var eq = a.IndexOf('=');
                if (eq > 0) { name = a[..eq]; inline = a[(eq + 1)..]; }
                if (flags.Contains(name) && inline is null) { p._flags.Add(name); continue; }
                if (!options.Contains(name)) throw new UsageException($"unknown option '{name}'");
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"option '{name}' needs a value"));
                if (!p._options.TryGetValue(name, out var list)) p._options[name] = list = [];
                list.Add(value);
                continue;
            }
            p.Positionals.Add(a);
        }
        return p;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Value(string option) => _options.TryGetValue(option, out var l) ? l[^1] : null;

    public IReadOnlyList<string> Values(string option) => _options.TryGetValue(option, out var l) ? l : [];
}
