namespace ParaSlm.Evaluation;

/// <summary>One kernel of the suite: a self-contained serial program printing `checksum:` and `time:`.</summary>
/// <param name="Expert">The hand-parallelized OpenMP version (&lt;suite&gt;/expert/&lt;name&gt;.&lt;ext&gt;), or null when there is none.</param>
public sealed record Kernel(string Name, string Source, bool IsCxx, string? Expert)
{
    public string Std => IsCxx ? "-std=c++17" : "-std=c11";
}

/// <summary>The kernel suite: every top-level .c/.cpp file (sorted by the suite README's order when it names them, else by name).</summary>
public static class KernelSuite
{
    public static IReadOnlyList<Kernel> Discover(string suite, IReadOnlyList<string>? only)
    {
        var dir = Path.GetFullPath(suite);
        var kernels = Directory.EnumerateFiles(dir)
            .Where(f => Path.GetExtension(f) is ".c" or ".cpp")
            .Select(f =>
            {
                var name = Path.GetFileNameWithoutExtension(f);
                var expert = Path.Combine(dir, "expert", Path.GetFileName(f));
                return new Kernel(name, f, Path.GetExtension(f) == ".cpp", File.Exists(expert) ? expert : null);
            })
            .ToList();
        var order = ReadmeOrder(dir, kernels.Select(k => k.Name));
        kernels = kernels.OrderBy(k => order.IndexOf(k.Name) is var i && i >= 0 ? i : int.MaxValue).ThenBy(k => k.Name, StringComparer.Ordinal).ToList();
        if (only is null) return kernels;
        var unknown = only.Where(o => kernels.All(k => k.Name != o)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"no kernel named {string.Join(", ", unknown)} in {dir} (kernels: {string.Join(", ", kernels.Select(k => k.Name))})");
        return kernels.Where(k => only.Contains(k.Name)).ToList();
    }

    /// <summary>The order in which the suite's README first mentions each kernel's file (e.g. `matmul.c`), so tables follow the documentation.</summary>
    private static List<string> ReadmeOrder(string dir, IEnumerable<string> names)
    {
        var readme = Path.Combine(dir, "README.md");
        if (!File.Exists(readme)) return [];
        var text = File.ReadAllText(readme);
        return names.Select(n => (Name: n, At: Math.Max(text.IndexOf("`" + n + ".c`", StringComparison.Ordinal), text.IndexOf("`" + n + ".cpp`", StringComparison.Ordinal))))
            .Where(x => x.At >= 0).OrderBy(x => x.At).Select(x => x.Name).ToList();
    }
}
