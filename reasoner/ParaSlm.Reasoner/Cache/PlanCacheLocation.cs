namespace ParaSlm.Reasoner.Cache;

/// <summary>Where the default per-user SQLite cache lives.</summary>
public static class PlanCacheLocation
{
    public const string FileName = "plans.db";

    /// <summary>
    /// The per-user cache folder, following each platform's convention so that system cleaners know it is a cache:
    /// `%LOCALAPPDATA%\ParaSlm` on Windows, `~/Library/Caches/ParaSlm` on macOS, `$XDG_CACHE_HOME/paraslm` or
    /// `~/.cache/paraslm` elsewhere (a per-user folder under the temp directory when there is no home).
    /// </summary>
    public static string DefaultDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(local.Length > 0 ? local : Path.GetTempPath(), "ParaSlm");
        }
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS() && home.Length > 0) return Path.Combine(home, "Library", "Caches", "ParaSlm");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        // The XDG spec says relative values are invalid and must be ignored.
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "paraslm");
        if (home.Length > 0) return Path.Combine(home, ".cache", "paraslm");
        return Path.Combine(Path.GetTempPath(), "paraslm-" + Environment.UserName);
    }

    public static string DefaultPath() => Path.Combine(DefaultDirectory(), FileName);

    /// <summary>
    /// The SQLite file a spec names: the default for null/empty, `plans.db` inside a folder (an existing one, or a
    /// path ending with a separator), else the path itself (`sqlite:` / `file:` prefixes allowed).
    /// </summary>
    public static string ResolveSqlitePath(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return DefaultPath();
        var path = spec.Trim();
        if (path.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)) path = path["sqlite:".Length..];
        else if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) path = path["file:".Length..];
        if (path.StartsWith("~/", StringComparison.Ordinal) || path == "~")
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty);
        if (path.Length == 0) return DefaultPath();
        if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar) || Directory.Exists(path))
            return Path.GetFullPath(Path.Combine(path, FileName));
        return Path.GetFullPath(path);
    }
}
