namespace AkkaWal.Loopback;

/// <summary>
/// One `akkawal serve` node in cluster mode, configured exactly as ops do: hocon/examples/cluster-postgres.conf plus
/// --set for the remoting port, the seed nodes and the connection string. Its remoting port stays the same across
/// restarts, so a restarted node comes back at the same address.
/// </summary>
public sealed class ClusterNode(int remotingPort, IEnumerable<int> seedPorts, string connectionString, params string[] extraSettings)
    : ServeNode(Arguments(remotingPort, seedPorts, connectionString, extraSettings), $"node on remoting port {remotingPort}")
{
    /// <summary>hocon/examples/cluster-postgres.conf as the akkawal tool's build copies it beside the binary.</summary>
    public static string ExampleConfigPath => Path.Combine(AppContext.BaseDirectory, "hocon", "examples", "cluster-postgres.conf");

    public int RemotingPort { get; } = remotingPort;

    public static int FreeLoopbackPort() => LoopbackPort.Free();

    private static string[] Arguments(int remotingPort, IEnumerable<int> seedPorts, string connectionString, string[] extraSettings)
    {
        var seeds = string.Join(",", seedPorts.Select(p => $"\"akka.tcp://akkawal@127.0.0.1:{p}\""));
        return
        [
            "--config", ExampleConfigPath,
            "--set", "akka.remote.dot-netty.tcp.hostname=127.0.0.1",
            "--set", $"akka.remote.dot-netty.tcp.port={remotingPort}",
            "--set", $"akka.cluster.seed-nodes=[{seeds}]",
            "--set", $"akkawal.postgres.connection-string=\"{connectionString}\"",
            .. extraSettings.SelectMany(s => new[] { "--set", s }),
        ];
    }
}
