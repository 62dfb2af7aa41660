using System.Net;
using AkkaWal.Cli.Serve;

namespace AkkaWal.Loopback;

/// <summary>
/// One `akkawal serve` as a real child process (dotnet akkawal.dll, so kill -9 hits the process holding the files and
/// connections) on a free loopback HTTP port, with a temporary data directory of its own that
/// <see cref="DisposeAsync"/> deletes. The arguments after <c>--data DIR --urls URL</c> are the caller's.
/// </summary>
public class ServeNode(IReadOnlyList<string> args, string description) : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("akkawal-node-").FullName;
    private ServeProcess? _process;

    public HttpClient Http { get; private set; } = new();

    /// <summary>The node's HTTP address (valid once started).</summary>
    public Uri BaseAddress => _process?.BaseAddress ?? throw new InvalidOperationException($"{description} is not started");

    /// <summary>The process id of the running node (for its CPU time).</summary>
    public int ProcessId => _process?.ProcessId ?? throw new InvalidOperationException($"{description} is not started");

    public async Task StartAsync(CancellationToken ct = default)
    {
        _process?.Dispose();
        _process = await ServeProcess.StartAsync(_dataDirectory, args, StartTimeout, ct);
        Http.Dispose();
        Http = new HttpClient { BaseAddress = _process.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>kill -9: no leave, no handover, no flush.</summary>
    public Task KillAsync() => _process!.KillAsync();

    /// <summary>SIGTERM: the node shuts down gracefully (in a cluster: leaves, handing its partitions over) and exits;
    /// returns its exit code.</summary>
    public Task<int> TerminateAsync() => _process!.TerminateAsync(StartTimeout);

    /// <summary>Polls GET /health until it answers 200 (the journal answers; in a cluster, the node is Up and its shard
    /// region ready).</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await Http.GetAsync("/health", ct);
                if (response.StatusCode == HttpStatusCode.OK) return;
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"{description} not healthy within {timeout}: {last}{Environment.NewLine}{_process?.RecentOutput}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_process is not null)
        {
            if (!_process.HasExited) await _process.KillAsync();
            _process.Dispose();
        }
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}
