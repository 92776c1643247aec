using System.Buffers;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace ParaSlm.Reasoner.Cache;

/// <summary>A Redis failure: unreachable, timed out, refused or answered with an error.</summary>
public sealed class RedisCacheException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>One reply of a Redis server (RESP2).</summary>
internal sealed record RespValue(char Type, string? Text, long Integer, byte[]? Bulk, IReadOnlyList<RespValue>? Items)
{
    public bool IsNull => (Type == '$' && Bulk is null) || (Type == '*' && Items is null);

    public string? AsString() => Type switch
    {
        '$' => Bulk is null ? null : Encoding.UTF8.GetString(Bulk),
        '+' => Text,
        ':' => Integer.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}

/// <summary>
/// A minimal Redis client: one TCP (or TLS) connection speaking RESP2, one command at a time, a connect and a command
/// timeout, and one reconnect-and-retry when the connection breaks (every command ParaSlm sends is idempotent).
/// It exists because the package mirror cannot supply StackExchange.Redis's dependencies; ParaSlm needs only
/// GET-style commands on small values, which this covers without pipelining.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable, IDisposable
{
    private readonly RedisEndpoint _endpoint;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private TcpClient? _tcp;
    private Stream? _stream;
    private int _start, _end;
    private bool _disposed;

    private RespConnection(RedisEndpoint endpoint) => _endpoint = endpoint;

    public RedisEndpoint Endpoint => _endpoint;

    /// <exception cref="RedisCacheException">The server cannot be reached, refuses the credentials or does not speak Redis.</exception>
    public static async Task<RespConnection> ConnectAsync(RedisEndpoint endpoint, CancellationToken cancel)
    {
        var c = new RespConnection(endpoint);
        try
        {
            await c.ConnectCoreAsync(cancel).ConfigureAwait(false);
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command (arguments: string, byte[] or long) and returns the reply; an error reply throws.</summary>
    public async Task<RespValue> ExecuteAsync(CancellationToken cancel, params object[] arguments)
    {
        await _gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    if (_stream is null) await ConnectCoreAsync(cancel).ConfigureAwait(false);
                    return await RoundTripAsync(arguments, cancel).ConfigureAwait(false);
                }
                catch (Exception e) when (attempt == 0 && !cancel.IsCancellationRequested && IsConnectionFailure(e))
                {
                    Drop(); // a server restart or an idle timeout: reconnect once
                }
                catch (Exception e) when (!cancel.IsCancellationRequested && IsConnectionFailure(e))
                {
                    Drop();
                    if (e is RedisCacheException) throw; // already says where and what
                    throw new RedisCacheException($"{_endpoint}: {Message(e)}", e);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool IsConnectionFailure(Exception e) => e is IOException or SocketException or OperationCanceledException or TimeoutException
        && e is not RedisCacheException { InnerException: null };

    private static string Message(Exception e) => e is OperationCanceledException or TimeoutException ? "the server did not answer in time" : e.Message;

    private async Task ConnectCoreAsync(CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_endpoint.ConnectTimeout);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            try
            {
                await tcp.ConnectAsync(_endpoint.Host, _endpoint.Port, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new RedisCacheException($"{_endpoint}: no connection within {_endpoint.ConnectTimeout.TotalMilliseconds:F0} ms");
            }
            catch (SocketException e)
            {
                throw new RedisCacheException($"{_endpoint}: {e.Message}", e);
            }
            Stream stream = tcp.GetStream();
            if (_endpoint.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _endpoint.Host }, timeout.Token).ConfigureAwait(false);
                stream = ssl;
            }
            _tcp = tcp;
            _stream = stream;
            _start = _end = 0;
            // The handshake proves that a Redis server (not just any listener) answers and accepts us.
            if (_endpoint.Password is not null)
            {
                object[] auth = _endpoint.User is null ? ["AUTH", _endpoint.Password] : ["AUTH", _endpoint.User, _endpoint.Password];
                await RoundTripAsync(auth, timeout.Token).ConfigureAwait(false);
            }
            if (_endpoint.Database != 0) await RoundTripAsync(["SELECT", (long)_endpoint.Database], timeout.Token).ConfigureAwait(false);
            var pong = await RoundTripAsync(["PING"], timeout.Token).ConfigureAwait(false);
            if (pong.AsString() != "PONG") throw new RedisCacheException($"{_endpoint}: the server does not answer like Redis");
        }
        catch (Exception e) when (e is not RedisCacheException)
        {
            Drop();
            tcp.Dispose();
            if (e is OperationCanceledException && cancel.IsCancellationRequested) throw;
            throw new RedisCacheException($"{_endpoint}: {Message(e)}", e);
        }
        catch
        {
            Drop();
            tcp.Dispose();
            throw;
        }
    }

    private async Task<RespValue> RoundTripAsync(object[] arguments, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_endpoint.CommandTimeout);
        var request = Encode(arguments);
        await _stream!.WriteAsync(request, timeout.Token).ConfigureAwait(false);
        await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        var reply = await ReadValueAsync(timeout.Token).ConfigureAwait(false);
        if (reply.Type == '-') throw new RedisCacheException($"{_endpoint}: the server answered '{reply.Text}'");
        return reply;
    }

