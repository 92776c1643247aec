using System.Globalization;
using System.Text.RegularExpressions;

namespace ParaSlm.Engine.Reporting.AzureDevOps;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>One PSLM diagnostic as the engine prints it; <see cref="File"/> is null when it is not about a file.</summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Code, string? File, int Line, int Column, string Message)
{
    // MSBuild's canonical form as the engine and validation print it: `file(l,c): warning PSLMnnnn: text`,
    // `file: warning PSLMnnnn: text`, `ParaSlm: warning PSLMnnnn: text`, `paraslm: error PSLMnnnn: text`.
    private static readonly Regex Canonical = new(
        @"^(?<origin>.*?)(\((?<line>\d+)(,(?<col>\d+))?\))?: (?<sev>warning|error) (?<code>PSLM\d{4}): (?<text>.*)$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    /// <summary>Reads one output line; null for anything that is not a PSLM diagnostic.</summary>
    public static Diagnostic? Parse(string line)
    {
        var m = Canonical.Match(line.TrimEnd('\r'));
        if (!m.Success) return null;
        var origin = m.Groups["origin"].Value.Trim();
        // The tool's own name is not a place.
        var file = origin.Length == 0 || origin.Equals("ParaSlm", StringComparison.OrdinalIgnoreCase) ? null : origin;
        return new Diagnostic(
            m.Groups["sev"].Value == "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            m.Groups["code"].Value,
            file,
            m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture) : 0,
            m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value, CultureInfo.InvariantCulture) : 0,
            m.Groups["text"].Value);
    }
}
