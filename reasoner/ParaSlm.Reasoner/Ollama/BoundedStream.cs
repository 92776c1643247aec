namespace ParaSlm.Reasoner.Ollama;

/// <summary>
/// The time bound of one HTTP attempt: the request timeout, linked to the caller's token. It keeps running while the
/// body streams, so a server that stalls half-way through an answer times out like one that never answers.
/// </summary>
internal sealed class AttemptScope : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;

    public AttemptScope(TimeSpan timeout, CancellationToken caller)
    {
        Caller = caller;
        _timeout = new CancellationTokenSource(timeout);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timeout.Token);
    }

    public CancellationToken Caller { get; }

    public CancellationToken Token => _linked.Token;

    /// <summary>The request timeout fired (not the caller's cancellation).</summary>
    public bool TimedOut => _timeout.IsCancellationRequested && !Caller.IsCancellationRequested;

    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}

/// <summary>
/// A response body whose reads obey the attempt's <see cref="AttemptScope"/> and whose failures are translated into
/// PSLM31xx errors. OllamaSharp reads streamed lines without a cancellation token; this is what still bounds them.
/// </summary>
internal sealed class BoundedStream(Stream inner, AttemptScope scope, Func<Exception, Exception> translate) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Token) : null;
        try
        {
            return await inner.ReadAsync(buffer, linked?.Token ?? scope.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            if (cancellationToken.IsCancellationRequested) throw;
            throw translate(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            scope.Dispose();
        }
        base.Dispose(disposing);
    }
}
