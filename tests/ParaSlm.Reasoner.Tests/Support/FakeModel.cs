using System.Security.Cryptography;
using System.Text;

namespace ParaSlm.Reasoner.Tests.Support;

/// <summary>
/// A model the fake server "has": listed by /api/tags, described by /api/show. The digest is derived from the name,
/// so it is stable across runs and distinct per model (like a real sha256 digest, without the weights).
/// </summary>
public sealed record FakeModel(
    string Name,
    string Digest,
    long Size,
    string Family,
    string ParameterSize,
    string QuantizationLevel,
    int ContextLength,
    string Template,
    DateTimeOffset ModifiedAt)
{
    public static FakeModel Qwen25_1_5B => Create("qwen2.5:1.5b", "qwen2", "1.5B", 986_061_892, 32768);

    public static FakeModel Llama32_1B => Create("llama3.2:1b", "llama", "1.2B", 1_321_098_329, 131072);

    public static FakeModel Gemma3_1B => Create("gemma3:1b", "gemma3", "999.89M", 815_319_791, 32768);

    /// <summary>A model with a digest derived from its name; Q4_K_M like most Ollama library tags.</summary>
    public static FakeModel Create(string name, string family = "qwen2", string parameterSize = "1.5B", long size = 1_000_000_000, int contextLength = 32768) =>
        new(name, DigestOf(name), size, family, parameterSize, "Q4_K_M", contextLength,
            "{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}<|im_start|>user\n{{ .Prompt }}<|im_end|>\n<|im_start|>assistant\n",
            new DateTimeOffset(2025, 1, 15, 10, 30, 0, TimeSpan.FromHours(1)));

    /// <summary>The same model re-pulled: same name, new weights, new digest.</summary>
    public FakeModel Repulled(string revision = "2") => this with { Digest = DigestOf(Name + "@" + revision) };

    /// <summary>sha256 of the text, lower-case hex, as /api/tags writes digests.</summary>
    public static string DigestOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