    private static byte[] Encode(object[] arguments)
    {
        var w = new ArrayBufferWriter<byte>(256);
        void Ascii(string s) => w.Write(Encoding.ASCII.GetBytes(s));
        Ascii($"*{arguments.Length.ToString(CultureInfo.InvariantCulture)}\r\n");
        foreach (var a in arguments)
        {
            var bytes = a switch
            {
                byte[] b => b,
                string s => Encoding.UTF8.GetBytes(s),
                long l => Encoding.ASCII.GetBytes(l.ToString(CultureInfo.InvariantCulture)),
                int i => Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"unsupported Redis argument {a?.GetType().Name}"),
            };
            Ascii($"${bytes.Length.ToString(CultureInfo.InvariantCulture)}\r\n");
            w.Write(bytes);
            Ascii("\r\n");
        }
        return w.WrittenSpan.ToArray();
    }

    private async Task<RespValue> ReadValueAsync(CancellationToken cancel)
    {
        var line = await ReadLineAsync(cancel).ConfigureAwait(false);
        if (line.Length == 0) throw new IOException("an empty line in the server's reply");
        var type = line[0];
        var rest = line[1..];
        switch (type)
        {
            case '+':
            case '-':
                return new RespValue(type, rest, 0, null, null);
            case ':':
                return new RespValue(type, null, ParseLong(rest), null, null);
            case '$':
            {
                var length = ParseLong(rest);
                if (length < 0) return new RespValue('$', null, 0, null, null);
                var data = new byte[length];
                await ReadExactAsync(data, cancel).ConfigureAwait(false);
                var crlf = new byte[2];
                await ReadExactAsync(crlf, cancel).ConfigureAwait(false);
                return new RespValue('$', null, 0, data, null);
            }
            case '*':
            {
                var count = ParseLong(rest);
                if (count < 0) return new RespValue('*', null, 0, null, null);
                var items = new List<RespValue>((int)Math.Min(count, 4096));
                for (var i = 0; i < count; i++) items.Add(await ReadValueAsync(cancel).ConfigureAwait(false));
                return new RespValue('*', null, 0, null, items);
            }
            default:
                throw new IOException($"the server's reply is not RESP ('{type}')");
        }
    }

    private static long ParseLong(string s) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw new IOException($"'{s}' is not a number in the server's reply");

    private async Task<string> ReadLineAsync(CancellationToken cancel)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (_start == _end) await FillAsync(cancel).ConfigureAwait(false);
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                sb.Append(Encoding.UTF8.GetString(span[..lf]));
                _start += lf + 1;
                if (sb.Length > 0 && sb[^1] == '\r') sb.Length--;
                return sb.ToString();
            }
            sb.Append(Encoding.UTF8.GetString(span));
            _start = _end;
        }
    }

    private async Task ReadExactAsync(byte[] target, CancellationToken cancel)
    {
        var filled = 0;
        while (filled < target.Length)
        {
            if (_start == _end) await FillAsync(cancel).ConfigureAwait(false);
            var n = Math.Min(target.Length - filled, _end - _start);
            Array.Copy(_buffer, _start, target, filled, n);
            _start += n;
            filled += n;
        }
    }

    private async Task FillAsync(CancellationToken cancel)
    {
        var n = await _stream!.ReadAsync(_buffer, cancel).ConfigureAwait(false);
        if (n == 0) throw new IOException("the server closed the connection");
        _start = 0;
        _end = n;
    }

    private void Drop()
    {
        try
        {
            _stream?.Dispose();
            _tcp?.Dispose();
        }
        catch (IOException)
        {
            // closing a broken connection may fail; it is gone either way
        }
        _stream = null;
        _tcp = null;
        _start = _end = 0;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Drop();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
