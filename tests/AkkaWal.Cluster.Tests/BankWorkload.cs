using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AkkaWal.Cluster.Tests;

/// <summary>
/// A small bank on the cluster: <see cref="Accounts"/> accounts (spread over the partitions by key), clients that move
/// money between two of them with expected versions (a read, then prepare + commit through HTTP). A client retries a
/// request on the next node on 503 or a dropped connection with the SAME tx id, so a repeat is idempotent; a refusal
/// (version mismatch, lock conflict) is an attempt that did not happen. The check: the total never changes and every
/// balance equals the initial one plus the committed transfers, each acknowledged one applied exactly once.
/// </summary>
internal sealed class BankWorkload(IReadOnlyList<ClusterNode> nodes, TimeSpan timeout)
{
    public const int Accounts = 12;
    public const int InitialBalance = 100;

    private readonly object _gate = new();
    private readonly List<Transfer> _attempted = [];
    private readonly HashSet<string> _acknowledged = [];

    public sealed record Transfer(string TxId, int From, int To, int Amount);

    public int Acknowledged
    {
        get { lock (_gate) return _acknowledged.Count; }
    }

    public static string Account(int i) => "acct-" + i;

    public async Task OpenAccountsAsync()
    {
        var changes = Enumerable.Range(0, Accounts).ToDictionary(Account, _ => InitialBalance);
        var expect = Enumerable.Range(0, Accounts).ToDictionary(Account, _ => 0L);
        Assert.Equal(HttpStatusCode.OK, await PrepareAndCommitAsync("open", changes, expect, 0));
    }

    /// <summary>One client: <paramref name="transfers"/> attempts, each through the next node in turn.</summary>
    public async Task RunClientAsync(int client, int transfers)
    {
        var random = new Random(client);
        for (var n = 0; n < transfers; n++)
        {
            var from = random.Next(Accounts);
            var to = (from + 1 + random.Next(Accounts - 1)) % Accounts;
            var node = client + n;
            var (fromBalance, fromVersion) = await ReadAsync(Account(from), node);
            var (toBalance, toVersion) = await ReadAsync(Account(to), node + 1);
            var transfer = new Transfer($"c{client}-{n}", from, to, 1 + random.Next(5));
            lock (_gate) _attempted.Add(transfer);
            var status = await PrepareAndCommitAsync(transfer.TxId,
                new Dictionary<string, int> { [Account(from)] = fromBalance - transfer.Amount, [Account(to)] = toBalance + transfer.Amount },
                new Dictionary<string, long> { [Account(from)] = fromVersion, [Account(to)] = toVersion }, node);
            if (status == HttpStatusCode.OK)
                lock (_gate) _acknowledged.Add(transfer.TxId);
        }
    }

    /// <summary>Every balance equals the initial one plus the committed transfers; every acknowledged transfer is
    /// committed (applied once: a second application would break the sum); the total is unchanged.</summary>
    public async Task VerifyAsync(IReadOnlyList<ClusterNode> readers)
    {
        var expected = Enumerable.Repeat(InitialBalance, Accounts).ToArray();
        foreach (var transfer in _attempted)
        {
            var status = await StatusAsync(transfer.TxId, readers);
            if (_acknowledged.Contains(transfer.TxId))
                Assert.Equal("committed", status);
            if (status != "committed")
                continue;
            expected[transfer.From] -= transfer.Amount;
            expected[transfer.To] += transfer.Amount;
        }
        foreach (var (reader, r) in readers.Select((reader, r) => (reader, r)))
        {
            var balances = new int[Accounts];
            for (var i = 0; i < Accounts; i++)
                balances[i] = (await ReadAsync(Account(i), r, readers)).Value;
            Assert.Equal(Accounts * InitialBalance, balances.Sum());
            Assert.Equal(expected, balances);
        }
    }

    private async Task<HttpStatusCode> PrepareAndCommitAsync<T>(string txId, Dictionary<string, T> changes, Dictionary<string, long> expect, int node)
    {
        var (prepared, body) = await PostAsync("/transactions", new { id = txId, changes, expect }, node);
        // A repeat of a prepare that was stored answers AlreadyExists: it is prepared.
        if (prepared != HttpStatusCode.Created && !(prepared == HttpStatusCode.Conflict && body.Contains("AlreadyExists", StringComparison.Ordinal)))
            return prepared;
        var (committed, _) = await PostAsync($"/transactions/{txId}/commit", null, node + 1);
        return committed;
    }

    /// <summary>Posts through node <paramref name="node"/> (mod the count), moving to the next node on 503 or a dropped
    /// connection; the same body, so the same tx id.</summary>
    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, object? body, int node)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var attempt = node; ; attempt++)
        {
            try
            {
                using var response = await nodes[attempt % nodes.Count].Http.PostAsync(path, body is null ? null : JsonContent.Create(body));
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
                    return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(200);
        }
    }

    private Task<(int Value, long Version)> ReadAsync(string key, int node) => ReadAsync(key, node, nodes);

    private async Task<(int Value, long Version)> ReadAsync(string key, int node, IReadOnlyList<ClusterNode> through)
    {
        using var json = await GetAsync("/state/" + key, node, through);
        return (json.RootElement.GetProperty("value").GetInt32(), json.RootElement.GetProperty("version").GetInt64());
    }

    private async Task<string> StatusAsync(string txId, IReadOnlyList<ClusterNode> through)
    {
        using var json = await GetAsync("/transactions/" + txId, 0, through, notFoundIsAnswer: true);
        // A 404 is a problem body, whose "status" is the HTTP status number: the transaction is unknown.
        return json.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
            ? status.GetString()!
            : "unknown";
    }

    private async Task<JsonDocument> GetAsync(string path, int node, IReadOnlyList<ClusterNode> through, bool notFoundIsAnswer = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var attempt = node; ; attempt++)
        {
            try
            {
                using var response = await through[attempt % through.Count].Http.GetAsync(path);
                if (response.IsSuccessStatusCode || (notFoundIsAnswer && response.StatusCode == HttpStatusCode.NotFound))
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(200);
        }
    }
}
