using System.Text;

namespace ParaSlm.InferenceEngine.Tests;

/// <summary>
/// Writes a GGUF v3 file (llama.cpp's model format): a header, typed key/value metadata, tensor descriptions and
/// 32-byte aligned F32 tensor data. Only what a small llama-architecture model needs.
/// </summary>
public sealed class GgufWriter
{
    private const uint Magic = 0x46554747; // "GGUF"
    private const int Alignment = 32;

    private readonly List<(string Key, Action<BinaryWriter> Write)> _metadata = [];
    private readonly List<(string Name, long[] Shape, float[] Data)> _tensors = [];

    public void Add(string key, string value) => _metadata.Add((key, w => { w.Write(8u); Str(w, value); }));

    public void Add(string key, uint value) => _metadata.Add((key, w => { w.Write(4u); w.Write(value); }));

    public void Add(string key, float value) => _metadata.Add((key, w => { w.Write(6u); w.Write(value); }));

    public void Add(string key, IReadOnlyList<string> values) => _metadata.Add((key, w =>
    {
        w.Write(9u); w.Write(8u); w.Write((ulong)values.Count);
        foreach (var v in values) Str(w, v);
    }));

    public void Add(string key, IReadOnlyList<float> values) => _metadata.Add((key, w =>
    {
        w.Write(9u); w.Write(6u); w.Write((ulong)values.Count);
        foreach (var v in values) w.Write(v);
    }));

    public void Add(string key, IReadOnlyList<int> values) => _metadata.Add((key, w =>
    {
        w.Write(9u); w.Write(5u); w.Write((ulong)values.Count);
        foreach (var v in values) w.Write(v);
    }));

    /// <summary>A tensor in ggml's dimension order (ne0 first: the contiguous one).</summary>
    public void AddTensor(string name, long[] shape, float[] data)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != data.Length) throw new ArgumentException($"{name}: shape and data disagree");
        _tensors.Add((name, shape, data));
    }

    public void Write(string path)
    {
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Magic);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, write) in _metadata)
        {
            Str(w, key);
            write(w);
        }
        ulong offset = 0;
        foreach (var (name, shape, data) in _tensors)
        {
            Str(w, name);
            w.Write((uint)shape.Length);
            foreach (var d in shape) w.Write((ulong)d);
            w.Write(0u); // GGML_TYPE_F32
            w.Write(offset);
            offset += Align((ulong)data.Length * 4);
        }
        Pad(w);
        foreach (var (_, _, data) in _tensors)
        {
            foreach (var f in data) w.Write(f);
            Pad(w);
        }
    }

    private static ulong Align(ulong n) => (n + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w)
    {
        w.Flush();
        var pad = (int)(Align((ulong)w.BaseStream.Position) - (ulong)w.BaseStream.Position);
        for (var i = 0; i < pad; i++) w.Write((byte)0);
    }

    private static void Str(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }
}
