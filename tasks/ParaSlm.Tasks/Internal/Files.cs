using System.Text;

namespace ParaSlm.Tasks.Internal;

internal static class Files
{
    /// <summary>The marker that says "ParaSlm created this folder", so clean never deletes a folder it does not own.</summary>
    public const string OwnedMarker = ".paraslm-owned";

    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    /// <summary>Writes only when the content differs, so the file's timestamp (an Input of the next target) moves only on change.</summary>
    public static bool WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path, Utf8) == text) return false;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text, Utf8);
        if (File.Exists(path)) File.Delete(path);
        File.Move(temporary, path);
        return true;
    }

    public static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        return IsWindows ? full.Replace('/', '\\').ToUpperInvariant() : full;
    }

    public static bool IsWindows => Path.DirectorySeparatorChar == '\\';

    /// <summary>Finds an executable on PATH the way a shell would (PATHEXT on Windows).</summary>
    public static string? FindOnPath(string name)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        var extensions = IsWindows
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';').Prepend(string.Empty)
            : new[] { string.Empty };
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (directory.Length == 0) continue;
            foreach (var extension in extensions)
            {
                string candidate;
                try
                {
                    candidate = Path.Combine(directory.Trim('"'), name + extension);
                }
                catch (ArgumentException)
                {
                    continue; // a malformed PATH entry is not our problem
                }
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
