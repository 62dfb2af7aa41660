using System.Net;
using System.Net.Sockets;

namespace AkkaWal.Loopback;

/// <summary>Free TCP ports on 127.0.0.1 for servers started on loopback.</summary>
public static class LoopbackPort
{
    /// <summary>A port free right now; another process can take it before the caller binds it, so callers that can
    /// retry on "address in use" do.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
