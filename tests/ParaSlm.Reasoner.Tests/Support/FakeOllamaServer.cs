using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ParaSlm.Reasoner.Ollama;

namespace ParaSlm.Reasoner.Tests.Support;

/// <summary>
/// A loopback HTTP/1.1 server that speaks Ollama's API (/api/chat streaming NDJSON, /api/tags, /api/show,
/// /api/version, GET /) with scripted answers, and records every request. Raw sockets rather than HttpListener or
/// Kestrel, so a test can script what a real server does when it fails: reset the connection mid-stream, end a stream
/// without "done", or accept a request and never answer.
/// </summary>
/// <remarks>
/// Chat answers, in order of precedence: a 404 when <see cref="RejectUnknownModels"/> is set and the model is not in
/// <see cref="Models"/>; the next queued reply (<see cref="EnqueueChat(string)"/> and friends); the
/// <see cref="OnChat(Func{ChatRequestRecord, ScriptedReply})"/> responder; otherwise a 400 whose error says that no reply
/// was scripted (a 4xx, so the client does not retry it and the test fails at once with that text).
/// Every connection is closed after one exchange ("Connection: close").
/// </remarks>
public sealed class FakeOllamaServer : IAsyncDisposable, IDisposable
{
    public const string ChatPath = "/api/chat";
    public const string TagsPath = "/api/tags";
    public const string ShowPath = "/api/show";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<ChatRequestRecord> _chatRequests = [];
    private readonly Dictionary<string, Queue<ScriptedReply>> _queues = new(StringComparer.Ordinal);
    private readonly List<Task> _handlers = [];
    private readonly List<Socket> _sockets = [];
    private Func<ChatRequestRecord, ScriptedReply>? _chatResponder;
    private int _disposed;

    private FakeOllamaServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Starts a server on 127.0.0.1 and a free port.</summary>
    public static FakeOllamaServer Start() => new();

    /// <summary>A loopback address where nothing listens (for connection-refused tests).</summary>
    public static Uri UnusedEndpoint()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The server's base address, e.g. http://127.0.0.1:54321/.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// The installed models, served by /api/tags and /api/show. Starts with qwen2.5:1.5b, llama3.2:1b and gemma3:1b.
    /// Change it before issuing requests (it is read under the server's lock, but not written under it).
    /// </summary>
    public List<FakeModel> Models { get; } = [FakeModel.Qwen25_1_5B, FakeModel.Llama32_1B, FakeModel.Gemma3_1B];

