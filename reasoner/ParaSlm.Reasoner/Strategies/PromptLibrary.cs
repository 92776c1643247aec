using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ParaSlm.Reasoner.Strategies;

/// <summary>
/// One versioned prompt file (`Prompts/&lt;name&gt;.md`): a first line `version: N`, then sections, each opened by a line
/// `=== section-name ===`. Placeholders are written `{{name}}`.
/// </summary>
/// <param name="Name">The strategy the file belongs to (the file name without `.md`).</param>
/// <param name="Version">The `version:` line; bump it whenever the text changes, since it is part of every plan's identity.</param>
/// <param name="Sections">Section name → text, in file order.</param>
/// <param name="ContentHash">SHA-256 of the file's text (hex, lower case): lets a test catch an edit made without a version bump.</param>
public sealed partial record PromptTemplate(string Name, int Version, IReadOnlyList<KeyValuePair<string, string>> Sections, string ContentHash)
{
    /// <summary>`name@version`, e.g. `few-shot@1`.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Name}@{Version}");

    public bool Has(string section) => Sections.Any(s => s.Key == section);

    /// <summary>A section's raw text.</summary>
    /// <exception cref="KeyNotFoundException">The file has no such section.</exception>
    public string Section(string section) =>
        Sections.FirstOrDefault(s => s.Key == section) is { Key: not null } found
            ? found.Value
            : throw new KeyNotFoundException($"prompt {Id} has no section '{section}' (it has: {string.Join(", ", Sections.Select(s => s.Key))})");

    /// <summary>
    /// A section with its placeholders filled in one pass: values are inserted verbatim and never scanned again,
    /// so a `{{facts}}` written in the user's source stays text.
    /// </summary>
    /// <exception cref="InvalidOperationException">The section uses a placeholder <paramref name="values"/> does not give (a bug, not an input error).</exception>
    public string Render(string section, IReadOnlyDictionary<string, string> values)
    {
        var text = Section(section);
        var missing = Placeholder().Matches(text).Select(m => m.Groups[1].Value).Where(p => !values.ContainsKey(p)).Distinct().ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"prompt {Id}, section '{section}', uses {string.Join(", ", missing.Select(m => "{{" + m + "}}"))}, which the strategy does not provide");
        return Placeholder().Replace(text, m => values[m.Groups[1].Value]);
    }

    /// <summary>The placeholders a section uses, in order of first use.</summary>
    public IReadOnlyList<string> PlaceholdersOf(string section) =>
        Placeholder().Matches(Section(section)).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>Parses a prompt file's text.</summary>
    /// <exception cref="FormatException">No `version: N` first line, no sections, or a section named twice.</exception>
    public static PromptTemplate Parse(string name, string text)
    {
        var normalized = text.Replace("\r\n", "\n");
        var lines = normalized.Split('\n');
        var version = VersionLine().Match(lines[0]);
        if (!version.Success)
            throw new FormatException($"prompt '{name}': the first line must be `version: N`, not `{lines[0]}`");
        var sections = new List<KeyValuePair<string, string>>();
        string? current = null;
        var body = new StringBuilder();
        void Close()
        {
            if (current is null) return;
            if (sections.Any(s => s.Key == current)) throw new FormatException($"prompt '{name}': section '{current}' appears twice");
            sections.Add(new(current, body.ToString().Trim('\n')));
        }
        foreach (var line in lines.Skip(1))
        {
            var header = SectionLine().Match(line);
            if (header.Success)
            {
                Close();
                current = header.Groups[1].Value;
                body.Clear();
            }
            else if (current is not null)
            {
                body.Append(line).Append('\n');
            }
            else if (line.Trim().Length > 0)
            {
                throw new FormatException($"prompt '{name}': text before the first `=== section ===` line: `{line}`");
            }
        }
        Close();
        if (sections.Count == 0) throw new FormatException($"prompt '{name}' has no `=== section ===`");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
        return new PromptTemplate(name, int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture), sections, hash);
    }

    [GeneratedRegex(@"\{\{([a-z0-9_\-]+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^version:\s*(\d+)\s*$")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^===\s*([a-z0-9\-]+)\s*===\s*$")]
    private static partial Regex SectionLine();
}

/// <summary>
/// The prompt files, loaded from the embedded resources `ParaSlm.Reasoner.Prompts.&lt;name&gt;.md` (see the csproj):
/// prompts are versioned files reviewed like code, not strings scattered in it.
/// </summary>
public sealed class PromptLibrary
{
    private const string ResourcePrefix = "ParaSlm.Reasoner.Prompts.";
    private readonly IReadOnlyDictionary<string, PromptTemplate> _templates;

    public PromptLibrary(IEnumerable<PromptTemplate> templates)
    {
        var d = new Dictionary<string, PromptTemplate>(StringComparer.Ordinal);
        foreach (var t in templates)
            if (!d.TryAdd(t.Name, t)) throw new ArgumentException($"two prompt files are named '{t.Name}'", nameof(templates));
        _templates = d;
    }

    /// <summary>The prompts shipped in this assembly.</summary>
    public static PromptLibrary Embedded() => FromAssembly(typeof(PromptLibrary).Assembly);

    /// <summary>The prompts embedded in an assembly under `ParaSlm.Reasoner.Prompts.*.md`.</summary>
    public static PromptLibrary FromAssembly(Assembly assembly)
    {
        var templates = new List<PromptTemplate>();
        foreach (var resource in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".md", StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"embedded prompt {resource} cannot be read");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            templates.Add(PromptTemplate.Parse(resource[ResourcePrefix.Length..^".md".Length], reader.ReadToEnd()));
        }
        return new PromptLibrary(templates);
    }

    /// <summary>Names of the loaded prompt files, sorted.</summary>
    public IReadOnlyList<string> Names => _templates.Keys.Order(StringComparer.Ordinal).ToList();

    /// <exception cref="KeyNotFoundException">No prompt file of that name.</exception>
    public PromptTemplate Get(string name) =>
        _templates.TryGetValue(name, out var t)
            ? t
            : throw new KeyNotFoundException($"no prompt file '{name}.md' (there are: {string.Join(", ", Names)})");

    /// <summary>`name@version` of a prompt, e.g. `few-shot@1`.</summary>
    public string VersionOf(string name) => Get(name).Id;
}
