using System.Net;
using System.Net.Sockets;

namespace ImageService.Tests.Observability;

public static class LoopbackPort
{
    // A port free on 127.0.0.1 now, for a server a test configures before it starts.
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