    /// <summary>Answer chat requests for models not in <see cref="Models"/> with Ollama's 404, as a real server does.</summary>
    public bool RejectUnknownModels { get; set; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    /// <summary>Every /api/chat request received, in order: the model calls.</summary>
    public IReadOnlyList<ChatRequestRecord> ChatRequests
    {
        get { lock (_gate) return [.. _chatRequests]; }
    }

    public int RequestCount
    {
        get { lock (_gate) return _requests.Count; }
    }

    /// <summary>How many model calls (POST /api/chat, retries included) were made.</summary>
    public int ChatRequestCount
    {
        get { lock (_gate) return _chatRequests.Count; }
    }

    /// <summary>The last chat request; fails when there was none.</summary>
    public ChatRequestRecord LastChatRequest
    {
        get
        {
            lock (_gate)
                return _chatRequests.Count > 0 ? _chatRequests[^1] : throw new InvalidOperationException("No chat request was received.");
        }
    }

    /// <summary>Chat replies queued and not yet used.</summary>
    public int PendingChatReplies
    {
        get { lock (_gate) return _queues.TryGetValue(ChatPath, out var q) ? q.Count : 0; }
    }

    /// <summary>Requests received for one path (e.g. "/api/tags").</summary>
    public int CountRequests(string path)
    {
        lock (_gate) return _requests.Count(r => r.Path == path);
    }

    /// <summary>Queues a complete streamed answer with this content (split into a few chunks).</summary>
    public void EnqueueChat(string content) => EnqueueChat(ScriptedReply.Chat(content));

    /// <summary>Queues a complete streamed answer with exactly these chunks.</summary>
    public void EnqueueChatChunks(params string[] chunks) => EnqueueChat(ScriptedReply.Chunks(chunks));

    /// <summary>Queues <paramref name="reply"/> for the next <paramref name="times"/> chat requests.</summary>
    public void EnqueueChat(ScriptedReply reply, int times = 1) => Enqueue(ChatPath, reply, times);

    /// <summary>Queues <paramref name="reply"/> for the next <paramref name="times"/> requests to <paramref name="path"/> (overrides the built-in /api/tags, /api/show).</summary>
    public void Enqueue(string path, ScriptedReply reply, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(reply);
        lock (_gate)
        {
            if (!_queues.TryGetValue(path, out var q)) _queues[path] = q = new Queue<ScriptedReply>();
            for (var i = 0; i < times; i++) q.Enqueue(reply);
        }
    }

    /// <summary>Answers chat requests that have no queued reply, from the request (e.g. by prompt content or call number).</summary>
    public void OnChat(Func<ChatRequestRecord, ScriptedReply> responder)
    {
        lock (_gate) _chatResponder = responder;
    }

    /// <summary>Answers chat requests that have no queued reply with a complete answer whose content is computed from the request.</summary>
    public void OnChat(Func<ChatRequestRecord, string> contentResponder)
    {
        ArgumentNullException.ThrowIfNull(contentResponder);
        OnChat(r => ScriptedReply.Chat(contentResponder(r)));
    }

    /// <summary>Forgets recorded requests, queued replies and the chat responder (keeps <see cref="Models"/>).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _chatRequests.Clear();
            _queues.Clear();
            _chatResponder = null;
        }
    }

    /// <summary>Client options pointing at this server; retries back off 10 ms so retry tests stay fast.</summary>
    public OllamaClientOptions ClientOptions(string model = OllamaClientOptions.DefaultModel) => new()
    {
        Endpoint = Endpoint,
        Model = model,
        RetryBackoff = TimeSpan.FromMilliseconds(10),
    };

    /// <summary>A client for this server (its own HttpClient, disposed with it). <paramref name="options"/>' endpoint is replaced by this server's.</summary>
    public OllamaChatClient CreateClient(OllamaClientOptions? options = null) =>
        new((options ?? ClientOptions()) with { Endpoint = Endpoint });

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Task[] handlers;
        lock (_gate)
        {
            foreach (var s in _sockets) s.Dispose();
            handlers = [.. _handlers];
        }
        try
        {
            await Task.WhenAll([_acceptLoop, .. handlers]).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException or TimeoutException)
        {
            // Shutting down: connections cut on purpose.
        }
        _stop.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // ---- connection handling --------------------------------------------------------------------------------

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_gate)
            {
                _sockets.Add(socket);
                _handlers.Add(Task.Run(() => HandleAsync(socket)));
            }
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var request = await ReadRequestAsync(stream, _stop.Token).ConfigureAwait(false);
            if (request is null) return;
            var (reply, chat) = Route(request);
            await WriteReplyAsync(socket, stream, reply, chat, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away (timeout, cancellation) or the server is shutting down.
        }
        finally
        {
            lock (_gate) _sockets.Remove(socket);
            socket.Dispose();
        }
    }

    private (ScriptedReply Reply, ChatRequestRecord? Chat) Route(RecordedRequest request)
    {
        lock (_gate)
        {
            request = request with { Sequence = _requests.Count + 1 };
            _requests.Add(request);
            ChatRequestRecord? chat = null;
            if (request.Path == ChatPath && request.Method == "POST")
            {
                chat = ChatRequestRecord.From(_chatRequests.Count + 1, request);
                _chatRequests.Add(chat);
                if (RejectUnknownModels && !Models.Any(m => m.Name == chat.Model))
                    return (ScriptedReply.ModelNotFound(chat.Model), chat);
            }

            if (_queues.TryGetValue(request.Path, out var q) && q.Count > 0) return (q.Dequeue(), chat);

            if (chat is not null)
            {
                return (_chatResponder?.Invoke(chat)
                    ?? ScriptedReply.Error(400, $"FakeOllamaServer: no scripted reply for chat request #{chat.Number}"), chat);
            }

            return request.Path switch
            {
                TagsPath => (ScriptedReply.JsonBody(TagsJson()), null),
                ShowPath => (ShowReply(request), null),
                "/api/version" => (ScriptedReply.JsonBody("{\"version\":\"0.12.0\"}"), null),
                "/" => (ScriptedReply.Status(200, "Ollama is running"), null),
                _ => (ScriptedReply.Status(404, "404 page not found"), null),
            };
        }
    }

    private string TagsJson()
    {
        var models = new JsonArray();
        foreach (var m in Models)
        {
            models.Add(new JsonObject
            {
                ["name"] = m.Name,
                ["model"] = m.Name,
                ["modified_at"] = m.ModifiedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "01" + m.ModifiedAt.ToString("zzz", CultureInfo.InvariantCulture),
                ["size"] = m.Size,
                ["digest"] = m.Digest,
                ["details"] = Details(m),
            });
        }
        return new JsonObject { ["models"] = models }.ToJsonString();
    }

    private ScriptedReply ShowReply(RecordedRequest request)
    {
        string? name = null;
        if (request.Json is { ValueKind: JsonValueKind.Object } body)
        {
            if (body.TryGetProperty("model", out var m)) name = m.GetString();
            else if (body.TryGetProperty("name", out var n)) name = n.GetString();
        }
        var model = Models.FirstOrDefault(x => x.Name == name);
        if (model is null) return ScriptedReply.Error(404, $"model '{name}' not found");
        var show = new JsonObject
        {
            ["modelfile"] = $"FROM {model.Name}\nTEMPLATE \"\"\"{model.Template}\"\"\"",
            ["parameters"] = "stop                           \"<|im_start|>\"\nstop                           \"<|im_end|>\"",
            ["template"] = model.Template,
            ["details"] = Details(model),
            ["model_info"] = new JsonObject
            {
                ["general.architecture"] = model.Family,
                ["general.parameter_count"] = 1_543_714_304,
                [model.Family + ".context_length"] = model.ContextLength,
                [model.Family + ".embedding_length"] = 1536,
            },
            ["capabilities"] = new JsonArray("completion"),
            ["modified_at"] = model.ModifiedAt.ToString("o", CultureInfo.InvariantCulture),
        };
        return ScriptedReply.JsonBody(show.ToJsonString());
    }

    private static JsonObject Details(FakeModel m) => new()
    {
        ["parent_model"] = string.Empty,
        ["format"] = "gguf",
        ["family"] = m.Family,
        ["families"] = new JsonArray(m.Family),
        ["parameter_size"] = m.ParameterSize,
        ["quantization_level"] = m.QuantizationLevel,
    };

    // ---- HTTP/1.1 wire --------------------------------------------------------------------------------------

    private static async Task<RecordedRequest?> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var reader = new ByteReader(stream);
        var requestLine = await reader.ReadLineAsync(ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(requestLine)) return null;
        var parts = requestLine.Split(' ');
        if (parts.Length < 2) return null;

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        byte[] body;
        if (headers.TryGetValue("Content-Length", out var lengthText) && int.TryParse(lengthText, CultureInfo.InvariantCulture, out var length))
        {
            body = await reader.ReadExactAsync(length, ct).ConfigureAwait(false);
        }
        else if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var all = new MemoryStream();
            while (true)
            {
                var sizeLine = await reader.ReadLineAsync(ct).ConfigureAwait(false) ?? string.Empty;
                var size = int.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { Length: > 0 }) { }
                    break;
                }
                all.Write(await reader.ReadExactAsync(size, ct).ConfigureAwait(false));
                await reader.ReadLineAsync(ct).ConfigureAwait(false);
            }
            body = all.ToArray();
        }
        else
        {
            body = [];
        }

        var text = Encoding.UTF8.GetString(body);
        JsonElement? json = null;
        if (text.Length > 0)
        {
            try
            {
                json = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // Recorded as text; a test can assert on it.
            }
        }

        var target = parts[1];
        var query = target.IndexOf('?');
        var path = query >= 0 ? target[..query] : target;
        // The sequence number is given under the lock when the request is recorded (Route).
        return new RecordedRequest(0, parts[0], path, headers, text, json, DateTimeOffset.UtcNow);
    }

    private async Task WriteReplyAsync(Socket socket, Stream stream, ScriptedReply reply, ChatRequestRecord? chat, CancellationToken ct)
    {
        if (reply.NeverAnswers)
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            return;
        }
        if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, ct).ConfigureAwait(false);

        var model = chat?.Model is { Length: > 0 } m ? m : "unknown";
        if (reply.Lines is { } lines && chat is { Stream: false } && reply.StatusCode == 200)
        {
            // A client that asked for stream:false gets the single object a real server sends.
            await WriteWholeAsync(stream, 200, "application/json; charset=utf-8", MergeNonStreamed(lines, model), ct).ConfigureAwait(false);
            return;
        }

        if (reply.Lines is null)
        {
            await WriteWholeAsync(stream, reply.StatusCode, reply.ContentType, reply.Body ?? string.Empty, ct).ConfigureAwait(false);
            return;
        }

        await WriteAsciiAsync(stream, StatusLine(reply.StatusCode)
            + $"Content-Type: {reply.ContentType}\r\nDate: {DateTime.UtcNow:R}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n", ct).ConfigureAwait(false);
        foreach (var line in reply.Lines)
        {
            if (reply.LineDelay > TimeSpan.Zero) await Task.Delay(reply.LineDelay, ct).ConfigureAwait(false);
            var data = Encoding.UTF8.GetBytes(Render(line, model) + "\n");
            await WriteAsciiAsync(stream, data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n", ct).ConfigureAwait(false);
            await stream.WriteAsync(data, ct).ConfigureAwait(false);
            await WriteAsciiAsync(stream, "\r\n", ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }

        switch (reply.End)
        {
            case StreamEnd.Complete:
                await WriteAsciiAsync(stream, "0\r\n\r\n", ct).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);
                break;
            case StreamEnd.Abort:
                // Linger 0 makes Close send RST: the client sees a reset, not a clean end.
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
                break;
            case StreamEnd.Hang:
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                break;
        }
    }

    private static async Task WriteWholeAsync(Stream stream, int status, string contentType, string body, CancellationToken ct)
    {
        var data = Encoding.UTF8.GetBytes(body);
        await WriteAsciiAsync(stream, StatusLine(status)
            + $"Content-Type: {contentType}\r\nDate: {DateTime.UtcNow:R}\r\nContent-Length: {data.Length}\r\nConnection: close\r\n\r\n", ct).ConfigureAwait(false);
        await stream.WriteAsync(data, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    private static string StatusLine(int status) =>
        $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\n";

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };

    private static Task WriteAsciiAsync(Stream stream, string text, CancellationToken ct) =>
        stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct).AsTask();

    private static string CreatedAt() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);

    private static string Render(ScriptedLine line, string model) => line switch
    {
        ContentLine c => new JsonObject
        {
            ["model"] = model,
            ["created_at"] = CreatedAt(),
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = c.Text },
            ["done"] = false,
        }.ToJsonString(),
        DoneLine d => new JsonObject
        {
            ["model"] = model,
            ["created_at"] = CreatedAt(),
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = string.Empty },
            ["done_reason"] = d.DoneReason,
            ["done"] = true,
            ["total_duration"] = d.TotalDurationNs,
            ["load_duration"] = d.TotalDurationNs / 10,
            ["prompt_eval_count"] = d.PromptEvalCount,
            ["prompt_eval_duration"] = d.TotalDurationNs / 5,
            ["eval_count"] = d.EvalCount,
            ["eval_duration"] = d.TotalDurationNs / 2,
        }.ToJsonString(),
        ErrorLine e => new JsonObject { ["error"] = e.Message }.ToJsonString(),
        RawLine r => r.Text,
        _ => throw new InvalidOperationException($"Unknown scripted line {line}"),
    };

    private static string MergeNonStreamed(IReadOnlyList<ScriptedLine> lines, string model)
    {
        var content = string.Concat(lines.OfType<ContentLine>().Select(c => c.Text));
        if (lines.OfType<ErrorLine>().FirstOrDefault() is { } error) return Render(error, model);
        var done = lines.OfType<DoneLine>().FirstOrDefault() ?? (DoneLine)ScriptedLine.Done();
        var merged = JsonNode.Parse(Render(done, model))!.AsObject();
        merged["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content };
        return merged.ToJsonString();
    }

    /// <summary>Buffered reads of CRLF lines and exact byte counts from a network stream.</summary>
    private sealed class ByteReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _pos;
        private int _len;

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_pos == _len && !await FillAsync(ct).ConfigureAwait(false))
                    return line.Length == 0 ? null : Encoding.ASCII.GetString(line.ToArray());
                var b = _buffer[_pos++];
                if (b == (byte)'\n')
                {
                    var bytes = line.ToArray();
                    var n = bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length;
                    return Encoding.ASCII.GetString(bytes, 0, n);
                }
                line.WriteByte(b);
                if (line.Length > 64 * 1024) throw new IOException("Header line too long.");
            }
        }

        public async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_pos == _len && !await FillAsync(ct).ConfigureAwait(false)) throw new IOException("The request body ended early.");
                var n = Math.Min(count - filled, _len - _pos);
                Array.Copy(_buffer, _pos, result, filled, n);
                _pos += n;
                filled += n;
            }
            return result;
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            _len = await stream.ReadAsync(_buffer, ct).ConfigureAwait(false);
            _pos = 0;
            return _len > 0;
        }
    }
}
