using System.Globalization;
using ParaSlm.Analyzer.Diagnostics;
using ParaSlm.Engine;
using ParaSlm.Engine.Diagnostics;
using ParaSlm.Engine.Reporting.AzureDevOps;
using ParaSlm.Validation;

namespace ParaSlm.Cli.Commands;

/// <summary>
/// `paraslm validate --request FILE …`: sanitizer builds and differential runs of the parallel program, bisection of
/// failures to loops, and reverting them (see <see cref="ValidationSession"/>). Arguments may come from a file
/// (`@FILE`, one argument per line), which is how the build passes them.
/// </summary>
public static class ValidateCommand
{
    private static readonly HashSet<string> Options =
    [
        "--request", "--validate", "--runs", "--threads", "--tolerance", "--ignore", "--test-command", "--timeout", "--clang", "--archer", "--project",
        "--cmake-source", "--serial-build", "--parallel-build", "--variant-root", "--cmake", "--cmake-arg", "--build-type", "--generator", "--inject-logic",
        "--msbuild-step", "--program", "--toolset", "--on-failure",
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var p = ParsedArguments.Parse(Expand(args), new HashSet<string>(), Options);
        var path = p.Value("--request") ?? throw new UsageException("validate needs --request FILE");
        if (p.Positionals.Count > 0) throw new UsageException("validate takes no positional arguments");
        EngineRequest request;
        try
        {
            request = EngineRequestFile.Load(path);
        }
        catch (EngineInputException e)
        {
            stderr.WriteLine(DiagnosticText.ForBuild(e.Diagnostic, "paraslm"));
            return CommandLine.InputError;
        }
        if (request.Mode != "Apply")
        {
            stdout.WriteLine("ParaSlm: validation: ParaSlmMode is not Apply, nothing was rewritten, nothing to validate");
            return CommandLine.Ok;
        }
        IReadOnlyList<string> variants;
        try
        {
            variants = ValidationOptions.ParseVariants(p.Value("--validate") ?? request.Validate ?? "all");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        if (variants.Count == 0)
        {
            stdout.WriteLine("ParaSlm: validation: ParaSlmValidate is none, nothing to validate");
            return CommandLine.Ok;
        }
        var options = new ValidationOptions
        {
            Variants = variants,
            Runs = Int(p, "--runs") ?? ValidationOptions.DefaultRuns,
            Threads = Threads(p.Value("--threads")) ?? [2, 4, 8],
            Tolerance = Double(p, "--tolerance") ?? OutputComparer.DefaultTolerance,
            IgnorePattern = p.Value("--ignore"),
            TestCommand = NullIfEmpty(p.Value("--test-command")),
            RunTimeoutSeconds = Double(p, "--timeout"),
            Clang = NullIfEmpty(p.Value("--clang")),
            Archer = NullIfEmpty(p.Value("--archer")),
            Failure = (NullIfEmpty(p.Value("--on-failure")) ?? "error").Trim().ToLowerInvariant() switch
            {
                "error" => "error",
                "warn" or "warning" => "warn",
                var other => throw new UsageException($"--on-failure (ParaSlmValidateFailure) is '{other}'; use error or warn"),
            },
        };
        if (options.Runs < 1) throw new UsageException("--runs must be at least 1");
        if (options.Tolerance < 0) throw new UsageException("--tolerance must not be negative");
        if (options.IgnorePattern is { Length: > 0 } pattern)
        {
            try { _ = new System.Text.RegularExpressions.Regex(pattern); }
            catch (ArgumentException e) { throw new UsageException($"--ignore is not a valid regular expression: {e.Message}"); }
        }

        CMakeSettings? cmake = null;
        MSBuildStepSettings? msbuild = null;
        if (Int(p, "--msbuild-step") is { } step)
        {
            msbuild = new MSBuildStepSettings(step, Full(p.Value("--program") ?? throw new UsageException("--msbuild-step needs --program FILE (the program the build links)")),
                NullIfEmpty(p.Value("--toolset")));
        }
        else
        {
            var source = Full(p.Value("--cmake-source") ?? throw new UsageException("validate needs --cmake-source DIR (CMake projects) or --msbuild-step N (.vcxproj, from the build)"));
            var inject = p.Value("--inject-logic") ?? CMakeSettings.FindInjectLogic();
            if (inject is null || !File.Exists(inject))
                throw new UsageException("the CMake inject logic (targets/cmake/ParaSlmInject.cmake) was not found next to the engine; pass --inject-logic FILE");
            cmake = new CMakeSettings(
                source,
                Full(p.Value("--serial-build") ?? Path.Combine(source, "build", "paraslm-serial")),
                Full(p.Value("--parallel-build") ?? Path.Combine(source, "build", "paraslm")),
                Full(p.Value("--variant-root") ?? Path.Combine(source, "build")),
                Path.Combine(Path.GetFullPath(request.IntermediateDir), "validate"),
                p.Value("--cmake") is { Length: > 0 } c ? (Engine.Tools.ToolProcess.FindOnPath(c) ?? c) : (Engine.Tools.ToolProcess.FindOnPath("cmake") ?? "cmake"),
                Full(inject),
                p.Values("--cmake-arg").SelectMany(SplitCMakeArgs).ToList(),
                NullIfEmpty(p.Value("--build-type")),
                NullIfEmpty(p.Value("--generator")));
        }

        var session = new ValidationSession(new SessionSettings(path, request, options, NullIfEmpty(p.Value("--project")), cmake, msbuild), stdout, stderr,
            AzureDevOpsLog.Create(request.IntermediateDir, stderr));
        try
        {
            return msbuild is not null ? await session.RunStepAsync(cancel) : await session.RunCMakeAsync(cancel);
        }
        catch (ValidationException e)
        {
            // A validation that ran no program must never read as a pass (PSLM5007): an error unless ParaSlmValidateFailure=warn.
            session.Report(new Diagnostic(e.Code, e.Code == "PSLM5007" ? options.FailureSeverity : Severity.Warning, $"validation could not run: {e.Message}"));
            return CommandLine.Ok;
        }
        catch (EngineInputException e)
        {
            stderr.WriteLine(DiagnosticText.ForBuild(e.Diagnostic, "paraslm"));
            return CommandLine.InputError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(DiagnosticText.ForBuild(Diagnostic.Error("PSLM5010", $"validation failed: {e.Message}"), "paraslm"));
            return CommandLine.InputError;
        }
    }

    /// <summary>`@FILE` arguments: one argument per line (empty lines ignored), so the build never has to quote.</summary>
    private static List<string> Expand(IEnumerable<string> args)
    {
        var list = new List<string>();
        foreach (var a in args)
        {
            if (a.Length > 1 && a[0] == '@' && File.Exists(a[1..]))
                list.AddRange(File.ReadAllLines(a[1..]).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0));
            else
                list.Add(a);
        }
        return list;
    }

