using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LtxTrainer.Core.Tests.Ingest;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for download tests: each request is answered by the handler with
/// a <see cref="Reply"/> (status, body, optional stall mid-body, optional lying Content-Length).
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int, string, Reply> _handler;
    private readonly Task _loop;
    private int _requests;

    /// <summary>A response; <paramref name="Chunked"/> sends no Content-Length (size unknown until the end).</summary>
    public sealed record Reply(int Status, byte[] Body, TimeSpan StallAfterHalf = default, long? ContentLength = null, bool Chunked = false);

    public LocalHttpServer(Func<int, string, Reply> handler)
    {
        _handler = handler;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{path.TrimStart('/')}?token=secret");

    public int Requests => Volatile.Read(ref _requests);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync(_stop.Token) ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync(_stop.Token)))
                {
                }
                int index = Interlocked.Increment(ref _requests);
                var path = requestLine.Split(' ').ElementAtOrDefault(1) ?? "/";
                var reply = _handler(index, path);
                var length = reply.Chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {reply.ContentLength ?? reply.Body.Length}";
                var head = $"HTTP/1.1 {reply.Status} {(HttpStatusCode)reply.Status}\r\n{length}\r\n" +
                           "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                if (reply.Chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{reply.Body.Length:x}\r\n"), _stop.Token);
                    await stream.WriteAsync(reply.Body, _stop.Token);
                    await stream.WriteAsync("\r\n0\r\n\r\n"u8.ToArray(), _stop.Token);
                    return;
                }
                int half = reply.Body.Length / 2;
                await stream.WriteAsync(reply.Body.AsMemory(0, half), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                if (reply.StallAfterHalf > TimeSpan.Zero) await Task.Delay(reply.StallAfterHalf, _stop.Token);
                await stream.WriteAsync(reply.Body.AsMemory(half), _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client went away (timeouts, size limits): nothing to do.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
