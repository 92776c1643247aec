using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLama;
using LLama.Common;
using LLama.Sampling;

namespace ParaSlm.InferenceEngine.Tests;

/// <summary>
/// A small server speaking Ollama's HTTP protocol (/api/tags, /api/show, streamed /api/chat) in front of a real
/// inference engine: llama.cpp through LLamaSharp, on the CPU, one inference thread, bound to 127.0.0.1. Request
/// options are honoured as Ollama honours them: seed, temperature, num_predict, num_ctx, stop, and "format" (a JSON
/// Schema becomes a grammar that constrains decoding). One request at a time, as a single Ollama runner does.
/// </summary>
public sealed class LlamaOllamaHost : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly LLamaWeights _weights;
    private readonly ModelParams _params;
    private readonly string _digest;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly Task _loop;

    public LlamaOllamaHost(string modelPath, string modelName, int threads = 1)
    {
        ModelName = modelName;
        Quiet();
        _params = new ModelParams(modelPath) { ContextSize = (uint)StandInModel.Context, Threads = threads, BatchThreads = threads, GpuLayerCount = 0 };
        _weights = LLamaWeights.LoadFromFile(_params);
        _digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(modelPath)));
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>llama.cpp logs every tensor it loads; only its warnings and errors reach the test output.</summary>
    private static void Quiet()
    {
        try
        {
            LLama.Native.NativeLibraryConfig.All.WithLogCallback((level, message) =>
            {
                if (level is LLama.Native.LLamaLogLevel.Warning or LLama.Native.LLamaLogLevel.Error) Console.Error.Write(message);
            });
        }
        catch (InvalidOperationException)
        {
            // The native library is already loaded (a second host in the same process): its logging is set.
        }
    }

    public Uri Endpoint { get; }

    public string ModelName { get; }

    /// <summary>Chat requests answered, and the tokens generated in all.</summary>
    public int Requests { get; private set; }

    public long GeneratedTokens { get; private set; }

    /// <summary>The "options" of the last chat request, as sent.</summary>
    public JsonObject? LastOptions { get; private set; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                var (method, path, body) = await ReadRequestAsync(stream);
                switch (method, path)
                {
                    case ("GET", "/api/tags"):
                        await WriteJsonAsync(stream, TagsJson());
                        break;
                    case ("POST", "/api/show"):
                        await WriteJsonAsync(stream, new JsonObject { ["details"] = Details(), ["model_info"] = new JsonObject { ["general.architecture"] = "llama", ["llama.context_length"] = StandInModel.Context } }.ToJsonString());
                        break;
                    case ("POST", "/api/chat"):
                        await ChatAsync(stream, JsonNode.Parse(body)!.AsObject());
                        break;
                    default:
                        await WriteAsync(stream, 404, "application/json", "{\"error\":\"not found\"}");
                        break;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away (a timeout on its side): nothing to answer.
            }
        }
    }

    private async Task ChatAsync(NetworkStream stream, JsonObject request)
    {
        var model = request["model"]?.GetValue<string>() ?? ModelName;
        if (model != ModelName)
        {
            await WriteAsync(stream, 404, "application/json", $"{{\"error\":\"model '{model}' not found\"}}");
            return;
        }
        var options = request["options"] as JsonObject ?? [];
        LastOptions = (JsonObject)options.DeepClone();
        var prompt = new StringBuilder();
        foreach (var m in request["messages"]!.AsArray())
            prompt.Append(m!["role"]!.GetValue<string>()).Append(": ").Append(m["content"]!.GetValue<string>()).Append('\n');
        prompt.Append("assistant: ");
        string? grammar = request["format"] switch
        {
            JsonObject schema => SchemaGrammar.FromSchema(JsonDocument.Parse(schema.ToJsonString()).RootElement),
            JsonValue v when v.GetValue<string>() == "json" => "root ::= \"{\" [^}]{0,200} \"}\"",
            _ => null,
        };
        var pipeline = new DefaultSamplingPipeline
        {
            Seed = (uint)(options["seed"]?.GetValue<long>() ?? 0),
            Temperature = (float)(options["temperature"]?.GetValue<double>() ?? 0.8),
            Grammar = grammar is null ? null : new Grammar(grammar, "root"),
        };
        var inference = new InferenceParams
        {
            MaxTokens = (int)(options["num_predict"]?.GetValue<long>() ?? 128),
            AntiPrompts = options["stop"] is JsonArray stops ? stops.Select(s => s!.GetValue<string>()).ToList() : [],
            SamplingPipeline = pipeline,
        };

        await _oneAtATime.WaitAsync(_stop.Token);
        try
        {
            await WriteHeadAsync(stream, 200, "application/x-ndjson");
            var clock = Stopwatch.StartNew();
            var executor = new StatelessExecutor(_weights, _params);
            var tokens = 0;
            await foreach (var piece in executor.InferAsync(prompt.ToString(), inference, _stop.Token))
            {
                tokens++;
                await WriteChunkAsync(stream, new JsonObject { ["model"] = model, ["created_at"] = DateTime.UtcNow.ToString("O"), ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = piece }, ["done"] = false }.ToJsonString() + "\n");
            }
            Requests++;
            GeneratedTokens += tokens;
            var ns = clock.Elapsed.Ticks * 100;
            await WriteChunkAsync(stream, new JsonObject
            {
                ["model"] = model, ["created_at"] = DateTime.UtcNow.ToString("O"), ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "" },
                ["done_reason"] = tokens >= inference.MaxTokens ? "length" : "stop", ["done"] = true, ["total_duration"] = ns, ["load_duration"] = 0,
                ["prompt_eval_count"] = _weights.Tokenize(prompt.ToString(), true, false, Encoding.UTF8).Length, ["prompt_eval_duration"] = ns / 2, ["eval_count"] = tokens, ["eval_duration"] = ns / 2,
            }.ToJsonString() + "\n");
            await WriteChunkAsync(stream, string.Empty);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private JsonObject Details() => new() { ["format"] = "gguf", ["family"] = "llama", ["families"] = new JsonArray("llama"), ["parameter_size"] = "0.1M", ["quantization_level"] = "F32" };

    private string TagsJson() => new JsonObject
    {
        ["models"] = new JsonArray(new JsonObject { ["name"] = ModelName, ["model"] = ModelName, ["modified_at"] = "2025-12-05T00:00:00Z", ["size"] = 1, ["digest"] = _digest, ["details"] = Details() }),
    }.ToJsonString();

    private static async Task<(string Method, string Path, string Body)> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0) throw new IOException("connection closed");
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        var first = lines[0].Split(' ');
        var length = lines.Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Select(l => int.Parse(l[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return (first[0], first[1], Encoding.UTF8.GetString(body));
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string type, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {(status == 200 ? "OK" : "Not Found")}\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n"));
        await stream.WriteAsync(bytes);
    }

    private static Task WriteJsonAsync(NetworkStream stream, string json) => WriteAsync(stream, 200, "application/json", json);

    private static async Task WriteHeadAsync(NetworkStream stream, int status, string type) =>
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} OK\r\nContent-Type: {type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));

    private static async Task WriteChunkAsync(NetworkStream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:X}\r\n"));
        await stream.WriteAsync(bytes);
        await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _loop; } catch (OperationCanceledException) { }
        await _oneAtATime.WaitAsync(TimeSpan.FromSeconds(30));
        _weights.Dispose();
        _stop.Dispose();
    }
}
