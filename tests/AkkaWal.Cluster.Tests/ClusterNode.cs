using System.Net;
using System.Net.Sockets;
using AkkaWal.Cli.Serve;

namespace AkkaWal.Cluster.Tests;

/// <summary>
/// One `akkawal serve` node in cluster mode as a real child process (dotnet akkawal.dll, so kill -9 hits the process
/// holding the connections), configured exactly as ops do: hocon/examples/cluster-postgres.conf plus --set for the
/// remoting port, the seed nodes and the connection string. HTTP on a free loopback port; its remoting port stays the
/// same across restarts, so a restarted node comes back at the same address.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly TempDirectory _data = new("akkawal-node-");
    private readonly string[] _args;
    private ServeProcess? _process;

    public ClusterNode(int remotingPort, IEnumerable<int> seedPorts, string connectionString, params string[] extraSettings)
    {
        RemotingPort = remotingPort;
        var seeds = string.Join(",", seedPorts.Select(p => $"\"akka.tcp://akkawal@127.0.0.1:{p}\""));
        _args =
        [
            "--config", ClusterPostgresExample.Path,
            "--set", "akka.remote.dot-netty.tcp.hostname=127.0.0.1",
            "--set", $"akka.remote.dot-netty.tcp.port={remotingPort}",
            "--set", $"akka.cluster.seed-nodes=[{seeds}]",
            "--set", $"akkawal.postgres.connection-string=\"{connectionString}\"",
            .. extraSettings.SelectMany(s => new[] { "--set", s }),
        ];
    }

    public int RemotingPort { get; }
    public HttpClient Http { get; private set; } = new();

    public async Task StartAsync()
    {
        _process = await ServeProcess.StartAsync(_data.Path, _args, StartTimeout);
        Http.Dispose();
        Http = new HttpClient { BaseAddress = _process.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>kill -9: no leave, no handover; the others must notice and down this node.</summary>
    public Task KillAsync() => _process!.KillAsync();

    /// <summary>SIGTERM: the node leaves the cluster (handing the pipeline over) and exits; returns its exit code.</summary>
    public Task<int> TerminateAsync() => _process!.TerminateAsync(StartTimeout);

    /// <summary>Polls GET /health until it answers 200 (the node is Up in the cluster and its journal answers).</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await Http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"node on remoting port {RemotingPort} not healthy within {timeout}: {last}{Environment.NewLine}{_process?.RecentOutput}");
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_process is not null)
        {
            if (!_process.HasExited) await _process.KillAsync();
            _process.Dispose();
        }
        _data.Dispose();
    }
}
