using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageService.Tests.Imports.Sources;

// A source on loopback that writes its answers byte for byte, for header lines Kestrel refuses to
// send (Content-Length: -5, two different lengths). Each path has one answer; every connection gets
// it and then an orderly close.
public sealed class RawHttpSource : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, byte[]> _answers = new(StringComparer.Ordinal);
    private readonly Task _serving;

    public RawHttpSource()
    {
        _listener.Start();
        Origin = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _serving = ServeAsync();
    }

    public string Origin { get; }

    // headerLines: each line ends in \r\n; the status line and Connection: close are added.
    public string Answer(string path, string headerLines, byte[] body)
    {
        _answers[path] = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n{headerLines}Connection: close\r\n\r\n"), .. body];
        return Origin + path;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = AnswerAsync(socket);
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                var head = new List<byte>();
                var buffer = new byte[4096];
                while (!Encoding.ASCII.GetString([.. head]).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await socket.ReceiveAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    head.AddRange(buffer.AsSpan(0, read));
                }

                var path = Encoding.ASCII.GetString([.. head]).Split(' ')[1];
                var answer = _answers.TryGetValue(path, out var known) ? known : Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                await socket.SendAsync(answer, _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // The client hung up first, or the source is stopping.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
