using System.Diagnostics;
using System.Net;
using System.Text;
using AkkaWal.Benchmarks.Transactions;

namespace AkkaWal.Benchmarks.Cluster;

/// <summary>What the clients of one cell did: commits and their commit latencies inside the window, prepares and lock
/// conflicts inside the window, errors over the whole cell (warm-up included) and the first error's text.</summary>
public sealed record WorkloadCounts(long Commits, List<long>[] CommitLatencyTicks, long Prepares, long Conflicts, long Errors, string? FirstError);

/// <summary>
/// <c>clients</c> concurrent HTTP clients, each looping: POST /transactions with one or two pool keys (see
/// <see cref="TransactionKeyPool"/>), then POST /transactions/{id}/commit. Client c talks to node c mod N for both
/// requests, so the clients spread round-robin over the nodes and a commit finds its transaction in the coordinator's
/// route cache. A 409 LockConflict (the key is held by another client's transaction) is a conflict: the client moves on
/// to other keys. Anything else that is not 201/200 is an error, counted, and the client pauses briefly so a failing
/// node is not hammered.
/// </summary>
public sealed class HttpWorkload
{
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(50);

    private readonly Task[] _clients;
    private readonly List<long>[] _latencies;
    private readonly CancellationToken _ct;
    private volatile bool _measuring, _stopping;
    private long _commits, _prepares, _conflicts, _errors;
    private string? _firstError;

    private HttpWorkload(HttpClient http, IReadOnlyList<Uri> nodes, TransactionKeyPool keys, string cellPrefix, TransactionShape shape, int clients,
        CancellationToken ct)
    {
        _ct = ct;
        _latencies = new List<long>[clients];
        _clients = Enumerable.Range(0, clients)
            .Select(c => Task.Run(() => ClientAsync(http, nodes[c % nodes.Count], keys, $"{cellPrefix}-c{c}", shape, _latencies[c] = new List<long>(4096), c)))
            .ToArray();
    }

    /// <summary>Starts the clients; they warm up until <see cref="BeginWindow"/>.</summary>
    public static HttpWorkload Start(HttpClient http, IReadOnlyList<Uri> nodes, TransactionKeyPool keys, string cellPrefix, TransactionShape shape,
        int clients, CancellationToken ct) => new(http, nodes, keys, cellPrefix, shape, clients, ct);

    public void BeginWindow() => _measuring = true;

    public void EndWindow() => _measuring = false;

    /// <summary>Stops the clients and returns the counts. Each client finishes the transaction it is in, so none is
    /// left prepared holding pool keys locked for the next cell.</summary>
    public async Task<WorkloadCounts> StopAsync()
    {
        _measuring = false;
        _stopping = true;
        await Task.WhenAll(_clients);
        return new WorkloadCounts(_commits, _latencies, _prepares, _conflicts, _errors, _firstError);
    }

    private async Task ClientAsync(HttpClient http, Uri node, TransactionKeyPool keys, string idPrefix, TransactionShape shape, List<long> latencies,
        int seed)
    {
        var ct = _ct;
        var random = new Random(seed);
        for (var n = 0; !_stopping; n++)
        {
            try
            {
                await TransactionAsync(http, node, $"{idPrefix}-{n}", keys.Pick(shape, random), n, latencies, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // No answer (connection refused or reset, or the client's timeout): the outcome is unknown.
                Error($"{node}: {e.GetType().Name}: {e.Message}");
                await Task.Delay(ErrorPause, CancellationToken.None);
            }
        }
    }

    private async Task TransactionAsync(HttpClient http, Uri node, string id, string[] keys, int value, List<long> latencies, CancellationToken ct)
    {
        using (var prepared = await http.PostAsync(new Uri(node, "/transactions"), PrepareBody(id, keys, value), ct))
        {
            if (_measuring) Interlocked.Increment(ref _prepares);
            if (prepared.StatusCode == HttpStatusCode.Conflict &&
                (await prepared.Content.ReadAsStringAsync(ct)).Contains("\"LockConflict\"", StringComparison.Ordinal))
            {
                if (_measuring) Interlocked.Increment(ref _conflicts);
                return;
            }
            if (prepared.StatusCode != HttpStatusCode.Created)
            {
                await ErrorAsync($"prepare {id} on {node}", prepared, ct);
                return;
            }
        }
        var started = Stopwatch.GetTimestamp();
        using var committed = await http.PostAsync(new Uri(node, $"/transactions/{id}/commit"), null, ct);
        if (committed.StatusCode != HttpStatusCode.OK)
        {
            await ErrorAsync($"commit {id} on {node}", committed, ct);
            return;
        }
        if (_measuring)
        {
            latencies.Add(Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _commits);
        }
    }

    /// <summary>The prepare body; ids and pool keys are [a-z0-9-] only, so they need no JSON escaping.</summary>
    private static StringContent PrepareBody(string id, string[] keys, int value)
    {
        var json = new StringBuilder("{\"id\":\"").Append(id).Append("\",\"changes\":{");
        for (var i = 0; i < keys.Length; i++)
            json.Append(i == 0 ? "" : ",").Append('"').Append(keys[i]).Append("\":").Append(value);
        json.Append("}}");
        return new StringContent(json.ToString(), Encoding.UTF8, "application/json");
    }

    private async Task ErrorAsync(string what, HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        Error($"{what}: {(int)response.StatusCode} {(body.Length > 300 ? body[..300] + "..." : body)}");
        await Task.Delay(ErrorPause, ct);
    }

    private void Error(string message)
    {
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, message, null);
    }
}
