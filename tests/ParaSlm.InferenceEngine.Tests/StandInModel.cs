using System.Globalization;

namespace ParaSlm.InferenceEngine.Tests;

/// <summary>
/// A deterministic stand-in for a small language model, written as GGUF: Llama architecture (the family of
/// llama3.2:1b; Qwen 2.5 and Gemma 3 are close relatives), 2 layers, 64-wide, random weights from a fixed seed.
/// </summary>
/// <remarks>
/// No weights of a real model can be obtained here, so what it says is noise; what it exercises is
/// everything around the weights: a real llama.cpp loading a real GGUF, tokenizing ParaSlm's real prompts, evaluating
/// them (thousands of tokens), sampling with a seed and temperature, and decoding under the grammar of the plan's JSON
/// Schema, exactly as Ollama's structured outputs do. The tokenizer is a SentencePiece-style vocabulary (llama.cpp's
/// "llama" tokenizer): the three special tokens, the 256 byte-fallback tokens, printable ASCII, and the words and
/// punctuation of the plan schema — enough to spell any prompt (bytes) and to write a plan in few tokens. A tiny shape
/// keeps the test quick on 2 cores; the real Gemma 3 tokenizer (262k entries, npm) would make the model 100× larger
/// and the file a download that a fresh machine must not need.
/// </remarks>
public static class StandInModel
{
    public const string Name = "paraslm-standin:tiny";

    public const int Embedding = 64, Layers = 2, Heads = 4, FeedForward = 128, Context = 8192;

    /// <summary>Pieces of the plan's JSON that get tokens of their own (SentencePiece marks a leading space with ▁).</summary>
    private static readonly string[] Pieces =
    [
        "\"parallelize\"", "\"loop_line\"", "\"target\"", "\"private\"", "\"lastprivate\"", "\"reductions\"", "\"collapse\"",
        "\"schedule\"", "\"rationale\"", "\"op\"", "\"var\"", "\"cpu-openmp\"", "\"none\"", "\"static\"", "\"dynamic\"", "\"guided\"",
        "true", "false", "null", "▁the", "▁loop", "▁is", "▁parallel", "▁independent", "▁carried", "▁dependence", "▁of", "▁a",
        "▁for", "▁line", "▁sum", "▁reduction", "▁safe", "for", "int", "double", "float", "return", "void", "const",
    ];

    public static (List<string> Tokens, List<float> Scores, List<int> Types) Vocabulary()
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { 2, 3, 3 }; // UNKNOWN, CONTROL, CONTROL
        for (var b = 0; b < 256; b++)
        {
            tokens.Add(string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>"));
            types.Add(6); // BYTE
        }
        tokens.Add("▁");
        types.Add(1);
        for (var c = 0x21; c <= 0x7e; c++)
        {
            tokens.Add(((char)c).ToString());
            types.Add(1); // NORMAL
        }
        foreach (var p in Pieces)
        {
            tokens.Add(p);
            types.Add(1);
        }
        // SentencePiece merges the highest-scored pair first: longer pieces score higher.
        var scores = tokens.Select((t, i) => types[i] == 1 ? t.Length * 1.0f : 0f).ToList();
        return (tokens, scores, types);
    }

    /// <summary>Writes the model to <paramref name="path"/>; the same seed gives the same bytes.</summary>
    public static void Write(string path, int seed = 20251205)
    {
        var (tokens, scores, types) = Vocabulary();
        var vocab = tokens.Count;
        var g = new GgufWriter();
        g.Add("general.architecture", "llama");
        g.Add("general.name", "ParaSlm stand-in (random weights)");
        g.Add("general.alignment", 32u);
        g.Add("llama.context_length", (uint)Context);
        g.Add("llama.embedding_length", (uint)Embedding);
        g.Add("llama.block_count", (uint)Layers);
        g.Add("llama.feed_forward_length", (uint)FeedForward);
        g.Add("llama.attention.head_count", (uint)Heads);
        g.Add("llama.attention.head_count_kv", (uint)Heads);
        g.Add("llama.rope.dimension_count", (uint)(Embedding / Heads));
        g.Add("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        g.Add("llama.vocab_size", (uint)vocab);
        g.Add("tokenizer.ggml.model", "llama");
        g.Add("tokenizer.ggml.tokens", tokens);
        g.Add("tokenizer.ggml.scores", scores);
        g.Add("tokenizer.ggml.token_type", types);
        g.Add("tokenizer.ggml.unknown_token_id", 0u);
        g.Add("tokenizer.ggml.bos_token_id", 1u);
        g.Add("tokenizer.ggml.eos_token_id", 2u);

        var random = new Random(seed);
        float[] Noise(long n, double scale) => Enumerable.Range(0, (int)n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        float[] Ones(long n) => Enumerable.Repeat(1f, (int)n).ToArray();
        g.AddTensor("token_embd.weight", [Embedding, vocab], Noise((long)Embedding * vocab, 0.5));
        for (var i = 0; i < Layers; i++)
        {
            g.AddTensor($"blk.{i}.attn_norm.weight", [Embedding], Ones(Embedding));
            g.AddTensor($"blk.{i}.attn_q.weight", [Embedding, Embedding], Noise(Embedding * Embedding, 0.1));
            g.AddTensor($"blk.{i}.attn_k.weight", [Embedding, Embedding], Noise(Embedding * Embedding, 0.1));
            g.AddTensor($"blk.{i}.attn_v.weight", [Embedding, Embedding], Noise(Embedding * Embedding, 0.1));
            g.AddTensor($"blk.{i}.attn_output.weight", [Embedding, Embedding], Noise(Embedding * Embedding, 0.1));
            g.AddTensor($"blk.{i}.ffn_norm.weight", [Embedding], Ones(Embedding));
            g.AddTensor($"blk.{i}.ffn_gate.weight", [Embedding, FeedForward], Noise(Embedding * FeedForward, 0.1));
            g.AddTensor($"blk.{i}.ffn_up.weight", [Embedding, FeedForward], Noise(Embedding * FeedForward, 0.1));
            g.AddTensor($"blk.{i}.ffn_down.weight", [FeedForward, Embedding], Noise(FeedForward * Embedding, 0.1));
        }
        g.AddTensor("output_norm.weight", [Embedding], Ones(Embedding));
        g.AddTensor("output.weight", [Embedding, vocab], Noise((long)Embedding * vocab, 0.5));
        g.Write(path);
    }
}
