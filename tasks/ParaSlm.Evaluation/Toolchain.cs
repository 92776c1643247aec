namespace ParaSlm.Evaluation;

/// <summary>One compiler family as found on this machine: the C and C++ drivers and the version line, or why it is missing.</summary>
public sealed record Compiler(string Family, string? C, string? Cxx, string? Version, string? Unavailable)
{
    public string? For(Kernel k) => k.IsCxx ? Cxx : C;
}

/// <summary>Finds gcc/g++ and clang/clang++ (clang-19 preferred) and the Polly plugin, for the variants to use.</summary>
public sealed class Toolchain
{
    public const string PollyPlugin = "/usr/lib/llvm-19/lib/LLVMPolly.so";

    private Toolchain(Compiler gcc, Compiler clang)
    {
        Gcc = gcc;
        Clang = clang;
    }

    public Compiler Gcc { get; }

    public Compiler Clang { get; }

    public Compiler Get(string family) => family == "gcc" ? Gcc : Clang;

    public static async Task<Toolchain> DetectAsync(EvaluationOptions options, CancellationToken cancel)
    {
        var gcc = await FindAsync("gcc", options.Gcc is { } g ? [g] : ["gcc"], cancel);
        var clang = await FindAsync("clang", options.Clang is { } c ? [c] : ["clang-19", "clang"], cancel);
        return new Toolchain(gcc, clang);
    }

    private static async Task<Compiler> FindAsync(string family, IReadOnlyList<string> candidates, CancellationToken cancel)
    {
        foreach (var name in candidates)
        {
            var c = ToolProcess.FindOnPath(name);
            if (c is null) continue;
            var cxx = ToolProcess.FindOnPath(CxxDriverFor(c));
            var version = await ProcessRunner.RunAsync(c, ["--version"], null, null, TimeSpan.FromSeconds(30), cancel);
            var line = version.Ok ? version.Stdout.Split('\n')[0].Trim() : null;
            if (line is null) return new Compiler(family, c, cxx, null, $"{c} --version failed: {version.FailureReason()}");
            return new Compiler(family, c, cxx, line, null);
        }
        return new Compiler(family, null, null, null, $"{string.Join(" / ", candidates)} not found (install it or pass --{family} PATH)");
    }

    /// <summary>The C++ driver that belongs to a C driver: gcc-12 → g++-12, clang-19 → clang++-19, cc → c++.</summary>
    public static string CxxDriverFor(string c)
    {
        var dir = Path.GetDirectoryName(c);
        var name = Path.GetFileName(c);
        string cxx;
        if (name.Contains("clang", StringComparison.Ordinal)) cxx = ReplaceLast(name, "clang", "clang++");
        else if (name.Contains("gcc", StringComparison.Ordinal)) cxx = ReplaceLast(name, "gcc", "g++");
        else if (name.EndsWith("cc", StringComparison.Ordinal)) cxx = name[..^2] + "c++";
        else cxx = name + "++";
        return string.IsNullOrEmpty(dir) ? cxx : Path.Combine(dir, cxx);
    }

    private static string ReplaceLast(string s, string what, string with)
    {
        var i = s.LastIndexOf(what, StringComparison.Ordinal);
        return s[..i] + with + s[(i + what.Length)..];
    }
}
