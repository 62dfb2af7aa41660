using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AkkaWal.Cli.Serve;

/// <summary>
/// A bounded prepare+commit workload against a running host, keeping the ledger outside the host: which prepares and
/// commits got a 2xx. Each transaction sets its own key to its own id, so what survived can be checked key by key.
/// A client stops at its first failed request (the host died) or when the run is cancelled or its quota is done.
/// </summary>
public sealed class CommitLoad(HttpClient client, string idPrefix)
{
    public ConcurrentDictionary<string, bool> AcknowledgedPrepares { get; } = new();
    public ConcurrentDictionary<string, bool> AcknowledgedCommits { get; } = new();
    private int _failures;

    public int Failures => _failures;

    /// <summary>Runs <paramref name="clients"/> clients of at most <paramref name="perClient"/> transactions each.</summary>
    public Task RunAsync(int clients, int perClient, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c, perClient, ct), CancellationToken.None)));

    private async Task ClientAsync(int clientNo, int perClient, CancellationToken ct)
    {
        for (var n = 0; n < perClient && !ct.IsCancellationRequested; n++)
        {
            var id = $"{idPrefix}-{clientNo}-{n}";
            try
            {
                var prepare = await client.PostAsJsonAsync("/transactions", new { id, changes = new Dictionary<string, string> { [KeyOf(id)] = id } }, ct);
                if (prepare.StatusCode != HttpStatusCode.Created) { Interlocked.Increment(ref _failures); return; }
                AcknowledgedPrepares[id] = true;
                var commit = await client.PostAsync($"/transactions/{Uri.EscapeDataString(id)}/commit", null, ct);
                if (commit.StatusCode != HttpStatusCode.OK) { Interlocked.Increment(ref _failures); return; }
                AcknowledgedCommits[id] = true;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                Interlocked.Increment(ref _failures);
                return; // the host is gone or the run is over: what was acknowledged so far is the ledger
            }
        }
    }

    public static string KeyOf(string txId) => "key-" + txId;

    /// <summary>Checks the ledger against a (restarted) host: every acknowledged commit is committed and its value
    /// visible; every acknowledged prepare is prepared or committed. Returns one line per violation.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(HttpClient target, CancellationToken ct = default)
    {
        var problems = new List<string>();
        foreach (var id in AcknowledgedCommits.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var status = await StatusAsync(target, id, ct);
            if (status != "committed")
                problems.Add($"{id}: commit was acknowledged but the transaction is {status ?? "unknown"}");
            var state = await target.GetAsync($"/state/{Uri.EscapeDataString(KeyOf(id))}", ct);
            var value = state.IsSuccessStatusCode
                ? JsonDocument.Parse(await state.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("value").GetString()
                : null;
            if (value != id)
                problems.Add($"{id}: commit was acknowledged but {KeyOf(id)} is {(value is null ? "missing" : $"'{value}'")}");
        }
        foreach (var id in AcknowledgedPrepares.Keys.Except(AcknowledgedCommits.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            var status = await StatusAsync(target, id, ct);
            if (status is not ("prepared" or "committed"))
                problems.Add($"{id}: prepare was acknowledged but the transaction is {status ?? "unknown"}");
        }
        return problems;
    }

    private static async Task<string?> StatusAsync(HttpClient target, string id, CancellationToken ct)
    {
        var response = await target.GetAsync($"/transactions/{Uri.EscapeDataString(id)}", ct);
        if (!response.IsSuccessStatusCode) return null;
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("status").GetString();
    }
}