    /// <summary>ParaSlmCMakeArgs arrives as one string; split it like a shell would (quotes group, no escapes).</summary>
    private static IEnumerable<string> SplitCMakeArgs(string value)
    {
        var current = new System.Text.StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var ch in value)
        {
            if (quote is not null)
            {
                if (ch == quote) quote = null; else current.Append(ch);
                continue;
            }
            if (ch is '"' or '\'') { quote = ch; any = true; continue; }
            if (char.IsWhiteSpace(ch))
            {
                if (current.Length > 0 || any) yield return current.ToString();
                current.Clear();
                any = false;
                continue;
            }
            current.Append(ch);
        }
        if (current.Length > 0 || any) yield return current.ToString();
    }

    private static IReadOnlyList<int>? Threads(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var list = new List<int>();
        foreach (var part in value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 1)
                throw new UsageException($"--threads takes thread counts like 2,4,8, not '{value}'");
            list.Add(n);
        }
        return list;
    }

    private static int? Int(ParsedArguments p, string name)
    {
        var v = p.Value(name);
        if (string.IsNullOrWhiteSpace(v)) return null;
        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"{name} takes a whole number, not '{v}'");
    }

    private static double? Double(ParsedArguments p, string name)
    {
        var v = p.Value(name);
        if (string.IsNullOrWhiteSpace(v)) return null;
        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new UsageException($"{name} takes a number, not '{v}'");
    }

    private static string Full(string path) => Path.GetFullPath(path.TrimEnd('/', '\\').Length == 0 ? path : path.TrimEnd('/', '\\'));

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
